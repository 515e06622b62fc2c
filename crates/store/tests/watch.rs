//! The watch tables (schema 7): article URLs and their retries, source health, validators,
//! watchlists and alerts, and the upgrade of an existing data directory.

use rased_model::{Article, Entity};
use rased_store::{
    AlertFilter, HttpValidators, InputRecord, PollRecord, SqliteStore, Store, Watchlist,
};

fn article(id: &str, body: &str) -> Article {
    Article {
        id: id.into(),
        page: format!("page-{id}"),
        title: Some(format!("عنوان {id}")),
        url: Some(format!("https://news.example/{id}")),
        body: body.into(),
        entities: vec![Entity {
            id: "cur:haftar".into(),
            kind: "PER".into(),
            name: "خليفة حفتر".into(),
            aliases: vec![],
            mentions: vec![],
        }],
        ..Default::default()
    }
}

fn put(store: &SqliteStore, key: &str, articles: &[Article]) {
    let before = store.max_seq().unwrap();
    store
        .put_input(
            &InputRecord {
                name: key.into(),
                content_hash: key.into(),
            },
            articles,
        )
        .unwrap();
    store.match_watchlists(before).unwrap();
}

#[test]
fn urls_new_done_failed_and_retried() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    let src = "https://news.example/feed";
    let found: Vec<String> = ["a", "b", "c", "d", "a"]
        .iter()
        .map(|s| format!("https://news.example/{s}"))
        .collect();
    assert_eq!(
        store.urls_to_fetch(src, &found, 3).unwrap().len(),
        4,
        "duplicates once"
    );
    store.mark_url(&found[0], src, "done", None, 0).unwrap();
    store
        .mark_url(&found[1], src, "failed", Some("http_4xx"), 0)
        .unwrap();
    store
        .mark_url(&found[2], src, "retry", Some("timeout"), 0)
        .unwrap();
    store
        .mark_url(&found[3], src, "retry", Some("http_5xx"), 3600)
        .unwrap();
    // c is due again, d waits for its time; a retry due shows even when not listed.
    assert_eq!(
        store.urls_to_fetch(src, &found, 3).unwrap(),
        [found[2].clone()]
    );
    assert_eq!(
        store.urls_to_fetch(src, &[], 3).unwrap(),
        [found[2].clone()]
    );
    store
        .mark_url(&found[2], src, "retry", Some("timeout"), 0)
        .unwrap();
    store
        .mark_url(&found[2], src, "retry", Some("timeout"), 0)
        .unwrap();
    assert_eq!(store.url_attempts(&found[2]).unwrap(), 3);
    assert!(
        store.urls_to_fetch(src, &found, 3).unwrap().is_empty(),
        "gave up after 3 tries"
    );
}

#[test]
fn source_health_accumulates() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    let url = "https://news.example/feed";
    store.ensure_source(url).unwrap();
    assert_eq!(store.sources().unwrap()[0].polls, 0);
    let poll = |ok: bool, found: u64, new: u64| PollRecord {
        url: url.into(),
        kind: Some("feed".into()),
        ok,
        status: if ok { "ok".into() } else { "timeout".into() },
        error: (!ok).then(|| "timed out".into()),
        items_found: found,
        new_items: new,
        interval_s: 300,
        next_poll: 1000,
    };
    store.record_poll(&poll(true, 10, 4)).unwrap();
    store.record_poll(&poll(false, 0, 0)).unwrap();
    store.record_poll(&poll(false, 0, 0)).unwrap();
    let h = store.source(url).unwrap().unwrap();
    assert_eq!((h.polls, h.items_found, h.new_items), (3, 10, 4));
    assert_eq!((h.errors, h.consecutive_errors), (2, 2));
    assert!(h.last_success.is_some() && h.last_success <= h.last_poll);
    assert_eq!(h.last_status.as_deref(), Some("timeout"));
    store.record_poll(&poll(true, 1, 0)).unwrap();
    let h = store.source(url).unwrap().unwrap();
    assert_eq!((h.consecutive_errors, h.last_error), (0, None));

    let v = HttpValidators {
        etag: Some("\"1\"".into()),
        last_modified: Some("Mon, 01 Dec 2025 10:00:00 GMT".into()),
    };
    store.set_validators(url, &v).unwrap();
    assert_eq!(store.validators(url).unwrap(), Some(v));
    store
        .set_children(url, &["https://news.example/s1.xml".into()])
        .unwrap();
    assert_eq!(
        store.children(url).unwrap(),
        ["https://news.example/s1.xml"]
    );
    assert!(store.children("https://other.example/").unwrap().is_empty());
}

#[test]
fn watchlists_alert_once_and_go_with_their_alerts() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    let w = Watchlist {
        name: "haftar".into(),
        // Another spelling of the entity's name (ه for ة).
        entity: Some("خليفه حفتر".into()),
        query: Some("بنغازي".into()),
        ..Default::default()
    };
    assert!(store.add_watchlist(&w).unwrap());
    assert!(!store.add_watchlist(&w).unwrap(), "a name is taken once");
    put(
        &store,
        "i1",
        &[
            article("a1", "وصل حفتر إلى بنغازي."),
            article("a2", "لا شيء هنا عن المدينة."),
        ],
    );
    // The same article again from another input: no second alert.
    put(&store, "i2", &[article("a1", "وصل حفتر إلى بنغازي.")]);
    assert_eq!(store.match_watchlists(0).unwrap(), 0);
    let alerts = store.alerts(&AlertFilter::default()).unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].article, "a1");
    assert_eq!(alerts[0].url.as_deref(), Some("https://news.example/a1"));
    assert!(
        alerts[0].matched.contains("entity خليفة حفتر (cur:haftar)"),
        "{}",
        alerts[0].matched
    );
    let future = AlertFilter {
        since: Some(i64::MAX),
        ..Default::default()
    };
    assert!(store.alerts(&future).unwrap().is_empty());
    assert!(
        store.pending_webhooks(10).unwrap().is_empty(),
        "no webhook, nothing to post"
    );
    assert!(store.remove_watchlist("haftar").unwrap());
    assert!(!store.remove_watchlist("haftar").unwrap());
    assert!(store.alerts(&AlertFilter::default()).unwrap().is_empty());
}

#[test]
fn a_version_6_directory_upgrades_with_its_articles() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = SqliteStore::open(dir.path()).unwrap();
        put(&store, "i1", &[article("a1", "نص")]);
    }
    // Take the directory back to before the watch tables.
    {
        let conn = rusqlite::Connection::open(dir.path().join("rased.sqlite")).unwrap();
        conn.execute_batch(
            "DROP TABLE sources; DROP TABLE http_cache; DROP TABLE seen_urls;
             DROP TABLE watchlists; DROP TABLE alerts; PRAGMA user_version = 6;",
        )
        .unwrap();
    }
    let store = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(store.stats().unwrap().articles, 1);
    assert!(store.sources().unwrap().is_empty());
    assert!(store
        .add_watchlist(&Watchlist {
            name: "w".into(),
            query: Some("نص".into()),
            ..Default::default()
        })
        .unwrap());
    assert_eq!(store.watchlists().unwrap().len(), 1);
}
