//! Scoring a coded event's participants and date against an annotator's, as
//! `data/events/ANNOTATION.md` writes them: participants as the words of the sentence
//! (several joined with ` | `, empty when the text names none), dates as `YYYY-MM-DD`,
//! `YYYY-MM` or `unknown`.
//!
//! Two participant texts are the same party when the search stems of one are all among the
//! other's (`فليمينغ` and `جيريمي فليمينغ`; `قوات التحالف` and `وقوات التحالف`): the
//! annotators write the shortest words that name the party and the coder a mention's span, so
//! neither is held to the other's boundaries, but a different party (`روسيا` for `فرنسا`,
//! `وزير الخارجية الروسي` for `وزير الخارجية الأمريكي`) never matches.

use std::collections::BTreeSet;

/// The search stems of a participant text.
fn stems(text: &str) -> BTreeSet<String> {
    rased_text::tokenize::tokenize(text)
        .iter()
        .filter(|t| t.text.chars().any(char::is_alphanumeric))
        .map(|t| rased_text::stem::search_stem(t.text))
        .filter(|s| !s.is_empty())
        .collect()
}

/// Whether two participant texts name the same party (see the module doc).
pub fn same_party(a: &str, b: &str) -> bool {
    let (a, b) = (stems(a), stems(b));
    !a.is_empty() && !b.is_empty() && (a.is_subset(&b) || b.is_subset(&a))
}

/// The annotator's participants (` | `-separated, empty for none).
pub fn gold_parties(gold: &str) -> Vec<&str> {
    gold.split('|')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// Whether the coded participants are the annotator's: both empty, or every annotated party
/// coded and every coded one annotated.
pub fn same_participants(coded: &[&str], gold: &str) -> bool {
    let gold = gold_parties(gold);
    gold.iter().all(|g| coded.iter().any(|c| same_party(c, g)))
        && coded.iter().all(|c| gold.iter().any(|g| same_party(c, g)))
}

/// Whether the coded date (`YYYY-MM-DD`, or none) is the annotator's: the same day, a day in
/// the annotated month, or none for `unknown`.
pub fn same_date(coded: Option<&str>, gold: &str) -> bool {
    match (coded, gold) {
        (None, "unknown") => true,
        (Some(c), g) if g.len() == 7 => c.starts_with(g),
        (Some(c), g) => c == g,
        (None, _) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_party_matches_its_longer_or_cliticized_form_only() {
        assert!(same_party("فليمينغ", "جيريمي فليمينغ"));
        assert!(same_party("وقوات التحالف", "قوات التحالف"));
        assert!(same_party("إيران", "ايران"));
        assert!(!same_party("روسيا", "فرنسا"));
        assert!(!same_party("وزير الخارجية الروسي", "وزير الخارجية الأمريكي"));
        assert!(!same_party("", "روسيا"));
    }

    #[test]
    fn participants_match_as_sets() {
        assert!(same_participants(&[], ""));
        assert!(same_participants(&["روسيا", "إيران"], "إيران | روسيا"));
        assert!(!same_participants(&["روسيا"], "إيران | روسيا"));
        assert!(!same_participants(&["روسيا", "تويتر"], "روسيا"));
        assert!(!same_participants(&[], "روسيا"));
    }

    #[test]
    fn dates_match_by_day_month_or_unknown() {
        assert!(same_date(Some("2018-04-12"), "2018-04-12"));
        assert!(same_date(Some("2018-04-01"), "2018-04"));
        assert!(same_date(None, "unknown"));
        assert!(!same_date(Some("2018-04-12"), "unknown"));
        assert!(!same_date(None, "2018-04-12"));
        assert!(!same_date(Some("2018-05-12"), "2018-04"));
    }
}
