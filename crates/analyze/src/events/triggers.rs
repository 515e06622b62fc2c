//! Trigger finding: lexicon hits on the tokens of a sentence, the context conditions of
//! lexicon rows, and the clause around a trigger.

use rased_text::tokenize::TokenKind;

use super::context::{is_word, strip_waw, MKind, Sent, Tok};
use super::dates::number_word;
use super::lexicon::{self, lookup, loose_eq, Class, Cond, Form, LEXICON};
use super::words::{CONSEQUENCE_WORDS, COUNT_WORDS, DAWN_TIMES, NOUN_AFTER_PREPS};

/// A lexicon match: tokens `start..end`, its row and how it matched.
#[derive(Debug, Clone)]
pub(crate) struct Hit {
    pub start: usize,
    pub end: usize,
    pub row: usize,
    pub form: Form,
    pub future: bool,
    pub definite: bool,
    pub lam: bool,
    pub enclitic: bool,
    pub waw: bool,
}

/// Every trigger of the sentence, left to right; a phrase wins over its first word.
pub(crate) fn find_hits(toks: &[Tok]) -> Vec<Hit> {
    let mut hits = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if !is_word(toks[i].kind) {
            i += 1;
            continue;
        }
        if let Some(h) = phrase_hit(toks, i) {
            i = h.end;
            hits.push(h);
            continue;
        }
        if let Some(h) = word_hit(toks, i) {
            hits.push(h);
        }
        i += 1;
    }
    hits
}

/// A lexicon phrase starting at token `i`.
fn phrase_hit(toks: &[Tok], i: usize) -> Option<Hit> {
    let lex = &*LEXICON;
    for &pi in lexicon::phrases_starting(&toks[i].norm).iter() {
        let (words, row) = &lex.phrases[pi];
        if i + words.len() > toks.len() {
            continue;
        }
        if words
            .iter()
            .enumerate()
            .all(|(k, w)| loose_eq(&toks[i + k].norm, w))
        {
            return Some(Hit {
                start: i,
                end: i + words.len(),
                row: *row,
                form: Form::Phrase,
                future: false,
                definite: false,
                lam: false,
                enclitic: false,
                waw: false,
            });
        }
    }
    None
}

/// A single-word trigger at token `i`, unless its context says it is something else.
fn word_hit(toks: &[Tok], i: usize) -> Option<Hit> {
    let h = lookup(&toks[i].norm)?;
    // After a preposition a verb form is a noun (على تجمع للمواطنين): not a trigger.
    if matches!(h.form, Form::Past | Form::Present)
        && i > 0
        && NOUN_AFTER_PREPS.contains(&toks[i - 1].norm)
    {
        return None;
    }
    // فجرًا (at dawn) unless someone blew themselves up (فجرا نفسيهما).
    if toks[i].norm == "فجرا"
        && !toks
            .get(i + 1)
            .is_some_and(|n| n.norm.starts_with("نفس") || n.norm.starts_with("انفس"))
    {
        return None;
    }
    // فجر أمس / فجر اليوم / صباح … : "dawn", a time, not "detonated".
    if matches!(strip_waw(&toks[i].norm), "فجر" | "الفجر")
        && toks
            .get(i + 1)
            .is_some_and(|n| DAWN_TIMES.contains(&n.norm))
    {
        return None;
    }
    let mut form = h.form;
    // Tashkeel says passive: قُتل، اُعتُقل.
    if matches!(form, Form::Past) {
        let marks: Vec<char> = toks[i].orig.chars().take(4).collect();
        if marks.contains(&'\u{064F}') && !marks.contains(&'\u{064E}') {
            form = Form::Passive;
        }
    }
    // An unvocalized قتل/خطف followed by a count is passive: قتل 5 أشخاص.
    if form == Form::Past
        && i + 1 < toks.len()
        && LEXICON.rows[h.row].plover == "ASSAULT"
        && (toks[i + 1].kind == TokenKind::Number
            || number_word(&toks[i + 1].norm).is_some()
            || COUNT_WORDS.contains(&toks[i + 1].norm))
    {
        form = Form::Passive;
    }
    Some(Hit {
        start: i,
        end: i + 1,
        row: h.row,
        form,
        future: h.future,
        definite: h.definite,
        lam: h.lam,
        enclitic: h.enclitic,
        waw: h.waw,
    })
}

/// Whether the context of `h` meets a lexicon condition.
pub(crate) fn cond_ok(s: &Sent, h: &Hit, cond: &Cond) -> bool {
    let n = s.toks.len();
    match cond {
        Cond::None => true,
        Cond::Next(words, k) => (h.end..(h.end + k).min(n)).any(|j| {
            let w = &s.toks[j].norm;
            words.iter().any(|x| {
                w == x
                    || strip_waw(w) == x
                    || (x == "ب"
                        && w.starts_with('ب')
                        && s.ments
                            .iter()
                            .any(|m| m.start > s.toks[j].cs && m.start < s.toks[j].ce))
                    || (x == "ب" && w.starts_with("بال"))
            })
        }),
        Cond::Near(words, k) => {
            let lo = h.start.saturating_sub(*k);
            (lo..(h.end + k).min(n)).any(|j| {
                let w = &s.toks[j].norm;
                words.iter().any(|x| loose_eq(w, x))
            })
        }
        Cond::Visit => {
            let lim = (h.end + 25).min(n);
            (h.end..lim).any(|j| {
                s.toks[j].norm == "الي"
                    && (j + 1 < n
                        && (super::args::is_place_noun(&s.toks[j + 1].norm)
                            || s.ments.iter().enumerate().any(|(mi, m)| {
                                matches!(m.kind, MKind::Loc)
                                    && s.mtok[mi].0 > j
                                    && s.mtok[mi].0 <= j + 3
                            })))
            })
        }
        Cond::Consequence => {
            let rest: Vec<&str> = s.toks[h.end..].iter().map(|t| t.norm.as_str()).collect();
            rest.windows(2).any(|w| w[0] == "من" && w[1] == "ان")
                || rest.iter().any(|w| CONSEQUENCE_WORDS.contains(w))
        }
    }
}

/// A conditioned row that fails falls back to a later row of the same word (دعم عسكري → AID,
/// else دعم → SUPPORT). `None` when no row of the word fits.
pub(crate) fn resolve_row(s: &Sent, mut h: Hit) -> Option<Hit> {
    while !cond_ok(s, &h, &LEXICON.rows[h.row].cond) {
        let next = (h.form != Form::Phrase)
            .then(|| lexicon::lookup_from(&s.toks[h.start].norm, h.row + 1))
            .flatten()
            .filter(|w| LEXICON.rows[w.row].class == Class::Event);
        match next {
            Some(w) => {
                h.row = w.row;
                if h.form != Form::Passive {
                    h.form = w.form;
                }
            }
            None => break,
        }
    }
    cond_ok(s, &h, &LEXICON.rows[h.row].cond).then_some(h)
}

/// Clause bounds around a hit: previous/next verb trigger (event, report or light) or أن.
pub(crate) fn clause(s: &Sent, hi: usize) -> (usize, usize) {
    let h = &s.hits[hi];
    let lex = &*LEXICON;
    let is_verbish = |x: &Hit| {
        matches!(x.form, Form::Past | Form::Present | Form::Passive)
            || lex.rows[x.row].class == Class::Report
    };
    let mut left = 0;
    for (k, x) in s.hits.iter().enumerate() {
        if k < hi && is_verbish(x) && x.end <= h.start {
            left = x.end;
        }
    }
    for j in (left..h.start).rev() {
        if s.toks[j].kind == TokenKind::Punct
            && matches!(
                s.toks[j].orig.as_str(),
                "–" | "—" | "-" | ":" | ")" | "(" | "«" | "»"
            )
        {
            left = j + 1;
            break;
        }
        if matches!(s.toks[j].norm.as_str(), "ان" | "بان" | "وان")
            && !s.toks[j].orig.starts_with('إ')
        {
            left = j + 1;
            break;
        }
    }
    let mut right = s.toks.len();
    for x in s.hits.iter().skip(hi + 1) {
        if is_verbish(x) && x.start >= h.end {
            right = x.start;
            break;
        }
    }
    (left, right)
}

/// A noun naming the participants of its event (المتظاهرون، المحتجين): both trigger and actor.
pub(crate) fn is_agent_noun(toks: &[Tok], h: &Hit) -> bool {
    h.form == Form::Noun
        && LEXICON.rows[h.row].plover == "PROTEST"
        && (toks[h.start].norm.contains("متظاهر") || toks[h.start].norm.contains("محتج"))
}
