//! Search behaviour a user relies on: variant spellings, clitics, plurals, phrases, filters,
//! facets and hostile queries.

use rased_model::{Article, Entity, Event, Evidence};
use rased_search::{SearchIndex, SearchQuery};

fn article(id: &str, title: &str, body: &str, outlet: &str, published: &str) -> Article {
    Article {
        id: id.into(),
        title: Some(title.into()),
        body: body.into(),
        outlet: Some(outlet.into()),
        published: Some(published.into()),
        ..Default::default()
    }
}

fn index() -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    let mut kalin = article(
        "a1",
        "رئيس الاستخبارات التركية يلتقي حفتر",
        "التقى رئيس الاستخبارات التركية، إبراهيم قالين، بالجنرال خليفة حفتر في شرق ليبيا.",
        "زمان",
        "2025-08-25",
    );
    kalin.entities.push(Entity {
        id: "cur:ibrahim-kalin".into(),
        kind: "PER".into(),
        name: "إبراهيم قالين".into(),
        aliases: vec![],
        mentions: vec![],
    });
    kalin.events.push(Event {
        kind: "CONSULT".into(),
        mode: None,
        actors: vec![],
        recipients: vec![],
        place: None,
        date: None,
        date_text: None,
        negated: false,
        future: false,
        evidence: Evidence {
            sentence: String::new(),
            start: 0,
            end: 0,
            trigger: "التقى".into(),
        },
        confidence: 1.0,
        ..Default::default()
    });
    let docs = [
        kalin,
        article(
            "a2",
            "افتتاح المدرسة الجديدة",
            "افتتحت الوزارة المدرسة الجديدة في بنغازي.",
            "BBC",
            "2025-07-01",
        ),
        article(
            "a3",
            "حلب",
            "اشتباكات عنيفة في حي الشيخ مقصود بمدينة حلب والدبيبه يعلق.",
            "BBC",
            "2025-08-26",
        ),
    ];
    let mut writer = index.writer().unwrap();
    for d in &docs {
        index.add(&writer, d).unwrap();
    }
    writer.commit().unwrap();
    index.reload().unwrap();
    (dir, index)
}

fn ids(index: &SearchIndex, q: SearchQuery) -> Vec<String> {
    let mut ids: Vec<String> = index
        .search(&q)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect();
    ids.sort();
    ids
}

fn text(t: &str) -> SearchQuery {
    SearchQuery {
        text: t.into(),
        ..Default::default()
    }
}

#[test]
fn variant_spellings_clitics_and_plurals_find_their_articles() {
    let (_dir, index) = index();
    assert_eq!(ids(&index, text("كالين")), vec!["a1"]);
    assert_eq!(ids(&index, text("والمدارس")), vec!["a2"]);
    assert_eq!(ids(&index, text("الجنرال")), vec!["a1"]);
    assert_eq!(ids(&index, text("الدبيبة")), vec!["a3"]);
    assert_eq!(ids(&index, text("لِيبْيا")), vec!["a1"]);
}

#[test]
fn phrases_must_match_in_order() {
    let (_dir, index) = index();
    assert_eq!(ids(&index, text("\"شرق ليبيا\"")), vec!["a1"]);
    assert!(ids(&index, text("\"ليبيا شرق\"")).is_empty());
}

#[test]
fn filters_and_facets() {
    let (_dir, index) = index();
    let q = SearchQuery {
        from: Some("2025-08-01".into()),
        ..Default::default()
    };
    assert_eq!(ids(&index, q), vec!["a1", "a3"]);
    let q = SearchQuery {
        outlet: Some("BBC".into()),
        ..Default::default()
    };
    assert_eq!(ids(&index, q), vec!["a2", "a3"]);
    let q = SearchQuery {
        entity: Some("cur:ibrahim-kalin".into()),
        ..Default::default()
    };
    assert_eq!(ids(&index, q), vec!["a1"]);
    let q = SearchQuery {
        event_type: Some("CONSULT".into()),
        ..Default::default()
    };
    assert_eq!(ids(&index, q), vec!["a1"]);
    let all = index.search(&SearchQuery::default()).unwrap();
    assert_eq!(all.total, 3);
    assert!(all.outlets.contains(&("BBC".to_string(), 2)));
    assert!(all.months.contains(&("2025-08".to_string(), 2)));
}

#[test]
fn snippets_mark_hits_found_through_any_analyzer() {
    let (_dir, index) = index();
    let results = index.search(&text("كالين")).unwrap();
    assert!(
        results.hits[0].snippet.marked.contains("**قالين**"),
        "{:?}",
        results.hits[0].snippet
    );
}

#[test]
fn hostile_queries_are_text() {
    let (_dir, index) = index();
    for q in [
        "\"حفتر",
        "AND OR NOT",
        "title:(x",
        "*",
        "",
        "«",
        "))((",
        "حفتر\"\"\"",
    ] {
        index.search(&text(q)).unwrap();
    }
}

#[test]
fn re_adding_replaces() {
    let (_dir, index) = index();
    let mut writer = index.writer().unwrap();
    index
        .add(
            &writer,
            &article("a2", "افتتاح", "نص جديد", "BBC", "2025-07-01"),
        )
        .unwrap();
    writer.commit().unwrap();
    index.reload().unwrap();
    assert_eq!(index.len(), 3);
}

/// Regression (fuzz target `search_query`): dates that do not parse gave tantivy a range with
/// no bound, which panics; they now bound nothing, like no date at all.
#[test]
fn unparseable_dates_do_not_panic() {
    let (_dir, index) = index();
    let all = ids(&index, text("حفتر"));
    for (from, to) in [("-+*:^()-01", ""), ("x", "y"), ("", "2025-13-99")] {
        let q = SearchQuery {
            from: Some(from.into()),
            to: Some(to.into()),
            ..text("حفتر")
        };
        assert_eq!(ids(&index, q), all, "{from:?}..{to:?}");
    }
}
