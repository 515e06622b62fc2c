//! The one way a test finds the PostgreSQL and NATS servers it needs (`.ci/services.sh` starts
//! throwaway ones on loopback and exports their URLs), included like `shared.rs`:
//! `#[path = "../../../tests/common/services.rs"] mod services;`.
//!
//! Without a URL a test says so and skips, so that a fresh clone's `cargo test` passes. With
//! `RASED_REQUIRE_SERVICES=1` (set by `.ci/run`) a missing URL is a failure instead: CI must
//! not mistake a skip for a pass.
#![allow(dead_code)]

/// Whether a missing service fails the test instead of skipping it.
pub fn required() -> bool {
    std::env::var("RASED_REQUIRE_SERVICES").is_ok_and(|v| v == "1")
}

fn url(var: &str, what: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(url) if !url.is_empty() => Some(url),
        _ if required() => {
            panic!("RASED_REQUIRE_SERVICES=1 but {var} is not set: this test needs {what}")
        }
        _ => {
            eprintln!(
                "NOTE: {var} is not set; skipping this {what} test (`. .ci/services.sh` starts one; RASED_REQUIRE_SERVICES=1 makes this a failure)"
            );
            None
        }
    }
}

/// The PostgreSQL server's URL (`RASED_TEST_PG_URL`), or `None` after a note.
pub fn pg_url() -> Option<String> {
    url("RASED_TEST_PG_URL", "PostgreSQL")
}

/// The NATS server's URL (`RASED_TEST_NATS_URL`), or `None` after a note.
pub fn nats_url() -> Option<String> {
    url("RASED_TEST_NATS_URL", "NATS JetStream")
}
