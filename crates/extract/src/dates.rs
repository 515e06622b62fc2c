//! Publication dates: machine formats (ISO 8601, RFC 2822, numeric DD/MM/YYYY) parsed here
//! with chrono, everything else (Arabic month names, Hijri, "25th, August 2025 GMT", relative
//! expressions) delegated to [`rased_text::date::parse_date`].

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};

/// Parses a date string as found in metadata, feeds or JSON and returns it as ISO 8601: a
/// date-time with offset when the input has a time and an offset, otherwise a date.
pub fn parse_any(s: &str) -> Option<String> {
    parse_machine(s).or_else(|| parse_text(s, None))
}

/// Machine formats only (no Arabic text parsing).
pub fn parse_machine(s: &str) -> Option<String> {
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
            return plausible_date(dt.date());
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
                    return plausible_date(dt.date());
                }
            }
        }
    }
    numeric_date(s)
}

/// Dates like `2020-08-24`, `2020/8/24`, `24/08/2020`, `24-08-2020 14:30`, `24.08.2020`.
fn numeric_date(s: &str) -> Option<String> {
    let s: String = s.chars().map(rased_text::normalize::fold_digit).collect();
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

fn plausible_dt(dt: DateTime<FixedOffset>) -> Option<String> {
    plausible_date(dt.date_naive())?;
    Some(dt.to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
}

fn plausible_date(d: NaiveDate) -> Option<String> {
    let y = chrono::Datelike::year(&d);
    (1900..=2100)
        .contains(&y)
        .then(|| d.format("%Y-%m-%d").to_string())
}

/// A date in free (Arabic or English) text, via [`rased_text::date::parse_date`], then the
/// numeric patterns.
pub fn parse_text(s: &str, reference: Option<NaiveDate>) -> Option<String> {
    if let Some(m) = rased_text::date::parse_date(s, reference) {
        if m.precision == rased_text::date::Precision::Day {
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

/// `25th, August 2025 GMT`, `August 25, 2025`, `25 Aug 2025`: English dates in free text.
fn english_date(s: &str) -> Option<String> {
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

/// A date in a URL path: `/2020/8/24/`, `/2020/08/24/`, `/2013/middle_east/8/3/` is not
/// accepted (the parts must be adjacent).
pub fn from_url(url: &str) -> Option<String> {
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
