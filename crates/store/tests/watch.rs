//! The watch tables (schema 7) of the embedded store: watchlists and alerts, and the upgrade
//! of an existing data directory (article URLs, source health and validators are in the
//! suite, `tests/suite`, on both backends).

use rased_model::{Article, Entity};
use rased_store::{AlertFilter, InputRecord, SqliteStore, Store, Watchlist};

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
    // Take the directory back to before the watch tables (and the story tables after them).
    {
        let conn = rusqlite::Connection::open(dir.path().join("rased.sqlite")).unwrap();
        conn.execute_batch(
            "DROP TABLE stories; DROP TABLE story_terms; DROP INDEX articles_copies;
             ALTER TABLE articles DROP COLUMN copies;
             ALTER TABLE dedup_bands RENAME COLUMN copies TO story;
             DROP TABLE sources; DROP TABLE http_cache; DROP TABLE seen_urls;
             DROP TABLE watchlists; DROP TABLE alerts; PRAGMA user_version = 6;",
        )
        .unwrap();
    }
    let store = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(store.stats().unwrap().articles, 1);
    assert_eq!(
        store.stats().unwrap().stories,
        1,
        "stories rebuilt on upgrade"
    );
    assert_eq!(store.story_of("a1").unwrap().as_deref(), Some("a1"));
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
