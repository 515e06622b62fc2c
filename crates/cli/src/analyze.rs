//! `rased analyze [PATH|-]...`: news input in any supported format → JSON Lines, one
//! analyzed article per line on stdout; one line per error on stderr.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use rased_analyze::{AnalyzeError, Analyzer, Limits};
use rased_extract::{extract_stream, inputs, ExtractError, ExtractOptions};
use rased_model::Article;
use rayon::prelude::*;

/// Options shared by the commands that read inputs.
#[derive(clap::Args, Debug, Clone)]
pub struct InputArgs {
    /// Refuse inputs (and single records) larger than this many bytes.
    #[arg(long, default_value_t = 64 * 1024 * 1024)]
    pub max_bytes: u64,
}

/// Arguments of `rased analyze`.
#[derive(clap::Args, Debug)]
pub struct AnalyzeArgs {
    /// Files or directories to read (directories recursively, in sorted order); `-` reads
    /// standard input (the default).
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub input: InputArgs,
    /// Only extract (no entities, events or keyphrases): much faster.
    #[arg(long)]
    pub extract_only: bool,
    /// Pretty-print each JSON object (no longer one per line).
    #[arg(long)]
    pub pretty: bool,
}

/// Articles analyzed together on all cores, then printed in input order.
const BATCH: usize = 64;

/// Extracts every input and hands each article (analyzed when `analyzer` is given, in
/// parallel batches, in input order) to `f`. Errors go to stderr, one line each. Returns
/// whether any input failed.
pub fn for_each_analyzed(
    paths: &[PathBuf],
    input_args: &InputArgs,
    analyzer: Option<&Analyzer>,
    mut f: impl FnMut(&Article) -> anyhow::Result<()>,
) -> anyhow::Result<bool> {
    let paths = if paths.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        paths.to_vec()
    };
    let opts = input_args.extract_options()?;
    let mut failed = false;
    let report = |e: &ExtractError, failed: &mut bool| {
        if e.is_warning() {
            eprintln!("warning: {e} [{}]", e.code());
        } else {
            *failed = true;
            eprintln!("error: {e} [{}]", e.code());
        }
    };
    let mut batch: Vec<Article> = Vec::with_capacity(BATCH);
    let mut result: anyhow::Result<()> = Ok(());
    let mut analysis_failed = false;
    let mut flush = |batch: &mut Vec<Article>, result: &mut anyhow::Result<()>| {
        let outcomes: Vec<Result<(), AnalyzeError>> = match analyzer {
            Some(a) => batch
                .par_iter_mut()
                .map(|article| a.analyze(article))
                .collect(),
            None => vec![Ok(()); batch.len()],
        };
        for (article, outcome) in batch.drain(..).zip(outcomes) {
            if let Err(e) = outcome {
                analysis_failed = true;
                let input = article.input.as_deref().unwrap_or("-");
                eprintln!("error: {input}: article {}: {e} [{}]", article.id, e.code());
                continue;
            }
            if result.is_ok() {
                *result = f(&article);
            }
        }
    };
    for input in inputs(&paths) {
        let input = match input.and_then(|i| i.open().map(|r| (i, r))) {
            Ok(pair) => pair,
            Err(e) => {
                report(&e, &mut failed);
                continue;
            }
        };
        let (input, reader) = input;
        let mut errors = Vec::new();
        extract_stream(
            input.name(),
            reader,
            &opts,
            |article| {
                batch.push(article);
                if batch.len() >= BATCH {
                    flush(&mut batch, &mut result);
                }
            },
            |e| errors.push(e),
        );
        flush(&mut batch, &mut result);
        for e in &errors {
            report(e, &mut failed);
        }
        if let Err(e) = result {
            return Err(e);
        }
    }
    Ok(failed || analysis_failed)
}

/// The analyzer under the limits of the environment (`RASED_LIMIT_*`, [`Limits`]).
pub fn analyzer() -> anyhow::Result<Analyzer> {
    let limits = Limits::from_env().map_err(anyhow::Error::msg)?;
    Analyzer::with_limits(limits).context("loading the analysis resources")
}

impl InputArgs {
    /// The extraction options: `--max-bytes` and the HTML limits of the environment.
    pub fn extract_options(&self) -> anyhow::Result<ExtractOptions> {
        Ok(ExtractOptions {
            max_bytes: self.max_bytes,
            limits: Limits::from_env().map_err(anyhow::Error::msg)?,
        })
    }
}

/// Runs the command: exit code 0 when every input succeeded, 1 when any failed.
pub fn run(args: &AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let analyzer = if args.extract_only {
        None
    } else {
        Some(analyzer()?)
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    let outcome = for_each_analyzed(&args.paths, &args.input, analyzer.as_ref(), |article| {
        if args.pretty {
            serde_json::to_writer_pretty(&mut out, article)?;
        } else {
            serde_json::to_writer(&mut out, article)?;
        }
        out.write_all(b"\n")?;
        Ok(())
    });
    let failed = match outcome {
        Ok(failed) => failed,
        Err(e) if crate::is_broken_pipe(&e) => return Ok(ExitCode::SUCCESS),
        Err(e) => return Err(e.context("writing articles to stdout")),
    };
    if let Err(e) = out.flush() {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return Err(anyhow::Error::new(e).context("writing articles to stdout"));
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
