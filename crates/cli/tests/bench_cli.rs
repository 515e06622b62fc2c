//! `rased bench` argument handling and output shape (never its timings).

mod common;

use common::{rased, SAMPLE};

#[test]
fn json_rows_one_per_stage_and_thread_count() {
    let out = rased(&[
        "bench",
        "--corpus",
        SAMPLE,
        "--limit",
        "20",
        "--runs",
        "2",
        "--threads",
        "1",
        "--threads",
        "2",
        "--stage",
        "tokenize",
        "--stage",
        "normalize",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let keys: Vec<(String, u64)> = rows
        .iter()
        .map(|r| {
            (
                r["stage"].as_str().unwrap().to_string(),
                r["threads"].as_u64().unwrap(),
            )
        })
        .collect();
    // Pipeline order, whatever the order on the command line.
    assert_eq!(
        keys,
        [
            ("normalize".to_string(), 1),
            ("normalize".to_string(), 2),
            ("tokenize".to_string(), 1),
            ("tokenize".to_string(), 2)
        ]
    );
    for r in &rows {
        assert_eq!(r["run_seconds"].as_array().unwrap().len(), 2);
        assert_eq!(r["unit"], "articles");
        // Items are whole passes over the 20 articles.
        assert_eq!(r["items"].as_u64().unwrap() % 20, 0, "{r}");
        assert!(r["tokens"].as_u64().unwrap() > 0);
    }
}

#[test]
fn table_by_default() {
    let out = rased(&[
        "bench",
        "--corpus",
        SAMPLE,
        "--limit",
        "5",
        "--runs",
        "1",
        "--threads",
        "1",
        "--stage",
        "stem",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("| stage | threads | items | items/s | MB/s | tokens/s | peak RSS MB"));
    assert!(
        text.lines().any(|l| l.starts_with("| stem | 1 | ")),
        "{text}"
    );
}

#[test]
fn missing_inputs_and_bad_arguments_are_usage_errors() {
    let out = rased(&["bench", "--corpus", "/nonexistent/corpus.jsonl.gz"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/nonexistent/corpus.jsonl.gz"), "{err}");

    let out = rased(&["bench", "--corpus", SAMPLE, "--stage", "stemming"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown stage `stemming`"));

    let out = rased(&["bench", "--corpus", SAMPLE, "--threads", "0"]);
    assert_eq!(out.status.code(), Some(2));

    let out = rased(&[
        "bench",
        "--stage",
        "extract-html",
        "--html",
        "/nonexistent/html",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/html"));
}
