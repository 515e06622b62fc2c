//! Extraction of html input: the fuzzed bytes after a prefix that selects the reader
//! (detection is by content), and on their own (detection itself, and every other reader).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "extract_common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let mut bytes = b"<!DOCTYPE html><html>".to_vec();
    bytes.extend_from_slice(data);
    common::check("page.html", &bytes);
    common::check("page.html", data);
});
