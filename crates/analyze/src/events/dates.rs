//! Dates of events. Date expressions are recognised by [`rased_text::date`]; what is
//! event-specific stays here: dropping `حتى اليوم`, the vague `قبل أيام`/`قبل سنوات` and
//! decades it does not resolve, which trigger each expression belongs to, the middle of a month
//! or year for "long before the article" (historical), and the date of an event (an expression,
//! a year-scale frame earlier in the sentence, `بعد يوم من اجتماع X`, or the article date).

use chrono::{Duration, NaiveDate};

use super::context::{span_text, strip_waw, Sent, SentenceCtx, Tok};
use super::lexicon::{Class, LEXICON};
use super::triggers::Hit;
use super::{CodedEvent, Modality};

/// A date expression found in a sentence.
#[derive(Debug, Clone)]
pub(crate) struct DateExpr {
    pub tok_start: usize,
    pub tok_end: usize,
    /// The date [`rased_text::date`] gives: the first day of a month or year.
    pub date: NaiveDate,
    /// Where the expression sits in time, for "long before the article": the middle of a
    /// month or year (`عام 2018` in an August 2018 article is not historical).
    pub middle: NaiveDate,
    pub text: String,
}

/// The middle of the period a date match names.
fn middle(m: &rased_text::date::DateMatch) -> NaiveDate {
    use chrono::Datelike;
    use rased_text::date::Precision;
    let d = m.date;
    match m.precision {
        Precision::Day => d,
        Precision::Month => d.with_day(15).unwrap_or(d),
        Precision::Year => NaiveDate::from_ymd_opt(d.year(), 7, 1).unwrap_or(d),
    }
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

/// The date expressions of a sentence, in order: those of [`rased_text::date::find_dates`]
/// (relative ones resolved against the article date) except `حتى اليوم`/`إلى اليوم` (so
/// far: not the date of an event), plus what it leaves unresolved on purpose or lacks:
/// `قبل` + a vague plural (`قبل أيام`, `قبل سنوات`) or decades (`قبل 3 عقود`), see [`ago`].
pub(crate) fn find_dates(
    toks: &[Tok],
    sent: &str,
    found: &[rased_text::date::DateMatch],
    published: Option<NaiveDate>,
) -> Vec<DateExpr> {
    let mut out: Vec<DateExpr> = Vec::new();
    for m in found {
        let cs = rased_text::char_offset(sent, m.span.start.min(sent.len()));
        let Some(ts) = toks.iter().position(|t| t.ce > cs) else {
            continue;
        };
        let so_far = toks[ts].norm == "اليوم"
            && ts > 0
            && matches!(toks[ts - 1].norm.as_str(), "حتي" | "الي");
        if so_far {
            continue;
        }
        let text = sent.get(m.span.clone()).unwrap_or("").to_string();
        let te = (ts + text.split_whitespace().count().max(1)).min(toks.len());
        out.push(DateExpr {
            tok_start: ts,
            tok_end: te,
            date: m.date,
            middle: middle(m),
            text,
        });
    }
    if let Some(p) = published {
        for i in 0..toks.len() {
            let covered = out.iter().any(|d| i >= d.tok_start && i < d.tok_end);
            if toks[i].norm != "قبل" || covered {
                continue;
            }
            if let Some((e, days)) = ago(toks, i) {
                let at = out.partition_point(|d| d.tok_start < i);
                out.insert(
                    at,
                    DateExpr {
                        tok_start: i,
                        tok_end: e,
                        date: p - Duration::days(days),
                        middle: p - Duration::days(days),
                        text: span_text(toks, i, e, sent),
                    },
                );
            }
        }
    }
    out
}

/// `قبل` at token `i` followed by what [`rased_text::date`] does not resolve: a plural unit
/// without a count (`قبل أيام`, `قبل أسابيع`, `قبل أشهر`, `قبل سنوات`: one unit back) or
/// decades (`قبل 3 عقود`, `قبل عقود`; a lone `قبل عقد` is "before holding"). Not
/// before `من` (`قبل أيام من الانتخابات` is relative to another event; `من خلال` is not). (end token, days back).
fn ago(toks: &[Tok], i: usize) -> Option<(usize, i64)> {
    let n = toks.len();
    if i + 1 >= n {
        return None;
    }
    let (num, unit_at) = match number_word(&toks[i + 1].norm) {
        Some(k) if i + 2 < n => (Some(k), i + 2),
        _ => (None, i + 1),
    };
    let unit = toks[unit_at].norm.as_str();
    let days = match (unit, num) {
        ("عقد" | "عقود", Some(k)) => 3652 * k,
        ("عقود", None) => 3652,
        ("ايام", None) => 1,
        ("اسابيع", None) => 7,
        ("اشهر" | "شهور", None) => 30,
        ("سنوات" | "اعوام", None) => 365,
        _ => return None,
    };
    let before_event = toks.get(unit_at + 1).is_some_and(|t| t.norm == "من")
        && toks.get(unit_at + 2).is_none_or(|t| t.norm != "خلال");
    if before_event {
        return None;
    }
    Some((unit_at + 1, days))
}

/// A year-scale expression frames the events after it only from the start of the sentence
/// (`في عام 2011، اندلعت …`); later it belongs to a noun phrase (`الاتفاق المبرم عام 2015`).
const FRAME_START: usize = 4;

/// Each date expression belongs to the event trigger nearest to it; a trigger with several
/// keeps the nearest (`دعت …، الثلاثاء، … قانون المالية لسنة 2017` is dated Tuesday). For
/// each hit, the index of its expression.
pub(crate) fn attach_dates(
    s: &Sent,
    dates: &[DateExpr],
    event_hits: &[usize],
) -> Vec<Option<usize>> {
    let mut date_of: Vec<Option<usize>> = vec![None; s.hits.len()];
    let mut best: Vec<usize> = vec![usize::MAX; s.hits.len()];
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
            let d = dist(k);
            if d < best[k] {
                date_of[k] = Some(di);
                best[k] = d;
            }
        }
    }
    date_of
}

/// The date of an event.
pub(crate) struct EventDate {
    pub date: Option<NaiveDate>,
    /// `date`, or for a month or year its middle (see [`DateExpr::middle`]).
    pub middle: Option<NaiveDate>,
    pub text: Option<String>,
    /// Said in the text (not the article date).
    pub explicit: bool,
}

/// The date of event hit `h`: its own expression, a year-scale expression at the start of the
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
        middle: published,
        text: None,
        explicit: false,
    };
    if let Some(d) = own {
        out.date = Some(d.date);
        out.middle = Some(d.middle);
        out.text = Some(d.text.clone());
        out.explicit = true;
    } else if let Some(d) = dates.iter().find(|d| {
        d.tok_start < FRAME_START
            && d.tok_end <= h.start
            && published.is_some_and(|p| (p - d.middle).num_days() > 180)
    }) {
        // A year-scale expression earlier in the sentence frames what follows it.
        out.date = Some(d.date);
        out.middle = Some(d.middle);
        out.text = Some(d.text.clone());
        out.explicit = true;
    } else if modality == Modality::Background {
        out.date = None;
        out.middle = None;
    }
    if let Some((lead_at, days)) = after_event(s, h) {
        out.date = reference.or(published).map(|r| r - Duration::days(days));
        out.middle = out.date;
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
