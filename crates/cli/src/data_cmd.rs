//! `rased build-data`: regenerate the data files in `data/` that are built from `../shared`.

use std::path::PathBuf;
use std::process::ExitCode;

/// Which data to rebuild.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum What {
    /// The knowledge base (data/kb/entities.jsonl).
    Kb,
    /// Document frequencies for keyphrase ranking (data/keyphrase/df.tsv).
    Df,
    /// Everything.
    All,
}

/// Arguments of `rased build-data`.
#[derive(clap::Args, Debug)]
pub struct BuildDataArgs {
    /// What to build.
    #[arg(long, value_enum, default_value = "all")]
    pub what: What,
    /// The shared data folder (names, places, CAMEO dictionaries, corpora).
    #[arg(long, default_value = "../shared/data")]
    pub shared: PathBuf,
    /// The repository's data folder.
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
}

pub fn run_build(args: &BuildDataArgs) -> anyhow::Result<ExitCode> {
    if matches!(args.what, What::Kb | What::All) {
        let out = args.data.join("kb");
        let report = rased_kb::build::build(&args.shared, &out)?;
        eprintln!(
            "rased: KB built in {}: {} countries, {} cities, {} people from CAMEO, {} curated lines, {} nisba forms",
            out.display(),
            report.countries,
            report.cities,
            report.people,
            report.curated,
            report.nisba_forms
        );
    }
    if matches!(args.what, What::Df | What::All) {
        let out = args.data.join("keyphrase/df.tsv");
        let (docs, words) = rased_analyze::keyphrase::build_document_frequencies(
            &args.shared.join("corpus"),
            &out,
            5,
        )?;
        eprintln!(
            "rased: {}: {words} words over {docs} documents",
            out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
