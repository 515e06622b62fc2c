//! `rased events`: code the political events of articles in PLOVER and print them as
//! PLOVER-style JSON records, one per line.
//!
//! For now the input is plain text, one article per file: the first line is the title, the
//! rest the body (aggregator lines such as `تاريخ النشر:` are read for the date and skipped;
//! the body stops at `المصدر:`, `كلمات دلالية:` or `إقرأ أيضاً`). Entities come from the
//! knowledge-base gazetteer and entity resolution. The lead will feed it the extractor's
//! articles instead.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;
use rased_analyze::events::{code_events_detailed, CodedEvent, Modality};
use serde_json::{json, Value};

/// Code political events (PLOVER) in plain-text articles: one article per file, first line
/// the title.
#[derive(clap::Args, Debug)]
pub struct EventsArgs {
    /// Article files (UTF-8 text, first line the title).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Publication date (YYYY-MM-DD) when the file states none.
    #[arg(long)]
    pub published: Option<NaiveDate>,
    /// Also print hypothetical, intended and generic candidates (with their modality).
    #[arg(long)]
    pub all: bool,
}

pub fn run(args: &EventsArgs) -> anyhow::Result<ExitCode> {
    let kb = rased_kb::KnowledgeBase::embedded();
    let gazetteer = rased_kb::Gazetteer::new(kb).context("building the gazetteer")?;
    let mut failed = false;
    for path in &args.paths {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("rased events: {}: {e}", path.display());
                failed = true;
                continue;
            }
        };
        let article = parse_article(&text);
        let published = args.published.or(article.published);
        let entities =
            rased_kb::resolve::resolve(&article.body, &[], &gazetteer.find(&article.body), kb);
        let events = code_events_detailed(
            &article.body,
            &entities,
            published,
            article.dateline.as_deref(),
        );
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        for (i, ev) in events.iter().enumerate() {
            if !args.all
                && matches!(
                    ev.modality,
                    Modality::Hypothetical | Modality::Intended | Modality::Generic
                )
            {
                continue;
            }
            println!(
                "{}",
                record(&format!("{stem}-{:04}", i + 1), ev, &article.title)
            );
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// One event as a PLOVER-style record (the fields of PLOVER_GSR_CAMEO plus CAMEO and quad
/// class).
fn record(id: &str, c: &CodedEvent, title: &str) -> Value {
    let e = &c.event;
    let actors = |ps: &[rased_model::Participant]| -> Value {
        ps.iter()
            .map(|p| json!({"actorText": p.text, "entity": p.entity}))
            .collect()
    };
    json!({
        "id": id,
        "date": e.date,
        "dateText": e.date_text,
        "event": e.kind,
        "mode": e.mode,
        "source": actors(&e.actors),
        "target": actors(&e.recipients),
        "location": e.place.as_ref().map(|p| json!({
            "placeText": p.text,
            "entity": p.entity,
            "from": c.place_source,
        })),
        "text": e.evidence.sentence,
        "textStart": e.evidence.start,
        "textEnd": e.evidence.end,
        "eventText": e.evidence.trigger,
        "cameo": c.cameo,
        "quadClass": c.quad_class,
        "modality": c.modality,
        "negated": e.negated,
        "future": e.future,
        "confidence": e.confidence,
        "language": "ar",
        "title": title,
    })
}

struct PlainArticle {
    title: String,
    body: String,
    published: Option<NaiveDate>,
    dateline: Option<String>,
}

fn parse_article(text: &str) -> PlainArticle {
    let mut lines = text.lines();
    let title = lines.next().unwrap_or("").trim().to_string();
    let mut published = None;
    let mut body_lines = Vec::new();
    for line in lines {
        let l = line.trim();
        if l.is_empty() {
            continue;
        }
        if l.starts_with("تاريخ النشر")
            || (body_lines.is_empty() && published.is_none() && looks_like_date(l))
        {
            published = rased_text::date::parse_date(l, None)
                .map(|m| m.date)
                .or_else(|| english_date(l));
            continue;
        }
        if l.starts_with("المصدر:")
            || l.starts_with("كلمات دلالية")
            || l.starts_with("إقرأ أيضاً")
            || l.starts_with("اقرأ أيضا")
        {
            break;
        }
        body_lines.push(l);
    }
    let body = body_lines.join("\n");
    let dateline = body_lines.first().and_then(|first| {
        let (head, _) = first.split_once(['–', '—', '-'])?;
        let place = head.split_once('(').map_or(head, |(p, _)| p).trim();
        (!place.is_empty() && place.split_whitespace().count() <= 3).then(|| place.to_string())
    });
    PlainArticle {
        title,
        body,
        published,
        dateline,
    }
}

fn looks_like_date(l: &str) -> bool {
    l.chars().count() < 60 && l.chars().filter(|c| c.is_ascii_digit()).count() >= 4
}

/// "25th, August 2025 GMT" and similar English leftovers (the text layer's parser covers
/// them once it lands; this keeps the command useful meanwhile).
fn english_date(l: &str) -> Option<NaiveDate> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = l.to_lowercase();
    let month = MONTHS.iter().position(|m| lower.contains(m))? as u32 + 1;
    let nums: Vec<u32> = lower
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    let year = *nums.iter().find(|&&n| (1900..=2100).contains(&n))?;
    let day = *nums.iter().find(|&&n| (1..=31).contains(&n))?;
    NaiveDate::from_ymd_opt(year as i32, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_seed_page() {
        let a = parse_article(include_str!("../../../data/samples/seed-page.txt"));
        assert_eq!(a.published, NaiveDate::from_ymd_opt(2025, 8, 25));
        assert_eq!(a.dateline.as_deref(), Some("أنقرة"));
        assert!(a.body.starts_with("أنقرة"));
        assert!(!a.body.contains("المصدر"));
    }
}
