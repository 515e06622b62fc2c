//! Online clustering: each article joins the best matching recent story or opens one.

use rustc_hash::FxHashMap;

use crate::profile::{top_unit, Profile, Term};

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
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            threshold: 0.325,
            day_penalty: 0.05,
            window_days: 3,
            lead_words: 80,
            title_weight: 2.0,
            entity_weight: 0.5,
            max_terms: 60,
            centroid_terms: 80,
            index_terms: 12,
            max_candidates: 64,
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
    /// Sum of the members' profiles (its strongest `centroid_terms`), sorted by term.
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
            if !story.in_window(profile.day, s.window_days) {
                continue;
            }
            let sim = profile.cosine(&unit(&story.centroid))
                - s.day_penalty * story.days_from(profile.day) as f32;
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
                    centroid: profile.terms.clone(),
                },
                1.0,
                true,
            ),
        };
        index.put(&story, &strongest(&story.centroid, s.index_terms))?;
        Ok(Assignment {
            story: story.id,
            similarity,
            opened,
        })
    }

    fn join(&self, mut story: StoryState, profile: &Profile) -> StoryState {
        let mut sum: FxHashMap<Term, f32> = story.centroid.iter().copied().collect();
        for &(t, w) in &profile.terms {
            *sum.entry(t).or_default() += w;
        }
        let mut terms: Vec<(Term, f32)> = sum.into_iter().collect();
        terms.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        terms.truncate(self.settings.centroid_terms);
        terms.sort_by_key(|t| t.0);
        story.centroid = terms;
        story.size += 1;
        if let Some(d) = profile.day {
            story.first_day = Some(story.first_day.map_or(d, |f| f.min(d)));
            story.last_day = Some(story.last_day.map_or(d, |l| l.max(d)));
        }
        story
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

fn unit(terms: &[(Term, f32)]) -> Vec<(Term, f32)> {
    top_unit(terms.to_vec(), usize::MAX)
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

    fn profile(day: i32, terms: &[(Term, f32)]) -> Profile {
        Profile {
            day: Some(day),
            terms: top_unit(terms.to_vec(), 100),
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
}
