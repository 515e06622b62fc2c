//! Light stemming for search (Light10, Larkey et al. 2007), never for names.
//!
//! Light10 strips a leading و, then one definite article (ال وال بال كال فال لل), then the
//! suffixes ها ان ات ون ين يه ية ه ة ي (each at most once, in that order), always leaving at
//! least two letters. It works on match-normalized text. The search form folds ة → ه only
//! *after* stemming, as DESIGN.md section 3 requires: folding first would hide ة from the
//! suffix list.

use crate::normalize::{normalize_str, Level};

const ARTICLES: &[&str] = &["وال", "بال", "كال", "فال", "لل", "ال"];
const SUFFIXES: &[&str] = &["ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي"];

/// Light10 stem of one match-normalized word, exactly as published (it strips the و of
/// وزارة; [`search_stem`] asks the lexicon-aware segmenter instead).
pub fn light_stem(word: &str) -> &str {
    let mut w = word;
    if char_len(w) > 3 {
        if let Some(rest) = w.strip_prefix('و') {
            w = rest;
        }
    }
    strip_article_and_suffixes(w)
}

fn strip_article_and_suffixes(word: &str) -> &str {
    let mut w = word;
    for article in ARTICLES {
        if let Some(rest) = w.strip_prefix(article) {
            if char_len(rest) >= 2 {
                w = rest;
                break;
            }
        }
    }
    if char_len(w) > 2 {
        for suffix in SUFFIXES {
            if let Some(rest) = w.strip_suffix(suffix) {
                if char_len(rest) >= 2 {
                    w = rest;
                }
            }
        }
    }
    w
}

/// The search-index form of a word: match-normalize, cut proclitics with the lexicon-aware
/// segmenter (so وزارة keeps its و), strip the article and Light10 suffixes, then fold ة → ه.
/// Latin words are lowercased; numbers pass through with ASCII digits.
pub fn search_stem(word: &str) -> String {
    let normalized = normalize_str(word, Level::Match);
    if !normalized.chars().any(crate::tokenize::is_arabic_letter) {
        // Lowercasing can undo NFC (Ω + marks), so normalize again after it.
        return normalize_str(&normalized.to_lowercase(), Level::Search);
    }
    let segmented = crate::segment::segment(&normalized);
    crate::normalize::fold_ta_marbuta(strip_article_and_suffixes(segmented.stem))
}

/// Code points in `s`; Arabic letters are two bytes each, so this is cheap.
#[inline]
fn char_len(s: &str) -> usize {
    s.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn light10_examples() {
        assert_eq!(search_stem("والمدارس"), "مدارس");
        assert_eq!(search_stem("المدرسة"), "مدرس");
        assert_eq!(search_stem("بالجنرال"), "جنرال");
        assert_eq!(search_stem("العلاقات"), "علاق");
        assert_eq!(search_stem("الليبية"), "ليب");
        assert_eq!(search_stem("ليبيا"), "ليبيا");
        // The segmenter knows وزارة is a word: its و stays (Light10 alone gives زار).
        assert_eq!(search_stem("وزارة"), "وزار");
        assert_eq!(light_stem("وزارة"), "زار");
        assert_eq!(search_stem("وقال"), "قال");
    }

    #[test]
    fn ta_marbuta_folds_after_stemming() {
        // Too short to lose its ة: the fold still makes ة and ه spellings meet.
        assert_eq!(search_stem("دولة"), search_stem("دوله"));
        assert_eq!(search_stem("مدرسة"), "مدرس");
    }

    #[test]
    fn latin_and_digits() {
        assert_eq!(search_stem("CNN"), "cnn");
        assert_eq!(search_stem("٢٠٢٥"), "2025");
    }
}
