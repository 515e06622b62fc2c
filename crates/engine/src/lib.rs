//! The one way into a rased store. A location is a data directory (the embedded store:
//! SQLite and a tantivy index, `DIR/rased.sqlite` and `DIR/index`) or a PostgreSQL URL
//! (`postgres://…`: the store and its search in one shared database); [`Engine::open`] opens
//! either and hands out the store, the search backend, the analyzer and the ingest pipeline,
//! so that the CLI and the server never wire a data-directory layout themselves.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rased_analyze::{Analyzer, Limits};
use rased_extract::ExtractOptions;
use rased_ingest::{AnalysisFailure, AnalyzeFn, IngestError, IngestLock, Pipeline};
use rased_model::Article;
use rased_search::{SearchIndex, SearchQuery, SearchResults};
use rased_store::{Alert, AlertFilter, PgStore, SqliteStore, Store, WatchStore, Watchlist};

/// Where a store lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A data directory: the embedded store.
    Embedded(PathBuf),
    /// A PostgreSQL database URL.
    Postgres(String),
}

impl Location {
    /// `postgres://…` or `postgresql://…` is a database; anything else is a directory
    /// (`sqlite:DIR` names one explicitly).
    pub fn parse(location: &str) -> Location {
        let lower = location.to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            Location::Postgres(location.to_string())
        } else {
            let dir = location.strip_prefix("sqlite:").unwrap_or(location);
            Location::Embedded(PathBuf::from(dir))
        }
    }

    /// `--store` when given (non-empty), else the data directory `--data`.
    pub fn resolve(store: Option<&str>, data: &Path) -> Location {
        match store.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => Location::parse(s),
            None => Location::Embedded(data.to_path_buf()),
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Location::Postgres(_))
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Embedded(dir) => write!(f, "{}", dir.display()),
            Location::Postgres(url) => write!(f, "{}", redact(url)),
        }
    }
}

/// A URL without its password.
fn redact(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => match rest.split_once('@') {
            Some((user, host)) if user.contains(':') => {
                format!(
                    "{scheme}://{}:***@{host}",
                    user.split(':').next().unwrap_or("")
                )
            }
            _ => url.to_string(),
        },
        None => url.to_string(),
    }
}

/// Errors opening or using an engine, each with a stable code.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("{0}: no rased data here; run `rased ingest PATH --data {0}` first")]
    NoData(String),
    #[error(transparent)]
    Store(#[from] rased_store::StoreError),
    #[error(transparent)]
    Search(#[from] rased_search::SearchError),
    #[error(transparent)]
    Ingest(#[from] IngestError),
    #[error("loading the analysis resources: {0}")]
    Analysis(String),
}

impl EngineError {
    pub fn code(&self) -> &'static str {
        match self {
            EngineError::NoData(_) => "no_data",
            EngineError::Store(e) => e.code(),
            EngineError::Search(e) => e.code(),
            EngineError::Ingest(e) => e.code(),
            EngineError::Analysis(_) => "analysis_resources",
        }
    }
}

pub type Result<T> = std::result::Result<T, EngineError>;

/// How to open.
#[derive(Debug, Clone, Copy)]
pub struct OpenOptions {
    /// Connections for concurrent readers (SQLite) or in the pool (PostgreSQL).
    pub connections: usize,
    /// Refuse a data directory that has no store yet (reading commands), instead of creating
    /// one.
    pub must_exist: bool,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            connections: 1,
            must_exist: false,
        }
    }
}

// One engine per process: the size difference between the variants costs nothing.
#[allow(clippy::large_enum_variant)]
enum Backend {
    Embedded {
        store: SqliteStore,
        index: SearchIndex,
    },
    Postgres(PgStore),
}

/// An open store with its search.
pub struct Engine {
    location: Location,
    backend: Backend,
}

impl Engine {
    /// Opens the store at `location` (creating and migrating it as needed).
    pub fn open(location: &Location, options: OpenOptions) -> Result<Engine> {
        let backend = match location {
            Location::Embedded(dir) => {
                if options.must_exist && !dir.join("rased.sqlite").exists() {
                    return Err(EngineError::NoData(dir.display().to_string()));
                }
                let store = SqliteStore::open_with_connections(dir, options.connections)?;
                let index = SearchIndex::open(&dir.join("index"))?;
                Backend::Embedded { store, index }
            }
            Location::Postgres(url) => {
                Backend::Postgres(PgStore::open(url, options.connections.max(2) as u32)?)
            }
        };
        Ok(Engine {
            location: location.clone(),
            backend,
        })
    }

    pub fn location(&self) -> &Location {
        &self.location
    }

    /// The store, whichever backend holds it.
    pub fn store(&self) -> &dyn Store {
        match &self.backend {
            Backend::Embedded { store, .. } => store,
            Backend::Postgres(store) => store,
        }
    }

    /// The store's source-watching state (`rased watch`, `rased sources`), either backend.
    pub fn watch_store(&self) -> &dyn WatchStore {
        match &self.backend {
            Backend::Embedded { store, .. } => store,
            Backend::Postgres(store) => store,
        }
    }

    /// The embedded store, when that is the backend.
    pub fn sqlite(&self) -> Option<&SqliteStore> {
        match &self.backend {
            Backend::Embedded { store, .. } => Some(store),
            Backend::Postgres(_) => None,
        }
    }

    pub fn postgres(&self) -> Option<&PgStore> {
        match &self.backend {
            Backend::Postgres(store) => Some(store),
            Backend::Embedded { .. } => None,
        }
    }

    /// The embedded search index (`None` on PostgreSQL, where the store searches).
    pub fn index(&self) -> Option<&SearchIndex> {
        match &self.backend {
            Backend::Embedded { index, .. } => Some(index),
            Backend::Postgres(_) => None,
        }
    }

    /// The store and, when embedded, its index, by value (for `rased watch`, which shares
    /// them between threads).
    pub fn into_watch_parts(self) -> (Arc<dyn WatchStore>, Option<SearchIndex>) {
        match self.backend {
            Backend::Embedded { store, index } => (Arc::new(store), Some(index)),
            Backend::Postgres(store) => (Arc::new(store), None),
        }
    }

    /// Searches with rased's query syntax, on whichever backend holds the articles.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults> {
        Ok(match &self.backend {
            Backend::Embedded { index, .. } => index.search(q)?,
            Backend::Postgres(store) => store.search(q)?,
        })
    }

    /// How many articles search sees.
    pub fn indexed_documents(&self) -> Result<u64> {
        Ok(match &self.backend {
            Backend::Embedded { index, .. } => index.len(),
            Backend::Postgres(store) => store.stats()?.articles,
        })
    }

    /// Makes what other writers committed visible to this handle's searches.
    pub fn reload(&self) -> Result<()> {
        if let Backend::Embedded { index, .. } = &self.backend {
            index.reload()?;
        }
        Ok(())
    }

    /// Holds the data directory's ingest lock (one writer per directory); PostgreSQL needs
    /// none (concurrent writers are the point), so `None` there.
    pub fn lock_ingest(&self) -> Result<Option<IngestLock>> {
        match &self.location {
            Location::Embedded(dir) => Ok(Some(IngestLock::acquire(dir)?)),
            Location::Postgres(_) => Ok(None),
        }
    }

    /// The ingest pipeline into this store, with `analyze` as its analysis.
    pub fn pipeline<'a>(
        &'a self,
        analyze: &'a AnalyzeFn<'a>,
        extract_options: ExtractOptions,
    ) -> Pipeline<'a, dyn Store + 'a> {
        Pipeline {
            store: self.store(),
            index: self.index(),
            analyze,
            extract_options,
        }
    }

    /// Adds a watchlist; `false` when one of that name exists.
    pub fn add_watchlist(&self, w: &Watchlist) -> Result<bool> {
        Ok(match &self.backend {
            Backend::Embedded { store, .. } => store.add_watchlist(w)?,
            Backend::Postgres(store) => store.add_watchlist(w)?,
        })
    }

    pub fn watchlists(&self) -> Result<Vec<Watchlist>> {
        Ok(match &self.backend {
            Backend::Embedded { store, .. } => store.watchlists()?,
            Backend::Postgres(store) => store.watchlists()?,
        })
    }

    /// Removes a watchlist and its alerts; `false` when there was none of that name.
    pub fn remove_watchlist(&self, name: &str) -> Result<bool> {
        Ok(match &self.backend {
            Backend::Embedded { store, .. } => store.remove_watchlist(name)?,
            Backend::Postgres(store) => store.remove_watchlist(name)?,
        })
    }

    /// Alerts, newest first.
    pub fn alerts(&self, filter: &AlertFilter) -> Result<Vec<Alert>> {
        Ok(match &self.backend {
            Backend::Embedded { store, .. } => store.alerts(filter)?,
            Backend::Postgres(store) => store.alerts(filter)?,
        })
    }

    /// Deletes everything the store holds (PostgreSQL only: tests and benchmarks reuse a
    /// database; a data directory is simply removed).
    pub fn clear(&self) -> Result<()> {
        if let Backend::Postgres(store) = &self.backend {
            store.clear()?;
        }
        Ok(())
    }
}

/// The analyzer with the analysis limits of the environment (`RASED_MAX_*`).
pub fn analyzer() -> Result<Analyzer> {
    let limits = Limits::from_env().map_err(EngineError::Analysis)?;
    Analyzer::with_limits(limits).map_err(|e| EngineError::Analysis(e.to_string()))
}

/// The pipeline's analysis step over an analyzer: entities, events and keyphrases, with the
/// analyzer's refusal (too complex) as the article's failure.
pub fn analyze_with(
    analyzer: &Analyzer,
) -> impl Fn(&mut Article) -> std::result::Result<(), AnalysisFailure> + Sync + '_ {
    move |a: &mut Article| {
        analyzer.analyze(a).map_err(|e| AnalysisFailure {
            code: e.code(),
            reason: e.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_parse_urls_and_directories() {
        assert!(Location::parse("postgres://u@h/db").is_postgres());
        assert!(Location::parse("PostgreSQL://u@h/db").is_postgres());
        assert_eq!(
            Location::parse("sqlite:/tmp/x"),
            Location::Embedded("/tmp/x".into())
        );
        assert_eq!(
            Location::resolve(Some(" "), Path::new("d")),
            Location::Embedded("d".into())
        );
        assert_eq!(
            Location::parse("postgres://u:secret@h/db").to_string(),
            "postgres://u:***@h/db"
        );
    }

    #[test]
    fn an_embedded_engine_stores_and_searches_and_refuses_a_missing_directory() {
        let dir = tempfile::tempdir().unwrap();
        let missing = Location::Embedded(dir.path().join("none"));
        let must = OpenOptions {
            must_exist: true,
            ..Default::default()
        };
        match Engine::open(&missing, must) {
            Err(e) => assert_eq!(e.code(), "no_data"),
            Ok(_) => panic!("opened a directory that has no store"),
        }
        let engine =
            Engine::open(&Location::Embedded(dir.path().into()), Default::default()).unwrap();
        let none = |_: &mut Article| Ok(());
        let pipeline = engine.pipeline(&none, ExtractOptions::default());
        let page = dir.path().join("a.jsonl");
        std::fs::write(
            &page,
            "{\"title\":\"قالين في ليبيا\",\"body\":\"التقى رئيس الاستخبارات التركية إبراهيم قالين بالمشير خليفة حفتر في بنغازي.\"}\n",
        )
        .unwrap();
        let summary = pipeline.run(&[page], &rased_ingest::Quiet).unwrap();
        assert_eq!(summary.new_articles, 1);
        engine.reload().unwrap();
        let hits = engine
            .search(&SearchQuery {
                text: "كالين".into(),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(hits.total, 1);
        assert_eq!(engine.indexed_documents().unwrap(), 1);
    }
}
