//! Watching news sources: `rased watch`.
//!
//! * [`fetch`]: the polite, bounded HTTP fetcher (robots.txt, per-host limits, timeouts, size
//!   caps, redirects, retries with backoff).
//! * [`discover`]: the article links of a feed, sitemap, sitemap index or section page.
//! * [`sources`]: the sources file.
//! * This module: [`Watcher`], which polls sources (conditional GET on feeds and sitemaps),
//!   fetches the article URLs not handled before, and hands the pages to the ingest pipeline
//!   through an [`Ingester`] — or, with a [`Publish`] (`rased watch --queue`), to a work queue
//!   whose workers ingest them; the adaptive schedule ([`next_interval`]); webhook delivery
//!   of watchlist alerts ([`deliver_webhooks`]).
//!
//! State lives in the store, embedded or PostgreSQL ([`WatchStore`]): the validators of
//! every feed and sitemap, the article URLs handled (with retries for passing errors), each
//! source's health and next poll. Every failed fetch is recorded in `failures` with its URL
//! and reason, and nothing one source does blocks another: sources are polled concurrently
//! and each request is bounded.

pub mod discover;
pub mod fetch;
pub mod sources;

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rased_extract::ExtractOptions;
use rased_ingest::{IndexWriter, IngestError, Pipeline};
use rased_model::Article;
use rased_search::SearchIndex;
use rased_store::{unix_now, HttpValidators, PollRecord, WatchStore};
use tokio::sync::Notify;
use url::Url;

pub use discover::{discover, Kind};
pub use fetch::{FetchConfig, FetchError, Fetcher, Reason};
pub use rased_ingest::PageOutcome;
pub use sources::{read_sources, Source};

/// The analysis the pipeline runs on each article (the CLI passes `Analyzer::analyze`); an
/// article it refuses (`too_complex`) is recorded as a failure by the pipeline.
pub type Analyze =
    Arc<dyn Fn(&mut Article) -> Result<(), rased_ingest::AnalysisFailure> + Send + Sync>;

/// Errors that stop a watch (fetch errors do not: they are recorded and the watch goes on).
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error(transparent)]
    Ingest(#[from] IngestError),
    #[error(transparent)]
    Store(#[from] rased_store::StoreError),
    #[error(transparent)]
    Search(#[from] rased_search::SearchError),
    #[error("{0}")]
    Setup(String),
}

/// The store, its index (embedded) and the analysis, behind one writer: fetched pages from
/// every source are ingested one at a time through the ordinary pipeline.
pub struct Ingester {
    pub store: Arc<dyn WatchStore>,
    index: Option<Arc<SearchIndex>>,
    analyze: Analyze,
    /// The embedded index's one writer; `None` on PostgreSQL, which indexes as it stores.
    /// The lock also takes the pages one at a time on either backend.
    writer: Mutex<Option<IndexWriter>>,
    opts: ExtractOptions,
}

impl Ingester {
    /// An ingester into `store`, keeping `index` up to date when the store is embedded
    /// (`None` for PostgreSQL).
    pub fn new(
        store: Arc<dyn WatchStore>,
        index: Option<Arc<SearchIndex>>,
        analyze: Analyze,
        opts: ExtractOptions,
    ) -> Result<Self, WatchError> {
        let writer = index.as_ref().map(|i| i.writer()).transpose()?;
        let me = Ingester {
            store,
            index,
            analyze,
            writer: Mutex::new(writer),
            opts,
        };
        me.pipeline().prepare()?;
        Ok(me)
    }

    fn pipeline(&self) -> Pipeline<'_, dyn WatchStore> {
        Pipeline {
            store: &*self.store,
            index: self.index.as_deref(),
            analyze: &*self.analyze,
            extract_options: self.opts.clone(),
        }
    }

    /// Extracts and ingests a page fetched from `url` (named `name`: the address asked
    /// for). Extraction errors are recorded as failures of `name`.
    pub fn ingest_page(
        &self,
        name: &str,
        url: &str,
        body: &[u8],
        content_type: Option<&str>,
    ) -> Result<PageOutcome, WatchError> {
        let writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        Ok(self
            .pipeline()
            .ingest_page(name, url, body, content_type, writer.as_ref())?)
    }

    /// Makes what was ingested searchable (nothing to do on PostgreSQL).
    pub fn commit(&self) -> Result<(), WatchError> {
        let mut writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(w) = writer.as_mut() {
            self.pipeline().commit(w)?;
        }
        Ok(())
    }
}

/// A fetched article page on its way to the work queue (`rased watch --queue`): a worker
/// ingests it as [`Pipeline::ingest_page`] would here, under the same name.
#[derive(Debug, Clone)]
pub struct FetchedPage {
    /// The address asked for (the input name failures and batches are recorded under).
    pub name: String,
    /// The address answered, after redirects.
    pub url: String,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

/// What a [`Publish`] did with a page.
#[derive(Debug)]
pub enum Published {
    /// In the queue (acknowledged by the queue's server).
    Queued,
    /// Too large for one message: handed back, and the watcher ingests it itself.
    TooLarge(FetchedPage),
}

/// Hands fetched pages to a work queue instead of ingesting them here; an error (the queue
/// is unreachable) is recorded as a passing failure of the page's URL, tried again later.
pub type Publish = Arc<
    dyn Fn(FetchedPage) -> Pin<Box<dyn Future<Output = Result<Published, String>> + Send>>
        + Send
        + Sync,
>;

/// How to watch.
#[derive(Debug, Clone)]
pub struct WatchConfig {
    pub fetch: FetchConfig,
    /// The shortest time between two polls of a source (`--interval`).
    pub interval: Duration,
    /// The longest a quiet source waits between polls.
    pub max_interval: Duration,
    /// Article pages fetched per source and poll at most (the rest wait for the next poll).
    pub max_new_per_poll: usize,
    /// Tries of an article URL that fails with a passing error.
    pub max_attempts: u32,
    /// Child sitemaps followed per sitemap index and poll.
    pub max_child_sitemaps: usize,
}

impl Default for WatchConfig {
    fn default() -> Self {
        WatchConfig {
            fetch: FetchConfig::default(),
            interval: Duration::from_secs(300),
            max_interval: Duration::from_secs(6 * 3600),
            max_new_per_poll: 500,
            max_attempts: 3,
            max_child_sitemaps: 50,
        }
    }
}

/// One poll of one source, as the watcher reports it.
#[derive(Debug, Clone, Default)]
pub struct PollReport {
    pub source: String,
    pub kind: Option<&'static str>,
    /// `ok`, `not_modified`, or the failure code of the source document.
    pub status: String,
    /// Article links the source listed.
    pub found: usize,
    /// Articles new to the store.
    pub new: usize,
    /// Article pages handed to the work queue (`--queue`): the workers ingest them.
    pub queued: usize,
    /// Links already handled, and pages whose articles were already stored.
    pub skipped: usize,
    /// Failed fetches and extractions (the source document's own failure included).
    pub errors: usize,
    pub alerts: usize,
    pub next_poll: i64,
    /// The source document's error, when it failed.
    pub error: Option<String>,
}

/// Totals of a run.
#[derive(Debug, Clone, Default)]
pub struct RunSummary {
    pub polls: usize,
    pub found: usize,
    pub new: usize,
    pub queued: usize,
    pub skipped: usize,
    pub errors: usize,
    pub alerts: usize,
    pub webhooks_delivered: usize,
    pub webhooks_failed: usize,
}

impl RunSummary {
    fn add(&mut self, r: &PollReport) {
        self.polls += 1;
        self.found += r.found;
        self.new += r.new;
        self.queued += r.queued;
        self.skipped += r.skipped;
        self.errors += r.errors;
        self.alerts += r.alerts;
    }
}

/// Where the watcher tells what it does (the CLI prints lines and a progress bar).
pub trait Reporter: Send + Sync {
    /// `n` article pages are about to be fetched for `source`.
    fn pages_queued(&self, _source: &str, _n: usize) {}
    fn page_done(&self) {}
    fn poll_done(&self, _report: &PollReport) {}
}

/// A reporter that says nothing.
pub struct Silent;
impl Reporter for Silent {}

/// Polls sources and ingests what is new (or publishes it to a work queue).
pub struct Watcher {
    pub fetcher: Arc<Fetcher>,
    pub ingester: Arc<Ingester>,
    pub cfg: WatchConfig,
    pub reporter: Arc<dyn Reporter>,
    /// Where fetched article pages go instead of the ingester, when set.
    pub publish: Option<Publish>,
}

/// A stop request (Ctrl-C, SIGTERM): the watcher finishes its current batch and returns.
#[derive(Default)]
pub struct Stop {
    flag: AtomicBool,
    notify: Notify,
}

impl Stop {
    pub fn request(&self) {
        self.flag.store(true, Ordering::SeqCst);
        // `notify_one` keeps a permit when nobody waits yet, so a stop that lands between
        // the loop's check and its sleep is not lost.
        self.notify.notify_one();
    }
    pub fn requested(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }
}

impl Watcher {
    pub fn new(
        cfg: WatchConfig,
        ingester: Arc<Ingester>,
        reporter: Arc<dyn Reporter>,
    ) -> Result<Self, WatchError> {
        let fetcher = Fetcher::new(cfg.fetch.clone()).map_err(WatchError::Setup)?;
        Ok(Watcher {
            fetcher: Arc::new(fetcher),
            ingester,
            cfg,
            reporter,
            publish: None,
        })
    }

    /// Publishes fetched article pages through `publish` instead of ingesting them.
    pub fn with_queue(mut self, publish: Publish) -> Self {
        self.publish = Some(publish);
        self
    }

    /// Runs a call on the store where it may block (see [`off_runtime`]).
    fn db<T>(
        &self,
        f: impl FnOnce(&dyn WatchStore) -> rased_store::Result<T>,
    ) -> Result<T, WatchError> {
        Ok(off_runtime(|| f(&*self.ingester.store))?)
    }

    /// Polls every source once (whatever its schedule), then delivers webhooks.
    pub async fn run_once(self: &Arc<Self>, sources: &[Source]) -> Result<RunSummary, WatchError> {
        let mut summary = RunSummary::default();
        for s in sources {
            self.db(|st| st.ensure_source(&s.url))?;
        }
        self.poll_batch(sources, &mut summary).await?;
        self.webhooks(&mut summary).await?;
        Ok(summary)
    }

    /// Polls each source on its own schedule until `stop` is requested; the batch under way
    /// is finished first.
    pub async fn run(
        self: &Arc<Self>,
        sources: &[Source],
        stop: &Stop,
    ) -> Result<RunSummary, WatchError> {
        let mut summary = RunSummary::default();
        for s in sources {
            self.db(|st| st.ensure_source(&s.url))?;
        }
        while !stop.requested() {
            let now = unix_now();
            let mut due = Vec::new();
            let mut next = i64::MAX;
            for s in sources {
                let at = self
                    .db(|st| st.source(&s.url))?
                    .and_then(|h| h.next_poll)
                    .unwrap_or(0);
                if at <= now {
                    due.push(s.clone());
                } else {
                    next = next.min(at);
                }
            }
            if !due.is_empty() {
                self.poll_batch(&due, &mut summary).await?;
                self.webhooks(&mut summary).await?;
                continue;
            }
            let wait = Duration::from_secs((next - now).clamp(1, 3600) as u64);
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = stop.notify.notified() => {}
            }
        }
        Ok(summary)
    }

    async fn poll_batch(
        self: &Arc<Self>,
        sources: &[Source],
        summary: &mut RunSummary,
    ) -> Result<(), WatchError> {
        let mut tasks = tokio::task::JoinSet::new();
        for s in sources {
            let me = self.clone();
            let s = s.clone();
            tasks.spawn(async move { me.poll(&s).await });
        }
        let mut first_error = None;
        while let Some(done) = tasks.join_next().await {
            match done {
                Ok(Ok(report)) => {
                    summary.add(&report);
                    self.reporter.poll_done(&report);
                }
                Ok(Err(e)) => {
                    first_error.get_or_insert(e);
                }
                Err(e) => {
                    first_error.get_or_insert(WatchError::Setup(format!("a poll panicked: {e}")));
                }
            }
        }
        let ingester = self.ingester.clone();
        blocking(move || ingester.commit()).await?;
        match first_error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Polls one source: the source document (conditionally), its child sitemaps, then the
    /// article pages not handled before.
    pub async fn poll(self: &Arc<Self>, source: &Source) -> Result<PollReport, WatchError> {
        let mut report = PollReport {
            source: source.url.clone(),
            status: "ok".into(),
            ..Default::default()
        };
        let previous = self.db(|st| st.source(&source.url))?;
        let mut found = Vec::new();
        let mut children = Vec::new();
        let mut source_ok = true;
        match self.fetch_listing(&source.url).await? {
            Listing::Failed(e) => {
                source_ok = false;
                report.status = e.reason.code().into();
                report.error = Some(e.to_string());
                report.errors += 1;
            }
            Listing::NotModified => {
                report.status = "not_modified".into();
                report.kind = previous
                    .as_ref()
                    .and_then(|p| p.kind.as_deref())
                    .and_then(kind_name);
                // An unchanged index can still have changed children.
                children = self.db(|st| st.children(&source.url))?;
            }
            Listing::Found(d) => {
                report.kind = Some(d.kind.name());
                found = d.articles;
                if d.kind == Kind::SitemapIndex {
                    self.db(|st| st.set_children(&source.url, &d.sitemaps))?;
                }
                children = d.sitemaps;
            }
        }
        // One level of children: what news sites use (a nested index's own children are
        // not followed).
        for child in children.iter().take(self.cfg.max_child_sitemaps) {
            match self.fetch_listing(child).await? {
                Listing::Failed(_) => report.errors += 1,
                Listing::NotModified => {}
                Listing::Found(c) => found.extend(c.articles),
            }
        }
        report.found = found.len();
        let mut todo =
            self.db(|st| st.urls_to_fetch(&source.url, &found, self.cfg.max_attempts))?;
        let fresh_total = todo.len();
        todo.truncate(self.cfg.max_new_per_poll);
        report.skipped = found.len().saturating_sub(fresh_total.min(found.len()));
        self.reporter.pages_queued(&source.url, todo.len());

        let mut tasks = tokio::task::JoinSet::new();
        for url in todo {
            let me = self.clone();
            let source_url = source.url.clone();
            tasks.spawn(async move { me.fetch_article(&source_url, &url).await });
        }
        let mut first_error = None;
        while let Some(done) = tasks.join_next().await {
            self.reporter.page_done();
            match done {
                Ok(Ok(Page::Queued)) => report.queued += 1,
                Ok(Ok(Page::Ingested(o))) => {
                    report.new += o.new_articles;
                    report.alerts += o.alerts;
                    report.errors += o.failures.len();
                    if o.new_articles == 0 && o.failures.is_empty() {
                        report.skipped += 1;
                    }
                }
                Ok(Err(e)) => {
                    first_error.get_or_insert(e);
                }
                Err(e) => {
                    first_error.get_or_insert(WatchError::Setup(format!("a fetch panicked: {e}")));
                }
            }
        }
        if let Some(e) = first_error {
            return Err(e);
        }

        let prev_interval = previous
            .as_ref()
            .and_then(|p| p.interval_s)
            .map(|s| Duration::from_secs(s.max(0) as u64));
        let consecutive = previous.as_ref().map_or(0, |p| p.consecutive_errors);
        // A page handed to the queue counts as new here: the workers will tell.
        let new = report.new + report.queued;
        let interval = next_interval(
            prev_interval,
            &self.cfg,
            source_ok,
            new,
            if source_ok { 0 } else { consecutive + 1 },
        );
        report.next_poll = unix_now() + interval.as_secs() as i64;
        self.db(|st| {
            st.record_poll(&PollRecord {
                url: source.url.clone(),
                kind: report.kind.map(str::to_string),
                ok: source_ok,
                status: report.status.clone(),
                error: report.error.clone(),
                items_found: report.found as u64,
                new_items: new as u64,
                interval_s: interval.as_secs() as i64,
                next_poll: report.next_poll,
            })
        })?;
        Ok(report)
    }

    /// Fetches a feed or sitemap conditionally, recording a failure as a failure of its URL.
    async fn fetch_listing(&self, url: &str) -> Result<Listing, WatchError> {
        let validators = self.db(|st| st.validators(url))?;
        let fetched = match self.fetcher.fetch(url, validators.as_ref()).await {
            Ok(f) => f,
            Err(e) => {
                self.db(|st| st.record_failure(url, e.reason.code(), &e.to_string()))?;
                return Ok(Listing::Failed(e));
            }
        };
        if fetched.not_modified {
            return Ok(Listing::NotModified);
        }
        let base = Url::parse(&fetched.url).map_err(|e| WatchError::Setup(e.to_string()))?;
        match discover(&base, &fetched.body, fetched.content_type.as_deref()) {
            Ok(d) => {
                if fetched.validators != HttpValidators::default() {
                    self.db(|st| st.set_validators(url, &fetched.validators))?;
                }
                Ok(Listing::Found(d))
            }
            Err(detail) => {
                let e = FetchError {
                    url: url.to_string(),
                    reason: Reason::Decode,
                    detail,
                    retry_after: None,
                };
                self.db(|st| st.record_failure(url, e.reason.code(), &e.to_string()))?;
                Ok(Listing::Failed(e))
            }
        }
    }

    /// Fetches one article page and ingests it (or publishes it to the queue); a failure is
    /// recorded, and the URL is marked done, failed for good, or to retry later (passing
    /// errors).
    async fn fetch_article(&self, source: &str, url: &str) -> Result<Page, WatchError> {
        let f = match self.fetcher.fetch(url, None).await {
            Ok(f) => f,
            Err(e) => {
                let code = e.reason.code();
                self.db(|st| st.record_failure(url, code, &e.to_string()))?;
                if e.reason.passing() {
                    self.mark_retry(url, source, code, e.retry_after)?;
                } else {
                    self.db(|st| st.mark_url(url, source, "failed", Some(code), 0))?;
                }
                return Ok(Page::Ingested(PageOutcome {
                    failures: vec![(code.to_string(), e.to_string())],
                    ..Default::default()
                }));
            }
        };
        let mut page = FetchedPage {
            name: url.to_string(),
            url: f.url,
            content_type: f.content_type,
            body: f.body,
        };
        if let Some(publish) = &self.publish {
            match publish(page).await {
                Ok(Published::Queued) => {
                    self.db(|st| st.mark_url(url, source, "done", None, 0))?;
                    return Ok(Page::Queued);
                }
                Ok(Published::TooLarge(back)) => page = back,
                Err(e) => {
                    let reason = format!("{url}: publishing to the work queue: {e}");
                    self.db(|st| st.record_failure(url, "queue", &reason))?;
                    self.mark_retry(url, source, "queue", None)?;
                    return Ok(Page::Ingested(PageOutcome {
                        failures: vec![("queue".into(), reason)],
                        ..Default::default()
                    }));
                }
            }
        }
        let ingester = self.ingester.clone();
        let out = blocking(move || {
            ingester.ingest_page(
                &page.name,
                &page.url,
                &page.body,
                page.content_type.as_deref(),
            )
        })
        .await?;
        let state = if out.failures.is_empty() {
            "done"
        } else {
            "failed"
        };
        let code = out.failures.first().map(|(c, _)| c.as_str());
        self.db(|st| st.mark_url(url, source, state, code, 0))?;
        Ok(Page::Ingested(out))
    }

    /// Marks an article URL to be tried again after a backoff that grows with its tries.
    fn mark_retry(
        &self,
        url: &str,
        source: &str,
        code: &str,
        retry_after: Option<Duration>,
    ) -> Result<(), WatchError> {
        let attempts = self.db(|st| st.url_attempts(url))?;
        let wait = self
            .cfg
            .interval
            .saturating_mul(1 << attempts.min(10))
            .max(retry_after.unwrap_or_default())
            .min(self.cfg.max_interval);
        self.db(|st| st.mark_url(url, source, "retry", Some(code), wait.as_secs() as i64))?;
        Ok(())
    }

    async fn webhooks(&self, summary: &mut RunSummary) -> Result<(), WatchError> {
        let (ok, failed) = deliver_webhooks(
            &*self.ingester.store,
            self.fetcher.client(),
            &self.cfg.fetch,
        )
        .await?;
        summary.webhooks_delivered += ok;
        summary.webhooks_failed += failed;
        Ok(())
    }
}

fn kind_name(k: &str) -> Option<&'static str> {
    [Kind::Feed, Kind::Sitemap, Kind::SitemapIndex, Kind::Page]
        .into_iter()
        .map(Kind::name)
        .find(|n| *n == k)
}

/// What became of one article page.
enum Page {
    Ingested(PageOutcome),
    Queued,
}

enum Listing {
    Found(discover::Discovery),
    NotModified,
    Failed(FetchError),
}

/// Runs `f`, which may block on I/O (a store call: the PostgreSQL client blocks on a runtime
/// of its own, which cannot start on a thread that drives async tasks), lending it the
/// thread on a multi-threaded runtime.
fn off_runtime<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, WatchError> + Send + 'static,
) -> Result<T, WatchError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| WatchError::Setup(format!("an ingest task panicked: {e}")))?
}

/// The next polling interval of a source: halved when the poll found new articles, grown by
/// half when it found none, doubled for each consecutive failure; never below
/// `cfg.interval`, never above `cfg.max_interval`.
pub fn next_interval(
    previous: Option<Duration>,
    cfg: &WatchConfig,
    ok: bool,
    new: usize,
    consecutive_errors: u64,
) -> Duration {
    let base = previous.unwrap_or(cfg.interval);
    let next = if !ok {
        cfg.interval
            .saturating_mul(1u32 << consecutive_errors.min(16))
            .max(base)
    } else if new > 0 {
        base / 2
    } else {
        base.mul_f64(1.5)
    };
    next.clamp(cfg.interval, cfg.max_interval.max(cfg.interval))
}

/// Tries per alert and delivery run, and runs before an alert is given up.
const WEBHOOK_TRIES: u32 = 3;
const WEBHOOK_MAX_ATTEMPTS: u32 = 10;
/// The longest one webhook POST may take.
const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(10);
/// How many alerts one claim takes (the claim's lease covers posting all of them).
const WEBHOOK_BATCH: usize = 8;

/// How long a claim of [`WEBHOOK_BATCH`] alerts is held: every try of each to its timeout,
/// with the backoff between tries, and a minute to spare. A deliverer that dies holding
/// alerts delays them by this much; one alive never outlasts it.
fn webhook_lease(cfg: &FetchConfig) -> Duration {
    let timeout = WEBHOOK_TIMEOUT.min(cfg.deadline);
    let per_alert = (1..WEBHOOK_TRIES).fold(timeout.saturating_mul(WEBHOOK_TRIES), |d, a| {
        d.saturating_add(cfg.backoff_base.saturating_mul(1 << a))
    });
    per_alert
        .saturating_mul(WEBHOOK_BATCH as u32)
        .saturating_add(Duration::from_secs(60))
}

/// POSTs each undelivered alert of a watchlist with a webhook as JSON (`watchlist`,
/// `article`, `url`, `title`, `matched`, `at`), retrying with backoff; a failure is recorded
/// (on the alert and in `failures`) and tried again on the next run. Returns (delivered,
/// failed).
///
/// Safe to run from many processes at once (workers, `rased ingest`, `rased watch`, the
/// server, on one store): alerts are claimed a few at a time ([`WatchStore::claim_webhooks`])
/// and each is posted by the one deliverer holding it.
pub async fn deliver_webhooks(
    store: &dyn WatchStore,
    client: &reqwest::Client,
    cfg: &FetchConfig,
) -> Result<(usize, usize), WatchError> {
    let lease = webhook_lease(cfg);
    let (mut ok, mut failed) = (0, 0);
    // A receiver that failed every try this run is not asked again until the next run:
    // one dead webhook must not hold a run for each of its alerts.
    let mut down = std::collections::HashSet::new();
    // Claims go forward by alert id, so an alert that failed this run is not taken again.
    let mut after = 0;
    loop {
        let batch = off_runtime(|| {
            store.claim_webhooks(WEBHOOK_MAX_ATTEMPTS, lease, after, WEBHOOK_BATCH)
        })?;
        let Some((last, _)) = batch.last() else { break };
        after = last.id;
        for (alert, hook) in batch {
            if down.contains(&hook) {
                off_runtime(|| store.release_webhook(alert.id))?;
                continue;
            }
            let body = serde_json::json!({
                "watchlist": alert.watchlist, "article": alert.article, "url": alert.url,
                "title": alert.title, "matched": alert.matched, "at": alert.at,
            });
            let mut error = None;
            for attempt in 0..WEBHOOK_TRIES {
                if attempt > 0 {
                    tokio::time::sleep(cfg.backoff_base.saturating_mul(1 << attempt)).await;
                }
                let request = client
                    .post(&hook)
                    .timeout(WEBHOOK_TIMEOUT.min(cfg.deadline))
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(body.to_string());
                match request.send().await {
                    Ok(r) if r.status().is_success() => {
                        error = None;
                        break;
                    }
                    Ok(r) => error = Some(format!("HTTP {}", r.status())),
                    Err(e) => error = Some(e.to_string()),
                }
            }
            off_runtime(|| store.record_delivery(alert.id, error.as_deref()))?;
            match error {
                None => ok += 1,
                Some(e) => {
                    failed += 1;
                    down.insert(hook.clone());
                    let reason = format!(
                        "{hook}: alert {} of watchlist {}: {e}",
                        alert.id, alert.watchlist
                    );
                    off_runtime(|| store.record_failure(&hook, "webhook", &reason))?;
                }
            }
        }
    }
    Ok((ok, failed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_adapt_within_bounds() {
        let cfg = WatchConfig {
            interval: Duration::from_secs(60),
            max_interval: Duration::from_secs(3600),
            ..Default::default()
        };
        let m = |s| Duration::from_secs(s);
        assert_eq!(next_interval(None, &cfg, true, 0, 0), m(90));
        assert_eq!(next_interval(Some(m(600)), &cfg, true, 3, 0), m(300));
        assert_eq!(
            next_interval(Some(m(60)), &cfg, true, 3, 0),
            m(60),
            "never below"
        );
        assert_eq!(
            next_interval(Some(m(3000)), &cfg, true, 0, 0),
            m(3600),
            "never above"
        );
        assert_eq!(next_interval(Some(m(60)), &cfg, false, 0, 3), m(480));
    }
}
