//! A query's plan: which terms of which field each query word or phrase looks for, and with
//! which boost. The embedded index builds its tantivy query from it and the database backend
//! its `tsquery` and its BM25 scoring, so that both match and rank by the same rules.

use crate::analyzer::{exact_terms, name_terms, stem_terms};
use crate::{split_query, QueryPart};

/// The analyzed text fields of an article, in the order their lengths are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TextField {
    /// The title's exact words.
    Title,
    /// The body's exact words.
    Body,
    /// Title and body stems.
    Stem,
    /// Title and body name keys.
    Name,
}

impl TextField {
    /// Position in [`crate::lexemes::FieldLengths`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The prefix its lexemes carry in a database's `tsvector`.
    pub fn prefix(self) -> &'static str {
        match self {
            TextField::Title => "t:",
            TextField::Body => "e:",
            TextField::Stem => "s:",
            TextField::Name => "n:",
        }
    }
}

/// One way a query part can match: a term (or a phrase: a sequence of terms) of one field.
#[derive(Debug, Clone, PartialEq)]
pub struct Alternative {
    pub field: TextField,
    /// One term, or a phrase's terms in order.
    pub terms: Vec<String>,
    /// The factor on this alternative's BM25 score.
    pub boost: f32,
}

/// The plan of a query's text: every part (word or phrase) must match; a part matches when
/// one of its alternatives does, and scores the sum of the alternatives that match. Empty
/// when the text has no words.
///
/// A word matches its exact form in the title (boost 2) or body (1.5), its stem (1; only a
/// stem that keeps three letters, since كالين → ك + ال + ين would match unrelated words) or
/// its name key (0.8). A phrase matches as an exact sequence in the body or title or a
/// stemmed sequence, unboosted.
pub fn query_plan(text: &str) -> Vec<Vec<Alternative>> {
    let mut parts = Vec::new();
    for part in split_query(text) {
        let mut alternatives = Vec::new();
        let mut push = |field, terms: Vec<String>, boost| {
            if !terms.is_empty() {
                alternatives.push(Alternative {
                    field,
                    terms,
                    boost,
                });
            }
        };
        match part {
            QueryPart::Phrase(phrase) => {
                let exact = exact_terms(&phrase);
                push(TextField::Body, exact.clone(), 1.0);
                push(TextField::Title, exact, 1.0);
                push(TextField::Stem, stem_terms(&phrase), 1.0);
            }
            QueryPart::Word(word) => {
                for t in exact_terms(&word) {
                    push(TextField::Title, vec![t.clone()], 2.0);
                    push(TextField::Body, vec![t], 1.5);
                }
                for t in stem_terms(&word) {
                    if t.chars().count() >= 3 {
                        push(TextField::Stem, vec![t], 1.0);
                    }
                }
                for t in name_terms(&word) {
                    push(TextField::Name, vec![t], 0.8);
                }
            }
        }
        if !alternatives.is_empty() {
            parts.push(alternatives);
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_phrases_get_their_fields_and_boosts() {
        let plan = query_plan("كالين \"شرق ليبيا\"");
        assert_eq!(plan.len(), 2);
        let word: Vec<(TextField, f32)> = plan[0].iter().map(|a| (a.field, a.boost)).collect();
        assert_eq!(word[..2], [(TextField::Title, 2.0), (TextField::Body, 1.5)]);
        assert!(word.contains(&(TextField::Name, 0.8)));
        let phrase = &plan[1];
        assert_eq!(phrase[0].field, TextField::Body);
        assert_eq!(phrase[0].terms, ["شرق", "ليبيا"]);
        assert!(phrase.iter().all(|a| a.boost == 1.0));
        assert!(query_plan(" \"\" ").is_empty());
    }
}
