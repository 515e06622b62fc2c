//! Normalization at three levels, each with a map back to the original text.
//!
//! * [`Level::Display`]: NFC, bidi controls and tatweel removed, Arabic presentation forms
//!   unfolded. What a reader sees, minus invisible noise.
//! * [`Level::Match`]: display plus tashkeel and Quranic marks removed, hamza-carrying alifs
//!   (أ إ آ ٱ) folded to ا, ى to ي, Persian ک/ی to Arabic, and Arabic-Indic / Persian
//!   digits to ASCII. What gazetteers and name keys compare.
//! * [`Level::Search`]: match plus ة → ه. Folding ة must come *after* stemming (the stemmer
//!   needs to see ة to strip it), so the search analyzer stems match-level tokens and then
//!   calls [`fold_ta_marbuta`].

use std::borrow::Cow;
use std::ops::Range;

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;

/// How far to normalize.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Level {
    Display,
    #[default]
    Match,
    Search,
}

impl std::str::FromStr for Level {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "display" => Ok(Level::Display),
            "match" => Ok(Level::Match),
            "search" => Ok(Level::Search),
            other => Err(format!(
                "unknown normalization level `{other}` (expected display, match or search)"
            )),
        }
    }
}

/// Normalized text with, for every normalized char, the byte range of the original text it
/// came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    pub text: String,
    /// One entry per char of `text`: (byte offset of that char in `text`, original byte range).
    map: Vec<(u32, u32, u32)>,
    original_len: usize,
}

impl Normalized {
    /// Maps a byte range of the normalized text to the byte range of the original text that
    /// produced it. Both ends of the input must be char boundaries of `self.text`.
    pub fn to_original(&self, range: Range<usize>) -> Range<usize> {
        if range.start >= range.end {
            let at = self.original_offset(range.start);
            return at..at;
        }
        let first = self.char_index(range.start);
        let last = self.char_index(range.end - 1);
        self.map[first].1 as usize..self.map[last].2 as usize
    }

    /// Original byte offset at which the normalized byte offset `offset` begins.
    pub fn original_offset(&self, offset: usize) -> usize {
        if offset >= self.text.len() {
            return self.original_len;
        }
        self.map[self.char_index(offset)].1 as usize
    }

    /// Original byte range of each normalized char, in order.
    pub fn char_origins(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        self.map.iter().map(|&(_, s, e)| s as usize..e as usize)
    }

    fn char_index(&self, byte: usize) -> usize {
        match self.map.binary_search_by_key(&(byte as u32), |m| m.0) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }
}

/// Normalizes `text` to `level`, keeping a map back to the original.
pub fn normalize(text: &str, level: Level) -> Normalized {
    let mut out = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len() / 2);
    for_each_folded(text, level, |c, range| {
        map.push((out.len() as u32, range.start as u32, range.end as u32));
        out.push(c);
    });
    Normalized {
        text: out,
        map,
        original_len: text.len(),
    }
}

/// Normalizes `text` to `level` without building an offset map (the fast path for indexing).
pub fn normalize_str(text: &str, level: Level) -> String {
    if level != Level::Display {
        if let Some(out) = fold_simple(text, level) {
            return out;
        }
    }
    normalize_str_general(text, level)
}

/// [`normalize_str`] without the shortcut for plain text: the reference the shortcut is
/// tested against.
#[doc(hidden)]
pub fn normalize_str_general(text: &str, level: Level) -> String {
    let mut out = String::with_capacity(text.len());
    for_each_folded(text, level, |c, _| out.push(c));
    out
}

/// The match/search fold of text made only of chars that fold the same alone as in any
/// context: no NFC composition or reordering can involve them (ASCII, Arabic letters, digits
/// and punctuation, the harakat that these levels drop anyway, common quotes and dashes).
/// Most news text is such; `None` at the first char that is not (a combining mark that may
/// compose, a presentation form, anything else), and the general path runs instead.
fn fold_simple(text: &str, level: Level) -> Option<String> {
    let table = arabic_block_folds(level);
    let bytes = text.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    // Bytes that stay as they are (ASCII, most letters) are copied in runs from `kept`.
    let mut kept = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            i += 1;
            continue;
        }
        // The Arabic block U+0600–U+06FF is two bytes, D8–DB then a continuation byte: fold
        // it by table, without decoding.
        if (0xD8..=0xDB).contains(&b) && i + 1 < bytes.len() {
            let cp = (usize::from(b & 0x1F) << 6) | usize::from(bytes[i + 1] & 0x3F);
            let fold = table[cp - 0x600];
            if let BlockFold::Keep = fold {
                i += 2;
                continue;
            }
            out.extend_from_slice(&bytes[kept..i]);
            match fold {
                BlockFold::Bail => return None,
                BlockFold::To(x, y) => out.extend_from_slice(&[x, y]),
                BlockFold::Ascii(x) => out.push(x),
                BlockFold::Drop | BlockFold::Keep => {}
            }
            i += 2;
            kept = i;
            continue;
        }
        let c = text[i..].chars().next()?;
        if !folds_alone(c) {
            return None;
        }
        out.extend_from_slice(&bytes[kept..i]);
        if let Some(f) = fold_letter(c, level) {
            let mut buf = [0; 4];
            out.extend_from_slice(f.encode_utf8(&mut buf).as_bytes());
        }
        i += c.len_utf8();
        kept = i;
    }
    out.extend_from_slice(&bytes[kept..]);
    String::from_utf8(out).ok()
}

/// What the shortcut does with a char of the Arabic block.
#[derive(Clone, Copy)]
enum BlockFold {
    /// Not foldable alone: take the general path.
    Bail,
    Drop,
    Keep,
    /// Another char of the block, as its two UTF-8 bytes.
    To(u8, u8),
    /// An ASCII char (digits).
    Ascii(u8),
}

/// The fold of every char of U+0600–U+06FF at `level` (match or search), computed once from
/// [`folds_alone`] and [`fold_letter`], so the table cannot disagree with them.
fn arabic_block_folds(level: Level) -> &'static [BlockFold; 256] {
    static MATCH: std::sync::OnceLock<[BlockFold; 256]> = std::sync::OnceLock::new();
    static SEARCH: std::sync::OnceLock<[BlockFold; 256]> = std::sync::OnceLock::new();
    let cell = if level == Level::Search {
        &SEARCH
    } else {
        &MATCH
    };
    cell.get_or_init(|| {
        let mut table = [BlockFold::Bail; 256];
        for (i, slot) in table.iter_mut().enumerate() {
            let Some(c) = char::from_u32(0x600 + i as u32) else {
                continue;
            };
            if !folds_alone(c) {
                continue;
            }
            *slot = match fold_letter(c, level) {
                None => BlockFold::Drop,
                Some(f) if f == c => BlockFold::Keep,
                Some(f) if f.is_ascii() => BlockFold::Ascii(f as u8),
                Some(f) => {
                    let mut buf = [0; 4];
                    match f.encode_utf8(&mut buf).as_bytes() {
                        [x, y] => BlockFold::To(*x, *y),
                        _ => BlockFold::Bail,
                    }
                }
            };
        }
        table
    })
}

/// Is `c` a char whose fold at match/search level does not depend on its neighbours? Not
/// ASCII (handled by the caller). The madda and hamza marks (U+0653–U+0655) compose with the
/// letter before them, so they are out; the other harakat only reorder among themselves and
/// these levels drop them all.
#[inline]
fn folds_alone(c: char) -> bool {
    matches!(c,
        '\u{0621}'..='\u{0652}'
        | '\u{0656}'..='\u{065F}'
        | '\u{0660}'..='\u{066D}'
        | '\u{0670}'..='\u{06D3}'
        | '\u{06F0}'..='\u{06F9}'
        | '\u{060C}' | '\u{061B}' | '\u{061C}' | '\u{061F}'
        | '\u{00A0}' | '\u{00AB}' | '\u{00BB}'
        | '\u{200B}'..='\u{200F}'
        | '\u{2010}'..='\u{2027}')
}

/// Folds ة to ه. Apply after stemming (see the module docs).
pub fn fold_ta_marbuta(text: &str) -> String {
    text.replace('\u{0629}', "\u{0647}")
}

/// Maps Arabic-Indic (٠-٩) and Persian (۰-۹) digits to ASCII; any other char is returned as is.
#[inline]
pub fn fold_digit(c: char) -> char {
    match c {
        '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
        '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
        _ => c,
    }
}

/// `text` lowercased: the same as [`str::to_lowercase`], without its per-char table lookups
/// and the copy when no char of `text` can change case (ASCII without capitals, Arabic
/// script: the usual news text).
pub fn lowercase(text: &str) -> Cow<'_, str> {
    let caseless = |c: char| {
        if c.is_ascii() {
            !c.is_ascii_uppercase()
        } else {
            // Arabic script, its presentation forms, Latin-1 and general punctuation.
            matches!(c,
                '\u{00A0}'..='\u{00BF}'
                | '\u{0600}'..='\u{06FF}'
                | '\u{0750}'..='\u{077F}'
                | '\u{08A0}'..='\u{08FF}'
                | '\u{2000}'..='\u{206F}'
                | '\u{FB50}'..='\u{FDFF}'
                | '\u{FE70}'..='\u{FEFF}')
                || c.is_whitespace()
        }
    };
    if text.chars().all(caseless) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.to_lowercase())
    }
}

/// Is `c` an Arabic diacritic (tashkeel, superscript alif, Quranic annotation)?
#[inline]
pub fn is_tashkeel(c: char) -> bool {
    matches!(c, '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06DC}' | '\u{06DF}'..='\u{06E4}' | '\u{06E7}' | '\u{06E8}' | '\u{06EA}'..='\u{06ED}')
}

/// Invisible direction marks and embeddings that leak into copied news text.
#[inline]
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

const TATWEEL: char = '\u{0640}';

/// Runs the normalization of `text`, calling `emit` for every output char with the byte range
/// of the original it came from. Text is cut into runs of one starter plus its combining marks;
/// a run that is a single char takes a fast path, others go through NFC first.
fn for_each_folded(text: &str, level: Level, mut emit: impl FnMut(char, Range<usize>)) {
    let mut chars = text.char_indices().peekable();
    let mut run = String::new();
    while let Some((start, c)) = chars.next() {
        let mut end = start + c.len_utf8();
        let composite = matches!(chars.peek(), Some(&(_, next)) if continues_run(next));
        if !composite {
            if needs_nfc(c) {
                run.clear();
                run.push(c);
                for n in run.nfc() {
                    fold_char(n, level, |f| emit(f, start..end));
                }
            } else {
                fold_char(c, level, |f| emit(f, start..end));
            }
            continue;
        }
        // A starter with its marks. Tatweel and bidi controls inside the run are dropped
        // before composing, so that removing them cannot create a new composable sequence
        // on a second pass (idempotence).
        run.clear();
        if !is_ignorable(c) {
            push_unfolded(&mut run, c);
        }
        while let Some(&(i, next)) = chars.peek() {
            if !continues_run(next) {
                break;
            }
            if !is_ignorable(next) {
                push_unfolded(&mut run, next);
            }
            end = i + next.len_utf8();
            chars.next();
        }
        if level == Level::Display {
            for n in run.nfc() {
                fold_char(n, level, |f| emit(f, start..end));
            }
            continue;
        }
        // Dropping tashkeel can leave marks that compose only now (a + U+0653 + U+0301:
        // the madda blocked the acute), so compose once more after folding.
        let mut folded = String::with_capacity(run.len());
        for n in run.nfc() {
            fold_char(n, level, |f| folded.push(f));
        }
        for n in folded.nfc() {
            fold_char(n, level, |f| emit(f, start..end));
        }
    }
}

/// Does `c` belong to the run of the char before it: a combining mark, or an ignorable char
/// (tatweel, bidi control) that may sit between a letter and its marks?
#[inline]
fn continues_run(c: char) -> bool {
    // The common case first: ASCII, and Arabic letters and digits, which are NFC starters
    // (class 0, stable), without the class lookup.
    if c < '\u{0300}'
        || matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | '\u{0660}'..='\u{066D}')
    {
        return false;
    }
    c >= '\u{0300}'
        && (canonical_combining_class(c) != 0
            || is_ignorable(c)
            || decomposes_unstably(c)
            || is_presentation_mark(c))
}

/// Presentation forms of marks (ﹷ is tatweel + fatha): once unfolded they are marks of the
/// run before them.
#[inline]
fn is_presentation_mark(c: char) -> bool {
    is_presentation_form(c)
        && c.nfkc()
            .find(|&k| !is_ignorable(k))
            .is_some_and(|k| canonical_combining_class(k) != 0)
        && c.nfkc().next().is_some_and(|k| k != ' ')
}

/// Chars with combining class 0 that NFC still changes or reorders, such as U+0F73, which
/// decomposes into two marks: they must join the run before them, or a second pass would see
/// those marks and reorder them with the previous run (idempotence).
#[inline]
fn decomposes_unstably(c: char) -> bool {
    !(0x0600..=0x06FF).contains(&(c as u32))
        && unicode_normalization::is_nfc_quick(std::iter::once(c))
            != unicode_normalization::IsNormalized::Yes
}

/// Chars every level drops.
#[inline]
fn is_ignorable(c: char) -> bool {
    c == TATWEEL || is_bidi_control(c)
}

/// Pushes `c` onto a run awaiting NFC, unfolding presentation forms first so that a mark
/// after ﻻ composes with its alif as it would after لا.
fn push_unfolded(run: &mut String, c: char) {
    if is_presentation_form(c) {
        run.extend(c.nfkc().filter(|&k| !is_ignorable(k)));
    } else {
        run.push(c);
    }
}

/// Chars whose NFC form differs from themselves even standing alone (singletons such as
/// U+2126 OHM SIGN), checked cheaply: everything below U+0340 and the Arabic block is stable.
#[inline]
fn needs_nfc(c: char) -> bool {
    let u = c as u32;
    !(u < 0x0340 || (0x0600..=0x06FF).contains(&u))
        && unicode_normalization::is_nfc_quick(std::iter::once(c))
            != unicode_normalization::IsNormalized::Yes
}

/// Folds one NFC char at `level`, emitting zero, one or more chars.
#[inline]
fn fold_char(c: char, level: Level, mut emit: impl FnMut(char)) {
    if c.is_ascii() {
        emit(c);
    } else if is_presentation_form(c) {
        // Legacy encodings and PDFs leave presentation forms (ﻻ, ﺍ); NFKC gives the letters.
        for k in c.nfkc() {
            if let Some(f) = fold_letter(k, level) {
                emit(f);
            }
        }
    } else if let Some(f) = fold_letter(c, level) {
        emit(f);
    }
}

/// Folds one char that is not a presentation form; `None` drops it.
#[inline]
fn fold_letter(c: char, level: Level) -> Option<char> {
    if is_ignorable(c) {
        return None;
    }
    if level == Level::Display {
        return Some(c);
    }
    if is_tashkeel(c) {
        return None;
    }
    Some(match c {
        '\u{0622}' | '\u{0623}' | '\u{0625}' | '\u{0671}' | '\u{0672}' | '\u{0673}' => '\u{0627}',
        '\u{0649}' | '\u{06CC}' => '\u{064A}',
        '\u{06A9}' => '\u{0643}',
        '\u{0629}' if level == Level::Search => '\u{0647}',
        _ => fold_digit(c),
    })
}

#[inline]
fn is_presentation_form(c: char) -> bool {
    matches!(c, '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFE}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_level_folds_hamza_alif_yeh_digits_tashkeel() {
        assert_eq!(normalize_str("إِبْرَاهِيم", Level::Match), "ابراهيم");
        assert_eq!(normalize_str("مصطفى", Level::Match), "مصطفي");
        assert_eq!(normalize_str("٢٠٢٥ ۱۴", Level::Match), "2025 14");
        assert_eq!(normalize_str("آذار", Level::Match), "اذار");
        assert_eq!(normalize_str("مدرسة", Level::Match), "مدرسة");
        assert_eq!(normalize_str("مدرسة", Level::Search), "مدرسه");
    }

    #[test]
    fn display_level_strips_tatweel_and_bidi_only() {
        assert_eq!(normalize_str("جـــديد\u{200F}", Level::Display), "جديد");
        assert_eq!(normalize_str("إِبْرَاهِيم", Level::Display), "إِبْرَاهِيم");
    }

    #[test]
    fn marks_hidden_in_a_starter_stay_idempotent() {
        // U+0F73 has class 0 but decomposes into two marks that NFC reorders with the mark
        // before it; the second pass must not reorder again.
        for level in [Level::Display, Level::Match, Level::Search] {
            for text in ["\u{1e008}\u{f73}", "\u{1cf4}\u{fe77}", "ب\u{fe77}\u{1cf4}"] {
                let once = normalize_str(text, level);
                assert_eq!(normalize_str(&once, level), once, "{text:?} at {level:?}");
            }
        }
    }

    #[test]
    fn decomposed_hamza_composes_before_folding() {
        // و + HAMZA ABOVE is ؤ under NFC; it must not become a bare و.
        assert_eq!(normalize_str("\u{0648}\u{0654}", Level::Match), "ؤ");
        assert_eq!(normalize_str("\u{0627}\u{0653}", Level::Match), "ا");
    }

    #[test]
    fn presentation_forms_unfold() {
        assert_eq!(normalize_str("\u{FEFB}", Level::Match), "لا");
    }

    #[test]
    fn offsets_map_back_to_original() {
        let original = "قالَـــين في أنقرة";
        let n = normalize(original, Level::Match);
        assert_eq!(n.text, "قالين في انقرة");
        let start = n.text.find("انقرة").unwrap();
        let r = n.to_original(start..n.text.len());
        assert_eq!(&original[r], "أنقرة");
        let r = n.to_original(0..n.text.find(' ').unwrap());
        assert_eq!(&original[r], "قالَـــين");
    }
}
