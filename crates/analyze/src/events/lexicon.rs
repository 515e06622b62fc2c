//! The trigger lexicon (`data/events/triggers.tsv`), loaded once and matched on
//! match-normalized tokens with clitics stripped.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::LazyLock;

use rased_text::word_cache::WordCache;

use rased_text::normalize::{normalize_str, Level};

/// What a lexicon row is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// A PLOVER event type.
    Event,
    /// Attribution verb (قال، أعلن): never an event.
    Report,
    /// Light verb (أجرى، شنّ): its noun carries the type.
    Light,
    /// Stops or prevents what follows (أوقف، صدّ).
    Stop,
}

/// How a trigger form matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    Past,
    Present,
    Passive,
    Noun,
    Phrase,
}

/// A condition a trigger needs from its context.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cond {
    None,
    /// One of the words within N tokens after the trigger.
    Next(Vec<String>, usize),
    /// One of the words within N tokens either side.
    Near(Vec<String>, usize),
    /// إلى followed by a place.
    Visit,
    /// A stated consequence.
    Consequence,
}

#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub class: Class,
    pub plover: String,
    pub mode: Option<String>,
    pub cameo: String,
    pub cond: Cond,
}

#[derive(Debug)]
pub(crate) struct Lexicon {
    pub rows: Vec<Row>,
    /// Surface base form → (row, form), in row order.
    pub single: HashMap<String, Vec<(usize, Form)>>,
    /// Phrases (normalized words) with their row, longest first.
    pub phrases: Vec<(Vec<String>, usize)>,
    /// First word of a phrase → indexes into `phrases`.
    pub phrase_index: HashMap<String, Vec<usize>>,
    /// Number of distinct trigger base forms (single words and phrases).
    pub forms: usize,
}

/// The CAMEO code of the first event row of a PLOVER type (the code of an event the decision
/// retyped).
pub(crate) fn first_cameo(plover: &str) -> Option<String> {
    LEXICON
        .rows
        .iter()
        .find(|r| r.class == Class::Event && r.plover == plover)
        .map(|r| r.cameo.clone())
}

pub(crate) fn norm(s: &str) -> String {
    normalize_str(s, Level::Match)
}

/// Conjugations of a past-tense 3rd masc. sing. verb.
fn past_forms(p: &str) -> Vec<String> {
    let mut out = vec![p.to_string()];
    for suf in ["ت", "وا", "ا", "تا", "ن", "نا", "تم"] {
        out.push(format!("{p}{suf}"));
    }
    if let Some(base) = p.strip_suffix('ي').or_else(|| p.strip_suffix('ا')) {
        for suf in ["ت", "وا", "يا", "يت", "تا", "وت", "ينا"] {
            out.push(format!("{base}{suf}"));
        }
    }
    out
}

/// Conjugations of a present-tense 3rd masc. sing. verb (starting with ي).
fn present_forms(y: &str) -> Vec<String> {
    let Some(stem) = y.strip_prefix('ي') else {
        return vec![y.to_string()];
    };
    let mut out = Vec::new();
    for pre in ["ي", "ت", "ن", "ا"] {
        for suf in ["", "ون", "ان", "ن", "وا", "ين"] {
            out.push(format!("{pre}{stem}{suf}"));
        }
        if let Some(base) = stem.strip_suffix('ي').or_else(|| stem.strip_suffix('و')) {
            for suf in ["ون", "يان", "ين", "وا", "وان"] {
                out.push(format!("{pre}{base}{suf}"));
            }
            // Jussive after لم: يلتقِ، يدعُ.
            if base.chars().count() >= 2 {
                out.push(format!("{pre}{base}"));
            }
        }
    }
    out
}

fn parse_cond(s: &str) -> Cond {
    let s = s.trim();
    if s == "-" || s.is_empty() {
        return Cond::None;
    }
    if s == "visit" {
        return Cond::Visit;
    }
    if s == "consequence" {
        return Cond::Consequence;
    }
    let (kind, rest) = s.split_once(':').unwrap_or(("", s));
    let (words, n) = rest.split_once('@').unwrap_or((rest, "3"));
    let words: Vec<String> = words.split(',').map(norm).collect();
    let n = n.parse().unwrap_or(3);
    match kind {
        "next" => Cond::Next(words, n),
        "near" => Cond::Near(words, n),
        _ => Cond::None,
    }
}

fn load(text: &str) -> Lexicon {
    let mut rows = Vec::new();
    let mut single: HashMap<String, Vec<(usize, Form)>> = HashMap::new();
    let mut phrases = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 5 {
            continue;
        }
        let class = match cols[0] {
            "REPORT" => Class::Report,
            "LIGHT" => Class::Light,
            "STOP" => Class::Stop,
            _ => Class::Event,
        };
        let row = rows.len();
        rows.push(Row {
            class,
            plover: cols[0].to_string(),
            mode: (cols[1] != "-").then(|| cols[1].to_string()),
            cameo: cols[2].to_string(),
            cond: parse_cond(cols.get(5).copied().unwrap_or("-")),
        });
        let mut add = |w: String, f: Form| {
            let e = single.entry(w).or_default();
            if !e.contains(&(row, f)) {
                e.push((row, f));
            }
        };
        for item in cols[4].split_whitespace() {
            match cols[3] {
                "v" => {
                    let (p, y) = item.split_once(':').unwrap_or((item, ""));
                    for f in past_forms(&norm(p)) {
                        add(f, Form::Past);
                    }
                    if !y.is_empty() {
                        for f in present_forms(&norm(y)) {
                            add(f, Form::Present);
                        }
                    }
                }
                "pv" => add(norm(item), Form::Passive),
                "n" => add(norm(item), Form::Noun),
                "p" => {
                    let words: Vec<String> = item.split('_').map(norm).collect();
                    if words.len() == 1 {
                        add(words[0].clone(), Form::Noun);
                    } else {
                        phrases.push((words, row));
                    }
                }
                _ => {}
            }
        }
    }
    phrases.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
    let forms = single.len() + phrases.len();
    let mut phrase_index: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, (words, _)) in phrases.iter().enumerate() {
        phrase_index.entry(words[0].clone()).or_default().push(i);
    }
    Lexicon {
        rows,
        single,
        phrases,
        phrase_index,
        forms,
    }
}

pub(crate) static LEXICON: LazyLock<Lexicon> =
    LazyLock::new(|| load(include_str!("../../../../data/events/triggers.tsv")));

/// Proclitic runs with what they allow: (prefix, noun-only, future).
const PREFIXES: &[(&str, bool, bool)] = &[
    ("", false, false),
    ("و", false, false),
    ("ف", false, false),
    ("س", false, true),
    ("وس", false, true),
    ("فس", false, true),
    ("ل", false, false),
    ("ول", false, false),
    ("ال", true, false),
    ("وال", true, false),
    ("فال", true, false),
    ("بال", true, false),
    ("وبال", true, false),
    ("كال", true, false),
    ("لل", true, false),
    ("ولل", true, false),
    ("فلل", true, false),
    ("ب", true, false),
    ("وب", true, false),
    ("فب", true, false),
    ("ك", true, false),
];

const SUFFIXES: &[&str] = &["", "ه", "ها", "هم", "هما", "هن", "ي", "نا", "كم"];

/// A single-word lexicon hit on a token.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WordHit {
    pub row: usize,
    pub form: Form,
    pub future: bool,
    pub definite: bool,
    /// Prefixed by ل (purpose), not و/ف.
    pub lam: bool,
    pub enclitic: bool,
    pub waw: bool,
}

/// How many words (per generation, see [`WordCache`]) each thread remembers the lexicon's
/// answer for. The lexicon is fixed and the answers depend on the word alone, so this changes
/// only speed: news repeats its words, and each lookup tries every clitic split.
const MEMO_WORDS: usize = 8192;

thread_local! {
    static LOOKUPS: RefCell<WordCache<Option<WordHit>>> = RefCell::new(WordCache::new(MEMO_WORDS));
    static PHRASE_STARTS: RefCell<WordCache<Rc<[usize]>>> = RefCell::new(WordCache::new(MEMO_WORDS));
}

/// Looks a match-normalized word up, trying clitic splits from the least stripped.
pub(crate) fn lookup(word: &str) -> Option<WordHit> {
    LOOKUPS.with_borrow_mut(|c| c.get_or_derive(word, || lookup_from(word, 0)))
}

/// Like [`lookup`], considering only rows from `min_row` on (the fallback when a
/// conditioned row's condition fails).
pub(crate) fn lookup_from(word: &str, min_row: usize) -> Option<WordHit> {
    let lex = &*LEXICON;
    for &(pre, noun_only, future) in PREFIXES {
        let Some(rest) = word.strip_prefix(pre) else {
            continue;
        };
        for &suf in SUFFIXES {
            let Some(stem) = rest.strip_suffix(suf) else {
                continue;
            };
            if stem.chars().count() < 2 {
                continue;
            }
            let mut alt = None;
            if !suf.is_empty() {
                if let Some(b) = stem.strip_suffix('ت') {
                    alt = Some(format!("{b}ة"));
                } else if let Some(b) = stem.strip_suffix('ئ') {
                    alt = Some(format!("{b}ء"));
                }
            }
            for c in std::iter::once(stem).chain(alt.as_deref()) {
                let Some(entries) = lex.single.get(c) else {
                    continue;
                };
                for &(row, form) in entries {
                    if row < min_row {
                        continue;
                    }
                    if noun_only && form != Form::Noun {
                        continue;
                    }
                    if future && form != Form::Present {
                        continue;
                    }
                    // A verb with ل is لـ+subjunctive (purpose) only in the present.
                    if pre.ends_with('ل') && !pre.ends_with("ال") && form == Form::Past {
                        continue;
                    }
                    return Some(WordHit {
                        row,
                        form,
                        future,
                        definite: pre.contains("ال") || pre.ends_with("لل"),
                        lam: pre == "ل" || pre == "ول" || pre.ends_with("لل"),
                        enclitic: !suf.is_empty(),
                        waw: pre.starts_with('و') || pre.starts_with('ف'),
                    });
                }
            }
        }
    }
    None
}

/// Phrases (indexes, longest first) whose first word `word` may be.
pub(crate) fn phrases_starting(word: &str) -> Rc<[usize]> {
    PHRASE_STARTS
        .with_borrow_mut(|c| c.get_or_derive(word, || phrases_starting_uncached(word).into()))
}

fn phrases_starting_uncached(word: &str) -> Vec<usize> {
    let lex = &*LEXICON;
    let mut out: Vec<usize> = Vec::new();
    for &(pre, _, _) in PREFIXES {
        let Some(rest) = word.strip_prefix(pre) else {
            continue;
        };
        for suf in ["", "ت", "وا", "ا", "تا", "ن", "ه", "ها", "هم"] {
            if let Some(stem) = rest.strip_suffix(suf) {
                if let Some(v) = lex.phrase_index.get(stem) {
                    out.extend(v);
                }
            }
        }
        if rest.ends_with('ت') || rest.ends_with("وا") {
            let base = rest.trim_end_matches("وا").trim_end_matches('ت');
            if let Some(v) = lex.phrase_index.get(&format!("{base}ي")) {
                out.extend(v);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Does `word` (match-normalized) equal `base` up to proclitics, ال and verb suffixes?
pub(crate) fn loose_eq(word: &str, base: &str) -> bool {
    for &(pre, _, _) in PREFIXES {
        if let Some(rest) = word.strip_prefix(pre) {
            if rest == base {
                return true;
            }
            for suf in ["ت", "وا", "ا", "تا", "ن", "ه", "ها", "هم"] {
                if rest.strip_suffix(suf) == Some(base) {
                    return true;
                }
            }
            if let Some(b) = base.strip_suffix('ي') {
                if rest == format!("{b}ت") || rest == format!("{b}وا") {
                    return true;
                }
            }
        }
    }
    false
}
