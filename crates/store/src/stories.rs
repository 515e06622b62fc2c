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

use crate::{
    ArticleSummary, Result, Store, StoryDay, StoryDetail, StoryEntity, StoryEvent, StoryRecord,
};

/// Reports of a story read for its entities and events: the newest, so a saga of thousands
/// of reports costs what a large story does.
const DETAIL_REPORTS: usize = 200;
/// Entities and events listed in a story's detail.
const DETAIL_ENTITIES: usize = 30;
const DETAIL_EVENTS: usize = 30;

/// The clusterer with the shipped settings.
pub(crate) fn clusterer() -> Clusterer {
    Clusterer::new(Settings::default())
}

/// The article as the clusterer sees it.
pub(crate) fn profile(article: &Article) -> Profile {
    Profile::of(article, Vocabulary::embedded(), &Settings::default())
}

/// A stored article as the rebuild reads it: `(seq, id, copies, json)`.
pub(crate) type StoredArticle = (i64, String, Option<String>, String);

/// What story assignment needs of a backend, inside its write transaction, besides the
/// clusterer's [`StoryIndex`](rased_stories::StoryIndex): the SQL differs, the decisions
/// (`assign`, `rebuild`) are one.
pub(crate) trait StoryTables: rased_stories::StoryIndex<Error = crate::StoreError> {
    /// The story of a stored article (`None` when it has none yet).
    fn story_of(&mut self, article: &str) -> Result<Option<String>>;
    fn set_story(&mut self, article: &str, story: &str) -> Result<()>;
    /// Empties the story tables and every article's story.
    fn clear_stories(&mut self) -> Result<()>;
    /// Up to `limit` articles after sequence `seq`, in ingest order.
    fn articles_after(
        &mut self,
        seq: i64,
        limit: usize,
    ) -> Result<Vec<crate::stories::StoredArticle>>;
    fn count_stories(&mut self) -> Result<u64>;
}

/// Puts an article in its story: its original's when it is a copy of an earlier article
/// (`copies` names another), else the clusterer's choice; returns the story.
pub(crate) fn assign<T: StoryTables>(
    tables: &mut T,
    id: &str,
    copies: &str,
    profile: &Profile,
) -> Result<String> {
    let original = if copies == id {
        None
    } else {
        tables.story_of(copies)?
    };
    let story = match original {
        Some(story) => story,
        None => clusterer().assign(tables, id, profile)?.story,
    };
    tables.set_story(id, &story)?;
    Ok(story)
}

/// Reclusters every stored article in ingest order, as online ingest would have; returns the
/// number of articles and of stories.
pub(crate) fn rebuild<T: StoryTables>(tables: &mut T) -> Result<(u64, u64)> {
    tables.clear_stories()?;
    let (mut after, mut articles) = (i64::MIN, 0u64);
    loop {
        // In batches: the rows are updated as they are read.
        let batch = tables.articles_after(after, 512)?;
        let Some(last) = batch.last() else { break };
        after = last.0;
        for (_, id, copies, json) in batch {
            let article: Article = serde_json::from_str(&json)?;
            assign(
                tables,
                &id,
                copies.as_deref().unwrap_or(&id),
                &profile(&article),
            )?;
            articles += 1;
        }
    }
    Ok((articles, tables.count_stories()?))
}

/// A story's span as its index rows keep it: an undated story (never ruled out by time, see
/// `StoryState::in_window`) spans every day, so a window lookup is one range scan of the
/// `(term, last_day)` index, without an `IS NULL` case.
pub(crate) fn index_span(story: &rased_stories::StoryState) -> (i32, i32) {
    (
        story.first_day.unwrap_or(i32::MIN),
        story.last_day.unwrap_or(i32::MAX),
    )
}

/// The days a candidate story's index rows must reach, `(from, to)`: `last_day >= from` and
/// `first_day <= to` is `StoryState::in_window` over the rows of [`index_span`]; an undated
/// article rules nothing out.
pub(crate) fn window_bounds(day: Option<i32>, window: i32) -> (i32, i32) {
    match day {
        Some(d) => (d.saturating_sub(window), d.saturating_add(window)),
        None => (i32::MIN, i32::MAX),
    }
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

/// "Read also" from articles ranked by the rare entities they share with `id`: only other
/// stories (the article's own story is its coverage, listed apart), the best article of each.
pub(crate) fn read_also(
    id: &str,
    scored: Vec<(String, f64)>,
    limit: usize,
    mut story_of: impl FnMut(&str) -> Result<Option<String>>,
) -> Result<Vec<(String, f64)>> {
    let mut seen: Vec<String> = story_of(id)?.into_iter().collect();
    let mut out = Vec::new();
    for (article, score) in scored {
        if out.len() == limit {
            break;
        }
        let story = story_of(&article)?.unwrap_or_else(|| article.clone());
        if !seen.contains(&story) {
            seen.push(story);
            out.push((article, score));
        }
    }
    Ok(out)
}

/// A story's full coverage, for any store (see `Store::story_detail`).
pub(crate) fn detail<S: Store + ?Sized>(store: &S, id: &str) -> Result<Option<StoryDetail>> {
    let Some((story, mut articles)) = store.story(id)? else {
        return Ok(None);
    };
    let mut timeline: Vec<StoryDay> = Vec::new();
    for a in &articles {
        let day = a
            .published
            .as_deref()
            .and_then(|p| p.get(..10))
            .unwrap_or("");
        let i = match timeline.iter().position(|d| d.day == day) {
            Some(i) => i,
            None => {
                timeline.push(StoryDay {
                    day: day.to_string(),
                    articles: 0,
                    outlets: Vec::new(),
                });
                timeline.len() - 1
            }
        };
        timeline[i].articles += 1;
        let outlet = a.outlet.clone().unwrap_or_default();
        if !timeline[i].outlets.contains(&outlet) {
            timeline[i].outlets.push(outlet);
        }
    }
    timeline.sort_by(|a, b| a.day.cmp(&b.day));
    // Newest first (ingest order among equal dates, reversed).
    articles.reverse();
    articles.sort_by(|a, b| b.published.cmp(&a.published));

    let mut entities: Vec<StoryEntity> = Vec::new();
    let mut events: Vec<(String, StoryEvent)> = Vec::new();
    // Oldest first within the newest `DETAIL_REPORTS`, so an event is shown as first coded.
    for summary in articles.iter().take(DETAIL_REPORTS).rev() {
        let Some(article) = store.article(&summary.id)? else {
            continue;
        };
        for e in article.entities.iter().filter(|e| !e.id.is_empty()) {
            let mentions = e.mentions.len().max(1) as u64;
            match entities.iter_mut().find(|x| x.id == e.id) {
                Some(x) => {
                    x.reports += 1;
                    x.mentions += mentions;
                }
                None => entities.push(StoryEntity {
                    id: e.id.clone(),
                    kind: e.kind.clone(),
                    name: e.name.clone(),
                    reports: 1,
                    mentions,
                }),
            }
        }
        let mut counted: Vec<String> = Vec::new();
        for (ord, event) in article.events.iter().enumerate() {
            // Reports of one event share its group key; an event with unresolved participants
            // or no date is its report's own.
            let key = crate::sqlite::event_group_base(event).map_or_else(
                || format!("{}#{ord}", article.id),
                |(b, d)| format!("{b}|{d}"),
            );
            if counted.contains(&key) {
                continue;
            }
            match events.iter_mut().find(|(k, _)| *k == key) {
                Some((_, e)) => e.reports += 1,
                None => events.push((
                    key.clone(),
                    StoryEvent {
                        event: event.clone(),
                        article: article.id.clone(),
                        reports: 1,
                    },
                )),
            }
            counted.push(key);
        }
    }
    entities.sort_by(|a, b| {
        (b.reports, b.mentions)
            .cmp(&(a.reports, a.mentions))
            .then_with(|| a.id.cmp(&b.id))
    });
    entities.truncate(DETAIL_ENTITIES);
    let mut events: Vec<StoryEvent> = events.into_iter().map(|(_, e)| e).collect();
    events.sort_by(|a, b| {
        b.reports
            .cmp(&a.reports)
            .then_with(|| b.event.confidence.total_cmp(&a.event.confidence))
    });
    events.truncate(DETAIL_EVENTS);
    Ok(Some(StoryDetail {
        story,
        articles,
        entities,
        events,
        timeline,
    }))
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
