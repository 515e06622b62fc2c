//! Snippets: the window of the body with the most query hits, hits marked. A body word hits
//! when its exact form, stem or name key equals a query word's, so a snippet highlights
//! المدرسة for والمدارس and قالين for كالين, as the search itself matched them.

use std::collections::HashSet;

use rased_text::tokenize::Tokens;
use serde::Serialize;

use crate::analyzer::{exact_terms, name_terms, stem_terms};

/// The query's words in each analyzed form.
pub struct QueryTerms {
    exact: HashSet<String>,
    stems: HashSet<String>,
    names: HashSet<String>,
}

impl QueryTerms {
    pub fn new(query: &str) -> Self {
        QueryTerms {
            exact: exact_terms(query).into_iter().collect(),
            stems: stem_terms(query)
                .into_iter()
                .filter(|t| t.chars().count() >= 3)
                .collect(),
            names: name_terms(query).into_iter().collect(),
        }
    }

    fn hits(&self, word: &str) -> bool {
        let any = |terms: Vec<String>, set: &HashSet<String>| terms.iter().any(|t| set.contains(t));
        any(exact_terms(word), &self.exact)
            || any(stem_terms(word), &self.stems)
            || any(name_terms(word), &self.names)
    }
}

/// A piece of the body with its hits.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
pub struct Snippet {
    pub text: String,
    /// Code-point ranges of the hits within `text`.
    pub highlights: Vec<(usize, usize)>,
    /// `text` with each hit wrapped in `**`.
    pub marked: String,
}

/// The `window`-token stretch of `body` with the most hits (the opening when nothing hits).
pub fn snippet(body: &str, query: &QueryTerms, window: usize) -> Snippet {
    let tokens: Vec<_> = Tokens::new(body).collect();
    if tokens.is_empty() {
        return Snippet::default();
    }
    let hit: Vec<bool> = tokens
        .iter()
        .map(|t| t.kind.is_word() && query.hits(t.text))
        .collect();
    let window = window.max(1).min(tokens.len());
    let mut best = (0usize, 0usize);
    let mut count: usize = hit[..window].iter().filter(|h| **h).count();
    best.1 = count;
    for start in 1..=tokens.len() - window {
        count = count + usize::from(hit[start + window - 1]) - usize::from(hit[start - 1]);
        if count > best.1 {
            best = (start, count);
        }
    }
    let first = &tokens[best.0];
    let last = &tokens[best.0 + window - 1];
    let text = &body[first.start..last.end];
    let mut highlights = Vec::new();
    let mut marked = String::with_capacity(text.len() + 16);
    let mut cursor = first.start;
    for (t, h) in tokens[best.0..best.0 + window].iter().zip(&hit[best.0..]) {
        if *h {
            marked.push_str(&body[cursor..t.start]);
            marked.push_str("**");
            marked.push_str(t.text);
            marked.push_str("**");
            cursor = t.end;
            let s = body[first.start..t.start].chars().count();
            highlights.push((s, s + t.text.chars().count()));
        }
    }
    marked.push_str(&body[cursor..last.end]);
    let ellipsis_before = if best.0 > 0 { "… " } else { "" };
    let ellipsis_after = if best.0 + window < tokens.len() {
        " …"
    } else {
        ""
    };
    let shift = ellipsis_before.chars().count();
    Snippet {
        text: format!("{ellipsis_before}{text}{ellipsis_after}"),
        highlights: highlights
            .into_iter()
            .map(|(s, e)| (s + shift, e + shift))
            .collect(),
        marked: format!("{ellipsis_before}{marked}{ellipsis_after}"),
    }
}
