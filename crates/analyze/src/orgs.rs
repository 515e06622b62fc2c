//! Organisation names as structures: a head noun (وزارة، هيئة، اتحاد، لجنة … in
//! `data/ner/org_heads.txt`) with its complement is one ORG — `وزارة الصحة السعودية`,
//! `الاتحاد التونسي لكرة القدم`, `هيئة المراقبة والأخلاقيات والانضباط`, `بلدية أريانة` — and
//! the place or country adjective inside it is no mention of its own (the gold guide,
//! `data/ner/gold/ANNOTATION.md` §3.1).
//!
//! The tagger finds short and frequent organisation names; long official names it cuts or
//! misses (`الهيئة العليا المستقلة` for `… للانتخابات`, `التونسي` as a place in a federation's
//! name). This stage reads the head and its complement off the tokens and replaces the
//! tagger's spans inside it:
//!
//! * an indefinite head (وزارة) takes a definite noun (الصحة), an idafa chain (مجلس نواب
//!   الشعب), or a place the tagger found (بلدية أريانة); a definite head (الاتحاد) takes a
//!   definite adjective (الأوروبي) — a bare definite head is an anaphor, not a name;
//! * the complement goes on over definite words, `لل`/`ل` phrases (للانتخابات، لكرة القدم)
//!   and coordinated definite nouns (والثقافة), and stops at a particle, a verb, a number, a
//!   title, a time word, a person's name or the sentence's end, after at most
//!   [`MAX_TOKENS`] tokens;
//! * a head followed directly by a proper name (حركة حماس، شركة غوغل) is left as the tagger
//!   has it (the guide keeps such heads outside), and so are the descriptions in
//!   `data/ner/org_generic.txt` (قوات الأمن، مركز المدينة).
//!
//! A span the tagger already extends beyond the structure on either side is kept as it is.

use std::sync::LazyLock;

use rased_kb::resolve::Candidate;
use rased_text::doc::{Cues, Document, Token};
use rased_text::tokenize::TokenKind;
use rustc_hash::FxHashSet;

/// The longest organisation structure, in tokens.
pub const MAX_TOKENS: usize = 10;

fn word_list(text: &'static str) -> FxHashSet<&'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

static HEADS: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| word_list(include_str!("../../../data/ner/org_heads.txt")));

static GENERIC: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| word_list(include_str!("../../../data/ner/org_generic.txt")));

/// Definite words that end a complement: relative pronouns, time words, demonstratives.
const STOP: &[&str] = &[
    "الذي",
    "التي",
    "الذين",
    "اللذين",
    "اللتين",
    "اللواتي",
    "اللاتي",
    "اليوم",
    "الان",
    "الاحد",
    "الاثنين",
    "الثلاثاء",
    "الاربعاء",
    "الخميس",
    "الجمعة",
    "السبت",
    "الماضي",
    "الماضية",
    "المقبل",
    "المقبلة",
    "الحالي",
    "الحالية",
    "الجاري",
    "الجارية",
    "الاول",
    "الاخير",
    "الاخيرة",
    "الثاني",
    "الثانية",
    "السابق",
    "السابقة",
    "الجديد",
    "الجديدة",
    "هذا",
    "هذه",
    "ذلك",
    "تلك",
];

/// Definite adjectives of organisation names that do not end like a nisba.
const ADJECTIVES: &[&str] = &[
    "العليا",
    "الاعلي",
    "العامة",
    "العام",
    "المستقلة",
    "المستقل",
    "الكبري",
    "المتحدة",
    "الموحدة",
    "الحر",
    "الحرة",
    "الخاصة",
    "الخاص",
    "المشتركة",
    "الدائمة",
    "المؤقتة",
    "الموقتة",
    "الاحرار",
    "الشعبية",
    "الديمقراطي",
    "الديمقراطية",
    "المركزي",
    "المركزية",
    "الوطني",
    "الوطنية",
];

/// Proclitic strings a head may carry, longest first, and whether they hold the article.
const HEAD_PREFIXES: &[(&str, bool)] = &[
    ("وبال", true),
    ("وال", true),
    ("فال", true),
    ("بال", true),
    ("كال", true),
    ("ولل", true),
    ("لل", true),
    ("ال", true),
    ("وب", false),
    ("ول", false),
    ("و", false),
    ("ف", false),
    ("ب", false),
    ("ل", false),
    ("", false),
];

/// The head noun a word is, with whether it carries the article.
fn head_of(norm: &str) -> Option<(&str, bool)> {
    split_head(norm, |w| HEADS.contains(w))
}

/// `norm` without the proclitics a head noun may carry, where the rest `is_head`, with whether
/// those proclitics hold the article (`وللجنة` → `لجنة`, true).
pub(crate) fn split_head(norm: &str, is_head: impl Fn(&str) -> bool) -> Option<(&str, bool)> {
    HEAD_PREFIXES.iter().find_map(|&(p, definite)| {
        let rest = norm.strip_prefix(p)?;
        is_head(rest).then_some((rest, definite))
    })
}

/// For each token, the index of the candidate covering it (`tagged` sorted and disjoint).
pub(crate) fn token_cover(tokens: &[Token], tagged: &[Candidate]) -> Vec<Option<usize>> {
    let mut cover: Vec<Option<usize>> = vec![None; tokens.len()];
    for (ci, c) in tagged.iter().enumerate() {
        let mut i = tokens.partition_point(|t| t.end <= c.start);
        while i < tokens.len() && tokens[i].start < c.end {
            cover[i] = Some(ci);
            i += 1;
        }
    }
    cover
}

/// The word without its conjunction: `والثقافة` → (`الثقافة`, true).
fn without_conjunction(norm: &str) -> (&str, bool) {
    match norm.strip_prefix('و') {
        Some(rest) if rest.starts_with("ال") || rest.starts_with("لل") => (rest, true),
        _ => (norm, false),
    }
}

fn definite(norm: &str) -> bool {
    norm.starts_with("ال") && norm.chars().count() > 3
}

fn lam_phrase(norm: &str) -> bool {
    norm.starts_with("لل") && norm.chars().count() > 4
}

/// What the complement may do with the token at `i`.
#[derive(PartialEq)]
enum Step {
    /// Part of the name.
    Take,
    /// Part of the name if a definite word follows (an idafa link: نواب in مجلس نواب الشعب,
    /// لكرة in لكرة القدم).
    Link,
    Stop,
}

struct Ctx<'d, 'a> {
    doc: &'d Document<'a>,
    tokens: &'d [Token],
    /// Per token: the tagger's type of the span covering it, if any.
    tagged: Vec<Option<&'d str>>,
}

impl Ctx<'_, '_> {
    fn norm(&self, i: usize) -> &str {
        self.doc.norm(&self.tokens[i])
    }

    fn step(&self, i: usize) -> Step {
        let t = &self.tokens[i];
        if t.kind != TokenKind::Arabic || self.tagged[i] == Some("PER") {
            return Step::Stop;
        }
        let (word, conj) = without_conjunction(self.norm(i));
        if STOP.contains(&word) || rased_kb::resolve::is_title(word) {
            return Step::Stop;
        }
        if definite(word) || lam_phrase(word) {
            return Step::Take;
        }
        // A place the tagger found (أريانة) reads like a verb to the cues.
        if self.tagged[i] == Some("LOC") {
            return Step::Link;
        }
        let cues = self.doc.cues(t);
        if conj || cues.has(Cues::VERB_PREFIX) || cues.has(Cues::DIGIT) {
            return Step::Stop;
        }
        // ل + an indefinite noun: لكرة (القدم), لحقوق (الإنسان).
        if word.starts_with('ل') && word.chars().count() > 3 {
            return Step::Link;
        }
        // Other prepositions (بمتابعة، كأداة) end the name.
        if word.starts_with(['ب', 'ك', 'ف']) || crate::keyphrase::is_stopword(word) {
            return Step::Stop;
        }
        if word.chars().count() > 2 {
            return Step::Link;
        }
        Step::Stop
    }

    /// The end (exclusive) of the complement after a head at `h`, or `None` for no name.
    fn complement_end(&self, h: usize, head_definite: bool) -> Option<usize> {
        let sentence = self.tokens[h].sentence;
        let limit = (h + MAX_TOKENS).min(self.tokens.len());
        let same = |i: usize| i < limit && self.tokens[i].sentence == sentence;
        let first = h + 1;
        if !same(first) {
            return None;
        }
        // A proper name right after the head stays the tagger's (حركة حماس), unless it is a
        // place the name is built on (بلدية أريانة) or a country adjective (الاتحاد التونسي).
        if let Some(kind) = self.tagged[first] {
            let adjective =
                self.doc.cues(&self.tokens[first]).has(Cues::NISBA) && definite(self.norm(first));
            if !(kind == "LOC" && (adjective || !head_definite)) {
                return None;
            }
        }
        let mut end = first;
        let mut i = first;
        // After a definite word, another one without a conjunction or ل continues the name
        // only as an adjective (الهيئة العليا المستقلة، وزارة الصحة السعودية): a definite
        // noun there is the verb's object (أحالت الهيئة الملف).
        let mut after_definite = false;
        while same(i) {
            let step = self.step(i);
            if step == Step::Take && after_definite && !self.adjective_or_linked(i) {
                break;
            }
            // A definite head takes an adjective first (الهيئة العليا), never a noun.
            if i == first && head_definite && !self.adjective_or_linked(i) {
                return None;
            }
            // After a definite word only ل links on (للانتخابات، لكرة القدم): an indefinite
            // word there starts the clause (مجلس الوزراء كلف …).
            if step == Step::Link && after_definite && !self.norm(i).starts_with('ل') {
                break;
            }
            match step {
                Step::Take => {
                    after_definite = true;
                    i += 1;
                    end = i;
                }
                // A place after an indefinite head: بلدية أريانة، جامعة القاهرة.
                Step::Link if i == first && !head_definite && self.tagged[i] == Some("LOC") => {
                    i += 1;
                    end = i;
                }
                Step::Link if same(i + 1) && self.step(i + 1) == Step::Take => {
                    after_definite = false;
                    i += 1;
                }
                _ => break,
            }
        }
        // A definite head with one adjective is as often a description or an anaphor
        // (الوكالة الإيرانية، الجهاز الطبي) as a name (الاتحاد الأوروبي, which the tagger
        // and the KB know): it needs two complement words.
        let needed = if head_definite { 2 } else { 1 };
        (end >= first + needed).then_some(end)
    }

    /// Can the definite word at `i` follow another definite word inside a name: an
    /// adjective, or a word joined by و or ل (والثقافة، للانتخابات)?
    fn adjective_or_linked(&self, i: usize) -> bool {
        let norm = self.norm(i);
        norm.starts_with('و')
            || lam_phrase(norm)
            || self.doc.cues(&self.tokens[i]).has(Cues::NISBA)
            || ADJECTIVES.contains(&norm)
    }

    /// Is the phrase `h..end` (without the head's proclitics) a description, not a name?
    fn generic(&self, h: usize, end: usize) -> bool {
        let Some((head, definite)) = head_of(self.norm(h)) else {
            return true;
        };
        let head = if definite {
            format!("ال{head}")
        } else {
            head.to_string()
        };
        let mut phrase = head;
        for i in h + 1..end {
            phrase.push(' ');
            phrase.push_str(self.norm(i));
            if GENERIC.contains(phrase.as_str()) {
                // Only a country adjective may follow a description (قوات الأمن التركية).
                return (i + 1..end).all(|j| self.doc.cues(&self.tokens[j]).has(Cues::NISBA));
            }
        }
        false
    }
}

/// Replaces the tagger's spans inside organisation structures of `doc` by one ORG each.
/// `tagged` is sorted and disjoint (the tagger's output); so is the result.
pub fn add_structures(doc: &Document<'_>, tagged: Vec<Candidate>) -> Vec<Candidate> {
    let tokens = doc.tokens();
    if tokens.is_empty() {
        return tagged;
    }
    let cover = token_cover(tokens, &tagged);
    let ctx = Ctx {
        doc,
        tokens,
        tagged: cover
            .iter()
            .map(|c| c.map(|ci| tagged[ci].kind.as_str()))
            .collect(),
    };
    let mut structures: Vec<(usize, usize)> = Vec::new();
    let mut h = 0;
    while h < tokens.len() {
        let found = (tokens[h].kind == TokenKind::Arabic)
            .then(|| head_of(ctx.norm(h)))
            .flatten()
            .and_then(|(_, definite)| ctx.complement_end(h, definite))
            .filter(|&end| !ctx.generic(h, end));
        let Some(end) = found else {
            h += 1;
            continue;
        };
        // A tagger span reaching out of the structure on either side stands.
        let crosses = |i: usize| {
            cover[i].is_some_and(|ci| {
                let c = &tagged[ci];
                c.start < tokens[h].start || c.end > tokens[end - 1].end
            })
        };
        if !(h..end).any(crosses) {
            structures.push((h, end));
        }
        h = end;
    }
    if structures.is_empty() {
        return tagged;
    }
    merge(tokens, tagged, &structures)
}

/// The tagger's spans outside `structures`, and one ORG per structure, in text order.
fn merge(
    tokens: &[Token],
    tagged: Vec<Candidate>,
    structures: &[(usize, usize)],
) -> Vec<Candidate> {
    let spans: Vec<(usize, usize)> = structures
        .iter()
        .map(|&(s, e)| (tokens[s].start, tokens[e - 1].end))
        .collect();
    let inside = |c: &Candidate| {
        let i = spans.partition_point(|&(_, e)| e <= c.start);
        spans
            .get(i)
            .is_some_and(|&(s, e)| s <= c.start && c.end <= e)
    };
    let mut out: Vec<Candidate> = tagged.into_iter().filter(|c| !inside(c)).collect();
    out.extend(spans.iter().map(|&(start, end)| Candidate {
        start,
        end,
        kind: "ORG".to_string(),
        confidence: 1.0,
    }));
    out.sort_by_key(|c| c.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn structures_of(text: &str, tagged: &[(&str, &str)]) -> Vec<(String, String)> {
        crate::test_support::spans_after(text, tagged, add_structures)
    }

    fn org(s: &str) -> (String, String) {
        (s.to_string(), "ORG".to_string())
    }

    #[test]
    fn head_with_common_noun_complement_is_one_org() {
        assert_eq!(
            structures_of("أعلنت وزارة الصحة السعودية أمس عن حالات جديدة.", &[]),
            vec![org("وزارة الصحة السعودية")]
        );
        assert_eq!(
            structures_of(
                "قرر الاتحاد التونسي لكرة القدم تأجيل المباراة.",
                &[("التونسي", "LOC")]
            ),
            vec![org("الاتحاد التونسي لكرة القدم")]
        );
        assert_eq!(
            structures_of(
                "أحالت هيئة المراقبة والأخلاقيات والانضباط الملف إلى لجنة الاستئناف.",
                &[]
            ),
            vec![
                org("هيئة المراقبة والأخلاقيات والانضباط"),
                org("لجنة الاستئناف")
            ]
        );
    }

    #[test]
    fn the_place_inside_is_no_mention_of_its_own() {
        assert_eq!(
            structures_of("وقالت بلدية أريانة إن الأشغال انتهت.", &[("أريانة", "LOC")]),
            vec![org("بلدية أريانة")]
        );
    }

    #[test]
    fn heads_before_proper_names_anaphors_and_descriptions_are_left_alone() {
        let hamas = [("حماس", "ORG")];
        assert_eq!(
            structures_of("قالت حركة حماس في بيان.", &hamas),
            vec![org("حماس")]
        );
        assert!(structures_of("وقالت اللجنة في بيانها إنها ستجتمع.", &[]).is_empty());
        assert!(structures_of("انتشرت قوات الأمن في الشوارع.", &[]).is_empty());
        assert!(
            structures_of("زار مكتب حفتر في بنغازي.", &[("حفتر", "PER")])
                .iter()
                .all(|(_, k)| k == "PER")
        );
    }

    #[test]
    fn a_longer_tagger_span_stands() {
        let text = "قال مجلس الأمن الدولي في بيان.";
        assert_eq!(
            structures_of(text, &[("قال مجلس الأمن الدولي", "ORG")]),
            vec![org("قال مجلس الأمن الدولي")]
        );
    }
}
