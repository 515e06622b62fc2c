//! Helpers shared by the CLI tests: the bundled sample corpus and running the binary.

#![allow(dead_code)]

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
