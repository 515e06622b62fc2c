//! `rased ingest` as a user runs it: idempotent, resumable after `kill -9`, failures recorded,
//! searchable and exportable afterwards.

use std::path::Path;
use std::process::{Command, Stdio};

mod common;

use common::{corpus, rased, status, SAMPLE};

#[test]
fn ingesting_twice_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let d = data.to_str().unwrap();
    let first = rased(&["ingest", "--quiet", "--data", d, SAMPLE]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let before = status(&data);
    assert_eq!(before["articles"], 200);
    let second = rased(&["ingest", "--quiet", "--json", "--data", d, SAMPLE]);
    assert!(second.status.success());
    let summary: serde_json::Value = serde_json::from_slice(&second.stdout).unwrap();
    assert_eq!(summary["new_articles"], 0);
    assert_eq!(status(&data), before);
}

#[test]
fn killed_ingest_resumes_without_duplicates_or_losses() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus(dir.path(), 6);
    let clean = dir.path().join("clean");
    let out = rased(&[
        "ingest",
        "--quiet",
        "--data",
        clean.to_str().unwrap(),
        input.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expected = status(&clean);
    assert_eq!(expected["articles"], 1200);

    let killed = dir.path().join("killed");
    let mut child = Command::new(env!("CARGO_BIN_EXE_rased"))
        .args([
            "ingest",
            "--quiet",
            "--data",
            killed.to_str().unwrap(),
            input.to_str().unwrap(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill as soon as the first batches are committed, so the kill lands mid-ingest.
    let stored = |data: &Path| -> u64 {
        let out = rased(&["status", "--json", "--data", data.to_str().unwrap()]);
        serde_json::from_slice::<serde_json::Value>(&out.stdout)
            .ok()
            .and_then(|v| v["articles"].as_u64())
            .unwrap_or(0)
    };
    for _ in 0..600 {
        std::thread::sleep(std::time::Duration::from_millis(20));
        if killed.join("rased.sqlite").exists() && stored(&killed) > 0 {
            break;
        }
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let partial = stored(&killed);
    assert!(
        partial > 0 && partial < 1200,
        "the kill must interrupt the ingest ({partial} articles stored)"
    );
    let resumed = rased(&[
        "ingest",
        "--quiet",
        "--data",
        killed.to_str().unwrap(),
        input.to_str().unwrap(),
    ]);
    assert!(
        resumed.status.success(),
        "{}",
        String::from_utf8_lossy(&resumed.stderr)
    );
    let got = status(&killed);
    for key in ["articles", "entities", "mentions", "events"] {
        assert_eq!(got[key], expected[key], "{key}: {got} vs {expected}");
    }
    // Every stored article is searchable exactly once.
    let all = rased(&[
        "search",
        "--json",
        "--limit",
        "1",
        "--data",
        killed.to_str().unwrap(),
    ]);
    let results: serde_json::Value = serde_json::from_slice(&all.stdout).unwrap();
    assert_eq!(results["total"], 1200);
}

#[test]
fn bad_inputs_are_recorded_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("inputs");
    std::fs::create_dir(&inputs).unwrap();
    std::fs::write(inputs.join("empty.html"), b"").unwrap();
    std::fs::write(
        inputs.join("junk.bin"),
        [0u8, 159, 146, 150, 0, 1, 2, 3, 255, 0],
    )
    .unwrap();
    std::fs::write(
        inputs.join("truncated.jsonl.gz"),
        [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1],
    )
    .unwrap();
    std::fs::write(
        inputs.join("broken.jsonl"),
        "{\"title\": \"عنوان\", \"text\": \"نص الخبر الأول عن ليبيا.\"}\n{broken\n",
    )
    .unwrap();
    std::fs::copy(SAMPLE, inputs.join("good.jsonl")).unwrap();
    let data = dir.path().join("data");
    let out = rased(&[
        "ingest",
        "--quiet",
        "--data",
        data.to_str().unwrap(),
        inputs.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "some inputs failed");
    assert_eq!(status(&data)["articles"], 201);
    let failures = rased(&["failures", "--data", data.to_str().unwrap()]);
    let text = String::from_utf8(failures.stdout).unwrap();
    for name in [
        "empty.html",
        "junk.bin",
        "truncated.jsonl.gz",
        "broken.jsonl",
    ] {
        assert!(text.contains(name), "{name} not in failures:\n{text}");
    }
}

#[test]
fn search_entity_and_export_after_ingest() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let d = data.to_str().unwrap();
    let seed = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/samples/seed-page.txt"
    );
    assert!(rased(&["ingest", "--quiet", "--data", d, seed])
        .status
        .success());
    let search = rased(&["search", "--json", "--data", d, "كالين"]);
    let results: serde_json::Value = serde_json::from_slice(&search.stdout).unwrap();
    assert_eq!(results["total"], 1);
    let entity = rased(&["entity", "--json", "--data", d, "قالين"]);
    assert!(
        entity.status.success(),
        "{}",
        String::from_utf8_lossy(&entity.stderr)
    );
    let profile: serde_json::Value = serde_json::from_slice(&entity.stdout).unwrap();
    assert_eq!(profile["entity"]["id"], "cur:ibrahim-kalin");
    let plover = rased(&["export", "--format", "plover", "--data", d]);
    let lines: Vec<serde_json::Value> = String::from_utf8(plover.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(lines
        .iter()
        .any(|r| r["event"] == "CONSULT" && r["eventText"] == "التقى"));
    let id = results["hits"][0]["id"].as_str().unwrap().to_string();
    let shown = rased(&["article", "--json", "--data", d, &id]);
    assert!(
        shown.status.success(),
        "{}",
        String::from_utf8_lossy(&shown.stderr)
    );
    let shown: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(shown["article"]["id"], id.as_str());
    assert!(shown["read_also"].is_array());
    // Every exported article names its story (the seed page's main article opens its own).
    let exported = rased(&["export", "--data", d]);
    let articles: Vec<serde_json::Value> = String::from_utf8(exported.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!articles.is_empty());
    for a in &articles {
        assert!(a["story"].is_string(), "no story in {a}");
    }
    assert!(articles.iter().any(|a| a["story"] == a["id"]));
    let article_csv = rased(&["export", "--format", "csv", "--data", d]);
    let article_csv = String::from_utf8(article_csv.stdout).unwrap();
    let header: Vec<&str> = article_csv.lines().next().unwrap().split(',').collect();
    assert!(header.contains(&"story"), "{header:?}");
    let csv = rased(&[
        "export", "--format", "csv", "--what", "entities", "--data", d,
    ]);
    assert!(String::from_utf8(csv.stdout)
        .unwrap()
        .starts_with("id,type,name"));
    // Reading a data directory that does not exist is a clear error, not a new empty store.
    let missing = rased(&[
        "search",
        "--data",
        dir.path().join("nope").to_str().unwrap(),
        "x",
    ]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn serve_refuses_a_directory_without_data() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("nothing-here");
    let out = rased(&[
        "serve",
        "--data",
        empty.to_str().unwrap(),
        "--addr",
        "127.0.0.1:0",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no rased data here"), "{err}");
    assert!(err.contains("nothing-here"), "{err}");
    // Refusing must not create the directory as a side effect.
    assert!(!empty.exists());
}
