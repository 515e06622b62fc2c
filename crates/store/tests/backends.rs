//! The store suite (`tests/suite`) on both backends: SQLite always; PostgreSQL when
//! `RASED_TEST_PG_URL` names a server (`.ci/services.sh`), each test in a database of its own.
//! Without the server the PostgreSQL tests say so and skip, unless `RASED_REQUIRE_SERVICES=1`.

#[path = "../../../tests/common/services.rs"]
mod services;
mod suite;

use rased_store::{PgStore, SqliteStore, Watchlist};

impl suite::AddWatchlist for SqliteStore {
    fn add(&self, w: &Watchlist) -> bool {
        self.add_watchlist(w).unwrap()
    }
    fn all_alerts(&self) -> Vec<rased_store::Alert> {
        self.alerts(&Default::default()).unwrap()
    }
}

impl suite::AddWatchlist for PgStore {
    fn add(&self, w: &Watchlist) -> bool {
        self.add_watchlist(w).unwrap()
    }
    fn all_alerts(&self) -> Vec<rased_store::Alert> {
        self.alerts(&Default::default()).unwrap()
    }
}

/// A PostgreSQL store on a fresh database named after the test.
pub fn pg_store(test: &str) -> Option<PgStore> {
    let server = services::pg_url()?;
    let url = rased_store::fresh_database(&server, &format!("t_{test}"))
        .unwrap_or_else(|e| panic!("creating a test database on {server}: {e}"));
    Some(PgStore::open(&url, 8).unwrap_or_else(|e| panic!("opening {url}: {e}")))
}

macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite_backend {
            $(
                #[test]
                fn $name() {
                    let dir = tempfile::tempdir().unwrap();
                    let store = super::SqliteStore::open(dir.path()).unwrap();
                    super::suite::$name(&store);
                }
            )*
        }
        mod postgres_backend {
            $(
                #[test]
                fn $name() {
                    let Some(store) = super::pg_store(stringify!($name)) else { return };
                    super::suite::$name(&store);
                }
            )*
        }
    };
}

on_both_backends!(
    ingesting_twice_changes_nothing,
    failures_are_recorded_once_and_cleared_by_success,
    article_filters_by_outlet_entity_and_dates_newest_first,
    republished_copies_share_a_story,
    reports_from_several_outlets_share_a_story,
    reports_of_one_event_are_grouped_and_counted,
    related_articles_rank_by_rare_shared_entities,
    concurrent_writers_store_each_article_once_in_one_story,
    entities_and_stories_list_like_the_embedded_store,
    watched_urls_new_done_failed_and_retried,
    watched_source_health_accumulates,
    webhook_claims_are_exclusive_and_leases_run_out,
);

#[test]
fn postgres_refuses_a_newer_schema_and_migrates_once() {
    let Some(store) = pg_store("newer_schema") else {
        return;
    };
    let url = std::env::var("RASED_TEST_PG_URL").unwrap();
    let url = format!("{}/t_newer_schema", url.rsplit_once('/').unwrap().0);
    drop(store);
    // Reopening migrates nothing and keeps the version.
    PgStore::open(&url, 1).unwrap();
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client
        .execute("UPDATE rased_schema SET version = 999", &[])
        .unwrap();
    match PgStore::open(&url, 1) {
        Err(e) => {
            assert_eq!(e.code(), "store_newer_schema");
            assert!(e.to_string().contains("999"), "{e}");
        }
        Ok(_) => panic!("a newer schema was opened"),
    }
}

#[test]
fn a_bad_postgres_url_is_a_clear_error() {
    let e = PgStore::open("postgres://nobody@127.0.0.1:1/none?connect_timeout=2", 1)
        .err()
        .expect("nothing listens on port 1");
    assert_eq!(e.code(), "store_open");
    assert!(e.to_string().contains("127.0.0.1:1"), "{e}");
}

#[test]
fn postgres_watchlists_alert_once() {
    let Some(store) = pg_store("watchlists") else {
        return;
    };
    use rased_store::{AlertFilter, Store, Watchlist};
    let w = Watchlist {
        name: "kalin".into(),
        entity: Some("كالين".into()),
        ..Default::default()
    };
    assert!(store.add_watchlist(&w).unwrap());
    assert!(!store.add_watchlist(&w).unwrap());
    let a = suite::article("a1", "o", "2025-01-01", "cur:ibrahim-kalin");
    store.put_input(&suite::input("x", "h1"), &[a]).unwrap();
    assert_eq!(store.match_watchlists(0).unwrap(), 1);
    assert_eq!(
        store.match_watchlists(0).unwrap(),
        0,
        "one alert per article"
    );
    let alerts = store.alerts(&AlertFilter::default()).unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].article, "a1");
    assert!(store.remove_watchlist("kalin").unwrap());
    assert!(store.alerts(&AlertFilter::default()).unwrap().is_empty());
}

/// Search on PostgreSQL matches and ranks as the embedded index does: the same articles and
/// the same BM25 scores for every benchmark query, phrase, variant spelling and filter on the
/// 200-article sample (the top-10 overlap is printed: equal scores may come in another order).
#[test]
fn postgres_search_matches_the_embedded_index() {
    let Some(store) = pg_store("search_parity") else {
        return;
    };
    use rased_search::{SearchIndex, SearchQuery};
    use rased_store::Store;
    let sample = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/samples/ant-multisource-sample.jsonl"
    );
    let bytes = std::fs::read(sample).unwrap();
    let articles = rased_extract::extract(
        "sample.jsonl",
        &bytes,
        &rased_extract::ExtractOptions::default(),
    )
    .articles;
    assert_eq!(articles.len(), 200);
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    let mut writer = index.writer().unwrap();
    for a in &articles {
        index.add(&writer, a).unwrap();
    }
    index.commit(&mut writer, 1).unwrap();
    store
        .put_input(&suite::input("sample", "h"), &articles)
        .unwrap();
    let mut queries: Vec<String> = include_str!("../../../bench/queries.txt")
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    queries.extend(["«وزير الخارجية»", "الحوثيون", "ايران", "\"مجلس\"", ""].map(String::from));
    let (mut overlap, mut compared) = (0usize, 0usize);
    for text in &queries {
        let q = SearchQuery {
            text: text.clone(),
            limit: 10,
            ..Default::default()
        };
        let embedded = index.search(&q).unwrap();
        let pg = store.search(&q).unwrap();
        assert_eq!(pg.total, embedded.total, "{text}: totals differ");
        let top = |r: &rased_search::SearchResults| -> std::collections::BTreeSet<String> {
            r.hits.iter().map(|h| h.id.clone()).collect()
        };
        overlap += top(&pg).intersection(&top(&embedded)).count();
        // Ranked by the same BM25: the same score at every rank (which of several
        // equally scored articles comes first depends on tantivy's segments).
        for (rank, (e, p)) in embedded.hits.iter().zip(&pg.hits).enumerate() {
            assert!(
                (e.score - p.score).abs() <= 1e-4 * e.score.max(1.0),
                "{text}: rank {rank} scores {} ({}) embedded, {} ({}) on PostgreSQL",
                e.score,
                e.id,
                p.score,
                p.id
            );
        }
        compared += top(&embedded).len();
        assert_eq!(pg.hits.len(), embedded.hits.len(), "{text}");
        // Facets count the same matches.
        let mut a = pg.outlets.clone();
        let mut b = embedded.outlets.clone();
        a.sort();
        b.sort();
        assert_eq!(a, b, "{text}: outlet facets differ");
    }
    eprintln!("top-10 overlap with the embedded index: {overlap}/{compared}");
    assert!(compared > 100);
    assert!(
        overlap * 100 >= compared * 95,
        "overlap {overlap}/{compared}"
    );
    // Filters: an outlet and a date range.
    let outlet = articles[0].outlet.clone();
    let q = SearchQuery {
        text: "في".into(),
        outlet: outlet.clone(),
        from: Some("2000-01-01".into()),
        to: Some("2100-01-01".into()),
        limit: 50,
        ..Default::default()
    };
    let (pg, embedded) = (store.search(&q).unwrap(), index.search(&q).unwrap());
    assert_eq!(pg.total, embedded.total);
    let scores = |r: &rased_search::SearchResults| -> Vec<String> {
        r.hits.iter().map(|h| format!("{:.3}", h.score)).collect()
    };
    assert_eq!(scores(&pg), scores(&embedded), "filtered scores differ");
}

/// A store from before search kept field lengths (schema 5) is measured when it migrates:
/// search then ranks exactly as on a store that was written with them.
#[test]
fn postgres_migration_measures_stored_articles_for_ranking() {
    let Some(store) = pg_store("measure_lengths") else {
        return;
    };
    use rased_search::SearchQuery;
    use rased_store::Store;
    let articles: Vec<_> = (0..30)
        .map(|i| {
            let mut a = suite::article(&format!("a{i}"), "o", "2025-01-01", "cur:ibrahim-kalin");
            a.body = format!(
                "{} قالين حفتر {}",
                "ليبيا ".repeat(i % 7),
                "بنغازي ".repeat(i)
            );
            a
        })
        .collect();
    store
        .put_input(&suite::input("x", "h1"), &articles)
        .unwrap();
    let q = SearchQuery {
        text: "ليبيا بنغازي".into(),
        limit: 30,
        ..Default::default()
    };
    let ranked = |store: &PgStore| -> Vec<(String, String)> {
        let hits = store.search(&q).unwrap().hits;
        hits.iter()
            .map(|h| (h.id.clone(), format!("{:.4}", h.score)))
            .collect()
    };
    let before = ranked(&store);
    assert!(before.len() > 20);
    let url = store.url().to_string();
    drop(store);
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client
        .batch_execute(
            "ALTER TABLE articles DROP COLUMN field_lengths; DROP TABLE search_totals;
             UPDATE rased_schema SET version = 5",
        )
        .unwrap();
    let store = PgStore::open(&url, 1).unwrap();
    assert_eq!(ranked(&store), before);
}

#[test]
fn postgres_webhooks_are_pending_until_delivered() {
    use rased_store::{Store, WatchStore, Watchlist};
    let Some(store) = pg_store("webhooks") else {
        return;
    };
    let w = Watchlist {
        name: "kalin".into(),
        query: Some("قالين".into()),
        webhook: Some("http://127.0.0.1:9/hook".into()),
        ..Default::default()
    };
    assert!(store.add_watchlist(&w).unwrap());
    let before = store.max_seq().unwrap();
    let a = suite::article("a1", "زمان", "2025-08-25", "cur:ibrahim-kalin");
    store.put_input(&suite::input("i", "h1"), &[a]).unwrap();
    assert_eq!(store.match_watchlists(before).unwrap(), 1);
    let pending = store.pending_webhooks(3).unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].1, "http://127.0.0.1:9/hook");
    assert_eq!(pending[0].0.article, "a1");
    let id = pending[0].0.id;
    store.record_delivery(id, Some("connect")).unwrap();
    store.record_delivery(id, Some("connect")).unwrap();
    assert_eq!(store.pending_webhooks(3).unwrap()[0].0.attempts, 2);
    assert_eq!(
        store.pending_webhooks(3).unwrap()[0]
            .0
            .last_error
            .as_deref(),
        Some("connect")
    );
    assert!(
        store.pending_webhooks(2).unwrap().is_empty(),
        "out of tries"
    );
    store.record_delivery(id, None).unwrap();
    assert!(store.pending_webhooks(10).unwrap().is_empty());
    let alert = &store.alerts(&Default::default()).unwrap()[0];
    assert!(alert.delivered_at.is_some() && alert.last_error.is_none());
}
