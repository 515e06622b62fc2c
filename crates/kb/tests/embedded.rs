//! The shipped KB and its gazetteer on real text.

use rased_kb::{Gazetteer, KnowledgeBase, MatchKind};

const SEED: &str = include_str!("../../../data/samples/seed-page.txt");

#[test]
fn embedded_kb_loads_with_countries_cities_people() {
    let kb = KnowledgeBase::embedded();
    assert!(kb.len() > 5_000, "{}", kb.len());
    let turkey = kb.country("TUR").expect("Turkey");
    assert_eq!(turkey.name, "تركيا");
    assert!(turkey.nisba.iter().any(|n| n == "التركية"));
    assert!(kb
        .lookup("بنغازي")
        .any(|e| e.country.as_deref() == Some("LBY")));
    assert!(kb.lookup("قسد").any(|e| e.kind == "ORG"));
}

#[test]
fn gazetteer_finds_places_and_nisba_on_the_seed_page() {
    let kb = KnowledgeBase::embedded();
    let gaz = Gazetteer::new(kb).unwrap();
    let hits = gaz.find(SEED);
    let found = |name: &str| {
        hits.iter()
            .filter(|m| &SEED[m.start..m.end] == name)
            .flat_map(|m| m.candidates.iter())
            .map(|&(i, kind)| (kb.entities()[i].id.clone(), kind))
            .collect::<Vec<_>>()
    };
    for place in ["ليبيا", "تركيا", "بنغازي", "طرابلس", "دمشق", "حلب", "أنقرة"]
    {
        assert!(!found(place).is_empty(), "{place} not found");
    }
    assert!(found("التركية").contains(&("iso:TUR".to_string(), MatchKind::Nisba)));
    assert!(found("الليبي").contains(&("iso:LBY".to_string(), MatchKind::Nisba)));
    // Leftmost-longest: the organisation wins over its nisba.
    assert!(found("المخابرات العامة المصرية")
        .iter()
        .any(|(id, _)| id == "cur:egis"));
    // Char offsets agree with byte offsets.
    for m in &hits {
        let chars: Vec<char> = SEED.chars().collect();
        let by_chars: String = chars[m.char_start..m.char_end].iter().collect();
        assert_eq!(by_chars, &SEED[m.start..m.end]);
    }
}
