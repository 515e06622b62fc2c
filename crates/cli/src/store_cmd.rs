//! Commands over the data directory: ingest, search, entity, failures, status, export, demo.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use rased_engine::{Engine, Location, OpenOptions};
use rased_extract::ExtractOptions;
use rased_ingest::{Progress, Summary};
use rased_search::SearchQuery;
use rased_store::Store;

/// Where the data lives: `--store URL` (`$RASED_STORE`: `postgres://…` or a directory), else
/// `--data DIR` (`$RASED_DATA`), else `./rased-data`.
#[derive(clap::Args, Debug, Clone)]
pub struct DataArgs {
    /// The data directory (the embedded store).
    #[arg(long, env = "RASED_DATA", default_value = "rased-data")]
    pub data: PathBuf,
    /// The store: `postgres://user@host:port/db` (shared by many workers and servers) or a
    /// data directory; takes precedence over `--data`.
    #[arg(long = "store", env = "RASED_STORE", value_name = "URL")]
    pub store: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

impl DataArgs {
    /// For a data directory.
    pub fn dir(data: &Path) -> Self {
        DataArgs {
            data: data.to_path_buf(),
            store: None,
            json: false,
        }
    }

    pub fn location(&self) -> Location {
        Location::resolve(self.store.as_deref(), &self.data)
    }
}

/// An open store and its search (the engine layer: the same for every backend).
pub struct Data {
    pub engine: Engine,
}

impl Data {
    pub fn open(args: &DataArgs) -> anyhow::Result<Self> {
        Self::open_with(args, false)
    }

    /// Opens an existing store for reading (refuses to create a data directory by accident).
    pub fn open_existing(args: &DataArgs) -> anyhow::Result<Self> {
        Self::open_with(args, true)
    }

    fn open_with(args: &DataArgs, must_exist: bool) -> anyhow::Result<Self> {
        let location = args.location();
        let options = OpenOptions {
            connections: 4,
            must_exist,
        };
        let engine = Engine::open(&location, options).map_err(|e| match e {
            rased_engine::EngineError::NoData(dir) => anyhow::anyhow!(
                "{dir}: no rased data here; run `rased ingest PATH --data {dir}` first"
            ),
            e => anyhow::Error::new(e).context(format!("opening the store at {location}")),
        })?;
        Ok(Data { engine })
    }

    pub fn store(&self) -> &dyn Store {
        self.engine.store()
    }
}

#[derive(clap::Args, Debug)]
pub struct IngestArgs {
    /// Files or directories to ingest (recursively); `-` reads standard input.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub data: DataArgs,
    /// Refuse inputs (and single records) larger than this many bytes.
    #[arg(long, default_value_t = 64 * 1024 * 1024)]
    pub max_bytes: u64,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
    /// Publish the inputs as units of work to this NATS JetStream server
    /// (`nats://host:port`) for `rased worker`s to ingest, instead of ingesting here.
    #[arg(long, env = "RASED_QUEUE", value_name = "URL")]
    pub queue: Option<String>,
    /// With `--queue`: return once every published unit is done (or failed).
    #[arg(long, requires = "queue")]
    pub wait: bool,
    /// With `--queue`: JSON Lines records per unit.
    #[arg(long, default_value_t = 256)]
    pub unit_records: usize,
}

/// A progress bar on a terminal, nothing elsewhere.
struct Bar {
    bar: Option<indicatif::ProgressBar>,
}

impl Bar {
    fn new(quiet: bool) -> Self {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} {elapsed_precise} {pos} articles ({per_sec}) {msg}",
                )
                .expect("valid template"),
            );
            bar.enable_steady_tick(std::time::Duration::from_millis(200));
            bar
        });
        Bar { bar }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn input_started(&self, name: &str) {
        if let Some(b) = &self.bar {
            b.set_message(name.to_string());
        }
    }
    fn articles_done(&self, n: usize) {
        if let Some(b) = &self.bar {
            b.inc(n as u64);
        }
    }
    fn failure(&self, error: &str) {
        match &self.bar {
            Some(b) => b.suspend(|| eprintln!("error: {error}")),
            None => eprintln!("error: {error}"),
        }
    }
}

/// An ingest that stopped, with the data directory named; a write failure says what to check.
/// Whatever was committed before it stays (each batch is one transaction), so the same command
/// resumes once there is room.
fn ingest_error(e: rased_ingest::IngestError, dir: &Location) -> anyhow::Error {
    let write = match &e {
        rased_ingest::IngestError::Store(s) => s.is_write_error(),
        rased_ingest::IngestError::Search(s) => s.is_write_error(),
        _ => false,
    };
    let code = e.code();
    let e = anyhow::Error::new(e);
    if write {
        e.context(format!(
            "{dir}: cannot write the {what} (disk full, file size limit or read-only?) \
             [{code}]; the batches stored before this one are intact and a rerun resumes",
            what = if dir.is_postgres() {
                "database"
            } else {
                "data directory"
            }
        ))
    } else {
        e.context(format!("{dir}: ingest stopped [{code}]"))
    }
}

pub fn ingest(args: &IngestArgs) -> anyhow::Result<ExitCode> {
    if let Some(queue) = &args.queue {
        return crate::queue_cmd::publish(args, queue);
    }
    let location = args.data.location();
    let data = Data::open(&args.data)?;
    let _lock = data.engine.lock_ingest()?;
    let analyzer = rased_engine::analyzer()?;
    let analyze = rased_engine::analyze_with(&analyzer);
    let pipeline = data.engine.pipeline(
        &analyze,
        ExtractOptions {
            max_bytes: args.max_bytes,
            limits: rased_analyze::Limits::from_env().map_err(anyhow::Error::msg)?,
        },
    );
    let bar = Bar::new(args.quiet);
    let started = std::time::Instant::now();
    let summary = pipeline
        .run(&args.paths, &bar)
        .map_err(|e| ingest_error(e, &location))?;
    bar.finish();
    print_summary(&summary, started.elapsed(), args.data.json)?;
    // The webhooks of the alerts this ingest raised (and of any left from before), on
    // either store.
    let webhooks_failed = crate::watch_cmd::deliver_pending(data.engine.watch_store())?;
    Ok(if summary.failures > 0 || webhooks_failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_summary(s: &Summary, took: std::time::Duration, json: bool) -> anyhow::Result<()> {
    let secs = took.as_secs_f64();
    if json {
        let v = serde_json::json!({
            "inputs": s.inputs, "articles_seen": s.articles_seen, "new_articles": s.new_articles,
            "duplicates": s.duplicates, "near_duplicates": s.near_duplicates,
            "batches_skipped": s.batches_skipped, "entities": s.entities, "events": s.events,
            "failures": s.failures, "seconds": secs,
        });
        println!("{v}");
    } else {
        eprintln!(
            "ingested {} inputs in {:.1}s: {} articles seen, {} new ({:.0}/s), {} duplicates, {} near-duplicates, {} new entities, {} events, {} failures",
            s.inputs,
            secs,
            s.articles_seen,
            s.new_articles,
            s.articles_seen as f64 / secs.max(1e-9),
            s.duplicates,
            s.near_duplicates,
            s.entities,
            s.events,
            s.failures
        );
    }
    Ok(())
}

#[derive(clap::Args, Debug)]
pub struct SearchArgs {
    /// Words and "quoted phrases". Spelling variants, clitics and stems match.
    pub query: Vec<String>,
    #[command(flatten)]
    pub data: DataArgs,
    /// Only articles published on or after this date (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Only articles published on or before this date (YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<String>,
    /// Only articles mentioning this entity (an id, or a name looked up among entities).
    #[arg(long)]
    pub entity: Option<String>,
    /// Only articles with an event of this PLOVER type (CONSULT, ASSAULT, …).
    #[arg(long = "type")]
    pub event_type: Option<String>,
    /// Only articles of this outlet.
    #[arg(long)]
    pub outlet: Option<String>,
    /// How many results.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
}

pub fn search(args: &SearchArgs) -> anyhow::Result<ExitCode> {
    let data = Data::open_existing(&args.data)?;
    let entity = match &args.entity {
        Some(e) => Some(resolve_entity_arg(data.store(), e)?),
        None => None,
    };
    let query = SearchQuery {
        text: args.query.join(" "),
        from: args.from.clone(),
        to: args.to.clone(),
        entity,
        event_type: args.event_type.as_ref().map(|t| t.to_uppercase()),
        outlet: args.outlet.clone(),
        limit: args.limit,
        offset: 0,
    };
    let results = data.engine.search(&query)?;
    let mut out = std::io::stdout().lock();
    if args.data.json {
        writeln!(out, "{}", serde_json::to_string(&results)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "{} results", results.total)?;
    for hit in &results.hits {
        writeln!(
            out,
            "\n[{}] {} — {} {}\n  {}",
            hit.id,
            hit.title,
            hit.outlet.as_deref().unwrap_or("?"),
            hit.published.as_deref().unwrap_or(""),
            hit.snippet.marked
        )?;
    }
    let facet = |name: &str, list: &[(String, u64)]| -> String {
        let items: Vec<String> = list
            .iter()
            .take(8)
            .map(|(k, n)| format!("{k} ({n})"))
            .collect();
        format!("{name}: {}", items.join(", "))
    };
    if results.total > 0 {
        writeln!(out)?;
        for (name, list) in [
            ("outlets", &results.outlets),
            ("entities", &results.entities),
            ("months", &results.months),
        ] {
            if !list.is_empty() {
                writeln!(out, "{}", facet(name, list))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// An entity argument: an id as stored, or a name (the most mentioned entity with it).
fn resolve_entity_arg(store: &dyn Store, arg: &str) -> anyhow::Result<String> {
    if store.entity(arg)?.is_some() {
        return Ok(arg.to_string());
    }
    match store.find_entities(arg)?.into_iter().next() {
        Some(e) => Ok(e.id),
        None => bail!("no entity named or with id `{arg}`"),
    }
}

#[derive(clap::Args, Debug)]
pub struct EntityArgs {
    /// An entity id or name (any alias or spelling variant).
    pub name: String,
    #[command(flatten)]
    pub data: DataArgs,
}

pub fn entity(args: &EntityArgs) -> anyhow::Result<ExitCode> {
    let data = Data::open_existing(&args.data)?;
    let id = resolve_entity_arg(data.store(), &args.name)?;
    let e = data.store().entity(&id)?.context("entity vanished")?;
    let cooccurring = data.store().cooccurring(&id, 15)?;
    let months = data.store().mentions_by_month(&id)?;
    let events = data.store().events(None, Some(&id), 50)?;
    if args.data.json {
        let v = serde_json::json!({
            "entity": e,
            "cooccurring": cooccurring.iter().map(|(o, n)| serde_json::json!({"entity": o, "articles": n})).collect::<Vec<_>>(),
            "mentions_by_month": months,
            "events": events,
        });
        println!("{v}");
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "{} [{}] {}", e.name, e.kind, e.id)?;
    if !e.aliases.is_empty() {
        writeln!(out, "aliases: {}", e.aliases.join("، "))?;
    }
    writeln!(out, "mentions: {} in {} articles", e.mentions, e.articles)?;
    if !months.is_empty() {
        let line: Vec<String> = months.iter().map(|(m, n)| format!("{m}: {n}")).collect();
        writeln!(out, "by month: {}", line.join(", "))?;
    }
    if !cooccurring.is_empty() {
        let line: Vec<String> = cooccurring
            .iter()
            .map(|(o, n)| format!("{} ({n})", o.name))
            .collect();
        writeln!(out, "appears with: {}", line.join("، "))?;
    }
    for r in &events {
        let ev = &r.event;
        writeln!(
            out,
            "  {} {} {}: {}",
            ev.date.as_deref().or(r.published.as_deref()).unwrap_or("?"),
            ev.kind,
            ev.evidence.trigger,
            ev.evidence.sentence
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args, Debug)]
pub struct ArticleArgs {
    /// The article id (as printed by `rased search` and `rased analyze`).
    pub id: String,
    #[command(flatten)]
    pub data: DataArgs,
    /// How many "read also" articles to list.
    #[arg(long, default_value_t = 5)]
    pub related: usize,
}

/// One stored article with its story (every outlet's report of the same news) and "read
/// also" list (other stories).
pub fn article(args: &ArticleArgs) -> anyhow::Result<ExitCode> {
    let data = Data::open_existing(&args.data)?;
    let Some(article) = data.store().article(&args.id)? else {
        bail!("no article with id `{}`", args.id);
    };
    let story = data.store().story_of(&args.id)?;
    let coverage: Vec<String> = match &story {
        Some(s) => data
            .store()
            .story_members(s)?
            .into_iter()
            .filter(|id| *id != args.id)
            .collect(),
        None => Vec::new(),
    };
    let mut related = Vec::new();
    for (id, score) in data.store().related_articles(&args.id, args.related)? {
        if let Some(a) = data.store().article(&id)? {
            related.push((a, score));
        }
    }
    if args.data.json {
        let v = serde_json::json!({
            "article": article,
            "story": story,
            "coverage": coverage,
            "read_also": related.iter().map(|(a, s)| serde_json::json!({
                "id": a.id, "title": a.title, "outlet": a.outlet, "published": a.published, "score": s,
            })).collect::<Vec<_>>(),
        });
        println!("{v}");
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", article.title.as_deref().unwrap_or("(untitled)"))?;
    writeln!(
        out,
        "{} · {} · {}",
        article.outlet.as_deref().unwrap_or("?"),
        article.published.as_deref().unwrap_or("?"),
        article.id
    )?;
    writeln!(out, "\n{}\n", article.body)?;
    if !article.keyphrases.is_empty() {
        writeln!(out, "keyphrases: {}", article.keyphrases.join("، "))?;
    }
    let names: Vec<String> = article
        .entities
        .iter()
        .map(|e| format!("{} [{}]", e.name, e.kind))
        .collect();
    if !names.is_empty() {
        writeln!(out, "entities: {}", names.join("، "))?;
    }
    for e in &article.events {
        writeln!(
            out,
            "event: {} ({}) {}",
            e.kind,
            e.evidence.trigger,
            e.date.as_deref().unwrap_or("")
        )?;
    }
    if !coverage.is_empty() {
        writeln!(out, "same story: {}", coverage.join(", "))?;
    }
    for (a, _) in &related {
        writeln!(
            out,
            "read also: [{}] {}",
            a.id,
            a.title.as_deref().unwrap_or("")
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn failures(args: &DataArgs) -> anyhow::Result<ExitCode> {
    let data = Data::open_existing(args)?;
    let failures = data.store().failures()?;
    let mut out = std::io::stdout().lock();
    for f in &failures {
        if args.json {
            writeln!(out, "{}", serde_json::to_string(f)?)?;
        } else {
            writeln!(out, "{}\t{}\t{}", f.input, f.code, f.reason)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn status(args: &DataArgs) -> anyhow::Result<ExitCode> {
    let data = Data::open_existing(args)?;
    print_status(&data, args)?;
    Ok(ExitCode::SUCCESS)
}

fn print_status(data: &Data, args: &DataArgs) -> anyhow::Result<()> {
    let stats = data.store().stats()?;
    if args.json {
        println!("{}", serde_json::to_string(&stats)?);
    } else {
        println!(
            "{}: {} input batches, {} articles ({} indexed), {} entities, {} mentions, {} events, {} failures",
            args.location(),
            stats.inputs,
            stats.articles,
            data.engine.indexed_documents()?,
            stats.entities,
            stats.mentions,
            stats.events,
            stats.failures
        );
    }
    Ok(())
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Jsonl,
    Csv,
    Plover,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportWhat {
    Articles,
    Entities,
    Events,
}

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Output format (`plover` exports events as PLOVER records).
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: ExportFormat,
    /// What to export.
    #[arg(long, value_enum, default_value = "articles")]
    pub what: ExportWhat,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

pub fn export(args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let data = Data::open_existing(&args.data)?;
    let sink: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(File::create(p).with_context(|| format!("creating {}", p.display()))?),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::new(sink);
    let what = if args.format == ExportFormat::Plover {
        ExportWhat::Events
    } else {
        args.what
    };
    match (what, args.format) {
        (ExportWhat::Articles, ExportFormat::Jsonl) => {
            for_each_article(data.store(), |a, story| {
                let record = ExportedArticle { article: a, story };
                writeln!(out, "{}", serde_json::to_string(&record)?)?;
                Ok(())
            })?;
        }
        (ExportWhat::Articles, _) => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record([
                "id",
                "role",
                "page",
                "url",
                "title",
                "published",
                "outlet",
                "story",
                "source",
                "author",
                "dateline_place",
                "keywords",
                "tags",
                "keyphrases",
                "entities",
                "events",
                "body",
            ])?;
            for_each_article(data.store(), |a, story| {
                let place = a
                    .dateline
                    .as_ref()
                    .and_then(|d| d.place.clone())
                    .unwrap_or_default();
                let role = if a.role == rased_model::Role::Main {
                    "main"
                } else {
                    "related"
                };
                let entities: Vec<&str> = a.entities.iter().map(|e| e.id.as_str()).collect();
                let events: Vec<&str> = a.events.iter().map(|e| e.kind.as_str()).collect();
                w.write_record([
                    a.id.as_str(),
                    role,
                    &a.page,
                    a.url.as_deref().unwrap_or(""),
                    a.title.as_deref().unwrap_or(""),
                    a.published.as_deref().unwrap_or(""),
                    a.outlet.as_deref().unwrap_or(""),
                    story.unwrap_or(""),
                    a.source.as_deref().unwrap_or(""),
                    a.author.as_deref().unwrap_or(""),
                    &place,
                    &a.keywords.join("|"),
                    &a.tags.join("|"),
                    &a.keyphrases.join("|"),
                    &entities.join("|"),
                    &events.join("|"),
                    &a.body,
                ])?;
                Ok(())
            })?;
            w.flush()?;
        }
        (ExportWhat::Entities, ExportFormat::Jsonl) => {
            for e in all_entities(data.store())? {
                writeln!(out, "{}", serde_json::to_string(&e)?)?;
            }
        }
        (ExportWhat::Entities, _) => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(["id", "type", "name", "aliases", "mentions", "articles"])?;
            for e in all_entities(data.store())? {
                w.write_record([
                    e.id.as_str(),
                    &e.kind,
                    &e.name,
                    &e.aliases.join("|"),
                    &e.mentions.to_string(),
                    &e.articles.to_string(),
                ])?;
            }
            w.flush()?;
        }
        (ExportWhat::Events, ExportFormat::Plover) => {
            for (i, r) in data.store().events(None, None, 0)?.iter().enumerate() {
                let id = format!("{}-{:04}", r.article, i + 1);
                let mut record = rased_analyze::events::plover_record(
                    &id,
                    &r.event,
                    r.outlet.as_deref(),
                    r.published.as_deref(),
                );
                record["reports"] = serde_json::json!(r.reports);
                record["eventGroup"] = serde_json::json!(r.group);
                writeln!(out, "{record}")?;
            }
        }
        (ExportWhat::Events, ExportFormat::Jsonl) => {
            for r in data.store().events(None, None, 0)? {
                writeln!(out, "{}", serde_json::to_string(&r)?)?;
            }
        }
        (ExportWhat::Events, ExportFormat::Csv) => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record([
                "article",
                "published",
                "outlet",
                "type",
                "mode",
                "cameo",
                "quad_class",
                "date",
                "actors",
                "recipients",
                "place",
                "negated",
                "future",
                "modality",
                "trigger",
                "sentence",
                "confidence",
            ])?;
            for r in data.store().events(None, None, 0)? {
                let e = &r.event;
                let names = |ps: &[rased_model::Participant]| {
                    ps.iter()
                        .map(|p| p.entity.clone().unwrap_or_else(|| p.text.clone()))
                        .collect::<Vec<_>>()
                        .join("|")
                };
                w.write_record([
                    r.article.as_str(),
                    r.published.as_deref().unwrap_or(""),
                    r.outlet.as_deref().unwrap_or(""),
                    &e.kind,
                    e.mode.as_deref().unwrap_or(""),
                    e.cameo.as_deref().unwrap_or(""),
                    &e.quad_class.map(|q| q.to_string()).unwrap_or_default(),
                    e.date.as_deref().unwrap_or(""),
                    &names(&e.actors),
                    &names(&e.recipients),
                    &e.place
                        .as_ref()
                        .map(|p| p.entity.clone().unwrap_or_else(|| p.text.clone()))
                        .unwrap_or_default(),
                    &e.negated.to_string(),
                    &e.future.to_string(),
                    e.modality.as_deref().unwrap_or(""),
                    &e.evidence.trigger,
                    &e.evidence.sentence,
                    &format!("{:.2}", e.confidence),
                ])?;
            }
            w.flush()?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// An exported article: the stored article with its story (every outlet's report of the
/// same news, named by its first article).
#[derive(serde::Serialize)]
struct ExportedArticle<'a> {
    #[serde(flatten)]
    article: &'a rased_model::Article,
    story: Option<&'a str>,
}

/// Every stored article in ingest order, with its story.
fn for_each_article(
    store: &dyn Store,
    mut f: impl FnMut(&rased_model::Article, Option<&str>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut seq = 0;
    loop {
        let page = store.articles_after_seq(seq, 500)?;
        let Some(last) = page.last() else { break };
        seq = last.0;
        for (_, a) in &page {
            let story = store.story_of(&a.id)?;
            f(a, story.as_deref())?;
        }
    }
    Ok(())
}

fn all_entities(store: &dyn Store) -> anyhow::Result<Vec<rased_store::EntityRecord>> {
    let mut out = Vec::new();
    loop {
        let page = store.entities(None, 1000, out.len())?;
        if page.is_empty() {
            break;
        }
        out.extend(page);
    }
    Ok(out)
}

#[derive(clap::Args, Debug)]
pub struct DemoArgs {
    /// The sample corpus to ingest.
    #[arg(long, default_value = "data/samples")]
    pub samples: PathBuf,
    /// A fresh data directory for the demo (replaced if it holds an earlier demo).
    #[arg(long, default_value = "rased-demo")]
    pub data: PathBuf,
    /// Only ingest and print; do not serve the web UI afterwards.
    #[arg(long)]
    pub no_serve: bool,
    #[command(flatten)]
    pub serve: crate::serve_cmd::ServeOptions,
}

pub fn demo(args: &DemoArgs) -> anyhow::Result<ExitCode> {
    if args.data.join("rased.sqlite").exists() {
        std::fs::remove_dir_all(&args.data)
            .with_context(|| format!("clearing the earlier demo in {}", args.data.display()))?;
    }
    eprintln!(
        "rased demo: ingesting {} into {}",
        args.samples.display(),
        args.data.display()
    );
    // The sample files, without the folder's README.
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&args.samples)
        .with_context(|| format!("reading {}", args.samples.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().to_uppercase().starts_with("README"))
        })
        .collect();
    paths.sort();
    let ingest_args = IngestArgs {
        paths,
        data: DataArgs::dir(&args.data),
        max_bytes: 64 * 1024 * 1024,
        quiet: false,
        queue: None,
        wait: false,
        unit_records: 256,
    };
    let code = ingest(&ingest_args)?;
    let data_args = DataArgs::dir(&args.data);
    let data = Data::open_existing(&data_args)?;
    print_status(&data, &data_args)?;
    println!("\nmost mentioned entities:");
    for e in data.store().entities(None, 10, 0)? {
        println!(
            "  {} [{}] — {} mentions in {} articles",
            e.name, e.kind, e.mentions, e.articles
        );
    }
    println!("\nevents by type:");
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    for r in data.store().events(None, None, 0)? {
        *counts.entry(r.event.kind).or_default() += 1;
    }
    for (kind, n) in counts {
        println!("  {kind}: {n}");
    }
    println!("\nsearch «كالين» (spelled قالين in the text):");
    let results = data.engine.search(&SearchQuery {
        text: "كالين".into(),
        limit: 3,
        ..Default::default()
    })?;
    for hit in results.hits {
        println!("  {} — {}", hit.title, hit.snippet.marked);
    }
    println!(
        "\ntry: rased search --data {d} \"الهجرة غير الشرعية\" | rased entity --data {d} حفتر | rased export --data {d} --format plover",
        d = args.data.display()
    );
    if args.no_serve {
        return Ok(code);
    }
    drop(data);
    println!();
    let mut options = args.serve.clone();
    options.addr = crate::serve_cmd::free_addr(options.addr);
    crate::serve_cmd::serve(&data_args.location(), &options)?;
    Ok(code)
}
