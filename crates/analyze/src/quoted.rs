//! Names in quotation marks after a noun that announces one: `شركة "لودوكير"`,
//! `لصحيفة «واشنطن بوست»`, `تطبيق " واتساب "`, `فيلم "كفرناحوم"`.
//!
//! News quotes the names of companies, papers, apps and works the tagger has rarely seen,
//! and the noun before the quote says what they are (`data/ner/quote_heads.tsv`). The quoted
//! words (at most [`MAX_TOKENS`], words and numbers, at least one word, in one sentence) become one mention
//! of the head's type, replacing the tagger's spans inside them; the head and the quotes stay
//! outside, as the gold guide has it. A tagger span that reaches beyond the quotes stands.

use std::sync::LazyLock;

use rased_kb::resolve::Candidate;
use rased_text::doc::{Cues, Document, Token};
use rased_text::tokenize::TokenKind;
use rustc_hash::FxHashMap;

/// The longest quoted name, in tokens.
pub const MAX_TOKENS: usize = 6;

static HEADS: LazyLock<FxHashMap<&'static str, &'static str>> = LazyLock::new(|| {
    include_str!("../../../data/ner/quote_heads.tsv")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .map(|(w, t)| (w.trim(), t.trim()))
        .collect()
});

/// The type a head announces, if `norm` is one (after و، ف، ب، ل, never the article: a
/// definite noun before a quote is rarely the name's head).
fn head_type(norm: &str) -> Option<&'static str> {
    match crate::orgs::split_head(norm, |w| HEADS.contains_key(w))? {
        (head, false) => HEADS.get(head).copied(),
        (_, true) => None,
    }
}

fn is_quote(text: &str, opening: bool) -> bool {
    if opening {
        matches!(text, "\"" | "«" | "“")
    } else {
        matches!(text, "\"" | "»" | "”")
    }
}

/// The quoted name after the head at `h`: the tokens between the quotes, `(first, end)`.
fn quoted_after(doc: &Document<'_>, tokens: &[Token], h: usize) -> Option<(usize, usize)> {
    let open = tokens.get(h + 1)?;
    if !is_quote(doc.token_text(open), true) || open.sentence != tokens[h].sentence {
        return None;
    }
    let first = h + 2;
    tokens.get(first)?;
    let last = (first + MAX_TOKENS).min(tokens.len() - 1);
    for (i, t) in tokens.iter().enumerate().take(last + 1).skip(first) {
        if t.sentence != open.sentence {
            return None;
        }
        if is_quote(doc.token_text(t), false) {
            let has_word = tokens[first..i].iter().any(|t| t.kind.is_word());
            // One indefinite relational adjective is a word in scare quotes (`منظمة
            // "إرهابية"`), not a name.
            let cues = doc.cues(&tokens[first]);
            let adjective = i == first + 1 && cues.has(Cues::NISBA) && !cues.has(Cues::DEFINITE);
            return (i > first && has_word && !adjective).then_some((first, i));
        }
        if !(t.kind.is_word() || t.kind == TokenKind::Number) {
            return None;
        }
    }
    None
}

/// The tagger's candidates with the quoted names announced by a head added (those inside a
/// quoted name replaced by it), in text order. `tagged` is sorted and disjoint (the tagger's
/// output); so is the result.
pub fn add_quoted_names(doc: &Document<'_>, tagged: Vec<Candidate>) -> Vec<Candidate> {
    let tokens = doc.tokens();
    let cover = crate::orgs::token_cover(tokens, &tagged);
    let mut names: Vec<Candidate> = Vec::new();
    let mut replaced = vec![false; tagged.len()];
    let mut h = 0;
    while h + 2 < tokens.len() {
        let found = (tokens[h].kind == TokenKind::Arabic)
            .then(|| head_type(doc.norm(&tokens[h])))
            .flatten()
            .and_then(|kind| Some((kind, quoted_after(doc, tokens, h)?)));
        let Some((kind, (first, end))) = found else {
            h += 1;
            continue;
        };
        let (start, stop) = (tokens[first].start, tokens[end - 1].end);
        let covering: Vec<usize> = cover[first..end].iter().flatten().copied().collect();
        // The tagger's span wins where it reaches out of the quotes (a longer name).
        let crosses = covering
            .iter()
            .any(|&ci| tagged[ci].start < start || tagged[ci].end > stop);
        if !crosses {
            covering.iter().for_each(|&ci| replaced[ci] = true);
            names.push(Candidate {
                start,
                end: stop,
                kind: kind.to_string(),
                confidence: 1.0,
            });
        }
        h = end;
    }
    if names.is_empty() {
        return tagged;
    }
    let mut out: Vec<Candidate> = tagged
        .into_iter()
        .zip(replaced)
        .filter_map(|(c, r)| (!r).then_some(c))
        .collect();
    out.extend(names);
    out.sort_by_key(|c| c.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_of(text: &str, tagged: &[(&str, &str)]) -> Vec<(String, String)> {
        crate::test_support::spans_after(text, tagged, add_quoted_names)
    }

    fn m(s: &str, t: &str) -> (String, String) {
        (s.to_string(), t.to_string())
    }

    #[test]
    fn a_head_types_the_quoted_words() {
        assert_eq!(
            names_of("وقالت لصحيفة «واشنطن بوست» إن الصفقة تمت.", &[]),
            vec![m("واشنطن بوست", "ORG")]
        );
        assert_eq!(
            names_of(
                "ترك أكتون تطبيق \" واتساب \" عام 2014.",
                &[("واتساب", "PER")]
            ),
            vec![m("واتساب", "ORG")],
            "the head's type replaces the tagger's"
        );
        assert_eq!(
            names_of("عرض فيلم \"120 خفقة في الدقيقة\" أمس.", &[]),
            vec![m("120 خفقة في الدقيقة", "MISC")]
        );
        assert_eq!(
            names_of("عرض فيلم \"كفرناحوم\" في كان.", &[("كان", "LOC")]),
            vec![m("كفرناحوم", "MISC"), m("كان", "LOC")]
        );
    }

    #[test]
    fn quotes_that_are_no_name_are_left_alone() {
        // No head, a quotation too long or cut by punctuation, or never closed.
        for text in [
            "وقال إن \"الوضع صعب\" الآن.",
            "نشرت صحيفة \"إن الوضع في المدينة صعب جدا ولا يحتمل\" أمس.",
            "نشرت صحيفة \"الوضع، كما هو\" أمس.",
            "نشرت صحيفة \"الوضع",
            "دعما لمنظمة \" إرهابية \" .",
        ] {
            assert_eq!(
                names_of(text, &[]),
                Vec::<(String, String)>::new(),
                "{text}"
            );
        }
    }

    #[test]
    fn a_tagger_span_beyond_the_quotes_stands() {
        assert_eq!(
            names_of(
                "قالت منظمة \"هيومن رايتس\" ووتش إن",
                &[("هيومن رايتس\" ووتش", "ORG")]
            ),
            vec![m("هيومن رايتس\" ووتش", "ORG")]
        );
    }
}
