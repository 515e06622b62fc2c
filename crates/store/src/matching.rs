//! Does an article match a watchlist? Pure functions over the analysed [`Article`], so the
//! same answer comes from `rased watch`, `rased ingest` and the server's upload.
//!
//! Every condition a watchlist sets must hold (they are ANDed). Text is compared the way
//! search compares it: search-normalized words, with the light stem and the name key as
//! fallbacks, so `--query كالين` finds قالين and `--query والمدارس` finds المدارس.

use rased_model::Article;
use rased_text::{namekey::name_key, normalize_str, stem::search_stem, Level};

use crate::Watchlist;

/// The reasons an article matches `w`, one per condition (`query "…"`, `entity …`,
/// `event …`, `place …`, `outlet …`), or `None` when some condition fails or none is set.
pub fn watchlist_matches(w: &Watchlist, a: &Article) -> Option<Vec<String>> {
    let mut why = Vec::new();
    if let Some(q) = nonempty(&w.query) {
        if !query_matches(q, a) {
            return None;
        }
        why.push(format!("query \"{q}\""));
    }
    if let Some(e) = nonempty(&w.entity) {
        let found = a.entities.iter().find(|x| entity_is(x, e))?;
        why.push(format!("entity {} ({})", found.name, found.id));
    }
    if let Some(t) = nonempty(&w.event_type) {
        let ev = a.events.iter().find(|ev| ev.kind.eq_ignore_ascii_case(t))?;
        why.push(format!("event {} ({})", ev.kind, ev.evidence.trigger));
    }
    if let Some(p) = nonempty(&w.place) {
        why.push(format!("place {}", place_matches(p, a)?));
    }
    if let Some(o) = nonempty(&w.outlet) {
        let outlet = a.outlet.as_deref()?;
        if norm(outlet) != norm(o) {
            return None;
        }
        why.push(format!("outlet {outlet}"));
    }
    (!why.is_empty()).then_some(why)
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn norm(s: &str) -> String {
    words(&normalize_str(s, Level::Search)).join(" ")
}

/// Words of search-normalized text: runs of letters and digits.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

/// An entity is meant by `wanted` when it is its id, or its name or an alias in any
/// spelling (the same search normalization or the same name key).
fn entity_is(e: &rased_model::Entity, wanted: &str) -> bool {
    if e.id == wanted {
        return true;
    }
    let n = norm(wanted);
    if n.is_empty() {
        return false;
    }
    let key = name_key(wanted);
    std::iter::once(&e.name)
        .chain(&e.aliases)
        .any(|name| norm(name) == n || (!key.is_empty() && name_key(name) == key))
}

/// Where the article places the watched place: an event's place, the dateline, or a
/// mentioned place entity.
fn place_matches(p: &str, a: &Article) -> Option<String> {
    let n = norm(p);
    if n.is_empty() {
        return None;
    }
    let contains = |text: &str| {
        let t = format!(" {} ", norm(text));
        t.contains(&format!(" {n} "))
    };
    for ev in &a.events {
        if let Some(place) = &ev.place {
            if place.entity.as_deref() == Some(p) || contains(&place.text) {
                return Some(place.text.clone());
            }
        }
    }
    if let Some(place) = a.dateline.as_ref().and_then(|d| d.place.as_deref()) {
        if contains(place) {
            return Some(place.to_string());
        }
    }
    a.entities
        .iter()
        .find(|e| e.kind == "LOC" && entity_is(e, p))
        .map(|e| e.name.clone())
}

/// Every word and every `"quoted phrase"` of the query occurs in the title or body.
fn query_matches(q: &str, a: &Article) -> bool {
    let text = format!("{}\n{}", a.title.as_deref().unwrap_or(""), a.body);
    let text_words = words(&normalize_str(&text, Level::Search));
    if text_words.is_empty() {
        return false;
    }
    let joined = format!(" {} ", text_words.join(" "));
    let stems: std::collections::HashSet<String> =
        text_words.iter().map(|w| search_stem(w)).collect();
    let keys: std::collections::HashSet<String> = text_words.iter().map(|w| name_key(w)).collect();
    let mut any = false;
    for (i, part) in q.split('"').enumerate() {
        let part_words = words(&normalize_str(part, Level::Search));
        if part_words.is_empty() {
            continue;
        }
        any = true;
        if i % 2 == 1 {
            // Inside quotes: the words in this order.
            if !joined.contains(&format!(" {} ", part_words.join(" "))) {
                return false;
            }
            continue;
        }
        for w in &part_words {
            let hit = joined.contains(&format!(" {w} "))
                || stems.contains(&search_stem(w))
                || keys.contains(&name_key(w));
            if !hit {
                return false;
            }
        }
    }
    any
}

#[cfg(test)]
mod tests {
    use super::*;
    use rased_model::{Entity, Event, Participant};

    fn article() -> Article {
        Article {
            id: "a1".into(),
            title: Some("حفتر يلتقي وزير الخارجية".into()),
            body: "التقى المشير خليفة حفتر في بنغازي وزير الخارجية الإيطالي وبحثا المدارس.".into(),
            outlet: Some("Libya Observer".into()),
            entities: vec![Entity {
                id: "cur:haftar".into(),
                kind: "PER".into(),
                name: "خليفة حفتر".into(),
                aliases: vec!["حفتر".into()],
                mentions: vec![],
            }],
            events: vec![Event {
                kind: "CONSULT".into(),
                place: Some(Participant {
                    text: "بنغازي".into(),
                    entity: Some("gn:88319".into()),
                }),
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    fn wl() -> Watchlist {
        Watchlist {
            name: "w".into(),
            ..Default::default()
        }
    }

    #[test]
    fn every_condition_must_hold() {
        let a = article();
        let w = Watchlist {
            entity: Some("حفتر".into()),
            event_type: Some("consult".into()),
            place: Some("بنغازي".into()),
            outlet: Some("libya observer".into()),
            ..wl()
        };
        let why = watchlist_matches(&w, &a).unwrap();
        assert_eq!(why.len(), 4, "{why:?}");
        let w = Watchlist {
            event_type: Some("ASSAULT".into()),
            ..w
        };
        assert!(watchlist_matches(&w, &a).is_none());
        assert!(
            watchlist_matches(&wl(), &a).is_none(),
            "no condition, no match"
        );
    }

    #[test]
    fn query_words_stems_and_phrases() {
        let a = article();
        let q = |s: &str| Watchlist {
            query: Some(s.into()),
            ..wl()
        };
        assert!(watchlist_matches(&q("حفتر"), &a).is_some());
        assert!(watchlist_matches(&q("والمدارس"), &a).is_some(), "stem");
        assert!(watchlist_matches(&q("\"وزير الخارجية\""), &a).is_some());
        assert!(watchlist_matches(&q("\"الخارجية وزير\""), &a).is_none());
        assert!(watchlist_matches(&q("حفتر طرابلس"), &a).is_none());
        assert!(watchlist_matches(&q("  "), &a).is_none());
    }

    #[test]
    fn entity_by_id_or_spelling() {
        let a = article();
        let e = |s: &str| Watchlist {
            entity: Some(s.into()),
            ..wl()
        };
        assert!(watchlist_matches(&e("cur:haftar"), &a).is_some());
        assert!(watchlist_matches(&e("خليفة حفتر"), &a).is_some());
        assert!(watchlist_matches(&e("cur:other"), &a).is_none());
    }
}
