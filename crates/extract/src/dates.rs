//! Publication dates as ISO 8601 strings: a thin adapter over [`rased_text::date`], which does
//! all the parsing (machine formats with [`rased_text::date::parse_machine`], Arabic month
//! names, Hijri, "25th, August 2025 GMT" and relative expressions with
//! [`rased_text::date::parse_text_date`]).

use chrono::NaiveDate;
use rased_text::date::{self, Timestamp};

/// Parses a date string as found in metadata, feeds or JSON and returns it as ISO 8601: a
/// date-time with offset when the input has a time and an offset, otherwise a date.
pub fn parse_any(s: &str) -> Option<String> {
    parse_machine(s).or_else(|| parse_text(s, None))
}

/// Machine formats only (no Arabic text parsing).
pub fn parse_machine(s: &str) -> Option<String> {
    date::parse_machine(s).map(|t| match t {
        // Whole seconds: a fraction in the source is dropped.
        Timestamp::Zoned(dt) => dt.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        other => other.iso(),
    })
}

/// A date in free (Arabic or English) text.
pub fn parse_text(s: &str, reference: Option<NaiveDate>) -> Option<String> {
    date::parse_text_date(s, reference).map(iso_date)
}

/// A date in a URL path: `/2020/8/24/`, `/20200317/`.
pub fn from_url(url: &str) -> Option<String> {
    date::date_from_url(url).map(iso_date)
}

fn iso_date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machine_formats() {
        assert_eq!(
            parse_any("Sun, 18 Feb 2018 21:35:43 +0400").as_deref(),
            Some("2018-02-18T21:35:43+04:00")
        );
        assert_eq!(
            parse_any("2017-01-20T21:43:00+01:00").as_deref(),
            Some("2017-01-20T21:43:00+01:00")
        );
        assert_eq!(
            parse_any("2026-01-08 11:42:50+00:00").as_deref(),
            Some("2026-01-08T11:42:50+00:00")
        );
        assert_eq!(parse_any("2020-08-24").as_deref(), Some("2020-08-24"));
        assert_eq!(parse_any("11/10/2015").as_deref(), Some("2015-10-11"));
        assert_eq!(
            parse_any("2020-03-17T10:00:00").as_deref(),
            Some("2020-03-17")
        );
        assert_eq!(
            parse_any("Tue, 20 Feb 2018 10:11:12 GMT").as_deref(),
            Some("2018-02-20T10:11:12+00:00")
        );
        assert_eq!(parse_any("not a date"), None);
    }

    #[test]
    fn english_text_dates() {
        assert_eq!(
            parse_text("25th, August 2025 GMT", None).as_deref(),
            Some("2025-08-25")
        );
        assert_eq!(
            parse_text("August 3, 2013", None).as_deref(),
            Some("2013-08-03")
        );
    }

    #[test]
    fn url_dates() {
        assert_eq!(
            from_url("https://www.youm7.com/story/2020/8/24/x/4943459").as_deref(),
            Some("2020-08-24")
        );
        assert_eq!(
            from_url("http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html"),
            None
        );
    }
}
