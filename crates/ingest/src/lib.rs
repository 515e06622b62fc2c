//! The ingest pipeline: inputs → extract → analyze → store + index.
//!
//! * Streaming: articles are taken from the extractor in batches of [`BATCH`], so memory stays
//!   bounded whatever the input size (a 40k-article JSON Lines file or a large WARC).
//! * Parallel: each batch is analyzed on all cores (rayon); storing is one writer.
//! * Idempotent: a batch's identity is the hash of its input plus its position; the store
//!   marks it done in the same transaction that writes its articles, so a batch already
//!   stored is skipped without analysis, and article ids dedupe copies across inputs.
//! * Crash-safe: SQLite is the source of truth. The search index commits carry the highest
//!   article sequence they contain; on start, articles stored after the index's last commit
//!   are re-indexed, so a kill at any moment loses nothing and duplicates nothing.
//! * Failures: every input or record that fails is recorded with its code and reason.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

pub use rased_search::IndexWriter;

use rased_extract::{ExtractError, ExtractOptions, Input};
use rased_model::Article;
use rased_search::SearchIndex;
use rased_store::{InputRecord, Store};
use rayon::prelude::*;

/// Articles per batch (one store transaction, one parallel analysis).
pub const BATCH: usize = 128;

/// Errors that stop an ingest (input errors do not: they are recorded and skipped).
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Store(#[from] rased_store::StoreError),
    #[error(transparent)]
    Search(#[from] rased_search::SearchError),
    #[error("{0}: another ingest is running into this data directory; wait for it to finish")]
    Busy(String),
    #[error("{path}: {reason}")]
    Lock { path: String, reason: String },
}

impl IngestError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            IngestError::Store(e) => e.code(),
            IngestError::Search(e) => e.code(),
            IngestError::Busy(_) => "ingest_busy",
            IngestError::Lock { .. } => "ingest_lock",
        }
    }
}

/// Holds `DIR/ingest.lock` while alive: a second ingest into the same data directory (from
/// the CLI or the server) is refused instead of interleaving writes. The OS releases the lock
/// when the process dies, so a killed ingest never leaves a stale lock.
pub struct IngestLock(#[allow(dead_code)] File);

impl IngestLock {
    pub fn acquire(dir: &Path) -> Result<Self, IngestError> {
        let lock_error = |path: &Path, e: std::io::Error| IngestError::Lock {
            path: path.display().to_string(),
            reason: e.to_string(),
        };
        std::fs::create_dir_all(dir).map_err(|e| lock_error(dir, e))?;
        let path = dir.join("ingest.lock");
        let file = File::create(&path).map_err(|e| lock_error(&path, e))?;
        match file.try_lock() {
            Ok(()) => Ok(IngestLock(file)),
            Err(std::fs::TryLockError::WouldBlock) => {
                Err(IngestError::Busy(dir.display().to_string()))
            }
            Err(std::fs::TryLockError::Error(e)) => Err(lock_error(&path, e)),
        }
    }
}

/// What an ingest did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub inputs: usize,
    pub batches_skipped: usize,
    pub articles_seen: usize,
    pub new_articles: usize,
    pub duplicates: usize,
    pub near_duplicates: usize,
    pub entities: usize,
    pub events: usize,
    pub failures: usize,
    /// New watchlist alerts raised by the new articles.
    pub alerts: usize,
}

/// What ingesting one fetched page did ([`Pipeline::ingest_page`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageOutcome {
    pub articles_seen: usize,
    pub new_articles: usize,
    pub duplicates: usize,
    pub alerts: usize,
    /// The extraction failures (code, message), already recorded.
    pub failures: Vec<(String, String)>,
}

/// Progress reports for a terminal or a log.
pub trait Progress {
    fn input_started(&self, _name: &str) {}
    fn articles_done(&self, _n: usize) {}
    fn failure(&self, _error: &str) {}
}

/// A progress sink that reports nothing.
pub struct Quiet;
impl Progress for Quiet {}

/// Why the analysis refused an article (it is too complex to analyze within the limits): the
/// article is not stored, and the failure is recorded against its input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalysisFailure {
    /// A stable code (`too_complex`).
    pub code: &'static str,
    /// One line: why.
    pub reason: String,
}

/// The analysis of one article, as the pipeline calls it (in parallel).
pub type AnalyzeFn<'a> = dyn Fn(&mut Article) -> Result<(), AnalysisFailure> + Sync + 'a;

/// The pipeline over one store.
pub struct Pipeline<'a, S: Store + ?Sized> {
    pub store: &'a S,
    /// The embedded search index the pipeline keeps up to date; `None` when the store
    /// indexes each article in the transaction that stores it (PostgreSQL).
    pub index: Option<&'a SearchIndex>,
    /// Fills entities, events and keyphrases of an article (runs in parallel).
    pub analyze: &'a AnalyzeFn<'a>,
    pub extract_options: ExtractOptions,
}

impl<S: Store + ?Sized> Pipeline<'_, S> {
    /// Ingests every input under `paths`.
    pub fn run(&self, paths: &[PathBuf], progress: &dyn Progress) -> Result<Summary, IngestError> {
        let mut summary = Summary::default();
        self.catch_up_index()?;
        let mut writer = match self.index {
            Some(index) => Some(index.writer()?),
            None => None,
        };
        for input in rased_extract::inputs(paths) {
            let input = match input {
                Ok(i) => i,
                Err(e) => {
                    self.fail(&e, &mut summary, progress)?;
                    continue;
                }
            };
            summary.inputs += 1;
            progress.input_started(input.name());
            self.ingest_input(&input, writer.as_ref(), &mut summary, progress)?;
            self.commit_optional(writer.as_mut())?;
        }
        self.commit_optional(writer.as_mut())?;
        Ok(summary)
    }

    /// Ingests one input (a file, a stream, one unit of distributed work) into the store and,
    /// when given, the index writer's next commit.
    pub fn ingest_input(
        &self,
        input: &Input,
        writer: Option<&IndexWriter>,
        summary: &mut Summary,
        progress: &dyn Progress,
    ) -> Result<(), IngestError> {
        let reader: Box<dyn Read> = match input.open() {
            Ok(r) => r,
            Err(e) => return self.fail(&e, summary, progress),
        };
        let name = input.name().to_string();
        let mut batch: Vec<Article> = Vec::with_capacity(BATCH);
        let mut errors: Vec<ExtractError> = Vec::new();
        let mut batch_no = 0usize;
        let mut result: Result<(), IngestError> = Ok(());
        rased_extract::extract_stream(
            &name,
            reader,
            &self.extract_options,
            |article| {
                if result.is_err() {
                    return;
                }
                batch.push(article);
                if batch.len() == BATCH {
                    let full = std::mem::take(&mut batch);
                    result = self.store_batch(&name, batch_no, full, writer, summary, progress);
                    batch_no += 1;
                }
            },
            |e| errors.push(e),
        );
        result?;
        if !batch.is_empty() {
            self.store_batch(&name, batch_no, batch, writer, summary, progress)?;
        }
        for e in errors {
            if !e.is_warning() {
                self.fail(&e, summary, progress)?;
            }
        }
        Ok(())
    }

    /// A batch is keyed by its input, its position and the content hashes (ids) of its
    /// articles: re-reading an unchanged input gives the same keys, a changed one new keys.
    fn store_batch(
        &self,
        name: &str,
        batch_no: usize,
        articles: Vec<Article>,
        writer: Option<&IndexWriter>,
        summary: &mut Summary,
        progress: &dyn Progress,
    ) -> Result<(), IngestError> {
        let ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
        let key = format!(
            "{name}#{batch_no}:{}",
            rased_extract::stable_hash(ids.join(",").as_bytes())
        );
        let mut articles = articles;
        summary.articles_seen += articles.len();
        if self.store.input_done(&key)? {
            summary.batches_skipped += 1;
            summary.duplicates += articles.len();
            progress.articles_done(articles.len());
            return Ok(());
        }
        let outcomes: Vec<Result<(), AnalysisFailure>> =
            articles.par_iter_mut().map(|a| (self.analyze)(a)).collect();
        let mut kept = Vec::with_capacity(articles.len());
        for (a, outcome) in articles.into_iter().zip(outcomes) {
            match outcome {
                Ok(()) => kept.push(a),
                Err(f) => {
                    // Recorded before the batch is marked done (a crash in between records it
                    // again on the rerun, an upsert) and under the article's own name: the
                    // batch's success clears the failures of its input, not of its articles.
                    let reason = format!("{name}: article {}: {}", a.id, f.reason);
                    summary.failures += 1;
                    progress.failure(&reason);
                    let article = format!("{name}#article-{}", a.id);
                    self.store.record_failure(&article, f.code, &reason)?;
                }
            }
        }
        let articles = kept;
        let record = InputRecord {
            name: name.to_string(),
            content_hash: key,
        };
        let before = self.store.max_seq()?;
        let outcome = self.store.put_input(&record, &articles)?;
        if outcome.new_articles > 0 {
            summary.alerts += self.store.match_watchlists(before)?;
        }
        summary.new_articles += outcome.new_articles;
        summary.duplicates += outcome.duplicate_articles;
        summary.near_duplicates += outcome.near_duplicates;
        summary.entities += outcome.entities;
        summary.events += outcome.events;
        if let (Some(index), Some(writer)) = (self.index, writer) {
            for a in &articles {
                index.add(writer, a)?;
            }
        }
        progress.articles_done(articles.len());
        Ok(())
    }

    /// Ingests articles already extracted as one input named `name`, through the same
    /// batches, analysis, idempotence and watchlist matching as files. With an embedded
    /// index, `writer` takes the articles for its next commit, which the caller makes
    /// ([`Pipeline::commit`]); `None` on a store that indexes as it stores (PostgreSQL).
    pub fn ingest_articles(
        &self,
        name: &str,
        articles: Vec<Article>,
        writer: Option<&IndexWriter>,
        progress: &dyn Progress,
    ) -> Result<Summary, IngestError> {
        let mut summary = Summary {
            inputs: 1,
            ..Default::default()
        };
        let mut articles = articles;
        let mut batch_no = 0;
        while !articles.is_empty() {
            let rest = articles.split_off(articles.len().min(BATCH));
            let batch = std::mem::replace(&mut articles, rest);
            self.store_batch(name, batch_no, batch, writer, &mut summary, progress)?;
            batch_no += 1;
        }
        Ok(summary)
    }

    /// Extracts and ingests a page fetched from `url` (named `name`: the address asked for;
    /// `content_type` as the server sent it) — what `rased watch` does with each article
    /// page, here or on a `rased worker` that took the page from the queue. Extraction
    /// errors are recorded as failures of `name` and returned; store errors stop it.
    pub fn ingest_page(
        &self,
        name: &str,
        url: &str,
        body: &[u8],
        content_type: Option<&str>,
        writer: Option<&IndexWriter>,
    ) -> Result<PageOutcome, IngestError> {
        let mut extraction =
            rased_extract::extract_fetched(url, body, content_type, &self.extract_options);
        let mut out = PageOutcome::default();
        for e in extraction.errors.iter().filter(|e| !e.is_warning()) {
            let msg = e.to_string().replace(url, name);
            self.store.record_failure(name, e.code(), &msg)?;
            out.failures.push((e.code().to_string(), msg));
        }
        for a in &mut extraction.articles {
            a.input = Some(name.to_string());
            if a.url.is_none() {
                a.url = Some(url.to_string());
            }
        }
        if extraction.articles.is_empty() {
            return Ok(out);
        }
        let s = self.ingest_articles(name, extraction.articles, writer, &Quiet)?;
        out.articles_seen = s.articles_seen;
        out.new_articles = s.new_articles;
        out.duplicates = s.duplicates;
        out.alerts = s.alerts;
        Ok(out)
    }

    /// Records an input that failed before extraction (a fetch), with its code and reason.
    pub fn record_failure(&self, input: &str, code: &str, reason: &str) -> Result<(), IngestError> {
        self.store.record_failure(input, code, reason)?;
        Ok(())
    }

    /// Re-indexes what the index lacks (see [`Pipeline::run`]); call once before
    /// [`Pipeline::ingest_articles`].
    pub fn prepare(&self) -> Result<(), IngestError> {
        self.catch_up_index()
    }

    /// Commits the index up to the store's last article.
    pub fn commit(&self, writer: &mut IndexWriter) -> Result<(), IngestError> {
        self.commit_index(writer)
    }

    fn fail(
        &self,
        e: &ExtractError,
        summary: &mut Summary,
        progress: &dyn Progress,
    ) -> Result<(), IngestError> {
        summary.failures += 1;
        progress.failure(&e.to_string());
        self.store
            .record_failure(e.input(), e.code(), &e.to_string())?;
        Ok(())
    }

    fn commit_index(&self, writer: &mut IndexWriter) -> Result<(), IngestError> {
        if let Some(index) = self.index {
            let seq = self.store.max_seq()?;
            index.commit(writer, seq)?;
        }
        Ok(())
    }

    fn commit_optional(&self, writer: Option<&mut IndexWriter>) -> Result<(), IngestError> {
        match writer {
            Some(w) => self.commit_index(w),
            None => Ok(()),
        }
    }

    /// Re-indexes articles the store holds but the index's last commit does not.
    fn catch_up_index(&self) -> Result<(), IngestError> {
        let Some(index) = self.index else {
            return Ok(());
        };
        let indexed = index.indexed_seq()?;
        let stored = self.store.max_seq()?;
        if indexed >= stored {
            return Ok(());
        }
        let mut writer = index.writer()?;
        let mut from = indexed;
        loop {
            let page = self.store.articles_after_seq(from, 512)?;
            let Some(last) = page.last() else { break };
            from = last.0;
            for (_, a) in &page {
                index.add(&writer, a)?;
            }
        }
        index.commit(&mut writer, stored)?;
        Ok(())
    }
}
