//! The rased store.
//!
//! [`Store`] is what everything above the store sees; [`SqliteStore`] is the embedded
//! implementation (one SQLite file, WAL mode, versioned migrations) that needs no server;
//! [`PgStore`] is the same trait over a shared PostgreSQL database, for many ingest workers
//! and stateless API servers (with its own search: rased's lexemes in a `tsvector`).
//!
//! Identity is by content: an input is recognized by the hash of its bytes, an article by its
//! `id` (a hash of normalized title and body), so ingesting the same thing twice changes
//! nothing. Each input is written in one transaction together with its "done" mark: a crash
//! leaves either all of an input or none of it, and a re-run resumes where it stopped.

mod dedup;
mod matching;
mod pg;
mod schema;
mod sqlite;
mod stories;

pub use dedup::{distance, simhash};
pub use matching::watchlist_matches;
pub use pg::{fresh_database, PgStore};
pub use sqlite::watch::unix_now;
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
    #[error("PostgreSQL: {}", pg_message(.0))]
    Postgres(#[from] ::postgres::Error),
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
            StoreError::Postgres(e) if pg_write_error(e) => "store_write",
            StoreError::Postgres(_) => "store_database",
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
        match self {
            StoreError::Sqlite(e) => is_write_error(e),
            StoreError::Postgres(e) => pg_write_error(e),
            _ => false,
        }
    }
}

/// PostgreSQL errors that mean the database cannot be written: disk full (53100), out of
/// memory or connections (53xxx), read-only transaction (25006).
fn pg_write_error(e: &::postgres::Error) -> bool {
    e.code().is_some_and(|c| {
        let c = c.code();
        c.starts_with("53") || c == "25006"
    })
}

/// The server's message with its detail, or the client's error.
fn pg_message(e: &::postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => e.to_string(),
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
    /// New articles that are near-duplicates (copies) of an earlier article.
    pub near_duplicates: usize,
    /// New articles that joined an earlier article's story (copies included).
    pub joined_stories: usize,
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
    /// Stories across outlets (an article alone is a story of one).
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
    /// In a story's members: the earlier article this one is a near-duplicate copy of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copy_of: Option<String>,
}

/// A story: every outlet's report of the same news (its near-duplicate copies included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoryRecord {
    /// The id of the story's first article.
    pub id: String,
    /// The most central of the members' titles (`rased_stories::central_title`).
    pub label: Option<String>,
    pub articles: u64,
    /// Members that are near-duplicates of an earlier member (one wire text republished).
    pub copies: u64,
    /// Articles per outlet, most first.
    pub outlets: Vec<(String, u64)>,
    pub first_published: Option<String>,
    pub last_published: Option<String>,
    /// The story's first article.
    pub lead: ArticleSummary,
}

/// A story's full coverage (`Store::story_detail`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryDetail {
    pub story: StoryRecord,
    /// Every report, newest first.
    pub articles: Vec<ArticleSummary>,
    /// The entities the reports name, those named by most reports first.
    pub entities: Vec<StoryEntity>,
    /// The events the reports code, one per real-world event (same type, resolved
    /// participants and day), those reported most first.
    pub events: Vec<StoryEvent>,
    /// Reports per day, oldest first.
    pub timeline: Vec<StoryDay>,
}

/// An entity in a story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoryEntity {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    /// Reports naming it.
    pub reports: u64,
    /// Mentions over all reports.
    pub mentions: u64,
}

/// An event in a story, with the reports that code it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryEvent {
    /// The first report's coding of it.
    pub event: rased_model::Event,
    /// The first report coding it.
    pub article: String,
    pub reports: u64,
}

/// One day of a story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoryDay {
    /// `YYYY-MM-DD`, or empty for undated reports.
    pub day: String,
    pub articles: u64,
    /// The day's outlets, in the order their reports were stored.
    pub outlets: Vec<String>,
}

/// The health and schedule of a watched source (`rased watch`, `rased sources`). Times are
/// Unix seconds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SourceHealth {
    pub url: String,
    /// `feed`, `sitemap`, `sitemap_index` or `page`, once known.
    pub kind: Option<String>,
    pub last_poll: Option<i64>,
    pub last_success: Option<i64>,
    /// `ok`, `not_modified` or the failure code of the last poll.
    pub last_status: Option<String>,
    pub last_error: Option<String>,
    /// Article links found over all polls.
    pub items_found: u64,
    /// Articles fetched and ingested as new over all polls.
    pub new_items: u64,
    pub polls: u64,
    /// Polls that failed.
    pub errors: u64,
    pub consecutive_errors: u64,
    /// The source's current polling interval (adaptive).
    pub interval_s: Option<i64>,
    pub next_poll: Option<i64>,
}

/// What one poll of a source did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PollRecord {
    pub url: String,
    pub kind: Option<String>,
    pub ok: bool,
    pub status: String,
    pub error: Option<String>,
    pub items_found: u64,
    pub new_items: u64,
    pub interval_s: i64,
    pub next_poll: i64,
}

/// The validators of an HTTP answer, sent back as `If-None-Match` / `If-Modified-Since`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HttpValidators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A standing question over what comes in: every condition set must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Watchlist {
    pub name: String,
    /// Words and `"phrases"`, matched as search matches them.
    pub query: Option<String>,
    /// An entity id, or a name in any spelling.
    pub entity: Option<String>,
    /// A PLOVER event type.
    pub event_type: Option<String>,
    /// A place: an entity id or a name (event place, dateline or a mentioned place).
    pub place: Option<String>,
    pub outlet: Option<String>,
    /// Receives each alert as a JSON POST.
    pub webhook: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
}

/// A watchlist matched an article (once per watchlist and article).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alert {
    pub id: i64,
    pub watchlist: String,
    pub article: String,
    pub url: Option<String>,
    pub title: Option<String>,
    /// What matched, one reason per condition, `; `-separated.
    pub matched: String,
    /// Unix seconds.
    pub at: i64,
    pub delivered_at: Option<i64>,
    pub attempts: u32,
    pub last_error: Option<String>,
}

/// Which alerts to list.
#[derive(Debug, Clone, Default)]
pub struct AlertFilter {
    pub watchlist: Option<String>,
    /// Unix seconds, inclusive.
    pub since: Option<i64>,
    /// 0 means no limit.
    pub limit: usize,
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
    /// The story of an article (every outlet's report of the same news): the id of its first
    /// member.
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
    /// One story's full coverage: its record, every report newest first, the entities and
    /// events the reports share with their report counts, and a timeline by day.
    fn story_detail(&self, id: &str) -> Result<Option<StoryDetail>> {
        stories::detail(self, id)
    }
    /// Reclusters every stored article into stories, in ingest order, as online ingest would
    /// have (after a change of the clustering); returns the number of articles and stories.
    fn rebuild_stories(&self) -> Result<(u64, u64)>;
    /// Matches the watchlists against the articles stored after sequence `after_seq`,
    /// recording one alert per watchlist and article; returns how many alerts are new. The
    /// ingest pipeline calls it after each batch it stores. A store without watchlists
    /// matches nothing.
    fn match_watchlists(&self, after_seq: i64) -> Result<usize> {
        let _ = after_seq;
        Ok(0)
    }
}

/// The state `rased watch` keeps in the store, on either backend: each source's health and
/// schedule, the HTTP validators of feeds and sitemaps (conditional GET, a sitemap index's
/// children), the article URLs handled with their retries, and webhook delivery of alerts.
/// Times are Unix seconds.
pub trait WatchStore: Store {
    /// Makes sure a source has a row (a source listed but never polled shows in `rased
    /// sources`).
    fn ensure_source(&self, url: &str) -> Result<()>;
    fn source(&self, url: &str) -> Result<Option<SourceHealth>>;
    /// Every source, in URL order.
    fn sources(&self) -> Result<Vec<SourceHealth>>;
    /// Records one poll of a source: its counters, its status and its next poll.
    fn record_poll(&self, p: &PollRecord) -> Result<()>;
    /// The `ETag` and `Last-Modified` of the last answer for `url`.
    fn validators(&self, url: &str) -> Result<Option<HttpValidators>>;
    fn set_validators(&self, url: &str, v: &HttpValidators) -> Result<()>;
    /// Remembers the child sitemaps of a sitemap index.
    fn set_children(&self, url: &str, children: &[String]) -> Result<()>;
    /// The child sitemaps last listed by the sitemap index at `url`.
    fn children(&self, url: &str) -> Result<Vec<String>>;
    /// Of the article URLs a poll of `source` found, those to fetch: never seen, or failed
    /// with a passing error whose retry time has come (fewer than `max_attempts` tries); the
    /// source's own due retries come too, even when the source no longer lists them.
    fn urls_to_fetch(
        &self,
        source: &str,
        found: &[String],
        max_attempts: u32,
    ) -> Result<Vec<String>>;
    /// Records what became of an article URL: `done`, `failed` (for good) or `retry` (tried
    /// again after `retry_in_s` seconds).
    fn mark_url(
        &self,
        url: &str,
        source: &str,
        state: &str,
        code: Option<&str>,
        retry_in_s: i64,
    ) -> Result<()>;
    /// How many tries an article URL has had (0 when never seen).
    fn url_attempts(&self, url: &str) -> Result<u32>;
    /// Alerts of watchlists with a webhook not delivered yet, with fewer than
    /// `max_attempts` tries, oldest first, with their webhook.
    fn pending_webhooks(&self, max_attempts: u32) -> Result<Vec<(Alert, String)>>;
    /// Claims for delivery, atomically, up to `limit` pending alerts (as
    /// [`pending_webhooks`](Self::pending_webhooks), after alert id `after`) that no one
    /// holds: each is leased to the caller for `lease`, so that writers delivering at once
    /// (workers, `rased ingest`, `rased watch`) never post one alert twice; a lease that
    /// runs out (its holder died) lets the next claim take the alert again. Oldest first,
    /// with their webhook.
    fn claim_webhooks(
        &self,
        max_attempts: u32,
        lease: std::time::Duration,
        after: i64,
        limit: usize,
    ) -> Result<Vec<(Alert, String)>>;
    /// Gives back a claimed alert without a try (the next claim may take it).
    fn release_webhook(&self, alert: i64) -> Result<()>;
    /// Records a webhook delivery: `None` for success, else the error; the alert's claim
    /// ends.
    fn record_delivery(&self, alert: i64, error: Option<&str>) -> Result<()>;
}

/// A lease in whole seconds, at least one.
pub(crate) fn lease_secs(lease: std::time::Duration) -> i64 {
    (lease.as_secs() + u64::from(lease.subsec_nanos() > 0)).clamp(1, i64::MAX as u64) as i64
}
