//! The same three analyzers as pre-analyzed lexemes for a database's full-text index
//! (PostgreSQL's `tsvector`/`tsquery`), so that an index outside tantivy matches exactly what
//! the embedded index matches: rased tokenizes and normalizes, the database only stores and
//! intersects. Nothing here runs PostgreSQL's own parser or dictionaries (its `arabic`
//! configuration over-stems: وزارة → زار).
//!
//! Every lexeme carries its field as a prefix — `t:` title (exact), `e:` body (exact), `s:`
//! stem, `n:` name key — and a weight (A title, B body, C stem, D name key), so one `tsvector`
//! holds the four tantivy fields and a `ts_rank` weight array reproduces the query boosts
//! (title 2.0, body 1.5, stem 1.0, name 0.8). Positions are token positions as tantivy counts
//! them, so phrases (`<->`) match the same word sequences.

use std::collections::BTreeMap;
use std::fmt::Write;

use rased_model::Article;

use crate::analyzer::{exact_terms, name_terms, stem_terms};
use crate::{split_query, QueryPart};

/// The largest position a `tsvector` keeps (PostgreSQL clamps larger ones).
const MAX_POSITION: usize = 16383;
/// PostgreSQL refuses lexemes of 2 KiB and more; such a "word" is noise anyway.
const MAX_LEXEME_BYTES: usize = 1024;

/// `ts_rank`'s weight array, in PostgreSQL's order `{D, C, B, A}`: the embedded index's
/// boosts (name key 0.8, stem 1.0, body 1.5, title 2.0) halved, as weights must lie in [0, 1].
pub const RANK_WEIGHTS: &str = "{0.4,0.5,0.75,1.0}";

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

/// The `tsvector` literal of an article: title and body in each analyzed form.
pub fn article_tsvector(article: &Article) -> String {
    let title = article.title.as_deref().unwrap_or("");
    let mut lexemes: BTreeMap<String, Vec<(usize, char)>> = BTreeMap::new();
    let mut add = |prefix: &str, weight: char, terms: Vec<String>, start: usize| -> usize {
        let mut next = start;
        for (i, term) in terms.into_iter().enumerate() {
            next = start + i + 1;
            if term.len() > MAX_LEXEME_BYTES {
                continue;
            }
            let positions = lexemes.entry(quoted(prefix, &term)).or_default();
            let p = (start + i + 1).min(MAX_POSITION);
            if positions.last().is_none_or(|(last, _)| *last != p) {
                positions.push((p, weight));
            }
        }
        next
    };
    add("t:", 'A', exact_terms(title), 0);
    add("e:", 'B', exact_terms(&article.body), 0);
    // Stems and name keys: the title, then the body after a gap (a phrase does not run from
    // the title into the body).
    let end = add("s:", 'C', stem_terms(title), 0);
    add("s:", 'C', stem_terms(&article.body), end + 1);
    let end = add("n:", 'D', name_terms(title), 0);
    add("n:", 'D', name_terms(&article.body), end + 1);
    let mut out = String::new();
    for (lexeme, positions) in lexemes {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&lexeme);
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
    let mut clauses: Vec<Vec<String>> = Vec::new();
    for part in split_query(text) {
        let mut alternatives: Vec<String> = Vec::new();
        match part {
            QueryPart::Phrase(phrase) => {
                let exact = exact_terms(&phrase);
                for (prefix, terms) in
                    [("e:", &exact), ("t:", &exact), ("s:", &stem_terms(&phrase))]
                {
                    if terms.is_empty() {
                        continue;
                    }
                    let seq: Vec<String> = terms.iter().map(|t| quoted(prefix, t)).collect();
                    alternatives.push(format!("( {} )", seq.join(" <-> ")));
                }
            }
            QueryPart::Word(word) => {
                for t in exact_terms(&word) {
                    alternatives.push(quoted("t:", &t));
                    alternatives.push(quoted("e:", &t));
                }
                for t in stem_terms(&word) {
                    if t.chars().count() >= 3 {
                        alternatives.push(quoted("s:", &t));
                    }
                }
                for t in name_terms(&word) {
                    alternatives.push(quoted("n:", &t));
                }
            }
        }
        if !alternatives.is_empty() {
            clauses.push(alternatives);
        }
    }
    clauses
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
