//! Typed extraction errors with stable codes.

use thiserror::Error;

/// Why an input (or part of it) could not be turned into articles. `Display` is one line:
/// `INPUT: reason`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ExtractError {
    #[error("{input}: empty input")]
    Empty { input: String },
    #[error("{input}: binary data, not a news format (first bytes {head})")]
    Binary { input: String, head: String },
    #[error("{input}: {size} bytes exceeds the size limit of {limit} bytes (--max-bytes)")]
    TooLarge {
        input: String,
        size: u64,
        limit: u64,
    },
    #[error("{input}: truncated or corrupt gzip stream ({detail})")]
    TruncatedGzip { input: String, detail: String },
    #[error("{input}: truncated or malformed WARC ({detail})")]
    BadWarc { input: String, detail: String },
    #[error("{input}: no article found ({detail})")]
    NoArticle { input: String, detail: String },
    #[error("{input}: not a valid XML feed ({detail})")]
    NotXml { input: String, detail: String },
    #[error("{input}: line {line}: {detail}")]
    BadJsonLine {
        input: String,
        line: usize,
        detail: String,
    },
    #[error("{input}: {detail}")]
    Charset { input: String, detail: String },
    #[error("{input}: {detail}")]
    Io { input: String, detail: String },
    #[error("{input}: {detail}")]
    Trimmed { input: String, detail: String },
}

impl ExtractError {
    /// A stable machine-readable code for the error kind.
    pub fn code(&self) -> &'static str {
        match self {
            ExtractError::Empty { .. } => "empty_input",
            ExtractError::Binary { .. } => "binary_input",
            ExtractError::TooLarge { .. } => "too_large",
            ExtractError::TruncatedGzip { .. } => "truncated_gzip",
            ExtractError::BadWarc { .. } => "bad_warc",
            ExtractError::NoArticle { .. } => "no_article",
            ExtractError::NotXml { .. } => "not_xml",
            ExtractError::BadJsonLine { .. } => "bad_json_line",
            ExtractError::Charset { .. } => "charset",
            ExtractError::Io { .. } => "io",
            ExtractError::Trimmed { .. } => "html_trimmed",
        }
    }

    /// The input the error is about.
    pub fn input(&self) -> &str {
        match self {
            ExtractError::Empty { input }
            | ExtractError::Binary { input, .. }
            | ExtractError::TooLarge { input, .. }
            | ExtractError::TruncatedGzip { input, .. }
            | ExtractError::BadWarc { input, .. }
            | ExtractError::NoArticle { input, .. }
            | ExtractError::NotXml { input, .. }
            | ExtractError::BadJsonLine { input, .. }
            | ExtractError::Charset { input, .. }
            | ExtractError::Io { input, .. }
            | ExtractError::Trimmed { input, .. } => input,
        }
    }

    /// Whether this is a warning (the input still produced articles, e.g. a wrong declared
    /// charset that was corrected, or HTML cut to the limits) rather than a failure.
    pub fn is_warning(&self) -> bool {
        matches!(
            self,
            ExtractError::Charset { .. } | ExtractError::Trimmed { .. }
        )
    }
}
