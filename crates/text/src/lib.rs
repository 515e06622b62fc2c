//! Arabic text primitives for rased. No I/O: lexicons are embedded data files.
//!
//! * [`normalize`]: display / match / search normalization with offset maps
//! * [`tokenize`]: tokens with byte and code-point offsets
//! * [`clitics`]: the proclitic runs (و ف ب ك ل س, ال, لل) as one table
//! * [`segment`]: clitic segmentation that keeps names whole
//! * [`sentence`]: sentence splitting
//! * [`stem`]: light stemming for search
//! * [`namekey`]: spelling-variant keys and similarity for names
//! * [`date`]: Arabic (and English) date expressions, absolute and relative
//! * [`limits`]: the bounds on work per document ([`Limits`])
//! * [`doc`]: the [`Document`]: a text split, tokenized and normalized once, read by every
//!   analysis stage

pub mod clitics;
pub mod date;
pub mod doc;
pub mod hash;
pub mod limits;
pub mod namekey;
pub mod normalize;
pub mod segment;
pub mod sentence;
pub mod stem;
pub mod tokenize;
pub mod word_cache;

pub use doc::Document;
pub use limits::Limits;
pub use normalize::{normalize, normalize_str, Level, Normalized};

/// Converts a byte offset into `text` to a Unicode code-point offset (the unit of the output
/// contract). `byte` must be a char boundary.
pub fn char_offset(text: &str, byte: usize) -> usize {
    text[..byte].chars().count()
}
