//! What an article is about, as a unit vector of weighted terms.

use std::sync::OnceLock;

use rased_model::Article;
use rased_text::hash::fnv64;
use rased_text::stem::search_stem;
use rased_text::tokenize::{tokenize, TokenKind};
use rased_text::word_cache::WordCache;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::cluster::Settings;

/// A term of a profile: the hash of a search stem (`s:…`) or of an entity id (`e:…`), or,
/// tagged in the top four bits, an event key (see [`Profile::events`]).
pub type Term = u64;

const TAG: u64 = 0xF << 60;
/// An event's type and participant (`w:TYPE|entity`).
const SLOT_TAG: u64 = 0xD << 60;
/// An event's type, participant and day (`v:TYPE|entity|day`).
const EVENT_TAG: u64 = 0xE << 60;
/// Most event keys an article contributes.
const MAX_EVENT_KEYS: usize = 24;

/// Whether `t` is an event key rather than a stem or an entity (those never carry the tags).
pub(crate) fn is_event_key(t: Term) -> bool {
    matches!(t & TAG, SLOT_TAG | EVENT_TAG)
}

/// A stem or entity hash, kept clear of the event tags.
fn plain(h: u64) -> Term {
    if matches!(h & TAG, SLOT_TAG | EVENT_TAG) {
        h & !(1 << 63)
    } else {
        h
    }
}

fn tagged(tag: u64, key: &str) -> Term {
    (fnv64(key.as_bytes()) & !TAG) | tag
}

const DF_TSV: &str = include_str!("../../../data/keyphrase/df.tsv");
const STOPWORDS_TXT: &str = include_str!("../../../data/keyphrase/stopwords.txt");
const STORY_STOPWORDS_TXT: &str = include_str!("../../../data/stories/stopwords.txt");

/// Document frequencies of search stems and the words that say nothing about a story.
#[derive(Debug)]
pub struct Vocabulary {
    docs: f32,
    /// Search stem → the largest document frequency of a word with that stem.
    df: FxHashMap<String, u32>,
    stop: FxHashSet<String>,
}

impl Vocabulary {
    /// The vocabulary built from `data/keyphrase/df.tsv` (41,661 ANT articles) and the
    /// stopword lists of `data/keyphrase` and `data/stories`.
    pub fn embedded() -> &'static Vocabulary {
        static V: OnceLock<Vocabulary> = OnceLock::new();
        V.get_or_init(|| Vocabulary::parse(DF_TSV, &[STOPWORDS_TXT, STORY_STOPWORDS_TXT]))
    }

    /// A vocabulary from a `df.tsv` text (`#docs<TAB>N`, then `word<TAB>df`) and stopword
    /// lists (one word a line, `#` comments).
    pub fn parse(df_tsv: &str, stopwords: &[&str]) -> Vocabulary {
        let mut docs = 1.0;
        let mut df: FxHashMap<String, u32> = FxHashMap::default();
        for line in df_tsv.lines() {
            let Some((word, n)) = line.split_once('\t') else {
                continue;
            };
            let Ok(n) = n.trim().parse::<u32>() else {
                continue;
            };
            if word == "#docs" {
                docs = n as f32;
                continue;
            }
            let stem = search_stem(word);
            let e = df.entry(stem).or_default();
            *e = (*e).max(n);
        }
        let stop = stopwords
            .iter()
            .flat_map(|t| t.lines())
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(search_stem)
            .collect();
        Vocabulary { docs, df, stop }
    }

    /// Inverse document frequency of a search stem; a stem the statistics never saw counts as
    /// seen in one article.
    pub fn idf(&self, stem: &str) -> f32 {
        let df = self.df.get(stem).copied().unwrap_or(1).max(1) as f32;
        ((self.docs + 1.0) / (df + 1.0)).ln().max(0.0)
    }

    fn is_stop(&self, stem: &str) -> bool {
        self.stop.contains(stem)
    }
}

/// An article as the clusterer sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// Days since 1970-01-01 of the publication date, when the article has one.
    pub day: Option<i32>,
    /// `(term, weight)`, sorted by term, weights of unit length.
    pub terms: Vec<(Term, f32)>,
    /// The article's asserted, dated events as `(slot, key)`: the slot hashes the PLOVER
    /// type and one participant's entity id (`w:TYPE|id`), the key adds the event's day
    /// (`v:TYPE|id|day`). Sorted, at most 24. The same slot on another day is the next
    /// launch, match or session; the same key is the same event.
    pub events: Vec<(Term, Term)>,
}

impl Profile {
    /// The profile of an analyzed article.
    pub fn of(article: &Article, vocab: &Vocabulary, settings: &Settings) -> Profile {
        let mut tf: FxHashMap<String, f32> = FxHashMap::default();
        // A title weight of 0 (a profile of the lead or of the entities alone) leaves the
        // title out rather than giving its stems a zero count.
        if let Some(title) = article
            .title
            .as_ref()
            .filter(|_| settings.title_weight > 0.0)
        {
            for stem in content_stems(title, vocab, usize::MAX) {
                *tf.entry(stem).or_default() += settings.title_weight;
            }
        }
        for stem in content_stems(&article.body, vocab, settings.lead_words) {
            *tf.entry(stem).or_default() += 1.0;
        }
        let mut terms: Vec<(Term, f32)> = tf
            .iter()
            .map(|(stem, &n)| (stem_term(stem), (1.0 + n.ln()) * vocab.idf(stem)))
            .collect();
        for e in &article.entities {
            if e.id.is_empty() {
                continue;
            }
            // An entity is as telling as the rarest word of its name.
            let rarity = content_stems(&e.name, vocab, usize::MAX)
                .map(|s| vocab.idf(&s))
                .fold(0.0f32, f32::max);
            let salience = 1.0 + (e.mentions.len().max(1) as f32).ln();
            terms.push((
                entity_term(&e.id),
                settings.entity_weight * rarity * salience,
            ));
        }
        Profile {
            day: article.published.as_deref().and_then(day_number),
            terms: top_unit(terms, settings.max_terms),
            events: event_keys(article),
        }
    }

    /// Cosine similarity with another unit vector sorted by term.
    pub fn cosine(&self, other: &[(Term, f32)]) -> f32 {
        dot(&self.terms, other)
    }
}

/// Dot product of two term vectors sorted by term.
pub(crate) fn dot(a: &[(Term, f32)], b: &[(Term, f32)]) -> f32 {
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

/// The `max` heaviest terms (ties by term, so the choice is deterministic), scaled to unit
/// length and sorted by term.
pub(crate) fn top_unit(mut terms: Vec<(Term, f32)>, max: usize) -> Vec<(Term, f32)> {
    terms.retain(|t| t.1 > 0.0 && t.1.is_finite());
    terms.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    terms.truncate(max);
    let norm = terms.iter().map(|t| t.1 * t.1).sum::<f32>().sqrt();
    if norm > 0.0 {
        for t in &mut terms {
            t.1 /= norm;
        }
    }
    terms.sort_by_key(|t| t.0);
    terms
}

/// The search stems of the first `limit` words of `text` that can tell one story from
/// another: no stopwords, numbers or one-letter words. (Known weakness: Light10 suffix
/// stripping can turn a name into a common word, قالين → قال; keeping rare words whole
/// instead cost 29 points of recall on the dev pairs, because whole words keep their clitics.)
pub(crate) fn content_stems<'a>(
    text: &'a str,
    vocab: &'a Vocabulary,
    limit: usize,
) -> impl Iterator<Item = String> + 'a {
    tokenize(text)
        .into_iter()
        .filter(|t| {
            matches!(
                t.kind,
                TokenKind::Arabic | TokenKind::Latin | TokenKind::Mixed
            )
        })
        .take(limit)
        .map(|t| cached_stem(t.text))
        .filter(|s| s.chars().count() >= 2 && !vocab.is_stop(s))
}

/// Words whose stems a thread remembers (per generation, see [`WordCache`]): news repeats its
/// words, and the stemmer (a lexicon-aware segmenter) costs far more than a lookup.
const STEM_CACHE_WORDS: usize = 25_000;

fn cached_stem(word: &str) -> String {
    thread_local! {
        static STEMS: std::cell::RefCell<WordCache<String>> =
            std::cell::RefCell::new(WordCache::new(STEM_CACHE_WORDS));
    }
    STEMS.with_borrow_mut(|c| c.get_or_derive(word, || search_stem(word)))
}

fn stem_term(stem: &str) -> Term {
    plain(fnv64(format!("s:{stem}").as_bytes()))
}

fn entity_term(id: &str) -> Term {
    plain(fnv64(format!("e:{id}").as_bytes()))
}

/// The `(slot, key)` pairs of an article's events that the text asserts (not negated,
/// future, background or historical), dated by the event or else by the article, one per
/// participant entity (actors, recipients, place), in the order the events come, at most
/// [`MAX_EVENT_KEYS`].
fn event_keys(article: &Article) -> Vec<(Term, Term)> {
    let mut out: Vec<(Term, Term)> = Vec::new();
    for e in &article.events {
        if e.negated || e.future || e.modality.as_deref().is_some_and(|m| m != "asserted") {
            continue;
        }
        // An asserted event the text does not date (background to the analysis, which leaves
        // it without a day) is still part of what the article reports on its day.
        let day = e.date.as_deref().or(article.published.as_deref());
        let Some(day) = day.and_then(day_number) else {
            continue;
        };
        let ids = e
            .actors
            .iter()
            .chain(&e.recipients)
            .chain(e.place.iter())
            .filter_map(|p| p.entity.as_deref());
        for id in ids {
            let slot = tagged(SLOT_TAG, &format!("w:{}|{id}", e.kind));
            let key = tagged(EVENT_TAG, &format!("v:{}|{id}|{day}", e.kind));
            if out.len() < MAX_EVENT_KEYS && !out.contains(&(slot, key)) {
                out.push((slot, key));
            }
        }
    }
    out.sort_unstable();
    out
}

/// Days since 1970-01-01 of an ISO date or date-time (`2025-08-25`, `2025-08-25T10:00:00+03:00`).
pub fn day_number(iso: &str) -> Option<i32> {
    let date = chrono::NaiveDate::parse_from_str(iso.get(..10)?, "%Y-%m-%d").ok()?;
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
    i32::try_from((date - epoch).num_days()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_unit_vectors() {
        assert_eq!(day_number("1970-01-02"), Some(1));
        assert_eq!(day_number("2018-03-01T10:00:00+03:00"), Some(17591));
        assert_eq!(day_number("yesterday"), None);
        let v = top_unit(vec![(3, 3.0), (1, 4.0), (2, 0.0)], 10);
        assert_eq!(v.iter().map(|t| t.0).collect::<Vec<_>>(), vec![1, 3]);
        assert!((dot(&v, &v) - 1.0).abs() < 1e-6);
    }

    #[test]
    fn event_keys_are_asserted_dated_and_tagged() {
        use rased_model::{Event, Participant};
        let who = |id: &str| Participant {
            text: id.into(),
            entity: Some(id.into()),
        };
        let event = |kind: &str, date: &str, modality: &str| Event {
            kind: kind.into(),
            actors: vec![who("iso:SAU")],
            recipients: vec![Participant {
                text: "x".into(),
                entity: None,
            }],
            place: Some(who("gn:1")),
            date: Some(date.into()),
            modality: Some(modality.into()),
            ..Event::default()
        };
        let article = Article {
            events: vec![
                event("ASSAULT", "2018-05-09", "asserted"),
                event("ASSAULT", "2018-05-09", "asserted"),
                event("ASSAULT", "2018-05-07", "background"),
                event("ASSAULT", "2018-05-11", "asserted"),
            ],
            ..Article::default()
        };
        let keys = event_keys(&article);
        // Two participants on two asserted days; the repeat and the background are left out.
        assert_eq!(keys.len(), 4);
        assert!(keys
            .iter()
            .all(|&(w, v)| is_event_key(w) && is_event_key(v)));
        let slots: FxHashSet<Term> = keys.iter().map(|k| k.0).collect();
        assert_eq!(slots.len(), 2, "one slot per participant, whatever the day");
        assert!(!is_event_key(stem_term("صاروخ")) && !is_event_key(entity_term("iso:SAU")));
        assert!(!is_event_key(plain(0xE << 60 | 7)));
    }

    #[test]
    fn rare_words_weigh_more_and_stopwords_nothing() {
        let vocab = Vocabulary::embedded();
        assert!(vocab.idf(&search_stem("حفتر")) > vocab.idf(&search_stem("الرئيس")));
        assert!(vocab.is_stop(&search_stem("في")));
    }
}
