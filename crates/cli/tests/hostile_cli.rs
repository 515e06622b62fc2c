//! Hostile inputs (issue 17) through the binary: each kind ends with exit 0 or 1, never a
//! panic, and the bounds of `rased_text::Limits` show in what is printed and recorded.
//!
//! The inputs are generated here (never committed; `tests/hostile/make_inputs.py` writes the
//! full-size set for timing the release build). What bounds the work is asserted through the
//! limits' own reports (tags dropped, the token budget, sentence pieces), not through the
//! clock; where a case needs a large document to reach a limit, the test lowers the limit
//! with its `RASED_LIMIT_*` variable instead.

use std::path::Path;
use std::process::{Command, Output, Stdio};

mod common;

use common::SAMPLE;

const HEAD: &str = "<html><head><meta charset=utf-8><title>عنوان الصفحة</title></head><body>";
const PARA: &str = "<p>التقى رئيس الاستخبارات التركية إبراهيم قالين بالجنرال خليفة حفتر في \
                    بنغازي يوم الاثنين لبحث التعاون بين البلدين في مختلف المجالات.</p>";

fn rased_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rased"));
    cmd.args(args).stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run rased")
}

/// Exit 0 or 1, no panic; returns (stdout records, stderr).
fn analyze(path: &Path, env: &[(&str, &str)]) -> (Vec<serde_json::Value>, String, i32) {
    let out = rased_env(&["analyze", path.to_str().unwrap()], env);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let code = out.status.code().expect("exited, not killed");
    assert!(code == 0 || code == 1, "exit {code}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let records = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    (records, stderr, code)
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn deep_nesting_is_cut_before_parsing_and_the_article_kept() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 200_000;
    let page = format!(
        "{HEAD}{}{}نص عميق{}</body></html>",
        PARA.repeat(3),
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    let path = write(dir.path(), "nested.html", &page);
    let (records, stderr, code) = analyze(&path, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(records.len(), 1);
    assert!(records[0]["body"].as_str().unwrap().contains("خليفة حفتر"));
    assert!(stderr.contains("[html_trimmed]"), "{stderr}");
    // Everything past depth 512 went, and with it its end tag.
    assert!(
        stderr.contains(&format!("{} tags", depth - 512)),
        "{stderr}"
    );
}

#[test]
fn a_tag_with_200000_attributes_keeps_its_first_ones() {
    let dir = tempfile::tempdir().unwrap();
    let attrs: String = (0..200_000)
        .map(|i| format!(" data-a{i}=\"v{i}\""))
        .collect();
    let page = format!("{HEAD}<div{attrs}>{}</div></body></html>", PARA.repeat(3));
    let path = write(dir.path(), "attrs.html", &page);
    let (records, stderr, code) = analyze(&path, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(records.len(), 1);
    assert!(stderr.contains("199744 attributes dropped"), "{stderr}");
}

#[test]
fn a_token_over_65535_bytes_is_analyzed_whole() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "عنوان\nقال الرئيس إن {} وصل إلى طرابلس.\nوقال إن وبال{} عاد.\n",
        "ب".repeat(40_000),
        "جنرال".repeat(8_000)
    );
    let path = write(dir.path(), "token.txt", &text);
    let (records, stderr, code) = analyze(&path, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(records.len(), 1);
}

/// An article over the token budget is a `too_complex` failure (exit 1) and the inputs after
/// it are still analyzed and printed.
#[test]
fn over_the_token_budget_is_too_complex_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let names = ["مصر", "ليبيا", "تركيا", "قطر", "حفتر", "تونس"];
    let list: Vec<&str> = (0..30_000).map(|i| names[i % names.len()]).collect();
    write(
        dir.path(),
        "a-names.txt",
        &format!("قائمة\n{}\n", list.join("، ")),
    );
    std::fs::copy(SAMPLE, dir.path().join("b-sample.jsonl")).unwrap();
    let (records, stderr, code) = analyze(dir.path(), &[("RASED_LIMIT_DOCUMENT_TOKENS", "20000")]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("a-names.txt: article"), "{stderr}");
    assert!(stderr.contains("60000 tokens exceed"), "{stderr}");
    assert!(stderr.contains("[too_complex]"), "{stderr}");
    assert_eq!(records.len(), 200, "the sample after it is still analyzed");
    assert!(records
        .iter()
        .any(|r| !r["entities"].as_array().unwrap().is_empty()));
}

/// One unpunctuated sentence of 20,000 tokens is analyzed in pieces of the sentence cap: the
/// same article with the cap at 500 and at 1,000 finishes, and the pieces do not lose the
/// names.
#[test]
fn an_endless_sentence_is_analyzed_in_bounded_pieces() {
    let dir = tempfile::tempdir().unwrap();
    let words: Vec<&str> = "قال الرئيس إن الوزير خليفة حفتر زار طرابلس مع وفد كبير من رجال الأعمال"
        .split(' ')
        .collect();
    let sentence: Vec<&str> = (0..20_000).map(|i| words[i % words.len()]).collect();
    let path = write(
        dir.path(),
        "long.txt",
        &format!("عنوان\n{}\n", sentence.join(" ")),
    );
    for cap in ["500", "1000"] {
        // No deadline: a debug build on a loaded machine may need more than 5 s here, and
        // this test is about the sentence cap.
        let env = [
            ("RASED_LIMIT_SENTENCE_TOKENS", cap),
            ("RASED_LIMIT_DEADLINE_MS", "600000"),
        ];
        let (records, stderr, code) = analyze(&path, &env);
        assert_eq!(code, 0, "{stderr}");
        let entities = records[0]["entities"].as_array().unwrap();
        assert!(
            entities
                .iter()
                .any(|e| e["name"].as_str().unwrap().contains("حفتر")),
            "{entities:?}"
        );
    }
}

#[test]
fn past_the_deadline_is_too_complex() {
    let (records, stderr, code) = analyze(Path::new(SAMPLE), &[("RASED_LIMIT_DEADLINE_MS", "1")]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("passed its deadline of 1 ms"), "{stderr}");
    assert!(records.len() < 200);
}

#[test]
fn a_limit_that_is_not_a_number_is_a_usage_error() {
    let out = rased_env(&["analyze", SAMPLE], &[("RASED_LIMIT_HTML_DEPTH", "deep")]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("RASED_LIMIT_HTML_DEPTH"), "{stderr}");
}

/// `rased ingest` records the too-complex articles as failures with their code, stores the
/// others, and exits 1.
#[test]
fn ingest_records_too_complex_articles() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let d = data.to_str().unwrap();
    let budget = [("RASED_LIMIT_DOCUMENT_TOKENS", "600")];
    let out = rased_env(
        &["ingest", "--quiet", "--json", "--data", d, SAMPLE],
        &budget,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let failed = summary["failures"].as_u64().unwrap();
    assert!(failed > 0 && failed < 200, "{summary}");
    assert_eq!(summary["new_articles"].as_u64().unwrap() + failed, 200);
    let out = rased_env(&["failures", "--json", "--data", d], &[]);
    let failures: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(failures.len() as u64, failed);
    assert!(failures.iter().all(|f| f["code"] == "too_complex"));
    assert!(failures
        .iter()
        .all(|f| f["input"].as_str().unwrap().contains("#article-")));
    assert!(failures[0]["reason"]
        .as_str()
        .unwrap()
        .contains("tokens exceed"));
}
