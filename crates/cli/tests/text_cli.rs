//! The `rased text` commands as a user runs them: stdin in, one result per line out.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn rased(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rased"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run rased");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(args: &[&str], stdin: &str) -> String {
    let out = rased(args, stdin.as_bytes());
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn normalize_keeps_line_alignment_including_empty_lines() {
    let out = stdout(&["text", "normalize"], "إِبْرَاهِيم\n\nقالَـــين ٢٠٢٥\n");
    assert_eq!(out, "ابراهيم\n\nقالين 2025\n");
}

#[test]
fn normalize_levels() {
    assert_eq!(
        stdout(&["text", "normalize", "--level", "display"], "جـديدٌ\n"),
        "جديدٌ\n"
    );
    assert_eq!(
        stdout(&["text", "normalize", "--level", "search"], "مدرسة\n"),
        "مدرسه\n"
    );
}

#[test]
fn invalid_utf8_is_replaced_with_a_warning_naming_the_line() {
    let out = rased(&["text", "normalize"], b"\xd8\xa7\n\xff\xfe\n");
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "ا\n\u{FFFD}\u{FFFD}\n"
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("line 2"), "{err}");
}

#[test]
fn bad_level_is_a_usage_error() {
    let out = rased(&["text", "normalize", "--level", "loud"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("loud"));
}

#[test]
fn sentences_separate_inputs_with_blank_lines() {
    let out = stdout(&["text", "sentences"], "جملة أولى. جملة ثانية؟\n\nثالثة\n");
    assert_eq!(out, "جملة أولى.\nجملة ثانية؟\n\n\nثالثة\n\n");
}

#[test]
fn tokens_plain_and_json() {
    assert_eq!(
        stdout(&["text", "tokens"], "أنقرة (زمان التركية) – التقى\n"),
        "أنقرة ( زمان التركية ) – التقى\n"
    );
    let json = stdout(
        &["text", "tokens", "--json"],
        "التقى قالين، بحفتر في 25/08/2025 #ليبيا\n",
    );
    let value: serde_json::Value = serde_json::from_str(json.trim()).unwrap();
    insta::assert_json_snapshot!(value);
}

#[test]
fn stem_prints_search_stems() {
    assert_eq!(
        stdout(&["text", "stem"], "والمدارس المدرسة\n"),
        "مدارس مدرس\n"
    );
}

#[test]
fn every_subcommand_has_help() {
    for cmd in [
        "normalize",
        "tokens",
        "segment",
        "stem",
        "sentences",
        "namekey",
        "date",
    ] {
        let out = rased(&["text", cmd, "--help"], b"");
        assert!(out.status.success(), "{cmd}");
        assert!(!out.stdout.is_empty());
    }
}
