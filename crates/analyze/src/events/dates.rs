//! Dates of events: the date expressions of a sentence, which trigger each belongs to, and
//! the date of an event (an expression, a year-scale frame earlier in the sentence, `بعد يوم
//! من اجتماع X`, or the article date).

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rased_text::tokenize::TokenKind;

use super::context::{span_text, strip_waw, Sent, SentenceCtx, Tok};
use super::lexicon::{Class, LEXICON};
use super::triggers::Hit;
use super::{CodedEvent, Modality};

/// A date expression found in a sentence.
#[derive(Debug, Clone)]
pub(crate) struct DateExpr {
    pub tok_start: usize,
    pub tok_end: usize,
    pub date: Option<NaiveDate>,
    pub text: String,
}

fn weekday(w: &str) -> Option<Weekday> {
    Some(match w {
        "الاثنين" => Weekday::Mon,
        "الثلاثاء" => Weekday::Tue,
        "الاربعاء" => Weekday::Wed,
        "الخميس" => Weekday::Thu,
        "الجمعة" | "الجمعه" => Weekday::Fri,
        "السبت" => Weekday::Sat,
        "الاحد" => Weekday::Sun,
        _ => return None,
    })
}

/// A count in words or digits (بثلاثة، 5), for counts of days and victims.
pub(crate) fn number_word(w: &str) -> Option<i64> {
    let w = w.strip_prefix('ب').unwrap_or(w);
    Some(match w {
        "واحد" | "واحدة" => 1,
        "اثنين" | "اثنتين" => 2,
        "ثلاث" | "ثلاثة" => 3,
        "اربع" | "اربعة" => 4,
        "خمس" | "خمسة" => 5,
        "ست" | "ستة" => 6,
        "سبع" | "سبعة" => 7,
        "ثماني" | "ثمانية" | "ثمان" => 8,
        "تسع" | "تسعة" => 9,
        "عشر" | "عشرة" => 10,
        "عشرين" => 20,
        _ => return w.parse().ok(),
    })
}

/// The date expressions of a sentence, in order.
pub(crate) fn find_dates(toks: &[Tok], sent: &str, published: Option<NaiveDate>) -> Vec<DateExpr> {
    let mut out = Vec::new();
    let n = toks.len();
    let mut i = 0;
    while i < n {
        let w = toks[i].norm.as_str();
        let w = w.strip_prefix('و').filter(|r| *r == "امس").unwrap_or(w);
        let found = if w == "امس" {
            Some(yesterday(toks, i, published))
        } else if w == "اليوم" && !(i > 0 && matches!(toks[i - 1].norm.as_str(), "حتي" | "الي"))
        {
            Some(today(toks, i, published))
        } else if w == "قبل" && i + 1 < n {
            ago(toks, i, published)
        } else if matches!(w, "عام" | "سنة" | "العام")
            && i + 1 < n
            && toks[i + 1].kind == TokenKind::Number
            && !(i > 0 && toks[i - 1].norm.ends_with("منذ"))
        {
            // عام/سنة YYYY (not after منذ: that is a duration)
            year(toks, i)
        } else {
            None
        };
        match found {
            Some((s, e, date)) => {
                out.push(DateExpr {
                    tok_start: s,
                    tok_end: e,
                    date,
                    text: span_text(toks, s, e, sent),
                });
                i = e;
            }
            None => i += 1,
        }
    }
    if out.is_empty() {
        // The text layer's parser for everything else.
        if let Some(m) = rased_text::date::parse_date(sent, published) {
            let cs = rased_text::char_offset(sent, m.span.start.min(sent.len()));
            let ts = toks.iter().position(|t| t.ce > cs).unwrap_or(0);
            let text = sent.get(m.span.clone()).unwrap_or("").to_string();
            let te = (ts + text.split_whitespace().count().max(1)).min(n);
            out.push(DateExpr {
                tok_start: ts,
                tok_end: te,
                date: Some(m.date),
                text,
            });
        }
    }
    out
}

/// `[مساء|صباح|ليلة] [يوم] أمس [الاثنين]`, `أول (من) أمس`, `أمس الأول` at token `i` (أمس):
/// (start, end, date).
fn yesterday(
    toks: &[Tok],
    i: usize,
    published: Option<NaiveDate>,
) -> (usize, usize, Option<NaiveDate>) {
    let n = toks.len();
    let day_before = i >= 2 && toks[i - 1].norm == "من" && toks[i - 2].norm == "اول"
        || i >= 1 && toks[i - 1].norm == "اول";
    if day_before {
        let s = if toks[i - 1].norm == "من" {
            i - 2
        } else {
            i - 1
        };
        return (s, i + 1, published.map(|d| d - Duration::days(2)));
    }
    let mut s = i;
    while s > 0
        && matches!(
            toks[s - 1].norm.as_str(),
            "يوم" | "مساء" | "صباح" | "ليلة" | "ليل" | "ظهر" | "فجر"
        )
        && i - s < 2
    {
        s -= 1;
    }
    let mut e = i + 1;
    if e < n && weekday(&toks[e].norm).is_some() {
        e += 1;
    }
    if e < n && toks[e].norm == "الاول" {
        e += 1;
    }
    let back = if toks[e - 1].norm == "الاول" {
        2
    } else {
        1
    };
    (s, e, published.map(|d| d - Duration::days(back)))
}

/// `اليوم [الاثنين]` at token `i`: the article date, or the weekday on or before it.
fn today(
    toks: &[Tok],
    i: usize,
    published: Option<NaiveDate>,
) -> (usize, usize, Option<NaiveDate>) {
    let mut e = i + 1;
    let mut date = published;
    if e < toks.len() {
        if let Some(wd) = weekday(&toks[e].norm) {
            e += 1;
            if let Some(p) = published {
                let mut d = p;
                for _ in 0..7 {
                    if d.weekday() == wd {
                        break;
                    }
                    d -= Duration::days(1);
                }
                // An article published the day after names the same weekday.
                date = Some(if d.weekday() == wd { d } else { p });
            }
        }
    }
    (i, e, date)
}

/// `قبل N unit` / `قبل unit` at token `i` (قبل).
fn ago(
    toks: &[Tok],
    i: usize,
    published: Option<NaiveDate>,
) -> Option<(usize, usize, Option<NaiveDate>)> {
    let (num, unit_at) = match number_word(&toks[i + 1].norm) {
        Some(k) if i + 2 < toks.len() => (k, i + 2),
        _ => (1, i + 1),
    };
    let unit = toks[unit_at].norm.as_str();
    let d = match unit {
        "يوم" | "ايام" | "يومين" => 1,
        "اسبوع" | "اسابيع" | "اسبوعين" => 7,
        "شهر" | "اشهر" | "شهور" | "شهرين" => 30,
        "سنة" | "سنوات" | "عام" | "اعوام" | "سنتين" | "عامين" => 365,
        "عقد" | "عقود" => 3652,
        _ => return None,
    };
    let dual = unit.ends_with("ين") && unit != "عشرين";
    let k = if unit_at == i + 1 && dual { 2 } else { num };
    Some((i, unit_at + 1, published.map(|p| p - Duration::days(d * k))))
}

/// `عام/سنة YYYY` at token `i`: the middle of that year.
fn year(toks: &[Tok], i: usize) -> Option<(usize, usize, Option<NaiveDate>)> {
    let y = toks[i + 1].norm.parse::<i32>().ok()?;
    (1900..=2100)
        .contains(&y)
        .then(|| (i, i + 2, NaiveDate::from_ymd_opt(y, 7, 1)))
}

/// Each date expression belongs to the event trigger nearest to it: for each hit, the index
/// of its expression.
pub(crate) fn attach_dates(
    s: &Sent,
    dates: &[DateExpr],
    event_hits: &[usize],
) -> Vec<Option<usize>> {
    let mut date_of: Vec<Option<usize>> = vec![None; s.hits.len()];
    for (di, d) in dates.iter().enumerate() {
        let dist = |k: usize| {
            let h = &s.hits[k];
            if d.tok_start >= h.end {
                d.tok_start - h.end
            } else {
                h.start.saturating_sub(d.tok_end) + 1
            }
        };
        if let Some(&k) = event_hits.iter().min_by_key(|&&k| dist(k)) {
            date_of[k] = Some(di);
        }
    }
    date_of
}

/// The date of an event.
pub(crate) struct EventDate {
    pub date: Option<NaiveDate>,
    pub text: Option<String>,
    /// Said in the text (not the article date).
    pub explicit: bool,
}

/// The date of event hit `h`: its own expression, a year-scale expression earlier in the
/// sentence, none for background events, else the article date; then `بعد يوم من <event>`
/// counts back from the previous event of the sentence (`reference`, else the article date).
pub(crate) fn event_date(
    s: &Sent,
    sc: &SentenceCtx,
    h: &Hit,
    own: Option<&DateExpr>,
    dates: &[DateExpr],
    modality: Modality,
    reference: Option<NaiveDate>,
) -> EventDate {
    let published = sc.published;
    let mut out = EventDate {
        date: published,
        text: None,
        explicit: false,
    };
    if let Some(d) = own {
        out.date = d.date.or(published);
        out.text = Some(d.text.clone());
        out.explicit = true;
    } else if let Some(d) = dates.iter().find(|d| {
        d.tok_end <= h.start
            && d.date
                .zip(published)
                .is_some_and(|(d, p)| (p - d).num_days() > 180)
    }) {
        // A year-scale expression earlier in the sentence frames what follows it.
        out.date = d.date;
        out.text = Some(d.text.clone());
        out.explicit = true;
    } else if modality == Modality::Background {
        out.date = None;
    }
    if let Some((lead_at, days)) = after_event(s, h) {
        out.date = reference.or(published).map(|r| r - Duration::days(days));
        out.text = Some(span_text(&s.toks, lead_at, h.start, sc.text));
        out.explicit = true;
    }
    out
}

/// `بعد/عقب يوم|يومين|N أيام|أسبوع من <trigger>`: (token of بعد, days).
fn after_event(s: &Sent, h: &Hit) -> Option<(usize, i64)> {
    if h.start < 3 || s.toks[h.start - 1].norm != "من" {
        return None;
    }
    let unit = s.toks[h.start - 2].norm.as_str();
    let days = match unit {
        "يوم" => Some(1),
        "يومين" => Some(2),
        "ايام" => number_word(&s.toks[h.start.saturating_sub(3)].norm),
        "اسبوع" => Some(7),
        _ => None,
    }?;
    let lead_at = if unit == "ايام" {
        if h.start < 4 {
            return None;
        }
        h.start - 4
    } else {
        h.start - 3
    };
    matches!(strip_waw(&s.toks[lead_at].norm), "بعد" | "عقب").then_some((lead_at, days))
}

/// The date of output event `k`, the reference of `بعد يوم من` for the next event.
pub(crate) fn date_of_event(out: &[CodedEvent], k: Option<usize>) -> Option<NaiveDate> {
    k.and_then(|k| out.get(k))
        .and_then(|e| e.event.date.as_deref())
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

/// Event hits of the sentence (not reports, light verbs or stops).
pub(crate) fn event_hits(s: &Sent) -> Vec<usize> {
    (0..s.hits.len())
        .filter(|&k| LEXICON.rows[s.hits[k].row].class == Class::Event)
        .collect()
}
