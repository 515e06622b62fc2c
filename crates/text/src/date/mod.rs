//! Arabic (and English) date expressions, absolute and relative.
//!
//! The scanner works on a *key* form of the text: [`Level::Match`] normalization (digits folded
//! to ASCII, tashkeel and tatweel gone, أ/إ/آ → ا, ى → ي) plus ASCII lower-casing and ة → ه.
//! Both extra folds keep byte lengths, so key offsets are normalized offsets and every span is
//! mapped back to the original input through
//! [`Normalized::to_original`](crate::normalize::Normalized::to_original).
//!
//! What is recognised (see the module tests and `tests/fixtures/dates.tsv` for real examples):
//!
//! * day-month-year with Gregorian month names of every regional set (Egyptian/Gulf يناير…,
//!   Levantine/Iraqi كانون الثاني…, Maghrebi جانفي…, Moroccan يوليوز/غشت/شتنبر…,
//!   Mauritanian أغشت/دجمبر…), dual forms (`مارس/ آذار`, `(مارس) آذار`), ordinal day words
//!   (`العاشر من مارس`), `الـ10 من شهر سبتمبر`, ranges (`5 و6 دجنبر 2018` gives two dates);
//! * month-year ([`Precision::Month`]), `عام 2020` / `سنة 2020` ([`Precision::Year`]), and a
//!   bare year after a preposition when punctuation follows (`منذ 2014،`, `في 2011.`);
//! * Hijri dates (`15 رمضان 1446 هـ`), converted the Umm al-Qura way (month starts the day
//!   after a conjunction that falls before sunset at Mecca; see [`hijri_to_gregorian`]). On 15
//!   checked month starts of 1436–1447 AH it matched the official dates 13 times and was a day
//!   early twice (moonset rule not modelled; the tabular calendar matched 9). A text that gives
//!   both calendars yields the Gregorian date. Without a year, a Hijri month needs a reference
//!   and a qualifier or anchor (`رمضان الماضي`, `شهر رمضان`, `27 رمضان`);
//! * weekday prefixes, times (`10:30 ص`, `الساعة 3 عصرا`), `م`/`هـ` era markers;
//! * numeric forms (`25/08/2025`, `2025-08-25`, `17.03.2020`, `17/03/20`), day first unless
//!   the first number is a year or only month-first is valid;
//! * RFC 822/2822 and ISO 8601 timestamps, English leftovers (`25th, August 2025 GMT`,
//!   `Aug. 25, 2025`);
//! * relative expressions resolved against a reference date (see [`find_dates`] for the
//!   rules). Without a reference they yield nothing: never today's date.
//!
//! `date` is always the first day of the period it names: for [`Precision::Month`] the 1st of
//! the month, for [`Precision::Year`] the 1st of January. For a Hijri month or year it is the
//! Gregorian date of the 1st of that Hijri month or of 1 Muharram.
//!
//! Machine-written dates of metadata, feeds and URLs have their own strict entry points,
//! [`parse_machine`], [`parse_text_date`] and [`date_from_url`] (what `rased-extract` reads
//! `published` with).
//!
//! # Layout
//!
//! * `lexicon`: the word tables (embedded from `data/text/dates/*.tsv`, see the README there)
//!   and clitic variants of a word;
//! * `scanner`: tokens, the scanner's helpers and its entry point;
//! * `absolute`: numeric dates, day-first and month-first dates, years;
//! * `relative`: periods (الشهر الماضي), `قبل`/`منذ` durations, weekday and relative-day leads;
//! * `hijri`: Hijri dates and the Umm al-Qura / tabular conversions;
//! * `time`: times of day and zones after a date;
//! * `machine`: metadata timestamps with chrono's fixed layouts.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use chrono::{DateTime, Datelike, Days, FixedOffset, Months, NaiveDate, NaiveDateTime, NaiveTime};

use crate::normalize::{is_tashkeel, normalize, normalize_str, Level};

mod absolute;
mod hijri;
mod lexicon;
mod machine;
mod relative;
mod scanner;
#[cfg(test)]
mod tests;
mod time;

pub use hijri::{gregorian_to_hijri, hijri_to_gregorian, hijri_to_gregorian_tabular};
use lexicon::*;
pub use machine::{date_from_url, parse_machine, parse_text_date};
use scanner::*;

/// How precisely a date expression names its day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Day,
    Month,
    Year,
}

/// The calendar the expression was written in (the `date` is always Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Calendar {
    #[default]
    Gregorian,
    Hijri,
}

/// A date found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMatch {
    /// The (proleptic Gregorian) date; the first day of the month or year when `precision` is
    /// coarser than a day. With a `time`, this is the local date as written.
    pub date: NaiveDate,
    pub precision: Precision,
    /// Byte range of the expression in the input.
    pub span: Range<usize>,
    /// Time of day when the expression gives one (`10:30 ص`, `الساعة 3 عصرا`, RFC 2822).
    pub time: Option<NaiveTime>,
    /// UTC offset in minutes when the expression gives one (`+0300`, `GMT`, `Z`); only set
    /// together with `time`.
    pub offset_minutes: Option<i32>,
    /// True when the date was resolved against the reference date (أمس, الأحد الماضي, a day
    /// and month without a year, …).
    pub relative: bool,
    /// The calendar the expression was written in.
    pub calendar: Calendar,
}

impl DateMatch {
    /// ISO 8601 text at the match's precision: `2025-08-25`, `2025-08` or `2025`; with a time,
    /// `2025-08-25T10:00:00` and, with an offset too, `2025-08-25T10:00:00+03:00`.
    pub fn iso(&self) -> String {
        match (self.precision, self.time) {
            (Precision::Year, _) => format!("{:04}", self.date.year()),
            (Precision::Month, _) => format!("{:04}-{:02}", self.date.year(), self.date.month()),
            (Precision::Day, None) => self.date.format("%Y-%m-%d").to_string(),
            (Precision::Day, Some(t)) => {
                let local = self.date.and_time(t);
                match self
                    .offset_minutes
                    .and_then(|m| FixedOffset::east_opt(m * 60))
                {
                    Some(off) => match local.and_local_timezone(off).single() {
                        Some(dt) => dt.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false),
                        None => local.format("%Y-%m-%dT%H:%M:%S").to_string(),
                    },
                    None => local.format("%Y-%m-%dT%H:%M:%S").to_string(),
                }
            }
        }
    }
}

/// A feed or metadata timestamp, as precise as the text allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timestamp {
    /// Date and time with a known UTC offset (RFC 2822, ISO 8601 with `Z`/`±hh:mm`, `GMT`).
    Zoned(DateTime<FixedOffset>),
    /// Date and time without an offset (`2017-01-22T185600`, `17/05/2015 10:30`).
    Local(NaiveDateTime),
    /// A date only (`17/05/2015`, `25th, August 2025 GMT`).
    Date(NaiveDate),
}

impl Timestamp {
    /// The calendar date as written (local to the stated offset).
    pub fn date(&self) -> NaiveDate {
        match self {
            Timestamp::Zoned(dt) => dt.date_naive(),
            Timestamp::Local(dt) => dt.date(),
            Timestamp::Date(d) => *d,
        }
    }

    /// ISO 8601: `2025-08-25T10:00:00+03:00`, `2025-08-25T10:00:00` or `2025-08-25`.
    pub fn iso(&self) -> String {
        match self {
            Timestamp::Zoned(dt) => dt.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false),
            Timestamp::Local(dt) => dt.format("%Y-%m-%dT%H:%M:%S").to_string(),
            Timestamp::Date(d) => d.format("%Y-%m-%d").to_string(),
        }
    }
}

/// Finds the first date expression in `text`. Relative expressions need `reference`.
///
/// When a text gives the same day in both calendars (`1 ربيع الأول 1447 هـ الموافق 25 أغسطس
/// 2025`), the one match carries the Gregorian date.
pub fn parse_date(text: &str, reference: Option<NaiveDate>) -> Option<DateMatch> {
    scan(text, reference, true).into_iter().next()
}

/// Finds every date expression in `text`, non-overlapping and in order.
///
/// A time of day belongs to a date expression (`الجمعة 10 مارس 2017 الساعة 14:30`,
/// `اليوم الساعة 3 عصرا`); a time alone is not a date. A bare month (`في مايو`) is not a
/// date either: it needs a day, a year, a qualifier (`الماضي`), `شهر`, `مطلع`/`أواخر`… or a dual
/// name, since مارس/ماي/آب are also ordinary words and names.
///
/// Relative expressions are resolved against `reference` (the article's date) and are skipped
/// without one:
///
/// * `اليوم` = reference; `أمس`/`الأمس`/`البارحة` −1; `أول أمس`/`أول من أمس`/`أمس الأول` −2;
///   `غدا` +1; `بعد غد` +2. `اليوم الاثنين`: the reference if it is a Monday, else the nearest
///   past Monday (the article is taken to be dated a little late).
/// * A weekday alone or after `يوم` (`يوم الأحد`, `الأحد`): the nearest past-or-same such day,
///   within 6 days. `الأحد الماضي`: the most recent Sunday strictly before the reference;
///   `الأحد المقبل`/`القادم`: the next one strictly after.
/// * `قبل`/`منذ` + count + unit (`قبل خمس سنوات`, `منذ 3 ساعات`, `قبل عامين`, `قبل أسبوع`):
///   years give [`Precision::Year`], months [`Precision::Month`], weeks and days
///   [`Precision::Day`]; hours and minutes give the reference day (minus whole days for ≥ 24
///   hours), since the reference has no time. `قبل يومين من …` (before some other event) is
///   not resolved against the reference.
/// * `الشهر الماضي`/`الجاري`/`المقبل`, `هذا الشهر`, `مطلع الشهر الجاري`: Month precision;
///   `العام الماضي`, `السنة الماضية`, `هذا العام`: Year; `الأسبوع الماضي`: reference − 7 days,
///   Day precision (there is no week precision; the date is a point in that week).
/// * A month with `الماضي` (`مارس الماضي`): the most recent such month strictly before the
///   reference's month; a day and month with `الماضي` (`7 يناير الماضي`): the most recent such
///   day strictly before the reference. `الجاري`/`الحالي`: the reference's year; `المقبل`:
///   the next one after. A day and month with no year and no qualifier, or a month anchored
///   by `شهر`, a dual name or `مطلع`/`أواخر`…: the year that puts it closest to the reference.
pub fn find_dates(text: &str, reference: Option<NaiveDate>) -> Vec<DateMatch> {
    scan(text, reference, false)
}

/// Parses a whole feed or metadata timestamp (RFC 822/2822, ISO 8601, `17/05/2015`, an Arabic
/// date line). The expression must start the text (after blanks) and only blanks or
/// punctuation may follow it. Relative expressions are not accepted.
pub fn parse_timestamp(text: &str) -> Option<Timestamp> {
    let norm = normalize(text, Level::Match);
    let key = key_form(&norm.text);
    let sc = Scanner::new(&key, None);
    let first = sc.toks.iter().position(|t| !is_decor(t, &key))?;
    let (end, found) = sc.parse_at(first)?;
    // Only punctuation may follow, or a zone comment: "… +0000 (UTC)".
    if (end..sc.toks.len())
        .any(|t| sc.toks[t].kind != TokKind::Punct && !matches!(sc.lex_of(t), Some(Lex::Zone(_))))
    {
        return None;
    }
    if found.relative {
        return None;
    }
    Some(match (found.time, found.offset) {
        (Some(t), Some(off)) => {
            let off = FixedOffset::east_opt(off * 60)?;
            Timestamp::Zoned(found.date.and_time(t).and_local_timezone(off).single()?)
        }
        (Some(t), None) => Timestamp::Local(found.date.and_time(t)),
        (None, _) => Timestamp::Date(found.date),
    })
}

/// Parses a whole feed or metadata timestamp that carries a time and a UTC offset
/// (`Mon, 25 Aug 2025 10:00:00 +0300`, `… GMT`, `2025-08-25T10:00:00Z`). Timestamps without an
/// offset or without a time give `None`: use [`parse_timestamp`] for those.
pub fn parse_datetime(text: &str) -> Option<DateTime<FixedOffset>> {
    match parse_timestamp(text)? {
        Timestamp::Zoned(dt) => Some(dt),
        _ => None,
    }
}

fn is_decor(t: &Tok, key: &str) -> bool {
    t.kind == TokKind::Punct && matches!(&key[t.start..t.end], "(" | "[" | "\"" | "«" | "'" | ":")
}

// ---------------------------------------------------------------------------------------------
// Scanner
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
struct Found {
    date: NaiveDate,
    precision: Precision,
    time: Option<NaiveTime>,
    offset: Option<i32>,
    relative: bool,
    calendar: Calendar,
}

impl Found {
    fn day(date: NaiveDate) -> Found {
        Found {
            date,
            precision: Precision::Day,
            time: None,
            offset: None,
            relative: false,
            calendar: Calendar::Gregorian,
        }
    }
    fn with(mut self, precision: Precision, relative: bool) -> Found {
        self.precision = precision;
        self.relative = relative;
        self.date = truncate(self.date, precision);
        self
    }
}

fn truncate(d: NaiveDate, p: Precision) -> NaiveDate {
    match p {
        Precision::Day => d,
        Precision::Month => d.with_day(1).unwrap_or(d),
        Precision::Year => NaiveDate::from_ymd_opt(d.year(), 1, 1).unwrap_or(d),
    }
}

fn scan(text: &str, reference: Option<NaiveDate>, first_only: bool) -> Vec<DateMatch> {
    let norm = normalize(text, Level::Match);
    let key = key_form(&norm.text);
    let sc = Scanner::new(&key, reference);
    let mut raw: Vec<(usize, usize, Found)> = Vec::new();
    let mut i = 0;
    while i < sc.toks.len() {
        match sc.parse_at(i) {
            Some((end, found)) if end > i => {
                raw.push((i, end, found));
                i = end;
                if first_only {
                    // The first date may be followed by the same day in the other calendar
                    // ("… هـ الموافق 25 أغسطس 2025"): try right after the glue, then stop.
                    let k = sc.skip(end, 4, |sc, t| sc.is_glue(t));
                    if k < sc.toks.len() {
                        if let Some((e2, f2)) = sc.parse_at(k) {
                            if e2 > k && f2.calendar != found.calendar {
                                raw.push((k, e2, f2));
                            }
                        }
                    }
                    break;
                }
            }
            _ => i += 1,
        }
    }
    // Merge "Hijri الموافق Gregorian" (either order) into one match with the Gregorian date.
    let mut merged: Vec<(usize, usize, Found)> = Vec::with_capacity(raw.len());
    for m in raw {
        if let Some(last) = merged.last_mut() {
            let gap_is_glue = (last.1..m.0).all(|t| sc.is_glue(t));
            if gap_is_glue && last.2.calendar != m.2.calendar {
                let greg = if m.2.calendar == Calendar::Gregorian {
                    m.2
                } else {
                    last.2
                };
                *last = (last.0, m.1, greg);
                continue;
            }
        }
        merged.push(m);
    }
    if first_only {
        merged.truncate(1);
    }
    merged
        .into_iter()
        .map(|(s, e, f)| {
            let range = sc.toks[s].start..sc.toks[e - 1].end;
            let mut span = norm.to_original(range);
            // Marks dropped by normalization right after the last char (the tatweel of هـ,
            // a trailing tanween) belong to the expression.
            span.end += text[span.end..]
                .chars()
                .take_while(|&c| c == '\u{0640}' || is_tashkeel(c) || c == '\u{200F}')
                .map(char::len_utf8)
                .sum::<usize>();
            DateMatch {
                date: f.date,
                precision: f.precision,
                span,
                time: f.time,
                offset_minutes: f.offset,
                relative: f.relative,
                calendar: f.calendar,
            }
        })
        .collect()
}

struct Scanner<'a> {
    key: &'a str,
    toks: Vec<Tok>,
    /// For each word token: its lexicon entry and the token index after it.
    lex: Vec<Option<(Lex, usize)>>,
    reference: Option<NaiveDate>,
}

/// A date parsed without its year yet: resolved from the qualifier or the reference.
struct Partial {
    day: Option<u32>,
    month: u32,
    qual: Option<Qual>,
}

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic
// ---------------------------------------------------------------------------------------------

fn gregorian(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn add_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    if n >= 0 {
        d.checked_add_days(Days::new(n as u64))
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs()))
    }
}

fn add_months(d: NaiveDate, n: i32) -> Option<NaiveDate> {
    if n >= 0 {
        d.checked_add_months(Months::new(n as u32))
    } else {
        d.checked_sub_months(Months::new(n.unsigned_abs()))
    }
}
