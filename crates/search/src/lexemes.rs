//! The same three analyzers as pre-analyzed lexemes for a database's full-text index
//! (PostgreSQL's `tsvector`/`tsquery`), so that an index outside tantivy matches exactly what
//! the embedded index matches: rased tokenizes and normalizes, the database only stores and
//! intersects. Nothing here runs PostgreSQL's own parser or dictionaries (its `arabic`
//! configuration over-stems: وزارة → زار).
//!
//! Every lexeme carries its field as a prefix — `t:` title (exact), `e:` body (exact), `s:`
//! stem, `n:` name key — and a weight (A title, B body, C stem, D name key), so one `tsvector`
//! holds the four tantivy fields. Positions are token positions as tantivy counts them, so
//! phrases (`<->`) match the same word sequences, and a lexeme's positions give its term
//! frequency for BM25 ([`crate::bm25`]).

use std::collections::BTreeMap;
use std::fmt::Write;

use rased_model::Article;

use crate::analyzer::{exact_terms, name_terms, stem_terms};
use crate::plan::{query_plan, TextField};

/// The largest position a `tsvector` keeps (PostgreSQL clamps larger ones).
const MAX_POSITION: usize = 16383;
/// PostgreSQL refuses lexemes of 2 KiB and more; such a "word" is noise anyway.
const MAX_LEXEME_BYTES: usize = 1024;

/// A lexeme quoted for a `tsvector` or `tsquery` literal.
fn quoted(prefix: &str, term: &str) -> String {
    let mut out = String::with_capacity(term.len() + 4);
    out.push('\'');
    out.push_str(prefix);
    for c in term.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// The lexemes of an article (unquoted, field-prefixed) with their positions and weights, in
/// the order a `tsvector` keeps them.
pub fn article_lexemes(article: &Article) -> BTreeMap<String, Vec<(u32, char)>> {
    let title = article.title.as_deref().unwrap_or("");
    let mut lexemes: BTreeMap<String, Vec<(u32, char)>> = BTreeMap::new();
    let mut add = |field: TextField, weight: char, terms: Vec<String>, start: usize| -> usize {
        let mut next = start;
        for (i, term) in terms.into_iter().enumerate() {
            next = start + i + 1;
            if term.len() > MAX_LEXEME_BYTES {
                continue;
            }
            let positions = lexemes.entry(lexeme(field, &term)).or_default();
            let p = (start + i + 1).min(MAX_POSITION) as u32;
            if positions.last().is_none_or(|(last, _)| *last != p) {
                positions.push((p, weight));
            }
        }
        next
    };
    add(TextField::Title, 'A', exact_terms(title), 0);
    add(TextField::Body, 'B', exact_terms(&article.body), 0);
    // Stems and name keys: the title, then the body after a gap (a phrase does not run from
    // the title into the body).
    let end = add(TextField::Stem, 'C', stem_terms(title), 0);
    add(TextField::Stem, 'C', stem_terms(&article.body), end + 1);
    let end = add(TextField::Name, 'D', name_terms(title), 0);
    add(TextField::Name, 'D', name_terms(&article.body), end + 1);
    lexemes
}

/// The `tsvector` literal of an article: title and body in each analyzed form.
pub fn article_tsvector(article: &Article) -> String {
    let mut out = String::new();
    for (lexeme, positions) in article_lexemes(article) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&quoted("", &lexeme));
        out.push(':');
        for (i, (p, w)) in positions.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{p}{w}");
        }
    }
    out
}

/// The `tsquery` literal of a query's text, with the embedded index's semantics: every word
/// and phrase must match; a word matches its exact form in the title or body, its stem (when
/// the stem keeps three letters) or its name key; a phrase matches as an exact or stemmed
/// sequence. `None` when the text has no words (every article matches).
pub fn query_tsquery(text: &str) -> Option<String> {
    let clauses = query_tsquery_terms(text);
    (!clauses.is_empty()).then(|| clauses.join(" & "))
}

/// The parts of [`query_tsquery`], one per query word or phrase (their conjunction is the
/// whole query): each a `tsquery` of that term's alternatives, for ranking by term (a
/// document frequency and a rank per term). Empty when the text has no words.
pub fn query_tsquery_terms(text: &str) -> Vec<String> {
    query_tsquery_alternatives(text)
        .iter()
        .map(|alternatives| format!("( {} )", alternatives.join(" | ")))
        .collect()
}

/// The alternatives of each part of [`query_tsquery`] (a part matches when one of its
/// alternatives does): each a lexeme, or a phrase's sequence of lexemes, as a `tsquery`.
pub fn query_tsquery_alternatives(text: &str) -> Vec<Vec<String>> {
    query_plan(text)
        .iter()
        .map(|part| {
            part.iter()
                .map(|a| {
                    let seq: Vec<String> = a
                        .terms
                        .iter()
                        .map(|t| quoted(a.field.prefix(), t))
                        .collect();
                    match seq.len() {
                        1 => seq.into_iter().next().unwrap_or_default(),
                        _ => format!("( {} )", seq.join(" <-> ")),
                    }
                })
                .collect()
        })
        .collect()
}

/// A lexeme as a `tsquery` (or `tsvector`) literal: `'s:حفتر'`, quotes and backslashes
/// escaped.
pub fn quoted_lexeme(lexeme: &str) -> String {
    quoted("", lexeme)
}

/// An alternative's term as the lexeme its field stores: `e:قالين`.
pub fn lexeme(field: TextField, term: &str) -> String {
    format!("{}{term}", field.prefix())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexemes_carry_field_weight_and_position() {
        let a = Article {
            title: Some("قالين في ليبيا".into()),
            body: "التقى قالين حفتر".into(),
            ..Default::default()
        };
        let v = article_tsvector(&a);
        assert!(v.contains("'t:قالين':1A"), "{v}");
        assert!(v.contains("'e:قالين':2B"), "{v}");
        // The body's stems start after the title's three words and a gap (position 4).
        assert!(v.contains("'s:حفتر':7C"), "{v}");
    }

    #[test]
    fn quotes_are_escaped_and_empty_queries_match_all() {
        assert_eq!(quoted("e:", "a'b\\c"), "'e:a''b\\\\c'");
        assert_eq!(query_tsquery("  \"\" "), None);
        let q = query_tsquery("كالين \"شرق ليبيا\"").unwrap();
        assert!(q.contains("'n:"), "{q}");
        assert!(q.contains("'e:شرق' <-> 'e:ليبيا'"), "{q}");
        assert_eq!(q.matches(" & ").count(), 1, "{q}");
        let terms = query_tsquery_terms("كالين \"شرق ليبيا\"");
        assert_eq!(terms.len(), 2);
        assert_eq!(terms.join(" & "), q);
    }
}
