//! JSON Lines from other tools (news-please, the ANT corpus, ad-hoc scrapers), one record
//! at a time; a JSON array of such objects is accepted too.

use std::io::BufRead;

use rased_model::{Article, Dateline};
use serde_json::{Map, Value};

use crate::{
    clean_body, clean_inline, dateline, dates, finish, html, ids, io_error, phrases, ExtractError,
    ExtractOptions, Sink,
};

pub(crate) fn extract<R: BufRead>(
    name: &str,
    reader: &mut R,
    opts: &ExtractOptions,
    sink: &mut Sink,
    gz: bool,
) {
    let head = reader.fill_buf().map(|b| b.to_vec()).unwrap_or_default();
    let starts_array = head.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'[');
    // A single pretty-printed JSON document: the first line alone is not valid JSON.
    let first_line = head
        .split(|&b| b == b'\n')
        .find(|l| !l.iter().all(u8::is_ascii_whitespace));
    let whole_document = first_line.is_some_and(|l| {
        head.contains(&b'\n') && serde_json::from_slice::<Value>(l).is_err() && {
            let t = String::from_utf8_lossy(l);
            let t = t.trim();
            t == "{" || (t.starts_with('{') && !t.ends_with('}'))
        }
    });
    if whole_document {
        let mut bytes = Vec::new();
        use std::io::Read;
        if let Err(e) = reader.take(opts.max_bytes + 1).read_to_end(&mut bytes) {
            return sink.error(io_error(name, &e, gz));
        }
        // One pretty-printed object, or several concatenated.
        let mut stream = serde_json::Deserializer::from_slice(&bytes).into_iter::<Value>();
        let mut k = 0;
        loop {
            let start = stream.byte_offset();
            match stream.next() {
                None => break,
                Some(Ok(v)) => {
                    k += 1;
                    let raw = &bytes[start..stream.byte_offset()];
                    record(name, k, &v, raw, sink);
                }
                Some(Err(e)) => {
                    sink.error(ExtractError::BadJsonLine {
                        input: name.to_string(),
                        line: e.line(),
                        detail: format!("invalid JSON ({e})"),
                    });
                    break;
                }
            }
        }
        return;
    }
    if starts_array {
        let mut bytes = Vec::new();
        use std::io::Read;
        if let Err(e) = reader.take(opts.max_bytes + 1).read_to_end(&mut bytes) {
            return sink.error(io_error(name, &e, gz));
        }
        return match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Array(items)) => {
                for (i, v) in items.iter().enumerate() {
                    record(
                        name,
                        i + 1,
                        v,
                        &serde_json::to_vec(v).unwrap_or_default(),
                        sink,
                    );
                }
            }
            Ok(_) | Err(_) => sink.error(ExtractError::BadJsonLine {
                input: name.to_string(),
                line: 1,
                detail: "not a JSON array of objects".into(),
            }),
        };
    }
    let mut buf = Vec::new();
    let mut line_no = 0usize;
    let mut any_line = false;
    loop {
        buf.clear();
        line_no += 1;
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                sink.error(io_error(name, &e, gz));
                break;
            }
        }
        let line = buf.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&buf);
        if line.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        any_line = true;
        if line.len() as u64 > opts.max_bytes {
            sink.error(ExtractError::BadJsonLine {
                input: name.to_string(),
                line: line_no,
                detail: format!("record of {} bytes exceeds the size limit", line.len()),
            });
            continue;
        }
        match serde_json::from_slice::<Value>(line) {
            Ok(v) => record(name, line_no, &v, line, sink),
            Err(e) => sink.error(ExtractError::BadJsonLine {
                input: name.to_string(),
                line: line_no,
                detail: format!("invalid JSON ({e})"),
            }),
        }
    }
    if !any_line {
        sink.error(ExtractError::Empty {
            input: name.to_string(),
        });
    }
}

fn get<'a>(o: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a Value> {
    keys.iter()
        .filter_map(|k| o.get(*k))
        .find(|v| !v.is_null() && v.as_str() != Some(""))
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(o) => text(o.get("name").or_else(|| o.get("$date"))),
        _ => None,
    }
}

fn list(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| text(Some(x)))
            .map(|s| clean_inline(&s))
            .collect(),
        Some(Value::String(s)) => {
            if s.contains([',', '،', ';', '|', '\n']) {
                s.split([',', '،', ';', '|', '\n'])
                    .map(clean_inline)
                    .filter(|x| !x.is_empty())
                    .collect()
            } else {
                phrases::split_phrases(s)
            }
        }
        _ => Vec::new(),
    }
}

fn record(name: &str, line: usize, v: &Value, raw: &[u8], sink: &mut Sink) {
    let input = format!("{name}#record-{line}");
    let Some(o) = v.as_object() else {
        return sink.error(ExtractError::BadJsonLine {
            input: name.to_string(),
            line,
            detail: "not a JSON object".into(),
        });
    };
    let body_raw = text(get(
        o,
        &[
            "text",
            "body",
            "maintext",
            "content",
            "article",
            "article_text",
        ],
    ))
    .or_else(|| text(get(o, &["abstract", "description", "summary"])))
    .unwrap_or_default();
    let body = if body_raw.contains('<') && body_raw.contains("</") {
        html::fragment_text(&body_raw)
    } else {
        clean_body(&body_raw)
    };
    let title = text(get(o, &["title", "headline"]));
    if body.is_empty() && title.is_none() {
        return sink.error(ExtractError::NoArticle {
            input,
            detail: "record has no title and no text".into(),
        });
    }
    let published = text(get(
        o,
        &[
            "published",
            "date_publish",
            "date_published",
            "datePublished",
            "pubDate",
            "publish_date",
            "date",
            "time",
        ],
    ))
    .and_then(|d| dates::parse_any(&d));
    let authors: Vec<String> = match get(o, &["author", "authors", "byline", "creator"]) {
        Some(Value::Array(_)) => list(get(o, &["author", "authors", "byline", "creator"])),
        other => text(other).into_iter().collect(),
    };
    let mut dl: Option<Dateline> = None;
    let mut author = None;
    let mut source = None;
    if let [one] = authors.as_slice() {
        let c = dateline::read_credit(one);
        if c.place.is_some() || c.outlet.is_some() {
            dl = Some(Dateline {
                place: c.place,
                outlet: c.outlet,
            });
        }
        author = c.author;
        source = c.source;
    } else if !authors.is_empty() {
        author = Some(authors.join("، "));
    }
    let mut paragraphs: Vec<String> = body.lines().map(str::to_string).collect();
    if let Some(first) = paragraphs.first() {
        if let Some((d, rest)) = dateline::split_dateline(first) {
            let rest = rest.to_string();
            paragraphs[0] = rest;
            dl = Some(match dl {
                Some(mut old) => {
                    old.outlet = d.outlet.or(old.outlet);
                    if old.place.is_none() {
                        old.place = d.place;
                    }
                    old
                }
                None => d,
            });
        }
    }
    let url = text(get(o, &["url", "link", "source_url", "canonical_url"]));
    let outlet = text(get(
        o,
        &[
            "outlet",
            "source_domain",
            "source",
            "site",
            "publisher",
            "site_name",
        ],
    ));
    let language = text(get(o, &["language", "lang"]));
    let a = Article {
        url,
        title,
        published,
        dateline: dl,
        source,
        author,
        keywords: list(get(o, &["keywords", "news_keywords"])),
        tags: list(get(o, &["tags", "tag"])),
        body: paragraphs.join("\n"),
        language: language.or_else(|| html::guess_language(&body)),
        outlet,
        ..Article::default()
    };
    let page = ids::stable_hash(raw);
    sink.article(finish(a, &page, &input));
}
