//! Scale-out as a user runs it: PostgreSQL as the store, NATS JetStream sharing the work.
//! Two workers ingest the 200-article sample and the seed page from the queue, one of them is
//! killed with SIGKILL while it works, a third takes over; afterwards the store holds exactly
//! the articles the embedded store holds for the same input, re-ingesting adds nothing, a
//! variant spelling finds its article and the API answers over PostgreSQL.
//!
//! A WARC (gzip per record, as Common Crawl writes them) is split into runs of records, one
//! record too large for a message going by path, and two workers ingest exactly its articles.
//!
//! Needs the servers `.ci/services.sh` starts (`RASED_TEST_PG_URL`, `RASED_TEST_NATS_URL`);
//! without them it says so and skips, unless `RASED_REQUIRE_SERVICES=1`.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod common;
#[path = "../../../tests/common/services.rs"]
mod services;

use common::{rased, SAMPLE};
use rased_store::{PgStore, SqliteStore, Store};

const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../data/samples/seed-page.txt"
);

fn worker(pg: &str, nats: &str, stream: &str, idle: u64) -> Child {
    Command::new(env!("CARGO_BIN_EXE_rased"))
        .args([
            "worker",
            "--store",
            pg,
            "--queue",
            nats,
            "--exit-when-idle",
            &idle.to_string(),
        ])
        .env("RASED_QUEUE_STREAM", stream)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start a worker")
}

fn ids(store: &dyn Store) -> Vec<String> {
    store
        .articles_after_seq(0, 100_000)
        .unwrap()
        .into_iter()
        .map(|(_, a)| a.id)
        .collect()
}

fn publish(pg: &str, nats: &str, stream: &str, inputs: &str, wait: bool) -> std::process::Output {
    let mut args = vec![
        "ingest",
        "--store",
        pg,
        "--queue",
        nats,
        "--unit-records",
        "20",
        inputs,
    ];
    if wait {
        args.push("--wait");
    }
    Command::new(env!("CARGO_BIN_EXE_rased"))
        .args(&args)
        .env("RASED_QUEUE_STREAM", stream)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn two_workers_one_killed_store_exactly_what_the_embedded_store_holds() {
    let (Some(server), Some(nats)) = (services::pg_url(), services::nats_url()) else {
        return;
    };
    let pg = rased_store::fresh_database(&server, "t_queue_cli").unwrap();
    let stream = format!("T{}", std::process::id());
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("inputs");
    std::fs::create_dir(&inputs).unwrap();
    std::fs::copy(SAMPLE, inputs.join("sample.jsonl")).unwrap();
    std::fs::copy(SEED, inputs.join("seed-page.txt")).unwrap();
    let inputs = inputs.to_str().unwrap();

    // The embedded store, for comparison.
    let data = dir.path().join("embedded");
    let out = rased(&[
        "ingest",
        "--quiet",
        "--data",
        data.to_str().unwrap(),
        inputs,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let embedded: BTreeSet<String> = ids(&SqliteStore::open(&data).unwrap())
        .into_iter()
        .collect();
    assert_eq!(embedded.len(), 202);

    let out = publish(&pg, &nats, &stream, inputs, false);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("published 11 units"), "{said}");

    let store = PgStore::open(&pg, 2).unwrap();
    let mut doomed = worker(&pg, &nats, &stream, 30);
    let mut survivor = worker(&pg, &nats, &stream, 30);
    // Kill one worker once the store shows work under way (its unit is then mid-way).
    let started = Instant::now();
    while store.stats().unwrap().articles == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "no worker stored anything"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    doomed.kill().unwrap(); // SIGKILL
    doomed.wait().unwrap();
    let mut stand_in = worker(&pg, &nats, &stream, 30);
    for w in [&mut survivor, &mut stand_in] {
        let status = w.wait().unwrap();
        let mut err = String::new();
        w.stderr.take().unwrap().read_to_string(&mut err).unwrap();
        assert!(status.success(), "{err}");
    }

    let stored = ids(&store);
    let unique: BTreeSet<String> = stored.iter().cloned().collect();
    assert_eq!(stored.len(), unique.len(), "an article stored twice");
    assert_eq!(
        unique, embedded,
        "the shared store differs from the embedded one"
    );
    let before = store.stats().unwrap();

    // Re-ingesting through the queue adds nothing.
    let mut again = worker(&pg, &nats, &stream, 10);
    let out = publish(&pg, &nats, &stream, inputs, true);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    again.kill().unwrap();
    again.wait().unwrap();
    assert_eq!(store.stats().unwrap(), before);

    // A variant spelling (كالين for قالين) finds the seed page's article.
    let out = rased(&["search", "--json", "--store", &pg, "كالين"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(results["total"].as_u64().unwrap() >= 1, "{results}");
    assert!(results["hits"][0]["title"]
        .as_str()
        .unwrap()
        .contains("حفتر"));

    // The API answers over PostgreSQL.
    let mut serve = Command::new(env!("CARGO_BIN_EXE_rased"))
        .args(["serve", "--store", &pg, "--addr", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut said = BufReader::new(serve.stderr.take().unwrap());
    let mut line = String::new();
    while !line.contains("http://") {
        line.clear();
        assert!(
            said.read_line(&mut line).unwrap() > 0,
            "rased serve said nothing"
        );
    }
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    let mut conn = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        conn,
        "GET /api/status HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    serve.kill().unwrap();
    serve.wait().unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"articles\":202"), "{answer}");
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// One WARC record, gzipped on its own.
fn warc_record(kind: &str, uri: &str, content_type: &str, content: &[u8]) -> Vec<u8> {
    let mut record = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2025-12-01T10:00:00Z\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        content.len()
    )
    .into_bytes();
    record.extend_from_slice(content);
    record.extend_from_slice(b"\r\n\r\n");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&record).unwrap();
    gz.finish().unwrap()
}

#[test]
fn a_warc_split_into_record_runs_is_ingested_exactly_once_by_two_workers() {
    let (Some(server), Some(nats)) = (services::pg_url(), services::nats_url()) else {
        return;
    };
    let pg = rased_store::fresh_database(&server, "t_queue_warc").unwrap();
    let stream = format!("TWARC{}", std::process::id());
    let records: Vec<serde_json::Value> = std::fs::read_to_string(SAMPLE)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|r: &serde_json::Value| r["text"].as_str().is_some_and(|t| t.chars().count() > 400))
        .take(30)
        .collect();
    assert_eq!(records.len(), 30);
    // A warcinfo record, then a request and a response record per page; one page carries a
    // script larger than a message (its record goes by path).
    let mut warc = warc_record(
        "warcinfo",
        "",
        "application/warc-fields",
        b"software: rased-test\r\n",
    );
    for (i, r) in records.iter().enumerate() {
        let uri = format!("https://news.example/{i}.html");
        let request = format!("GET /{i}.html HTTP/1.1\r\nHost: news.example\r\n\r\n");
        warc.extend(warc_record(
            "request",
            &uri,
            "application/http; msgtype=request",
            request.as_bytes(),
        ));
        let title = escape(r["title"].as_str().unwrap());
        let paras: String = r["text"]
            .as_str()
            .unwrap()
            .split('\n')
            .filter(|p| !p.trim().is_empty())
            .map(|p| format!("<p>{}</p>", escape(p)))
            .collect();
        let script = if i == 17 {
            format!("<script>var pad = \"{}\";</script>", "x".repeat(900 * 1024))
        } else {
            String::new()
        };
        let html = format!(
            "<!doctype html><html lang=\"ar\"><head><meta charset=\"utf-8\"><title>{title}</title>{script}</head><body><article><h1>{title}</h1>{paras}</article></body></html>"
        );
        let response = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{html}",
            html.len()
        );
        warc.extend(warc_record(
            "response",
            &uri,
            "application/http; msgtype=response",
            response.as_bytes(),
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("crawl.warc.gz");
    std::fs::write(&file, &warc).unwrap();
    let file = file.to_str().unwrap();

    // The embedded store, for comparison: the whole archive in one process.
    let data = dir.path().join("embedded");
    let out = rased(&["ingest", "--quiet", "--data", data.to_str().unwrap(), file]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let embedded: BTreeSet<String> = ids(&SqliteStore::open(&data).unwrap())
        .into_iter()
        .collect();
    assert_eq!(embedded.len(), 30, "one article per response record");

    // 61 records in runs of 8 (the large one alone, by path): several units.
    let out = Command::new(env!("CARGO_BIN_EXE_rased"))
        .args([
            "ingest",
            "--store",
            &pg,
            "--queue",
            &nats,
            "--unit-records",
            "8",
            file,
        ])
        .env("RASED_QUEUE_STREAM", &stream)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    let units: usize = said
        .split("published ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{said}"));
    assert!(units >= 8, "split into runs of records: {said}");

    let workers: Vec<Child> = (0..2).map(|_| worker(&pg, &nats, &stream, 5)).collect();
    let mut done = Vec::new();
    for w in workers {
        let out = w.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{err}");
        done.push(err);
    }
    let store = PgStore::open(&pg, 2).unwrap();
    let stored = ids(&store);
    let unique: BTreeSet<String> = stored.iter().cloned().collect();
    assert_eq!(
        stored.len(),
        30,
        "exactly the archive's articles: {done:#?}"
    );
    assert_eq!(unique, embedded, "the same articles as the embedded store");
    assert!(
        store.failures().unwrap().is_empty(),
        "{:?}",
        store.failures().unwrap()
    );
    // Both workers took units (each says how many it did).
    let took = |err: &str| -> usize {
        err.split(": ")
            .last()
            .and_then(|r| r.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    assert_eq!(
        done.iter().map(|e| took(e)).sum::<usize>(),
        units,
        "{done:#?}"
    );
}
