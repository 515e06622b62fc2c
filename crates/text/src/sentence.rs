//! Sentence splitting for Arabic (and Latin) news text.
//!
//! A sentence ends at `.` `!` `?` `؟` `…` `۔` or a line break. Closing quotes and brackets
//! right after the mark stay with the sentence. A mark does not end a sentence when:
//!
//! * it sits between digits (`3.5`, `17.03.2020`) or inside a URL/e-mail (no space after it);
//! * it closes a known abbreviation (`د.`, `م.`, `أ.د.`, `Mr.`, `U.S.`) or a single letter;
//! * it is inside a quotation that goes on after it (`قال: «لن نتراجع. سنواصل».`), as long as
//!   the quotation stays shorter than [`MAX_QUOTE_CHARS`] (an unclosed quote must not swallow
//!   the rest of the article).

use std::ops::Range;

/// A quotation longer than this is assumed unbalanced and splits like plain text.
pub const MAX_QUOTE_CHARS: usize = 600;

/// Abbreviations (without their final dot) after which a dot does not end a sentence.
/// Kept short and explicit: Arabic news uses few dotted abbreviations.
const ABBREVIATIONS: &[&str] = &[
    "د", "م", "أ", "ا", "ص", "ج", "ق", "هـ", "ه", "ت", "ش", "ب", "أد", "mr", "mrs", "ms", "dr",
    "prof", "st", "jr", "sr", "vs", "etc", "inc", "ltd", "co", "corp", "no", "gen", "col", "lt",
    "sgt", "capt", "gov", "sen", "rep", "u.s", "u.k", "u.n", "e.g", "i.e", "al", "p.m", "a.m",
];

/// Splits `text` into sentences, returned as byte ranges trimmed of surrounding whitespace.
/// Empty input gives no sentences.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut quote_depth = 0usize;
    let mut quote_chars = 0usize;
    // Straight quotes open and close with the same char: track whether one is open.
    let mut in_straight_quote = false;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if quote_depth > 0 {
            quote_chars += 1;
            if quote_chars > MAX_QUOTE_CHARS {
                quote_depth = 0;
            }
        }
        if in_straight_quote {
            quote_chars += 1;
            if quote_chars > MAX_QUOTE_CHARS {
                in_straight_quote = false;
            }
        }
        match c {
            '\n' | '\r' | '\u{2029}' => {
                push_trimmed(text, start..i, &mut out);
                start = i + c.len_utf8();
                quote_depth = 0;
                in_straight_quote = false;
            }
            '"' => {
                in_straight_quote = !in_straight_quote;
                quote_chars = 0;
            }
            '«' | '“' => {
                quote_depth += 1;
                quote_chars = 0;
            }
            '»' | '”' => quote_depth = quote_depth.saturating_sub(1),
            '.' | '!' | '?' | '؟' | '…' | '۔' => {
                // Take the whole run of marks and any closing quotes/brackets after it.
                let mut end = i + c.len_utf8();
                while let Some(&(j, n)) = iter.peek() {
                    if is_terminal(n) || is_closing(n) {
                        if matches!(n, '»' | '”') {
                            quote_depth = quote_depth.saturating_sub(1);
                        }
                        if n == '"' {
                            in_straight_quote = false;
                        }
                        end = j + n.len_utf8();
                        iter.next();
                    } else {
                        break;
                    }
                }
                let followed_by_space = text[end..].chars().next().is_none_or(char::is_whitespace);
                if !followed_by_space || quote_depth > 0 || in_straight_quote {
                    continue;
                }
                if c == '.' && ends_with_abbreviation(&text[start..i]) {
                    continue;
                }
                push_trimmed(text, start..end, &mut out);
                start = end;
            }
            _ => {}
        }
    }
    push_trimmed(text, start..text.len(), &mut out);
    out
}

/// Splits `text` into sentence slices.
pub fn sentence_strs(text: &str) -> Vec<&str> {
    sentences(text).into_iter().map(|r| &text[r]).collect()
}

fn push_trimmed(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let piece = &text[range.clone()];
    let lead = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    if !trimmed.is_empty() {
        let s = range.start + lead;
        out.push(s..s + trimmed.len());
    }
}

fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '؟' | '…' | '۔')
}

fn is_closing(c: char) -> bool {
    matches!(c, '»' | '”' | '"' | '\'' | '’' | ')' | ']' | '}')
}

/// Does the text before a dot end with an abbreviation or a lone letter (an initial)?
fn ends_with_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || matches!(c, '(' | '«' | '“' | '"'))
        .next()
        .unwrap_or("");
    if word.is_empty() {
        return false;
    }
    // `2020 م.` and `1446 هـ.` end sentences: era marks after a year are not abbreviations.
    let previous = before[..before.len() - word.len()].trim_end();
    if matches!(word, "م" | "هـ" | "ه") && previous.ends_with(|c: char| c.is_numeric()) {
        return false;
    }
    let lower = word.to_lowercase();
    let bare = lower.trim_start_matches(|c: char| !c.is_alphanumeric());
    if bare.chars().count() == 1 && bare.chars().all(char::is_alphabetic) {
        return true;
    }
    ABBREVIATIONS.contains(&bare) || (bare.contains('.') && bare.len() <= 6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_arabic_and_latin_marks() {
        let s = sentence_strs("التقى قالين حفتر. هل ينجح الحوار؟ نعم! End.");
        assert_eq!(
            s,
            vec!["التقى قالين حفتر.", "هل ينجح الحوار؟", "نعم!", "End."]
        );
    }

    #[test]
    fn numbers_abbreviations_and_quotes_hold() {
        let s = sentence_strs(
            "ارتفع بنسبة 3.5 في المئة يوم 17.03.2020. قال د. أحمد: «لن نتراجع. سنواصل». ثم غادر.",
        );
        assert_eq!(
            s,
            vec![
                "ارتفع بنسبة 3.5 في المئة يوم 17.03.2020.",
                "قال د. أحمد: «لن نتراجع. سنواصل».",
                "ثم غادر."
            ]
        );
    }

    #[test]
    fn closing_quote_stays_with_sentence() {
        let s = sentence_strs("ووفق البيان “شهد اللقاء مناقشة سبل التعاون.” وأضاف أنه مهم.");
        assert_eq!(
            s,
            vec![
                "ووفق البيان “شهد اللقاء مناقشة سبل التعاون.”",
                "وأضاف أنه مهم."
            ]
        );
    }

    #[test]
    fn lines_split_and_blank_lines_vanish() {
        assert_eq!(
            sentence_strs("سطر أول\n\nسطر ثان"),
            vec!["سطر أول", "سطر ثان"]
        );
        assert!(sentences("  \n ").is_empty());
    }

    #[test]
    fn unclosed_quote_does_not_swallow_text() {
        let long = "كلمة ".repeat(200);
        let text = format!("قال «{long}. ثم انتهى. وبدأ آخر.");
        assert!(sentences(&text).len() >= 2);
    }

    #[test]
    fn straight_quotes_hold_their_sentences() {
        let s = sentence_strs("قائلة \"أكيد فهمتوا.. كله تمام\". ثم غادرت.");
        assert_eq!(s, vec!["قائلة \"أكيد فهمتوا.. كله تمام\".", "ثم غادرت."]);
    }

    #[test]
    fn era_mark_after_year_ends_sentence() {
        assert_eq!(sentence_strs("ولد عام 1950 م. وتوفي لاحقا.").len(), 2);
    }
}
