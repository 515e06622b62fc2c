//! Test helpers: a data directory built by the real ingest pipeline, a server on a free
//! port, and a minimal HTTP/1.1 client (one request per connection).

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// An article page whose title, body, tags and URL carry script payloads.
pub const HOSTILE_PAGE: &str = r#"<!doctype html><html lang="ar"><head><meta charset="utf-8">
<title>"&gt;&lt;script&gt;alert('t')&lt;/script&gt; هجوم على الموقع</title>
<link rel="canonical" href="javascript:alert('url')">
<meta name="keywords" content="&lt;img src=x onerror=alert(1)&gt;, ليبيا">
</head><body><article><h1>"&gt;&lt;script&gt;alert('t')&lt;/script&gt; هجوم على الموقع</h1>
<p>طرابلس - قال مسؤولون في العاصمة الليبية إن &lt;script&gt;alert('body')&lt;/script&gt; ظهر في
نص الخبر، وإن الرسالة "onerror=alert(2) x=" وصلت إلى بريد المحررين صباح اليوم الاثنين.</p>
<p>وأضاف المسؤولون أن فرق الأمن السيبراني التقت ممثلي الشركات في طرابلس لبحث سبل حماية
المواقع الإخبارية من الهجمات، وأن التحقيق ما زال جاريا لمعرفة مصدر الرسائل المزيفة.</p>
<p>&lt;img src=x onerror=alert(3)&gt; وأكدت الوزارة أن الخدمات عادت إلى العمل بشكل طبيعي.</p>
</article></body></html>"#;

pub fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/samples")
}

/// Ingests the seed page, the hostile page and `jsonl_articles` articles of the sample
/// corpus into `dir` with the real pipeline.
pub fn ingest(dir: &Path, jsonl_articles: usize) {
    let inputs = dir.join("inputs");
    std::fs::create_dir_all(&inputs).unwrap();
    std::fs::write(inputs.join("hostile.html"), HOSTILE_PAGE).unwrap();
    std::fs::copy(
        samples().join("seed-page.txt"),
        inputs.join("seed-page.txt"),
    )
    .unwrap();
    let sample = std::fs::read_to_string(samples().join("ant-multisource-sample.jsonl")).unwrap();
    let lines: Vec<&str> = sample.lines().take(jsonl_articles).collect();
    std::fs::write(inputs.join("sample.jsonl"), lines.join("\n")).unwrap();
    ingest_paths(dir, &[inputs]);
}

pub fn ingest_paths(dir: &Path, paths: &[PathBuf]) {
    let store = rased_store::SqliteStore::open(dir).unwrap();
    let index = rased_search::SearchIndex::open(&dir.join("index")).unwrap();
    let analyzer = rased_analyze::Analyzer::new().unwrap();
    let analyze = |a: &mut rased_model::Article| {
        analyzer
            .analyze(a)
            .map_err(|e| rased_ingest::AnalysisFailure {
                code: e.code(),
                reason: e.to_string(),
            })
    };
    let pipeline = rased_ingest::Pipeline {
        store: &store,
        index: Some(&index),
        analyze: &analyze,
        extract_options: Default::default(),
    };
    pipeline.run(paths, &rased_ingest::Quiet).unwrap();
}

/// Starts a server over `config` on a free loopback port; it lives as long as the test.
pub fn start(config: rased_server::Config) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
        let result = rased_server::serve_blocking(config, addr, |a| tx.send(a).unwrap());
        if let Err(e) = result {
            panic!("server failed: {e}");
        }
    });
    rx.recv_timeout(Duration::from_secs(30))
        .expect("server did not start")
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The `code` of a JSON error body.
    pub fn error_code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }
}

pub fn get(addr: SocketAddr, path: &str) -> Response {
    request(addr, "GET", path, &[], b"")
}

/// Sends one request (the path is sent as given: encode it yourself) and reads the reply.
pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Response {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    // A server may answer (413) and close before taking a whole oversized body: keep what it
    // said rather than failing on the write or on the reset that follows.
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    if let Err(e) = stream.read_to_end(&mut raw) {
        assert!(!raw.is_empty(), "reading the response: {e}");
    }
    parse(&raw)
}

fn parse(raw: &[u8]) -> Response {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("no header end");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body: String::from_utf8(body).expect("UTF-8 body"),
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = data.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size_text = String::from_utf8_lossy(&data[..eol]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[eol + 2..eol + 2 + size]);
        data = &data[eol + 2 + size + 2..];
    }
}

/// Percent-encodes a query value.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
