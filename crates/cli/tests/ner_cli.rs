//! `rased eval-ner` and `rased train-ner --extra` on tiny fixture gold documents.

use std::path::PathBuf;
use std::process::{Command, Output};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../analyze/tests/fixtures/ner-gold")
}

fn rased(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rased"))
        .args(args)
        .output()
        .expect("run rased")
}

#[test]
fn eval_ner_scores_the_test_documents() {
    let gold = fixture();
    let out = rased(&["eval-ner", "--gold", gold.to_str().unwrap(), "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["split"], "test");
    assert_eq!(v["documents"], 2);
    assert_eq!(v["tokens"], 30);
    assert_eq!(v["scores"]["overall"]["gold"], 7);
    assert_eq!(v["scores"]["per_type"]["MISC"]["correct"], 0);
    let f1 = v["scores"]["overall"]["f1"].as_f64().unwrap();
    assert!((0.5..1.0).contains(&f1), "{v}");

    let out = rased(&["eval-ner", "--gold", gold.to_str().unwrap(), "--errors"]);
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains("test, tagger: 2 documents, 3 sentences, 30 tokens"),
        "{table}"
    );
    assert!(table.contains("mentions: 7 gold"), "{table}");
    let errors = String::from_utf8(out.stderr).unwrap();
    assert!(errors.contains("doc-b\t0\tMISC:في\t-\t"), "{errors}");

    let out = rased(&[
        "eval-ner",
        "--gold",
        gold.to_str().unwrap(),
        "--dev-every",
        "1",
    ]);
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("train dev, tagger: 1 documents"), "{table}");

    // The whole analysis, scored on the same gold tokens.
    let out = rased(&[
        "eval-ner",
        "--gold",
        gold.to_str().unwrap(),
        "--analyzed",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["scored"], "analysis");
    assert_eq!(v["scores"]["overall"]["gold"], 7);
    assert!(
        v["scores"]["overall"]["correct"].as_u64().unwrap() > 0,
        "{v}"
    );

    let out = rased(&["eval-ner", "--gold", "/nonexistent-gold-dir"]);
    assert!(!out.status.success());
}

#[test]
fn train_ner_adds_only_train_documents_and_is_deterministic() {
    let gold = fixture();
    let tmp = tempfile::tempdir().unwrap();
    let base = gold.join("docs/doc-c.txt");
    let run = |name: &str| {
        let model = tmp.path().join(name);
        let out = rased(&[
            "train-ner",
            "--train",
            base.to_str().unwrap(),
            "--dev-every",
            "0",
            "--epochs",
            "2",
            "--ensemble",
            "2",
            "--extra",
            gold.to_str().unwrap(),
            "--extra-weight",
            "3",
            "--out",
            model.to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (
            std::fs::read(&model).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (a, log) = run("a.bin");
    // 1 base sentence + doc-c's 1 sentence × 3; the 3 test sentences are not read.
    assert!(log.contains("1 train documents (1 sentences) × 3"), "{log}");
    assert!(log.contains("training on 4 sentences"), "{log}");
    let (b, _) = run("b.bin");
    assert_eq!(a, b, "same inputs, same bytes");
    let model = tmp.path().join("a.bin");
    let out = rased(&[
        "eval-ner",
        "--gold",
        gold.to_str().unwrap(),
        "--model",
        model.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
