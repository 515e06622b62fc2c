//! Datelines that open Arabic news bodies: `أنقرة (زمان التركية) –`, `دمشق، سوريا (CNN) --`,
//! `(رويترز) -`, `بيروت – أ ف ب:`.

use std::sync::OnceLock;

use rased_model::Dateline;
use regex::Regex;

fn paren_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^\s*(?P<place>[^()\n–—:\-.«»“”]{0,60}?)\s*[(（](?P<outlet>[^()\n]{1,40})[)）]\s*(?:–|—|-{1,2}|ـ+|:)\s*",
        )
        .expect("valid regex")
    })
}

/// Short outlet names used after a dash: `بيروت – أ ف ب:`, `القاهرة - رويترز:`.
fn dash_outlet_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^\s*(?P<place>[\p{Arabic}]+(?:[ ،,]+[\p{Arabic}]+){0,2})\s*(?:–|—|-{1,2})\s*(?P<outlet>[\p{Arabic}A-Za-z. ]{2,25}?)\s*:\s*",
        )
        .expect("valid regex")
    })
}

/// Splits a dateline off the first paragraph. Returns the dateline and the rest of the
/// paragraph.
pub fn split_dateline(first: &str) -> Option<(Dateline, &str)> {
    if let Some(c) = paren_re().captures(first) {
        let place = c
            .name("place")
            .map(|m| clean(m.as_str()))
            .unwrap_or_default();
        let outlet = clean(c.name("outlet")?.as_str());
        let words = place.split_whitespace().count();
        let rest = &first[c.get(0)?.end()..];
        if words <= 5
            && !outlet.is_empty()
            && outlet.split_whitespace().count() <= 5
            && !rest.is_empty()
        {
            return Some((
                Dateline {
                    place: (!place.is_empty()).then_some(place),
                    outlet: Some(outlet),
                },
                rest,
            ));
        }
    }
    if let Some(c) = dash_outlet_re().captures(first) {
        let place = clean(c.name("place")?.as_str());
        let outlet = clean(c.name("outlet")?.as_str());
        let rest = &first[c.get(0)?.end()..];
        if !rest.is_empty() && outlet.split_whitespace().count() <= 4 {
            return Some((
                Dateline {
                    place: Some(place),
                    outlet: Some(outlet),
                },
                rest,
            ));
        }
    }
    None
}

fn clean(s: &str) -> String {
    s.trim_matches(|c: char| c.is_whitespace() || c == '،' || c == ',')
        .to_string()
}

/// Splits a raw author field like `القاهرة - أحمد الريدي` into (place, author). Returns
/// `None` when the field does not look like `place - name`.
pub fn split_author_place(author: &str) -> Option<(String, String)> {
    let (left, right) = author
        .split_once(" - ")
        .or_else(|| author.split_once(" – "))?;
    let (left, right) = (left.trim(), right.trim());
    let arabic_words = |s: &str| {
        s.split_whitespace()
            .all(|w| w.chars().all(|c| ('\u{0600}'..='\u{06FF}').contains(&c)))
    };
    let wc = left.split_whitespace().count();
    if (1..=2).contains(&wc) && arabic_words(left) && !right.is_empty() && !left.contains('.') {
        return Some((left.to_string(), right.to_string()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parenthesized_datelines() {
        let (d, rest) = split_dateline("أنقرة (زمان التركية) – التقى رئيس الاستخبارات").unwrap();
        assert_eq!(d.place.as_deref(), Some("أنقرة"));
        assert_eq!(d.outlet.as_deref(), Some("زمان التركية"));
        assert_eq!(rest, "التقى رئيس الاستخبارات");
        let (d, rest) = split_dateline("دمشق، سوريا (CNN) -- أكدت جهات سورية").unwrap();
        assert_eq!(d.place.as_deref(), Some("دمشق، سوريا"));
        assert_eq!(d.outlet.as_deref(), Some("CNN"));
        assert_eq!(rest, "أكدت جهات سورية");
        let (d, _) = split_dateline("(رويترز) - قال مسؤولون").unwrap();
        assert_eq!(d.place, None);
        assert!(split_dateline("قال الرئيس (في بيان) إن").is_none());
    }

    #[test]
    fn dash_datelines() {
        let (d, rest) = split_dateline("بيروت - أ ف ب: قال مسؤول").unwrap();
        assert_eq!(d.place.as_deref(), Some("بيروت"));
        assert_eq!(d.outlet.as_deref(), Some("أ ف ب"));
        assert_eq!(rest, "قال مسؤول");
    }

    #[test]
    fn author_place() {
        assert_eq!(
            split_author_place("القاهرة - أحمد الريدي"),
            Some(("القاهرة".into(), "أحمد الريدي".into()))
        );
        assert_eq!(split_author_place("العربية.نت - وكالات"), None);
    }
}
