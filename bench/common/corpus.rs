//! The corpus the criterion benches read, shared by the crates' bench targets through
//! `#[path]`: the first `n` records of `../shared/data/corpus/ant-multisource.jsonl.gz`, or
//! of the bundled `data/samples/` corpus when ../shared is absent, as JSON values.

use std::io::{BufRead, BufReader, Read};

/// The first `n` corpus records. `manifest_dir` is the bench crate's `CARGO_MANIFEST_DIR`.
pub fn records(manifest_dir: &str, n: usize) -> Vec<serde_json::Value> {
    let root = format!("{manifest_dir}/../..");
    let shared = format!("{root}/../shared/data/corpus/ant-multisource.jsonl.gz");
    let reader: Box<dyn Read> = match std::fs::File::open(&shared) {
        Ok(f) => Box::new(flate2::read::GzDecoder::new(f)),
        Err(_) => Box::new(
            std::fs::File::open(format!("{root}/data/samples/ant-multisource-sample.jsonl"))
                .expect("sample corpus"),
        ),
    };
    BufReader::new(reader)
        .lines()
        .take(n)
        .map(|l| serde_json::from_str(&l.expect("corpus line")).expect("corpus JSON"))
        .collect()
}
