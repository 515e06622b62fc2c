//! `rased watch`, `rased sources`, `rased watchlist`, `rased alerts`: thin wiring over
//! `rased-watch` (fetching, polling, schedules) and the store's watch tables.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use rased_extract::ExtractOptions;
use rased_store::{AlertFilter, WatchStore, Watchlist};
use rased_watch::{FetchConfig, Ingester, PollReport, Reporter, RunSummary, WatchConfig, Watcher};

use crate::store_cmd::{Data, DataArgs};

#[derive(clap::Args, Debug)]
pub struct WatchArgs {
    /// The sources file: one feed, sitemap or section page address a line (`#` comments).
    #[arg(long)]
    pub sources: PathBuf,
    #[command(flatten)]
    pub data: DataArgs,
    /// Poll every source once, then exit (0, or 1 when some fetch failed).
    #[arg(long)]
    pub once: bool,
    /// The shortest time between two polls of one source, in seconds.
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..))]
    pub interval: u64,
    /// The longest a quiet source waits between polls, in seconds.
    #[arg(long, default_value_t = 6 * 3600)]
    pub max_interval: u64,
    /// The User-Agent sent; its first word is the agent robots.txt rules are read for.
    #[arg(long, env = "RASED_USER_AGENT")]
    pub user_agent: Option<String>,
    /// Requests in flight per host (1 or 2).
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..=2))]
    pub per_host: u64,
    /// The least time between two requests to one host, in seconds (robots.txt
    /// `Crawl-delay` can lengthen it).
    #[arg(long, default_value_t = 1.0)]
    pub delay: f64,
    /// Connect timeout, in seconds.
    #[arg(long, default_value_t = 10.0)]
    pub connect_timeout: f64,
    /// The longest wait for the next bytes of an answer, in seconds.
    #[arg(long, default_value_t = 20.0)]
    pub read_timeout: f64,
    /// The longest one request may take, body included, in seconds.
    #[arg(long, default_value_t = 60.0)]
    pub timeout: f64,
    /// Refuse answers larger than this many bytes (after decompression).
    #[arg(long, default_value_t = 16 * 1024 * 1024)]
    pub max_bytes: u64,
    /// Redirects followed at most.
    #[arg(long, default_value_t = 5)]
    pub max_redirects: usize,
    /// Retries of a request after a timeout, a connection error, a 5xx or a 429.
    #[arg(long, default_value_t = 2)]
    pub retries: u32,
    /// The first retry's backoff, in seconds (doubled on each retry).
    #[arg(long, default_value_t = 2.0)]
    pub backoff: f64,
    /// Article pages fetched per source and poll at most (the rest wait for the next poll).
    #[arg(long, default_value_t = 500)]
    pub max_new: usize,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
    /// Publish fetched article pages as units of work to this NATS JetStream server
    /// (`nats://host:port`) for `rased worker`s to ingest, instead of ingesting them here
    /// (needs a PostgreSQL store, shared with the workers).
    #[arg(long, env = "RASED_QUEUE", value_name = "URL")]
    pub queue: Option<String>,
}

fn secs(s: f64, what: &str) -> anyhow::Result<Duration> {
    if !(0.0..1e7).contains(&s) {
        bail!("--{what} takes seconds (a number ≥ 0), not {s}");
    }
    Ok(Duration::from_secs_f64(s))
}

/// One stderr line per poll; a progress bar of the article pages on a terminal.
struct Lines {
    bar: Option<indicatif::ProgressBar>,
}

impl Lines {
    fn new(quiet: bool) -> Self {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} {elapsed_precise} [{bar:30}] {pos}/{len} pages ({per_sec}) {msg}",
                )
                .expect("valid template"),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Lines { bar }
    }

    fn say(&self, line: &str) {
        match &self.bar {
            Some(b) => b.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl Reporter for Lines {
    fn pages_queued(&self, source: &str, n: usize) {
        if let Some(b) = &self.bar {
            b.inc_length(n as u64);
            b.set_message(source.to_string());
        }
    }
    fn page_done(&self) {
        if let Some(b) = &self.bar {
            b.inc(1);
        }
    }
    fn poll_done(&self, r: &PollReport) {
        let mut line = format!(
            "poll {} ({}): {}, {} found, {} new, {} skipped, {} errors",
            r.source,
            r.kind.unwrap_or("?"),
            r.status,
            r.found,
            r.new,
            r.skipped,
            r.errors
        );
        if r.queued > 0 {
            line.push_str(&format!(", {} queued", r.queued));
        }
        if r.alerts > 0 {
            line.push_str(&format!(", {} alerts", r.alerts));
        }
        line.push_str(&format!(", next poll {}", time(Some(r.next_poll))));
        if let Some(e) = &r.error {
            line.push_str(&format!(" — {e}"));
        }
        self.say(&line);
    }
}

/// Unix seconds as an RFC 3339 UTC time, `-` for none.
fn time(t: Option<i64>) -> String {
    t.and_then(|t| chrono::DateTime::from_timestamp(t, 0))
        .map_or("-".into(), |d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")
}

pub fn watch(args: &WatchArgs) -> anyhow::Result<ExitCode> {
    let name = args.sources.display().to_string();
    // A sources file is a list of addresses: anything past this is not one.
    const MAX_SOURCES_FILE: u64 = 16 * 1024 * 1024;
    let file = std::fs::File::open(&args.sources).with_context(|| format!("reading {name}"))?;
    let mut text = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(file, MAX_SOURCES_FILE + 1),
        &mut text,
    )
    .with_context(|| format!("reading {name}"))?;
    if text.len() as u64 > MAX_SOURCES_FILE {
        bail!("{name}: larger than {MAX_SOURCES_FILE} bytes; a sources file lists addresses, one a line");
    }
    let text = String::from_utf8_lossy(&text);
    let (sources, errors) = rased_watch::read_sources(&name, &text);
    for e in &errors {
        eprintln!("error: {e}");
    }
    if sources.is_empty() {
        bail!("{name}: no source to watch (one feed, sitemap or page address a line)");
    }
    let mut fetch = FetchConfig {
        per_host: args.per_host as usize,
        min_delay: secs(args.delay, "delay")?,
        connect_timeout: secs(args.connect_timeout, "connect-timeout")?,
        read_timeout: secs(args.read_timeout, "read-timeout")?,
        deadline: secs(args.timeout, "timeout")?,
        max_body: args.max_bytes,
        max_redirects: args.max_redirects,
        retries: args.retries,
        backoff_base: secs(args.backoff, "backoff")?,
        ..FetchConfig::default()
    };
    if let Some(ua) = &args.user_agent {
        fetch.user_agent = ua.clone();
    }
    let cfg = WatchConfig {
        fetch,
        interval: Duration::from_secs(args.interval),
        max_interval: Duration::from_secs(args.max_interval.max(args.interval)),
        max_new_per_poll: args.max_new,
        ..WatchConfig::default()
    };

    let data = Data::open(&args.data)?;
    let _lock = data.engine.lock_ingest()?;
    if args.queue.is_some() && data.engine.postgres().is_none() {
        bail!(
            "rased watch --queue needs a store shared with the workers: --store postgres://… ({} is a data directory)",
            data.engine.location()
        );
    }
    for e in &errors {
        data.store().record_failure(&name, "bad_source", e)?;
    }
    let analyzer = crate::analyze::analyzer()?;
    let analyze: rased_watch::Analyze = Arc::new(move |a: &mut rased_model::Article| {
        analyzer
            .analyze(a)
            .map_err(|e| rased_ingest::AnalysisFailure {
                code: e.code(),
                reason: e.to_string(),
            })
    });
    let (store, index) = data.engine.into_watch_parts();
    let ingester = Arc::new(Ingester::new(
        store,
        index.map(Arc::new),
        analyze,
        ExtractOptions {
            max_bytes: args.max_bytes,
            limits: rased_analyze::Limits::from_env().map_err(anyhow::Error::msg)?,
        },
    )?);
    let lines = Arc::new(Lines::new(args.quiet));
    let rt = runtime()?;
    let mut watcher = Watcher::new(cfg, ingester, lines.clone())?;
    if let Some(queue) = &args.queue {
        let js = rt.block_on(crate::queue_cmd::connect(queue))?.0;
        watcher = watcher.with_queue(crate::queue_cmd::page_publisher(js));
        lines.say(&format!(
            "publishing fetched pages to {queue} (stream {}) for rased worker",
            crate::queue_cmd::stream_name()
        ));
    }
    let watcher = Arc::new(watcher);
    let started = Instant::now();
    let summary = rt.block_on(async {
        if args.once {
            return watcher.run_once(&sources).await;
        }
        let stop = Arc::new(rased_watch::Stop::default());
        let on_signal = stop.clone();
        let lines_for_signal = lines.clone();
        tokio::spawn(async move {
            wait_for_signal().await;
            lines_for_signal
                .say("stopping after the current batch (signal received; a second one stops now)");
            on_signal.request();
            wait_for_signal().await;
            // Nothing is lost: every stored page is committed in the store, and the index
            // catches up on the next start.
            lines_for_signal.say("stopping now");
            std::process::exit(130);
        });
        lines.say(&format!(
            "watching {} sources (every {}s at most); Ctrl-C stops",
            sources.len(),
            args.interval
        ));
        watcher.run(&sources, &stop).await
    })?;
    lines.finish();
    print_summary(&summary, sources.len(), started.elapsed(), args.data.json);
    let failed = summary.errors > 0 || summary.webhooks_failed > 0 || !errors.is_empty();
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn print_summary(s: &RunSummary, sources: usize, took: Duration, json: bool) {
    if json {
        let v = serde_json::json!({
            "sources": sources, "polls": s.polls, "found": s.found, "new": s.new,
            "queued": s.queued,
            "skipped": s.skipped, "errors": s.errors, "alerts": s.alerts,
            "webhooks_delivered": s.webhooks_delivered, "webhooks_failed": s.webhooks_failed,
            "seconds": took.as_secs_f64(),
        });
        println!("{v}");
    } else {
        let queued = if s.queued > 0 {
            format!(", {} pages queued for the workers", s.queued)
        } else {
            String::new()
        };
        eprintln!(
            "watched {sources} sources in {:.1}s: {} polls, {} links found, {} new articles{queued}, {} skipped, {} errors, {} alerts, {} webhooks delivered, {} failed",
            took.as_secs_f64(),
            s.polls,
            s.found,
            s.new,
            s.skipped,
            s.errors,
            s.alerts,
            s.webhooks_delivered,
            s.webhooks_failed
        );
    }
}

/// Posts the webhooks of alerts raised outside `rased watch` (by `rased ingest` and `rased
/// worker`), on either store: alerts are claimed before they are posted, so writers
/// delivering at once post each alert once.
#[derive(Clone)]
pub struct Webhooks {
    cfg: FetchConfig,
    fetcher: Arc<rased_watch::Fetcher>,
}

impl Webhooks {
    pub fn new() -> anyhow::Result<Webhooks> {
        let cfg = FetchConfig::default();
        let fetcher = rased_watch::Fetcher::new(cfg.clone()).map_err(anyhow::Error::msg)?;
        Ok(Webhooks {
            fetcher: Arc::new(fetcher),
            cfg,
        })
    }

    /// Posts what this process can claim; returns (delivered, failed).
    pub async fn deliver(&self, store: &dyn WatchStore) -> anyhow::Result<(usize, usize)> {
        Ok(rased_watch::deliver_webhooks(store, self.fetcher.client(), &self.cfg).await?)
    }
}

/// Delivers the webhooks of the alerts pending in the store; returns how many failed.
pub fn deliver_pending(store: &dyn WatchStore) -> anyhow::Result<usize> {
    if store.pending_webhooks(u32::MAX)?.is_empty() {
        return Ok(0);
    }
    let webhooks = Webhooks::new()?;
    let (_, failed) = runtime()?.block_on(webhooks.deliver(store))?;
    Ok(failed)
}

pub fn sources(args: &DataArgs) -> anyhow::Result<ExitCode> {
    let data = Data::open_existing(args)?;
    let store = data.engine.watch_store();
    let sources = store.sources()?;
    let mut out = std::io::stdout().lock();
    if sources.is_empty() && !args.json {
        eprintln!("no sources yet: run `rased watch --sources FILE`");
    }
    for s in &sources {
        let v = store.validators(&s.url)?.unwrap_or_default();
        if args.json {
            let mut j = serde_json::to_value(s)?;
            j["etag"] = serde_json::json!(v.etag);
            j["last_modified"] = serde_json::json!(v.last_modified);
            writeln!(out, "{j}")?;
        } else {
            writeln!(
                out,
                "{}\n  kind {}, status {}, last poll {}, last success {}, next poll {} (every {}s)\n  {} polls, {} links found, {} new articles, {} errors ({} in a row){}{}{}",
                s.url,
                s.kind.as_deref().unwrap_or("?"),
                s.last_status.as_deref().unwrap_or("never polled"),
                time(s.last_poll),
                time(s.last_success),
                time(s.next_poll),
                s.interval_s.map_or("-".into(), |i| i.to_string()),
                s.polls,
                s.items_found,
                s.new_items,
                s.errors,
                s.consecutive_errors,
                v.etag.map_or(String::new(), |e| format!("\n  etag {e}")),
                v.last_modified.map_or(String::new(), |e| format!("\n  last-modified {e}")),
                s.last_error.as_ref().map_or(String::new(), |e| format!("\n  last error: {e}")),
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Subcommand, Debug)]
pub enum WatchlistCommand {
    /// Add a watchlist: every condition given must hold for an article to alert.
    Add(WatchlistAddArgs),
    /// List the watchlists.
    List(DataArgs),
    /// Remove a watchlist and its alerts.
    Remove(WatchlistNameArgs),
}

#[derive(clap::Args, Debug)]
pub struct WatchlistAddArgs {
    /// The watchlist's name (no `/`).
    pub name: String,
    #[command(flatten)]
    pub data: DataArgs,
    /// Words and "quoted phrases" in the title or body (matched as search matches).
    #[arg(long)]
    pub query: Option<String>,
    /// An entity id, or a name in any spelling.
    #[arg(long)]
    pub entity: Option<String>,
    /// A PLOVER event type (CONSULT, ASSAULT, …).
    #[arg(long)]
    pub event_type: Option<String>,
    /// A place (id or name): an event's place, the dateline, or a mentioned place.
    #[arg(long)]
    pub place: Option<String>,
    /// An outlet, as `rased search --outlet` takes it.
    #[arg(long)]
    pub outlet: Option<String>,
    /// Receives each alert as a JSON POST.
    #[arg(long)]
    pub webhook: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct WatchlistNameArgs {
    pub name: String,
    #[command(flatten)]
    pub data: DataArgs,
}

pub fn watchlist(cmd: &WatchlistCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        WatchlistCommand::Add(a) => {
            let name = a.name.trim();
            if name.is_empty()
                || name.contains('/')
                || name.chars().any(char::is_control)
                || name.chars().count() > 100
            {
                bail!(
                    "watchlist name {:?}: give 1–100 characters without `/`",
                    a.name
                );
            }
            let clean = |s: &Option<String>| {
                s.as_deref()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
            };
            let w = Watchlist {
                name: name.to_string(),
                query: clean(&a.query),
                entity: clean(&a.entity),
                event_type: clean(&a.event_type).map(|t| t.to_uppercase()),
                place: clean(&a.place),
                outlet: clean(&a.outlet),
                webhook: clean(&a.webhook),
                created_at: 0,
            };
            if w.query.is_none()
                && w.entity.is_none()
                && w.event_type.is_none()
                && w.place.is_none()
                && w.outlet.is_none()
            {
                bail!("watchlist {name}: give at least one of --query, --entity, --event-type, --place, --outlet");
            }
            if let Some(hook) = &w.webhook {
                rased_watch::fetch::parse_http_url(hook)
                    .map_err(|e| anyhow::anyhow!("--webhook {hook}: {}", e.detail))?;
            }
            let data = Data::open(&a.data)?;
            if !data.engine.add_watchlist(&w)? {
                bail!("a watchlist named {name} exists; `rased watchlist remove {name}` first");
            }
            eprintln!("watchlist {name} added: it alerts on articles ingested from now on");
            Ok(ExitCode::SUCCESS)
        }
        WatchlistCommand::List(d) => {
            let data = Data::open_existing(d)?;
            let mut out = std::io::stdout().lock();
            for w in data.engine.watchlists()? {
                if d.json {
                    writeln!(out, "{}", serde_json::to_string(&w)?)?;
                    continue;
                }
                let mut parts = vec![w.name.clone()];
                for (k, v) in [
                    ("query", &w.query),
                    ("entity", &w.entity),
                    ("event-type", &w.event_type),
                    ("place", &w.place),
                    ("outlet", &w.outlet),
                    ("webhook", &w.webhook),
                ] {
                    if let Some(v) = v {
                        parts.push(format!("--{k} {v}"));
                    }
                }
                writeln!(out, "{}", parts.join("\t"))?;
            }
            Ok(ExitCode::SUCCESS)
        }
        WatchlistCommand::Remove(a) => {
            let data = Data::open_existing(&a.data)?;
            if !data.engine.remove_watchlist(&a.name)? {
                bail!("no watchlist named {}", a.name);
            }
            eprintln!("watchlist {} removed", a.name);
            Ok(ExitCode::SUCCESS)
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct AlertsArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Only this watchlist's alerts.
    #[arg(long)]
    pub watchlist: Option<String>,
    /// Only alerts raised on or after this date (YYYY-MM-DD, or RFC 3339).
    #[arg(long)]
    pub since: Option<String>,
    /// How many alerts at most (newest first); 0 for all.
    #[arg(long, default_value_t = 0)]
    pub limit: usize,
}

fn parse_since(s: &str) -> anyhow::Result<i64> {
    if let Ok(d) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(d.timestamp());
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(d
            .and_hms_opt(0, 0, 0)
            .expect("midnight")
            .and_utc()
            .timestamp());
    }
    bail!("--since {s}: give a date YYYY-MM-DD or an RFC 3339 time")
}

pub fn alerts(args: &AlertsArgs) -> anyhow::Result<ExitCode> {
    let since = args.since.as_deref().map(parse_since).transpose()?;
    let data = Data::open_existing(&args.data)?;
    if let Some(w) = &args.watchlist {
        if !data.engine.watchlists()?.iter().any(|x| &x.name == w) {
            bail!("no watchlist named {w}");
        }
    }
    let alerts = data.engine.alerts(&AlertFilter {
        watchlist: args.watchlist.clone(),
        since,
        limit: args.limit,
    })?;
    let mut out = std::io::stdout().lock();
    for a in &alerts {
        if args.data.json {
            writeln!(out, "{}", serde_json::to_string(a)?)?;
        } else {
            writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}",
                a.watchlist,
                a.article,
                a.url.as_deref().unwrap_or("-"),
                a.title.as_deref().unwrap_or("-").replace(['\t', '\n'], " "),
                a.matched
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_dates() {
        assert_eq!(parse_since("1970-01-02").unwrap(), 86400);
        assert_eq!(parse_since("1970-01-01T00:01:00Z").unwrap(), 60);
        assert!(parse_since("yesterday").is_err());
    }
}
