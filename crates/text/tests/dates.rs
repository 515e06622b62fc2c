//! Fixture tests for `rased_text::date` on real strings (tests/fixtures/dates.tsv) and a
//! property test that the scanner never panics and returns spans on char boundaries.

use chrono::NaiveDate;
use proptest::prelude::*;
use rased_text::date::{find_dates, parse_date, Precision};

const FIXTURES: &str = include_str!("fixtures/dates.tsv");

/// `day`, `month`, `year`; `day~1` allows the date to be one day off (Hijri conversions: the
/// tabular calendar can differ from Umm al-Qura by a day or two).
fn precision(s: &str) -> (Precision, i64) {
    let (p, tol) = match s.split_once('~') {
        Some((p, t)) => (p, t.parse().expect("tolerance")),
        None => (s, 0),
    };
    let p = match p {
        "day" => Precision::Day,
        "month" => Precision::Month,
        "year" => Precision::Year,
        other => panic!("bad precision {other:?} in dates.tsv"),
    };
    (p, tol)
}

#[test]
fn fixtures() {
    let mut failures = Vec::new();
    let mut n = 0;
    for (lineno, line) in FIXTURES.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert!(
            cols.len() >= 3,
            "dates.tsv:{}: need 3-4 columns",
            lineno + 1
        );
        let (input, reference, want) = (cols[0], cols[1], cols[2]);
        let reference = (!reference.is_empty()).then(|| {
            NaiveDate::parse_from_str(reference, "%Y-%m-%d")
                .unwrap_or_else(|e| panic!("dates.tsv:{}: reference: {e}", lineno + 1))
        });
        n += 1;
        let got = parse_date(input, reference);
        let ok = match (want, &got) {
            ("none", None) => true,
            ("none", Some(_)) | (_, None) => false,
            (want, Some(m)) => {
                let (p, tol) = precision(cols.get(3).copied().unwrap_or(""));
                let want = NaiveDate::parse_from_str(want, "%Y-%m-%d").expect("expected date");
                (m.date - want).num_days().abs() <= tol
                    && m.precision == p
                    && input.is_char_boundary(m.span.start)
                    && input.is_char_boundary(m.span.end)
            }
        };
        if !ok {
            failures.push(format!(
                "dates.tsv:{}: {input:?} (ref {reference:?}): want {want} {}, got {:?}",
                lineno + 1,
                cols.get(3).copied().unwrap_or(""),
                got.map(|m| (m.date.to_string(), m.precision, input[m.span].to_string()))
            ));
        }
    }
    assert!(n >= 50, "only {n} fixtures");
    assert!(
        failures.is_empty(),
        "{} of {n} fixtures failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn seed_page_dates() {
    let page = "رئيس الاستخبارات التركية يلتقي حفتر بعد سنوات من انتقاده\n\
                تاريخ النشر: 25th, August 2025 GMT\n\
                وذكر بيان صادر عن مكتب حفتر اليوم الاثنين، أن اللقاء عقد في مقر القيادة العامة.\n\
                وبينما كان إبراهيم كالين قبل خمس سنوات في منصب المتحدث باسم الرئاسة التركية.\n\
                في العاشر من مارس/ آذار الماضي.";
    let published = parse_date(page, None).expect("publication date");
    assert_eq!(&page[published.span.clone()], "25th, August 2025 GMT");
    let all = find_dates(page, Some(published.date));
    let got: Vec<(String, &str)> = all
        .iter()
        .map(|m| (m.iso(), &page[m.span.clone()]))
        .collect();
    assert_eq!(
        got,
        [
            ("2025-08-25".to_string(), "25th, August 2025 GMT"),
            ("2025-08-25".to_string(), "اليوم الاثنين"),
            ("2020".to_string(), "قبل خمس سنوات"),
            ("2025-03-10".to_string(), "العاشر من مارس/ آذار الماضي"),
        ]
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn never_panics_and_spans_are_char_boundaries(
        text in "[ 0-9٠-٩۰-۹/\\-.:,،()+a-zA-Z\u{0600}-\u{06FF}\u{064B}-\u{0652}\u{0640}\u{200F}]{0,60}",
        days in 0i64..80_000,
    ) {
        let reference = NaiveDate::from_ymd_opt(1900, 1, 1)
            .and_then(|d| d.checked_add_signed(chrono::Duration::days(days)));
        for m in find_dates(&text, reference) {
            prop_assert!(text.is_char_boundary(m.span.start) && text.is_char_boundary(m.span.end));
            prop_assert!(m.span.start < m.span.end && m.span.end <= text.len());
        }
        if let Some(m) = parse_date(&text, reference) {
            prop_assert!(text.is_char_boundary(m.span.start) && text.is_char_boundary(m.span.end));
        }
        let _ = rased_text::date::parse_timestamp(&text);
    }

    #[test]
    fn never_panics_on_date_like_token_soup(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("25"), Just("2025"), Just("1446"), Just("٣١"), Just("/"), Just("-"), Just("."),
                Just(":"), Just("مارس"), Just("آذار"), Just("كانون الثاني"), Just("رمضان"),
                Just("هـ"), Just("م"), Just("ص"), Just("الساعة"), Just("اليوم"), Just("الاثنين"),
                Just("الماضي"), Just("قبل"), Just("منذ"), Just("خمس"), Just("سنوات"), Just("من"),
                Just("العاشر"), Just("الـ"), Just("و"), Just("Aug"), Just("th"), Just(","),
                Just("GMT"), Just("+"), Just("0300"), Just("T"), Just("Z"), Just("("), Just(")"),
                Just("عام"), Just("شهر"), Just("مطلع"), Just("999999999999"), Just("0"),
            ],
            0..14,
        ),
        spaces in proptest::collection::vec(any::<bool>(), 14),
        days in 0i64..80_000,
    ) {
        let mut text = String::new();
        for (p, s) in parts.iter().zip(spaces.iter()) {
            text.push_str(p);
            if *s {
                text.push(' ');
            }
        }
        let reference = NaiveDate::from_ymd_opt(1900, 1, 1)
            .and_then(|d| d.checked_add_signed(chrono::Duration::days(days)));
        let all = find_dates(&text, reference);
        for w in all.windows(2) {
            prop_assert!(w[0].span.end <= w[1].span.start, "overlap in {text:?}: {all:?}");
        }
        for m in &all {
            prop_assert!(text.is_char_boundary(m.span.start) && text.is_char_boundary(m.span.end));
        }
        let _ = rased_text::date::parse_timestamp(&text);
    }
}
