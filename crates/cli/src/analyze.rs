//! `rased analyze` (being written on the extract branch).

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `rased analyze`.
#[derive(clap::Args, Debug)]
pub struct AnalyzeArgs {
    /// Files or directories to read; `-` reads standard input.
    pub paths: Vec<PathBuf>,
}

pub fn run(_args: &AnalyzeArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("analyze is not built yet")
}
