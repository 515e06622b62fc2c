//! `rased watch --once` against news sites the test serves on loopback (nothing else is
//! contacted): a well-behaved site (an RSS feed, a sitemap index with a news sitemap, a
//! section page, Arabic article pages from the bundled samples, a robots.txt that disallows
//! `/private/`), a hostile site (an answer that never comes, a redirect to itself, an endless
//! body, 500s, 429s, a gzip bomb, a broken gzip body, a 404) and a webhook receiver. On
//! PostgreSQL (with the servers `.ci/services.sh` starts; skipped without them unless
//! `RASED_REQUIRE_SERVICES=1`), the same watch in process and through the work queue.

mod common;
#[path = "../../../tests/common/services.rs"]
mod services;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{rased, SAMPLE};

/// One request as a server saw it.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

/// What a handler answers: the status line, headers and the body; or a behaviour.
enum Reply {
    Full(u16, Vec<(String, String)>, Vec<u8>),
    /// Accept the request and never answer.
    Hang,
    /// Send headers, then bytes until the client goes away.
    Endless,
}

type Handler = dyn Fn(&Seen) -> Reply + Send + Sync;

/// A tiny HTTP/1.1 server on 127.0.0.1 (one thread per connection, `Connection: close`)
/// that records every request.
struct Server {
    base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    fn start(handler: Arc<Handler>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (handler, log) = (handler.clone(), log.clone());
                std::thread::spawn(move || serve(stream, &*handler, &log));
            }
        });
        Server { base, seen }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    fn count(&self, prefix: &str) -> usize {
        self.requests()
            .iter()
            .filter(|s| s.path.starts_with(prefix))
            .count()
    }
}

fn serve(stream: TcpStream, handler: &Handler, log: &Mutex<Vec<Seen>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let mut body = vec![
        0;
        headers
            .get("content-length")
            .and_then(|l| l.parse().ok())
            .unwrap_or(0)
    ];
    let _ = reader.read_exact(&mut body);
    let seen = Seen {
        path,
        headers,
        body,
    };
    log.lock().unwrap().push(seen.clone());
    let mut stream = stream;
    match handler(&seen) {
        Reply::Full(status, headers, body) => {
            let mut head = format!(
                "HTTP/1.1 {status} X\r\nConnection: close\r\nContent-Length: {}\r\n",
                body.len()
            );
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
        Reply::Hang => std::thread::sleep(Duration::from_secs(30)),
        Reply::Endless => {
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: text/html\r\n\r\n<html><body>");
            let chunk = vec![b'x'; 64 * 1024];
            while stream.write_all(&chunk).is_ok() {}
        }
    }
}

fn ok(ct: &str, body: impl Into<Vec<u8>>) -> Reply {
    Reply::Full(200, vec![("Content-Type".into(), ct.into())], body.into())
}

fn status(code: u16) -> Reply {
    Reply::Full(code, vec![], Vec::new())
}

/// Conditional GET: 304 when the client sends back our validators.
fn cached(seen: &Seen, etag: &str, last_modified: &str, ct: &str, body: String) -> Reply {
    let etag_hit = seen.headers.get("if-none-match").is_some_and(|v| v == etag);
    let date_hit = seen
        .headers
        .get("if-modified-since")
        .is_some_and(|v| v == last_modified);
    let mut headers = vec![("Last-Modified".to_string(), last_modified.to_string())];
    if !etag.is_empty() {
        headers.push(("ETag".into(), etag.into()));
    }
    if etag_hit || (etag.is_empty() && date_hit) {
        return Reply::Full(304, headers, Vec::new());
    }
    headers.push(("Content-Type".into(), ct.into()));
    Reply::Full(200, headers, body.into_bytes())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An article page of one sample record (title, date, paragraphs).
fn page(rec: &serde_json::Value, charset: &str) -> String {
    let title = escape(rec["title"].as_str().unwrap());
    let text = rec["text"].as_str().unwrap();
    let paras: String = text
        .split(['\n', '.'])
        .map(str::trim)
        .filter(|p| p.chars().count() > 20)
        .map(|p| format!("<p>{}.</p>\n", escape(p)))
        .collect();
    format!(
        "<!doctype html><html lang=\"ar\" dir=\"rtl\"><head><meta charset=\"{charset}\"><title>{title}</title>\
         <meta property=\"og:title\" content=\"{title}\"><meta property=\"og:site_name\" content=\"Loopback News\"></head>\
         <body><nav><a href=\"/\">الرئيسية</a></nav><article><h1>{title}</h1>\n{paras}</article>\
         <footer>جميع الحقوق محفوظة</footer></body></html>"
    )
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn run(args: &[&str]) -> (i32, String, Duration) {
    let started = Instant::now();
    let out = rased(args);
    let took = started.elapsed();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code().unwrap_or(-1), err, took)
}

fn json_lines(args: &[&str]) -> Vec<serde_json::Value> {
    let out = rased(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn watch_once_is_polite_bounded_and_idempotent() {
    let records: Vec<serde_json::Value> = std::fs::read_to_string(SAMPLE)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|r: &serde_json::Value| r["text"].as_str().is_some_and(|t| t.chars().count() > 400))
        .take(7)
        .collect();
    assert_eq!(records.len(), 7);
    let titles: Vec<String> = records
        .iter()
        .map(|r| r["title"].as_str().unwrap().to_string())
        .collect();

    // The hostile site, on its own port (its own host for politeness).
    let bomb = Arc::new(gzip(&vec![0u8; 32 * 1024 * 1024]));
    let hostile = Server::start(Arc::new(move |s: &Seen| match s.path.as_str() {
        "/robots.txt" => status(404),
        "/slow" => Reply::Hang,
        "/loop" => Reply::Full(302, vec![("Location".into(), "/loop".into())], Vec::new()),
        "/endless" => Reply::Endless,
        "/500" => status(500),
        "/429" => Reply::Full(429, vec![("Retry-After".into(), "1".into())], Vec::new()),
        "/404" => status(404),
        "/bomb" => Reply::Full(
            200,
            vec![
                ("Content-Type".into(), "text/html".into()),
                ("Content-Encoding".into(), "gzip".into()),
            ],
            bomb.to_vec(),
        ),
        "/bad-gzip" => Reply::Full(
            200,
            vec![
                ("Content-Type".into(), "text/html".into()),
                ("Content-Encoding".into(), "gzip".into()),
            ],
            b"this is not gzip at all, whatever the header says".to_vec(),
        ),
        _ => status(404),
    }));
    let hostile_links = [
        "/slow",
        "/loop",
        "/endless",
        "/500",
        "/429",
        "/404",
        "/bomb",
        "/bad-gzip",
    ];
    let expected_reasons = [
        ("/slow", "timeout"),
        ("/loop", "redirect_loop"),
        ("/endless", "too_large"),
        ("/500", "http_5xx"),
        ("/429", "http_429"),
        ("/404", "http_4xx"),
        ("/bomb", "too_large"),
        ("/bad-gzip", "decode"),
    ];

    // The news site.
    let hostile_base = hostile.base.clone();
    let recs = records.clone();
    let site = Server::start(Arc::new(move |s: &Seen| {
        let path = s.path.as_str();
        let item = |p: &str| format!("<item><title>t</title><link>{p}</link></item>");
        match path {
            "/robots.txt" => ok("text/plain", "User-agent: *\nDisallow: /private/\n"),
            "/feed.xml" => {
                let mut items: String = (0..3).map(|i| item(&format!("/news/{i}.html"))).collect();
                items.push_str(&item("/private/secret-1.html"));
                items.push_str(&item("/news/wrong-charset.html"));
                for h in hostile_links {
                    items.push_str(&item(&format!("{hostile_base}{h}")));
                }
                let rss = format!("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Loopback News</title>{items}</channel></rss>");
                cached(s, "\"feed-v1\"", "Mon, 01 Dec 2025 10:00:00 GMT", "application/rss+xml", rss)
            }
            "/sitemap.xml" => cached(
                s,
                "\"index-v1\"",
                "Mon, 01 Dec 2025 10:00:00 GMT",
                "application/xml",
                "<?xml version=\"1.0\"?><sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><sitemap><loc>/sitemap-news.xml</loc></sitemap></sitemapindex>".into(),
            ),
            "/sitemap-news.xml" => cached(
                s,
                "\"news-v1\"",
                "Mon, 01 Dec 2025 10:00:00 GMT",
                "application/xml",
                "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\
                 <url><loc>/news/3.html</loc><news:news><news:title>x</news:title></news:news></url>\
                 <url><loc>/news/4.html</loc></url><url><loc>/news/0.html</loc></url></urlset>"
                    .into(),
            ),
            "/section/politics/" => cached(
                s,
                "",
                "Mon, 01 Dec 2025 09:00:00 GMT",
                "text/html; charset=utf-8",
                "<html><body><a href=\"/\">home</a><a href=\"/section/sport/\">sport</a>\
                 <a href=\"/news/5.html\">5</a><a href=\"/news/1.html\">1</a>\
                 <a href=\"/private/secret-2.html\">secret</a></body></html>"
                    .into(),
            ),
            "/news/wrong-charset.html" => {
                // windows-1256 bytes under a header that says UTF-8.
                let html = page(&recs[6], "windows-1256");
                let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(&html);
                ok("text/html; charset=utf-8", bytes.into_owned())
            }
            p if p.starts_with("/news/") => {
                let n: usize = p.trim_start_matches("/news/").trim_end_matches(".html").parse().unwrap_or(99);
                match recs.get(n) {
                    // One page compressed, as real servers do.
                    Some(r) if n == 2 && s.headers.get("accept-encoding").is_some_and(|a| a.contains("gzip")) => Reply::Full(
                        200,
                        vec![("Content-Type".into(), "text/html; charset=utf-8".into()), ("Content-Encoding".into(), "gzip".into())],
                        gzip(page(r, "utf-8").as_bytes()),
                    ),
                    Some(r) => ok("text/html; charset=utf-8", page(r, "utf-8")),
                    None => status(404),
                }
            }
            _ => status(404),
        }
    }));

    let hooks = Server::start(Arc::new(|_: &Seen| status(204)));

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let sources = dir.path().join("sources.txt");
    std::fs::write(
        &sources,
        format!(
            "# loopback news\n{}\n{}   # sitemap index\n{}\nnot-a-url\n",
            site.url("/feed.xml"),
            site.url("/sitemap.xml"),
            site.url("/section/politics/")
        ),
    )
    .unwrap();
    let sources = sources.to_str().unwrap();

    // A watchlist made before the first poll: a distinctive word of article 4's title.
    let word = titles[4]
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphabetic()))
        .filter(|w| w.chars().count() >= 4)
        .find(|w| {
            records.iter().enumerate().all(|(i, r)| {
                i == 4
                    || !(r["title"].as_str().unwrap().contains(w)
                        || r["text"].as_str().unwrap().contains(w))
            })
        })
        .expect("a word only article 4 has")
        .to_string();
    let (code, err, _) = run(&[
        "watchlist",
        "add",
        "w4",
        "--data",
        data,
        "--query",
        &word,
        "--webhook",
        &hooks.url("/hook"),
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, err, _) = run(&["watchlist", "add", "empty", "--data", data]);
    assert_eq!(code, 2, "a watchlist needs a condition: {err}");

    let fast = [
        "--user-agent",
        "rased-test/1.0",
        "--delay",
        "0.02",
        "--connect-timeout",
        "1",
        "--read-timeout",
        "1",
        "--timeout",
        "3",
        "--retries",
        "1",
        "--backoff",
        "0.1",
        "--max-bytes",
        "1048576",
        "--quiet",
    ];
    let mut args = vec!["watch", "--once", "--sources", sources, "--data", data];
    args.extend(fast);
    let (code, err, took) = run(&args);
    eprintln!("first --once took {took:?}:\n{err}");
    assert_eq!(code, 1, "some fetches failed: exit 1\n{err}");
    assert!(took < Duration::from_secs(60), "bounded: {took:?}");
    assert_eq!(
        err.lines().filter(|l| l.starts_with("poll ")).count(),
        3,
        "one line per poll:\n{err}"
    );
    assert!(
        err.contains("not-a-url"),
        "the bad source line is named:\n{err}"
    );

    // Every allowed article is in, the disallowed section was never asked for.
    let status_json = json_lines(&["status", "--json", "--data", data]);
    assert_eq!(status_json[0]["articles"], 7, "{status_json:?}\n{err}");
    assert_eq!(site.count("/private/"), 0, "robots.txt obeyed");
    let exported = json_lines(&["export", "--data", data]);
    let stored_titles: Vec<&str> = exported
        .iter()
        .filter_map(|a| a["title"].as_str())
        .collect();
    for t in &titles {
        assert!(
            stored_titles.contains(&t.as_str()),
            "{t} missing from {stored_titles:?}"
        );
    }
    assert!(site.requests().iter().all(|s| s
        .headers
        .get("user-agent")
        .is_some_and(|u| u == "rased-test/1.0")));

    // Each hostile link is a failure with its reason.
    let failures = json_lines(&["failures", "--json", "--data", data]);
    let reason_of = |url: &str| -> Vec<String> {
        failures
            .iter()
            .filter(|f| f["input"] == url)
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect()
    };
    for (path, reason) in expected_reasons {
        assert_eq!(
            reason_of(&hostile.url(path)),
            [reason],
            "{path}: {failures:#?}"
        );
    }
    assert_eq!(
        reason_of(&site.url("/private/secret-1.html")),
        ["robots_disallowed"]
    );
    assert_eq!(
        reason_of(&site.url("/private/secret-2.html")),
        ["robots_disallowed"]
    );
    // Retried with backoff: the 500 twice (one retry), the redirect loop not at all.
    assert_eq!(hostile.count("/500"), 2);
    assert_eq!(hostile.count("/loop"), 1);

    // The watchlist's alert, and its webhook.
    let alerts = json_lines(&["alerts", "--json", "--data", data, "--watchlist", "w4"]);
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!(alerts[0]["title"], titles[4].as_str());
    assert!(alerts[0]["matched"].as_str().unwrap().contains(&word));
    let posts = hooks.requests();
    assert_eq!(posts.len(), 1, "{posts:?}");
    let posted: serde_json::Value = serde_json::from_slice(&posts[0].body).unwrap();
    assert_eq!(posted["watchlist"], "w4");
    assert_eq!(posted["article"], alerts[0]["article"]);

    // Source health.
    let health = json_lines(&["sources", "--json", "--data", data]);
    assert_eq!(health.len(), 3);
    let feed = health
        .iter()
        .find(|h| h["url"] == site.url("/feed.xml"))
        .unwrap();
    assert_eq!(feed["kind"], "feed");
    assert_eq!(feed["etag"], "\"feed-v1\"");
    assert_eq!(feed["items_found"], 13);
    assert!(feed["next_poll"].as_i64().unwrap() > 0);

    // The second poll asks conditionally, is answered 304 and adds nothing.
    std::fs::write(
        sources,
        format!(
            "{}\n{}\n{}\n",
            site.url("/feed.xml"),
            site.url("/sitemap.xml"),
            site.url("/section/politics/")
        ),
    )
    .unwrap();
    let before_site = site.requests().len();
    let before_hostile = hostile.requests().len();
    let (code, err, took) = run(&args);
    eprintln!("second --once took {took:?}:\n{err}");
    assert_eq!(code, 0, "{err}");
    let again: Vec<Seen> = site.requests()[before_site..].to_vec();
    let conditional = |p: &str, header: &str| {
        again
            .iter()
            .any(|s| s.path == p && s.headers.contains_key(header))
    };
    assert!(conditional("/feed.xml", "if-none-match"));
    assert!(conditional("/sitemap.xml", "if-none-match"));
    assert!(
        conditional("/sitemap-news.xml", "if-none-match"),
        "children of an unchanged index"
    );
    assert!(conditional("/section/politics/", "if-modified-since"));
    assert!(
        !again.iter().any(|s| s.path.starts_with("/news/")),
        "no article fetched again: {again:?}"
    );
    assert_eq!(
        hostile.requests().len(),
        before_hostile,
        "failed links wait for their retry time"
    );
    assert_eq!(
        json_lines(&["status", "--json", "--data", data])[0]["articles"],
        7
    );
    assert_eq!(json_lines(&["alerts", "--json", "--data", data]).len(), 1);
    assert_eq!(hooks.requests().len(), 1, "an alert is posted once");
    assert!(err.contains("not_modified"), "{err}");
    remove_file_tree(dir.path());
}

fn remove_file_tree(p: &Path) {
    let _ = std::fs::remove_dir_all(p);
}

#[cfg(unix)]
#[test]
fn continuous_watch_polls_on_schedule_and_stops_on_sigterm() {
    let record: serde_json::Value = std::fs::read_to_string(SAMPLE)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|r| r["text"].as_str().is_some_and(|t| t.chars().count() > 400))
        .unwrap();
    let site = Server::start(Arc::new(move |s: &Seen| {
        match s.path.as_str() {
        "/robots.txt" => status(404),
        "/feed.xml" => cached(
            s,
            "\"v1\"",
            "Mon, 01 Dec 2025 10:00:00 GMT",
            "application/rss+xml",
            "<rss version=\"2.0\"><channel><title>t</title><item><title>a</title><link>/news/1.html</link></item></channel></rss>".into(),
        ),
        "/news/1.html" => ok("text/html; charset=utf-8", page(&record, "utf-8")),
        _ => status(404),
    }
    }));
    let dir = tempfile::tempdir().unwrap();
    let sources = dir.path().join("sources.txt");
    std::fs::write(&sources, format!("{}\n", site.url("/feed.xml"))).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rased"))
        .args([
            "watch",
            "--interval",
            "1",
            "--delay",
            "0.01",
            "--quiet",
            "--sources",
        ])
        .arg(&sources)
        .arg("--data")
        .arg(dir.path().join("data"))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    // Two polls: the first finds the article, the second (a second later at the soonest)
    // asks conditionally and is answered 304.
    let mut lines = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while lines
        .iter()
        .filter(|l: &&String| l.starts_with("poll "))
        .count()
        < 2
    {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(l) => lines.push(l),
            Err(_) => {
                let _ = child.kill();
                panic!("no second poll: {lines:#?}");
            }
        }
    }
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("poll ") && l.contains("1 new")),
        "{lines:#?}"
    );
    assert!(
        lines.iter().any(|l| l.contains("not_modified")),
        "{lines:#?}"
    );
    let kill = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let started = Instant::now();
    let code = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s.code();
        }
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("did not stop on SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    while let Ok(l) = rx.recv_timeout(Duration::from_secs(2)) {
        lines.push(l);
    }
    assert_eq!(code, Some(0), "{lines:#?}");
    assert!(lines.iter().any(|l| l.contains("stopping")), "{lines:#?}");
    assert!(
        lines.iter().any(|l| l.starts_with("watched 1 sources")),
        "{lines:#?}"
    );
    let requests = site.requests();
    assert_eq!(
        requests.iter().filter(|s| s.path == "/news/1.html").count(),
        1
    );
    // Never more often than --interval: polls of the feed at least a second apart.
    let feed_polls = requests.iter().filter(|s| s.path == "/feed.xml").count();
    assert!(feed_polls >= 2, "{requests:?}");
}

/// `rased ARGS` with the work stream named for this test.
fn rased_on(stream: &str, args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rased"))
        .args(args)
        .env("RASED_QUEUE_STREAM", stream)
        .env_remove("RASED_QUEUE")
        .env_remove("RASED_STORE")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn watch_on_postgres_in_process_and_through_the_queue_stores_the_same_articles() {
    let (Some(server), Some(nats)) = (services::pg_url(), services::nats_url()) else {
        return;
    };
    let queued_db = rased_store::fresh_database(&server, "t_watch_queue").unwrap();
    let local_db = rased_store::fresh_database(&server, "t_watch_local").unwrap();
    let stream = format!("TW{}", std::process::id());
    let records: Vec<serde_json::Value> = std::fs::read_to_string(SAMPLE)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|r: &serde_json::Value| r["text"].as_str().is_some_and(|t| t.chars().count() > 400))
        .take(5)
        .collect();
    let recs = records.clone();
    let site = Server::start(Arc::new(move |s: &Seen| {
        let path = s.path.as_str();
        match path {
            "/robots.txt" => status(404),
            "/feed.xml" => {
                let mut items: String = (0..5)
                    .map(|i| format!("<item><title>t</title><link>/news/{i}.html</link></item>"))
                    .collect();
                items.push_str("<item><title>gone</title><link>/news/404.html</link></item>");
                cached(
                    s,
                    "\"q-v1\"",
                    "Mon, 01 Dec 2025 10:00:00 GMT",
                    "application/rss+xml",
                    format!("<rss version=\"2.0\"><channel><title>Loopback</title>{items}</channel></rss>"),
                )
            }
            // The charset only in the header: the unit must carry the Content-Type.
            "/news/4.html" => {
                let html = page(&recs[4], "utf-8").replace("<meta charset=\"utf-8\">", "");
                let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(&html);
                ok("text/html; charset=windows-1256", bytes.into_owned())
            }
            p if p.starts_with("/news/") => {
                let n: usize = p
                    .trim_start_matches("/news/")
                    .trim_end_matches(".html")
                    .parse()
                    .unwrap_or(99);
                match recs.get(n) {
                    Some(r) => ok("text/html; charset=utf-8", page(r, "utf-8")),
                    None => status(404),
                }
            }
            _ => status(404),
        }
    }));
    let hooks = Server::start(Arc::new(|_: &Seen| status(204)));
    let dir = tempfile::tempdir().unwrap();
    let sources = dir.path().join("sources.txt");
    std::fs::write(&sources, format!("{}\n", site.url("/feed.xml"))).unwrap();
    let sources = sources.to_str().unwrap();
    let fast = [
        "--delay",
        "0.01",
        "--retries",
        "0",
        "--timeout",
        "5",
        "--quiet",
    ];
    let watch = |db: &str, queue: bool| {
        let mut args = vec!["watch", "--once", "--sources", sources, "--store", db];
        if queue {
            args.extend(["--queue", nats.as_str()]);
        }
        args.extend(fast);
        rased_on(&stream, &args)
    };
    let titles = |db: &str| -> Vec<String> {
        let (code, out, err) = rased_on(&stream, &["export", "--store", db]);
        assert_eq!(code, 0, "{err}");
        let mut t: Vec<String> = out
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["title"]
                    .as_str()
                    .unwrap_or("")
                    .to_string()
            })
            .collect();
        t.sort();
        t
    };
    let articles = |db: &str| -> u64 {
        let (code, out, err) = rased_on(&stream, &["status", "--json", "--store", db]);
        assert_eq!(code, 0, "{err}");
        serde_json::from_str::<serde_json::Value>(&out).unwrap()["articles"]
            .as_u64()
            .unwrap()
    };
    let mut expected: Vec<String> = records
        .iter()
        .map(|r| r["title"].as_str().unwrap().to_string())
        .collect();
    expected.sort();

    // In process on PostgreSQL: no data directory anywhere.
    let (code, _, err) = watch(&local_db, false);
    assert_eq!(code, 1, "the 404 is an error:\n{err}");
    assert!(err.contains("5 new"), "{err}");
    assert_eq!(titles(&local_db), expected);

    // Through the queue: a watchlist with a webhook first, on the shared store.
    // The first article's title as a phrase: it alerts on that article alone.
    let words: Vec<&str> = records[0]["title"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphabetic()))
        .filter(|w| !w.is_empty())
        .collect();
    let word = format!("\"{}\"", words.join(" "));
    let (code, _, err) = rased_on(
        &stream,
        &[
            "watchlist",
            "add",
            "w",
            "--store",
            &queued_db,
            "--query",
            &word,
            "--webhook",
            &hooks.url("/hook"),
        ],
    );
    assert_eq!(code, 0, "{err}");
    let fetched_before = site.count("/news/");
    let (code, _, err) = watch(&queued_db, true);
    eprintln!("watch --queue:\n{err}");
    assert_eq!(code, 1, "the 404 is an error:\n{err}");
    assert!(err.contains("5 queued"), "{err}");
    assert_eq!(
        site.count("/news/") - fetched_before,
        6,
        "each page fetched once"
    );
    assert_eq!(
        articles(&queued_db),
        0,
        "the watcher ingested nothing itself"
    );

    // Two workers ingest the pages.
    let workers: Vec<std::process::Child> = (0..2)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_rased"))
                .args([
                    "worker",
                    "--store",
                    &queued_db,
                    "--queue",
                    &nats,
                    "--exit-when-idle",
                    "4",
                ])
                .env("RASED_QUEUE_STREAM", &stream)
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for w in workers {
        let out = w.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(
        titles(&queued_db),
        expected,
        "the same articles as in process"
    );
    assert_eq!(
        hooks.requests().len(),
        1,
        "the worker that raised the alert posted it"
    );
    let ids = |db: &str| {
        let (_, out, _) = rased_on(&stream, &["export", "--store", db]);
        let mut ids: Vec<String> = out
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].to_string())
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&queued_db), ids(&local_db));
    let (code, out, err) = rased_on(&stream, &["failures", "--json", "--store", &queued_db]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("/news/404.html") && out.contains("http_4xx"),
        "{out}"
    );

    // The source's health is in PostgreSQL; the next poll is conditional, answered 304,
    // fetches no page again and posts nothing again (the worker posted its alert).
    let (code, out, err) = rased_on(&stream, &["sources", "--json", "--store", &queued_db]);
    assert_eq!(code, 0, "{err}");
    let health: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(health["kind"], "feed");
    assert_eq!(health["etag"], "\"q-v1\"");
    let (alerts_code, alerts, _) = rased_on(&stream, &["alerts", "--json", "--store", &queued_db]);
    assert_eq!(alerts_code, 0);
    assert_eq!(alerts.lines().count(), 1, "{alerts}");
    let fetched_before = site.count("/news/");
    let (code, _, err) = watch(&queued_db, true);
    assert!(err.contains("not_modified"), "{err}");
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        site.count("/news/"),
        fetched_before,
        "nothing fetched again"
    );
    assert_eq!(hooks.requests().len(), 1, "the worker's alert, posted once");
    assert!(
        alerts.contains("\"delivered_at\":") && !alerts.contains("\"delivered_at\":null"),
        "{alerts}"
    );
    let posted: serde_json::Value = serde_json::from_slice(&hooks.requests()[0].body).unwrap();
    assert_eq!(posted["watchlist"], "w");

    // A watch --queue needs the shared store.
    let (code, _, err) = rased_on(
        &stream,
        &[
            "watch",
            "--once",
            "--sources",
            sources,
            "--data",
            dir.path().join("d").to_str().unwrap(),
            "--queue",
            &nats,
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("postgres"), "{err}");
}

/// Alerts raised on PostgreSQL are posted by the process that raised them. Three workers
/// take the sample from the queue and, between them, post each alert of a watchlist exactly
/// once (each alert is claimed in the store before it is posted; the receiver is slow, so
/// the workers deliver at the same time); `rased ingest --store postgres://…` posts its own,
/// and an ingest that raises nothing posts nothing again.
#[test]
fn workers_and_ingest_on_postgres_post_each_alert_once() {
    let (Some(server), Some(nats)) = (services::pg_url(), services::nats_url()) else {
        return;
    };
    let queued_db = rased_store::fresh_database(&server, "t_hooks_workers").unwrap();
    let direct_db = rased_store::fresh_database(&server, "t_hooks_ingest").unwrap();
    let stream = format!("TH{}", std::process::id());
    let hooks = Server::start(Arc::new(|_: &Seen| {
        std::thread::sleep(Duration::from_millis(50));
        status(204)
    }));
    let add = |db: &str, hook: &str| {
        let (code, _, err) = rased_on(
            &stream,
            &[
                "watchlist",
                "add",
                "trump",
                "--store",
                db,
                "--query",
                "ترامب",
                "--webhook",
                &hooks.url(hook),
            ],
        );
        assert_eq!(code, 0, "{err}");
    };
    let alerts = |db: &str| -> Vec<serde_json::Value> {
        let (code, out, err) = rased_on(&stream, &["alerts", "--json", "--store", db]);
        assert_eq!(code, 0, "{err}");
        out.lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    // The articles posted to one path, each as often as it was posted.
    let posted = |path: &str| -> Vec<String> {
        let mut a: Vec<String> = hooks
            .requests()
            .iter()
            .filter(|s| s.path == path)
            .map(|s| {
                let v: serde_json::Value = serde_json::from_slice(&s.body).unwrap();
                assert_eq!(v["watchlist"], "trump");
                v["article"].as_str().unwrap().to_string()
            })
            .collect();
        a.sort();
        a
    };
    let articles_of = |alerts: &[serde_json::Value]| -> Vec<String> {
        let mut a: Vec<String> = alerts
            .iter()
            .map(|a| a["article"].as_str().unwrap().to_string())
            .collect();
        a.sort();
        a
    };

    // Through the queue.
    add(&queued_db, "/workers");
    let (code, _, err) = rased_on(
        &stream,
        &[
            "ingest",
            "--store",
            &queued_db,
            "--queue",
            &nats,
            "--unit-records",
            "10",
            SAMPLE,
        ],
    );
    assert_eq!(code, 0, "{err}");
    let workers: Vec<std::process::Child> = (0..3)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_rased"))
                .args([
                    "worker",
                    "--store",
                    &queued_db,
                    "--queue",
                    &nats,
                    "--exit-when-idle",
                    "4",
                    "--json",
                ])
                .env("RASED_QUEUE_STREAM", &stream)
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut delivered = 0;
    for w in workers {
        let out = w.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        eprintln!("{err}");
        let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(summary["webhooks_failed"], 0, "{err}");
        delivered += summary["webhooks_delivered"].as_u64().unwrap();
    }
    let raised = alerts(&queued_db);
    assert!(
        raised.len() > 5,
        "the watchlist alerts on many articles: {raised:?}"
    );
    assert!(
        raised
            .iter()
            .all(|a| a["delivered_at"].is_i64() && a["attempts"] == 1),
        "every alert delivered at the first try: {raised:?}"
    );
    assert_eq!(
        posted("/workers"),
        articles_of(&raised),
        "each alert posted once, by one worker"
    );
    assert_eq!(delivered as usize, raised.len());

    // In process: `rased ingest --store postgres://…` posts the alerts it raised.
    add(&direct_db, "/ingest");
    let ingest = || {
        rased_on(
            &stream,
            &["ingest", "--quiet", "--store", &direct_db, SAMPLE],
        )
    };
    let (code, _, err) = ingest();
    assert_eq!(code, 0, "{err}");
    let raised_here = alerts(&direct_db);
    assert_eq!(articles_of(&raised_here), articles_of(&raised));
    assert_eq!(posted("/ingest"), articles_of(&raised_here));
    let (code, _, err) = ingest();
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        posted("/ingest"),
        articles_of(&raised_here),
        "nothing posted twice"
    );
}

/// An idle worker posts the alerts another writer left undelivered: `rased ingest` raises
/// alerts while the receiver is down (the posts are recorded as failed); a worker with no
/// units, started while the receiver is still down, posts them on a later sweep once it is
/// back — while it keeps running, not only when it exits.
#[test]
fn an_idle_worker_posts_the_alerts_another_writer_left() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let (Some(server), Some(nats)) = (services::pg_url(), services::nats_url()) else {
        return;
    };
    let db = rased_store::fresh_database(&server, "t_hooks_sweep").unwrap();
    let stream = format!("TW{}", std::process::id());
    let up = Arc::new(AtomicBool::new(false));
    let hooks = {
        let up = up.clone();
        Server::start(Arc::new(move |_: &Seen| {
            status(if up.load(Ordering::SeqCst) { 204 } else { 503 })
        }))
    };
    let (code, _, err) = rased_on(
        &stream,
        &[
            "watchlist",
            "add",
            "trump",
            "--store",
            &db,
            "--query",
            "ترامب",
            "--webhook",
            &hooks.url("/sweep"),
        ],
    );
    assert_eq!(code, 0, "{err}");
    rased_on(&stream, &["ingest", "--quiet", "--store", &db, SAMPLE]);
    let undelivered = || -> usize {
        let (code, out, err) = rased_on(&stream, &["alerts", "--json", "--store", &db]);
        assert_eq!(code, 0, "{err}");
        out.lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .filter(|a| !a["delivered_at"].is_i64())
            .count()
    };
    assert!(undelivered() > 5, "the ingest's posts all failed");
    let mut worker = std::process::Command::new(env!("CARGO_BIN_EXE_rased"))
        .args([
            "worker",
            "--store",
            &db,
            "--queue",
            &nats,
            "--webhook-sweep",
            "1",
        ])
        .env("RASED_QUEUE_STREAM", &stream)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Its first sweep finds the receiver still down.
    std::thread::sleep(Duration::from_secs(2));
    up.store(true, Ordering::SeqCst);
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut left = undelivered();
    while left > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(300));
        left = undelivered();
    }
    let still_running = worker.try_wait().unwrap().is_none();
    worker.kill().ok();
    worker.wait().ok();
    assert!(still_running, "the worker was idle, not exiting");
    assert_eq!(left, 0, "the idle worker posted every alert left");
}
