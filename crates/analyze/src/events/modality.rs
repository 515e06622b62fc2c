//! How the text presents an event: negated, future, hypothetical, intended, generic,
//! background or asserted (historical is decided later, from the date).

use super::context::{strip_waw, Sent};
use super::lexicon::{lookup, norm, Class, Form, LEXICON};
use super::triggers::clause;
use super::words::{
    FUTURE_WORDS, GENERIC_AFTER, GENERIC_BEFORE, HYPO, NEG, PURPOSE, PURPOSE_NOUNS,
};
use super::Modality;

/// The modality of trigger `hi`, and whether it is negated and future (kept as flags on the
/// event whatever the modality).
pub(crate) fn modality(s: &Sent, hi: usize, row_future: bool) -> (Modality, bool, bool) {
    let h = &s.hits[hi];
    let (left, _) = clause(s, hi);
    let lo = h.start.saturating_sub(4).max(left);
    let prev: Vec<&str> = s.toks[lo..h.start]
        .iter()
        .map(|t| t.norm.as_str())
        .collect();
    let negated = is_negated(s, h.start, &prev);
    let future = is_future(s, hi, row_future);
    let hypo = s.toks[left..h.start].iter().any(|t| {
        let n = norm(&t.orig);
        let n = strip_waw(&n).to_string();
        (HYPO.contains(&n) && n != "قد") || (n == "قد" && h.form == Form::Present)
    });
    let generic = s.toks[h.end..(h.end + 2).min(s.toks.len())]
        .iter()
        .any(|t| GENERIC_AFTER.contains(&t.norm))
        || prev.iter().any(|w| GENERIC_BEFORE.contains(strip_waw(w)));
    let stopped = h.start > 0
        && (1..=2).any(|k| {
            h.start >= k
                && lookup(&s.toks[h.start - k].norm)
                    .is_some_and(|w| LEXICON.rows[w.row].class == Class::Stop)
        })
        && LEXICON.rows[h.row].plover != "RETREAT";
    let pluperfect = {
        let ws: Vec<&str> = s.toks[..h.start].iter().map(|t| t.norm.as_str()).collect();
        let has_kana = ws
            .iter()
            .any(|w| matches!(strip_waw(w), "كان" | "كانت" | "كانوا"));
        let has_qad = ws.iter().rev().take(3).any(|w| *w == "قد");
        has_kana && has_qad && h.form == Form::Past
    };
    let m = if is_purpose(s, hi, left) || stopped {
        Modality::Intended
    } else if hypo {
        Modality::Hypothetical
    } else if generic {
        Modality::Generic
    } else if negated {
        Modality::Negated
    } else if future {
        Modality::Future
    } else if pluperfect {
        Modality::Background
    } else {
        Modality::Asserted
    };
    (m, negated, future)
}

/// A negation among the two words before the trigger, or a denial verb (نفى) anywhere before.
fn is_negated(s: &Sent, start: usize, prev: &[&str]) -> bool {
    prev.iter()
        .rev()
        .take(2)
        .any(|w| NEG.contains(w) || NEG.contains(strip_waw(w)))
        || s.toks[..start]
            .iter()
            .any(|t| matches!(strip_waw(&t.norm), "نفي" | "نفت" | "ينفي" | "تنفي" | "نفوا"))
}

/// A future form of the trigger, a future marker in the five words before it (من المقرر أن
/// يجتمع: it governs an أن-clause too), or for a present verb or a noun a time word after it.
fn is_future(s: &Sent, hi: usize, row_future: bool) -> bool {
    let h = &s.hits[hi];
    let wide = &s.toks[h.start.saturating_sub(5)..h.start];
    if row_future
        || wide
            .iter()
            .any(|t| FUTURE_WORDS.contains(&t.norm) || FUTURE_WORDS.contains(strip_waw(&t.norm)))
    {
        return true;
    }
    (h.form == Form::Present || h.form == Form::Noun)
        && s.toks[h.end..(h.end + 8).min(s.toks.len())]
            .iter()
            .any(|t| {
                matches!(
                    t.norm.as_str(),
                    "غدا" | "المقبل" | "المقبلة" | "القادم" | "القادمة"
                )
            })
}

/// A purpose or requested action: لإجراء/لشنّ + noun, a لـ-form of the trigger, a purpose word
/// in the clause (من أجل، بهدف), or إلى/على/ضد + noun after a request, protest or stop.
fn is_purpose(s: &Sent, hi: usize, left: usize) -> bool {
    let h = &s.hits[hi];
    let lam_before = h.form == Form::Noun
        && (1..=2).any(|k| {
            h.start >= k && {
                let w = strip_waw(&s.toks[h.start - k].norm);
                w.starts_with('ل') && !w.starts_with("لل") && PURPOSE_NOUNS.contains(&w[2..])
            }
        });
    let exposed = h.start > 0 && {
        let p = strip_waw(&s.toks[h.start - 1].norm);
        p.contains("تعرض") || p.starts_with("ادي") || p.starts_with("يؤدي") || p.starts_with("ادت")
    };
    lam_before
        || (h.lam
            && h.form != Form::Past
            && h.form != Form::Phrase
            && !exposed
            && LEXICON.rows[h.row].plover != "PROTEST")
        || s.toks[left..h.start]
            .iter()
            .any(|t| PURPOSE.contains(strip_waw(&t.norm)))
        || (h.form == Form::Noun
            && h.start > 0
            && {
                let p = strip_waw(&s.toks[h.start - 1].norm);
                p == "الي" || p == "علي" || p == "ضد"
            }
            && s.hits.iter().take(hi).any(|x| {
                let r = &LEXICON.rows[x.row];
                r.plover == "REQUEST" || r.plover == "PROTEST" || r.class == Class::Stop
            }))
}
