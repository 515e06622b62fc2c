//! RSS and Atom feeds (feed-rs): one article per item. Dates are read from the raw item
//! text so that the publisher's offset is kept and messy dates (`DD/MM/YYYY`) still parse.

use rased_model::Article;
use regex::Regex;

use crate::{charset, clean_inline, dates, finish, html, ids, ExtractError, Sink};

fn item_re() -> &'static Regex {
    cached_regex!(r"(?i)<(?:item|entry)[\s>/]")
}

fn date_re() -> &'static Regex {
    cached_regex!(
        r"(?is)<(pubDate|published|dc:date|dcterms:created|issued|updated|dcterms:modified|a10:updated)\b[^>]*>(.*?)</"
    )
}

/// Raw date strings of each item, in document order (published before updated).
fn raw_item_dates(xml: &str) -> Vec<Option<String>> {
    let starts: Vec<usize> = item_re().find_iter(xml).map(|m| m.start()).collect();
    let mut out = Vec::with_capacity(starts.len());
    for (k, &s) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(xml.len());
        let chunk = &xml[s..end];
        let mut found: Vec<(usize, String)> = date_re()
            .captures_iter(chunk)
            .map(|c| {
                let tag = c[1].to_ascii_lowercase();
                let rank = match tag.as_str() {
                    "pubdate" | "published" | "dc:date" | "dcterms:created" | "issued" => 0,
                    _ => 1,
                };
                let v = c[2]
                    .trim()
                    .trim_start_matches("<![CDATA[")
                    .trim_end_matches("]]>")
                    .trim()
                    .to_string();
                (rank, v)
            })
            .collect();
        found.sort_by_key(|f| f.0);
        out.push(found.into_iter().map(|f| f.1).find(|v| !v.is_empty()));
    }
    out
}

pub(crate) fn extract(input: &str, bytes: &[u8], sink: &mut Sink) {
    let decoded = charset::decode(bytes, None);
    if let Some(w) = decoded.warning {
        sink.error(ExtractError::Charset {
            input: input.to_string(),
            detail: w,
        });
    }
    let mut text = decoded.text;
    if decoded.encoding != encoding_rs::UTF_8 {
        // The bytes are now UTF-8: fix the declaration so the XML parser agrees.
        if let Some(decl_end) = text
            .find("?>")
            .filter(|_| text.trim_start().starts_with("<?xml"))
        {
            text.replace_range(..decl_end + 2, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        }
    }
    let feed = match feed_rs::parser::parse(text.as_bytes()) {
        Ok(f) => f,
        Err(e) => {
            return sink.error(ExtractError::NotXml {
                input: input.to_string(),
                detail: e
                    .to_string()
                    .lines()
                    .next()
                    .unwrap_or("parse error")
                    .to_string(),
            })
        }
    };
    let raw_dates = raw_item_dates(&text);
    let aligned = raw_dates.len() == feed.entries.len();
    let outlet = feed
        .title
        .as_ref()
        .map(|t| clean_inline(&t.content))
        .filter(|t| !t.is_empty());
    let language = feed.language.clone();
    let feed_hash = ids::stable_hash(bytes);
    if feed.entries.is_empty() {
        return sink.error(ExtractError::NoArticle {
            input: input.to_string(),
            detail: "feed has no items".into(),
        });
    }
    for (i, e) in feed.entries.iter().enumerate() {
        let title = e
            .title
            .as_ref()
            .map(|t| html_text(&t.content))
            .filter(|t| !t.is_empty());
        let url = e
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or_else(|| e.links.first())
            .map(|l| l.href.trim().to_string());
        let body = e
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .filter(|b| !b.trim().is_empty())
            .or_else(|| e.summary.as_ref().map(|s| s.content.clone()))
            .map(|b| html_text(&b))
            .unwrap_or_default();
        let raw = if aligned { raw_dates[i].clone() } else { None };
        let published = raw.as_deref().and_then(dates::parse_any).or_else(|| {
            e.published.or(e.updated).map(|d| {
                d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                    .replace('Z', "+00:00")
            })
        });
        let author = e
            .authors
            .iter()
            .map(|p| clean_inline(p.name.as_deref().unwrap_or("")))
            .filter(|n| !n.is_empty())
            .collect::<Vec<_>>();
        let tags = e
            .categories
            .iter()
            .map(|c| clean_inline(c.label.as_deref().unwrap_or(&c.term)))
            .filter(|c| !c.is_empty())
            .collect();
        let record = format!("{input}#record-{}", i + 1);
        let page = ids::stable_hash(format!("{feed_hash}/{}/{}", i, e.id).as_bytes());
        let (dateline, author, source) = match author.as_slice() {
            [one] => {
                let c = crate::dateline::read_credit(one);
                let dl =
                    (c.place.is_some() || c.outlet.is_some()).then_some(rased_model::Dateline {
                        place: c.place,
                        outlet: c.outlet,
                    });
                (dl, c.author, c.source)
            }
            [] => (None, None, None),
            many => (None, Some(many.join("، ")), None),
        };
        let a = Article {
            url,
            title,
            published,
            dateline,
            source,
            author,
            tags,
            body,
            outlet: outlet.clone(),
            language: language.clone().or_else(|| {
                html::guess_language(
                    &e.title
                        .as_ref()
                        .map(|t| t.content.clone())
                        .unwrap_or_default(),
                )
            }),
            ..Article::default()
        };
        sink.article(finish(a, &page, &record));
    }
}

/// Text of a value that may hold HTML markup.
fn html_text(s: &str) -> String {
    if s.contains('<') && s.contains('>') {
        html::fragment_text(s)
    } else {
        s.lines()
            .map(clean_inline)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    }
}
