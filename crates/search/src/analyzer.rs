//! The three Arabic analyzers as tantivy tokenizers, and the same term functions for queries
//! (so that a query and the index always agree).

use rased_text::namekey::name_key;
use rased_text::normalize::{normalize_str, Level};
use rased_text::stem::search_stem;
use rased_text::tokenize::{TokenKind, Tokens};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::Index;

/// Registers `ar_exact`, `ar_stem` and `ar_name` on an index.
pub fn register(index: &Index) {
    let manager = index.tokenizers();
    manager.register("ar_exact", ArabicTokenizer(Kind::Exact));
    manager.register("ar_stem", ArabicTokenizer(Kind::Stem));
    manager.register("ar_name", ArabicTokenizer(Kind::Name));
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Exact,
    Stem,
    Name,
}

fn term(kind: Kind, token_text: &str, token_kind: TokenKind) -> Option<String> {
    let is_word = token_kind.is_word();
    if !is_word && token_kind != TokenKind::Number {
        return None;
    }
    let t = match kind {
        Kind::Exact => normalize_str(token_text, Level::Search).to_lowercase(),
        Kind::Stem => fold_broken_plural(search_stem(token_text)),
        Kind::Name if is_word => name_key(token_text),
        Kind::Name => return None,
    };
    (!t.is_empty()).then_some(t)
}

/// Broken plurals of the مفاعل / فعالل patterns lose their inner alif so that they meet their
/// singulars: مدارس → مدرس (= المدرسة's stem), مناطق → منطق, مساجد → مسجد. Only 5-letter
/// stems with ا in third place are touched; other plural patterns are left alone (a wrong
/// conflation costs more precision than the recall it buys).
fn fold_broken_plural(stem: String) -> String {
    let chars: Vec<char> = stem.chars().collect();
    if chars.len() == 5
        && chars[2] == 'ا'
        && chars.iter().all(|c| ('\u{0621}'..='\u{064A}').contains(c))
    {
        chars
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != 2)
            .map(|(_, c)| c)
            .collect()
    } else {
        stem
    }
}

fn terms(kind: Kind, text: &str) -> Vec<String> {
    Tokens::new(text)
        .filter_map(|t| term(kind, t.text, t.kind))
        .collect()
}

/// Exact-field terms of a text (search-level normalized words and numbers).
pub fn exact_terms(text: &str) -> Vec<String> {
    terms(Kind::Exact, text)
}

/// Stem-field terms of a text.
pub fn stem_terms(text: &str) -> Vec<String> {
    terms(Kind::Stem, text)
}

/// Name-key terms of a text.
pub fn name_terms(text: &str) -> Vec<String> {
    terms(Kind::Name, text)
}

#[derive(Clone)]
struct ArabicTokenizer(Kind);

struct ArabicTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for ArabicTokenizer {
    type TokenStream<'a> = ArabicTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ArabicTokenStream {
        let kind = self.0;
        let tokens = Tokens::new(text)
            .filter_map(|t| term(kind, t.text, t.kind).map(|term| (t, term)))
            .enumerate()
            .map(|(position, (t, term))| Token {
                offset_from: t.start,
                offset_to: t.end,
                position,
                text: term,
                position_length: 1,
            })
            .collect();
        ArabicTokenStream { tokens, next: 0 }
    }
}

impl TokenStream for ArabicTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}
