//! Helpers shared by the CLI tests: the bundled sample corpus and running the binary.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The bundled sample corpus (200 ANT articles, JSON Lines).
pub const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../data/samples/ant-multisource-sample.jsonl"
);

/// Runs `rased ARGS` with no input and collects its output.
pub fn rased(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rased"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run rased")
}

/// `rased status --json` of a data directory.
pub fn status(data: &Path) -> serde_json::Value {
    let out = rased(&["status", "--json", "--data", data.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A JSON Lines corpus in `dir` of `copies` × the sample, each copy's texts made distinct.
pub fn corpus(dir: &Path, copies: usize) -> PathBuf {
    let sample = std::fs::read_to_string(SAMPLE).unwrap();
    let path = dir.join("corpus.jsonl");
    let mut f = std::fs::File::create(&path).unwrap();
    for copy in 0..copies {
        for line in sample.lines() {
            let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
            let text = format!("{} (نسخة {copy})", v["text"].as_str().unwrap_or(""));
            v["text"] = serde_json::Value::String(text);
            v["id"] =
                serde_json::Value::String(format!("{}-{copy}", v["id"].as_str().unwrap_or("")));
            writeln!(f, "{v}").unwrap();
        }
    }
    path
}
