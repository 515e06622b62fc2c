//! Helpers shared by the fixture tests.
#![allow(dead_code)]

#[path = "../../../../tests/common/shared.rs"]
mod shared_data;

use std::collections::HashMap;
use std::path::PathBuf;

/// `../shared` relative to the workspace root, when present.
/// (`RASED_REQUIRE_SHARED=1` makes its absence a failure: see `tests/common/shared.rs`.)
pub fn shared() -> Option<PathBuf> {
    shared_data::shared_path("data").map(|p| p.parent().expect("has a parent").to_path_buf())
}

/// Bag-of-tokens F1 of `got` against `want` (whitespace tokens).
pub fn token_f1(got: &str, want: &str) -> (f64, f64, f64) {
    let bag = |s: &str| {
        let mut m: HashMap<String, usize> = HashMap::new();
        for t in s.split_whitespace() {
            *m.entry(t.to_string()).or_default() += 1;
        }
        m
    };
    let (g, w) = (bag(got), bag(want));
    let overlap: usize = g
        .iter()
        .map(|(t, c)| (*c).min(*w.get(t).unwrap_or(&0)))
        .sum();
    let gn: usize = g.values().sum();
    let wn: usize = w.values().sum();
    let p = overlap as f64 / gn.max(1) as f64;
    let r = overlap as f64 / wn.max(1) as f64;
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (p, r, f)
}

/// The gold body of the fundus LBC page: its expected paragraphs, one per line.
pub fn fundus_lbc_body(expected: &serde_json::Value) -> String {
    let paras: Vec<&str> = expected["V1"]["body"]["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .flat_map(|s| {
            s["paragraphs"]
                .as_array()
                .expect("paragraphs")
                .iter()
                .map(|p| p.as_str().expect("paragraph text"))
        })
        .collect();
    paras.join("\n")
}
