//! Within-document coreference on the seed page, through the whole pipeline (tagger,
//! gazetteer, resolution): the main story names Khalifa Haftar eight times (once in full,
//! seven times by his surname alone) and calls him الجنرال الليبي once; it names Ibrahim Kalın
//! four times (in full twice, by surname twice, spelled قالين and كالين); Saddam Haftar twice.

use rased_analyze::pipeline::Analyzer;
use rased_model::{Article, Entity};

const SEED: &str = include_str!("../../../data/samples/seed-page.txt");

/// The main article as the text-page extractor gives it: the title line, and the body from
/// after the dateline up to المصدر.
fn main_article() -> Article {
    let lines: Vec<&str> = SEED.lines().collect();
    let body: Vec<&str> = lines[2..]
        .iter()
        .take_while(|l| !l.starts_with("المصدر"))
        .copied()
        .collect();
    let body = body.join("\n");
    let body = body
        .split_once("– ")
        .map_or(body.as_str(), |(_, rest)| rest)
        .to_string();
    Article {
        title: Some(lines[0].to_string()),
        published: Some("2025-08-25".into()),
        body,
        ..Article::default()
    }
}

fn entity<'a>(entities: &'a [Entity], id: &str) -> &'a Entity {
    entities
        .iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("{id} in {entities:#?}"))
}

/// (text, link) of each mention.
fn mentions(e: &Entity) -> Vec<(&str, Option<&str>)> {
    e.mentions
        .iter()
        .map(|m| (m.text.as_str(), m.link.as_deref()))
        .collect()
}

#[test]
fn seed_page_people_keep_all_their_mentions_and_none_of_each_other() {
    let mut article = main_article();
    Analyzer::new()
        .unwrap()
        .analyze(&mut article)
        .expect("the seed page is analyzed");
    let entities = &article.entities;
    let khalifa = entity(entities, "cur:khalifa-haftar");
    let kalin = entity(entities, "cur:ibrahim-kalin");
    let saddam = entity(entities, "cur:saddam-haftar");

    // Khalifa: the full name, seven bare surnames (مكتب حفتر، لقاء حفتر وقالين، يقودها حفتر،
    // إلى حفتر، مع حفتر، وكان حفتر، بقيادة حفتر) and the nominal.
    let names = |e: &Entity| {
        e.mentions
            .iter()
            .filter(|m| {
                m.link.as_deref() != Some("nominal")
                    && m.link.as_deref() != Some("title")
                    && m.link.as_deref() != Some("role")
            })
            .count()
    };
    assert_eq!(names(khalifa), 8, "{:?}", mentions(khalifa));
    assert!(mentions(khalifa).contains(&("الجنرال الليبي", Some("nominal"))));
    assert_eq!(
        mentions(khalifa)
            .iter()
            .filter(|(_, l)| *l == Some("surname"))
            .count(),
        7
    );
    // Kalın: إبراهيم قالين، وقالين، إبراهيم كالين، كالين.
    assert_eq!(names(kalin), 4, "{:?}", mentions(kalin));
    // Saddam: his two full names, nothing of his father's.
    assert_eq!(
        mentions(saddam),
        vec![("صدام خليفة حفتر", None), ("صدام حفتر", None)]
    );

    // No span belongs to two people; every span selects its text in the body.
    let chars: Vec<char> = article.body.chars().collect();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for e in entities {
        for m in &e.mentions {
            assert_eq!(chars[m.start..m.end].iter().collect::<String>(), m.text);
            spans.push((m.start, m.end));
        }
    }
    spans.sort_unstable();
    for w in spans.windows(2) {
        assert!(w[0].1 <= w[1].0, "overlapping mentions {w:?}");
    }
}
