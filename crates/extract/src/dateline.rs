//! Datelines that open Arabic news bodies: `أنقرة (زمان التركية) –`, `دمشق، سوريا (CNN) --`,
//! `(رويترز) -`, `بيروت – أ ف ب:`.

use std::sync::OnceLock;

use rased_model::Dateline;
use regex::Regex;

fn paren_re() -> &'static Regex {
    cached_regex!(
        r"^\s*(?P<place>[^()\n–—:\-.«»“”]{0,60}?)\s*[(（](?P<outlet>[^()\n]{1,40})[)）]\s*(?:–|—|-{1,2}|ـ+|:)\s*"
    )
}

/// Short outlet names used after a dash: `بيروت – أ ف ب:`, `القاهرة - رويترز:`.
fn dash_outlet_re() -> &'static Regex {
    cached_regex!(
        r"^\s*(?P<place>[\p{Arabic}]+(?:[ ،,]+[\p{Arabic}]+){0,2})\s*(?:–|—|-{1,2})\s*(?P<outlet>[\p{Arabic}A-Za-z. ]{2,25}?)\s*:\s*"
    )
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
        // Labels in parentheses are not outlets: `(فيديو) -`, `(صور) -`, `(محدث) -`.
        const NOT_OUTLETS: &[&str] = &[
            "فيديو",
            "صور",
            "بالصور",
            "بالفيديو",
            "شاهد",
            "تقرير",
            "خاص",
            "حصري",
            "محدث",
            "تحديث",
            "عاجل",
            "انفوجراف",
            "إنفوجراف",
            "video",
            "photos",
            "update",
            "updated",
        ];
        let o = outlet.to_lowercase();
        if NOT_OUTLETS.contains(&o.as_str()) {
            return None;
        }
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

static AGENCIES: &str = include_str!("../data/agencies.txt");

/// Is `s` (one credit) a news agency or outlet name rather than a person?
pub fn is_agency(s: &str) -> bool {
    static SET: OnceLock<std::collections::HashSet<String>> = OnceLock::new();
    let set = SET.get_or_init(|| {
        AGENCIES
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(fold)
            .collect()
    });
    let f = fold(s);
    set.contains(&f) || f.starts_with("وكاله ") || f.ends_with(".نت") || f.ends_with(".com")
}

fn fold(s: &str) -> String {
    rased_text::normalize_str(s.trim(), rased_text::Level::Match)
        .to_lowercase()
        .replace('ة', "ه")
}

/// What a raw author/credit field says.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Credit {
    pub place: Option<String>,
    pub outlet: Option<String>,
    pub author: Option<String>,
    /// An attribution made only of agencies (`العربية.نت، رويترز`).
    pub source: Option<String>,
}

/// Reads a raw author field: `القاهرة - أحمد الريدي` (place and author), `أبوظبي - سكاي
/// نيوز عربية` (place and outlet), `العربية.نت، رويترز` (attribution), `أحمد الريدي`.
pub fn read_credit(raw: &str) -> Credit {
    let raw = raw.trim();
    let mut c = Credit::default();
    if raw.is_empty() {
        return c;
    }
    let all_agencies = |s: &str| {
        s.split(['،', ',', '/'])
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .all(is_agency)
    };
    if let Some((left, right)) = [" - ", " – ", " ـ ", " — "]
        .iter()
        .find_map(|sep| raw.split_once(sep))
    {
        let (left, right) = (left.trim(), right.trim());
        if all_agencies(left) && all_agencies(right) {
            c.source = Some(raw.to_string());
            return c;
        }
        // `سانتا مونيكا (الولايات المتحدة) - فرانس برس`: place, then agency.
        let wc = left.split_whitespace().count();
        if all_agencies(right)
            && (1..=5).contains(&wc)
            && !left.chars().any(|ch| ch.is_ascii_digit())
        {
            c.place = Some(left.to_string());
            c.outlet = Some(right.to_string());
            return c;
        }
    }
    if let Some((place, rest)) = split_author_place(raw) {
        c.place = Some(place);
        if all_agencies(&rest) {
            c.outlet = Some(rest);
        } else {
            c.author = Some(rest);
        }
        return c;
    }
    if all_agencies(raw) {
        c.source = Some(raw.to_string());
    } else {
        c.author = Some(raw.to_string());
    }
    c
}

/// Splits a raw author field like `القاهرة - أحمد الريدي` into (place, rest). Returns
/// `None` when the field does not look like `place - rest`.
pub fn split_author_place(author: &str) -> Option<(String, String)> {
    let (left, right) = [" - ", " – ", " ـ ", " — "]
        .iter()
        .find_map(|sep| author.split_once(sep))?;
    let (left, right) = (left.trim(), right.trim());
    if left.is_empty() || right.is_empty() {
        return None;
    }
    let arabic_words = |s: &str| {
        s.split_whitespace()
            .all(|w| w.chars().all(|c| ('\u{0600}'..='\u{06FF}').contains(&c)))
    };
    let place_like = |s: &str| {
        let first = s.split(['،', ',']).next().unwrap_or(s);
        crate::phrases::is_place(first) || crate::phrases::is_place(s)
    };
    if place_like(left) && !is_agency(left) {
        return Some((left.to_string(), right.to_string()));
    }
    // `name - place`: the place comes last.
    if place_like(right) && !place_like(left) && !is_agency(right) {
        return Some((right.to_string(), left.to_string()));
    }
    let wc = left.split_whitespace().count();
    if (1..=2).contains(&wc) && arabic_words(left) && !left.contains('.') && !is_agency(left) {
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
        assert!(split_dateline("(فيديو) - لحظة وصول الوفد").is_none());
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
        let c = read_credit("أبوظبي - سكاي نيوز عربية");
        assert_eq!(
            (c.place.as_deref(), c.outlet.as_deref(), c.author),
            (Some("أبوظبي"), Some("سكاي نيوز عربية"), None)
        );
        let c = read_credit("دبي ـ العربية.نت");
        assert_eq!(
            (c.place.as_deref(), c.outlet.as_deref()),
            (Some("دبي"), Some("العربية.نت"))
        );
        let c = read_credit("العربية.نت، رويترز");
        assert_eq!(
            (c.source.as_deref(), c.author),
            (Some("العربية.نت، رويترز"), None)
        );
        assert_eq!(
            read_credit("فيصل الحربي").author.as_deref(),
            Some("فيصل الحربي")
        );
    }
}
