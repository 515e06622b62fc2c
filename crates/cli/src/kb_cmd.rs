//! `rased build-kb`: regenerate the knowledge base from the shared data.

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `rased build-kb`.
#[derive(clap::Args, Debug)]
pub struct BuildKbArgs {
    /// The shared data folder (names, places, CAMEO dictionaries, corpus for word counts).
    #[arg(long, default_value = "../shared/data")]
    pub shared: PathBuf,
    /// The KB folder: reads iso3166.tsv and curated.jsonl there, writes entities.jsonl.
    #[arg(long, default_value = "data/kb")]
    pub out: PathBuf,
}

pub fn run_build(args: &BuildKbArgs) -> anyhow::Result<ExitCode> {
    let report = rased_kb::build::build(&args.shared, &args.out)?;
    eprintln!(
        "rased: KB built in {}: {} countries, {} cities, {} people from CAMEO, {} curated lines, {} nisba forms",
        args.out.display(),
        report.countries,
        report.cities,
        report.people,
        report.curated,
        report.nisba_forms
    );
    Ok(ExitCode::SUCCESS)
}
