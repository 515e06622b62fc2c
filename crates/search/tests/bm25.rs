//! `rased_search::bm25` scores every hit of the embedded index as tantivy does, from field
//! lengths, corpus totals and lexeme positions alone (what a database backend stores), for the
//! benchmark queries over 200 real articles, with and without filters (which do not score).

use std::collections::HashMap;

use rased_model::{Article, Entity, Event};
use rased_search::bm25::{self, Bm25Query, CorpusStats};
use rased_search::lexemes::{article_lexemes, lexeme};
use rased_search::{query_plan, SearchIndex, SearchQuery};

/// The sample corpus, with entities and events spread over it so filters have something to
/// select (and documents differ in how many values each filter field holds).
fn articles() -> Vec<Article> {
    let text = include_str!("../../../data/samples/ant-multisource-sample.jsonl");
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let s = |k: &str| v[k].as_str().map(str::to_string);
            let mut a = Article {
                id: s("id").unwrap(),
                title: s("title"),
                body: s("text").unwrap_or_default(),
                outlet: s("outlet"),
                published: Some(format!("2020-01-{:02}", 1 + i % 28)),
                ..Default::default()
            };
            for e in 0..(i % 4) {
                a.entities.push(Entity {
                    id: format!("e{}", (i + e) % 5),
                    kind: "PER".into(),
                    name: "x".into(),
                    aliases: Vec::new(),
                    mentions: Vec::new(),
                });
            }
            for _ in 0..(i % 3) {
                a.events.push(Event {
                    kind: "CONSULT".into(),
                    ..Default::default()
                });
            }
            a
        })
        .collect()
}

fn queries() -> Vec<String> {
    let mut q: Vec<String> = include_str!("../../../bench/queries.txt")
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    q.extend(["«وزير الخارجية»", "الحوثيون", "ايران", "\"مجلس\"", "في", ""].map(String::from));
    q
}

#[test]
fn scores_equal_the_embedded_index() {
    let articles = articles();
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    let mut writer = index.writer().unwrap();
    for a in &articles {
        index.add(&writer, a).unwrap();
    }
    index.commit(&mut writer, 1).unwrap();

    let mut corpus = CorpusStats::default();
    let lengths: HashMap<&str, bm25::FieldLengths> = articles
        .iter()
        .map(|a| (a.id.as_str(), bm25::field_lengths(a)))
        .collect();
    for l in lengths.values() {
        corpus.add(l);
    }
    let lexemes: HashMap<&str, HashMap<String, Vec<u32>>> = articles
        .iter()
        .map(|a| {
            let positions = article_lexemes(a)
                .into_iter()
                .map(|(l, ps)| (l, ps.into_iter().map(|(p, _)| p).collect()))
                .collect();
            (a.id.as_str(), positions)
        })
        .collect();
    let doc_freq = |l: &str| lexemes.values().filter(|m| m.contains_key(l)).count() as u64;
    let filtered = [
        SearchQuery::default(),
        SearchQuery {
            entity: Some("e2".into()),
            ..Default::default()
        },
        SearchQuery {
            event_type: Some("CONSULT".into()),
            outlet: articles[0].outlet.clone(),
            from: Some("2020-01-05".into()),
            ..Default::default()
        },
    ];
    let mut compared = 0;
    for filter in &filtered {
        for text in queries() {
            let q = SearchQuery {
                text: text.clone(),
                limit: 10,
                ..filter.clone()
            };
            let plan = query_plan(&text);
            let df: HashMap<String, u64> = Bm25Query::lexemes(&plan)
                .into_iter()
                .map(|l| {
                    let n = doc_freq(&l);
                    (l, n)
                })
                .collect();
            let filtered = q.entity.is_some()
                || q.event_type.is_some()
                || q.outlet.is_some()
                || q.from.is_some();
            let scorer = Bm25Query::new(&plan, corpus, &df, filtered);
            for hit in index.search(&q).unwrap().hits {
                let positions: HashMap<&str, Vec<u32>> = lexemes[hit.id.as_str()]
                    .iter()
                    .map(|(l, ps)| (l.as_str(), ps.clone()))
                    .collect();
                let ours = scorer.score(&lengths[hit.id.as_str()], &positions);
                let tolerance = 1e-4 * hit.score.abs().max(1.0);
                assert!(
                    (ours - hit.score).abs() <= tolerance,
                    "{text:?} {filter:?}: {} scores {} in tantivy, {ours} here",
                    hit.id,
                    hit.score
                );
                compared += 1;
            }
        }
    }
    assert!(compared > 300, "{compared} hits compared");
    // The lexeme of a term is what the scorer looks up.
    assert_eq!(lexeme(rased_search::TextField::Stem, "حفتر"), "s:حفتر");
}
