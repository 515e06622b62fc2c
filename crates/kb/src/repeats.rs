//! One name, one label in a document: where an organisation, place or other name was
//! recognized once, its other occurrences in the article are mentions of the same entity too
//! (`كوستا` named ten times in a takeover story, tagged once; `واتساب`, `وبواتساب`).
//!
//! [`repeats`] runs inside [`crate::resolve::resolve`] before coreference. People are left to
//! coreference, which knows first names from surnames. A name is repeated only as written
//! (match-normalized, word-bounded), with the proclitics و ف ب ل ك or لل on its first word;
//! a one-word name that is a frequent word of the corpus (الهلال، الأمل) repeats only when the
//! article already names it twice, since one tag of a common word is weak evidence.
//!
//! Bounded work: the words of the text are read once; each is looked up in a hash map of the
//! names' first words; at most [`MAX_PHRASES`] phrases are tried per word.

use rustc_hash::FxHashMap;

use rased_text::normalize::{normalize_str, Level};

use crate::coref::is_word_char;

/// Phrases tried per word of the text.
pub const MAX_PHRASES: usize = 8;
/// A one-word name this frequent in the corpus is a common word as well.
const COMMON_WORD: u32 = 3000;
/// Proclitics a repeated name may carry on its first word, longest first.
const PROCLITICS: &[&str] = &["ول", "وب", "فل", "فب", "لل", "و", "ف", "ب", "ل", "ك", ""];

/// A name the article recognized: its cluster, words (match-normalized) and how many
/// mentions the cluster has.
pub struct Name {
    pub cluster: usize,
    pub words: Vec<String>,
    pub mentions: usize,
}

/// The words of `text`: byte ranges.
fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// The other occurrences of `names` in `text` that overlap none of `taken` (sorted, disjoint
/// byte ranges of the mentions found so far): `(cluster, start, end)` in text order, the
/// first word's proclitic outside the span.
pub fn repeats(text: &str, names: &[Name], taken: &[(usize, usize)]) -> Vec<(usize, usize, usize)> {
    let mut by_first: FxHashMap<&str, Vec<&Name>> = FxHashMap::default();
    for n in names {
        let Some(first) = n.words.first() else {
            continue;
        };
        if n.words.len() == 1 {
            let short = first.chars().count() < 3;
            let common = rased_text::segment::corpus_count(first) > COMMON_WORD;
            if short || (common && n.mentions < 2) {
                continue;
            }
        }
        let list = by_first.entry(first.as_str()).or_default();
        if list.len() < MAX_PHRASES && !list.iter().any(|o| o.words == n.words) {
            list.push(n);
        }
    }
    if by_first.is_empty() {
        return Vec::new();
    }
    let words = words(text);
    let norms: Vec<String> = words
        .iter()
        .map(|&(s, e)| normalize_str(&text[s..e], Level::Match))
        .collect();
    let free = |s: usize, e: usize| {
        let i = taken.partition_point(|&(_, te)| te <= s);
        taken.get(i).is_none_or(|&(ts, _)| ts >= e)
    };
    let mut out = Vec::new();
    let mut w = 0;
    while w < words.len() {
        let mut advanced = false;
        for p in PROCLITICS {
            let Some(rest) = norms[w].strip_prefix(p) else {
                continue;
            };
            // لل is ل + ال: للأمم → الأمم.
            let key = if *p == "لل" {
                format!("ال{rest}")
            } else {
                rest.to_string()
            };
            let Some(list) = by_first.get(key.as_str()) else {
                continue;
            };
            let hit = list.iter().find(|n| {
                w + n.words.len() <= words.len()
                    && n.words[1..]
                        .iter()
                        .zip(&norms[w + 1..])
                        .all(|(a, b)| a == b)
            });
            let Some(n) = hit else { continue };
            let last = w + n.words.len() - 1;
            // The proclitic's letters, in the original text (normalization keeps them).
            let cut: usize = text[words[w].0..words[w].1]
                .chars()
                .take(if *p == "لل" { 1 } else { p.chars().count() })
                .map(char::len_utf8)
                .sum();
            let (s, e) = (words[w].0 + cut, words[last].1);
            if free(s, e) {
                out.push((n.cluster, s, e));
                w = last + 1;
                advanced = true;
            }
            break;
        }
        if !advanced {
            w += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(cluster: usize, words: &str, mentions: usize) -> Name {
        Name {
            cluster,
            words: words
                .split(' ')
                .map(|w| normalize_str(w, Level::Match))
                .collect(),
            mentions,
        }
    }

    fn found(text: &str, names: &[Name], taken: &[(usize, usize)]) -> Vec<(usize, String)> {
        repeats(text, names, taken)
            .into_iter()
            .map(|(c, s, e)| (c, text[s..e].to_string()))
            .collect()
    }

    #[test]
    fn later_and_earlier_occurrences_join_with_their_proclitics_outside() {
        let text = "استحوذت كوكاكولا على كوستا. وقالت كوستا إن صفقة بكوستا تمت، ووزارة الصحة ترحب.";
        let first = text.find("كوستا").unwrap();
        let taken = [(first, first + "كوستا".len())];
        assert_eq!(
            found(
                text,
                &[name(0, "كوستا", 1), name(1, "وزارة الصحة", 1)],
                &taken
            ),
            vec![
                (0, "كوستا".to_string()),
                (0, "كوستا".to_string()),
                (1, "وزارة الصحة".to_string())
            ]
        );
    }

    #[test]
    fn a_common_word_tagged_once_does_not_spread() {
        // التي is as frequent as words get: one tag of it is no evidence.
        let text = "الدول التي وقعت والتي لم توقع";
        assert!(found(text, &[name(0, "التي", 1)], &[]).is_empty());
    }

    #[test]
    fn occurrences_inside_other_mentions_are_left_alone() {
        let text = "مقهى كوستا وشركة كوستا";
        let inner = text.find("مقهى كوستا").unwrap();
        let taken = [(inner, inner + "مقهى كوستا".len())];
        assert_eq!(
            found(text, &[name(0, "كوستا", 1)], &taken),
            vec![(0, "كوستا".to_string())]
        );
    }
}
