//! Reading the shared JSON Lines corpora (`*.jsonl.gz`, one article per line with a `text`
//! field), for the builders of data files: the KB, keyphrase statistics, word clusters.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

/// The `*.jsonl.gz` files of `dir`, sorted (so builds are deterministic).
pub fn corpus_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".jsonl.gz"))
        .collect();
    files.sort();
    Ok(files)
}

/// Calls `f` with the `text` of every article of every corpus file in `dir`, in order.
/// Lines that are not JSON objects with a text are skipped; a truncated file ends its part.
/// Returns how many texts were read.
pub fn for_each_text(dir: &Path, mut f: impl FnMut(&str)) -> std::io::Result<usize> {
    let mut n = 0;
    for path in corpus_files(dir)? {
        let file = std::fs::File::open(&path)?;
        let reader = BufReader::new(flate2::read::MultiGzDecoder::new(file));
        for line in reader.lines() {
            let Ok(line) = line else { break };
            let Ok(value) = serde_json::from_str::<serde_json::Value>(&line) else {
                continue;
            };
            if let Some(text) = value.get("text").and_then(|t| t.as_str()) {
                n += 1;
                f(text);
            }
        }
    }
    Ok(n)
}
