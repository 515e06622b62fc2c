//! The bounds on work per document: one place for every limit that keeps a hostile or unlucky
//! input (200,000 nested `<div>`s, a 160,000-token sentence, a 6 MB "article") from stalling a
//! batch.
//!
//! Each limit has a safe default, far above what real news needs (the longest article of the
//! 31,525-article ANT multisource corpus has 3,636 words), and can be changed with an
//! environment variable (`RASED_LIMIT_*`, read by [`Limits::from_env`]; the binary reads it
//! once at start). A limit changes output only on inputs that reach it:
//!
//! | setting | default | environment | when reached |
//! |---|---|---|---|
//! | [`Limits::html_max_depth`] | 512 | `RASED_LIMIT_HTML_DEPTH` | deeper start tags (and their end tags) are dropped before parsing, their text kept |
//! | [`Limits::html_max_elements`] | 200,000 | `RASED_LIMIT_HTML_ELEMENTS` | further start tags are dropped before parsing, their text kept |
//! | [`Limits::html_max_attributes`] | 256 | `RASED_LIMIT_HTML_ATTRIBUTES` | a tag keeps its first 256 attributes |
//! | [`Limits::max_sentence_tokens`] | 1,000 | `RASED_LIMIT_SENTENCE_TOKENS` | a longer sentence is cut into sentences of at most this many tokens |
//! | [`Limits::max_document_tokens`] | 100,000 | `RASED_LIMIT_DOCUMENT_TOKENS` | the article is not analyzed: failure `too_complex` |
//! | [`Limits::deadline_ms`] | 5,000 | `RASED_LIMIT_DEADLINE_MS` | analysis stops after the running stage: failure `too_complex` |
//!
//! The HTML limits are applied by a linear pre-scan, because html5ever's tree builder walks the
//! stack of open elements for many start tags (quadratic in the nesting depth) and checks each
//! attribute against the tag's earlier ones (quadratic in the attributes of one tag). The
//! sentence cap bounds every stage that is quadratic in a sentence's length. The token budget
//! is a deterministic bound: the same input always gets the same answer. The deadline is a
//! wall-clock backstop for anything the other bounds miss; it can depend on the machine's load,
//! so it is set far above what the bounded stages need.

use std::time::Duration;

/// Every bound on work per document; see the module docs for the defaults and the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of HTML elements that is parsed.
    pub html_max_depth: usize,
    /// Most HTML elements (start tags) of one page that are parsed.
    pub html_max_elements: usize,
    /// Most attributes of one HTML tag that are parsed.
    pub html_max_attributes: usize,
    /// Longest sentence, in tokens, that the analysis sees; longer ones are cut.
    pub max_sentence_tokens: usize,
    /// Most tokens in an article's title and body that are analyzed.
    pub max_document_tokens: usize,
    /// Wall-clock budget of one article's analysis, in milliseconds.
    pub deadline_ms: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

impl Limits {
    /// The defaults.
    pub const DEFAULT: Limits = Limits {
        html_max_depth: 512,
        html_max_elements: 200_000,
        html_max_attributes: 256,
        max_sentence_tokens: 1_000,
        max_document_tokens: 100_000,
        deadline_ms: 5_000,
    };

    /// The defaults, each overridden by its `RASED_LIMIT_*` environment variable when that is
    /// set. A value that is not a positive integer is an error naming the variable.
    pub fn from_env() -> Result<Limits, String> {
        Limits::from_lookup(|k| std::env::var(k).ok())
    }

    /// [`Limits::from_env`] over any lookup (for tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Limits, String> {
        let mut l = Limits::DEFAULT;
        let read = |name: &str, slot: &mut u64| -> Result<(), String> {
            if let Some(v) = get(name) {
                match v.trim().parse::<u64>() {
                    Ok(n) if n > 0 => *slot = n,
                    _ => return Err(format!("{name}={v:?}: expected a positive integer")),
                }
            }
            Ok(())
        };
        let mut fields = [
            l.html_max_depth as u64,
            l.html_max_elements as u64,
            l.html_max_attributes as u64,
            l.max_sentence_tokens as u64,
            l.max_document_tokens as u64,
            l.deadline_ms,
        ];
        for (name, slot) in ENV_NAMES.iter().zip(fields.iter_mut()) {
            read(name, slot)?;
        }
        let usize_of = |v: u64| usize::try_from(v).unwrap_or(usize::MAX);
        l.html_max_depth = usize_of(fields[0]);
        l.html_max_elements = usize_of(fields[1]);
        l.html_max_attributes = usize_of(fields[2]);
        l.max_sentence_tokens = usize_of(fields[3]);
        l.max_document_tokens = usize_of(fields[4]);
        l.deadline_ms = fields[5];
        Ok(l)
    }

    /// [`Limits::deadline_ms`] as a duration.
    pub fn deadline(&self) -> Duration {
        Duration::from_millis(self.deadline_ms)
    }
}

/// The environment variables, in the order of the fields.
pub const ENV_NAMES: [&str; 6] = [
    "RASED_LIMIT_HTML_DEPTH",
    "RASED_LIMIT_HTML_ELEMENTS",
    "RASED_LIMIT_HTML_ATTRIBUTES",
    "RASED_LIMIT_SENTENCE_TOKENS",
    "RASED_LIMIT_DOCUMENT_TOKENS",
    "RASED_LIMIT_DEADLINE_MS",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_overrides_and_refuses_nonsense() {
        let l = Limits::from_lookup(|k| (k == "RASED_LIMIT_HTML_DEPTH").then(|| "64".into()));
        assert_eq!(l.unwrap().html_max_depth, 64);
        assert_eq!(Limits::from_lookup(|_| None).unwrap(), Limits::DEFAULT);
        for bad in ["0", "-3", "many", ""] {
            let e = Limits::from_lookup(|k| (k == "RASED_LIMIT_DEADLINE_MS").then(|| bad.into()))
                .unwrap_err();
            assert!(e.contains("RASED_LIMIT_DEADLINE_MS"), "{e}");
        }
    }
}
