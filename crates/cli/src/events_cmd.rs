//! `rased events PATH...`: the PLOVER events of articles in any input format, one JSON record
//! per line (for scripts and event-data pipelines).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::analyze::{for_each_analyzed, InputArgs};

/// Arguments of `rased events`.
#[derive(clap::Args, Debug)]
pub struct EventsArgs {
    /// Files or directories to read; `-` reads standard input.
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub input: InputArgs,
}

pub fn run(args: &EventsArgs) -> anyhow::Result<ExitCode> {
    let analyzer = crate::analyze::analyzer()?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let failed = for_each_analyzed(&args.paths, &args.input, Some(&analyzer), |article| {
        for (i, e) in article.events.iter().enumerate() {
            let id = format!("{}-{:02}", article.id, i + 1);
            let record = rased_analyze::events::plover_record(
                &id,
                e,
                article.outlet.as_deref().or(article.source.as_deref()),
                article.published.as_deref(),
            );
            writeln!(out, "{record}")?;
        }
        Ok(())
    })?;
    out.flush().context("writing to stdout")?;
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
