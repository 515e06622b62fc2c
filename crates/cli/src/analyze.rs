//! `rased analyze [PATH|-]...`: news input in any supported format → JSON Lines, one
//! article per line on stdout; one line per error on stderr.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use rased_extract::{extract_stream, inputs, ExtractError, ExtractOptions};

/// Arguments of `rased analyze`.
#[derive(clap::Args, Debug)]
pub struct AnalyzeArgs {
    /// Files or directories to read (directories recursively, in sorted order); `-` reads
    /// standard input (the default).
    pub paths: Vec<PathBuf>,
    /// Refuse inputs (and single records) larger than this many bytes.
    #[arg(long, default_value_t = 64 * 1024 * 1024)]
    pub max_bytes: u64,
    /// Pretty-print each JSON object (no longer one per line).
    #[arg(long)]
    pub pretty: bool,
}

/// Runs the command: exit code 0 when every input succeeded, 1 when any failed.
pub fn run(args: &AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.paths.clone()
    };
    let opts = ExtractOptions {
        max_bytes: args.max_bytes,
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let stderr = std::io::stderr();
    let mut failed = false;
    let mut write_err: Option<std::io::Error> = None;
    let report = |e: &ExtractError, failed: &mut bool| {
        let mut err = stderr.lock();
        if e.is_warning() {
            let _ = writeln!(err, "warning: {e} [{}]", e.code());
        } else {
            *failed = true;
            let _ = writeln!(err, "error: {e} [{}]", e.code());
        }
    };
    for input in inputs(&paths) {
        let input = match input {
            Ok(i) => i,
            Err(e) => {
                report(&e, &mut failed);
                continue;
            }
        };
        let reader = match input.open() {
            Ok(r) => r,
            Err(e) => {
                report(&e, &mut failed);
                continue;
            }
        };
        extract_stream(
            input.name(),
            reader,
            &opts,
            |article| {
                if write_err.is_some() {
                    return;
                }
                let res = if args.pretty {
                    serde_json::to_writer_pretty(&mut out, &article)
                } else {
                    serde_json::to_writer(&mut out, &article)
                };
                if let Err(e) = res
                    .map_err(std::io::Error::from)
                    .and_then(|_| out.write_all(b"\n"))
                {
                    write_err = Some(e);
                }
            },
            |e| report(&e, &mut failed),
        );
        if let Some(e) = write_err.take() {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Ok(if failed {
                    ExitCode::from(1)
                } else {
                    ExitCode::SUCCESS
                });
            }
            return Err(anyhow::Error::new(e).context("writing articles to stdout"));
        }
    }
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
