//! The one way a test finds `../shared` (the larger corpora beside the repository), included
//! by every test that reads it (`#[path = "../../../tests/common/shared.rs"] mod shared_data;`).
//!
//! Without the data a test skips with a note, so that a fresh clone's `cargo test` passes.
//! With `RASED_REQUIRE_SHARED=1` (set by `.ci/run`) a missing file is a failure instead: CI
//! must not mistake a skip for a pass (the NER F1 gate and the event gate read `../shared`).
#![allow(dead_code)]

use std::path::PathBuf;

/// `../shared` itself: the directory beside the workspace root.
pub fn shared_root() -> PathBuf {
    // Every crate sits at `crates/NAME`, so the workspace root is two levels up.
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

/// Whether a missing `../shared` fails the test instead of skipping it.
pub fn required() -> bool {
    std::env::var("RASED_REQUIRE_SHARED").is_ok_and(|v| v == "1")
}

/// `../shared/REL` when it exists; otherwise a note and `None` (the caller returns, the test
/// skips), or a panic naming the path when `RASED_REQUIRE_SHARED=1`.
pub fn shared_path(rel: &str) -> Option<PathBuf> {
    let p = shared_root().join(rel);
    if p.exists() {
        return Some(p);
    }
    if required() {
        panic!(
            "RASED_REQUIRE_SHARED=1 but {} is absent: this test needs the shared data",
            p.display()
        );
    }
    eprintln!(
        "NOTE: {} is absent; skipping (RASED_REQUIRE_SHARED=1 makes this a failure)",
        p.display()
    );
    None
}
