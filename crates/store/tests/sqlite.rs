//! The embedded store: idempotence, atomic inputs, schema versions, failures, filters.

use rased_model::{Article, Entity, Mention};
use rased_store::{InputRecord, SqliteStore, Store, StoreError};

fn article(id: &str, outlet: &str, published: &str, entity: &str) -> Article {
    Article {
        id: id.into(),
        page: format!("page-{id}"),
        title: Some(format!("عنوان {id}")),
        published: Some(published.into()),
        outlet: Some(outlet.into()),
        body: "التقى قالين حفتر في الرجمة.".into(),
        entities: vec![Entity {
            id: entity.into(),
            kind: "PER".into(),
            name: "إبراهيم قالين".into(),
            aliases: vec!["قالين".into()],
            mentions: vec![Mention {
                text: "قالين".into(),
                start: 6,
                end: 11,
            }],
        }],
        ..Default::default()
    }
}

fn input(name: &str, hash: &str) -> InputRecord {
    InputRecord {
        name: name.into(),
        content_hash: hash.into(),
    }
}

#[test]
fn reopening_keeps_data_and_a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = SqliteStore::open(dir.path()).unwrap();
        store
            .put_input(&input("x", "h"), &[article("a", "o", "2025-01-01", "e")])
            .unwrap();
    }
    let store = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(store.stats().unwrap().articles, 1);
    let path = store.path().to_path_buf();
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 999).unwrap();
    drop(conn);
    match SqliteStore::open(dir.path()) {
        Err(e @ StoreError::NewerSchema { .. }) => {
            assert_eq!(e.code(), "store_newer_schema");
            assert!(e.to_string().contains("999"));
        }
        other => panic!("expected NewerSchema, got {:?}", other.map(|_| ())),
    }
}
