//! Minimal wiring for the extract branch; the lead's main.rs replaces this.
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod analyze;

#[derive(Parser, Debug)]
#[command(
    name = "rased",
    about = "rased (راصد): an Arabic news intelligence engine"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Read news pages in any supported format and print articles as JSON Lines.
    Analyze(analyze::AnalyzeArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Analyze(args) => match analyze::run(&args) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::from(1)
            }
        },
    }
}
