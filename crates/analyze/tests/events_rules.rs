//! Trigger disambiguation, modality and argument rules on single sentences.

use chrono::NaiveDate;
use rased_analyze::events::{code_sentence, lexicon_size, quad_class, CodedEvent, Modality};

fn d() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2025, 8, 25)
}

fn kinds(s: &str) -> Vec<(String, Modality)> {
    code_sentence(s, d())
        .into_iter()
        .map(|e| (e.event.kind, e.modality))
        .collect()
}

fn first(s: &str, kind: &str) -> CodedEvent {
    code_sentence(s, d())
        .into_iter()
        .find(|e| e.event.kind == kind)
        .unwrap_or_else(|| panic!("no {kind} in {s}: {:?}", kinds(s)))
}

fn asserted(s: &str, kind: &str) -> bool {
    kinds(s)
        .iter()
        .any(|(k, m)| k == kind && *m == Modality::Asserted)
}

#[test]
fn lexicon_is_loaded() {
    let (rows, forms) = lexicon_size();
    assert!(rows > 50, "{rows}");
    assert!(forms > 1000, "{forms}");
    assert_eq!(quad_class("040"), 1);
    assert_eq!(quad_class("0871"), 2);
    assert_eq!(quad_class("112"), 3);
    assert_eq!(quad_class("190"), 4);
}

#[test]
fn conjugations_and_clitics() {
    for s in [
        "التقى الرئيس بنظيره الفرنسي.",
        "والتقت الوزيرة بالسفير.",
        "يلتقي الرئيس نظيره غدا.",
        "اجتمع الوزير مع السفير.",
        "استقبل الملك الوفد.",
    ] {
        assert!(
            kinds(s).iter().any(|(k, _)| k == "CONSULT"),
            "{s}: {:?}",
            kinds(s)
        );
    }
    assert!(asserted("هاجم مسلحون نقطة تفتيش للجيش.", "ASSAULT"));
    assert!(asserted("قصفت الطائرات مواقع المسلحين.", "ASSAULT"));
    assert!(asserted("اعتقلت الشرطة عشرة أشخاص.", "COERCE"));
    assert!(asserted("تظاهر آلاف الطلاب أمام البرلمان.", "PROTEST"));
    assert!(asserted(
        "فرضت الولايات المتحدة عقوبات على الشركة.",
        "SANCTION"
    ));
    assert!(asserted("وقع الطرفان اتفاقا للتعاون.", "AGREE"));
}

#[test]
fn ambiguous_triggers_need_their_arguments() {
    assert!(asserted("بحث الرئيس مع نظيره العلاقات الثنائية.", "CONSULT"));
    assert!(!kinds("بحث الباحثون عن حلول للأزمة.")
        .iter()
        .any(|(k, _)| k == "CONSULT"));
    assert!(asserted("دعمت تركيا الفصائل عسكريا.", "AID"));
    assert!(asserted("دعمت فرنسا المبادرة.", "SUPPORT"));
    assert!(!kinds("حذر الخبراء من ارتفاع الأسعار.")
        .iter()
        .any(|(k, _)| k == "THREATEN"));
    assert!(asserted(
        "حذر الرئيس المعارضة من أن الجيش سيتدخل.",
        "THREATEN"
    ));
}

#[test]
fn reporting_verbs_are_not_events() {
    for s in [
        "قال الوزير إن الوضع مستقر.",
        "أعلن المتحدث نتائج التحقيق.",
        "وأكد البيان أهمية الحوار.",
    ] {
        assert!(kinds(s).is_empty(), "{s}: {:?}", kinds(s));
    }
    // …but the clause they report may hold one.
    assert!(asserted("قال الجيش إن مسلحين هاجموا قافلة.", "ASSAULT"));
}

#[test]
fn modality() {
    let e = first("لم يلتق الرئيس بنظيره.", "CONSULT");
    assert!(e.event.negated);
    let e = first("سيلتقي الرئيس نظيره الأسبوع المقبل.", "CONSULT");
    assert!(e.event.future);
    let e = first("من المقرر أن يجتمع الوزراء في القاهرة.", "CONSULT");
    assert!(e.event.future);
    assert_eq!(
        first("إذا هاجمت القوات المدينة فسترد المقاومة.", "ASSAULT").modality,
        Modality::Hypothetical
    );
    assert_eq!(
        first("تشهد المنطقة اشتباكات متكررة.", "ASSAULT").modality,
        Modality::Generic
    );
    // A purpose is not an event of its own.
    assert_eq!(
        first("وصل الوزير لإجراء مباحثات مع نظيره.", "CONSULT").modality,
        Modality::Intended
    );
    assert_eq!(
        first("دعا الرئيس المسلحين إلى الانسحاب.", "RETREAT").modality,
        Modality::Intended
    );
    let e = first("التقى الرئيس بالمعارضين قبل خمس سنوات.", "CONSULT");
    assert_eq!(e.modality, Modality::Historical);
    // rased_text::date: a year-precision expression gives the first day of that year.
    assert_eq!(e.event.date.as_deref(), Some("2020-01-01"));
}

#[test]
fn arguments_in_both_orders_and_passives() {
    let e = first("التقى الرئيس السيسي بالملك عبدالله في عمان.", "CONSULT");
    assert!(e.event.actors[0].text.contains("السيسي"), "{e:?}");
    assert!(e.event.recipients[0].text.contains("عبدالله"), "{e:?}");
    let e = first("المتظاهرون الغاضبون يهاجمون مقر الحزب.", "ASSAULT");
    assert!(e.event.actors[0].text.contains("المتظاهرون"), "{e:?}");
    let e = first("قُتل ثلاثة جنود في هجوم.", "ASSAULT");
    assert!(e.event.actors.is_empty(), "{e:?}");
    let e = first("اعتقلت الشرطة الناشط المعروف.", "COERCE");
    assert!(e.event.actors[0].text.contains("الشرطة"), "{e:?}");
    // أمس resolves against the article date.
    let e = first("هاجم مسلحون قافلة أمس.", "ASSAULT");
    assert_eq!(e.event.date.as_deref(), Some("2025-08-24"));
    assert_eq!(e.event.date_text.as_deref(), Some("أمس"));
}

mod hostile {
    use proptest::prelude::*;
    use rased_analyze::events::{code_events, code_sentence};
    use rased_model::{Entity, Mention};

    const WORDS: &[&str] = &[
        "التقى",
        "بالرئيس",
        "هاجم",
        "قُتل",
        "أمس",
        "اليوم",
        "الاثنين",
        "قبل",
        "خمس",
        "سنوات",
        "بعد",
        "يوم",
        "من",
        "اجتماع",
        "لم",
        "سوف",
        "إذا",
        "في",
        "بمدينة",
        "حلب",
        "بين",
        "و",
        "الطرفين",
        "،",
        ".",
        "–",
        "(",
        ")",
        "وكان",
        "قد",
        "دعاه",
        "إلى",
        "الانسحاب",
        "وقف",
        "إطلاق",
        "النار",
        "\u{200f}",
        "ـ",
        "2020",
        "عام",
        "abc",
        "🙂",
        "\n",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn never_panics(
            picks in proptest::collection::vec(0..WORDS.len(), 0..60),
            spans in proptest::collection::vec((0usize..400, 0usize..30), 0..8),
        ) {
            let body: String = picks.iter().map(|&i| WORDS[i]).collect::<Vec<_>>().join(" ");
            let n = body.chars().count();
            let ents: Vec<Entity> = spans
                .iter()
                .enumerate()
                .map(|(k, &(s, l))| Entity {
                    id: format!("e{k}"),
                    kind: ["PER", "ORG", "LOC", "MISC"][k % 4].into(),
                    name: "x".into(),
                    aliases: vec![],
                    mentions: vec![Mention { text: "x".into(), start: s, end: s + l, link: None }],
                })
                .collect();
            let d = chrono::NaiveDate::from_ymd_opt(2025, 8, 25);
            for e in code_events(&body, &ents, d, Some("حلب")) {
                prop_assert!(e.evidence.start <= e.evidence.end && e.evidence.end <= n);
                prop_assert!((0.0..=1.0).contains(&e.confidence));
            }
            let _ = code_events(&body, &ents, None, None);
            let _ = code_sentence(&body, d);
        }
    }
}

#[test]
fn the_delegation_is_its_leader() {
    use rased_model::{Entity, Mention};
    let body = "وصل وفد بقيادة زيد إلى القاهرة.\nواجتمع الوفد مع عمرو أمس.";
    let ent = |id: &str, kind: &str, name: &str| {
        let start = body.find(name).map(|b| body[..b].chars().count()).unwrap();
        Entity {
            id: id.into(),
            kind: kind.into(),
            name: name.into(),
            aliases: vec![],
            mentions: vec![Mention {
                text: name.into(),
                start,
                end: start + name.chars().count(),
                link: None,
            }],
        }
    };
    let ents = vec![
        ent("zaid", "PER", "زيد"),
        ent("amr", "PER", "عمرو"),
        ent("cairo", "LOC", "القاهرة"),
    ];
    // The rules alone (every candidate, none merged), not the learned decision.
    let doc = rased_text::Document::new(body, d());
    let events: Vec<rased_model::Event> =
        rased_analyze::events::candidates(&doc, &ents, None, None)
            .into_iter()
            .map(|c| c.event)
            .collect();
    let visit = events
        .iter()
        .find(|e| e.mode.as_deref() == Some("visit"))
        .expect("visit");
    assert_eq!(visit.actors[0].entity.as_deref(), Some("zaid"));
    assert_eq!(
        visit.place.as_ref().map(|p| p.text.as_str()),
        Some("القاهرة")
    );
    let meeting = events
        .iter()
        .find(|e| e.evidence.trigger == "واجتمع")
        .expect("meeting");
    assert_eq!(meeting.actors[0].entity.as_deref(), Some("zaid"));
    assert_eq!(meeting.recipients[0].entity.as_deref(), Some("amr"));
    assert_eq!(meeting.date.as_deref(), Some("2025-08-24"));
}

#[test]
fn print_lexicon_size() {
    let (rows, forms) = lexicon_size();
    eprintln!("lexicon: {rows} event rows, {forms} trigger forms");
}
