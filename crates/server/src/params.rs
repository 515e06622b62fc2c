//! Query parameters, checked: unknown names, repeated names, bad numbers and bad dates are
//! refused with a `bad_parameter` error naming the parameter (a typo must not silently widen a
//! query).

use axum::extract::rejection::QueryRejection;
use axum::extract::Query;

use crate::error::ApiError;

/// The largest page a list returns.
pub const MAX_LIMIT: usize = 200;
/// The longest free-text parameter accepted.
const MAX_TEXT: usize = 512;
/// The deepest page reachable (bounds the work of `OFFSET`).
const MAX_OFFSET: usize = 100_000;

pub type RawQuery = Result<Query<Vec<(String, String)>>, QueryRejection>;

pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Reads the query string, allowing only the `known` parameter names.
    pub fn parse(raw: RawQuery, known: &[&str]) -> Result<Self, ApiError> {
        let Query(pairs) = raw.map_err(|e| ApiError::bad_parameter("query", e.body_text()))?;
        for (i, (name, _)) in pairs.iter().enumerate() {
            if !known.contains(&name.as_str()) {
                return Err(ApiError::bad_parameter(
                    name,
                    format!("unknown parameter; known: {}", known.join(", ")),
                ));
            }
            if pairs[..i].iter().any(|(n, _)| n == name) {
                return Err(ApiError::bad_parameter(name, "given more than once"));
            }
        }
        Ok(Params { pairs })
    }

    /// A text parameter; empty counts as absent.
    pub fn text(&self, name: &str) -> Result<Option<String>, ApiError> {
        let Some((_, v)) = self.pairs.iter().find(|(n, _)| n == name) else {
            return Ok(None);
        };
        let v = v.trim();
        if v.chars().count() > MAX_TEXT {
            return Err(ApiError::bad_parameter(
                name,
                format!("longer than {MAX_TEXT} characters"),
            ));
        }
        Ok((!v.is_empty()).then(|| v.to_string()))
    }

    /// A non-negative number, `default` when absent, at most `max`.
    pub fn number(&self, name: &str, default: usize, max: usize) -> Result<usize, ApiError> {
        match self.text(name)? {
            None => Ok(default),
            Some(v) => match v.parse::<usize>() {
                Ok(n) if n <= max => Ok(n),
                Ok(_) => Err(ApiError::bad_parameter(name, format!("at most {max}"))),
                Err(_) => Err(ApiError::bad_parameter(
                    name,
                    format!("`{v}` is not a whole number ≥ 0"),
                )),
            },
        }
    }

    /// `limit` (1..=MAX_LIMIT, default `default`) and `offset`.
    pub fn page(&self, default: usize) -> Result<Page, ApiError> {
        let limit = self.number("limit", default, MAX_LIMIT)?;
        if limit == 0 {
            return Err(ApiError::bad_parameter("limit", "at least 1"));
        }
        let offset = self.number("offset", 0, MAX_OFFSET)?;
        Ok(Page { limit, offset })
    }

    /// A date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. For the end of a range, a partial date
    /// means its last day.
    pub fn date(&self, name: &str, end_of_range: bool) -> Result<Option<String>, ApiError> {
        let Some(v) = self.text(name)? else {
            return Ok(None);
        };
        match expand_date(&v, end_of_range) {
            Some(d) => Ok(Some(d)),
            None => Err(ApiError::bad_parameter(
                name,
                format!("`{v}` is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
            )),
        }
    }
}

/// The paging of a list.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub limit: usize,
    pub offset: usize,
}

impl Page {
    /// The offset of the next page, when this one came back full.
    pub fn next(&self, returned: usize) -> Option<usize> {
        (returned >= self.limit).then_some(self.offset + self.limit)
    }
}

fn expand_date(v: &str, end_of_range: bool) -> Option<String> {
    let parts: Vec<&str> = v.split('-').collect();
    let num = |s: &str, len: usize| -> Option<u32> {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let year = num(parts.first()?, 4)?;
    let month = match parts.get(1) {
        Some(m) => Some(num(m, 2).filter(|m| (1..=12).contains(m))?),
        None => None,
    };
    let day = match parts.get(2) {
        Some(d) => Some(num(d, 2).filter(|d| (1..=31).contains(d))?),
        None => None,
    };
    if parts.len() > 3 {
        return None;
    }
    Some(match (month, day, end_of_range) {
        (Some(m), Some(d), _) => format!("{year:04}-{m:02}-{d:02}"),
        (Some(m), None, false) => format!("{year:04}-{m:02}-01"),
        (Some(m), None, true) => format!("{year:04}-{m:02}-31"),
        (None, _, false) => format!("{year:04}-01-01"),
        (None, _, true) => format!("{year:04}-12-31"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_expand_to_whole_ranges() {
        assert_eq!(expand_date("2025", false).as_deref(), Some("2025-01-01"));
        assert_eq!(expand_date("2025", true).as_deref(), Some("2025-12-31"));
        assert_eq!(expand_date("2025-08", true).as_deref(), Some("2025-08-31"));
        assert_eq!(
            expand_date("2025-08-25", true).as_deref(),
            Some("2025-08-25")
        );
        for bad in ["25", "2025-13", "2025-8-1", "2025-08-25-1", "yesterday", ""] {
            assert_eq!(expand_date(bad, false), None, "{bad}");
        }
    }

    #[test]
    fn pages_know_when_there_is_more() {
        let p = Page {
            limit: 20,
            offset: 40,
        };
        assert_eq!(p.next(20), Some(60));
        assert_eq!(p.next(7), None);
    }
}
