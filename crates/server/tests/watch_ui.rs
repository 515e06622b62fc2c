//! The watch pages over a real data directory: source health on the status page, the
//! watchlists page, one watchlist's alerts and its Atom feed. The alerts come from the
//! ordinary ingest pipeline (the path the admin upload takes too): the watchlist exists
//! before the articles arrive.

mod common;

use common::{enc, get};

#[test]
fn watchlists_sources_and_atom() {
    let dir = tempfile::tempdir().unwrap();
    let store = rased_store::SqliteStore::open(dir.path()).unwrap();
    assert!(store
        .add_watchlist(&rased_store::Watchlist {
            name: "سينما".into(),
            query: Some("مهرجان".into()),
            ..Default::default()
        })
        .unwrap());
    store
        .record_poll(&rased_store::PollRecord {
            url: "https://news.example/feed.xml".into(),
            kind: Some("feed".into()),
            ok: true,
            status: "ok".into(),
            items_found: 12,
            new_items: 3,
            interval_s: 300,
            next_poll: 1_900_000_000,
            ..Default::default()
        })
        .unwrap();
    drop(store);
    common::ingest(dir.path(), 40);
    let addr = common::start(rased_server::Config::new(dir.path()));

    let status = get(addr, "/status");
    assert_eq!(status.status, 200);
    assert!(
        status.body.contains("https://news.example/feed.xml"),
        "{}",
        status.body
    );
    assert!(status.body.contains("href=\"/watchlists\""));

    let list = get(addr, "/watchlists");
    assert_eq!(list.status, 200);
    assert!(list.body.contains("سينما"), "{}", list.body);

    let page = get(addr, &format!("/watchlists/{}", enc("سينما")));
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("/articles/"),
        "alerts link their articles: {}",
        page.body
    );
    assert!(page.body.contains("query"), "{}", page.body);

    let atom = get(addr, &format!("/watchlists/{}.atom", enc("سينما")));
    assert_eq!(atom.status, 200);
    assert!(atom
        .header("content-type")
        .is_some_and(|c| c.starts_with("application/atom+xml")));
    assert!(atom.body.starts_with("<?xml"));
    let entries = atom.body.matches("<entry>").count();
    assert!(entries >= 1, "{}", atom.body);
    assert!(atom.body.contains("مهرجان"), "{}", atom.body);

    assert_eq!(get(addr, "/watchlists/nothing-here").status, 404);
    assert_eq!(get(addr, "/watchlists/nothing-here.atom").status, 404);
}

/// An upload's articles meet the watchlists, and the server posts the alert's webhook.
#[test]
fn an_upload_raises_alerts_and_posts_their_webhooks() {
    use std::io::{BufRead, BufReader, Read, Write};

    let hook = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let hook_url = format!("http://{}/hook", hook.local_addr().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in hook.incoming().map_while(Result::ok) {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut len = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; len];
            let _ = reader.read_exact(&mut body);
            let mut stream = stream;
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            let _ = tx.send(body);
        }
    });

    let dir = tempfile::tempdir().unwrap();
    common::ingest(dir.path(), 0);
    let store = rased_store::SqliteStore::open(dir.path()).unwrap();
    store
        .add_watchlist(&rased_store::Watchlist {
            name: "festival".into(),
            query: Some("مهرجان".into()),
            webhook: Some(hook_url),
            ..Default::default()
        })
        .unwrap();
    drop(store);
    let mut config = rased_server::Config::new(dir.path());
    config.admin_token = Some("s3cret".into());
    let addr = common::start(config);
    let sample =
        std::fs::read_to_string(common::samples().join("ant-multisource-sample.jsonl")).unwrap();
    let upload: String = sample
        .lines()
        .filter(|l| l.contains("مهرجان"))
        .take(2)
        .map(|l| format!("{l}\n"))
        .collect();
    let r = common::request(
        addr,
        "POST",
        "/api/admin/ingest?name=up.jsonl",
        &[("Authorization", "Bearer s3cret")],
        upload.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let posted = rx
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("the webhook is posted");
    let v: serde_json::Value = serde_json::from_slice(&posted).unwrap();
    assert_eq!(v["watchlist"], "festival");
    assert!(v["matched"].as_str().unwrap().contains("مهرجان"));
    let page = get(addr, "/watchlists/festival");
    assert!(page.body.contains("/articles/"), "{}", page.body);
}
