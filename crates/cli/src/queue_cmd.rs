//! Work shared by many workers through NATS JetStream: `rased ingest PATH… --store URL
//! --queue nats://…` splits the inputs into units and publishes them to a work-queue stream;
//! `rased worker --store URL --queue URL` takes units one at a time, analyzes and stores them,
//! and acknowledges each only after its last batch is committed.
//!
//! * Units: a chunk of JSON Lines records (`--unit-records`, and at most [`MAX_UNIT_BYTES`]),
//!   a run of WARC records (the same bounds; see [`warc`]), or a whole file (a page, a feed).
//!   A file too large for one message (or a WARC record that is) is published by path, for
//!   workers that share the file system.
//! * Nothing lost: a unit stays in the stream until a worker acknowledges it; a worker that
//!   dies (kill -9) never does, and the server delivers the unit again after [`ACK_WAIT`] to
//!   another worker. A worker busy on a long unit says so every few seconds (in-progress
//!   acknowledgements), so a slow unit is not mistaken for a dead worker.
//! * Nothing doubled: a unit is ingested through the same batches as `rased ingest`, each
//!   claimed by its content key in the transaction that stores it; a redelivered unit skips
//!   the batches already committed and stores the rest.
//! * Webhooks: after a unit that raised alerts is committed, every `--webhook-sweep` seconds
//!   (alerts another writer left undelivered) and once more before it exits, the worker posts
//!   the pending webhooks, claiming each alert in the store first, so two workers never post
//!   one alert twice.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use async_nats::jetstream::{self, consumer, stream, AckKind};
use futures_util::StreamExt;
use rased_extract::{ExtractOptions, Input};
use rased_ingest::{Quiet, Summary};

use crate::store_cmd::{Data, DataArgs, IngestArgs};

mod warc;

/// The work-queue stream (`RASED_QUEUE_STREAM`, default `RASED_WORK`: tests give each run
/// its own), its subjects and the durable consumer every worker pulls from.
pub(crate) fn stream_name() -> String {
    std::env::var("RASED_QUEUE_STREAM")
        .ok()
        .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or_else(|| "RASED_WORK".to_string())
}

fn subject_prefix() -> String {
    format!("{}.units", stream_name().to_ascii_lowercase())
}

fn consumer_name() -> String {
    format!("{}-workers", stream_name().to_ascii_lowercase())
}
/// How long a unit may go unacknowledged before the server gives it to another worker.
const ACK_WAIT: Duration = Duration::from_secs(10);
/// How often a busy worker tells the server it is still on its unit.
const PROGRESS_EVERY: Duration = Duration::from_secs(3);
/// The most bytes one unit carries (the server's default message limit is 1 MiB).
const MAX_UNIT_BYTES: usize = 768 * 1024;

/// One unit of work: its name (an input, or a range of its records) and where its bytes are.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct UnitHeader {
    name: String,
    /// Set when the unit is a file named by path rather than carried in the message.
    path: Option<PathBuf>,
    /// Set when the unit is a page `rased watch` fetched: the address that answered (the
    /// name is the address asked for), ingested as the watcher would.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    /// The page's `Content-Type` as the server sent it (its charset counts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    content_type: Option<String>,
    /// With `path`, a WARC's records from this one (1-based) ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    from: Option<usize>,
    /// ... to this one (inclusive; unset: to the end of the file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    to: Option<usize>,
}

fn encode(header: &UnitHeader, body: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut out = serde_json::to_vec(header)?;
    out.push(b'\n');
    out.extend_from_slice(body);
    Ok(out)
}

fn decode(payload: &[u8]) -> anyhow::Result<(UnitHeader, &[u8])> {
    let split = payload
        .iter()
        .position(|b| *b == b'\n')
        .context("a unit without its header line")?;
    let header = serde_json::from_slice(&payload[..split]).context("a unit's header")?;
    Ok((header, &payload[split + 1..]))
}

pub(crate) async fn connect(
    url: &str,
) -> anyhow::Result<(jetstream::Context, consumer::PullConsumer)> {
    let client = async_nats::connect(url)
        .await
        .with_context(|| format!("connecting to NATS at {url}"))?;
    let js = jetstream::new(client);
    let stream = js
        .get_or_create_stream(stream::Config {
            name: stream_name(),
            subjects: vec![format!("{}.>", subject_prefix())],
            retention: stream::RetentionPolicy::WorkQueue,
            storage: stream::StorageType::File,
            ..Default::default()
        })
        .await
        .with_context(|| format!("creating the work stream {} on {url}", stream_name()))?;
    let consumer = stream
        .get_or_create_consumer(
            &consumer_name(),
            consumer::pull::Config {
                durable_name: Some(consumer_name()),
                ack_policy: consumer::AckPolicy::Explicit,
                ack_wait: ACK_WAIT,
                ..Default::default()
            },
        )
        .await
        .with_context(|| format!("creating the consumer {} on {url}", consumer_name()))?;
    Ok((js, consumer))
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")
}

/// Splits the inputs into units, calling `unit` for each. Bad inputs are reported and
/// skipped (the worker that would have read them records nothing: they never became units).
fn split_units(
    paths: &[PathBuf],
    unit_records: usize,
    max_bytes: u64,
    mut unit: impl FnMut(UnitHeader, Vec<u8>) -> anyhow::Result<()>,
) -> anyhow::Result<usize> {
    let mut refused = 0;
    for input in rased_extract::inputs(paths) {
        let input = match input {
            Ok(i) => i,
            Err(e) => {
                eprintln!("rased: {e}");
                refused += 1;
                continue;
            }
        };
        let name = input.name().to_string();
        let raw = match input.open() {
            Ok(r) => r,
            Err(e) => {
                eprintln!("rased: {e}");
                refused += 1;
                continue;
            }
        };
        let mut reader = BufReader::with_capacity(256 * 1024, raw);
        let gz = reader.fill_buf()?.starts_with(&[0x1f, 0x8b]);
        let mut reader: Box<dyn BufRead> = if gz {
            Box::new(BufReader::new(flate2::bufread::MultiGzDecoder::new(reader)))
        } else {
            Box::new(reader)
        };
        let head = reader.fill_buf().map(<[u8]>::to_vec).unwrap_or_default();
        let start = head.iter().position(|b| !b.is_ascii_whitespace());
        let first = start.map(|i| &head[i]);
        if start.is_some_and(|i| head[i..].starts_with(b"WARC/")) {
            // WARC: runs of whole records.
            let path = match &input {
                Input::File { path, .. } => Some(std::fs::canonicalize(path)?),
                Input::Stdin => None,
            };
            warc::split(
                &mut *reader,
                unit_records,
                MAX_UNIT_BYTES,
                path.is_some(),
                |segment| match segment {
                    warc::Segment::Bytes { from, to, bytes } => unit(
                        UnitHeader {
                            name: format!("{name}#records-{from}-{to}"),
                            ..Default::default()
                        },
                        bytes,
                    ),
                    warc::Segment::ByPath { from, to } => unit(
                        UnitHeader {
                            name: format!(
                                "{name}#records-{from}-{}",
                                to.map_or("end".to_string(), |t| t.to_string())
                            ),
                            path: path.clone(),
                            from: Some(from),
                            to,
                            ..Default::default()
                        },
                        Vec::new(),
                    ),
                    warc::Segment::Rest { from, bytes } => unit(
                        UnitHeader {
                            name: format!("{name}#records-{from}-end"),
                            ..Default::default()
                        },
                        bytes,
                    ),
                },
            )
            .with_context(|| format!("splitting {name}"))?;
            continue;
        }
        if first == Some(&b'{') {
            // JSON Lines: chunks of records.
            let mut chunk: Vec<u8> = Vec::new();
            let (mut records, mut first_record, mut line_no) = (0usize, 1usize, 0usize);
            let mut line = Vec::new();
            loop {
                line.clear();
                let n = reader
                    .read_until(b'\n', &mut line)
                    .with_context(|| format!("reading {name}"))?;
                if n > 0 {
                    line_no += 1;
                    if !line.ends_with(b"\n") {
                        line.push(b'\n');
                    }
                    chunk.extend_from_slice(&line);
                    records += 1;
                }
                let full = records >= unit_records.max(1) || chunk.len() >= MAX_UNIT_BYTES;
                if (n == 0 || full) && records > 0 {
                    let header = UnitHeader {
                        name: format!("{name}#{first_record}-{line_no}"),
                        ..Default::default()
                    };
                    unit(header, std::mem::take(&mut chunk))?;
                    records = 0;
                    first_record = line_no + 1;
                }
                if n == 0 {
                    break;
                }
            }
            continue;
        }
        // Anything else is one unit: in the message when it fits, else by path.
        let mut bytes = Vec::new();
        let limit = (MAX_UNIT_BYTES as u64).min(max_bytes) + 1;
        reader
            .by_ref()
            .take(limit)
            .read_to_end(&mut bytes)
            .with_context(|| format!("reading {name}"))?;
        if bytes.len() < limit as usize && !gz {
            unit(
                UnitHeader {
                    name,
                    ..Default::default()
                },
                bytes,
            )?;
        } else {
            let path = match &input {
                Input::File { path, .. } => std::fs::canonicalize(path)?,
                Input::Stdin => {
                    bail!("standard input is too large for one unit; save it to a file")
                }
            };
            unit(
                UnitHeader {
                    name,
                    path: Some(path),
                    ..Default::default()
                },
                Vec::new(),
            )?;
        }
    }
    Ok(refused)
}

/// `rased watch --queue`: each fetched article page becomes one unit (its bytes, the address
/// that answered and its `Content-Type`), published to the work stream; a page too large for
/// one message is handed back for the watcher to ingest itself.
pub(crate) fn page_publisher(js: jetstream::Context) -> rased_watch::Publish {
    Arc::new(move |page: rased_watch::FetchedPage| {
        let js = js.clone();
        Box::pin(async move {
            let header = UnitHeader {
                name: page.name.clone(),
                path: None,
                url: Some(page.url.clone()),
                content_type: page.content_type.clone(),
                ..Default::default()
            };
            let payload = encode(&header, &page.body).map_err(|e| e.to_string())?;
            if payload.len() > MAX_UNIT_BYTES {
                return Ok(rased_watch::Published::TooLarge(page));
            }
            js.publish(format!("{}.page", subject_prefix()), payload.into())
                .await
                .map_err(|e| e.to_string())?
                .await
                .map_err(|e| format!("no acknowledgement: {e}"))?;
            Ok(rased_watch::Published::Queued)
        })
    })
}

/// `rased ingest PATH… --queue URL [--wait]`.
pub fn publish(args: &IngestArgs, queue: &str) -> anyhow::Result<ExitCode> {
    let rt = runtime()?;
    let (js, mut consumer) = rt.block_on(connect(queue))?;
    let started = Instant::now();
    let mut units = 0usize;
    let refused = split_units(&args.paths, args.unit_records, args.max_bytes, |h, body| {
        let payload = encode(&h, &body)?;
        let subject = format!("{}.{units}", subject_prefix());
        rt.block_on(async {
            js.publish(subject, payload.into())
                .await
                .with_context(|| format!("publishing {}", h.name))?
                .await
                .with_context(|| format!("publishing {}: no acknowledgement", h.name))?;
            anyhow::Ok(())
        })?;
        units += 1;
        Ok(())
    })?;
    eprintln!(
        "rased: published {units} units to {queue} (stream {}) in {:.1}s{}",
        stream_name(),
        started.elapsed().as_secs_f64(),
        if refused > 0 {
            format!("; {refused} inputs refused")
        } else {
            String::new()
        }
    );
    if !args.wait {
        return Ok(if refused > 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        });
    }
    // Every unit is done when the consumer has none left to deliver and none out with a
    // worker unacknowledged.
    loop {
        let info = rt.block_on(consumer.info())?;
        if info.num_pending == 0 && info.num_ack_pending == 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    let data = Data::open_existing(&args.data)?;
    let stats = data.store().stats()?;
    let failures = data.store().failures()?.len();
    if args.data.json {
        println!(
            "{}",
            serde_json::json!({"units": units, "seconds": started.elapsed().as_secs_f64(),
                "articles": stats.articles, "failures": failures})
        );
    } else {
        eprintln!(
            "rased: every unit is done after {:.1}s: the store holds {} articles, {} stories, {} failures",
            started.elapsed().as_secs_f64(),
            stats.articles,
            stats.stories,
            failures
        );
    }
    Ok(if refused > 0 || failures > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

#[derive(clap::Args, Debug)]
pub struct WorkerArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The NATS JetStream server the units come from (`nats://host:port`).
    #[arg(long, env = "RASED_QUEUE", value_name = "URL")]
    pub queue: String,
    /// Exit after this many seconds without a unit (default: run until stopped).
    #[arg(long, value_name = "SECONDS")]
    pub exit_when_idle: Option<u64>,
    /// Also post, this often, the alerts no writer has delivered yet (a failed post to retry,
    /// a writer that died before posting), so an idle worker delivers them too. Each failed
    /// post counts one of an alert's ten attempts.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub webhook_sweep: u64,
    /// Refuse inputs (and single records) larger than this many bytes.
    #[arg(long, default_value_t = 64 * 1024 * 1024)]
    pub max_bytes: u64,
}

/// `rased worker`: takes units until idle (or stopped), acknowledging each after its commit.
pub fn worker(args: &WorkerArgs) -> anyhow::Result<ExitCode> {
    let data = Data::open(&args.data)?;
    if data.engine.postgres().is_none() {
        bail!(
            "rased worker needs a shared store: --store postgres://… ({} is a data directory, which takes one writer)",
            data.engine.location()
        );
    }
    let data = Arc::new(data);
    let analyzer = Arc::new(rased_engine::analyzer()?);
    let limits = rased_analyze::Limits::from_env().map_err(anyhow::Error::msg)?;
    let options = ExtractOptions {
        max_bytes: args.max_bytes,
        limits,
    };
    let rt = runtime()?;
    let (_, consumer) = rt.block_on(connect(&args.queue))?;
    let idle_limit = args.exit_when_idle.map(Duration::from_secs);
    let mut total = Summary::default();
    let mut units = 0usize;
    let mut last_work = Instant::now();
    let pid = std::process::id();
    // Webhooks of the alerts the units raise are posted in the background, one delivery
    // at a time (alerts raised meanwhile wait for the next), so a slow receiver holds up no
    // unit; alerts are claimed in the store, so workers never post one twice.
    let webhooks = crate::watch_cmd::Webhooks::new()?;
    let mut hooks = Deliveries::new(Duration::from_secs(args.webhook_sweep.max(1)));
    eprintln!("rased worker {pid}: taking units from {}", args.queue);
    loop {
        hooks.poll(&rt, &data, &webhooks, pid);
        let wait = idle_limit
            .map_or(Duration::from_secs(5), |l| {
                l.saturating_sub(last_work.elapsed())
                    .clamp(Duration::from_millis(200), Duration::from_secs(5))
            })
            .min(hooks.sweep_every);
        let next = rt.block_on(async {
            let mut batch = consumer
                .fetch()
                .max_messages(1)
                .expires(wait)
                .messages()
                .await?;
            anyhow::Ok(
                batch
                    .next()
                    .await
                    .transpose()
                    .map_err(|e| anyhow::anyhow!(e))?,
            )
        });
        let message = match next {
            Ok(Some(m)) => m,
            Ok(None) => {
                if idle_limit.is_some_and(|l| last_work.elapsed() >= l) {
                    break;
                }
                continue;
            }
            Err(e) => {
                eprintln!("rased worker {pid}: fetching a unit: {e:#}");
                std::thread::sleep(Duration::from_secs(1));
                continue;
            }
        };
        let message = Arc::new(message);
        // Tell the server the unit is being worked on while it is.
        let keepalive = {
            let m = message.clone();
            rt.spawn(async move {
                loop {
                    tokio::time::sleep(PROGRESS_EVERY).await;
                    let _ = m.ack_with(AckKind::Progress).await;
                }
            })
        };
        let work = {
            let (data, analyzer, m) = (data.clone(), analyzer.clone(), message.clone());
            let options = options.clone();
            rt.spawn_blocking(move || ingest_unit(&data, &analyzer, &m.payload, options))
        };
        let result = rt.block_on(work);
        keepalive.abort();
        match result {
            Ok(Ok(summary)) => {
                // Acknowledged only now that every batch of the unit is committed; the
                // double ack waits for the server to confirm it.
                if let Err(e) = rt.block_on(message.double_ack()) {
                    eprintln!("rased worker {pid}: acknowledging a unit: {e} (it will come again; its batches are stored and will be skipped)");
                }
                units += 1;
                add(&mut total, &summary);
                hooks.due |= summary.alerts > 0;
            }
            Ok(Err(e)) => {
                eprintln!("rased worker {pid}: {e:#}; the unit goes back to the queue");
                let _ = rt.block_on(message.ack_with(AckKind::Nak(Some(Duration::from_secs(5)))));
                std::thread::sleep(Duration::from_secs(1));
            }
            Err(e) => {
                eprintln!("rased worker {pid}: the unit's task failed: {e}");
                let _ = rt.block_on(message.ack_with(AckKind::Nak(Some(Duration::from_secs(5)))));
            }
        }
        last_work = Instant::now();
    }
    // The delivery under way, then one more for what came since (and earlier failures).
    hooks.finish(&rt, &data, &webhooks, pid);
    let summary = format!(
        "rased worker {pid}: {units} units, {} articles seen, {} new, {} duplicates, {} near-duplicates, {} failures, {} alerts, {} webhooks delivered, {} failed",
        total.articles_seen, total.new_articles, total.duplicates, total.near_duplicates, total.failures,
        total.alerts, hooks.delivered, hooks.failed
    );
    if args.data.json {
        println!(
            "{}",
            serde_json::json!({"worker": pid, "units": units, "articles_seen": total.articles_seen,
                "new_articles": total.new_articles, "duplicates": total.duplicates,
                "failures": total.failures, "alerts": total.alerts,
                "webhooks_delivered": hooks.delivered, "webhooks_failed": hooks.failed})
        );
    }
    eprintln!("{summary}");
    std::io::stderr().flush().ok();
    Ok(ExitCode::SUCCESS)
}

/// A worker's webhook deliveries: at most one in flight, another started when units
/// committed since raised alerts, or when the last one began `sweep_every` ago (alerts other
/// writers left). A failed post is recorded on its alert (and in `failures`) and tried again
/// by the next delivery, here or by any other writer.
struct Deliveries {
    running: Option<tokio::task::JoinHandle<anyhow::Result<(usize, usize)>>>,
    /// Alerts were raised since the delivery under way (if any) began.
    due: bool,
    sweep_every: Duration,
    /// When the last delivery began (none yet: the first poll sweeps).
    last_start: Option<Instant>,
    delivered: usize,
    failed: usize,
}

impl Deliveries {
    fn new(sweep_every: Duration) -> Deliveries {
        Deliveries {
            running: None,
            due: false,
            sweep_every,
            last_start: None,
            delivered: 0,
            failed: 0,
        }
    }

    /// Collects a finished delivery and starts one when alerts are due or a sweep is.
    fn poll(
        &mut self,
        rt: &tokio::runtime::Runtime,
        data: &Arc<Data>,
        webhooks: &crate::watch_cmd::Webhooks,
        pid: u32,
    ) {
        if self.running.as_ref().is_some_and(|d| d.is_finished()) {
            if let Some(done) = self.running.take() {
                self.collect(rt.block_on(done), pid);
            }
        }
        let sweep = self
            .last_start
            .is_none_or(|t| t.elapsed() >= self.sweep_every);
        if (self.due || sweep) && self.running.is_none() {
            self.due = false;
            self.last_start = Some(Instant::now());
            let (data, webhooks) = (data.clone(), webhooks.clone());
            self.running =
                Some(rt.spawn(async move { webhooks.deliver(data.engine.watch_store()).await }));
        }
    }

    /// Waits for the delivery under way, then delivers once more in the foreground.
    fn finish(
        &mut self,
        rt: &tokio::runtime::Runtime,
        data: &Arc<Data>,
        webhooks: &crate::watch_cmd::Webhooks,
        pid: u32,
    ) {
        if let Some(running) = self.running.take() {
            self.collect(rt.block_on(running), pid);
        }
        let last = rt.block_on(webhooks.deliver(data.engine.watch_store()));
        self.collect(Ok(last), pid);
    }

    fn collect(
        &mut self,
        result: Result<anyhow::Result<(usize, usize)>, tokio::task::JoinError>,
        pid: u32,
    ) {
        match result {
            Ok(Ok((ok, failed))) => {
                self.delivered += ok;
                self.failed += failed;
                if failed > 0 {
                    eprintln!("rased worker {pid}: {failed} webhooks failed (recorded; tried again on the next delivery)");
                }
            }
            Ok(Err(e)) => eprintln!("rased worker {pid}: delivering webhooks: {e:#}"),
            Err(e) => eprintln!("rased worker {pid}: the webhook delivery failed: {e}"),
        }
    }
}

fn add(total: &mut Summary, s: &Summary) {
    total.inputs += s.inputs;
    total.articles_seen += s.articles_seen;
    total.new_articles += s.new_articles;
    total.duplicates += s.duplicates;
    total.near_duplicates += s.near_duplicates;
    total.failures += s.failures;
    total.batches_skipped += s.batches_skipped;
    total.alerts += s.alerts;
}

/// Ingests one unit through the pipeline (store errors stop it; input errors are recorded).
fn ingest_unit(
    data: &Data,
    analyzer: &rased_analyze::Analyzer,
    payload: &[u8],
    options: ExtractOptions,
) -> anyhow::Result<Summary> {
    let (header, body) = decode(payload)?;
    let analyze = rased_engine::analyze_with(analyzer);
    let pipeline = data.engine.pipeline(&analyze, options);
    if let Some(url) = &header.url {
        // A page `rased watch` fetched: extracted with its address and Content-Type.
        let page = pipeline
            .ingest_page(
                &header.name,
                url,
                body,
                header.content_type.as_deref(),
                None,
            )
            .with_context(|| format!("{}: ingest stopped", header.name))?;
        return Ok(Summary {
            inputs: 1,
            articles_seen: page.articles_seen,
            new_articles: page.new_articles,
            duplicates: page.duplicates,
            failures: page.failures.len(),
            alerts: page.alerts,
            ..Default::default()
        });
    }
    let tmp;
    let input = match &header.path {
        Some(path) if header.from.is_some() => {
            // Records of a WARC on the shared file system, copied out.
            tmp = tempfile::NamedTempFile::new().context("a temporary file for the unit")?;
            let copied = (|| -> anyhow::Result<()> {
                let file = std::fs::File::open(path)?;
                let mut reader = BufReader::with_capacity(256 * 1024, file);
                let gz = reader.fill_buf()?.starts_with(&[0x1f, 0x8b]);
                let mut reader: Box<dyn BufRead> = if gz {
                    Box::new(BufReader::new(flate2::bufread::MultiGzDecoder::new(reader)))
                } else {
                    Box::new(reader)
                };
                let mut out = std::io::BufWriter::new(tmp.as_file());
                warc::copy_records(&mut *reader, header.from.unwrap_or(1), header.to, &mut out)?;
                out.flush()?;
                Ok(())
            })();
            if let Err(e) = copied {
                // The file is gone or changed since it was split: recorded, not retried.
                let reason = format!("{}: reading {}: {e:#}", header.name, path.display());
                pipeline.record_failure(&header.name, "io", &reason)?;
                return Ok(Summary {
                    inputs: 1,
                    failures: 1,
                    ..Default::default()
                });
            }
            Input::File {
                name: header.name.clone(),
                path: tmp.path().to_path_buf(),
            }
        }
        Some(path) => Input::File {
            name: header.name.clone(),
            path: path.clone(),
        },
        None => {
            tmp = tempfile::NamedTempFile::new().context("a temporary file for the unit")?;
            std::fs::write(tmp.path(), body).context("writing the unit")?;
            Input::File {
                name: header.name.clone(),
                path: tmp.path().to_path_buf(),
            }
        }
    };
    let mut summary = Summary {
        inputs: 1,
        ..Default::default()
    };
    pipeline
        .ingest_input(&input, None, &mut summary, &Quiet)
        .with_context(|| format!("{}: ingest stopped", header.name))?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_split_into_record_ranges_and_pages_stay_whole() {
        let dir = tempfile::tempdir().unwrap();
        let jsonl = dir.path().join("a.jsonl");
        let lines: String = (0..5)
            .map(|i| format!("{{\"body\":\"خبر {i}\"}}\n"))
            .collect();
        std::fs::write(&jsonl, lines).unwrap();
        let page = dir.path().join("b.txt");
        std::fs::write(&page, "نص الصفحة").unwrap();
        let mut got = Vec::new();
        let refused = split_units(&[jsonl, page], 2, 1 << 20, |h, body| {
            got.push((h.name, body.len(), h.path.is_some()));
            Ok(())
        })
        .unwrap();
        assert_eq!(refused, 0);
        let names: Vec<String> = got
            .iter()
            .map(|(n, _, _)| n.rsplit('/').next().unwrap().to_string())
            .collect();
        assert_eq!(
            names,
            vec!["a.jsonl#1-2", "a.jsonl#3-4", "a.jsonl#5-5", "b.txt"]
        );
        let header = UnitHeader {
            name: "x".into(),
            ..Default::default()
        };
        let payload = encode(&header, b"{\"a\":1}\n").unwrap();
        let (h, body) = decode(&payload).unwrap();
        assert_eq!((h.name.as_str(), body), ("x", &b"{\"a\":1}\n"[..]));
        assert!(decode(b"no header").is_err());
    }
}
