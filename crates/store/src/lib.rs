//! The rased store.
//!
//! [`Store`] is what everything above the store sees; [`SqliteStore`] is the embedded
//! implementation (one SQLite file, WAL mode, versioned migrations) that needs no server. A
//! PostgreSQL implementation can later sit behind the same trait.
//!
//! Identity is by content: an input is recognized by the hash of its bytes, an article by its
//! `id` (a hash of normalized title and body), so ingesting the same thing twice changes
//! nothing. Each input is written in one transaction together with its "done" mark: a crash
//! leaves either all of an input or none of it, and a re-run resumes where it stopped.

mod dedup;
mod schema;
mod sqlite;

pub use dedup::{distance, simhash};
pub use sqlite::SqliteStore;

use rased_model::Article;
use serde::Serialize;

/// Errors of the store, with stable codes for the CLI and the HTTP API.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: the data directory was written by a newer rased (schema {found}, this build knows up to {supported}); upgrade rased")]
    NewerSchema {
        path: String,
        found: i64,
        supported: i64,
    },
    #[error("{path}: {reason}")]
    Open { path: String, reason: String },
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("stored JSON is invalid: {0}")]
    Json(#[from] serde_json::Error),
}

impl StoreError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::NewerSchema { .. } => "store_newer_schema",
            StoreError::Open { .. } => "store_open",
            StoreError::Sqlite(e) if is_write_error(e) => "store_write",
            StoreError::Sqlite(_) => "store_database",
            StoreError::Json(_) => "store_json",
        }
    }
}

/// Errors that mean the database file could not be written: a full disk, a file size limit
/// (`ulimit -f`), a read-only file or directory. SQLite rolls the transaction back, so the
/// store stays as it was before the failing write.
fn is_write_error(e: &rusqlite::Error) -> bool {
    use rusqlite::ErrorCode::*;
    matches!(
        e.sqlite_error_code(),
        Some(DiskFull | SystemIoFailure | ReadOnly | CannotOpen | FileLockingProtocolFailed)
    )
}

impl StoreError {
    /// Whether the error means the data directory cannot be written (full disk, file size
    /// limit, read-only): nothing the next input would fix.
    pub fn is_write_error(&self) -> bool {
        matches!(self, StoreError::Sqlite(e) if is_write_error(e))
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// An input (file, record stream) as the ingest pipeline saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputRecord {
    /// Path or name (`-` for stdin).
    pub name: String,
    /// Hash of the input's bytes: the identity that makes re-ingest a no-op.
    pub content_hash: String,
}

/// What storing one input did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PutOutcome {
    /// Articles new to the store.
    pub new_articles: usize,
    /// Articles already there (the same id from another input or an earlier run).
    pub duplicate_articles: usize,
    /// New articles that joined the story of an earlier near-duplicate.
    pub near_duplicates: usize,
    pub entities: usize,
    pub events: usize,
}

/// An input that could not be processed, with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    pub input: String,
    pub code: String,
    pub reason: String,
    pub at: String,
}

/// Counts over the whole store.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub inputs: u64,
    pub articles: u64,
    pub entities: u64,
    pub mentions: u64,
    pub events: u64,
    pub failures: u64,
    /// Near-duplicate groups (an article alone is a story of one).
    pub stories: u64,
}

/// An entity as stored, with how often it is mentioned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntityRecord {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub mentions: u64,
    pub articles: u64,
}

/// A stored event with the article that reports it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventRecord {
    pub article: String,
    pub published: Option<String>,
    pub outlet: Option<String>,
    pub event: rased_model::Event,
    /// How many articles report this same event (type, resolved actors and recipients, date
    /// within a day).
    pub reports: u64,
    /// The key shared by all reports of the event, when its participants are resolved.
    pub group: Option<String>,
}

/// A filter for listing articles (newest first) or the stories they belong to.
#[derive(Debug, Clone, Default)]
pub struct ArticleFilter {
    pub outlet: Option<String>,
    pub entity: Option<String>,
    /// ISO dates, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: usize,
    pub offset: usize,
}

/// A filter for listing events.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// PLOVER event type.
    pub kind: Option<String>,
    /// An entity id among the actors, recipients or place.
    pub entity: Option<String>,
    /// The place: an entity id, or text contained in the place's name.
    pub place: Option<String>,
    /// ISO dates, inclusive, on the event's date (the article's date when it has none).
    pub from: Option<String>,
    pub to: Option<String>,
    /// How the text presents the event (`asserted`, `negated`, `future`, `background`, …);
    /// `asserted` also matches events coded before modality existed.
    pub modality: Option<String>,
    /// 0 means no limit.
    pub limit: usize,
    pub offset: usize,
    pub newest_first: bool,
}

/// An article in a list: enough to show and link it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleSummary {
    pub id: String,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub published: Option<String>,
}

/// A story: the articles that carry the same text (near-duplicates across outlets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoryRecord {
    /// The id of the story's first article.
    pub id: String,
    pub articles: u64,
    /// Articles per outlet, most first.
    pub outlets: Vec<(String, u64)>,
    pub first_published: Option<String>,
    pub last_published: Option<String>,
    /// The story's first article.
    pub lead: ArticleSummary,
}

/// The storage contract of rased.
pub trait Store: Send + Sync {
    /// Has an input with this content hash been stored completely?
    fn input_done(&self, content_hash: &str) -> Result<bool>;
    /// Stores the articles of one input and marks it done, atomically.
    fn put_input(&self, input: &InputRecord, articles: &[Article]) -> Result<PutOutcome>;
    /// Records an input that failed, with its reason; re-recording the same input and reason
    /// keeps one row.
    fn record_failure(&self, input: &str, code: &str, reason: &str) -> Result<()>;
    fn failures(&self) -> Result<Vec<Failure>>;
    fn article(&self, id: &str) -> Result<Option<Article>>;
    fn articles(&self, filter: &ArticleFilter) -> Result<Vec<Article>>;
    /// The highest article sequence number (articles are numbered in the order stored).
    fn max_seq(&self) -> Result<i64>;
    /// Up to `limit` articles stored after sequence number `seq`, in order.
    fn articles_after_seq(&self, seq: i64, limit: usize) -> Result<Vec<(i64, Article)>>;
    /// The story (near-duplicate group) of an article: the id of its first member.
    fn story_of(&self, article: &str) -> Result<Option<String>>;
    /// Articles of a story, in ingest order.
    fn story_members(&self, story: &str) -> Result<Vec<String>>;
    fn stats(&self) -> Result<Stats>;
    /// Outlets with their article counts, most articles first.
    fn outlets(&self) -> Result<Vec<(String, u64)>>;
    /// "Read also": other articles ranked by shared entities (rare ones weigh more) and by
    /// being in the same near-duplicate story.
    fn related_articles(&self, id: &str, limit: usize) -> Result<Vec<(String, f64)>>;
    fn entity(&self, id: &str) -> Result<Option<EntityRecord>>;
    /// Entities whose name or an alias equals `name` (after normalization), most mentioned
    /// first.
    fn find_entities(&self, name: &str) -> Result<Vec<EntityRecord>>;
    /// Entities most mentioned, optionally of one type (`PER`, `ORG`, `LOC`, `MISC`), `limit`
    /// of them from `offset`.
    fn entities(
        &self,
        kind: Option<&str>,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<EntityRecord>>;
    /// Entities that share articles with `id`, with the number of shared articles.
    fn cooccurring(&self, id: &str, limit: usize) -> Result<Vec<(EntityRecord, u64)>>;
    /// For each pair of the given entities that share articles: the two ids (in order) and
    /// how many articles they share.
    fn links_among(&self, ids: &[String]) -> Result<Vec<(String, String, u64)>>;
    /// Mentions of an entity per month (`YYYY-MM`), in order.
    fn mentions_by_month(&self, id: &str) -> Result<Vec<(String, u64)>>;
    /// Events matching a filter, oldest first unless `newest_first`.
    fn find_events(&self, filter: &EventFilter) -> Result<Vec<EventRecord>>;
    /// Events, optionally of one type and/or involving one entity, oldest first.
    fn events(
        &self,
        event_type: Option<&str>,
        entity: Option<&str>,
        limit: usize,
    ) -> Result<Vec<EventRecord>> {
        self.find_events(&EventFilter {
            kind: event_type.map(str::to_string),
            entity: entity.map(str::to_string),
            limit,
            ..Default::default()
        })
    }
    /// The articles that report the events of one group (the same real-world event), in
    /// ingest order.
    fn event_reports(&self, group: &str) -> Result<Vec<ArticleSummary>>;
    /// How many events match a filter (paging ignored), by month (`YYYY-MM`) and type, in
    /// month order: the data of a timeline.
    fn event_months(&self, filter: &EventFilter) -> Result<Vec<(String, String, u64)>>;
    /// Stories with an article matching the filter, the most recently updated first.
    fn stories(&self, filter: &ArticleFilter) -> Result<Vec<StoryRecord>>;
    /// One story with its articles in ingest order.
    fn story(&self, id: &str) -> Result<Option<(StoryRecord, Vec<ArticleSummary>)>>;
}
