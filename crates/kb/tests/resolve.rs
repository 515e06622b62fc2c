//! Entity resolution on the seed page, with person mentions given as a tagger would give them.

use rased_kb::resolve::{resolve, Candidate};
use rased_kb::{Gazetteer, KnowledgeBase};

const SEED: &str = include_str!("../../../data/samples/seed-page.txt");

/// Every whole occurrence of each name, as a PER candidate (what a good tagger proposes).
fn tagged(text: &str, names: &[&str], kind: &str) -> Vec<Candidate> {
    let mut out = Vec::new();
    for name in names {
        for (s, _) in text.match_indices(name) {
            let e = s + name.len();
            let before = text[..s].chars().next_back();
            let after = text[e..].chars().next();
            let boundary = |c: Option<char>| !c.is_some_and(char::is_alphanumeric);
            if boundary(after) && (boundary(before) || before == Some('ب') || before == Some('و'))
            {
                out.push(Candidate {
                    start: s,
                    end: e,
                    kind: kind.into(),
                    confidence: 1.0,
                });
            }
        }
    }
    // A tagger gives non-overlapping spans: keep the longest at each place.
    out.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end)));
    let mut kept: Vec<Candidate> = Vec::new();
    for c in out {
        if kept.last().is_none_or(|l| c.start >= l.end) {
            kept.push(c);
        }
    }
    kept
}

#[test]
fn seed_page_people_resolve_to_one_identity_each() {
    let kb = KnowledgeBase::embedded();
    let gaz = Gazetteer::new(kb).unwrap();
    let people = [
        "إبراهيم قالين",
        "إبراهيم كالين",
        "قالين",
        "كالين",
        "صدام خليفة حفتر",
        "صدام حفتر",
        "خليفة حفتر",
        "حفتر",
        "سركان كرمانلي أوغلو",
        "حسن رشاد",
        "محمد الحداد",
        "خالد",
    ];
    let entities = resolve(SEED, &tagged(SEED, &people, "PER"), &gaz.find(SEED), kb);
    let id_of = |mention: &str| -> Vec<String> {
        entities
            .iter()
            .filter(|e| e.mentions.iter().any(|m| m.text == mention))
            .map(|e| e.id.clone())
            .collect()
    };
    assert_eq!(id_of("إبراهيم قالين"), vec!["cur:ibrahim-kalin"]);
    assert_eq!(id_of("إبراهيم كالين"), vec!["cur:ibrahim-kalin"]);
    assert_eq!(id_of("قالين"), vec!["cur:ibrahim-kalin"]);
    assert_eq!(id_of("صدام خليفة حفتر"), vec!["cur:saddam-haftar"]);
    assert_eq!(id_of("صدام حفتر"), vec!["cur:saddam-haftar"]);
    assert_eq!(id_of("خليفة حفتر"), vec!["cur:khalifa-haftar"]);
    assert_eq!(id_of("حفتر"), vec!["cur:khalifa-haftar"]);
    // Not in the KB: a new entity of its own.
    assert!(id_of("سركان كرمانلي أوغلو")[0].starts_with("new:PER:"));
    assert_eq!(id_of("قوات سوريا الديمقراطية"), vec!["cur:sdf"]);
    assert_eq!(id_of("ليبيا"), vec!["iso:LBY"]);
    assert_eq!(id_of("التركية"), vec!["iso:TUR"]);

    // Every mention's code-point offsets select its text in the body.
    let chars: Vec<char> = SEED.chars().collect();
    for e in &entities {
        for m in &e.mentions {
            let s: String = chars[m.start..m.end].iter().collect();
            assert_eq!(s, m.text, "{}", e.id);
        }
    }
}

#[test]
fn a_different_first_name_never_merges() {
    let kb = KnowledgeBase::embedded();
    let text = "التقى خليفة حفتر مع صدام حفتر ثم غادر حفتر.";
    let entities = resolve(
        text,
        &tagged(text, &["خليفة حفتر", "صدام حفتر", "حفتر"], "PER"),
        &[],
        kb,
    );
    let khalifa = entities
        .iter()
        .find(|e| e.mentions.iter().any(|m| m.text == "خليفة حفتر"))
        .unwrap();
    let saddam = entities
        .iter()
        .find(|e| e.mentions.iter().any(|m| m.text == "صدام حفتر"))
        .unwrap();
    assert_ne!(khalifa.id, saddam.id);
    assert_eq!(
        khalifa.mentions.len(),
        2,
        "the bare surname goes to the first-introduced Haftar"
    );
}

#[test]
fn abbreviation_defined_in_text_joins_its_long_form() {
    let kb = KnowledgeBase::from_entities(vec![]);
    let text = "أعلنت هيئة الطاقة الذرية (هطذ) أن هطذ ستجتمع، وقالت وهطذ أيضا.";
    let start = text.find("هيئة").unwrap();
    let end = text.find(" (").unwrap();
    let tagged = vec![Candidate {
        start,
        end,
        kind: "ORG".into(),
        confidence: 1.0,
    }];
    let entities = resolve(text, &tagged, &[], &kb);
    assert_eq!(entities.len(), 1);
    assert_eq!(entities[0].mentions.len(), 4, "{:?}", entities[0].mentions);
}

#[test]
fn an_outlet_in_a_dateline_is_not_an_abbreviation() {
    let kb = KnowledgeBase::from_entities(vec![]);
    let text = "أتلانتا، الولايات المتحدة الأمريكية (CNN) -- أعلن الوزير أن CNN نشرت الخبر.";
    let start = text.find("الولايات").unwrap();
    let end = text.find(" (").unwrap();
    let tagged = vec![Candidate {
        start,
        end,
        kind: "LOC".into(),
        confidence: 1.0,
    }];
    let entities = resolve(text, &tagged, &[], &kb);
    assert_eq!(entities.len(), 1);
    assert_eq!(entities[0].mentions.len(), 1, "{:?}", entities[0].mentions);
    assert!(!entities[0].aliases.iter().any(|a| a == "CNN"));
}

/// A role phrase the article names nobody for goes to the one person the KB gives the role in
/// that country on the article's day: Kalın heads Turkish intelligence from June 2023, Fidan
/// before him; without a date, or on a day no one (or several) held it, it stays unlinked.
#[test]
fn an_unnamed_role_is_its_holder_on_the_article_date() {
    use rased_kb::resolve::resolve_at;
    let kb = KnowledgeBase::embedded();
    let text = "استقبل المشير في بنغازي رئيس جهاز المخابرات التركي اليوم.";
    let holder = |date: Option<&str>| -> Vec<String> {
        resolve_at(text, &[], &[], kb, date)
            .into_iter()
            .filter(|e| e.mentions.iter().any(|m| m.link.as_deref() == Some("role")))
            .map(|e| e.id)
            .collect()
    };
    assert_eq!(holder(Some("2025-08-25")), vec!["cur:ibrahim-kalin"]);
    let before = holder(Some("2015-01-01"));
    assert_eq!(before.len(), 1, "{before:?}");
    assert_ne!(before[0], "cur:ibrahim-kalin");
    assert!(holder(None).is_empty());
    assert!(kb.role_holders("TURSPY", "1900-01-01").is_empty());
}
