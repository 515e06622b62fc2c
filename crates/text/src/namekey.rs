//! Name keys: spelling variants of one name collide, different names stay apart.
//!
//! Two levels, plus a blocking key:
//!
//! * [`name_key`]: the grouping key. Spelling noise is folded away: tashkeel, tatweel, hamza
//!   seats (أ إ آ ٱ → ا, ؤ → و, ئ → ي, ء dropped), ى → ي, ة → ه, a final ا read as ة
//!   (سارا = سارة), ق → ك (Kalın: قالين / كالين), ط → ت, ص → س, ذ → ز (انطوني / انتوني,
//!   ذكي / زكي), Persian/Urdu letters (پ ڤ چ گ ژ ھ ٹ ڈ ڑ → ب ف ج ك ز ه ت د ر), written double
//!   letters (داوود = داود); the spacing of compounds is normalized
//!   (عبد الحميد = عبدالحميد, أبو بكر = ابوبكر; بن / ابن / بنت / a lone ال glued to the next
//!   token, أوغلو / زاده glued to the previous one) and a leading article is dropped from each
//!   token (الدبيبة = دبيبة). Then long vowels (ا و ي) inside each token are dropped: a
//!   transliteration adds and drops them freely (قالن, باراك / براك, كرمانلي / كيرامانلي,
//!   أردوغان / أردغان) — **except** where a long vowel makes a different Arabic name: a token
//!   keeps its vowels when its skeleton is shared by listed Arabic names
//!   (`data/lexicon/arabic_names.tsv`, 5k names of people from Arab countries with their usual
//!   Latin spelling) with *different* Latin spellings (حسن hassan / حسين hussein, سعد saad /
//!   سعيد saeed, مجد majd / ماجد majed). This is data-driven, no pattern list, and depends on
//!   the skeleton only, so all spellings of one token get the same treatment.
//!   In a multi-token name with a foreign-looking token (unlisted, no article, no feminine
//!   ending, none of ع ح ض ظ ص خ ذ ث), every token but عبد / أبو compounds is treated as
//!   transliterated (`توم براك` = `توم باراك`, though the Arab name براك alone keeps its
//!   vowel). Skeletons shorter than 3 letters keep their vowels (الان, ايوان, ان differ).
//! * [`name_similarity`]: for candidates whose keys differ. A weighted edit distance per token
//!   (inner long-vowel insertions cost 0.3 between transliterated tokens and 1 otherwise;
//!   substitutions within ك/ق/ج/غ, ت/ط, س/ص/ث, د/ض, ز/ذ/ظ, ه/ح cost 0.5); two different
//!   listed, vowel-keeping Arabic names score 0.3 outright. Tokens are aligned in order, unmatched
//!   tokens count 0, and the sum is divided by the larger token count. [`SAME_NAME_THRESHOLD`]
//!   (0.8) proposes a candidate; context decides.
//! * [`name_skeleton`]: looser still (all vowels dropped, consonant classes folded), for
//!   blocking: names worth a similarity check share it.
//!
//! Not to be confused with `rased_kb::alias_key`, the exact (search-normalized) key the KB
//! and its gazetteer match in running text: a name key is lossy and cannot be found in text.
//!
//! Decisions: `توماس باراك` / `توم باراك` get different keys (`تمس برك` / `تم برك`): Tom and
//! Thomas are different strings and a wrong merge is worse than a missed one; their
//! similarity is 0.87, so they are candidates. `عمر` / `عمرو` stay apart (similarity 0.75):
//! Amr is a distinct name; a final و is never dropped.
//!
//! # Measured
//!
//! On `romanizer_arabic_variants_by_latin.tsv` (Arabic spellings grouped by Latin key; spellings
//! seen ≥ 2 times and ≥ 10% of the group's top spelling; 1,487 within-group pairs, 200,000
//! sampled cross-group pairs; `tests/namekey.rs`, test `measure_on_shared_data`):
//!
//! | | variant pairs (recall) | random cross-group pairs (false merges) | same-skeleton cross-group pairs (merges) |
//! |---|---|---|---|
//! | `name_key` equal | 0.429 | 0.0000 | 0.078 (694 pairs) |
//! | `name_similarity` ≥ 0.8 | 0.568 | 0.0003 | 0.174 |
//!
//! On the 200-group fixture (`tests/fixtures/name_variants.tsv`): key recall 0.397, similarity
//! recall 0.557, false merges 0.0001 / 0.0003, same-skeleton merges 0.048 / 0.048 (42 pairs).
//!
//! The within-group "recall" is a floor: the groups mix spelling variants with distinct Arabic
//! names that share a Latin form (hamid: حميد / حامد, alam: عالم / علم, omar: عمر / عمار), which
//! the key keeps apart on purpose.

use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::normalize::{normalize_str, Level};

static ARABIC_NAMES_TSV: &str = include_str!("../../../data/lexicon/arabic_names.tsv");

/// The listed Arabic names, as folded letters ([`fold_letters`]).
static LISTED: LazyLock<FxHashSet<Vec<char>>> = LazyLock::new(|| {
    ARABIC_NAMES_TSV
        .lines()
        .filter_map(|l| l.split_once('\t').map(|(a, _)| fold_letters(a)))
        .collect()
});

/// Skeletons shared by two or more Arabic names with different Latin forms (حسن hassan /
/// حسين hussein → حسن): tokens with such a skeleton keep their long vowels.
static AMBIGUOUS: LazyLock<FxHashSet<String>> = LazyLock::new(|| {
    let mut latins: FxHashMap<String, FxHashSet<String>> = FxHashMap::default();
    for line in ARABIC_NAMES_TSV.lines() {
        let Some((ar, latin)) = line.split_once('\t') else {
            continue;
        };
        let letters = fold_letters(strip_article(ar));
        latins
            .entry(skeleton(&letters))
            .or_default()
            .insert(latin_form(latin));
    }
    latins
        .into_iter()
        .filter(|(_, l)| l.len() >= 2)
        .map(|(s, _)| s)
        .collect()
});

/// Latin spelling without an article prefix (al-, el-, at-…) and with doubled letters collapsed
/// (al-hassan = hasan).
fn latin_form(latin: &str) -> String {
    let latin = match latin.split_once('-') {
        Some((art, rest)) if art.len() <= 3 && !rest.is_empty() => rest,
        _ => latin,
    };
    let mut out = String::with_capacity(latin.len());
    for c in latin.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// Similarity at or above which two names are proposed as the same (context decides).
pub const SAME_NAME_THRESHOLD: f32 = 0.8;

/// One token of a name after folding and gluing.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    /// Compound head kept as is (عبدال, عبد, ابو, ابن, بن, بنت), folded.
    head: String,
    /// Folded letters of the name part, article dropped.
    letters: Vec<char>,
    /// Its skeleton is shared by distinct listed Arabic names: keeps its long vowels (unless the
    /// whole name looks foreign).
    strict: bool,
    /// Not listed and free of letters foreign names hardly use.
    foreign: bool,
    /// A listed Arabic name.
    listed: bool,
}

/// Letters that transliterations of foreign names hardly use (ق and ط are left out: they
/// alternate with ك and ت in the same foreign name).
const ARABIC_LETTERS: [char; 8] = ['ع', 'ح', 'ض', 'ظ', 'ص', 'خ', 'ذ', 'ث'];

/// Words that glue to the following token.
const GLUE_NEXT: &[&str] = &["عبد", "ابو", "ابن", "بن", "بنت", "ال", "بو"];
/// Words that glue to the previous token.
const GLUE_PREV: &[&str] = &["اوغلو", "اغلو", "وغلو", "زاده"];

fn fold_char(c: char) -> Option<char> {
    Some(match c {
        'ة' | 'ھ' | 'ہ' | 'ۀ' => 'ه',
        'ں' => 'ن',
        'ے' => 'ي',
        'ٹ' => 'ت',
        'ڈ' => 'د',
        'ڑ' => 'ر',
        // Letters that alternate in transliterations (انطوني / انتوني, واطسون / واتسون,
        // ذكي / زكي) and never alone tell two Arabic names apart.
        'ط' => 'ت',
        'ص' => 'س',
        'ذ' => 'ز',
        'ق' => 'ك',
        'ؤ' => 'و',
        'ئ' => 'ي',
        'ء' => return None,
        'پ' => 'ب',
        'ڤ' | 'ڥ' => 'ف',
        'چ' => 'ج',
        'گ' | 'ڭ' => 'ك',
        'ژ' => 'ز',
        _ => c,
    })
}

/// Folds the letters of a name part: [`fold_char`], written double letters collapsed (داوود =
/// داود), and a final ا read as the feminine ending (سارا = سارة, رانيا = رانية).
fn fold_letters(part: &str) -> Vec<char> {
    let mut letters: Vec<char> = Vec::with_capacity(part.len() / 2);
    for c in part.chars().filter_map(fold_char) {
        if letters.last() != Some(&c) {
            letters.push(c);
        }
    }
    if letters.len() >= 3 && letters.last() == Some(&'ا') {
        *letters.last_mut().expect("non-empty") = 'ه';
    }
    letters
}

/// Drops a leading article when at least three letters remain (الان is Alan, not ال + ان).
fn strip_article(t: &str) -> &str {
    match t.strip_prefix("ال") {
        Some(rest) if rest.chars().count() >= 3 => rest,
        _ => t,
    }
}

/// Splits, glues and folds a name into tokens.
fn tokens(name: &str) -> Vec<Token> {
    let norm = normalize_str(name, Level::Match);
    let raw: Vec<&str> = norm
        .split(|c: char| !c.is_alphabetic())
        .filter(|t| !t.is_empty())
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        // A compound head written apart (عبد الحميد, أبو بكر, بن سلمان) or together.
        let mut head = String::new();
        while GLUE_NEXT.contains(&raw[i]) && i + 1 < raw.len() {
            if raw[i] != "ال" {
                head.push_str(raw[i]);
            } else if head == "عبد" {
                head.push_str("ال");
            }
            i += 1;
        }
        let mut t = raw[i].to_string();
        i += 1;
        // … and the theophoric الله (عطا الله = عطاالله), which is no name on its own.
        while i < raw.len() && (GLUE_PREV.contains(&raw[i]) || raw[i] == "الله") {
            t.push_str(raw[i]);
            i += 1;
        }
        let mut body = t.as_str();
        if head.is_empty() {
            for h in ["عبدال", "عبد", "ابو"] {
                if let Some(rest) = body.strip_prefix(h) {
                    if rest.chars().count() >= 2 {
                        head = h.to_string();
                        body = rest;
                        break;
                    }
                }
            }
        }
        if head == "عبد" {
            // عبدالحميد and عبد حميد are both written; the article belongs to the head.
            if let Some(rest) = body.strip_prefix("ال") {
                head.push_str("ال");
                body = rest;
            }
        }
        let letters = fold_letters(strip_article(body));
        if letters.is_empty() && head.is_empty() {
            continue;
        }
        let listed = LISTED.contains(&letters) || LISTED.contains(&fold_letters(body));
        let strict = AMBIGUOUS.contains(&skeleton(&letters));
        // Foreign-looking: unlisted, no compound head, no article, no feminine ending, none of
        // the letters transliterations hardly use (توم, دونالد; not الدبيبة).
        let foreign = !listed
            && head.is_empty()
            && !t.starts_with("ال")
            && !body.ends_with(['ة', 'ه'])
            && !body.contains(ARABIC_LETTERS);
        out.push(Token {
            head: head.chars().filter_map(fold_char).collect(),
            letters,
            strict,
            foreign,
            listed,
        });
    }
    // In a name with a foreign-looking token (توم براك), Arabic-looking tokens are
    // transliterations too.
    if out.len() >= 2 && out.iter().any(|t| t.foreign) {
        for t in out.iter_mut().filter(|t| t.head.is_empty()) {
            t.strict = false;
        }
    }
    out
}

fn is_long_vowel(c: char) -> bool {
    matches!(c, 'ا' | 'و' | 'ي')
}

/// Letters with inner long vowels dropped and written double letters collapsed (تمام keeps
/// its two م: only letters adjacent in the spelling collapse).
fn skeleton(letters: &[char]) -> String {
    let n = letters.len();
    let mut out = String::with_capacity(2 * n);
    for (i, &c) in letters.iter().enumerate() {
        if i > 0 && i + 1 < n && is_long_vowel(c) {
            continue;
        }
        if i > 0 && letters[i - 1] == c {
            continue;
        }
        out.push(c);
    }
    out
}

/// Key letters of one token.
fn token_key(t: &Token) -> String {
    let mut out = t.head.clone();
    let sk = skeleton(&t.letters);
    // Short skeletons say too little (ان would be Alan, Ivan, Ian): keep the vowels there.
    if t.strict || sk.chars().count() < 3 {
        out.extend(t.letters.iter());
    } else {
        out.push_str(&sk);
    }
    out
}

/// The key under which spelling variants of one name collide: space-separated token keys.
pub fn name_key(name: &str) -> String {
    name_key_tokens(name).join(" ")
}

/// The key of each token of `name` (after gluing compounds).
pub fn name_key_tokens(name: &str) -> Vec<String> {
    tokens(name).iter().map(token_key).collect()
}

/// A looser blocking key for candidate search: every token reduced to its skeleton (inner long
/// vowels dropped) with consonants folded to classes (ك/ج/غ, ت/ط, س/ص/ث, د/ض, ز/ذ/ظ, ه/ح).
/// Names with equal skeletons are worth a [`name_similarity`] check.
pub fn name_skeleton(name: &str) -> String {
    tokens(name)
        .into_iter()
        .map(|t| {
            let letters: Vec<char> = t.head.chars().chain(t.letters).map(class).collect();
            skeleton(&letters)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Consonant class for cheap substitutions.
fn class(c: char) -> char {
    match c {
        'ك' | 'ج' | 'غ' => 'ك',
        'ط' => 'ت',
        'ص' | 'ث' => 'س',
        'ض' => 'د',
        'ذ' | 'ظ' => 'ز',
        'ح' => 'ه',
        _ => c,
    }
}

/// Weighted edit distance between two tokens.
fn token_distance(a: &Token, b: &Token) -> f32 {
    let foreign = !a.strict && !b.strict;
    let indel = |s: &[char], i: usize| -> f32 {
        let c = s[i];
        let inner = i > 0 && i + 1 < s.len();
        if is_long_vowel(c) && inner {
            if foreign {
                0.3
            } else {
                1.0
            }
        } else {
            1.0
        }
    };
    let sub = |x: char, y: char| -> f32 {
        if x == y {
            0.0
        } else if class(x) == class(y) {
            0.5
        } else {
            1.0
        }
    };
    let x: Vec<char> = a.head.chars().chain(a.letters.iter().copied()).collect();
    let y: Vec<char> = b.head.chars().chain(b.letters.iter().copied()).collect();
    let (x, y) = (&x, &y);
    let mut prev: Vec<f32> = Vec::with_capacity(y.len() + 1);
    prev.push(0.0);
    for j in 0..y.len() {
        let v = prev[j] + indel(y, j);
        prev.push(v);
    }
    let mut cur = vec![0.0; y.len() + 1];
    for i in 0..x.len() {
        cur[0] = prev[0] + indel(x, i);
        for j in 0..y.len() {
            let d = prev[j] + sub(x[i], y[j]);
            let del = prev[j + 1] + indel(x, i);
            let ins = cur[j] + indel(y, j);
            cur[j + 1] = d.min(del).min(ins);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[y.len()]
}

/// Similarity of two tokens whose keys differ.
fn token_similarity(a: &Token, b: &Token) -> f32 {
    if a.strict && b.strict && a.listed && b.listed && a.head == b.head {
        // Two distinct Arabic names (حسن / حسين).
        return 0.3;
    }
    let len = (a.head.chars().count() + a.letters.len())
        .max(b.head.chars().count() + b.letters.len()) as f32;
    (1.0 - token_distance(a, b) / len).max(0.0)
}

/// Similarity of two names in [0, 1]: 1 for equal keys; otherwise tokens are aligned in order
/// (a token may be skipped) and the sum of token similarities is divided by the larger token
/// count.
pub fn name_similarity(a: &str, b: &str) -> f32 {
    let (ta, tb) = (tokens(a), tokens(b));
    if ta.is_empty() || tb.is_empty() {
        return 0.0;
    }
    let ka: Vec<String> = ta.iter().map(token_key).collect();
    let kb: Vec<String> = tb.iter().map(token_key).collect();
    if ka == kb {
        return 1.0;
    }
    // Order-preserving alignment maximizing the summed token similarity.
    let (n, m) = (ta.len(), tb.len());
    let mut best = vec![vec![0.0f32; m + 1]; n + 1];
    for i in 1..=n {
        for j in 1..=m {
            let s = if ka[i - 1] == kb[j - 1] {
                1.0
            } else {
                token_similarity(&ta[i - 1], &tb[j - 1])
            };
            best[i][j] = (best[i - 1][j - 1] + s)
                .max(best[i - 1][j])
                .max(best[i][j - 1]);
        }
    }
    (best[n][m] / n.max(m) as f32).clamp(0.0, 1.0)
}

/// Indices and similarities of the `candidates` that may be the same name as `name`
/// (similarity ≥ [`SAME_NAME_THRESHOLD`]), best first.
pub fn same_name_candidates<S: AsRef<str>>(name: &str, candidates: &[S]) -> Vec<(usize, f32)> {
    let mut out: Vec<(usize, f32)> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| (i, name_similarity(name, c.as_ref())))
        .filter(|&(_, s)| s >= SAME_NAME_THRESHOLD)
        .collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}
