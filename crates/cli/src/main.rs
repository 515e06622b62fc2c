//! `rased`: the command-line front of the rased Arabic news engine. Thin: argument parsing
//! and wiring; the work happens in the library crates.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// mimalloc instead of the system allocator: the analysis allocates many small strings per
/// word, and glibc's malloc/free took ~15 % of `rased analyze`'s cycles (BENCHMARKS §5).
/// Built without transparent huge pages and set to return freed memory at once (see
/// [`release_freed_memory_at_once`]), so that peak memory is below glibc's, not above it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod analyze;
mod bench_cmd;
mod data_cmd;
mod eval_stories_cmd;
mod events_cmd;
mod learn_dating;
mod learn_events_cmd;
mod queue_cmd;
mod serve_cmd;
mod store_cmd;
mod stories_cmd;
mod tag;
mod text_cmd;
mod watch_cmd;

/// rased (راصد): an Arabic news intelligence engine.
///
/// Extracts clean articles and metadata from Arabic news (aggregator pages, HTML, feeds, web
/// archives, JSON Lines), finds the people, organisations and places in them, codes the
/// political events they report (PLOVER), and stores, connects and searches them — natively,
/// without machine translation.
#[derive(Parser, Debug)]
#[command(name = "rased", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Extract and analyze articles from pages, feeds, WARC or JSON Lines; print JSON Lines.
    Analyze(analyze::AnalyzeArgs),
    /// Print the PLOVER events of articles as JSON records, one per line.
    Events(events_cmd::EventsArgs),
    /// Ingest inputs into the data directory (idempotent, resumable).
    Ingest(store_cmd::IngestArgs),
    /// Take units of work from a NATS JetStream queue (`rased ingest … --queue`), analyze them
    /// and store them in a shared PostgreSQL store; several workers share the work.
    Worker(queue_cmd::WorkerArgs),
    /// Search the ingested articles (Arabic-aware: spellings, clitics, stems, phrases).
    Search(store_cmd::SearchArgs),
    /// Show a stored article with its story copies and "read also" list.
    Article(store_cmd::ArticleArgs),
    /// List the stories (every outlet's report of the same news), show one story's coverage,
    /// or recluster the store (`--rebuild`).
    Stories(stories_cmd::StoriesArgs),
    /// Show an entity: aliases, mentions over time, co-occurring entities, events.
    Entity(store_cmd::EntityArgs),
    /// List the inputs that failed, with their reasons.
    Failures(store_cmd::DataArgs),
    /// Counts of what the data directory holds.
    Status(store_cmd::DataArgs),
    /// Export articles, entities or events as JSON Lines, CSV or PLOVER records.
    Export(store_cmd::ExportArgs),
    /// Serve the JSON API and the web UI over a data directory.
    Serve(serve_cmd::ServeArgs),
    /// Ingest the bundled sample corpus into a fresh data directory, show what rased found,
    /// and serve the web UI over it.
    Demo(store_cmd::DemoArgs),
    /// Time each stage on a corpus (items/s, MB/s, tokens/s, peak memory; 1 and all cores).
    Bench(bench_cmd::BenchArgs),
    /// Tag a CoNLL file (one token per line) with named entities: `token<TAB>BIO-tag`.
    Tag(tag::TagArgs),
    /// Train the named-entity tagger on ANERcorp and report dev-split F1.
    TrainNer(tag::TrainNerArgs),
    /// Score the NER tagger on the in-domain gold set's test documents (P/R/F1 per type).
    EvalNer(tag::EvalNerArgs),
    /// Train the topic model and the event decision model from ../shared and data/events/gold.
    TrainEvents(learn_events_cmd::TrainEventsArgs),
    /// Score the event decision on the annotated candidates' test documents (per type).
    EvalEvents(learn_events_cmd::EvalEventsArgs),
    /// Score the cross-outlet story clustering on the judged pairs of `data/stories`.
    EvalStories(eval_stories_cmd::EvalStoriesArgs),
    /// Rebuild the data files built from ../shared/data (knowledge base, keyphrase statistics).
    BuildData(data_cmd::BuildDataArgs),
    /// Watch news sources (feeds, sitemaps, section pages): fetch new articles politely and
    /// ingest them; `--once` polls each source once.
    Watch(watch_cmd::WatchArgs),
    /// The watched sources and their health: last poll, last success, items, errors, next poll.
    Sources(store_cmd::DataArgs),
    /// Add, list or remove watchlists (standing questions that raise alerts).
    #[command(subcommand)]
    Watchlist(watch_cmd::WatchlistCommand),
    /// Alerts raised by watchlists, one a line: watchlist, article id, url, title, what matched.
    Alerts(watch_cmd::AlertsArgs),
    /// Arabic text tools: read stdin line by line, write one result per line.
    #[command(subcommand)]
    Text(text_cmd::TextCommand),
}

/// mimalloc keeps freed pages for a while (10 ms) before giving them back to the OS; startup
/// builds and drops large temporary tables, and with the delay those pages stay resident
/// beside the ones the analysis allocates next (peak RSS 93 MB instead of 73 MB on 1,500
/// articles).
fn release_freed_memory_at_once() {
    /// `mi_option_purge_delay` in mimalloc v3's `mimalloc.h` (the Rust bindings name only the
    /// options both major versions share).
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: sets a plain integer option; mimalloc reads it at each purge.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) };
}

fn main() -> ExitCode {
    release_freed_memory_at_once();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Analyze(args) => analyze::run(&args),
        Command::Events(args) => events_cmd::run(&args),
        Command::Ingest(args) => store_cmd::ingest(&args),
        Command::Worker(args) => queue_cmd::worker(&args),
        Command::Search(args) => store_cmd::search(&args),
        Command::Article(args) => store_cmd::article(&args),
        Command::Entity(args) => store_cmd::entity(&args),
        Command::Stories(args) => stories_cmd::run(&args),
        Command::Failures(args) => store_cmd::failures(&args),
        Command::Status(args) => store_cmd::status(&args),
        Command::Export(args) => store_cmd::export(&args),
        Command::Serve(args) => serve_cmd::run(&args),
        Command::Demo(args) => store_cmd::demo(&args),
        Command::Bench(args) => bench_cmd::run(&args),
        Command::Tag(args) => tag::run_tag(&args),
        Command::TrainNer(args) => tag::run_train(&args),
        Command::EvalNer(args) => tag::run_eval(&args),
        Command::EvalStories(args) => eval_stories_cmd::run(&args),
        Command::TrainEvents(args) => learn_events_cmd::train(&args),
        Command::EvalEvents(args) => learn_events_cmd::eval(&args),
        Command::BuildData(args) => data_cmd::run_build(&args),
        Command::Text(cmd) => text_cmd::run(&cmd),
        Command::Watch(args) => watch_cmd::watch(&args),
        Command::Sources(args) => watch_cmd::sources(&args),
        Command::Watchlist(cmd) => watch_cmd::watchlist(&cmd),
        Command::Alerts(args) => watch_cmd::alerts(&args),
    };
    match result {
        Ok(code) => code,
        // `rased search … | head` closes the pipe early: the reader has what it wanted.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("rased: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// Whether an error is stdout's reader having gone away (`rased … | head`): not a failure.
pub(crate) fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}
