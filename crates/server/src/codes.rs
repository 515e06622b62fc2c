//! The one registry of error codes: every code the HTTP API answers in
//! `{"error": {"code", "message"}}` and every failure code the CLI prints (`[code]` on stderr)
//! and records (`rased failures`, `GET /api/failures`), with its HTTP status and what it means.
//!
//! Codes are stable API: a code never changes meaning, and a new one is added here first. The
//! OpenAPI document (`assets/openapi.json`, schema `ErrorCode`) lists the same codes; the
//! tests below check the two against each other, and against the codes the libraries return
//! (`ExtractError::code`, `StoreError::code`, …) and the literals the server's sources use.

/// One error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub code: &'static str,
    /// The HTTP status the API answers with it; `None` for a failure code that is recorded or
    /// printed but never an API error (an input that could not be read).
    pub status: Option<u16>,
    /// Where it comes from: `api`, `extract`, `analyze`, `store`, `index`, `ingest`.
    pub origin: &'static str,
    pub description: &'static str,
}

const fn c(
    code: &'static str,
    status: Option<u16>,
    origin: &'static str,
    description: &'static str,
) -> Code {
    Code {
        code,
        status,
        origin,
        description,
    }
}

/// Every code, sorted by origin and then by code.
pub const CODES: &[Code] = &[
    c("admin_disabled", Some(403), "api", "the admin routes exist only with --admin-token"),
    c("analysis_resources", Some(500), "api", "the analysis resources (KB, NER model) failed to load"),
    c("bad_parameter", Some(400), "api", "a query parameter is unknown, repeated or has a bad value (the message names it)"),
    c("json", Some(500), "api", "a response could not be serialized"),
    c("method_not_allowed", Some(405), "api", "the path exists but not for this HTTP method"),
    c("no_route", Some(404), "api", "no route has this path"),
    c("not_found", Some(404), "api", "no article, entity, story or event has this id"),
    c("task_failed", Some(500), "api", "a background task (ingest, a blocking query) panicked or was cancelled"),
    c("timeout", Some(503), "api", "the request took longer than --timeout"),
    c("unauthorized", Some(401), "api", "the admin token is missing or wrong"),
    c("unknown_entity", Some(400), "api", "an entity filter matches no entity by id or name"),
    c("upload_io", Some(500), "api", "the uploaded body could not be read or saved"),
    c("too_complex", None, "analyze", "the article exceeds the analysis limits (token budget or deadline; RASED_LIMIT_*): not stored, recorded"),
    c("bad_json_line", None, "extract", "a JSON Lines record is not valid JSON or has no text"),
    c("bad_warc", None, "extract", "a WARC archive is truncated or malformed"),
    c("binary_input", None, "extract", "the input is binary data, not a news format"),
    c("charset", None, "extract", "warning: the declared charset was wrong and was corrected"),
    c("empty_input", None, "extract", "the input is empty"),
    c("html_trimmed", None, "extract", "warning: HTML over the nesting, element or attribute limits was cut before parsing"),
    c("io", None, "extract", "the input could not be read"),
    c("no_article", None, "extract", "no article text was found in the input"),
    c("not_xml", None, "extract", "a feed is not valid XML"),
    c("too_large", None, "extract", "the input or a record exceeds --max-bytes"),
    c("truncated_gzip", None, "extract", "a gzip stream is truncated or corrupt"),
    c("index_error", Some(500), "index", "the search index failed"),
    c("index_open", Some(500), "index", "the search index could not be opened"),
    c("index_write", Some(500), "index", "the search index could not be written (disk full, file size limit, read-only)"),
    c("ingest_busy", Some(409), "ingest", "another ingest is writing to the data directory"),
    c("ingest_lock", Some(500), "ingest", "the ingest lock file could not be created or locked"),
    c("store_database", Some(500), "store", "the store's database (SQLite or PostgreSQL) failed"),
    c("store_json", Some(500), "store", "a stored JSON value is invalid"),
    c("store_newer_schema", Some(500), "store", "the data directory was written by a newer rased"),
    c("store_open", Some(500), "store", "the store could not be opened"),
    c("store_write", Some(500), "store", "the store could not be written (disk full, file size limit, read-only); committed batches are intact"),
];

/// The registry entry of `code`.
pub fn lookup(code: &str) -> Option<&'static Code> {
    CODES.iter().find(|c| c.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_described() {
        let mut seen = std::collections::HashSet::new();
        for c in CODES {
            assert!(seen.insert(c.code), "{} listed twice", c.code);
            assert!(!c.description.is_empty());
            assert!(c
                .code
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch == '_'));
        }
    }

    /// The OpenAPI document lists exactly these codes, with these statuses and descriptions.
    #[test]
    fn openapi_lists_the_registry() {
        let doc: serde_json::Value =
            serde_json::from_str(include_str!("../assets/openapi.json")).unwrap();
        let schema = &doc["components"]["schemas"]["ErrorCode"];
        let listed: Vec<&str> = schema["enum"]
            .as_array()
            .expect("ErrorCode.enum")
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let ours: Vec<&str> = CODES.iter().map(|c| c.code).collect();
        assert_eq!(listed, ours);
        let table = schema["x-codes"].as_array().expect("ErrorCode.x-codes");
        assert_eq!(table.len(), CODES.len());
        for (row, c) in table.iter().zip(CODES) {
            assert_eq!(row["code"], c.code);
            assert_eq!(row["status"].as_u64().map(|s| s as u16), c.status);
            assert_eq!(row["origin"], c.origin);
            assert_eq!(row["description"], c.description);
        }
        assert_eq!(
            doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]
                ["$ref"],
            "#/components/schemas/ErrorCode"
        );
    }

    /// Every code the libraries can return is registered.
    #[test]
    fn library_codes_are_registered() {
        use rased_extract::ExtractError as E;
        let (input, detail) = (String::new(), String::new());
        let extract = [
            E::Empty {
                input: input.clone(),
            },
            E::Binary {
                input: input.clone(),
                head: detail.clone(),
            },
            E::TooLarge {
                input: input.clone(),
                size: 0,
                limit: 0,
            },
            E::TruncatedGzip {
                input: input.clone(),
                detail: detail.clone(),
            },
            E::BadWarc {
                input: input.clone(),
                detail: detail.clone(),
            },
            E::NoArticle {
                input: input.clone(),
                detail: detail.clone(),
            },
            E::NotXml {
                input: input.clone(),
                detail: detail.clone(),
            },
            E::BadJsonLine {
                input: input.clone(),
                line: 0,
                detail: detail.clone(),
            },
            E::Charset {
                input: input.clone(),
                detail: detail.clone(),
            },
            E::Io {
                input: input.clone(),
                detail: detail.clone(),
            },
            E::Trimmed {
                input: input.clone(),
                detail,
            },
        ];
        for e in &extract {
            assert!(lookup(e.code()).is_some(), "{} is not registered", e.code());
        }
        let too_complex = rased_analyze::AnalyzeError::TooManyTokens {
            tokens: 1,
            limit: 0,
        };
        assert!(lookup(too_complex.code()).is_some());
        let busy = rased_ingest::IngestError::Busy(String::new());
        assert_eq!(lookup(busy.code()).unwrap().status, Some(409));
    }

    /// Every code literal in the sources that return codes is registered: `ApiError` builders
    /// in the server, and the `code()` matches of the store, index and ingest crates.
    #[test]
    fn source_literals_are_registered() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let files = [
            "server/src/api.rs",
            "server/src/error.rs",
            "server/src/lib.rs",
            "server/src/ui.rs",
            "store/src/lib.rs",
            "search/src/lib.rs",
            "ingest/src/lib.rs",
            "extract/src/error.rs",
            "analyze/src/pipeline.rs",
        ];
        let mut found = 0;
        for f in files {
            let text = std::fs::read_to_string(format!("{root}/{f}")).unwrap();
            for code in code_literals(&text) {
                found += 1;
                assert!(lookup(&code).is_some(), "{f}: `{code}` is not in CODES");
            }
        }
        assert!(
            found >= 30,
            "only {found} code literals found: is the scan still right?"
        );
    }

    /// `=> "code"` arms, `ApiError::internal("code"`, `StatusCode::X, "code"` and a `"code"`
    /// alone on the line after a `StatusCode`.
    fn code_literals(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let lines: Vec<&str> = text.lines().collect();
        let quoted = |s: &str| -> Option<String> {
            let s = s.trim().strip_prefix('"')?;
            let end = s.find('"')?;
            let code = &s[..end];
            (!code.is_empty() && code.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
                .then(|| code.to_string())
        };
        for (i, line) in lines.iter().enumerate() {
            let in_code_fn = lines[..i]
                .iter()
                .rev()
                .find(|l| {
                    l.trim_start().starts_with("pub fn ") || l.trim_start().starts_with("fn ")
                })
                .is_some_and(|l| l.contains("fn code("));
            if in_code_fn {
                if let Some((_, rhs)) = line.split_once("=> ") {
                    out.extend(quoted(rhs));
                }
            }
            if let Some((_, rhs)) = line.split_once("ApiError::internal(") {
                out.extend(quoted(rhs));
            }
            if let Some((_, rhs)) = line.split_once("StatusCode::") {
                if let Some((_, after)) = rhs.split_once(',') {
                    out.extend(quoted(after));
                }
            }
            if line.trim_start().starts_with("StatusCode::")
                || line.trim().ends_with("StatusCode::INTERNAL_SERVER_ERROR,")
            {
                if let Some(next) = lines.get(i + 1) {
                    out.extend(quoted(next.trim().trim_end_matches(',')));
                }
            }
        }
        out
    }
}
