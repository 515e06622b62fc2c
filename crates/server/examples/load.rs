//! A bounded load test against a running `rased serve`: a mix of UI pages and API calls from
//! several threads, then requests/s and latency percentiles per path and overall.
//!
//! ```sh
//! rased serve --data rased-demo --addr 127.0.0.1:8099 &
//! cargo run --release -p rased-server --example load -- 127.0.0.1:8099 --requests 5000 --concurrency 16
//! ```
//!
//! Bounded in count (`--requests`) and time (`--seconds`): whichever comes first stops it.

#[path = "../tests/common/mod.rs"]
mod common;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{enc, get};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let addr: SocketAddr = args
        .first()
        .and_then(|a| a.parse().ok())
        .expect("usage: load HOST:PORT [--requests N] [--concurrency C] [--seconds S]");
    let opt = |name: &str, default: usize| -> usize {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let total = opt("--requests", 5000);
    let concurrency = opt("--concurrency", 16).max(1);
    let seconds = opt("--seconds", 60) as u64;
    let paths = Arc::new(paths(addr));
    let issued = Arc::new(AtomicUsize::new(0));
    let samples: Arc<Mutex<Vec<(usize, Duration, u16)>>> = Default::default();
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (paths, issued, samples) = (paths.clone(), issued.clone(), samples.clone());
            std::thread::spawn(move || {
                let mut mine = Vec::new();
                loop {
                    let n = issued.fetch_add(1, Ordering::Relaxed);
                    if n >= total || Instant::now() > deadline {
                        break;
                    }
                    let which = n % paths.len();
                    let t = Instant::now();
                    let r = get(addr, &paths[which].1);
                    mine.push((which, t.elapsed(), r.status));
                }
                samples.lock().unwrap().extend(mine);
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let elapsed = started.elapsed();
    let samples = samples.lock().unwrap();
    let errors = samples.iter().filter(|s| s.2 != 200).count();
    println!(
        "{} requests in {:.2} s with {concurrency} clients: {:.0} requests/s, {errors} not 200",
        samples.len(),
        elapsed.as_secs_f64(),
        samples.len() as f64 / elapsed.as_secs_f64()
    );
    let mut by_path: BTreeMap<usize, Vec<Duration>> = BTreeMap::new();
    for (which, d, _) in samples.iter() {
        by_path.entry(*which).or_default().push(*d);
    }
    println!(
        "{:<12} {:>8} {:>9} {:>9} {:>9}",
        "path", "count", "p50 ms", "p99 ms", "max ms"
    );
    for (which, mut ds) in by_path {
        report(&paths[which].0, &mut ds);
    }
    let mut all: Vec<Duration> = samples.iter().map(|s| s.1).collect();
    report("all", &mut all);
}

fn report(name: &str, ds: &mut [Duration]) {
    ds.sort();
    let pct = |p: f64| ds[((ds.len() as f64 * p) as usize).min(ds.len() - 1)];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:<12} {:>8} {:>9.2} {:>9.2} {:>9.2}",
        ds.len(),
        ms(pct(0.50)),
        ms(pct(0.99)),
        ms(*ds.last().unwrap())
    );
}

/// The request mix: the UI pages a reader opens and the API calls a client makes, with ids
/// taken from the server itself.
fn paths(addr: SocketAddr) -> Vec<(String, String)> {
    let api = |path: &str| get(addr, path).json();
    let article = api("/api/articles?limit=1")["items"][0]["id"]
        .as_str()
        .expect("the server has no articles")
        .to_string();
    let entity = api("/api/entities?limit=1")["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let q = enc("ليبيا");
    let e = enc(&entity);
    [
        ("ui:feed", "/".to_string()),
        ("ui:search", format!("/search?q={q}")),
        ("ui:article", format!("/articles/{article}")),
        ("ui:entity", format!("/entities/{e}")),
        ("ui:events", "/events".to_string()),
        ("api:articles", "/api/articles?limit=20".to_string()),
        ("api:search", format!("/api/search?q={q}")),
        ("api:article", format!("/api/articles/{article}")),
        ("api:entity", format!("/api/entities/{e}")),
        ("api:events", "/api/events?limit=50".to_string()),
        ("api:stories", "/api/stories".to_string()),
        ("api:status", "/api/status".to_string()),
    ]
    .into_iter()
    .map(|(n, p)| (n.to_string(), p))
    .collect()
}
