//! Keyphrases: what an aggregator's كلمات دلالية line holds — the article's entity names and
//! its topical noun phrases (الهجرة غير الشرعية، العلاقات التركية الليبية), ranked.
//!
//! Candidates are word n-grams (1–4) inside runs free of punctuation and stopwords, shaped
//! like Arabic noun phrases: a definite noun with agreeing definite adjectives (العلاقات
//! التركية الليبية), an idafa (شرق ليبيا، قوات سوريا الديمقراطية), or a noun + غير +
//! adjective (الهجرة غير الشرعية). Single words qualify only when definite or an entity name.
//! Score = occurrences × mean IDF of the words (document frequencies from the ANT corpus,
//! `data/keyphrase/df.tsv`) × a length bonus, plus bonuses for the title and for entity names.
//! Phrases contained in a better one are dropped.

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::Path;
use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet};

use rased_text::clitics::{proclitic_runs, ProcliticRun};
use rased_text::normalize::{normalize_str, Level};
use rased_text::tokenize::{TokenKind, Tokens};
use rased_text::Document;

const STOPWORDS_TXT: &str = include_str!("../../../data/keyphrase/stopwords.txt");
const DF_TSV: &str = include_str!("../../../data/keyphrase/df.tsv");

static STOPWORDS: LazyLock<FxHashSet<String>> = LazyLock::new(|| {
    STOPWORDS_TXT
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(key)
        .collect()
});

/// Is `word` one of the function words and boilerplate words of `data/keyphrase/stopwords.txt`?
pub(crate) fn is_stopword(word: &str) -> bool {
    STOPWORDS.contains(&key(word))
}

/// Document frequencies: (number of documents, word → df).
static DF: LazyLock<(f32, FxHashMap<String, u32>)> = LazyLock::new(|| {
    let mut lines = DF_TSV.lines();
    let docs = lines
        .next()
        .and_then(|h| h.split('\t').nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1.0f32);
    let map = lines
        .filter_map(|l| {
            let (w, n) = l.split_once('\t')?;
            Some((w.to_string(), n.parse().ok()?))
        })
        .collect();
    (docs, map)
});

/// The form words are compared in: match-normalized.
fn key(word: &str) -> String {
    normalize_str(word, Level::Match)
}

fn idf(word_key: &str) -> f32 {
    let (docs, df) = &*DF;
    let n = df.get(word_key).copied().unwrap_or(0) as f32;
    ((docs + 1.0) / (n + 1.0)).ln()
}

/// A word of the text with its display form (proclitics before ال removed).
#[derive(Debug, Clone)]
struct Word {
    display: String,
    key: String,
    definite: bool,
    stop: bool,
    /// It came with a conjunction or preposition (و ف ب ل ك) that was cut off: it starts a
    /// new phrase, so it can head one but not continue one (الأمن والاستقرار is two phrases,
    /// رئيسا للأركان too).
    conjunct: bool,
    /// The word's IDF (of its key), looked up when a phrase needs it.
    idf: OnceCell<f32>,
    /// A title or role noun (الرئيس، اللواء), looked up when a phrase needs it.
    title_word: OnceCell<bool>,
    /// The article's title has this word.
    in_title: bool,
}

impl Word {
    fn idf(&self) -> f32 {
        *self.idf.get_or_init(|| idf(&self.key))
    }

    fn is_title_word(&self) -> bool {
        *self
            .title_word
            .get_or_init(|| rased_kb::resolve::is_title(&self.key))
    }
}

/// Ranked keyphrases of an article. `entity_names` are the names of its resolved entities
/// (they compete as candidates with a bonus). Returns at most `limit` phrases.
pub fn keyphrases(title: &str, body: &str, entity_names: &[String], limit: usize) -> Vec<String> {
    let (title, body) = (Document::new(title, None), Document::new(body, None));
    keyphrases_doc(&title, &body, entity_names, limit)
}

/// How often each name occurs in `text`, counted like `text.matches(name).count()`
/// (non-overlapping, leftmost first), for all names in one pass of an Aho-Corasick automaton:
/// counting name by name was quadratic in an article with thousands of entities.
fn occurrence_counts(text: &str, names: &[String]) -> Vec<usize> {
    let mut ids: FxHashMap<&str, usize> = FxHashMap::default();
    let mut patterns: Vec<&str> = Vec::new();
    let slot: Vec<Option<usize>> = names
        .iter()
        .map(|n| {
            if n.is_empty() {
                return None;
            }
            Some(*ids.entry(n.as_str()).or_insert_with(|| {
                patterns.push(n.as_str());
                patterns.len() - 1
            }))
        })
        .collect();
    let mut counts = vec![0usize; patterns.len()];
    if !patterns.is_empty() {
        // A non-contiguous NFA: built once per article and run once, where the default's DFA
        // costs more to build than the search saves.
        let automaton = aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::NoncontiguousNFA))
            .build(&patterns)
            .expect("names fit an automaton");
        let mut last_end = vec![0usize; patterns.len()];
        // Matches come by end offset; for one pattern that is by start too, so keeping those
        // that start at or after the previous kept one's end is `str::matches`' greedy count.
        for m in automaton.find_overlapping_iter(text) {
            let p = m.pattern().as_usize();
            if m.start() >= last_end[p] {
                counts[p] += 1;
                last_end[p] = m.end();
            }
        }
    }
    names
        .iter()
        .zip(slot)
        .map(|(n, s)| s.map_or_else(|| text.matches(n.as_str()).count(), |p| counts[p]))
        .collect()
}

/// [`keyphrases`] of an annotated title and body; each distinct word is looked at once.
pub fn keyphrases_doc(
    title: &Document,
    body: &Document,
    entity_names: &[String],
    limit: usize,
) -> Vec<String> {
    let mut scores: FxHashMap<String, (f32, String)> = FxHashMap::default();
    let mut title_words = doc_words(title);
    let title_keys: HashSet<&str> = title_words
        .iter()
        .flatten()
        .map(|w| w.key.as_str())
        .collect();
    let mut body_words = doc_words(body);
    for w in body_words.iter_mut().flatten() {
        w.in_title = title_keys.contains(w.key.as_str());
    }
    for w in title_words.iter_mut().flatten() {
        w.in_title = true;
    }
    let context = Context {
        names: entity_names
            .iter()
            .flat_map(|n| words_of(n).into_iter().flatten().map(|w| w.key))
            .collect(),
    };
    let mut sentence: Vec<Option<&Word>> = Vec::new();
    for (doc, words) in [(title, &title_words), (body, &body_words)] {
        for s in 0..doc.sentences().len() {
            sentence.clear();
            sentence.extend(
                doc.sentence_tokens(s)
                    .iter()
                    .map(|t| words[t.ty as usize].as_ref()),
            );
            for run in runs(&sentence) {
                add_candidates(run, &context, &mut scores);
            }
        }
    }
    let counts = occurrence_counts(body.text(), entity_names);
    for (name, occurrences) in entity_names.iter().zip(counts) {
        let k = key(name);
        let occurrences = occurrences.max(1) as f32;
        let entry = scores.entry(k).or_insert((0.0, name.clone()));
        entry.0 += 2.0 * occurrences + 3.0;
    }
    let mut ranked: Vec<(String, f32, String)> =
        scores.into_iter().map(|(k, (s, d))| (k, s, d)).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    // Greedy selection: a phrase inside a chosen one is redundant; a phrase that contains a
    // chosen one and scores at least half as well replaces it (الاستخبارات التركية beats
    // التركية).
    let mut chosen: Vec<(String, f32, String)> = Vec::new();
    for (k, score, display) in ranked {
        if chosen.len() >= limit {
            break;
        }
        let padded = format!(" {k} ");
        if chosen
            .iter()
            .any(|(c, _, _)| format!(" {c} ").contains(&padded))
        {
            continue;
        }
        match chosen
            .iter()
            .position(|(c, cs, _)| padded.contains(&format!(" {c} ")) && score >= 0.5 * cs)
        {
            Some(i) => chosen[i] = (k, score, display),
            None => {
                if !chosen
                    .iter()
                    .any(|(c, _, _)| padded.contains(&format!(" {c} ")))
                {
                    chosen.push((k, score, display));
                }
            }
        }
    }
    chosen.into_iter().map(|(_, _, d)| d).collect()
}

/// The words of a short text (an entity name), `None` for other tokens.
fn words_of(text: &str) -> Vec<Option<Word>> {
    Tokens::new(text)
        .map(|t| word_token(t.kind, t.text))
        .collect()
}

/// The word of each type of a document (indexed by the tokens' `ty`), `None` for tokens that
/// are not words.
fn doc_words(doc: &Document) -> Vec<Option<Word>> {
    let mut kinds = vec![None; doc.types().len()];
    for t in doc.tokens() {
        kinds[t.ty as usize].get_or_insert(t.kind);
    }
    doc.types()
        .iter()
        .zip(kinds)
        .map(|(w, kind)| kind.and_then(|k| word_token(k, w.text)))
        .collect()
}

fn word_token(kind: TokenKind, text: &str) -> Option<Word> {
    match kind {
        TokenKind::Arabic | TokenKind::Latin | TokenKind::Mixed => {
            Some(word(text)).filter(|w| !w.key.is_empty())
        }
        _ => None,
    }
}

/// The proclitic runs ending in the article that a phrase drops: one particle before ال
/// (والهجرة → الهجرة), or ل + ال written لل (للعلاقات → العلاقات: the alif comes back). و/ف/ب/ك/ل
/// before the article belong to the sentence, not the phrase.
static ARTICLE_RUNS: LazyLock<Vec<&'static ProcliticRun>> = LazyLock::new(|| {
    proclitic_runs()
        .iter()
        .filter(|r| r.article && (r.particle_letters() == 1 || r.lam_merged()))
        .collect()
});

fn word(surface: &str) -> Word {
    let k = key(surface);
    let mut conjunct = k.starts_with('و') || k.starts_with('ف');
    let (display, k) = match ARTICLE_RUNS
        .iter()
        .find(|r| k.starts_with(r.text) && k.chars().count() > r.letters() + 2)
    {
        Some(run) => {
            conjunct = true;
            let drop = run.particle_letters();
            let mut display = strip_chars(surface, drop);
            let mut key_rest: String = k.chars().skip(drop).collect();
            if run.lam_merged() {
                display.insert(0, 'ا');
                key_rest.insert(0, 'ا');
            }
            (display, key_rest)
        }
        None if !rased_text::segment::may_start_with_particle(&k) => (surface.to_string(), k),
        None => {
            // Indefinite words: let the lexicon-aware segmenter cut proclitics (بمنطقة →
            // منطقة) while names stay whole (بنغازي).
            // The article stays with the word: only the particles before it are cut.
            let seg = rased_text::segment::segment(&k);
            let cut: usize = seg
                .proclitics
                .iter()
                .take_while(|p| !matches!(**p, "ال" | "لل"))
                .map(|p| p.chars().count())
                .sum();
            let rest: String = k.chars().skip(cut).collect();
            if cut > 0 && rest.chars().count() >= 3 {
                conjunct = true;
                (strip_chars(surface, cut), rest)
            } else {
                (surface.to_string(), k)
            }
        }
    };
    let stop = STOPWORDS.contains(&k) || k.chars().count() < 2;
    Word {
        definite: k.starts_with("ال"),
        display,
        idf: OnceCell::new(),
        title_word: OnceCell::new(),
        in_title: false,
        key: k,
        stop,
        conjunct,
    }
}

/// `surface` without its first `n` letters (and any marks riding on them).
fn strip_chars(surface: &str, n: usize) -> String {
    let mut letters = 0;
    let mut out = String::new();
    for c in surface.chars() {
        if letters < n && !rased_text::normalize::is_tashkeel(c) {
            letters += 1;
            continue;
        }
        if letters < n || (out.is_empty() && rased_text::normalize::is_tashkeel(c)) {
            continue;
        }
        out.push(c);
    }
    out
}

/// Maximal runs of words not broken by punctuation or numbers. `غير` stays inside a run so
/// that الهجرة غير الشرعية can form; other stopwords break runs.
fn runs<'w, 'a>(words: &'a [Option<&'w Word>]) -> Vec<&'a [Option<&'w Word>]> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, w) in words.iter().enumerate() {
        let breaks = match w {
            None => true,
            Some(w) => w.stop && w.key != "غير",
        };
        if breaks {
            if i > start {
                out.push(&words[start..i]);
            }
            start = i + 1;
        }
    }
    if words.len() > start {
        out.push(&words[start..]);
    }
    out
}

/// What candidates are judged against: the entity names' words.
struct Context {
    names: HashSet<String>,
}

fn add_candidates(
    run: &[Option<&Word>],
    context: &Context,
    scores: &mut FxHashMap<String, (f32, String)>,
) {
    let words: Vec<&Word> = run.iter().flatten().copied().collect();
    for n in 1..=4.min(words.len()) {
        for window in words.windows(n) {
            if !noun_phrase_shape(window, &context.names) {
                continue;
            }
            let k = window
                .iter()
                .map(|w| w.key.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let display = window
                .iter()
                .map(|w| w.display.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let content: Vec<&&Word> = window.iter().filter(|w| w.key != "غير").collect();
            let mean_idf =
                content.iter().map(|w| w.idf()).sum::<f32>() / content.len().max(1) as f32;
            let in_title = window.iter().all(|w| w.in_title);
            let length_bonus = if n == 1 {
                0.5
            } else {
                1.0 + 0.6 * (n as f32 - 1.0)
            };
            let weight = mean_idf * length_bonus * if in_title { 1.5 } else { 1.0 };
            let entry = scores.entry(k).or_insert((0.0, display));
            entry.0 += weight;
        }
    }
}

/// Does this window look like an Arabic noun phrase worth keeping? `names` holds the words
/// of entity names: an idafa whose second term is a name (شرق ليبيا) needs no article.
fn noun_phrase_shape(window: &[&Word], names: &HashSet<String>) -> bool {
    let first = window[0];
    let last = window[window.len() - 1];
    if first.stop || last.stop || first.key == "غير" || last.key == "غير" {
        return false;
    }
    // A title after the head belongs to a name's phrase, never a topic's
    // (… المصرية اللواء حسن رشاد); a leading one is the topic (رئيس الاستخبارات).
    if window[1..].iter().any(|w| w.is_title_word()) {
        return false;
    }
    if window[1..].iter().any(|w| w.conjunct) {
        return false;
    }
    // An indefinite head in ي- is almost always a present-tense verb (يلتقي حفتر).
    if !first.definite && first.key.starts_with('ي') && first.key.chars().count() >= 4 {
        return false;
    }
    if window.len() == 1 {
        // A lone nisba (التركية) is an adjective whose noun went missing: not a topic.
        let adjective_like = first.key.ends_with('ي') || first.key.ends_with("ية");
        return first.definite && first.key.chars().count() >= 5 && !adjective_like;
    }
    // After the head, every word is definite (adjectives agreeing with a definite head, or
    // the definite second term of an idafa), except غير before a definite adjective.
    window[1..]
        .iter()
        .all(|w| w.definite || w.key == "غير" || names.contains(&w.key))
}

/// Builds `df.tsv` (document frequency of match-normalized words, df ≥ `min_df`) from the
/// JSON Lines corpora (`*.jsonl.gz`, field `text`) in `corpus_dir`.
pub fn build_document_frequencies(
    corpus_dir: &Path,
    out: &Path,
    min_df: u32,
) -> std::io::Result<(u32, usize)> {
    let mut df: HashMap<String, u32> = HashMap::new();
    let docs = rased_kb::corpus::for_each_text(corpus_dir, |text| {
        let seen: HashSet<String> = words_of(text)
            .into_iter()
            .flatten()
            .map(|w| w.key)
            .collect();
        for w in seen {
            *df.entry(w).or_default() += 1;
        }
    })? as u32;
    let mut rows: Vec<(String, u32)> = df.into_iter().filter(|(_, n)| *n >= min_df).collect();
    rows.sort();
    let mut file = std::io::BufWriter::new(std::fs::File::create(out)?);
    writeln!(file, "#docs\t{docs}")?;
    for (w, n) in &rows {
        writeln!(file, "{w}\t{n}")?;
    }
    file.flush()?;
    Ok((docs, rows.len()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn occurrence_counts_are_str_matches_counts() {
        let text = "حفتر وحفتر خليفة حفتر aaaa ab ab";
        let names: Vec<String> = ["حفتر", "خليفة حفتر", "aa", "a", "ab", "حفتر", "غائب", ""]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let want: Vec<usize> = names
            .iter()
            .map(|n| text.matches(n.as_str()).count())
            .collect();
        assert_eq!(super::occurrence_counts(text, &names), want);
        assert_eq!(super::occurrence_counts(text, &[]), Vec::<usize>::new());
    }

    use super::*;

    #[test]
    fn proclitics_before_the_article_leave_the_phrase() {
        assert_eq!(word("والهجرة").display, "الهجرة");
        assert_eq!(word("للعلاقات").display, "العلاقات");
        assert_eq!(word("وقال").display, "قال");
        assert_eq!(word("بمنطقة").display, "منطقة");
        assert_eq!(word("بنغازي").display, "بنغازي");
    }

    #[test]
    fn noun_phrase_shapes() {
        let w = |s: &str| word(s);
        let names: HashSet<String> = [key("ليبيا")].into_iter().collect();
        let (a, b, c) = (w("العلاقات"), w("التركية"), w("الليبية"));
        assert!(noun_phrase_shape(&[&a, &b, &c], &names));
        let (h, g, s) = (w("الهجرة"), w("غير"), w("الشرعية"));
        assert!(noun_phrase_shape(&[&h, &g, &s], &names));
        let (e, l) = (w("شرق"), w("ليبيا"));
        assert!(noun_phrase_shape(&[&e, &l], &names));
        let (v, n) = (w("التقى"), w("رئيس"));
        assert!(!noun_phrase_shape(&[&v, &n], &names));
    }
}
