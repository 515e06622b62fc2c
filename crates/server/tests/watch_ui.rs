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
