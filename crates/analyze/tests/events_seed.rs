//! Events on the seed page: the main story (Kalın–Haftar) and the related one (Abdi–al-Sharaa).

use chrono::NaiveDate;
use rased_analyze::events::{code_events, code_events_detailed, Modality};
use rased_kb::resolve::{resolve, Candidate};
use rased_kb::{Gazetteer, KnowledgeBase};
use rased_model::{Entity, Event};

const SEED: &str = include_str!("../../../data/samples/seed-page.txt");

/// Main body: lines 3.. up to المصدر. Related body: after إقرأ أيضاً and its title line.
fn articles() -> (String, String) {
    let lines: Vec<&str> = SEED.lines().collect();
    let main: Vec<&str> = lines[2..]
        .iter()
        .take_while(|l| !l.starts_with("المصدر"))
        .copied()
        .collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("إقرأ أيضاً"))
        .expect("related marker");
    let related: Vec<&str> = lines[at + 2..]
        .iter()
        .take_while(|l| !l.starts_with("Tags"))
        .copied()
        .collect();
    (main.join("\n"), related.join("\n"))
}

/// Entities: the KB gazetteer plus hand-listed names as tagger candidates.
fn entities(body: &str, people: &[&str], orgs: &[&str]) -> Vec<Entity> {
    let kb = KnowledgeBase::embedded();
    let gaz = Gazetteer::new(kb).expect("gazetteer");
    let mut names: Vec<(&str, &str)> = people.iter().map(|p| (*p, "PER")).collect();
    names.extend(orgs.iter().map(|o| (*o, "ORG")));
    names.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut tagged = Vec::new();
    for (name, kind) in names {
        for (s, _) in body.match_indices(name) {
            let e = s + name.len();
            if taken.iter().any(|&(a, b)| s < b && a < e) {
                continue;
            }
            taken.push((s, e));
            tagged.push(Candidate {
                start: s,
                end: e,
                kind: kind.to_string(),
                confidence: 0.9,
            });
        }
    }
    tagged.sort_by_key(|c| c.start);
    resolve(body, &tagged, &gaz.find(body), kb)
}

fn names(e: &Event, ents: &[Entity], actors: bool) -> Vec<String> {
    let ps = if actors { &e.actors } else { &e.recipients };
    ps.iter()
        .map(|p| {
            let by_id = p
                .entity
                .as_ref()
                .and_then(|id| ents.iter().find(|x| &x.id == id))
                .map(|x| x.name.clone())
                .unwrap_or_default();
            format!("{} {}", p.text, by_id)
        })
        .collect()
}

fn has(ps: &[String], needle: &str) -> bool {
    ps.iter().any(|p| p.contains(needle))
}

fn show(events: &[Event], ents: &[Entity]) {
    for e in events {
        eprintln!(
            "{} {:?} actors={:?} recipients={:?} place={:?} date={:?} ({:?}) neg={} fut={} trig={} conf={:.2}\n   {}",
            e.kind,
            e.mode,
            names(e, ents, true),
            names(e, ents, false),
            e.place.as_ref().map(|p| &p.text),
            e.date,
            e.date_text,
            e.negated,
            e.future,
            e.evidence.trigger,
            e.confidence,
            e.evidence.sentence
        );
    }
}

fn published() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2025, 8, 25)
}

/// Every event carries real evidence: offsets into the body that give back the sentence,
/// the trigger inside it, and no reporting verb as trigger.
fn check_evidence(body: &str, events: &[Event]) {
    let chars: Vec<char> = body.chars().collect();
    for e in events {
        let s: String = chars[e.evidence.start..e.evidence.end].iter().collect();
        assert_eq!(s, e.evidence.sentence);
        assert!(s.contains(&e.evidence.trigger), "{e:?}");
        for r in ["قال", "أعلن", "ذكر", "أفاد", "أكد", "أوضح", "أضاف", "صرح"]
        {
            assert!(
                !e.evidence.trigger.ends_with(r),
                "reporting verb coded: {e:?}"
            );
        }
        assert!((0.0..=1.0).contains(&e.confidence));
    }
}

#[test]
fn seed_main_story() {
    let (main, _) = articles();
    let ents = entities(
        &main,
        &[
            "إبراهيم قالين",
            "إبراهيم كالين",
            "قالين",
            "كالين",
            "صدام خليفة حفتر",
            "خليفة حفتر",
            "صدام حفتر",
            "حفتر",
            "سركان كرمانلي أوغلو",
            "حسن رشاد",
            "عبد الحميد الدبيبة",
            "محمد الحداد",
        ],
        &[],
    );
    let events = code_events(&main, &ents, published(), Some("أنقرة"));
    show(&events, &ents);
    check_evidence(&main, &events);

    let consult: Vec<&Event> = events.iter().filter(|e| e.kind == "CONSULT").collect();
    // Kalın meets Haftar, today (Monday 25 August), at al-Rajma.
    let kalin = consult
        .iter()
        .find(|e| has(&names(e, &ents, true), "قالين") || has(&names(e, &ents, true), "كالين"))
        .expect("Kalın–Haftar meeting");
    assert!(has(&names(kalin, &ents, false), "حفتر"));
    assert_eq!(kalin.date.as_deref(), Some("2025-08-25"));
    let place = kalin.place.as_ref().map(|p| p.text.as_str()).unwrap_or("");
    assert!(
        place.contains("الرجمة") || place.contains("مقر القيادة"),
        "{place}"
    );
    // Saddam Haftar meets the Turkish consul.
    let saddam = consult
        .iter()
        .find(|e| has(&names(e, &ents, true), "صدام"))
        .expect("Saddam Haftar–consul meeting");
    let r = names(saddam, &ents, false);
    assert!(has(&r, "سركان") || has(&r, "التركي"), "{r:?}");
    // The Egyptian intelligence chief met Haftar the day before.
    let rashad = consult
        .iter()
        .find(|e| has(&names(e, &ents, true), "رشاد"))
        .expect("Rashad–Haftar meeting");
    assert_eq!(rashad.date.as_deref(), Some("2025-08-24"));
    // "الجنرال الليبي" is Haftar, the one general of the article.
    assert!(has(&names(rashad, &ents, false), "حفتر"));
    // Turkey supports the Tripoli government.
    assert!(events
        .iter()
        .any(|e| e.kind == "SUPPORT" && has(&names(e, &ents, true), "تركيا")));
    // Kalın accused Haftar five years ago: historical.
    let accuse = events
        .iter()
        .find(|e| e.kind == "ACCUSE")
        .expect("accusation");
    assert_eq!(accuse.modality.as_deref(), Some("historical"));
    assert!(!accuse.mode.as_deref().unwrap_or("").contains("historical"));
    assert!(has(&names(accuse, &ents, false), "حفتر"));
    assert!(accuse.date.as_deref().unwrap_or("").starts_with("2020"));
    // No duplicate of the Kalın meeting (لقاء حفتر وقالين، لقاء كالين مع حفتر are reports of it).
    let kalin_reports = consult
        .iter()
        .filter(|e| {
            let all = [names(e, &ents, true), names(e, &ents, false)].concat();
            (has(&all, "قالين") || has(&all, "كالين")) && has(&all, "حفتر")
        })
        .count();
    assert_eq!(kalin_reports, 1);
}

#[test]
fn seed_related_story() {
    let (_, related) = articles();
    let ents = entities(
        &related,
        &[
            "مظلوم عبدي",
            "عبدي",
            "أحمد الشرع",
            "الشرع",
            "إلهام أحمد",
            "روهيلات عفرين",
            "أسعد الشيباني",
            "توم باراك",
            "باراك",
            "براد كوبر",
        ],
        &["قوات سوريا الديمقراطية", "الإدارة الذاتية", "وكالة هاوار"],
    );
    let events = code_events(&related, &ents, published(), Some("أنقرة"));
    show(&events, &ents);
    check_evidence(&related, &events);
    let consult: Vec<&Event> = events.iter().filter(|e| e.kind == "CONSULT").collect();
    let abdi = consult
        .iter()
        .find(|e| has(&names(e, &ents, true), "عبدي"))
        .expect("Abdi–al-Sharaa meeting");
    assert!(has(&names(abdi, &ents, false), "الشرع"));
    assert!(abdi.place.as_ref().is_some_and(|p| p.text.contains("دمشق")));
    let barrack = consult
        .iter()
        .find(|e| has(&names(e, &ents, true), "باراك"))
        .expect("Barrack–Abdi meeting");
    assert!(has(&names(barrack, &ents, false), "عبدي"));
    assert_eq!(barrack.date.as_deref(), Some("2025-08-24"));
    let clash = events
        .iter()
        .find(|e| e.kind == "ASSAULT")
        .expect("clashes in Aleppo");
    let parties = [names(clash, &ents, true), names(clash, &ents, false)].concat();
    assert!(has(&parties, "قوات سوريا الديمقراطية"), "{parties:?}");
    assert!(clash.place.as_ref().is_some_and(|p| p.text.contains("حلب")));
    assert_eq!(clash.date.as_deref(), Some("2025-08-24"));
    let truce = events
        .iter()
        .find(|e| e.kind == "RETREAT" && e.mode.as_deref() == Some("ceasefire"))
        .expect("ceasefire");
    // "The two sides" are the parties of the clashes.
    let parties = [names(truce, &ents, true), names(truce, &ents, false)].concat();
    assert!(has(&parties, "قوات سوريا الديمقراطية"), "{parties:?}");
    assert!(events
        .iter()
        .any(|e| matches!(e.kind.as_str(), "COERCE" | "THREATEN")
            && has(&names(e, &ents, true), "تركيا")));
    // The repeated attacks of the defence ministry's statement are generic, not an event.
    let detailed = code_events_detailed(&related, &ents, published(), Some("أنقرة"));
    assert!(
        detailed
            .iter()
            .any(|c| c.event.evidence.trigger.contains("الاعتداءات")
                && c.modality == Modality::Generic)
    );
}

#[test]
fn hostile_input_does_not_panic() {
    let long = "هاجم ".repeat(20_000);
    let _ = code_events(&long, &[], None, None);
    let _ = code_events("no arabic here at all. 12345 !!!", &[], None, None);
    let _ = code_events("", &[], None, None);
    let _ = code_events("قبل", &[], published(), None);
    let _ = code_events("بعد يوم من", &[], published(), None);
    let _ = rased_analyze::events::code_sentence("،،، أمس اليوم قبل خمس", published());
    // Mentions with offsets outside the body are ignored.
    let bogus = Entity {
        id: "x".into(),
        kind: "PER".into(),
        name: "x".into(),
        aliases: vec![],
        mentions: vec![rased_model::Mention {
            text: "x".into(),
            start: 5,
            end: 500,
            link: None,
        }],
    };
    let _ = code_events("التقى زيد بعمرو.", &[bogus], None, None);
}
