//! Machine-written dates: metadata, feeds, JSON-LD and URLs. Fixed layouts parsed with chrono
//! (RFC 3339, RFC 2822 and their common variants, numeric `24/08/2020`), with the free-text
//! fallback for a metadata value written as prose.
//!
//! These readings are stricter about what counts than the scanner's [`parse_timestamp`]
//! (whose input may be an Arabic date line) and keep only what a publication date needs: a
//! timestamp with its offset when the text has a time and an offset, otherwise the date (a
//! local or Zulu time of another layout keeps only its date). Years outside 1900–2100 are
//! rejected as implausible.
//!
//! [`parse_timestamp`]: super::parse_timestamp

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime};

use super::{parse_date, Precision, Timestamp};
use crate::normalize::fold_digit;

/// Parses a machine timestamp (the whole text, quotes and blanks trimmed): an RFC 3339 / 2822
/// time with offset gives [`Timestamp::Zoned`]; every other accepted layout gives
/// [`Timestamp::Date`]. Arabic text is not parsed (see [`parse_text_date`]).
pub fn parse_machine(s: &str) -> Option<Timestamp> {
    let s = s.trim().trim_matches(|c: char| c == '"' || c == '\'');
    if s.is_empty() || s.len() > 80 {
        return None;
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return plausible_dt(dt);
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(s) {
        return plausible_dt(dt);
    }
    // RFC 2822 variants with a zone name chrono does not know, or without weekday.
    for fmt in [
        "%Y-%m-%d %H:%M:%S%:z",
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%d %H:%M:%S %z",
        "%a, %d %b %Y %H:%M:%S %z",
        "%d %b %Y %H:%M:%S %z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(s, fmt) {
            return plausible_dt(dt);
        }
    }
    // Zulu times with other layouts, or local times without offset: keep the date.
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.fZ",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
        "%a, %d %b %Y %H:%M:%S",
        "%d %b %Y %H:%M:%S",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
            return plausible_date(dt.date()).map(Timestamp::Date);
        }
    }
    // RFC 2822 with an unknown zone abbreviation: drop the zone, keep the date.
    if let Some((head, zone)) = s.rsplit_once(' ') {
        if zone.chars().all(|c| c.is_ascii_alphabetic()) && zone.len() <= 5 {
            for fmt in [
                "%a, %d %b %Y %H:%M:%S",
                "%d %b %Y %H:%M:%S",
                "%a, %d %b %Y %H:%M",
            ] {
                if let Ok(dt) = NaiveDateTime::parse_from_str(head, fmt) {
                    return plausible_date(dt.date()).map(Timestamp::Date);
                }
            }
        }
    }
    numeric_date(s).map(Timestamp::Date)
}

/// A date in free (Arabic or English) text, as a metadata value or a page's date line: the
/// first day-precise expression of [`parse_date`], else the first numeric date token
/// (`24/08/2020`), else an English date (`25th, August 2025 GMT`, `August 25, 2025`).
pub fn parse_text_date(s: &str, reference: Option<NaiveDate>) -> Option<NaiveDate> {
    if let Some(m) = parse_date(s, reference) {
        if m.precision == Precision::Day {
            return plausible_date(m.date);
        }
    }
    // Numeric dates inside text: find the first token that parses.
    for tok in s.split(|c: char| c.is_whitespace() || c == '،' || c == ',' || c == '|') {
        if tok.len() >= 8 {
            if let Some(d) = numeric_date(tok) {
                return Some(d);
            }
        }
    }
    english_date(s)
}

/// A date in a URL path: `/2020/8/24/`, `/2020/08/24/`, or a compact `/20200317/` (also as
/// the head of a date-prefixed id). `/2013/middle_east/8/3/` is not accepted (the parts must
/// be adjacent).
pub fn date_from_url(url: &str) -> Option<NaiveDate> {
    let path = url.split(['?', '#']).next()?;
    let parts: Vec<&str> = path.split('/').collect();
    for w in parts.windows(3) {
        let ok = |p: &str, lo: usize, hi: usize| {
            p.len() >= lo && p.len() <= hi && p.bytes().all(|b| b.is_ascii_digit())
        };
        if ok(w[0], 4, 4) && ok(w[1], 1, 2) && ok(w[2], 1, 2) {
            let d = NaiveDate::from_ymd_opt(
                w[0].parse().ok()?,
                w[1].parse().ok()?,
                w[2].parse().ok()?,
            )?;
            return plausible_date(d);
        }
    }
    // Compact forms like /20200317/ or 202003171044893040 (a date-prefixed id).
    for p in parts {
        if p.len() >= 8 && p.bytes().take(8).all(|b| b.is_ascii_digit()) {
            let (y, m, d) = (&p[0..4], &p[4..6], &p[6..8]);
            if let (Ok(y), Ok(m), Ok(d)) = (y.parse(), m.parse(), d.parse()) {
                if (1995..=2100).contains(&y) {
                    if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
                        return plausible_date(date);
                    }
                }
            }
        }
    }
    None
}

/// Dates like `2020-08-24`, `2020/8/24`, `24/08/2020`, `24-08-2020 14:30`, `24.08.2020`.
fn numeric_date(s: &str) -> Option<NaiveDate> {
    let s: String = s.chars().map(fold_digit).collect();
    let head = s.split([' ', 'T']).next()?;
    let parts: Vec<&str> = head.split(['-', '/', '.']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let n: Vec<u32> = parts.iter().map(|p| p.parse().unwrap_or(0)).collect();
    let (y, m, d) = if parts[0].len() == 4 {
        (n[0] as i32, n[1], n[2])
    } else if parts[2].len() == 4 {
        // Arabic and European sources write day first; month first only when forced.
        if n[1] > 12 && n[0] <= 12 {
            (n[2] as i32, n[0], n[1])
        } else {
            (n[2] as i32, n[1], n[0])
        }
    } else {
        return None;
    };
    plausible_date(NaiveDate::from_ymd_opt(y, m, d)?)
}

fn plausible_dt(dt: DateTime<FixedOffset>) -> Option<Timestamp> {
    plausible_date(dt.date_naive())?;
    Some(Timestamp::Zoned(dt))
}

fn plausible_date(d: NaiveDate) -> Option<NaiveDate> {
    (1900..=2100).contains(&d.year()).then_some(d)
}

/// `25th, August 2025 GMT`, `August 25, 2025`, `25 Aug 2025`: English dates in free text.
fn english_date(s: &str) -> Option<NaiveDate> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = s.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        let Some(m) = MONTHS.iter().position(|m| w.len() >= 3 && w.starts_with(m)) else {
            continue;
        };
        let num = |w: &str| -> Option<u32> {
            let digits: String = w.chars().take_while(|c| c.is_ascii_digit()).collect();
            let rest = &w[digits.len()..];
            if digits.is_empty() || !(rest.is_empty() || ["st", "nd", "rd", "th"].contains(&rest)) {
                return None;
            }
            digits.parse().ok()
        };
        let before = i.checked_sub(1).and_then(|j| num(words[j]));
        let after = words.get(i + 1).and_then(|w| num(w));
        let after2 = words.get(i + 2).and_then(|w| num(w));
        let (d, y) = match (before, after, after2) {
            (Some(d), Some(y), _) if y >= 1900 && d <= 31 => (d, y),
            (_, Some(d), Some(y)) if y >= 1900 && d <= 31 => (d, y),
            _ => continue,
        };
        if let Some(date) = NaiveDate::from_ymd_opt(y as i32, m as u32 + 1, d) {
            return plausible_date(date);
        }
    }
    None
}
