//! Online clustering: each article joins the best matching recent story or opens one.

use rustc_hash::FxHashMap;

use crate::profile::{is_event_key, Profile, Term};

/// The clustering's knobs. The defaults are the ones chosen on the dev half of
/// `data/stories/pairs.tsv` (see `data/stories/README.md`).
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Least cosine similarity between an article and a story's centroid to join it, for an
    /// article of a day the story already covers.
    pub threshold: f32,
    /// What each day between the article and the story's nearest day adds to the threshold:
    /// the same words two days apart are more often the next launch, match or session than
    /// the same news.
    pub day_penalty: f32,
    /// An article joins a story only when its day is within this many days of the story's
    /// first and last article.
    pub window_days: i32,
    /// Words of the body read after the title (the lead carries the news).
    pub lead_words: usize,
    /// What a title word counts for, against 1 for a lead word.
    pub title_weight: f32,
    /// Weight of an entity identity relative to its rarest name word's IDF.
    pub entity_weight: f32,
    /// Terms kept in an article's profile.
    pub max_terms: usize,
    /// Terms kept in a story's centroid.
    pub centroid_terms: usize,
    /// Strongest terms of an article (and of a story) that look candidates up in the index.
    pub index_terms: usize,
    /// Most candidate stories compared per article (those sharing most index terms first).
    pub max_candidates: usize,
    /// Added to the similarity when the article and the story share an event key (type,
    /// participant entity and day): the same strike, vote or meeting.
    pub event_bonus: f32,
    /// Taken from the similarity when they share an event slot (type and participant) but
    /// no key: the same participants doing the same kind of thing on another day.
    pub event_conflict: f32,
    /// Event keys and slots kept in a story's centroid (each counted once per member).
    pub event_terms: usize,
    /// Most days a story may span: an article that would stretch it further opens its own.
    pub max_span_days: i32,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            threshold: 0.325,
            day_penalty: 0.03,
            window_days: 3,
            lead_words: 80,
            title_weight: 2.0,
            entity_weight: 0.5,
            max_terms: 60,
            centroid_terms: 120,
            index_terms: 12,
            max_candidates: 64,
            event_bonus: 0.1,
            event_conflict: 0.05,
            event_terms: 64,
            max_span_days: 3,
        }
    }
}

/// A story as the clusterer keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryState {
    /// The id of the story's first article.
    pub id: String,
    pub first_day: Option<i32>,
    pub last_day: Option<i32>,
    /// Number of articles.
    pub size: u32,
    /// Sum of the members' profiles (its strongest `centroid_terms`), sorted by term; with
    /// the members' event keys and slots (tagged terms, weight = members that have it, the
    /// `event_terms` most common).
    pub centroid: Vec<(Term, f32)>,
}

impl StoryState {
    /// Whether an article of `day` may join: within `window` days of the story's span (an
    /// undated article or story is never ruled out by time).
    fn in_window(&self, day: Option<i32>, window: i32) -> bool {
        self.days_from(day) <= window
    }

    /// Days between `day` and the story's span (0 inside it, or when either is undated).
    fn days_from(&self, day: Option<i32>) -> i32 {
        match (day, self.first_day, self.last_day) {
            (Some(d), Some(first), Some(last)) => (first - d).max(d - last).max(0),
            _ => 0,
        }
    }

    /// Days the story would span with an article of `day` (0 when undated).
    fn span_with(&self, day: Option<i32>) -> i32 {
        match (day, self.first_day, self.last_day) {
            (Some(d), Some(first), Some(last)) => last.max(d) - first.min(d),
            _ => 0,
        }
    }

    /// The centroid's stems and entities, without the event keys.
    fn words(&self) -> Vec<(Term, f32)> {
        self.centroid
            .iter()
            .copied()
            .filter(|t| !is_event_key(t.0))
            .collect()
    }

    fn has(&self, term: Term) -> bool {
        self.centroid.binary_search_by_key(&term, |t| t.0).is_ok()
    }
}

/// What the events add to an article's similarity with a story: `bonus` when they share an
/// event key, `-conflict` when they share only slots (the same type and participant, other
/// days), 0 otherwise.
fn event_signal(profile: &Profile, story: &StoryState, bonus: f32, conflict: f32) -> f32 {
    if profile.events.iter().any(|&(_, key)| story.has(key)) {
        bonus
    } else if profile.events.iter().any(|&(slot, _)| story.has(slot)) {
        -conflict
    } else {
        0.0
    }
}

/// Where the clusterer finds candidate stories and keeps them.
pub trait StoryIndex {
    type Error;
    /// Up to `limit` stories with at least one of `terms` among their index terms whose span
    /// may be within `window` days of `day`, those sharing most terms first (ties by id).
    fn candidates(
        &mut self,
        terms: &[Term],
        day: Option<i32>,
        window: i32,
        limit: usize,
    ) -> Result<Vec<StoryState>, Self::Error>;
    /// Stores a new or changed story with the terms it is to be found by.
    fn put(&mut self, story: &StoryState, index_terms: &[Term]) -> Result<(), Self::Error>;
}

/// Where an article went.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    pub story: String,
    /// Cosine similarity with the story it joined, less the day penalty (1 for a new story).
    pub similarity: f32,
    /// Whether the article opened the story.
    pub opened: bool,
}

/// The online clusterer.
#[derive(Debug, Clone, Default)]
pub struct Clusterer {
    pub settings: Settings,
}

impl Clusterer {
    pub fn new(settings: Settings) -> Clusterer {
        Clusterer { settings }
    }

    /// Puts `article` (with its profile) in the best matching story of `index`, or in a new
    /// story named after it.
    pub fn assign<I: StoryIndex>(
        &self,
        index: &mut I,
        article: &str,
        profile: &Profile,
    ) -> Result<Assignment, I::Error> {
        let s = &self.settings;
        let query = strongest(&profile.terms, s.index_terms);
        let mut best: Option<(f32, StoryState)> = None;
        for story in index.candidates(&query, profile.day, s.window_days, s.max_candidates)? {
            if !story.in_window(profile.day, s.window_days)
                || story.span_with(profile.day) > s.max_span_days
            {
                continue;
            }
            let sim = profile.cosine(&unit(&story.words()))
                - s.day_penalty * story.days_from(profile.day) as f32
                + event_signal(profile, &story, s.event_bonus, s.event_conflict);
            let better = match &best {
                None => true,
                Some((b, bs)) => sim > *b || (sim == *b && story.id < bs.id),
            };
            if better {
                best = Some((sim, story));
            }
        }
        let (story, similarity, opened) = match best {
            Some((sim, story)) if sim >= s.threshold => (self.join(story, profile), sim, false),
            _ => (
                StoryState {
                    id: article.to_string(),
                    first_day: profile.day,
                    last_day: profile.day,
                    size: 1,
                    centroid: self.centroid_of(&FxHashMap::default(), profile),
                },
                1.0,
                true,
            ),
        };
        index.put(&story, &strongest(&story.words(), s.index_terms))?;
        Ok(Assignment {
            story: story.id,
            similarity,
            opened,
        })
    }

    fn join(&self, mut story: StoryState, profile: &Profile) -> StoryState {
        let sum: FxHashMap<Term, f32> = story.centroid.iter().copied().collect();
        story.centroid = self.centroid_of(&sum, profile);
        story.size += 1;
        if let Some(d) = profile.day {
            story.first_day = Some(story.first_day.map_or(d, |f| f.min(d)));
            story.last_day = Some(story.last_day.map_or(d, |l| l.max(d)));
        }
        story
    }
}

impl Clusterer {
    /// `sum` (a story's centroid) plus `profile`: its strongest `centroid_terms` stems and
    /// entities and its `event_terms` most common event keys, sorted by term.
    fn centroid_of(&self, sum: &FxHashMap<Term, f32>, profile: &Profile) -> Vec<(Term, f32)> {
        let mut sum = sum.clone();
        for &(t, w) in &profile.terms {
            *sum.entry(t).or_default() += w;
        }
        for &(slot, key) in &profile.events {
            *sum.entry(slot).or_default() += 1.0;
            *sum.entry(key).or_default() += 1.0;
        }
        let mut words: Vec<(Term, f32)> = sum.into_iter().collect();
        let mut events: Vec<(Term, f32)> = words
            .iter()
            .copied()
            .filter(|t| is_event_key(t.0))
            .collect();
        words.retain(|t| !is_event_key(t.0));
        for (v, n) in [
            (&mut words, self.settings.centroid_terms),
            (&mut events, self.settings.event_terms),
        ] {
            v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            v.truncate(n);
        }
        words.append(&mut events);
        words.sort_by_key(|t| t.0);
        words
    }
}

/// The `n` heaviest terms (ties by term).
fn strongest(terms: &[(Term, f32)], n: usize) -> Vec<Term> {
    let mut v = terms.to_vec();
    v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    v.truncate(n);
    let mut out: Vec<Term> = v.into_iter().map(|t| t.0).collect();
    out.sort_unstable();
    out
}

/// `terms` (sorted by term) scaled to unit length, without the sort `top_unit` needs to
/// choose the heaviest: every candidate story of every article goes through here.
fn unit(terms: &[(Term, f32)]) -> Vec<(Term, f32)> {
    debug_assert!(terms.windows(2).all(|w| w[0].0 < w[1].0), "sorted by term");
    let mut v: Vec<(Term, f32)> = terms
        .iter()
        .copied()
        .filter(|t| t.1 > 0.0 && t.1.is_finite())
        .collect();
    let norm = v.iter().map(|t| t.1 * t.1).sum::<f32>().sqrt();
    if norm > 0.0 {
        for t in &mut v {
            t.1 /= norm;
        }
    }
    v
}

/// Stories in memory, for tests, evaluation and rebuilding a store's stories.
#[derive(Debug, Default)]
pub struct MemoryIndex {
    stories: FxHashMap<String, (StoryState, Vec<Term>)>,
    postings: FxHashMap<Term, Vec<String>>,
}

impl MemoryIndex {
    pub fn new() -> MemoryIndex {
        MemoryIndex::default()
    }

    /// Number of stories.
    pub fn len(&self) -> usize {
        self.stories.len()
    }

    pub fn is_empty(&self) -> bool {
        self.stories.is_empty()
    }

    pub fn story(&self, id: &str) -> Option<&StoryState> {
        self.stories.get(id).map(|s| &s.0)
    }
}

impl StoryIndex for MemoryIndex {
    type Error = std::convert::Infallible;

    fn candidates(
        &mut self,
        terms: &[Term],
        day: Option<i32>,
        window: i32,
        limit: usize,
    ) -> Result<Vec<StoryState>, Self::Error> {
        let mut shared: FxHashMap<&str, u32> = FxHashMap::default();
        for t in terms {
            for id in self.postings.get(t).into_iter().flatten() {
                *shared.entry(id.as_str()).or_default() += 1;
            }
        }
        let mut ids: Vec<(&str, u32)> = shared
            .into_iter()
            .filter(|(id, _)| self.stories[*id].0.in_window(day, window))
            .collect();
        ids.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        ids.truncate(limit);
        Ok(ids
            .into_iter()
            .map(|(id, _)| self.stories[id].0.clone())
            .collect())
    }

    fn put(&mut self, story: &StoryState, index_terms: &[Term]) -> Result<(), Self::Error> {
        if let Some((_, old)) = self.stories.remove(&story.id) {
            for t in old {
                if let Some(p) = self.postings.get_mut(&t) {
                    p.retain(|id| id != &story.id);
                }
            }
        }
        for &t in index_terms {
            self.postings.entry(t).or_default().push(story.id.clone());
        }
        self.stories
            .insert(story.id.clone(), (story.clone(), index_terms.to_vec()));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::top_unit;

    fn profile(day: i32, terms: &[(Term, f32)]) -> Profile {
        Profile {
            day: Some(day),
            terms: top_unit(terms.to_vec(), 100),
            events: Vec::new(),
        }
    }

    #[test]
    fn similar_articles_join_and_others_open_stories() {
        let c = Clusterer::default();
        let mut index = MemoryIndex::new();
        let a = c.assign(
            &mut index,
            "a",
            &profile(100, &[(1, 1.0), (2, 1.0), (3, 1.0)]),
        );
        assert!(a.unwrap().opened);
        let b = c
            .assign(
                &mut index,
                "b",
                &profile(101, &[(1, 1.0), (2, 1.0), (4, 1.0)]),
            )
            .unwrap();
        assert_eq!(b.story, "a");
        assert!(!b.opened);
        // Same words, but a week later: a story of its own.
        let late = c
            .assign(
                &mut index,
                "c",
                &profile(110, &[(1, 1.0), (2, 1.0), (3, 1.0)]),
            )
            .unwrap();
        assert!(late.opened);
        let other = c
            .assign(&mut index, "d", &profile(101, &[(7, 1.0), (8, 1.0)]))
            .unwrap();
        assert!(other.opened);
        assert_eq!(index.len(), 3);
        assert_eq!(index.story("a").unwrap().size, 2);
        assert_eq!(index.story("a").unwrap().last_day, Some(101));
    }

    fn with_events(mut p: Profile, events: &[(Term, Term)]) -> Profile {
        p.events = events.to_vec();
        p.events.sort_unstable();
        p
    }

    #[test]
    fn shared_event_keys_join_and_other_days_of_one_slot_keep_apart() {
        let slot = 0xD << 60 | 1;
        let (monday, tuesday) = (0xE << 60 | 1, 0xE << 60 | 2);
        // Words alone are short of the threshold (cosine 0.5 less one day's penalty).
        let words = [(1, 1.0), (2, 1.0), (3, 1.0), (4, 1.0)];
        let near = [(1, 1.0), (2, 1.0), (5, 1.0), (6, 1.0)];
        let c = Clusterer::new(Settings {
            threshold: 0.55,
            ..Settings::default()
        });
        let mut index = MemoryIndex::new();
        c.assign(
            &mut index,
            "a",
            &with_events(profile(100, &words), &[(slot, monday)]),
        )
        .unwrap();
        let same = c
            .assign(
                &mut index,
                "b",
                &with_events(profile(101, &near), &[(slot, monday)]),
            )
            .unwrap();
        assert_eq!(same.story, "a", "the same event key joins");
        let story = index.story("a").unwrap();
        assert_eq!(
            story.centroid.iter().filter(|t| is_event_key(t.0)).count(),
            2
        );
        assert!(story.words().iter().all(|t| !is_event_key(t.0)));
        // The same words as the story, but the slot's event on another day.
        let c = Clusterer::new(Settings {
            threshold: 0.9,
            event_conflict: 0.2,
            ..Settings::default()
        });
        let other = c
            .assign(
                &mut index,
                "c",
                &with_events(profile(101, &words), &[(slot, tuesday)]),
            )
            .unwrap();
        assert!(other.opened, "the same slot on another day keeps apart");
    }

    #[test]
    fn a_story_spans_at_most_max_span_days() {
        let c = Clusterer::default();
        let mut index = MemoryIndex::new();
        let words = [(1, 1.0), (2, 1.0), (3, 1.0)];
        for (i, day) in [100, 102, 103].into_iter().enumerate() {
            let a = c
                .assign(&mut index, &format!("a{i}"), &profile(day, &words))
                .unwrap();
            assert_eq!(a.story, "a0");
        }
        // Within 3 days of the last article, but 4 after the first.
        let late = c.assign(&mut index, "late", &profile(104, &words)).unwrap();
        assert!(late.opened);
    }
}
