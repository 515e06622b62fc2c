//! The fetcher against servers this test starts on loopback: per-host concurrency and delay,
//! redirect limits, robots.txt that cannot be read, `Retry-After`, conditional GET, and
//! webhook delivery that fails and is tried again.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rased_store::{SqliteStore, Store, Watchlist};
use rased_watch::{FetchConfig, Fetcher, Reason};

struct Req {
    path: String,
    headers: HashMap<String, String>,
    at: Instant,
}

type Handler = dyn Fn(&Req) -> (u16, Vec<(&'static str, String)>, Vec<u8>, Duration) + Send + Sync;

struct Server {
    base: String,
    log: Arc<Mutex<Vec<(String, Instant)>>>,
    in_flight: Arc<AtomicUsize>,
    max_in_flight: Arc<AtomicUsize>,
}

impl Server {
    /// Each reply may be held back (the last tuple field) to measure concurrency.
    fn start(handler: Arc<Handler>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let log = Arc::new(Mutex::new(Vec::new()));
        let in_flight = Arc::new(AtomicUsize::new(0));
        let max_in_flight = Arc::new(AtomicUsize::new(0));
        let (l, f, m) = (log.clone(), in_flight.clone(), max_in_flight.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().map_while(Result::ok) {
                let (h, l, f, m) = (handler.clone(), l.clone(), f.clone(), m.clone());
                std::thread::spawn(move || {
                    let now = f.fetch_add(1, Ordering::SeqCst) + 1;
                    m.fetch_max(now, Ordering::SeqCst);
                    answer(stream, &*h, &l);
                    f.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        Server {
            base,
            log,
            in_flight,
            max_in_flight,
        }
    }

    fn url(&self, p: &str) -> String {
        format!("{}{p}", self.base)
    }

    fn hits(&self, p: &str) -> Vec<Instant> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|(path, _)| path == p)
            .map(|(_, at)| *at)
            .collect()
    }
}

fn answer(stream: TcpStream, handler: &Handler, log: &Mutex<Vec<(String, Instant)>>) {
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
    let len = headers
        .get("content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    let _ = reader.read_exact(&mut body);
    let req = Req {
        path: path.clone(),
        headers,
        at: Instant::now(),
    };
    log.lock().unwrap().push((path, req.at));
    let (status, headers, body, hold) = handler(&req);
    std::thread::sleep(hold);
    let mut head = format!(
        "HTTP/1.1 {status} X\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let mut stream = stream;
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

fn quick() -> FetchConfig {
    FetchConfig {
        user_agent: "rased-test/1.0".into(),
        connect_timeout: Duration::from_secs(1),
        read_timeout: Duration::from_secs(2),
        deadline: Duration::from_secs(4),
        max_body: 1 << 20,
        min_delay: Duration::ZERO,
        retries: 1,
        backoff_base: Duration::from_millis(50),
        backoff_max: Duration::from_secs(3),
        ..FetchConfig::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_most_two_in_flight_per_host_and_spaced_starts() {
    let server = Server::start(Arc::new(|r: &Req| {
        if r.path == "/robots.txt" {
            return (404, vec![], vec![], Duration::ZERO);
        }
        (200, vec![], b"ok".to_vec(), Duration::from_millis(150))
    }));
    let fetcher = Arc::new(
        Fetcher::new(FetchConfig {
            per_host: 2,
            min_delay: Duration::from_millis(40),
            ..quick()
        })
        .unwrap(),
    );
    let mut tasks = Vec::new();
    for i in 0..8 {
        let (f, url) = (fetcher.clone(), server.url(&format!("/p{i}")));
        tasks.push(tokio::spawn(async move { f.fetch(&url, None).await }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap().body, b"ok");
    }
    assert!(server.max_in_flight.load(Ordering::SeqCst) <= 2);
    assert_eq!(server.in_flight.load(Ordering::SeqCst), 0);
    let mut starts: Vec<Instant> = (0..8)
        .flat_map(|i| server.hits(&format!("/p{i}")))
        .collect();
    starts.sort();
    for w in starts.windows(2) {
        assert!(
            w[1] - w[0] >= Duration::from_millis(35),
            "{:?}",
            w[1] - w[0]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirect_chains_loops_robots_and_retry_after() {
    let tries = Arc::new(AtomicUsize::new(0));
    let t = tries.clone();
    let server = Server::start(Arc::new(move |r: &Req| {
        let redirect = |to: String| (302, vec![("Location", to)], vec![], Duration::ZERO);
        match r.path.as_str() {
            "/robots.txt" => (
                200,
                vec![],
                b"User-agent: rased-test\nDisallow: /no/\n".to_vec(),
                Duration::ZERO,
            ),
            "/chain/0" => redirect("/chain/1".into()),
            p if p.starts_with("/chain/") => {
                let n: usize = p[7..].parse().unwrap();
                redirect(format!("/chain/{}", n + 1))
            }
            "/a" => redirect("/b".into()),
            "/b" => redirect("/a".into()),
            "/to-private" => redirect("/no/secret".into()),
            "/busy" => {
                if t.fetch_add(1, Ordering::SeqCst) == 0 {
                    (
                        429,
                        vec![("Retry-After", "1".into())],
                        vec![],
                        Duration::ZERO,
                    )
                } else {
                    (200, vec![], b"done".to_vec(), Duration::ZERO)
                }
            }
            "/brotli" => {
                let mut out = Vec::new();
                {
                    let mut w = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
                    w.write_all("نص عربي مضغوط ".repeat(100).as_bytes())
                        .unwrap();
                }
                let accepts = r
                    .headers
                    .get("accept-encoding")
                    .is_some_and(|a| a.contains("br"));
                assert!(accepts, "brotli is offered");
                (
                    200,
                    vec![("Content-Encoding", "br".into())],
                    out,
                    Duration::ZERO,
                )
            }
            "/cached" => {
                if r.headers.get("if-none-match").is_some_and(|v| v == "\"x\"") {
                    (304, vec![("ETag", "\"x\"".into())], vec![], Duration::ZERO)
                } else {
                    (
                        200,
                        vec![("ETag", "\"x\"".into())],
                        b"body".to_vec(),
                        Duration::ZERO,
                    )
                }
            }
            _ => (200, vec![], b"ok".to_vec(), Duration::ZERO),
        }
    }));
    let fetcher = Fetcher::new(quick()).unwrap();
    let e = fetcher
        .fetch(&server.url("/chain/0"), None)
        .await
        .unwrap_err();
    assert_eq!(e.reason, Reason::TooManyRedirects);
    assert_eq!(e.url, server.url("/chain/0"));
    let e = fetcher.fetch(&server.url("/a"), None).await.unwrap_err();
    assert_eq!(e.reason, Reason::RedirectLoop);
    // A redirect into a disallowed section is refused before it is requested.
    let e = fetcher
        .fetch(&server.url("/to-private"), None)
        .await
        .unwrap_err();
    assert_eq!(e.reason, Reason::RobotsDisallowed);
    assert!(server.hits("/no/secret").is_empty());

    let started = Instant::now();
    let f = fetcher.fetch(&server.url("/busy"), None).await.unwrap();
    assert_eq!(f.body, b"done");
    let hits = server.hits("/busy");
    assert_eq!(hits.len(), 2);
    assert!(
        hits[1] - hits[0] >= Duration::from_millis(950),
        "Retry-After honoured"
    );
    assert!(started.elapsed() < Duration::from_secs(3));

    let br = fetcher.fetch(&server.url("/brotli"), None).await.unwrap();
    assert_eq!(
        String::from_utf8(br.body).unwrap(),
        "نص عربي مضغوط ".repeat(100)
    );

    let first = fetcher.fetch(&server.url("/cached"), None).await.unwrap();
    assert_eq!(first.validators.etag.as_deref(), Some("\"x\""));
    let again = fetcher
        .fetch(&server.url("/cached"), Some(&first.validators))
        .await
        .unwrap();
    assert!(again.not_modified && again.body.is_empty());
    assert_eq!(fetcher.stats.not_modified.load(Ordering::Relaxed), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreadable_robots_keeps_a_host_off_limits_but_not_the_others() {
    let broken = Server::start(Arc::new(|r: &Req| match r.path.as_str() {
        "/robots.txt" => (503, vec![], vec![], Duration::ZERO),
        _ => (200, vec![], b"ok".to_vec(), Duration::ZERO),
    }));
    let fine = Server::start(Arc::new(|r: &Req| match r.path.as_str() {
        "/robots.txt" => (404, vec![], vec![], Duration::ZERO),
        _ => (200, vec![], b"ok".to_vec(), Duration::ZERO),
    }));
    let fetcher = Fetcher::new(quick()).unwrap();
    let e = fetcher.fetch(&broken.url("/page"), None).await.unwrap_err();
    assert_eq!(e.reason, Reason::RobotsDisallowed);
    assert!(broken.hits("/page").is_empty());
    assert_eq!(
        fetcher.fetch(&fine.url("/page"), None).await.unwrap().body,
        b"ok"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_failures_are_recorded_and_retried_later() {
    let failing = Arc::new(AtomicUsize::new(1));
    let f = failing.clone();
    let hook = Server::start(Arc::new(move |_: &Req| {
        if f.load(Ordering::SeqCst) == 1 {
            (500, vec![], vec![], Duration::ZERO)
        } else {
            (200, vec![], vec![], Duration::ZERO)
        }
    }));
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    store
        .add_watchlist(&Watchlist {
            name: "w".into(),
            outlet: Some("Loopback".into()),
            webhook: Some(hook.url("/hook")),
            ..Default::default()
        })
        .unwrap();
    let article = rased_model::Article {
        id: "a1".into(),
        page: "p1".into(),
        title: Some("عنوان".into()),
        body: "نص".into(),
        outlet: Some("Loopback".into()),
        ..Default::default()
    };
    let record = rased_store::InputRecord {
        name: "x".into(),
        content_hash: "x#0".into(),
    };
    let second = rased_model::Article {
        id: "a2".into(),
        page: "p2".into(),
        body: "نص آخر".into(),
        ..article.clone()
    };
    store.put_input(&record, &[article, second]).unwrap();
    assert_eq!(store.match_watchlists(0).unwrap(), 2);
    assert_eq!(
        store.match_watchlists(0).unwrap(),
        0,
        "once per watchlist and article"
    );

    let cfg = quick();
    let fetcher = Fetcher::new(cfg.clone()).unwrap();
    let (ok, failed) = rased_watch::deliver_webhooks(&store, fetcher.client(), &cfg)
        .await
        .unwrap();
    assert_eq!((ok, failed), (0, 1));
    assert_eq!(
        hook.hits("/hook").len(),
        3,
        "three tries with backoff, then the dead receiver is left alone this run"
    );
    assert!(store
        .failures()
        .unwrap()
        .iter()
        .any(|f| f.input == hook.url("/hook") && f.code == "webhook"));
    failing.store(0, Ordering::SeqCst);
    let (ok, failed) = rased_watch::deliver_webhooks(&store, fetcher.client(), &cfg)
        .await
        .unwrap();
    assert_eq!((ok, failed), (2, 0));
    let (ok, _) = rased_watch::deliver_webhooks(&store, fetcher.client(), &cfg)
        .await
        .unwrap();
    assert_eq!(ok, 0, "delivered once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crawl_delay_spaces_the_requests() {
    let server = Server::start(Arc::new(|r: &Req| match r.path.as_str() {
        "/robots.txt" => (
            200,
            vec![],
            b"User-agent: *\nCrawl-delay: 0.3\n".to_vec(),
            Duration::ZERO,
        ),
        _ => (200, vec![], b"ok".to_vec(), Duration::ZERO),
    }));
    let fetcher = Arc::new(Fetcher::new(quick()).unwrap());
    let mut tasks = Vec::new();
    for i in 0..3 {
        let (f, url) = (fetcher.clone(), server.url(&format!("/p{i}")));
        tasks.push(tokio::spawn(async move { f.fetch(&url, None).await }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let mut starts: Vec<Instant> = (0..3)
        .flat_map(|i| server.hits(&format!("/p{i}")))
        .collect();
    starts.sort();
    for w in starts.windows(2) {
        assert!(
            w[1] - w[0] >= Duration::from_millis(280),
            "{:?}",
            w[1] - w[0]
        );
    }
}
