//! A tokenizer for Arabic news text that keeps byte and code-point offsets.
//!
//! Every non-whitespace char of the input belongs to exactly one token, so the tokens
//! concatenated equal the input with its whitespace removed. Kinds:
//!
//! * words in Arabic script, Latin script, or both glued (`الـCNN`), with their tashkeel,
//!   tatweel and joiners; Latin letters keep attached digits and inner hyphens/apostrophes
//!   (`G20`, `al-Assad`, `don't`), Arabic letters and digits are split (`بـ2025` → `بـ` `2025`);
//! * numbers in ASCII, Arabic-Indic or Persian digits with inner separators (`25/08/2025`,
//!   `٣٫٥`, `1,000`, `10:30`);
//! * hashtags (`#قسد`), @mentions, URLs (`https://…`, `www.…`) and e-mail addresses;
//! * punctuation (`،` `؛` `؟` `«` `»` `“` `”`…), a run of the same mark being one token (`...`);
//! * anything else (symbols, emoji) one char a token.

use serde::Serialize;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// Arabic-script word.
    Arabic,
    /// Latin-script word (may hold digits: `G20`).
    Latin,
    /// Letters of Arabic and Latin script glued together.
    Mixed,
    Number,
    Hashtag,
    Mention,
    Url,
    Email,
    Punct,
    Symbol,
}

impl TokenKind {
    /// Is this a word of any script?
    pub fn is_word(self) -> bool {
        matches!(
            self,
            TokenKind::Arabic | TokenKind::Latin | TokenKind::Mixed
        )
    }
}

/// A token: a slice of the input with its offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Token<'a> {
    pub text: &'a str,
    pub kind: TokenKind,
    /// Byte offsets into the input, half-open.
    pub start: usize,
    pub end: usize,
    /// Code-point offsets into the input, half-open.
    pub char_start: usize,
    pub char_end: usize,
}

/// Tokenizes `text`.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    Tokens::new(text).collect()
}

/// An iterator over the tokens of a text.
pub struct Tokens<'a> {
    text: &'a str,
    pos: usize,
    char_pos: usize,
}

impl<'a> Tokens<'a> {
    pub fn new(text: &'a str) -> Self {
        Tokens {
            text,
            pos: 0,
            char_pos: 0,
        }
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let rest = &self.text[self.pos..];
        let skipped = rest.len() - rest.trim_start().len();
        if skipped > 0 {
            self.char_pos += rest[..skipped].chars().count();
            self.pos += skipped;
        }
        let rest = &self.text[self.pos..];
        let first = rest.chars().next()?;
        let (len, kind) = scan(rest, first);
        debug_assert!(len > 0 && rest.is_char_boundary(len));
        let piece = &rest[..len];
        let chars = if piece.is_ascii() {
            len
        } else {
            piece.chars().count()
        };
        let token = Token {
            text: piece,
            kind,
            start: self.pos,
            end: self.pos + len,
            char_start: self.char_pos,
            char_end: self.char_pos + chars,
        };
        self.pos += len;
        self.char_pos += chars;
        Some(token)
    }
}

/// Scans one token at the start of `rest` (which starts with the non-space `first`),
/// returning its byte length and kind.
fn scan(rest: &str, first: char) -> (usize, TokenKind) {
    if let Some(len) = scan_url(rest) {
        return (len, TokenKind::Url);
    }
    if first == '#' || first == '@' {
        let body = scan_word_run(&rest[1..]);
        if body > 0 {
            let kind = if first == '#' {
                TokenKind::Hashtag
            } else {
                TokenKind::Mention
            };
            return (1 + body, kind);
        }
    }
    if is_digit(first) {
        return (scan_number(rest), TokenKind::Number);
    }
    if is_letter(first) {
        if let Some(len) = scan_email(rest) {
            return (len, TokenKind::Email);
        }
        return scan_word(rest);
    }
    if is_punct(first) {
        let len = rest
            .char_indices()
            .find(|&(_, c)| c != first)
            .map_or(rest.len(), |(i, _)| i);
        return (len, TokenKind::Punct);
    }
    // A symbol, plus any combining marks or joiners stuck to it (emoji sequences, stray
    // tashkeel after a space) so that no token starts with a mark.
    let mut len = first.len_utf8();
    for c in rest[len..].chars() {
        if is_mark(c) || is_joiner(c) {
            len += c.len_utf8();
        } else {
            break;
        }
    }
    (len, TokenKind::Symbol)
}

/// Letters of one word: Arabic and Latin letters with their marks, tatweel and joiners.
/// Latin letters take digits and inner `-`/`'`; Arabic letters stop at digits.
fn scan_word(rest: &str) -> (usize, TokenKind) {
    let mut arabic = false;
    let mut latin = false;
    let mut end = 0;
    let mut iter = rest.char_indices().peekable();
    while let Some(&(i, c)) = iter.peek() {
        if is_arabic_letter(c) || c == '\u{0640}' || (is_mark(c) || is_joiner(c)) && end > 0 {
            arabic |= is_arabic_letter(c) || c == '\u{0640}';
        } else if c.is_alphabetic() {
            latin = true;
        } else if c.is_ascii_digit() && latin && !arabic {
            // G20, F16, 5G-style Latin alphanumerics
        } else if (c == '-' || c == '\'' || c == '’') && latin && !arabic {
            // An inner hyphen or apostrophe joins Latin letters: al-Assad, don't.
            let next = rest[i + c.len_utf8()..].chars().next();
            if !next.is_some_and(|n| n.is_alphabetic() && !is_arabic_letter(n)) {
                break;
            }
        } else {
            break;
        }
        end = i + c.len_utf8();
        iter.next();
    }
    let kind = match (arabic, latin) {
        (true, true) => TokenKind::Mixed,
        (false, true) => TokenKind::Latin,
        _ => TokenKind::Arabic,
    };
    (end.max(rest.chars().next().map_or(1, char::len_utf8)), kind)
}

/// Length of a hashtag/mention body: letters, digits, marks and underscores.
fn scan_word_run(s: &str) -> usize {
    s.char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '_' || is_mark(c) || c == '\u{0640}'))
        .map_or(s.len(), |(i, _)| i)
}

/// Digits with inner separators: a separator counts only when a digit follows it.
fn scan_number(rest: &str) -> usize {
    let mut end = 0;
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_digit(c) {
            end = i + c.len_utf8();
        } else if is_number_separator(c) {
            match chars.peek() {
                Some(&(_, n)) if is_digit(n) => {}
                _ => break,
            }
        } else {
            break;
        }
    }
    end
}

fn scan_url(rest: &str) -> Option<usize> {
    // Only the first bytes decide (a slice of the whole rest here would make tokenizing
    // quadratic).
    let head = rest.as_bytes();
    let starts = |prefix: &[u8]| {
        head.len() >= prefix.len() && head[..prefix.len()].eq_ignore_ascii_case(prefix)
    };
    if !(starts(b"http://") || starts(b"https://") || starts(b"www.")) {
        return None;
    }
    let mut end = rest
        .char_indices()
        .find(|&(_, c)| c.is_whitespace() || matches!(c, '"' | '<' | '>' | '«' | '»' | '“' | '”'))
        .map_or(rest.len(), |(i, _)| i);
    // Sentence punctuation after a URL belongs to the sentence.
    while let Some(c) = rest[..end].chars().next_back() {
        if matches!(
            c,
            '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '،' | '؛' | '؟' | '\''
        ) {
            end -= c.len_utf8();
        } else {
            break;
        }
    }
    (end > 7).then_some(end)
}

fn scan_email(rest: &str) -> Option<usize> {
    let end = rest
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+' | '@')))
        .map_or(rest.len(), |(i, _)| i);
    let candidate = rest[..end].trim_end_matches('.');
    let at = candidate.find('@')?;
    let domain = &candidate[at + 1..];
    (at > 0 && domain.contains('.') && !domain.contains('@') && !domain.ends_with('.'))
        .then_some(candidate.len())
}

#[inline]
fn is_digit(c: char) -> bool {
    c.is_ascii_digit()
        || ('\u{0660}'..='\u{0669}').contains(&c)
        || ('\u{06F0}'..='\u{06F9}').contains(&c)
}

#[inline]
fn is_number_separator(c: char) -> bool {
    matches!(c, '.' | ',' | '/' | ':' | '٫' | '٬' | '-')
}

/// Arabic-script letters (not digits, punctuation or marks).
#[inline]
pub fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | '\u{066E}'..='\u{066F}' | '\u{0671}'..='\u{06D3}' | '\u{06D5}' | '\u{06EE}'..='\u{06EF}' | '\u{06FA}'..='\u{06FC}' | '\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08C9}' | '\u{FB50}'..='\u{FDFB}' | '\u{FE70}'..='\u{FEFC}')
}

#[inline]
fn is_letter(c: char) -> bool {
    is_arabic_letter(c) || c.is_alphabetic()
}

/// Combining marks that continue a word (tashkeel and general Mn marks).
#[inline]
fn is_mark(c: char) -> bool {
    crate::normalize::is_tashkeel(c)
        || matches!(c, '\u{0300}'..='\u{036F}' | '\u{0653}'..='\u{0655}' | '\u{FE00}'..='\u{FE0F}')
}

/// Zero-width joiners and bidi marks that sit inside words in copied text.
#[inline]
fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{061C}')
}

#[inline]
fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '،' | '؛'
                | '؟'
                | '٪'
                | '«'
                | '»'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '…'
                | '–'
                | '—'
                | '٭'
                | '۔'
                | '•'
                | '·'
                | '‹'
                | '›'
                | '„'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(&str, TokenKind)> {
        tokenize(text)
            .into_iter()
            .map(|t| (t.text, t.kind))
            .collect()
    }

    #[test]
    fn arabic_sentence_with_punctuation() {
        use TokenKind::*;
        assert_eq!(
            kinds("التقى قالين، بحفتر؟ «نعم»"),
            vec![
                ("التقى", Arabic),
                ("قالين", Arabic),
                ("،", Punct),
                ("بحفتر", Arabic),
                ("؟", Punct),
                ("«", Punct),
                ("نعم", Arabic),
                ("»", Punct)
            ]
        );
    }

    #[test]
    fn numbers_in_all_digit_sets_with_separators() {
        use TokenKind::*;
        assert_eq!(
            kinds("٢٥/٠٨/٢٠٢٥ و3.5% و٣٫٥ و1,000 الساعة 10:30."),
            vec![
                ("٢٥/٠٨/٢٠٢٥", Number),
                ("و", Arabic),
                ("3.5", Number),
                ("%", Punct),
                ("و", Arabic),
                ("٣٫٥", Number),
                ("و", Arabic),
                ("1,000", Number),
                ("الساعة", Arabic),
                ("10:30", Number),
                (".", Punct)
            ]
        );
    }

    #[test]
    fn urls_hashtags_mentions_emails_mixed() {
        use TokenKind::*;
        assert_eq!(
            kinds(
                "#قسد @rased_news https://example.com/a?b=1، info@example.org الـCNN G20 al-Assad"
            ),
            vec![
                ("#قسد", Hashtag),
                ("@rased_news", Mention),
                ("https://example.com/a?b=1", Url),
                ("،", Punct),
                ("info@example.org", Email),
                ("الـCNN", Mixed),
                ("G20", Latin),
                ("al-Assad", Latin)
            ]
        );
    }

    #[test]
    fn arabic_letters_and_digits_split() {
        use TokenKind::*;
        assert_eq!(
            kinds("بـ2025م"),
            vec![("بـ", Arabic), ("2025", Number), ("م", Arabic)]
        );
        assert_eq!(
            kinds("كوفيد-19"),
            vec![("كوفيد", Arabic), ("-", Punct), ("19", Number)]
        );
    }

    #[test]
    fn offsets_in_bytes_and_chars() {
        let text = "أنقرة – التقى";
        let tokens = tokenize(text);
        assert_eq!(tokens.len(), 3);
        let t = tokens[2];
        assert_eq!(&text[t.start..t.end], "التقى");
        assert_eq!((t.char_start, t.char_end), (8, 13));
    }

    #[test]
    fn tashkeel_and_tatweel_stay_in_word() {
        assert_eq!(kinds("مُحَمَّـــد").len(), 1);
    }
}
