//! One text annotated once: the document every analysis stage reads.
//!
//! [`Document::new`] splits a text into paragraphs and sentences, tokenizes each sentence,
//! and interns every distinct token text as a [`WordType`] with its match-normalized form. Later
//! stages (the NER tagger, the gazetteer, the event coder, keyphrases)
//! read these layers instead of splitting, tokenizing and normalizing the text again; what
//! they derive from a word alone they derive once per *type* (news repeats its words: a
//! 500-token article has ~300 types), keyed by [`Token::ty`].
//!
//! Layers that are not every stage's business are computed on first use and kept: the
//! morphology [`Cues`] of each type, the clitic segmentation of a type ([`Document::cuts`]), the search-level normalization of the
//! whole text with its offset map ([`Document::search_text`]) and the date expressions
//! ([`Document::dates`], by [`crate::date::find_dates`] against the reference date).
//!
//! Offsets: byte offsets into the text (`start..end`) and code-point offsets (`char_start..
//! char_end`), both half-open. Tokens never cross a sentence: each sentence is tokenized on
//! its own, exactly as the stages did before the document existed.

use std::cell::OnceCell;
use std::ops::Range;

use chrono::NaiveDate;
use rustc_hash::FxHashMap;

use crate::date::DateMatch;
use crate::normalize::{normalize, normalize_str, Level, Normalized};
use crate::segment::Cuts;
use crate::tokenize::{TokenKind, Tokens};

/// A paragraph: a run of text between line breaks, with its sentences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// Byte range in the text.
    pub bytes: Range<usize>,
    /// Indexes into [`Document::sentences`].
    pub sentences: Range<usize>,
}

/// A sentence with its tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Byte range in the text (trimmed of surrounding whitespace).
    pub bytes: Range<usize>,
    /// Code-point range in the text.
    pub chars: Range<usize>,
    /// Indexes into [`Document::tokens`].
    pub tokens: Range<usize>,
    /// Index into [`Document::paragraphs`].
    pub paragraph: usize,
}

/// A token of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    /// Byte offsets into the text.
    pub start: usize,
    pub end: usize,
    /// Code-point offsets into the text.
    pub char_start: usize,
    pub char_end: usize,
    /// Index into [`Document::types`]: tokens with the same text share it.
    pub ty: u32,
    /// Index into [`Document::sentences`].
    pub sentence: u32,
}

/// Cheap morphology cues of a word, read off its match-normalized form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cues(u8);

impl Cues {
    /// The definite article, after at most the proclitics و ف ب ك ل (الوزير، والوزير، بالوزير,
    /// and ل + ال written لل: للوزير).
    pub const DEFINITE: Cues = Cues(1);
    /// A nisba (relational adjective) ending: ي، ية، يون، يين، يات (التركي، الليبية).
    pub const NISBA: Cues = Cues(2);
    /// Starts like an imperfect verb: ي ت ن أ, or the future سـ before one (يلتقي، سيزور).
    pub const VERB_PREFIX: Cues = Cues(4);
    /// Holds a digit of any digit set.
    pub const DIGIT: Cues = Cues(8);
    /// Holds a Latin letter.
    pub const LATIN: Cues = Cues(16);

    /// Does this set hold every cue of `other`?
    pub fn has(self, other: Cues) -> bool {
        self.0 & other.0 == other.0
    }

    fn insert(&mut self, other: Cues) {
        self.0 |= other.0;
    }

    /// The cues of a token: `surface` as written, `norm` its match-normalized form.
    pub fn of(surface: &str, norm: &str) -> Cues {
        let mut cues = Cues::default();
        if surface.chars().any(|c| c.is_numeric()) {
            cues.insert(Cues::DIGIT);
        }
        if surface
            .chars()
            .any(|c| c.is_ascii_alphabetic() || is_latin_letter(c))
        {
            cues.insert(Cues::LATIN);
        }
        let letters = norm.chars().count();
        if letters >= 4 {
            let after_clitics = [
                "", "و", "ف", "ب", "ك", "ل", "وب", "فب", "ول", "فل", "وك", "فك",
            ]
            .iter()
            .any(|p| norm.strip_prefix(p).is_some_and(|r| r.starts_with("ال")));
            let lam_merged = ["لل", "ولل", "فلل"].iter().any(|p| norm.starts_with(p));
            if after_clitics || lam_merged {
                cues.insert(Cues::DEFINITE);
            }
        }
        if letters >= 4
            && ["ي", "يه", "ية", "يون", "يين", "يات"]
                .iter()
                .any(|s| norm.ends_with(s))
        {
            cues.insert(Cues::NISBA);
        }
        if letters >= 3 {
            let rest = norm
                .strip_prefix('س')
                .filter(|_| letters >= 4)
                .unwrap_or(norm);
            if rest.starts_with(['ي', 'ت', 'ن', 'ا']) {
                cues.insert(Cues::VERB_PREFIX);
            }
        }
        cues
    }
}

fn is_latin_letter(c: char) -> bool {
    matches!(c, '\u{00C0}'..='\u{024F}')
}

/// A distinct token text of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordType<'a> {
    /// The token text as written.
    pub text: &'a str,
    /// Match-normalized ([`Level::Match`]): no tashkeel or tatweel, alif/ya folded, ASCII
    /// digits. Latin keeps its case.
    pub norm: String,
}

/// A text with its paragraphs, sentences, tokens and word types; see the module docs.
#[derive(Debug)]
pub struct Document<'a> {
    text: &'a str,
    paragraphs: Vec<Paragraph>,
    sentences: Vec<Sentence>,
    tokens: Vec<Token>,
    types: Vec<WordType<'a>>,
    reference: Option<NaiveDate>,
    cues: OnceCell<Vec<Cues>>,
    cuts: OnceCell<Vec<Cuts>>,
    search: OnceCell<Normalized>,
    dates: OnceCell<Vec<DateMatch>>,
}

impl<'a> Document<'a> {
    /// Annotates `text`. `reference` is the date relative expressions (أمس، الثلاثاء الماضي)
    /// resolve against: the article's publication date.
    pub fn new(text: &'a str, reference: Option<NaiveDate>) -> Document<'a> {
        Document::with_max_sentence_tokens(
            text,
            reference,
            crate::Limits::DEFAULT.max_sentence_tokens,
        )
    }

    /// [`Document::new`] with sentences of at most `max_sentence_tokens` tokens: a longer
    /// sentence (an unpunctuated page, a list of 300,000 names) is cut into consecutive
    /// sentences of that many tokens, so that the stages whose work grows with the square of a
    /// sentence's length stay linear in the document ([`crate::Limits`]). A cut falls between
    /// two tokens; the pieces keep the whitespace between them outside every sentence.
    pub fn with_max_sentence_tokens(
        text: &'a str,
        reference: Option<NaiveDate>,
        max_sentence_tokens: usize,
    ) -> Document<'a> {
        let max_sentence_tokens = max_sentence_tokens.max(1);
        let mut doc = Document {
            text,
            paragraphs: Vec::new(),
            sentences: Vec::new(),
            tokens: Vec::new(),
            types: Vec::new(),
            reference,
            cues: OnceCell::new(),
            cuts: OnceCell::new(),
            search: OnceCell::new(),
            dates: OnceCell::new(),
        };
        let mut interned: FxHashMap<&'a str, u32> = FxHashMap::default();
        let mut char_pos = 0usize;
        let mut byte_pos = 0usize;
        for range in crate::sentence::sentences(text) {
            char_pos += text[byte_pos..range.start].chars().count();
            byte_pos = range.start;
            let sentence = &text[range.clone()];
            let first_token = doc.tokens.len();
            let index = doc.sentences.len() as u32;
            for t in Tokens::new(sentence) {
                let next = interned.len() as u32;
                let ty = *interned.entry(t.text).or_insert(next);
                if ty == next {
                    let norm = normalize_str(t.text, Level::Match);
                    doc.types.push(WordType { text: t.text, norm });
                }
                doc.tokens.push(Token {
                    kind: t.kind,
                    start: range.start + t.start,
                    end: range.start + t.end,
                    char_start: char_pos + t.char_start,
                    char_end: char_pos + t.char_end,
                    ty,
                    sentence: index,
                });
            }
            let char_len = sentence.chars().count();
            let end_token = doc.tokens.len();
            if end_token - first_token <= max_sentence_tokens {
                doc.sentences.push(Sentence {
                    bytes: range.clone(),
                    chars: char_pos..char_pos + char_len,
                    tokens: first_token..end_token,
                    paragraph: 0,
                });
                continue;
            }
            let mut from = first_token;
            while from < end_token {
                let to = (from + max_sentence_tokens).min(end_token);
                let index = doc.sentences.len() as u32;
                for t in &mut doc.tokens[from..to] {
                    t.sentence = index;
                }
                let (first, last) = (doc.tokens[from], doc.tokens[to - 1]);
                let (start, char_start) = if from == first_token {
                    (range.start, char_pos)
                } else {
                    (first.start, first.char_start)
                };
                let (end, char_end) = if to == end_token {
                    (range.end, char_pos + char_len)
                } else {
                    (last.end, last.char_end)
                };
                doc.sentences.push(Sentence {
                    bytes: start..end,
                    chars: char_start..char_end,
                    tokens: from..to,
                    paragraph: 0,
                });
                from = to;
            }
        }
        doc.paragraphs = paragraphs(text, &mut doc.sentences);
        doc
    }

    /// The annotated text.
    pub fn text(&self) -> &'a str {
        self.text
    }

    pub fn paragraphs(&self) -> &[Paragraph] {
        &self.paragraphs
    }

    pub fn sentences(&self) -> &[Sentence] {
        &self.sentences
    }

    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    /// The distinct token texts, indexed by [`Token::ty`].
    pub fn types(&self) -> &[WordType<'a>] {
        &self.types
    }

    /// The tokens of sentence `s`.
    pub fn sentence_tokens(&self, s: usize) -> &[Token] {
        &self.tokens[self.sentences[s].tokens.clone()]
    }

    /// The text of sentence `s`.
    pub fn sentence_text(&self, s: usize) -> &'a str {
        &self.text[self.sentences[s].bytes.clone()]
    }

    /// The text of a token as written.
    pub fn token_text(&self, t: &Token) -> &'a str {
        self.types[t.ty as usize].text
    }

    /// The match-normalized form of a token.
    pub fn norm(&self, t: &Token) -> &str {
        &self.types[t.ty as usize].norm
    }

    /// The morphology cues of a token (read off each type's match form on first use).
    pub fn cues(&self, t: &Token) -> Cues {
        self.cues.get_or_init(|| {
            self.types
                .iter()
                .map(|w| Cues::of(w.text, &w.norm))
                .collect()
        })[t.ty as usize]
    }

    /// Clitic segmentation of each type's match form ([`crate::segment::cuts`]), indexed by
    /// [`Token::ty`]: apply it to [`WordType::norm`].
    pub fn cuts(&self) -> &[Cuts] {
        self.cuts.get_or_init(|| {
            self.types
                .iter()
                .map(|w| crate::segment::cuts(&w.norm))
                .collect()
        })
    }

    /// The whole text at [`Level::Search`], with its map back to the text's byte offsets.
    pub fn search_text(&self) -> &Normalized {
        self.search
            .get_or_init(|| normalize(self.text, Level::Search))
    }

    /// The date expressions of the text, resolved against the reference date; spans are byte
    /// ranges into the text.
    pub fn dates(&self) -> &[DateMatch] {
        self.dates
            .get_or_init(|| crate::date::find_dates(self.text, self.reference))
    }

    /// The reference date relative expressions resolve against.
    pub fn reference(&self) -> Option<NaiveDate> {
        self.reference
    }

    /// The index of the sentence holding byte offset `byte`, if any.
    pub fn sentence_at(&self, byte: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.bytes.end <= byte);
        (i < self.sentences.len() && self.sentences[i].bytes.start <= byte).then_some(i)
    }
}

/// Paragraphs are the runs of text between line breaks; each sentence belongs to the one its
/// start falls in (the sentence splitter never lets a sentence cross a line break).
fn paragraphs(text: &str, sentences: &mut [Sentence]) -> Vec<Paragraph> {
    let mut out: Vec<Paragraph> = Vec::new();
    let mut start = 0;
    let push = |range: Range<usize>, out: &mut Vec<Paragraph>| {
        if !text[range.clone()].trim().is_empty() {
            out.push(Paragraph {
                bytes: range,
                sentences: 0..0,
            });
        }
    };
    for (i, c) in text.char_indices() {
        if matches!(c, '\n' | '\r' | '\u{2029}') {
            push(start..i, &mut out);
            start = i + c.len_utf8();
        }
    }
    push(start..text.len(), &mut out);
    let mut p = 0;
    for (si, s) in sentences.iter_mut().enumerate() {
        while p + 1 < out.len() && out[p].bytes.end <= s.bytes.start {
            p += 1;
        }
        if let Some(par) = out.get_mut(p) {
            if par.sentences.is_empty() {
                par.sentences = si..si + 1;
            } else {
                par.sentences.end = si + 1;
            }
        }
        s.paragraph = p;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_and_offsets() {
        let text = "التقى إبراهيم قالين بخليفة حفتر. وبحث الجانبان الوضع.\nسيزور الوفد التركي بنغازي 2025.";
        let doc = Document::new(text, None);
        assert_eq!(doc.sentences().len(), 3);
        assert_eq!(doc.paragraphs().len(), 2);
        assert_eq!(doc.paragraphs()[0].sentences, 0..2);
        assert_eq!(doc.paragraphs()[1].sentences, 2..3);
        assert_eq!(doc.sentences()[2].paragraph, 1);
        for s in doc.sentences() {
            let chars: String = text
                .chars()
                .skip(s.chars.start)
                .take(s.chars.len())
                .collect();
            assert_eq!(chars, &text[s.bytes.clone()]);
        }
        for t in doc.tokens() {
            assert_eq!(doc.token_text(t), &text[t.start..t.end]);
            let chars: String = text
                .chars()
                .skip(t.char_start)
                .take(t.char_end - t.char_start)
                .collect();
            assert_eq!(chars, doc.token_text(t));
        }
        let word = |w: &str| {
            doc.tokens()
                .iter()
                .find(|t| doc.token_text(t) == w)
                .unwrap()
        };
        assert_eq!(doc.norm(word("إبراهيم")), "ابراهيم");
        assert!(doc.cues(word("الجانبان")).has(Cues::DEFINITE));
        assert!(doc.cues(word("التركي")).has(Cues::NISBA));
        assert!(doc.cues(word("سيزور")).has(Cues::VERB_PREFIX));
        assert!(doc.cues(word("2025")).has(Cues::DIGIT));
        assert!(!doc.cues(word("بنغازي")).has(Cues::DEFINITE));
        assert_eq!(doc.sentence_at(text.find("وبحث").unwrap()), Some(1));
    }

    #[test]
    fn repeated_words_share_a_type() {
        let doc = Document::new("حفتر وحفتر حفتر.", None);
        let tys: Vec<u32> = doc.tokens().iter().map(|t| t.ty).collect();
        assert_eq!(tys[0], tys[2]);
        assert_ne!(tys[0], tys[1]);
        assert_eq!(doc.types().len(), 3); // حفتر, وحفتر, "."
    }

    #[test]
    fn lazy_layers() {
        let text = "وصل الوفد أمس إلى بنغازي";
        let doc = Document::new(text, NaiveDate::from_ymd_opt(2025, 8, 26));
        assert_eq!(doc.dates().len(), 1);
        assert_eq!(doc.dates()[0].date.to_string(), "2025-08-25");
        let t = doc.tokens()[1];
        let seg = doc.cuts()[t.ty as usize].apply(doc.norm(&t));
        assert_eq!(seg.stem, "وفد");
        assert!(doc.search_text().text.contains("بنغازي"));
    }

    #[test]
    fn empty_and_blank() {
        for text in ["", "   ", "\n\n"] {
            let doc = Document::new(text, None);
            assert!(doc.tokens().is_empty());
            assert!(doc.sentences().is_empty());
        }
    }

    /// A sentence over the cap becomes consecutive sentences of at most that many tokens,
    /// with consistent offsets; shorter ones are untouched.
    #[test]
    fn long_sentences_are_cut_into_bounded_pieces() {
        let words: Vec<&str> = "قال الرئيس إن الوفد زار طرابلس".split(' ').collect();
        let long: Vec<&str> = (0..2_501).map(|i| words[i % words.len()]).collect();
        let text = format!("جملة قصيرة.\n{} نهاية", long.join(" "));
        let doc = Document::with_max_sentence_tokens(&text, None, 1_000);
        let whole = Document::with_max_sentence_tokens(&text, None, usize::MAX);
        assert_eq!(whole.sentences().len(), 2);
        assert_eq!(doc.sentences().len(), 1 + 3);
        let unsentenced = |d: &Document| -> Vec<Token> {
            d.tokens()
                .iter()
                .map(|t| Token { sentence: 0, ..*t })
                .collect()
        };
        assert_eq!(unsentenced(&doc), unsentenced(&whole));
        for (i, s) in doc.sentences().iter().enumerate() {
            assert!(s.tokens.len() <= 1_000);
            assert_eq!(s.paragraph, usize::from(i > 0));
            let chars: String = text
                .chars()
                .skip(s.chars.start)
                .take(s.chars.len())
                .collect();
            assert_eq!(chars, &text[s.bytes.clone()]);
            for t in doc.sentence_tokens(i) {
                assert_eq!(t.sentence as usize, i);
                assert!(s.bytes.start <= t.start && t.end <= s.bytes.end);
            }
            assert_eq!(doc.sentence_at(s.bytes.start), Some(i));
        }
        assert_eq!(doc.sentences()[3].tokens.len(), 2_502 - 2_000);
    }
}
