//! The embedded store: idempotence, atomic inputs, schema versions, failures, filters.

mod suite;

use rased_store::{SqliteStore, Store, StoreError};
use suite::{article, input};

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
