//! The embedded store: idempotence, atomic inputs, schema versions, failures, filters.

use rased_model::{Article, Entity, Mention};
use rased_store::{ArticleFilter, EventFilter, InputRecord, SqliteStore, Store, StoreError};

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
                link: None,
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
fn ingesting_twice_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    let articles = vec![article("a1", "زمان", "2025-08-25", "cur:ibrahim-kalin")];
    let first = store
        .put_input(&input("seed.txt", "h1"), &articles)
        .unwrap();
    assert_eq!((first.new_articles, first.entities), (1, 1));
    let stats = store.stats().unwrap();
    assert!(store.input_done("h1").unwrap());
    let again = store
        .put_input(&input("seed.txt", "h1"), &articles)
        .unwrap();
    assert_eq!(again.new_articles, 0);
    // The same article inside another input is a duplicate, not a second copy.
    let other = store
        .put_input(&input("copy.txt", "h2"), &articles)
        .unwrap();
    assert_eq!((other.new_articles, other.duplicate_articles), (0, 1));
    let after = store.stats().unwrap();
    assert_eq!(after.articles, stats.articles);
    assert_eq!(after.mentions, stats.mentions);
    assert_eq!(store.article("a1").unwrap().unwrap(), articles[0]);
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

#[test]
fn failures_are_recorded_once_and_cleared_by_success() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    store
        .record_failure("bad.bin", "binary_input", "binary data")
        .unwrap();
    store
        .record_failure("bad.bin", "binary_input", "binary data")
        .unwrap();
    store
        .record_failure("empty.txt", "empty_input", "empty file")
        .unwrap();
    assert_eq!(store.failures().unwrap().len(), 2);
    store.put_input(&input("empty.txt", "h"), &[]).unwrap();
    let left: Vec<String> = store
        .failures()
        .unwrap()
        .into_iter()
        .map(|f| f.input)
        .collect();
    assert_eq!(left, vec!["bad.bin"]);
}

#[test]
fn article_filters_by_outlet_entity_and_dates_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    let articles = vec![
        article("a", "BBC", "2025-08-20", "e1"),
        article("b", "CNN", "2025-08-25T10:00:00+03:00", "e2"),
        article("c", "BBC", "2025-08-27", "e2"),
    ];
    store.put_input(&input("x", "h"), &articles).unwrap();
    let ids = |f: ArticleFilter| -> Vec<String> {
        store
            .articles(&f)
            .unwrap()
            .into_iter()
            .map(|a| a.id)
            .collect()
    };
    assert_eq!(ids(ArticleFilter::default()), vec!["c", "b", "a"]);
    assert_eq!(
        ids(ArticleFilter {
            outlet: Some("BBC".into()),
            ..Default::default()
        }),
        vec!["c", "a"]
    );
    assert_eq!(
        ids(ArticleFilter {
            entity: Some("e2".into()),
            ..Default::default()
        }),
        vec!["c", "b"]
    );
    let window = ArticleFilter {
        from: Some("2025-08-21".into()),
        to: Some("2025-08-25".into()),
        ..Default::default()
    };
    assert_eq!(ids(window), vec!["b"]);
}

#[test]
fn republished_copies_share_a_story() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    let body = "التقى رئيس الاستخبارات التركية إبراهيم قالين بالجنرال خليفة حفتر قائد الجيش في شرق ليبيا وذكر بيان صادر عن مكتب حفتر اليوم الاثنين أن اللقاء عقد في مقر القيادة العامة بمنطقة الرجمة ووفق البيان شهد اللقاء مناقشة سبل التعاون بين البلدين في مختلف المجالات";
    let mut first = article("w1", "زمان", "2025-08-25", "e");
    first.body = body.into();
    let mut copy = article("w2", "عربي", "2025-08-25", "e");
    copy.body = format!("أنقرة (وكالات) - {body}. تابعونا على تويتر");
    let mut other = article("w3", "BBC", "2025-08-25", "e");
    other.body = "أعلنت وزارة الصحة المصرية تسجيل حالات جديدة من فيروس كورونا في عدد من المحافظات خلال الأسبوع الماضي وسط إجراءات احترازية مشددة في المدارس والجامعات".into();
    store.put_input(&input("a", "h1"), &[first]).unwrap();
    let outcome = store.put_input(&input("b", "h2"), &[copy, other]).unwrap();
    assert_eq!(outcome.near_duplicates, 1);
    assert_eq!(store.story_of("w2").unwrap().as_deref(), Some("w1"));
    assert_eq!(store.story_of("w3").unwrap().as_deref(), Some("w3"));
    assert_eq!(store.story_members("w1").unwrap(), vec!["w1", "w2"]);

    let stories = store.stories(&ArticleFilter::default()).unwrap();
    assert_eq!(stories.len(), 2);
    let wire = stories.iter().find(|s| s.id == "w1").unwrap();
    assert_eq!(wire.articles, 2);
    assert_eq!(wire.outlets.len(), 2);
    let (story, members) = store.story("w1").unwrap().unwrap();
    assert_eq!(story.lead.id, "w1");
    assert_eq!(members.len(), 2);
    assert!(store.story("nope").unwrap().is_none());
    let by_outlet = ArticleFilter {
        outlet: Some("BBC".into()),
        ..Default::default()
    };
    let bbc = store.stories(&by_outlet).unwrap();
    assert_eq!(bbc.len(), 1);
    assert_eq!(bbc[0].id, "w3");
    assert_eq!(store.stats().unwrap().stories, 2);
    let outlets = store.outlets().unwrap();
    assert_eq!(outlets.len(), 3);
    assert!(outlets.iter().all(|(_, n)| *n == 1));
}

fn consult(actor: &str, recipient: &str, date: &str) -> rased_model::Event {
    let p = |id: &str| rased_model::Participant {
        text: id.into(),
        entity: Some(id.into()),
    };
    rased_model::Event {
        kind: "CONSULT".into(),
        actors: vec![p(actor)],
        recipients: vec![p(recipient)],
        date: Some(date.into()),
        ..Default::default()
    }
}

#[test]
fn reports_of_one_event_are_grouped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    let mut a = article("r1", "زمان", "2025-08-25", "kalin");
    a.events.push(consult("kalin", "haftar", "2025-08-25"));
    let mut b = article("r2", "الأناضول", "2025-08-26", "kalin");
    b.body = "نص آخر تماما عن لقاء رئيس الاستخبارات مع القائد العسكري في بنغازي.".into();
    // Reported a day later with "yesterday" read against the later date: same event.
    b.events.push(consult("kalin", "haftar", "2025-08-24"));
    let mut c = article("r3", "BBC", "2025-08-25", "x");
    c.body = "خبر مختلف عن لقاء آخر.".into();
    c.events
        .push(consult("someone-else", "haftar", "2025-08-25"));
    store.put_input(&input("x", "h"), &[a, b, c]).unwrap();
    let events = store.events(Some("CONSULT"), None, 0).unwrap();
    let count = |article: &str| {
        events
            .iter()
            .find(|e| e.article == article)
            .unwrap()
            .reports
    };
    assert_eq!(count("r1"), 2);
    assert_eq!(count("r2"), 2);
    assert_eq!(count("r3"), 1);
    let group = events
        .iter()
        .find(|e| e.article == "r1")
        .unwrap()
        .group
        .clone()
        .unwrap();
    let reports: Vec<String> = store
        .event_reports(&group)
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(reports, vec!["r1", "r2"]);

    // Filters: entity, place, date range, paging, order.
    let with = |f: EventFilter| -> Vec<String> {
        store
            .find_events(&f)
            .unwrap()
            .into_iter()
            .map(|r| r.article)
            .collect()
    };
    let kalin = EventFilter {
        entity: Some("kalin".into()),
        ..Default::default()
    };
    assert_eq!(with(kalin.clone()), vec!["r2", "r1"]);
    let newest = EventFilter {
        newest_first: true,
        ..kalin.clone()
    };
    assert_eq!(with(newest), vec!["r1", "r2"]);
    let paged = EventFilter {
        offset: 1,
        limit: 1,
        ..kalin.clone()
    };
    assert_eq!(with(paged), vec!["r1"]);
    let dated = EventFilter {
        from: Some("2025-08-25".into()),
        to: Some("2025-08-25".into()),
        ..Default::default()
    };
    assert_eq!(with(dated), vec!["r1", "r3"]);
    let months = store.event_months(&EventFilter::default()).unwrap();
    assert_eq!(
        months,
        vec![("2025-08".to_string(), "CONSULT".to_string(), 3)]
    );
    let kalin_months = store.event_months(&kalin).unwrap();
    assert_eq!(kalin_months[0].2, 2);
    let nowhere = EventFilter {
        place: Some("بنغازي".into()),
        ..Default::default()
    };
    assert!(with(nowhere).is_empty());
}

#[test]
fn related_articles_rank_by_rare_shared_entities() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    let with = |id: &str, entities: &[&str]| {
        let mut a = article(id, "o", "2025-08-25", entities[0]);
        a.body = format!("نص المقال {id} وحده.");
        a.entities = entities
            .iter()
            .enumerate()
            .map(|(i, e)| Entity {
                id: (*e).into(),
                kind: "PER".into(),
                name: (*e).into(),
                aliases: vec![],
                mentions: vec![Mention {
                    text: "x".into(),
                    start: i,
                    end: i + 1,
                    link: None,
                }],
            })
            .collect();
        a
    };
    let articles = vec![
        with("main", &["haftar", "kalin", "libya"]),
        with("same-people", &["haftar", "kalin"]),
        with("only-country", &["libya"]),
        with("country-2", &["libya"]),
        with("country-3", &["libya"]),
        with("unrelated", &["trump"]),
    ];
    store.put_input(&input("x", "h"), &articles).unwrap();
    let related: Vec<String> = store
        .related_articles("main", 3)
        .unwrap()
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    assert_eq!(related[0], "same-people");
    assert!(!related.contains(&"unrelated".to_string()));

    let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut links = store
        .links_among(&ids(&["haftar", "kalin", "libya", "trump"]))
        .unwrap();
    links.sort();
    assert_eq!(
        links,
        vec![
            ("haftar".into(), "kalin".into(), 2),
            ("haftar".into(), "libya".into(), 1),
            ("kalin".into(), "libya".into(), 1),
        ]
    );
}
