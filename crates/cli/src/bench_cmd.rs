//! `rased bench`: throughput and memory of each stage on a real corpus.
//!
//! Each (stage, threads) pair runs in its own child process (this binary with the hidden
//! `--stage-child` flag), so the peak RSS reported (`VmHWM` from `/proc/self/status`) is that
//! stage's own: inputs held in memory plus what the stage allocates. Within a child the
//! stage runs `--runs` times on a rayon pool of the requested size; the table shows the
//! median run. Setup (reading the corpus, loading models, building the index for `search`)
//! is not timed.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use anyhow::{bail, Context};
use rased_analyze::Analyzer;
use rased_extract::{extract, extract_stream, ExtractOptions};
use rased_ingest::Quiet;
use rased_model::Article;
use rased_search::SearchQuery;
use rased_text::tokenize::{TokenKind, Tokens};
use rased_text::{normalize_str, Level};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::store_cmd::Data;

#[derive(clap::Args, Debug, Clone)]
pub struct BenchArgs {
    /// The corpus: JSON Lines, plain or gzip (the first `--limit` records are used).
    #[arg(long, default_value = "../shared/data/corpus/ant-multisource.jsonl.gz")]
    pub corpus: PathBuf,
    /// A directory of HTML pages (searched recursively) for the `extract-html` stage.
    #[arg(long, default_value = "../shared/data/html")]
    pub html: PathBuf,
    /// How many corpus articles to use.
    #[arg(long, default_value_t = 5000)]
    pub limit: usize,
    /// Timed runs per stage; the table reports the median.
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
    /// Thread counts to run with (repeatable); default 1 and all cores.
    #[arg(long)]
    pub threads: Vec<usize>,
    /// Stages to run (repeatable): extract (= extract-html + extract-jsonl), normalize,
    /// tokenize, segment, stem, ner, events, analyze, ingest, search; default all.
    #[arg(long = "stage", value_name = "NAME")]
    pub stages: Vec<String>,
    /// For `search`: query this existing data directory instead of ingesting `--limit`
    /// articles into a temporary one.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// For `search`: query this existing store (`postgres://…` or a data directory) instead;
    /// takes precedence over `--data`.
    #[arg(long = "store", value_name = "URL")]
    pub store: Option<String>,
    /// Print one JSON object per row instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Internal: run one stage with one thread count in this process, print its JSON row.
    #[arg(long, hide = true)]
    pub stage_child: bool,
}

/// A stage of the pipeline that can be timed on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    ExtractHtml,
    ExtractJsonl,
    Normalize,
    Tokenize,
    Segment,
    Stem,
    Ner,
    Events,
    Analyze,
    Ingest,
    Search,
}

impl Stage {
    pub const ALL: [Stage; 11] = [
        Stage::ExtractHtml,
        Stage::ExtractJsonl,
        Stage::Normalize,
        Stage::Tokenize,
        Stage::Segment,
        Stage::Stem,
        Stage::Ner,
        Stage::Events,
        Stage::Analyze,
        Stage::Ingest,
        Stage::Search,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Stage::ExtractHtml => "extract-html",
            Stage::ExtractJsonl => "extract-jsonl",
            Stage::Normalize => "normalize",
            Stage::Tokenize => "tokenize",
            Stage::Segment => "segment",
            Stage::Stem => "stem",
            Stage::Ner => "ner",
            Stage::Events => "events",
            Stage::Analyze => "analyze",
            Stage::Ingest => "ingest",
            Stage::Search => "search",
        }
    }

    /// What one item of the stage is.
    fn unit(self) -> &'static str {
        match self {
            Stage::ExtractHtml => "pages",
            Stage::Search => "queries",
            _ => "articles",
        }
    }
}

/// The stages named on the command line (`extract` stands for both extract stages), in
/// pipeline order without repeats; all of them when none is named.
pub fn resolve_stages(names: &[String]) -> anyhow::Result<Vec<Stage>> {
    if names.is_empty() {
        return Ok(Stage::ALL.to_vec());
    }
    let mut wanted = Vec::new();
    for name in names {
        let name = name.trim().to_ascii_lowercase();
        match name.as_str() {
            "all" => wanted.extend(Stage::ALL),
            "extract" => wanted.extend([Stage::ExtractHtml, Stage::ExtractJsonl]),
            _ => match Stage::ALL.iter().find(|s| s.name() == name) {
                Some(s) => wanted.push(*s),
                None => {
                    let names: Vec<&str> = Stage::ALL.iter().map(|s| s.name()).collect();
                    bail!(
                        "unknown stage `{name}`; stages: extract, {}",
                        names.join(", ")
                    )
                }
            },
        }
    }
    Ok(Stage::ALL
        .into_iter()
        .filter(|s| wanted.contains(s))
        .collect())
}

/// The thread counts to run with: as given (deduplicated, in order), else 1 and all cores.
pub fn resolve_threads(given: &[usize], cores: usize) -> anyhow::Result<Vec<usize>> {
    if given.contains(&0) {
        bail!("--threads must be at least 1");
    }
    let mut out: Vec<usize> = Vec::new();
    let wanted = if given.is_empty() {
        vec![1, cores.max(1)]
    } else {
        given.to_vec()
    };
    for t in wanted {
        if !out.contains(&t) {
            out.push(t);
        }
    }
    Ok(out)
}

/// One row of the table: a stage at one thread count, timings of the median run.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Row {
    pub stage: String,
    pub threads: usize,
    /// What `items` counts: articles, pages or queries.
    pub unit: String,
    pub items: u64,
    /// Input bytes per run (UTF-8 text, HTML or JSON Lines); 0 when not meaningful.
    pub bytes: u64,
    /// Tokens per run (rased tokenizer over the article bodies); 0 when not meaningful.
    pub tokens: u64,
    /// Wall seconds of every timed run, in run order.
    pub run_seconds: Vec<f64>,
    /// The median of `run_seconds`.
    pub seconds: f64,
    pub items_per_s: f64,
    pub mb_per_s: Option<f64>,
    pub tokens_per_s: Option<f64>,
    /// Peak resident memory of the child process (VmHWM), MiB.
    pub peak_rss_mb: Option<f64>,
    /// Resident memory after setup, before the timed runs (inputs, models), MiB.
    pub base_rss_mb: Option<f64>,
    /// Search latency percentiles over every query of every run, milliseconds.
    pub p50_ms: Option<f64>,
    pub p99_ms: Option<f64>,
}

impl Row {
    fn new(stage: Stage, threads: usize, work: &Work, run_seconds: Vec<f64>) -> Row {
        let seconds = median(&run_seconds);
        let per_s = |n: u64| (n > 0).then(|| n as f64 / seconds.max(1e-12));
        Row {
            stage: stage.name().to_string(),
            threads,
            unit: stage.unit().to_string(),
            items: work.items,
            bytes: work.bytes,
            tokens: work.tokens,
            run_seconds,
            seconds,
            items_per_s: per_s(work.items).unwrap_or(0.0),
            mb_per_s: per_s(work.bytes).map(|b| b / 1e6),
            tokens_per_s: per_s(work.tokens),
            peak_rss_mb: None,
            base_rss_mb: None,
            p50_ms: None,
            p99_ms: None,
        }
    }
}

/// The size of one run's work.
struct Work {
    items: u64,
    bytes: u64,
    tokens: u64,
}

impl Work {
    /// The work of `reps` passes.
    fn times(self, reps: u64) -> Work {
        Work {
            items: self.items * reps,
            bytes: self.bytes * reps,
            tokens: self.tokens * reps,
        }
    }
}

/// Median of a non-empty list (mean of the two middle values for an even count).
pub fn median(xs: &[f64]) -> f64 {
    percentile(xs, 50.0)
}

/// Percentile with linear interpolation between closest ranks; 0 for an empty list.
pub fn percentile(xs: &[f64], p: f64) -> f64 {
    if xs.is_empty() {
        return 0.0;
    }
    let mut v = xs.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    let rank = (p / 100.0).clamp(0.0, 1.0) * (v.len() - 1) as f64;
    let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
    v[lo] + (v[hi] - v[lo]) * (rank - lo as f64)
}

/// A number for a table cell: 3 significant digits below 1000, grouped thousands above.
pub fn fmt_num(x: f64) -> String {
    if !x.is_finite() {
        return "-".into();
    }
    if x >= 1000.0 {
        let s = (x.round() as u64).to_string();
        let head = match s.len() % 3 {
            0 => 3,
            n => n,
        };
        let mut groups = vec![&s[..head]];
        groups.extend(
            s.as_bytes()[head..]
                .chunks(3)
                .map(|g| std::str::from_utf8(g).expect("ASCII digits")),
        );
        groups.join(",")
    } else if x >= 100.0 {
        format!("{x:.0}")
    } else if x >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

/// The rows as a Markdown table.
pub fn format_table(rows: &[Row]) -> String {
    let opt = |x: Option<f64>| x.map_or("-".to_string(), fmt_num);
    let mut out = String::from(
        "| stage | threads | items | items/s | MB/s | tokens/s | peak RSS MB | base RSS MB | notes |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---|\n",
    );
    for r in rows {
        let mut notes = Vec::new();
        if let (Some(p50), Some(p99)) = (r.p50_ms, r.p99_ms) {
            notes.push(format!(
                "latency p50 {} ms, p99 {} ms",
                fmt_num(p50),
                fmt_num(p99)
            ));
        }
        if r.run_seconds.len() > 1 {
            let lo = r.run_seconds.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = r.run_seconds.iter().copied().fold(0.0, f64::max);
            notes.push(format!(
                "median of {} runs, spread {:.0}%",
                r.run_seconds.len(),
                (hi - lo) / r.seconds.max(1e-12) * 100.0
            ));
        }
        out.push_str(&format!(
            "| {} | {} | {} {} | {} | {} | {} | {} | {} | {} |\n",
            r.stage,
            r.threads,
            r.items,
            r.unit,
            fmt_num(r.items_per_s),
            opt(r.mb_per_s),
            opt(r.tokens_per_s),
            opt(r.peak_rss_mb),
            opt(r.base_rss_mb),
            notes.join("; ")
        ));
    }
    out
}

/// The 1, 5 and 15 minute load averages (Linux), to show how busy the machine was.
fn load_average() -> Option<String> {
    let s = std::fs::read_to_string("/proc/loadavg").ok()?;
    Some(s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
}

/// `VmHWM` (peak) or `VmRSS` (current) of this process in MiB (Linux only).
fn proc_status_mb(key: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

pub fn run(args: &BenchArgs) -> anyhow::Result<ExitCode> {
    if args.runs == 0 {
        bail!("--runs must be at least 1");
    }
    let stages = resolve_stages(&args.stages)?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = resolve_threads(&args.threads, cores)?;
    if args.stage_child {
        let ([stage], [threads]) = (stages.as_slice(), threads.as_slice()) else {
            bail!("--stage-child needs exactly one --stage and one --threads");
        };
        let row = run_stage(*stage, *threads, args)?;
        println!("{}", serde_json::to_string(&row)?);
        return Ok(ExitCode::SUCCESS);
    }
    check_inputs(args, &stages)?;
    let exe = std::env::current_exe().context("locating the rased binary")?;
    let load_before = load_average();
    let mut rows = Vec::new();
    for &stage in &stages {
        for &t in &threads {
            eprintln!(
                "bench: {} on {t} thread{} ({} runs)…",
                stage.name(),
                if t == 1 { "" } else { "s" },
                args.runs
            );
            let row = run_child(&exe, stage, t, args)?;
            if args.json {
                println!("{}", serde_json::to_string(&row)?);
            }
            rows.push(row);
        }
    }
    if !args.json {
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "corpus: {} (first {} articles); {} run{} per row, median shown; {cores} cores available; load average {} before, {} after\n",
            args.corpus.display(),
            args.limit,
            args.runs,
            if args.runs == 1 { "" } else { "s" },
            load_before.as_deref().unwrap_or("?"),
            load_average().as_deref().unwrap_or("?"),
        )?;
        write!(out, "{}", format_table(&rows))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Fails early, naming the path, when an input a selected stage needs is missing.
fn check_inputs(args: &BenchArgs, stages: &[Stage]) -> anyhow::Result<()> {
    let needs_corpus = stages.iter().any(|s| {
        !(*s == Stage::ExtractHtml
            || *s == Stage::Search && (args.data.is_some() || args.store.is_some()))
    });
    if needs_corpus && !args.corpus.is_file() {
        bail!(
            "corpus not found: {} (give one with --corpus PATH: JSON Lines, plain or gzip)",
            args.corpus.display()
        );
    }
    if stages.contains(&Stage::ExtractHtml) && !args.html.is_dir() {
        bail!(
            "HTML directory not found: {} (give one with --html DIR, or leave out the extract-html stage)",
            args.html.display()
        );
    }
    if let (Some(dir), true) = (&args.data, stages.contains(&Stage::Search)) {
        if !dir.join("rased.sqlite").exists() {
            bail!("{}: no rased data directory here", dir.display());
        }
    }
    Ok(())
}

fn run_child(exe: &Path, stage: Stage, threads: usize, args: &BenchArgs) -> anyhow::Result<Row> {
    let mut cmd = Command::new(exe);
    cmd.arg("bench")
        .arg("--stage-child")
        .args(["--stage", stage.name()])
        .args(["--threads", &threads.to_string()])
        .arg("--corpus")
        .arg(&args.corpus)
        .arg("--html")
        .arg(&args.html)
        .args(["--limit", &args.limit.to_string()])
        .args(["--runs", &args.runs.to_string()]);
    if let Some(d) = &args.data {
        cmd.arg("--data").arg(d);
    }
    if let Some(s) = &args.store {
        cmd.args(["--store", s]);
    }
    let out = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("running the {} stage", stage.name()))?;
    if !out.status.success() {
        bail!(
            "the {} stage on {threads} threads failed ({})",
            stage.name(),
            out.status
        );
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .with_context(|| format!("the {} stage printed no result", stage.name()))?;
    serde_json::from_str(line).with_context(|| format!("reading the {} result", stage.name()))
}

/// A corpus file for reading, decompressed when it is gzip.
pub fn open_corpus(path: &Path) -> anyhow::Result<Box<dyn Read>> {
    let file = std::fs::File::open(path)
        .with_context(|| format!("corpus not found or unreadable: {}", path.display()))?;
    let mut head = BufReader::new(file);
    let gz = head.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    Ok(if gz {
        Box::new(flate2::bufread::MultiGzDecoder::new(head))
    } else {
        Box::new(head)
    })
}

/// A record of a JSON Lines corpus: its `id`, position, section (`category`) and article.
pub struct CorpusRecord {
    pub id: String,
    pub seq: usize,
    pub section: Option<String>,
    pub article: Article,
}

/// Every record of a JSON Lines corpus (gzip or plain) with an `id` that `keep` accepts,
/// extracted as `rased analyze` extracts it, in corpus order.
pub fn read_records(
    path: &Path,
    keep: &(dyn Fn(&str) -> bool + Sync),
) -> anyhow::Result<Vec<CorpusRecord>> {
    let lines: Vec<String> = BufReader::new(open_corpus(path)?)
        .lines()
        .collect::<Result<_, _>>()
        .with_context(|| format!("reading {}", path.display()))?;
    let opts = ExtractOptions::default();
    Ok(lines
        .par_iter()
        .enumerate()
        .filter_map(|(seq, line)| {
            let v: serde_json::Value = serde_json::from_str(line).ok()?;
            let id = v.get("id")?.as_str()?.to_string();
            if !keep(&id) {
                return None;
            }
            let section = v.get("category").and_then(|c| c.as_str()).map(String::from);
            let article = extract("corpus.jsonl", line.as_bytes(), &opts)
                .articles
                .into_iter()
                .next()?;
            Some(CorpusRecord {
                id,
                seq,
                section,
                article,
            })
        })
        .collect())
}

/// The first `limit` lines of a JSON Lines corpus (gzip or plain), as bytes.
fn read_corpus(path: &Path, limit: usize) -> anyhow::Result<Vec<u8>> {
    let reader = open_corpus(path)?;
    let mut out = Vec::new();
    let mut n = 0;
    for line in BufReader::new(reader).split(b'\n') {
        let line = line.with_context(|| format!("reading {}", path.display()))?;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        out.extend_from_slice(&line);
        out.push(b'\n');
        n += 1;
        if n >= limit {
            break;
        }
    }
    if n == 0 {
        bail!("{}: no records", path.display());
    }
    Ok(out)
}

fn articles_of(jsonl: &[u8]) -> Vec<Article> {
    let mut out = Vec::new();
    extract_stream(
        "corpus",
        jsonl,
        &ExtractOptions::default(),
        |a| out.push(a),
        |_| {},
    );
    out
}

fn count_tokens(texts: &[&str]) -> u64 {
    texts.iter().map(|t| Tokens::new(t).count() as u64).sum()
}

/// HTML pages under `dir`, recursively, sorted by path.
fn html_pages(dir: &Path) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).with_context(|| format!("reading {}", d.display()))? {
            let p = e?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("html") || x.eq_ignore_ascii_case("htm"))
            {
                files.push(p);
            }
        }
    }
    files.sort();
    if files.is_empty() {
        bail!("no .html pages under {}", dir.display());
    }
    files
        .into_iter()
        .map(|p| Ok((p.display().to_string(), std::fs::read(&p)?)))
        .collect()
}

/// Peak memory before the timed runs, and the seconds of each run of `work` over every
/// body, in parallel on `pool`.
fn per_body(
    runs: usize,
    pool: &rayon::ThreadPool,
    bodies: &[&str],
    work: impl Fn(&&str) + Sync,
) -> (Option<f64>, (Vec<f64>, u64)) {
    let base = proc_status_mb("VmRSS:");
    let s = time_runs(runs, pool, || (), |_| bodies.par_iter().for_each(&work));
    (base, s)
}

/// ~20 queries of the kinds users type: names, clitic forms, phrases, topics (shared with
/// the search crate's criterion bench).
pub fn queries() -> Vec<&'static str> {
    include_str!("../../../bench/queries.txt")
        .lines()
        .filter(|l| !l.is_empty())
        .collect()
}

/// A timed run should last at least this long; shorter passes are repeated within a run.
const MIN_RUN_SECONDS: f64 = 0.3;

/// Times `f` on the pool: one untimed warm-up pass (which also sizes the runs), then `runs`
/// timed runs of `reps` passes each, `prepare` called untimed before every pass. Returns
/// the seconds of each run and `reps`.
fn time_runs<S: Send>(
    runs: usize,
    pool: &rayon::ThreadPool,
    mut prepare: impl FnMut() -> S,
    f: impl Fn(S) + Sync,
) -> (Vec<f64>, u64) {
    let state = prepare();
    let t = Instant::now();
    pool.install(|| f(state));
    let once = t.elapsed().as_secs_f64();
    let reps = (MIN_RUN_SECONDS / once.max(1e-9))
        .ceil()
        .clamp(1.0, 10_000.0) as u64;
    let secs = (0..runs)
        .map(|_| {
            let mut total = 0.0;
            for _ in 0..reps {
                let state = prepare();
                let t = Instant::now();
                pool.install(|| f(state));
                total += t.elapsed().as_secs_f64();
            }
            total
        })
        .collect();
    (secs, reps)
}

/// Sets up and times one stage in this process.
fn run_stage(stage: Stage, threads: usize, args: &BenchArgs) -> anyhow::Result<Row> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("building the thread pool")?;
    let runs = args.runs;
    let opts = ExtractOptions::default();
    let mut latencies: Vec<f64> = Vec::new();
    let (work, base, run_seconds) = match stage {
        Stage::ExtractHtml => {
            let pages = html_pages(&args.html)?;
            // Enough pages per run for a stable timing: the page set repeated.
            let reps = 200usize.div_ceil(pages.len());
            let jobs: Vec<&(String, Vec<u8>)> = (0..reps).flat_map(|_| pages.iter()).collect();
            let bodies: Vec<String> = pages
                .iter()
                .flat_map(|(n, b)| extract(n, b, &opts).articles)
                .map(|a| a.body)
                .collect();
            let refs: Vec<&str> = bodies.iter().map(String::as_str).collect();
            let work = Work {
                items: jobs.len() as u64,
                bytes: jobs.iter().map(|(_, b)| b.len() as u64).sum(),
                tokens: count_tokens(&refs) * reps as u64,
            };
            let base = proc_status_mb("VmRSS:");
            let (secs, reps) = time_runs(
                runs,
                &pool,
                || (),
                |_| {
                    jobs.par_iter().for_each(|(n, b)| {
                        std::hint::black_box(extract(n, b, &opts));
                    })
                },
            );
            (work.times(reps), base, secs)
        }
        Stage::ExtractJsonl => {
            let jsonl = read_corpus(&args.corpus, args.limit)?;
            // Chunks of whole lines, extracted in parallel.
            let mut chunks: Vec<&[u8]> = Vec::new();
            let mut rest = &jsonl[..];
            while !rest.is_empty() {
                let mut end = 0;
                for _ in 0..256 {
                    match rest[end..].iter().position(|&b| b == b'\n') {
                        Some(i) => end += i + 1,
                        None => {
                            end = rest.len();
                            break;
                        }
                    }
                    if end >= rest.len() {
                        break;
                    }
                }
                chunks.push(&rest[..end]);
                rest = &rest[end..];
            }
            let articles = articles_of(&jsonl);
            let bodies: Vec<&str> = articles.iter().map(|a| a.body.as_str()).collect();
            let work = Work {
                items: articles.len() as u64,
                bytes: jsonl.len() as u64,
                tokens: count_tokens(&bodies),
            };
            let base = proc_status_mb("VmRSS:");
            let (secs, reps) = time_runs(
                runs,
                &pool,
                || (),
                |_| {
                    chunks.par_iter().for_each(|c| {
                        let mut n = 0usize;
                        extract_stream("corpus", *c, &opts, |_| n += 1, |_| {});
                        std::hint::black_box(n);
                    })
                },
            );
            (work.times(reps), base, secs)
        }
        Stage::Normalize
        | Stage::Tokenize
        | Stage::Segment
        | Stage::Stem
        | Stage::Ner
        | Stage::Events
        | Stage::Analyze => {
            let jsonl = read_corpus(&args.corpus, args.limit)?;
            let articles = articles_of(&jsonl);
            drop(jsonl);
            let bodies: Vec<&str> = articles.iter().map(|a| a.body.as_str()).collect();
            let work = Work {
                items: articles.len() as u64,
                bytes: bodies.iter().map(|b| b.len() as u64).sum(),
                tokens: count_tokens(&bodies),
            };
            let secs = match stage {
                Stage::Normalize => per_body(runs, &pool, &bodies, |b| {
                    std::hint::black_box(normalize_str(b, Level::Match));
                }),
                Stage::Tokenize => per_body(runs, &pool, &bodies, |b| {
                    std::hint::black_box(rased_text::tokenize::tokenize(b));
                }),
                Stage::Segment => per_body(runs, &pool, &bodies, |b| {
                    for t in Tokens::new(b).filter(|t| t.kind == TokenKind::Arabic) {
                        std::hint::black_box(rased_text::segment::segment(t.text));
                    }
                }),
                Stage::Stem => {
                    // What `rased text stem` does: every word and number to its search stem.
                    per_body(runs, &pool, &bodies, |b| {
                        for t in Tokens::new(b)
                            .filter(|t| t.kind.is_word() || t.kind == TokenKind::Number)
                        {
                            std::hint::black_box(rased_text::stem::search_stem(t.text));
                        }
                    })
                }
                Stage::Ner => {
                    let model = rased_analyze::Model::embedded();
                    per_body(runs, &pool, &bodies, |b| {
                        std::hint::black_box(model.tag_text(b));
                    })
                }
                Stage::Events => {
                    // The pipeline's input to event coding: entities from the whole analysis
                    // (computed untimed, on all cores).
                    let analyzer = Analyzer::new().context("loading the analysis resources")?;
                    let mut analyzed = articles.clone();
                    analyzed.par_iter_mut().for_each(|a| {
                        let _ = analyzer.analyze(a);
                    });
                    drop(analyzer);
                    let base = proc_status_mb("VmRSS:");
                    let s = time_runs(
                        runs,
                        &pool,
                        || (),
                        |_| {
                            analyzed.par_iter().for_each(|a| {
                                let published =
                                    a.published.as_deref().and_then(|d| d.get(..10)).and_then(
                                        |d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok(),
                                    );
                                let place = a.dateline.as_ref().and_then(|d| d.place.as_deref());
                                std::hint::black_box(rased_analyze::events::code_events(
                                    &a.body,
                                    &a.entities,
                                    published,
                                    place,
                                ));
                            })
                        },
                    );
                    (base, s)
                }
                Stage::Analyze => {
                    let analyzer = Analyzer::new().context("loading the analysis resources")?;
                    let base = proc_status_mb("VmRSS:");
                    let s = time_runs(
                        runs,
                        &pool,
                        || articles.clone(),
                        |mut batch: Vec<Article>| {
                            batch.par_iter_mut().for_each(|a| {
                                let _ = analyzer.analyze(a);
                            });
                            std::hint::black_box(batch);
                        },
                    );
                    (base, s)
                }
                _ => unreachable!(),
            };
            let (base, (secs, reps)) = secs;
            (work.times(reps), base, secs)
        }
        Stage::Ingest => {
            let jsonl = read_corpus(&args.corpus, args.limit)?;
            let (items, tokens) = {
                let articles = articles_of(&jsonl);
                let bodies: Vec<&str> = articles.iter().map(|a| a.body.as_str()).collect();
                (articles.len() as u64, count_tokens(&bodies))
            };
            let tmp = tempfile::tempdir().context("creating a temporary directory")?;
            let input = tmp.path().join("corpus.jsonl");
            std::fs::write(&input, &jsonl)
                .with_context(|| format!("writing {}", input.display()))?;
            let work = Work {
                items,
                bytes: jsonl.len() as u64,
                tokens,
            };
            drop(jsonl);
            let analyzer = Analyzer::new().context("loading the analysis resources")?;
            let base = proc_status_mb("VmRSS:");
            let mut secs = Vec::new();
            for run in 0..runs {
                let dir = tmp.path().join(format!("data-{run}"));
                let t = Instant::now();
                pool.install(|| ingest_into(&dir, &input, &analyzer))?;
                secs.push(t.elapsed().as_secs_f64());
                let _ = std::fs::remove_dir_all(&dir);
            }
            (work, base, secs)
        }
        Stage::Search => {
            let tmp = tempfile::tempdir().context("creating a temporary directory")?;
            let dir = match (&args.store, &args.data) {
                (Some(store), _) => PathBuf::from(store),
                (None, Some(d)) => d.clone(),
                (None, None) => {
                    let jsonl = read_corpus(&args.corpus, args.limit)?;
                    let input = tmp.path().join("corpus.jsonl");
                    std::fs::write(&input, &jsonl)
                        .with_context(|| format!("writing {}", input.display()))?;
                    drop(jsonl);
                    let dir = tmp.path().join("data");
                    let analyzer = Analyzer::new().context("loading the analysis resources")?;
                    ingest_into(&dir, &input, &analyzer)?;
                    dir
                }
            };
            let mut data_args = crate::store_cmd::DataArgs::dir(&dir);
            data_args.store = args.store.clone();
            let data = Data::open_existing(&data_args)?;
            let docs = data.engine.indexed_documents()?;
            eprintln!("bench: searching an index of {docs} articles");
            // Each run: every query 10 times, spread over the pool.
            let jobs: Vec<&str> = (0..10).flat_map(|_| queries()).collect();
            let search = |q: &str| {
                let query = SearchQuery {
                    text: q.to_string(),
                    limit: 10,
                    ..SearchQuery::default()
                };
                data.engine.search(&query).map(|r| r.total)
            };
            for q in queries() {
                search(q)?; // warm the caches; fail early
            }
            let base = proc_status_mb("VmRSS:");
            let mut secs = Vec::new();
            for _ in 0..runs {
                let t = Instant::now();
                let lat: Vec<f64> = pool.install(|| {
                    jobs.par_iter()
                        .map(|q| {
                            let t = Instant::now();
                            std::hint::black_box(search(q).ok());
                            t.elapsed().as_secs_f64() * 1000.0
                        })
                        .collect()
                });
                secs.push(t.elapsed().as_secs_f64());
                latencies.extend(lat);
            }
            let work = Work {
                items: jobs.len() as u64,
                bytes: 0,
                tokens: 0,
            };
            (work, base, secs)
        }
    };
    let mut row = Row::new(stage, threads, &work, run_seconds);
    row.base_rss_mb = base;
    row.peak_rss_mb = proc_status_mb("VmHWM:");
    if !latencies.is_empty() {
        row.p50_ms = Some(percentile(&latencies, 50.0));
        row.p99_ms = Some(percentile(&latencies, 99.0));
    }
    Ok(row)
}

/// What `rased ingest INPUT --data DIR` does, minus the lock and the progress bar.
fn ingest_into(dir: &Path, input: &Path, analyzer: &Analyzer) -> anyhow::Result<()> {
    let data = Data::open(&crate::store_cmd::DataArgs::dir(dir))?;
    let analyze = rased_engine::analyze_with(analyzer);
    let pipeline = data.engine.pipeline(&analyze, ExtractOptions::default());
    let summary = pipeline.run(&[input.to_path_buf()], &Quiet)?;
    if summary.failures > 0 {
        eprintln!(
            "bench: warning: {} inputs failed during ingest",
            summary.failures
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_default_alias_order_and_errors() {
        assert_eq!(resolve_stages(&[]).unwrap(), Stage::ALL.to_vec());
        let s = |v: &[&str]| resolve_stages(&v.iter().map(|x| x.to_string()).collect::<Vec<_>>());
        assert_eq!(
            s(&["search", "extract", "NER", "search"]).unwrap(),
            vec![
                Stage::ExtractHtml,
                Stage::ExtractJsonl,
                Stage::Ner,
                Stage::Search
            ]
        );
        assert_eq!(s(&["all"]).unwrap().len(), Stage::ALL.len());
        let err = s(&["stemming"]).unwrap_err().to_string();
        assert!(err.contains("unknown stage `stemming`") && err.contains("normalize"));
    }

    #[test]
    fn threads_default_and_dedup() {
        assert_eq!(resolve_threads(&[], 8).unwrap(), vec![1, 8]);
        assert_eq!(resolve_threads(&[], 1).unwrap(), vec![1]);
        assert_eq!(resolve_threads(&[4, 1, 4], 8).unwrap(), vec![4, 1]);
        assert!(resolve_threads(&[0], 8).is_err());
    }

    #[test]
    fn median_and_percentiles() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(percentile(&[], 99.0), 0.0);
        let xs: Vec<f64> = (1..=101).map(f64::from).collect();
        assert_eq!(percentile(&xs, 99.0), 100.0);
        assert_eq!(percentile(&xs, 0.0), 1.0);
    }

    #[test]
    fn numbers_and_table() {
        assert_eq!(fmt_num(1234567.8), "1,234,568");
        assert_eq!(fmt_num(999.4), "999");
        assert_eq!(fmt_num(12.345), "12.3");
        assert_eq!(fmt_num(0.1234), "0.12");
        assert_eq!(fmt_num(f64::NAN), "-");
        let work = Work {
            items: 100,
            bytes: 2_000_000,
            tokens: 0,
        };
        let mut row = Row::new(Stage::Search, 2, &work, vec![2.0, 1.0, 4.0]);
        row.p50_ms = Some(1.5);
        row.p99_ms = Some(12.0);
        assert_eq!(row.seconds, 2.0);
        assert_eq!(row.items_per_s, 50.0);
        assert_eq!(row.mb_per_s, Some(1.0));
        assert_eq!(row.tokens_per_s, None);
        let table = format_table(&[row.clone()]);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("| stage | threads | items | items/s"));
        assert_eq!(
            lines[2],
            "| search | 2 | 100 queries | 50.0 | 1.00 | - | - | - | latency p50 1.50 ms, p99 12.0 ms; median of 3 runs, spread 150% |"
        );
        // Rows survive the trip through the child's JSON.
        let back: Row = serde_json::from_str(&serde_json::to_string(&row).unwrap()).unwrap();
        assert_eq!(back, row);
    }
}
