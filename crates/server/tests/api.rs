//! The HTTP API and the UI over a real data directory, on a free loopback port: every
//! endpoint, bad parameters, hostile content, static files, admin rights, and reads that
//! keep working while an ingest writes.

mod common;

use std::net::SocketAddr;
use std::sync::OnceLock;

use common::{enc, get, request};

/// One read-only server over the seed page, a hostile page and 40 sample articles.
fn server() -> SocketAddr {
    static ADDR: OnceLock<(SocketAddr, tempfile::TempDir)> = OnceLock::new();
    ADDR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        common::ingest(dir.path(), 40);
        let addr = common::start(rased_server::Config::new(dir.path()));
        (addr, dir)
    })
    .0
}

fn hostile_id(addr: SocketAddr) -> String {
    let r = get(addr, &format!("/api/search?q={}", enc("الأمن السيبراني")));
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["items"][0]["id"].as_str().unwrap().to_string()
}

#[test]
fn status_and_openapi() {
    let addr = server();
    let r = get(addr, "/api/status");
    assert_eq!(r.status, 200);
    let v = r.json();
    assert!(v["stats"]["articles"].as_u64().unwrap() >= 40, "{v}");
    assert_eq!(v["admin"], false);
    let spec = get(addr, "/api/openapi.json").json();
    for path in [
        "/api/articles",
        "/api/articles/{id}",
        "/api/search",
        "/api/entities",
        "/api/entities/{id}",
        "/api/events",
        "/api/stories",
        "/api/stories/{id}",
        "/api/status",
        "/api/failures",
    ] {
        assert!(spec["paths"][path].is_object(), "{path} not documented");
    }
}

#[test]
fn articles_page_through_without_overlap() {
    let addr = server();
    let first = get(addr, "/api/articles?limit=5").json();
    assert_eq!(first["items"].as_array().unwrap().len(), 5);
    assert_eq!(first["next_offset"], 5);
    let second = get(addr, "/api/articles?limit=5&offset=5").json();
    let ids = |v: &serde_json::Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(ids(&first).iter().all(|id| !ids(&second).contains(id)));
    // Newest first.
    let dates: Vec<String> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["published"].as_str().map(str::to_string))
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    let filtered = get(addr, "/api/articles?from=2025-08-01&to=2025-08-31").json();
    for a in filtered["items"].as_array().unwrap() {
        assert!(a["published"].as_str().unwrap().starts_with("2025-08"));
    }
}

#[test]
fn article_with_highlights_story_and_read_also() {
    let addr = server();
    let hits = get(addr, &format!("/api/search?q={}", enc("حفتر قالين"))).json();
    let id = hits["items"][0]["id"].as_str().unwrap();
    let v = get(addr, &format!("/api/articles/{id}")).json();
    let body: Vec<char> = v["article"]["body"].as_str().unwrap().chars().collect();
    let highlights = v["highlights"].as_array().unwrap();
    assert!(!highlights.is_empty());
    for h in highlights {
        let (s, e) = (
            h["start"].as_u64().unwrap() as usize,
            h["end"].as_u64().unwrap() as usize,
        );
        assert!(s < e && e <= body.len());
    }
    assert!(v["read_also"].is_array());
    assert!(v["story"].is_string());
    let story = v["story"].as_str().unwrap();
    let s = get(addr, &format!("/api/stories/{story}"));
    assert_eq!(s.status, 200);
    let s = s.json();
    assert!(!s["articles"].as_array().unwrap().is_empty());
    assert!(s["story"]["label"].is_string(), "{s}");
    assert!(!s["entities"].as_array().unwrap().is_empty(), "{s}");
    assert!(s["events"].is_array());
    assert!(!s["timeline"].as_array().unwrap().is_empty());
}

#[test]
fn search_finds_spelling_variants_with_snippets_and_facets() {
    let addr = server();
    // The seed page spells Kalın قالين; كالين must find it.
    let v = get(addr, &format!("/api/search?q={}", enc("كالين"))).json();
    assert!(v["total"].as_u64().unwrap() >= 1, "{v}");
    let hit = &v["items"][0];
    assert!(!hit["snippet"]["highlights"].as_array().unwrap().is_empty());
    assert!(v["facets"]["outlets"].is_array());
    assert!(v["facets"]["months"].is_array());
}

#[test]
fn entity_profile_and_lists() {
    let addr = server();
    let list = get(addr, "/api/entities?limit=3").json();
    assert_eq!(list["items"].as_array().unwrap().len(), 3);
    let people = get(addr, "/api/entities?type=PER&limit=10").json();
    assert!(people["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["type"] == "PER"));
    let found = get(addr, &format!("/api/entities?q={}", enc("حفتر"))).json();
    let id = found["items"][0]["id"].as_str().unwrap();
    let p = get(addr, &format!("/api/entities/{}", enc(id)));
    assert_eq!(p.status, 200, "{}", p.body);
    let p = p.json();
    assert!(p["mentions_by_month"].is_array());
    assert!(!p["cooccurring"].as_array().unwrap().is_empty());
    assert!(p["events"].is_array());
}

#[test]
fn events_filter_by_type_actor_and_dates() {
    let addr = server();
    let all = get(addr, "/api/events?limit=200").json();
    let items = all["items"].as_array().unwrap();
    assert!(!items.is_empty());
    let kind = items[0]["event"]["type"].as_str().unwrap();
    let typed = get(addr, &format!("/api/events?type={kind}")).json();
    assert!(typed["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["event"]["type"] == kind));
    for e in items {
        // An event reported by several articles lists them.
        let reports = e["reports"].as_u64().unwrap();
        if reports > 1 {
            assert_eq!(
                e["reported_by"].as_array().unwrap().len() as u64,
                reports,
                "{e}"
            );
        } else {
            assert!(e.get("reported_by").is_none());
        }
    }
    for e in typed["items"].as_array().unwrap() {
        assert!(e["reports"].as_u64().unwrap() >= 1);
        assert!(!e["event"]["evidence"]["sentence"]
            .as_str()
            .unwrap()
            .is_empty());
    }
    let by_name = get(addr, &format!("/api/events?actor={}", enc("حفتر")));
    assert_eq!(by_name.status, 200, "{}", by_name.body);
    let asserted = get(addr, "/api/events?modality=asserted&limit=200").json();
    for e in asserted["items"].as_array().unwrap() {
        let m = e["event"]["modality"].as_str().unwrap_or("asserted");
        assert_eq!(m, "asserted");
    }
    assert_eq!(get(addr, "/api/events?modality=maybe").status, 400);
    let none = get(addr, "/api/events?from=1990-01-01&to=1990-12-31").json();
    assert!(none["items"].as_array().unwrap().is_empty());
}

#[test]
fn stories_and_failures_list() {
    let addr = server();
    let v = get(addr, "/api/stories?limit=5").json();
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 5);
    assert!(items[0]["outlets"].is_array());
    let f = get(addr, "/api/failures");
    assert_eq!(f.status, 200);
    assert!(f.json()["items"].is_array());
}

#[test]
fn bad_requests_get_clear_json_errors() {
    let addr = server();
    for (path, status, code) in [
        ("/api/articles?limit=abc", 400, "bad_parameter"),
        ("/api/articles?limit=0", 400, "bad_parameter"),
        ("/api/articles?limit=100000", 400, "bad_parameter"),
        ("/api/articles?offset=-1", 400, "bad_parameter"),
        ("/api/articles?from=yesterday", 400, "bad_parameter"),
        ("/api/articles?colour=red", 400, "bad_parameter"),
        ("/api/articles?limit=1&limit=2", 400, "bad_parameter"),
        ("/api/search", 400, "bad_parameter"),
        ("/api/search?q=", 400, "bad_parameter"),
        ("/api/entities?type=PLANET", 400, "bad_parameter"),
        ("/api/events?type=%3Cscript%3E", 400, "bad_parameter"),
        ("/api/events?actor=nobody-at-all-zzz", 404, "unknown_entity"),
        ("/api/articles/nope", 404, "not_found"),
        ("/api/entities/nope", 404, "not_found"),
        ("/api/stories/nope", 404, "not_found"),
        ("/api/nothing-here", 404, "no_route"),
    ] {
        let r = get(addr, path);
        assert_eq!(r.status, status, "{path}: {}", r.body);
        assert_eq!(r.error_code(), code, "{path}");
        assert!(r
            .header("content-type")
            .unwrap()
            .starts_with("application/json"));
        assert!(!r.json()["error"]["message"].as_str().unwrap().is_empty());
    }
    let long = "ا".repeat(600);
    assert_eq!(
        get(addr, &format!("/api/search?q={}", enc(&long))).status,
        400
    );
    let post = request(addr, "POST", "/api/articles", &[], b"{}");
    assert_eq!(post.status, 405);
    assert_eq!(post.error_code(), "method_not_allowed");
    let admin = request(addr, "POST", "/api/admin/ingest", &[], b"x");
    assert_eq!(admin.status, 403);
    assert_eq!(admin.error_code(), "admin_disabled");
}

#[test]
fn hostile_content_renders_inert() {
    let addr = server();
    let id = hostile_id(addr);
    let api = get(addr, &format!("/api/articles/{id}")).json();
    // The text is kept as written (it is data)…
    assert!(api["article"]["body"]
        .as_str()
        .unwrap()
        .contains("<script>"));
    // …and rendered escaped everywhere it appears.
    for path in [
        format!("/articles/{id}"),
        "/".to_string(),
        format!("/search?q={}", enc("الأمن السيبراني")),
        format!("/search?q={}", enc("<script>alert(1)</script>")),
        format!("/entities?q={}", enc("\"><script>alert(1)</script>")),
        format!("/events?place={}", enc("\"><img src=x onerror=alert(1)>")),
    ] {
        let r = get(addr, &path);
        assert_eq!(r.status, 200, "{path}");
        let html = r.body.to_lowercase();
        assert!(!html.contains("<script"), "{path}: script tag rendered");
        assert!(!html.contains("<img"), "{path}: img tag rendered");
        assert!(
            !html.contains("javascript:"),
            "{path}: javascript URL rendered"
        );
        assert!(
            r.header("content-security-policy")
                .unwrap()
                .contains("default-src 'none'"),
            "{path}"
        );
    }
    let page = get(addr, &format!("/articles/{id}")).body;
    assert!(page.contains("&lt;script&gt;"));
    assert!(page.contains("dir=\"rtl\""));
    // Every link out of rased is noopener noreferrer.
    for tag in page.split("<a ").skip(1) {
        let tag = tag.split('>').next().unwrap();
        if tag.contains("href=\"http") {
            assert!(tag.contains("rel=\"noopener noreferrer\""), "{tag}");
        }
    }
}

#[test]
fn static_files_cannot_reach_the_file_system() {
    let addr = server();
    let css = get(addr, "/static/style.css");
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
    for path in [
        "/static/../Cargo.toml",
        "/static/..%2fCargo.toml",
        "/static/%2e%2e%2f%2e%2e%2fCargo.toml",
        "/static/....//Cargo.toml",
        "/static/style.css%00.txt",
    ] {
        let r = get(addr, path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.body.contains("[package]"), "{path}");
    }
}

#[test]
fn ui_pages_render() {
    let addr = server();
    let hostile = hostile_id(addr);
    let entity = get(addr, "/api/entities?limit=1").json()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    for (path, must) in [
        ("/".to_string(), "ol class=\"stories\""),
        ("/events".to_string(), "table class=\"events\""),
        ("/entities".to_string(), "entity-grid"),
        (format!("/entities/{}", enc(&entity)), "<svg"),
        (format!("/articles/{hostile}"), "class=\"body\""),
        (format!("/search?q={}", enc("ليبيا")), "class=\"facets\""),
        ("/status".to_string(), "dl class=\"profile\""),
    ] {
        let r = get(addr, &path);
        assert_eq!(r.status, 200, "{path}");
        assert!(r.body.contains(must), "{path} lacks {must}");
        assert!(r.body.contains("<html lang=\"ar\" dir=\"rtl\">"));
    }
    let missing = get(addr, "/articles/nope");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("dir=\"rtl\""));
    assert_eq!(get(addr, "/?from=banana").status, 400);
}

#[test]
fn admin_ingest_needs_the_token_and_reads_go_on_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    common::ingest(dir.path(), 5);
    let mut config = rased_server::Config::new(dir.path());
    config.admin_token = Some("s3cret".into());
    config.max_upload_bytes = 1024 * 1024;
    let addr = common::start(config);
    let huge = vec![b'x'; 2 * 1024 * 1024];
    let too_big = request(
        addr,
        "POST",
        "/api/admin/ingest?name=big.html",
        &[("Authorization", "Bearer s3cret")],
        &huge,
    );
    assert_eq!(too_big.status, 413);
    assert_eq!(too_big.error_code(), "payload_too_large");
    let before = get(addr, "/api/status").json()["stats"]["articles"]
        .as_u64()
        .unwrap();
    let upload = std::fs::read(common::samples().join("ant-multisource-sample.jsonl")).unwrap();
    let no_token = request(addr, "POST", "/api/admin/ingest?name=a.jsonl", &[], &upload);
    assert_eq!(no_token.status, 401);
    assert_eq!(no_token.error_code(), "unauthorized");
    let wrong = request(
        addr,
        "POST",
        "/api/admin/ingest?name=a.jsonl",
        &[("Authorization", "Bearer nope")],
        &upload,
    );
    assert_eq!(wrong.status, 401);

    // Readers hammer the server while the upload is being ingested.
    let readers: Vec<_> = (0..4)
        .map(|_| {
            std::thread::spawn(move || {
                let mut ok = 0;
                for path in ["/api/articles?limit=5", "/", "/api/status", "/events"].repeat(5) {
                    let r = get(addr, path);
                    assert_eq!(r.status, 200, "{path}: {}", r.body);
                    ok += 1;
                }
                ok
            })
        })
        .collect();
    let done = request(
        addr,
        "POST",
        "/api/admin/ingest?name=../../etc/a.jsonl",
        &[("Authorization", "Bearer s3cret")],
        &upload,
    );
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.json()["new_articles"].as_u64().unwrap() > 100);
    for r in readers {
        assert_eq!(r.join().unwrap(), 20);
    }
    let after = get(addr, "/api/status").json()["stats"]["articles"]
        .as_u64()
        .unwrap();
    assert!(after > before + 100);
    // Uploaded files stay inside the data directory, whatever their name says.
    let uploads: Vec<_> = std::fs::read_dir(dir.path().join("uploads"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(uploads.len(), 1);
    assert!(!uploads[0].contains('/'));
    // The sample reports some events in several articles: those list their reports.
    let mut offset = 0;
    let mut multiply_reported = 0;
    loop {
        let page = get(addr, &format!("/api/events?limit=200&offset={offset}")).json();
        for e in page["items"].as_array().unwrap() {
            if let Some(list) = e["reported_by"].as_array() {
                assert!(list.len() >= 2);
                multiply_reported += 1;
            }
        }
        match page["next_offset"].as_u64() {
            Some(next) => offset = next as usize,
            None => break,
        }
    }
    assert!(multiply_reported >= 2, "{multiply_reported}");
    // The same upload again adds nothing.
    let again = request(
        addr,
        "POST",
        "/api/admin/ingest?name=a.jsonl",
        &[("Authorization", "Bearer s3cret")],
        &upload,
    );
    assert_eq!(again.json()["new_articles"], 0);
}
