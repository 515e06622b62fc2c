//! Aggregator pages saved as plain text: a headline line, a publication line
//! (`تاريخ النشر: …`), a body opened by a dateline, then marker lines — `المصدر:`,
//! `كلمات دلالية:`, `Tags:` — and "read also" sections (`إقرأ أيضاً:`) holding related
//! stories (headline + body). Structures are recognized by their markers (match-normalized,
//! Arabic and English variants), never by line numbers.

use std::sync::OnceLock;

use rased_model::{Article, Role};
use rased_text::{normalize_str, Level};

use crate::{dateline, dates, finish, phrases, ExtractError, Sink};

/// What a line of a text page is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Line<'a> {
    Published(&'a str),
    Source(&'a str),
    Keywords(&'a str),
    Tags(&'a str),
    Author(&'a str),
    /// A "read also" header; the value is a headline printed on the same line, if any.
    Related(&'a str),
    /// Share / navigation noise.
    Noise,
    Text(&'a str),
}

/// Labels (match-normalized, without the colon) and the kind of line they open.
const LABELS: &[(&str, Kind)] = &[
    ("تاريخ النشر", Kind::Published),
    ("نشر بتاريخ", Kind::Published),
    ("تاريخ الخبر", Kind::Published),
    ("نشر في", Kind::Published),
    ("تاريخ", Kind::Published),
    ("التاريخ", Kind::Published),
    ("نشر", Kind::Published),
    ("published", Kind::Published),
    ("published on", Kind::Published),
    ("date", Kind::Published),
    ("posted", Kind::Published),
    ("المصدر", Kind::Source),
    ("مصدر", Kind::Source),
    ("المصدر الاصلي", Kind::Source),
    ("source", Kind::Source),
    ("كلمات دلالية", Kind::Keywords),
    ("الكلمات الدلالية", Kind::Keywords),
    ("كلمات مفتاحية", Kind::Keywords),
    ("الكلمات المفتاحية", Kind::Keywords),
    ("كلمات البحث", Kind::Keywords),
    ("keywords", Kind::Keywords),
    ("tags", Kind::Tags),
    ("tag", Kind::Tags),
    ("وسوم", Kind::Tags),
    ("الوسوم", Kind::Tags),
    ("الوسم", Kind::Tags),
    ("هاشتاج", Kind::Tags),
    ("هاشتاغ", Kind::Tags),
    ("مواضيع ذات صله", Kind::TagsOrRelated),
    ("مواضيع ذات صلة", Kind::TagsOrRelated),
    ("الكاتب", Kind::Author),
    ("كتب", Kind::Author),
    ("بقلم", Kind::Author),
    ("author", Kind::Author),
    ("by", Kind::Author),
    ("اقرا ايضا", Kind::Related),
    ("اقرا ايضاً", Kind::Related),
    ("اقرا المزيد", Kind::Related),
    ("اقرا كذلك", Kind::Related),
    ("المزيد", Kind::Related),
    ("المزيد من الاخبار", Kind::Related),
    ("اخبار ذات صلة", Kind::Related),
    ("اخبار ذات صله", Kind::Related),
    ("قد يهمك ايضا", Kind::Related),
    ("قد يعجبك ايضا", Kind::Related),
    ("شاهد ايضا", Kind::Related),
    ("read also", Kind::Related),
    ("read more", Kind::Related),
    ("related", Kind::Related),
    ("related articles", Kind::Related),
    ("see also", Kind::Related),
];

const NOISE: &[&str] = &[
    "شارك",
    "شارك الخبر",
    "مشاركة",
    "طباعة",
    "share",
    "print",
    "تابعونا",
    "تابعنا على",
    "اضف تعليق",
    "التعليقات",
    "facebook",
    "twitter",
    "whatsapp",
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Published,
    Source,
    Keywords,
    Tags,
    TagsOrRelated,
    Author,
    Related,
}

fn fold(s: &str) -> String {
    normalize_str(s, Level::Match)
        .to_lowercase()
        .chars()
        .filter(|c| !matches!(c, 'ً' | 'ٌ' | 'ٍ'))
        .collect::<String>()
        .replace('ة', "ه")
}

pub(crate) fn classify(line: &str) -> Line<'_> {
    let trimmed = line.trim();
    // Label: text before the first colon, or the whole line when it has none.
    let (label, value, has_colon) = match trimmed.find([':', '：']) {
        Some(i) if i <= 60 => {
            let colon_len = trimmed[i..].chars().next().map_or(1, char::len_utf8);
            (&trimmed[..i], trimmed[i + colon_len..].trim(), true)
        }
        _ => (trimmed, "", false),
    };
    if label.chars().count() > 30 {
        return Line::Text(trimmed);
    }
    let folded = fold(
        label
            .trim()
            .trim_end_matches(['-', '–', '»', '«', '.'])
            .trim(),
    );
    let folded = folded.trim_end_matches(['!', '؟', ' ']);
    static FOLDED: OnceLock<Vec<(String, Kind)>> = OnceLock::new();
    let labels = FOLDED.get_or_init(|| LABELS.iter().map(|&(l, k)| (fold(l), k)).collect());
    for &(ref l, kind) in labels {
        if *l != folded {
            continue;
        }
        // Generic labels need a colon and a value; "read also" stands alone or with a colon.
        return match kind {
            Kind::Related => Line::Related(value),
            Kind::TagsOrRelated if value.is_empty() => Line::Related(""),
            Kind::TagsOrRelated | Kind::Tags if has_colon => Line::Tags(value),
            Kind::Keywords if has_colon => Line::Keywords(value),
            Kind::Source if has_colon && !value.is_empty() => Line::Source(value),
            Kind::Published if has_colon && !value.is_empty() => Line::Published(value),
            Kind::Author
                if has_colon && !value.is_empty() && value.split_whitespace().count() <= 6 =>
            {
                Line::Author(value)
            }
            _ => Line::Text(trimmed),
        };
    }
    static NOISE_FOLDED: OnceLock<Vec<String>> = OnceLock::new();
    let noise = NOISE_FOLDED.get_or_init(|| NOISE.iter().map(|n| fold(n)).collect());
    if trimmed.chars().count() <= 20 && noise.contains(&fold(trimmed)) {
        return Line::Noise;
    }
    Line::Text(trimmed)
}

#[derive(Default)]
struct Draft {
    role: Role,
    title: Option<String>,
    published: Option<String>,
    paragraphs: Vec<String>,
    source: Option<String>,
    author: Option<String>,
    keywords: Vec<String>,
    tags: Vec<String>,
}

impl Draft {
    fn is_empty(&self) -> bool {
        // A related story needs at least its headline.
        self.title.is_none() && self.paragraphs.is_empty()
    }
}

/// Extracts the main article and its related stories from a text page.
pub(crate) fn extract(input: &str, text: &str, page: String, sink: &mut Sink) {
    let mut drafts: Vec<Draft> = vec![Draft::default()];
    let mut teasers: Vec<Draft> = Vec::new();
    // After a "read also" header the next text line is the related story's headline.
    for raw in text.lines() {
        let raw = raw.trim_matches(|c: char| {
            c.is_whitespace() || c == '\u{200f}' || c == '\u{200e}' || c == '\u{feff}'
        });
        if raw.is_empty() {
            continue;
        }
        let cur = drafts.last_mut().expect("non-empty");
        match classify(raw) {
            Line::Published(v) => {
                if cur.published.is_none() {
                    cur.published = dates::parse_text(v, None).or_else(|| dates::parse_machine(v));
                }
            }
            Line::Source(v) => cur.source = Some(v.to_string()),
            Line::Author(v) => cur.author = Some(v.to_string()),
            Line::Keywords(v) => cur.keywords.extend(phrases::split_phrases(v)),
            Line::Tags(v) => cur.tags.extend(phrases::split_phrases(v)),
            Line::Related(v) if !v.is_empty() => {
                // An inline teaser (`اقرأ أيضا: headline`) inside a story: the story goes on.
                teasers.push(Draft {
                    role: Role::Related,
                    title: Some(v.to_string()),
                    ..Draft::default()
                });
            }
            Line::Related(_) => drafts.push(Draft {
                role: Role::Related,
                ..Draft::default()
            }),
            Line::Noise => {}
            Line::Text(t) => {
                if cur.title.is_none() {
                    cur.title = Some(t.to_string());
                } else {
                    cur.paragraphs.push(t.to_string());
                }
            }
        }
    }
    // A "read also" section that is a list of headlines (short lines, no sentences) holds
    // one related story per line.
    let mut expanded = Vec::with_capacity(drafts.len());
    for d in drafts {
        let headline_like = |p: &str| {
            p.split_whitespace().count() <= 14 && !p.ends_with(['.', '!', '؟', '?', ':', '،'])
        };
        if d.role == Role::Related
            && !d.paragraphs.is_empty()
            && d.paragraphs.iter().all(|p| headline_like(p))
        {
            let Draft {
                title,
                paragraphs,
                tags,
                keywords,
                source,
                author,
                published,
                ..
            } = d;
            let n = paragraphs.len() + 1;
            for (k, t) in title.into_iter().chain(paragraphs).enumerate() {
                let last = k + 1 == n;
                expanded.push(Draft {
                    role: Role::Related,
                    title: Some(t),
                    tags: if last { tags.clone() } else { Vec::new() },
                    keywords: if last { keywords.clone() } else { Vec::new() },
                    source: if last { source.clone() } else { None },
                    author: if last { author.clone() } else { None },
                    published: if last { published.clone() } else { None },
                    ..Draft::default()
                });
            }
        } else {
            expanded.push(d);
        }
    }
    expanded.extend(teasers);
    let mut any = false;
    for d in expanded {
        if d.is_empty() {
            continue;
        }
        if d.role == Role::Main && d.paragraphs.is_empty() {
            continue;
        }
        any = true;
        let mut paragraphs = d.paragraphs;
        let mut dl = None;
        if let Some(first) = paragraphs.first() {
            if let Some((d, rest)) = dateline::split_dateline(first) {
                let rest = rest.to_string();
                dl = Some(d);
                paragraphs[0] = rest;
            }
        }
        let a = Article {
            role: d.role,
            title: d.title,
            published: d.published,
            dateline: dl,
            source: d.source,
            author: d.author,
            keywords: d.keywords,
            tags: d.tags,
            language: crate::html::guess_language(&paragraphs.join(" ")),
            body: paragraphs.join("\n"),
            ..Article::default()
        };
        sink.article(finish(a, &page, input));
    }
    if !any {
        sink.error(ExtractError::NoArticle {
            input: input.to_string(),
            detail: "text has no headline followed by a body".into(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_recognized_in_variants() {
        assert_eq!(classify("إقرأ أيضاً:"), Line::Related(""));
        assert_eq!(classify("اقرأ أيضا"), Line::Related(""));
        assert_eq!(classify("Read also:"), Line::Related(""));
        assert_eq!(
            classify("المصدر: جريدة زمان التركية"),
            Line::Source("جريدة زمان التركية")
        );
        assert_eq!(classify("الكلمات المفتاحية: أ ب"), Line::Keywords("أ ب"));
        assert_eq!(classify("Tags: x"), Line::Tags("x"));
        assert_eq!(classify("وسوم: x"), Line::Tags("x"));
        assert_eq!(
            classify("تاريخ النشر: 25th, August 2025 GMT"),
            Line::Published("25th, August 2025 GMT")
        );
        // A body sentence that starts like a label is text.
        assert!(matches!(
            classify("المصدر الذي تحدث للصحيفة قال إن"),
            Line::Text(_)
        ));
    }
}

#[cfg(test)]
mod page_tests {
    use super::*;

    fn run(text: &str) -> Vec<Article> {
        let mut out = Vec::new();
        let mut errs = Vec::new();
        let mut on_a = |a| out.push(a);
        let mut on_e = |e| errs.push(e);
        let mut sink = Sink::new(&mut on_a, &mut on_e);
        extract("t", text, "p".into(), &mut sink);
        assert!(errs.is_empty(), "{errs:?}");
        out
    }

    #[test]
    fn inline_teaser_does_not_end_the_story() {
        let a = run("عنوان الخبر\nالفقرة الأولى من الخبر.\nاقرأ أيضا: خبر آخر مهم\nالفقرة الثانية من الخبر.\n");
        assert_eq!(a.len(), 2);
        assert_eq!(
            a[0].body,
            "الفقرة الأولى من الخبر.\nالفقرة الثانية من الخبر."
        );
        assert_eq!(
            (a[1].role, a[1].title.as_deref()),
            (Role::Related, Some("خبر آخر مهم"))
        );
    }

    #[test]
    fn headline_lists_become_several_related_stories() {
        let a = run("عنوان الخبر\nنص الخبر هنا.\nاقرأ أيضاً:\nالعنوان الأول\nالعنوان الثاني\nالعنوان الثالث\n");
        let titles: Vec<_> = a
            .iter()
            .filter(|a| a.role == Role::Related)
            .map(|a| a.title.clone().unwrap())
            .collect();
        assert_eq!(titles, ["العنوان الأول", "العنوان الثاني", "العنوان الثالث"]);
    }
}
