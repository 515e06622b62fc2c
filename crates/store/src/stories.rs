//! Cross-outlet stories in the store.
//!
//! Every new article joins the best matching story of its few days, or opens one (the online
//! clusterer of `rased-stories`); the candidate stories come from the database's own index of
//! each story's strongest terms (`story_terms`, with the story's span, so a lookup reads only
//! stories near the article's date), and each story's centroid lives in `stories`. The work
//! per article is a few indexed lookups whatever the store's size.
//!
//! Near-duplicates are a level below: a copy (one wire text republished) goes straight to its
//! original's story and leaves the story's centroid as it is, so that fifty copies of one
//! agency report do not drown the other outlets' wording. `rased stories --rebuild` replays
//! the whole store in ingest order through the same code, so it gives the stories online
//! ingest would have given.

use rased_model::Article;
use rased_stories::{central_title, Clusterer, Profile, Settings, Term, Vocabulary};

use crate::{ArticleSummary, StoryRecord};

/// The clusterer with the shipped settings.
pub(crate) fn clusterer() -> Clusterer {
    Clusterer::new(Settings::default())
}

/// The article as the clusterer sees it.
pub(crate) fn profile(article: &Article) -> Profile {
    Profile::of(article, Vocabulary::embedded(), &Settings::default())
}

/// A centroid as stored: `(term, weight)` pairs, 8 + 4 bytes little-endian each.
pub(crate) fn encode_centroid(terms: &[(Term, f32)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(terms.len() * 12);
    for (t, w) in terms {
        out.extend_from_slice(&t.to_le_bytes());
        out.extend_from_slice(&w.to_le_bytes());
    }
    out
}

/// The centroid of [`encode_centroid`]'s bytes (a trailing partial pair is ignored).
pub(crate) fn decode_centroid(bytes: &[u8]) -> Vec<(Term, f32)> {
    bytes
        .chunks_exact(12)
        .map(|c| {
            let (t, w) = c.split_at(8);
            (
                Term::from_le_bytes(t.try_into().expect("8 bytes")),
                f32::from_le_bytes(w.try_into().expect("4 bytes")),
            )
        })
        .collect()
}

/// A term as a database integer (the same 64 bits).
pub(crate) fn term_key(t: Term) -> i64 {
    t as i64
}

/// A story's record from its members in ingest order (`None` without members).
pub(crate) fn story_record(
    members: Vec<ArticleSummary>,
) -> Option<(StoryRecord, Vec<ArticleSummary>)> {
    let lead = members.first().cloned()?;
    let mut outlets: Vec<(String, u64)> = Vec::new();
    for m in &members {
        let name = m.outlet.clone().unwrap_or_default();
        match outlets.iter_mut().find(|(o, _)| *o == name) {
            Some((_, n)) => *n += 1,
            None => outlets.push((name, 1)),
        }
    }
    outlets.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let dates = members.iter().filter_map(|m| m.published.clone());
    // The label from the originals' titles: fifty copies of one wire headline are one vote.
    let originals: Vec<&ArticleSummary> = members.iter().filter(|m| m.copy_of.is_none()).collect();
    let titles: Vec<&str> = originals
        .iter()
        .map(|m| m.title.as_deref().unwrap_or(""))
        .collect();
    let label = central_title(&titles, Vocabulary::embedded())
        .and_then(|i| originals[i].title.clone())
        .or_else(|| lead.title.clone());
    let story = StoryRecord {
        id: lead.id.clone(),
        label,
        articles: members.len() as u64,
        copies: (members.len() - originals.len()) as u64,
        outlets,
        first_published: dates.clone().min(),
        last_published: dates.max(),
        lead,
    };
    Some((story, members))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn centroids_round_trip() {
        let c = vec![(0, 0.5), (u64::MAX, 0.25), (1 << 63, -1.0)];
        assert_eq!(decode_centroid(&encode_centroid(&c)), c);
        assert_eq!(term_key(u64::MAX), -1);
    }
}
