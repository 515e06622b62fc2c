//! The store test suite, written once over `&dyn Store` and run on every backend
//! (`tests/backends.rs`): SQLite always, PostgreSQL when a server is at hand.
#![allow(dead_code)]

use rased_model::{Article, Entity, Mention};
use rased_store::{
    ArticleFilter, EventFilter, HttpValidators, InputRecord, PollRecord, Store, WatchStore,
    Watchlist,
};

pub fn article(id: &str, outlet: &str, published: &str, entity: &str) -> Article {
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

pub fn input(name: &str, hash: &str) -> InputRecord {
    InputRecord {
        name: name.into(),
        content_hash: hash.into(),
    }
}

pub fn ingesting_twice_changes_nothing(store: &dyn Store) {
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

pub fn failures_are_recorded_once_and_cleared_by_success(store: &dyn Store) {
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

pub fn article_filters_by_outlet_entity_and_dates_newest_first(store: &dyn Store) {
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

pub fn republished_copies_share_a_story(store: &dyn Store) {
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
    assert_eq!(story.copies, 1);
    assert_eq!(members[1].copy_of.as_deref(), Some("w1"));
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

/// A report with its own wording, naming Kalın and Haftar.
fn report(id: &str, outlet: &str, published: &str, title: &str, body: &str) -> Article {
    let person = |id: &str, name: &str| Entity {
        id: id.into(),
        kind: "PER".into(),
        name: name.into(),
        aliases: vec![],
        mentions: vec![],
    };
    Article {
        id: id.into(),
        page: format!("page-{id}"),
        title: Some(title.into()),
        published: Some(published.into()),
        outlet: Some(outlet.into()),
        body: body.into(),
        entities: vec![
            person("cur:ibrahim-kalin", "إبراهيم قالين"),
            person("cur:khalifa-haftar", "خليفة حفتر"),
        ],
        ..Default::default()
    }
}

pub fn reports_from_several_outlets_share_a_story(store: &dyn Store) {
    let first = report(
        "r1",
        "زمان",
        "2025-08-25T10:00:00+03:00",
        "رئيس المخابرات التركية قالين يلتقي حفتر في بنغازي",
        "التقى رئيس جهاز المخابرات التركية إبراهيم قالين المشير خليفة حفتر في مقر القيادة العامة بالرجمة قرب بنغازي، وبحث الجانبان التعاون العسكري والأمني بين أنقرة وشرق ليبيا.",
    );
    let second = report(
        "r2",
        "عربي",
        "2025-08-26T08:00:00+03:00",
        "حفتر يستقبل قالين في الرجمة لبحث التعاون العسكري",
        "استقبل المشير خليفة حفتر في الرجمة رئيس المخابرات التركية إبراهيم قالين، في زيارة نادرة تناولت التعاون العسكري بين تركيا وقوات شرق ليبيا.",
    );
    let later = report(
        "r3",
        "BBC",
        "2025-10-20T08:00:00+03:00",
        "قالين يلتقي حفتر مجددا في بنغازي",
        "التقى رئيس المخابرات التركية إبراهيم قالين المشير خليفة حفتر مجددا في بنغازي لبحث التعاون العسكري.",
    );
    let mut other = article("r4", "الجزيرة", "2025-08-25", "e");
    other.title = Some("الصحة المصرية تسجل حالات جديدة من الحصبة".into());
    other.body = "أعلنت وزارة الصحة المصرية تسجيل حالات جديدة من الحصبة في عدد من المحافظات خلال الأسبوع الماضي وسط إجراءات احترازية في المدارس".into();
    // Both reports code the meeting of the 25th.
    let meeting = consult("cur:ibrahim-kalin", "cur:khalifa-haftar", "2025-08-25");
    let (mut first, mut second) = (first, second);
    first.events = vec![meeting.clone()];
    second.events = vec![meeting];
    store.put_input(&input("a", "h1"), &[first]).unwrap();
    let outcome = store
        .put_input(&input("b", "h2"), &[second, later, other])
        .unwrap();
    assert_eq!((outcome.joined_stories, outcome.near_duplicates), (1, 0));
    assert_eq!(store.story_of("r2").unwrap().as_deref(), Some("r1"));
    assert_eq!(
        store.story_of("r3").unwrap().as_deref(),
        Some("r3"),
        "two months later"
    );
    assert_eq!(store.story_of("r4").unwrap().as_deref(), Some("r4"));
    let (story, members) = store.story("r1").unwrap().unwrap();
    assert_eq!(story.articles, 2);
    assert_eq!(story.copies, 0);
    assert_eq!(story.outlets.len(), 2);
    assert!(story.label.is_some());
    assert!(members.iter().all(|m| m.copy_of.is_none()));
    assert_eq!(store.stats().unwrap().stories, 3);
    let detail = store.story_detail("r1").unwrap().unwrap();
    let newest: Vec<&str> = detail.articles.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(newest, vec!["r2", "r1"]);
    assert_eq!(detail.entities.len(), 2);
    assert!(detail.entities.iter().all(|e| e.reports == 2));
    let days: Vec<(&str, u64)> = detail
        .timeline
        .iter()
        .map(|d| (d.day.as_str(), d.articles))
        .collect();
    assert_eq!(days, vec![("2025-08-25", 1), ("2025-08-26", 1)]);
    assert_eq!(detail.events.len(), 1);
    assert_eq!(
        (detail.events[0].reports, detail.events[0].article.as_str()),
        (2, "r1")
    );
    assert!(store.story_detail("nope").unwrap().is_none());
    // Reclustering the store gives the stories ingest gave.
    assert_eq!(store.rebuild_stories().unwrap(), (4, 3));
    assert_eq!(store.story_members("r1").unwrap(), vec!["r1", "r2"]);
    assert_eq!(store.story_of("r3").unwrap().as_deref(), Some("r3"));
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

pub fn reports_of_one_event_are_grouped_and_counted(store: &dyn Store) {
    let mut a = article("r1", "زمان", "2025-08-25", "kalin");
    a.events.push(consult("kalin", "haftar", "2025-08-25"));
    let mut b = article("r2", "الأناضول", "2025-08-26", "kalin");
    b.body = "نص آخر تماما عن لقاء رئيس الاستخبارات مع القائد العسكري في بنغازي.".into();
    // Reported a day later with "yesterday" read against the later date, and with the other
    // side first (حفتر يستقبل قالين): the same meeting.
    b.events.push(consult("haftar", "kalin", "2025-08-24"));
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

pub fn related_articles_rank_by_rare_shared_entities(store: &dyn Store) {
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

const WIRE: &str = "قال المتحدث باسم الحكومة الليبية إن الاجتماع الذي عقد في طرابلس اليوم ناقش ملفات الكهرباء والمياه والوقود في المدن الجنوبية وإن اللجنة المشتركة ستقدم تقريرها خلال أسبوعين إلى المجلس الرئاسي";

/// Four workers at once, each storing the same unit (one copy is stored, once) and each its
/// own copy of one wire story (all four land in one story).
pub fn concurrent_writers_store_each_article_once_in_one_story(store: &dyn Store) {
    std::thread::scope(|s| {
        for t in 0..4 {
            s.spawn(move || {
                let same: Vec<Article> = (0..10)
                    .map(|i| article(&format!("same{i}"), "o", "2025-01-01", "e"))
                    .collect();
                store
                    .put_input(&input("unit", "shared-key"), &same)
                    .unwrap();
                let copy = Article {
                    id: format!("copy{t}"),
                    page: format!("p{t}"),
                    // The same wire text as each outlet republished it.
                    body: if t % 2 == 0 {
                        format!("{WIRE}.")
                    } else {
                        WIRE.to_string()
                    },
                    ..Default::default()
                };
                store
                    .put_input(&input(&format!("w{t}"), &format!("k{t}")), &[copy])
                    .unwrap();
            });
        }
    });
    let stats = store.stats().unwrap();
    assert_eq!((stats.inputs, stats.articles), (5, 14));
    let story = store.story_of("copy0").unwrap().unwrap();
    let mut members = store.story_members(&story).unwrap();
    members.sort();
    assert_eq!(members, vec!["copy0", "copy1", "copy2", "copy3"]);
    // Ingest order numbers every article once.
    let seqs: Vec<i64> = store
        .articles_after_seq(0, 100)
        .unwrap()
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    assert_eq!(seqs.len(), 14);
    assert!(seqs.windows(2).all(|w| w[0] < w[1]));
}

/// Entities by name in any spelling, most mentioned first, and stories listed newest first.
pub fn entities_and_stories_list_like_the_embedded_store(store: &dyn Store) {
    let articles = vec![
        article("a", "BBC", "2025-08-20", "cur:ibrahim-kalin"),
        article("b", "CNN", "2025-08-25", "cur:ibrahim-kalin"),
    ];
    store.put_input(&input("x", "h"), &articles).unwrap();
    let found = store.find_entities("كالين").unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].mentions, found[0].articles), (2, 2));
    let listed = store.entities(Some("PER"), 10, 0).unwrap();
    assert_eq!(listed.len(), 1);
    assert!(store.entities(Some("ORG"), 10, 0).unwrap().is_empty());
    assert_eq!(
        store.mentions_by_month("cur:ibrahim-kalin").unwrap(),
        vec![("2025-08".to_string(), 2)]
    );
    // The two share a body: one story, updated last by b.
    let stories = store.stories(&ArticleFilter::default()).unwrap();
    assert_eq!(stories.len(), 1);
    assert_eq!(stories[0].articles, 2);
    assert_eq!(stories[0].last_published.as_deref(), Some("2025-08-25"));
    assert_eq!(store.outlets().unwrap().len(), 2);
    let _ = EventFilter::default();
}

/// `rased watch`'s article URLs: new, done, failed for good, retried until the tries run out.
pub fn watched_urls_new_done_failed_and_retried(store: &dyn WatchStore) {
    let src = "https://news.example/feed";
    let found: Vec<String> = ["a", "b", "c", "d", "a"]
        .iter()
        .map(|s| format!("https://news.example/{s}"))
        .collect();
    assert_eq!(
        store.urls_to_fetch(src, &found, 3).unwrap(),
        found[..4],
        "duplicates once, in the order found"
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
    assert!(store
        .urls_to_fetch("https://other.example/feed", &[], 3)
        .unwrap()
        .is_empty());
    store
        .mark_url(&found[2], src, "retry", Some("timeout"), 0)
        .unwrap();
    store
        .mark_url(&found[2], src, "retry", Some("timeout"), 0)
        .unwrap();
    assert_eq!(store.url_attempts(&found[2]).unwrap(), 3);
    assert_eq!(store.url_attempts("https://news.example/never").unwrap(), 0);
    assert!(
        store.urls_to_fetch(src, &found, 3).unwrap().is_empty(),
        "gave up after 3 tries"
    );
}

/// A source's health adds up over polls; validators and a sitemap index's children are kept.
pub fn watched_source_health_accumulates(store: &dyn WatchStore) {
    let url = "https://news.example/feed";
    store.ensure_source(url).unwrap();
    store.ensure_source(url).unwrap();
    assert_eq!(store.sources().unwrap().len(), 1);
    assert_eq!(store.sources().unwrap()[0].polls, 0);
    assert!(store.source("https://other.example/").unwrap().is_none());
    let poll = |ok: bool, found: u64, new: u64| PollRecord {
        url: url.into(),
        kind: ok.then(|| "feed".into()),
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
    assert_eq!(
        h.kind.as_deref(),
        Some("feed"),
        "a failed poll keeps the kind"
    );
    assert_eq!((h.interval_s, h.next_poll), (Some(300), Some(1000)));
    store.record_poll(&poll(true, 1, 0)).unwrap();
    let h = store.source(url).unwrap().unwrap();
    assert_eq!((h.consecutive_errors, h.last_error), (0, None));

    assert_eq!(store.validators(url).unwrap(), None);
    let v = HttpValidators {
        etag: Some("\"1\"".into()),
        last_modified: Some("Mon, 01 Dec 2025 10:00:00 GMT".into()),
    };
    store.set_validators(url, &v).unwrap();
    assert_eq!(store.validators(url).unwrap(), Some(v.clone()));
    store
        .set_children(url, &["https://news.example/s1.xml".into()])
        .unwrap();
    assert_eq!(
        store.children(url).unwrap(),
        ["https://news.example/s1.xml"]
    );
    assert_eq!(
        store.validators(url).unwrap(),
        Some(v),
        "children keep the validators"
    );
    assert!(store.children("https://other.example/").unwrap().is_empty());
    assert!(store.pending_webhooks(10).unwrap().is_empty());
}

/// Watchlists and alerts, which each backend keeps with its own methods.
pub trait AddWatchlist {
    fn add(&self, w: &Watchlist) -> bool;
    fn all_alerts(&self) -> Vec<rased_store::Alert>;
}

/// Webhook deliveries are claimed: four deliverers claiming at once take each alert once; a
/// delivery ends its claim (a failed one may be claimed again, a delivered one never), a
/// released alert is claimed again without a try counted, claims go on after a given alert,
/// and an alert whose lease ran out (its deliverer died) is claimed by the next one.
pub fn webhook_claims_are_exclusive_and_leases_run_out<S: WatchStore + AddWatchlist>(store: &S) {
    let hook = "http://127.0.0.1:9/hook";
    assert!(store.add(&Watchlist {
        name: "hooked".into(),
        entity: Some("قالين".into()),
        webhook: Some(hook.into()),
        ..Default::default()
    }));
    assert!(store.add(&Watchlist {
        name: "quiet".into(),
        entity: Some("قالين".into()),
        ..Default::default()
    }));
    let before = store.max_seq().unwrap();
    let articles: Vec<Article> = (0..20)
        .map(|i| article(&format!("c{i:02}"), "o", "2025-01-01", "cur:ibrahim-kalin"))
        .collect();
    store.put_input(&input("x", "claims"), &articles).unwrap();
    assert_eq!(store.match_watchlists(before).unwrap(), 40);
    assert_eq!(
        store.pending_webhooks(10).unwrap().len(),
        20,
        "only the webhook's"
    );

    let lease = std::time::Duration::from_secs(600);
    let claimed: Vec<Vec<i64>> = std::thread::scope(|s| {
        let claimers: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let batch = store.claim_webhooks(10, lease, 0, 2).unwrap();
                        if batch.is_empty() {
                            break mine;
                        }
                        assert!(batch.len() <= 2);
                        for (alert, url) in batch {
                            assert_eq!((alert.watchlist.as_str(), url.as_str()), ("hooked", hook));
                            mine.push(alert.id);
                        }
                    }
                })
            })
            .collect();
        claimers.into_iter().map(|c| c.join().unwrap()).collect()
    });
    let mut ids: Vec<i64> = claimed.concat();
    ids.sort();
    let all = ids.len();
    ids.dedup();
    assert_eq!(
        (all, ids.len()),
        (20, 20),
        "each alert claimed once: {claimed:?}"
    );
    assert!(
        store.claim_webhooks(10, lease, 0, 0).unwrap().is_empty(),
        "all held"
    );
    assert_eq!(
        store.pending_webhooks(10).unwrap().len(),
        20,
        "held is still pending"
    );

    // A delivery ends the claim: the failed one comes again, the delivered one never.
    store.record_delivery(ids[0], None).unwrap();
    store.record_delivery(ids[1], Some("HTTP 500")).unwrap();
    let again = store.claim_webhooks(10, lease, 0, 0).unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!((again[0].0.id, again[0].0.attempts), (ids[1], 1));
    assert_eq!(again[0].0.last_error.as_deref(), Some("HTTP 500"));
    store.release_webhook(ids[1]).unwrap();
    assert!(
        store.claim_webhooks(1, lease, 0, 0).unwrap().is_empty(),
        "out of tries"
    );

    // Released without a try; claims after an alert leave the ones before it.
    for id in &ids[2..5] {
        store.release_webhook(*id).unwrap();
    }
    let after = store.claim_webhooks(10, lease, ids[2], 0).unwrap();
    let after: Vec<(i64, u32)> = after.iter().map(|(a, _)| (a.id, a.attempts)).collect();
    assert_eq!(after, vec![(ids[3], 0), (ids[4], 0)]);

    // A lease that runs out: the deliverer holding it died, the next claim takes it.
    let short = store
        .claim_webhooks(10, std::time::Duration::from_millis(1), 0, 0)
        .unwrap();
    let short: Vec<i64> = short.iter().map(|(a, _)| a.id).collect();
    assert_eq!(short, vec![ids[1], ids[2]]);
    assert!(store.claim_webhooks(10, lease, 0, 0).unwrap().is_empty());
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let taken = store.claim_webhooks(10, lease, 0, 0).unwrap();
    let taken: Vec<i64> = taken.iter().map(|(a, _)| a.id).collect();
    assert_eq!(
        taken,
        vec![ids[1], ids[2]],
        "expired leases are claimed again"
    );
    store.record_delivery(ids[2], None).unwrap();
    let alerts = store.all_alerts();
    assert_eq!(
        alerts.iter().filter(|a| a.delivered_at.is_some()).count(),
        2
    );
}
