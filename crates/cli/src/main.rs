//! `rased`: the command-line front of the rased Arabic news engine. Thin: argument parsing
//! and wiring; the work happens in the library crates.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod analyze;
mod tag;
mod text_cmd;

/// rased (راصد): an Arabic news intelligence engine.
///
/// Extracts clean articles and metadata from Arabic news (aggregator pages, HTML, feeds, web
/// archives, JSON Lines) and analyzes them natively, without machine translation.
#[derive(Parser, Debug)]
#[command(name = "rased", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Extract articles from pages, feeds, WARC or JSON Lines and print them as JSON Lines.
    Analyze(analyze::AnalyzeArgs),
    /// Arabic text tools: read stdin line by line, write one result per line.
    #[command(subcommand)]
    Text(text_cmd::TextCommand),
    /// Tag a CoNLL file (one token per line) with BIO named-entity tags.
    Tag(tag::TagArgs),
    /// Train the named-entity tagger on ANERcorp and report dev-split scores.
    TrainNer(tag::TrainNerArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Analyze(args) => analyze::run(&args),
        Command::Text(cmd) => text_cmd::run(&cmd),
        Command::Tag(args) => tag::run_tag(&args),
        Command::TrainNer(args) => tag::run_train(&args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("rased: {err:#}");
            ExitCode::from(2)
        }
    }
}
