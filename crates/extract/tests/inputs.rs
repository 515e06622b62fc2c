//! Input formats and bad input: WARC, JSON Lines, gzip, stdin-like streams, and the errors
//! every broken input must produce (one per input or line, never a panic).

mod common;

use std::io::Write;

use rased_extract::{detect_format, extract, extract_stream, ExtractOptions, Format};
use rased_model::Role;

const PAGE: &str = r#"<html lang="ar"><head><meta charset="utf-8"><title>خبر تجريبي عن الاجتماع الوزاري</title>
<meta property="article:published_time" content="2024-03-05T10:00:00+03:00"></head><body>
<h1>خبر تجريبي عن الاجتماع الوزاري</h1><div class="story"><p>الرياض (واس) - عقد مجلس الوزراء اجتماعه الأسبوعي، وناقش عددا من الملفات المهمة في المنطقة.</p>
<p>وأكد المجلس على أهمية التعاون بين الدول العربية، ودعا إلى وقف التصعيد في المنطقة فورا.</p></div></body></html>"#;

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn warc_record(kind: &str, uri: &str, content_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-03-06T00:00:00Z\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        payload.len()
    )
    .into_bytes();
    r.extend_from_slice(payload);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn http(body: &[u8], chunked: bool) -> Vec<u8> {
    let mut r = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n".to_vec();
    if chunked {
        r.extend_from_slice(b"Transfer-Encoding: chunked\r\n\r\n");
        for c in body.chunks(100) {
            r.extend_from_slice(format!("{:x}\r\n", c.len()).as_bytes());
            r.extend_from_slice(c);
            r.extend_from_slice(b"\r\n");
        }
        r.extend_from_slice(b"0\r\n\r\n");
    } else {
        r.extend_from_slice(b"\r\n");
        r.extend_from_slice(body);
    }
    r
}

fn sample_warc() -> Vec<Vec<u8>> {
    vec![
        warc_record(
            "warcinfo",
            "",
            "application/warc-fields",
            b"software: test\r\n",
        ),
        warc_record(
            "request",
            "https://example.com/a",
            "application/http; msgtype=request",
            b"GET /a HTTP/1.1\r\n\r\n",
        ),
        warc_record(
            "response",
            "https://example.com/a",
            "application/http; msgtype=response",
            &http(PAGE.as_bytes(), false),
        ),
        warc_record(
            "response",
            "https://example.com/b",
            "application/http; msgtype=response",
            &http(PAGE.replace("الأسبوعي", "الطارئ").as_bytes(), true),
        ),
    ]
}

#[test]
fn warc_plain_and_gzip_per_record() {
    let records = sample_warc();
    let plain: Vec<u8> = records.concat();
    let gzipped: Vec<u8> = records.iter().flat_map(|r| gz(r)).collect();
    for (name, bytes) in [("a.warc", plain), ("a.warc.gz", gzipped)] {
        let ex = extract(name, &bytes, &ExtractOptions::default());
        assert!(ex.errors.is_empty(), "{:?}", ex.errors);
        assert_eq!(ex.articles.len(), 2, "{name}");
        let a = &ex.articles[0];
        assert_eq!(a.url.as_deref(), Some("https://example.com/a"));
        assert_eq!(a.input.as_deref(), Some(&*format!("{name}#record-3")));
        assert_eq!(a.published.as_deref(), Some("2024-03-05T10:00:00+03:00"));
        assert_eq!(
            a.dateline.as_ref().and_then(|d| d.outlet.as_deref()),
            Some("واس")
        );
        assert!(
            ex.articles[1].body.contains("الطارئ"),
            "chunked payload decoded"
        );
    }
}

#[test]
fn truncated_warc_keeps_earlier_records() {
    let records = sample_warc();
    let gzipped: Vec<u8> = records.iter().flat_map(|r| gz(r)).collect();
    let cut = &gzipped[..gzipped.len() - 40];
    let ex = extract("cut.warc.gz", cut, &ExtractOptions::default());
    assert_eq!(ex.articles.len(), 1);
    assert_eq!(ex.errors.len(), 1);
    assert_eq!(ex.errors[0].code(), "truncated_gzip");
    assert!(ex.errors[0].to_string().starts_with("cut.warc.gz: "));
    let plain: Vec<u8> = records.concat();
    let ex = extract(
        "cut.warc",
        &plain[..plain.len() - 100],
        &ExtractOptions::default(),
    );
    assert_eq!(ex.articles.len(), 1);
    assert_eq!(ex.errors[0].code(), "bad_warc");
}

#[test]
fn json_lines_with_broken_line() {
    let lines = [
        r#"{"id":"x1","url":"http://www.alarabiya.net/ar/a.html","outlet":"alarabia","title":"عنوان أول","published":"Sun, 18 Feb 2018 21:35:43 +0400","author":"القاهرة - أحمد الريدي","text":"الفقرة الأولى من النص.\nالفقرة الثانية من النص."}"#,
        r#"{"title": "broken"#,
        r#"{"title":"خبر","maintext":"نص الخبر هنا.","date_publish":"2020-08-24 10:00:00","authors":["أ","ب"],"source_domain":"example.com","keywords":["سوريا","دمشق"]}"#,
    ];
    let ex = extract(
        "x.jsonl",
        lines.join("\n").as_bytes(),
        &ExtractOptions::default(),
    );
    assert_eq!(ex.articles.len(), 2);
    assert_eq!(ex.errors.len(), 1);
    assert_eq!(ex.errors[0].code(), "bad_json_line");
    assert!(
        ex.errors[0].to_string().starts_with("x.jsonl: line 2: "),
        "{}",
        ex.errors[0]
    );
    let a = &ex.articles[0];
    assert_eq!(a.published.as_deref(), Some("2018-02-18T21:35:43+04:00"));
    assert_eq!(a.author.as_deref(), Some("أحمد الريدي"));
    assert_eq!(
        a.dateline.as_ref().and_then(|d| d.place.as_deref()),
        Some("القاهرة")
    );
    assert_eq!(a.outlet.as_deref(), Some("alarabia"));
    assert_eq!(a.body, "الفقرة الأولى من النص.\nالفقرة الثانية من النص.");
    assert_eq!(a.input.as_deref(), Some("x.jsonl#record-1"));
    let b = &ex.articles[1];
    assert_eq!(b.published.as_deref(), Some("2020-08-24"));
    assert_eq!(b.author.as_deref(), Some("أ، ب"));
    assert_eq!(b.keywords, ["سوريا", "دمشق"]);
    assert_eq!(b.input.as_deref(), Some("x.jsonl#record-3"));
}

#[test]
fn gzip_jsonl_truncated_keeps_complete_lines() {
    let mut text = String::new();
    for i in 0..200 {
        text.push_str(&format!("{{\"title\":\"عنوان {i}\",\"text\":\"نص الخبر رقم {i} مع بعض الكلمات الإضافية لزيادة الطول.\"}}\n"));
    }
    let z = gz(text.as_bytes());
    let ex = extract("c.jsonl.gz", &z[..z.len() / 2], &ExtractOptions::default());
    assert!(!ex.articles.is_empty() && ex.articles.len() < 200);
    assert_eq!(ex.errors.last().unwrap().code(), "truncated_gzip");
    let ex = extract("c.jsonl.gz", &z, &ExtractOptions::default());
    assert_eq!((ex.articles.len(), ex.errors.len()), (200, 0));
}

#[test]
fn bad_inputs_have_one_clear_error() {
    let opts = ExtractOptions {
        max_bytes: 10_000,
        ..Default::default()
    };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.html", Vec::new(), "empty_input"),
        ("blank.txt", b"  \n\n ".to_vec(), "empty_input"),
        (
            "img.png",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0".to_vec(),
            "binary_input",
        ),
        ("big.html", vec![b'a'; 20_000], "too_large"),
        (
            "feed.xml",
            b"<?xml version=\"1.0\"?><rss><channel><item><title>x</title></item".to_vec(),
            "not_xml",
        ),
        (
            "nav.html",
            b"<html><body><nav><a href='/'>home</a></nav></body></html>".to_vec(),
            "no_article",
        ),
        (
            "title-only.txt",
            "عنوان فقط".as_bytes().to_vec(),
            "no_article",
        ),
    ];
    for (name, bytes, code) in cases {
        let ex = extract(name, &bytes, &opts);
        assert!(ex.articles.is_empty(), "{name}");
        assert_eq!(ex.errors.len(), 1, "{name}: {:?}", ex.errors);
        assert_eq!(ex.errors[0].code(), code, "{name}: {}", ex.errors[0]);
        let msg = ex.errors[0].to_string();
        assert!(
            msg.starts_with(&format!("{name}: ")) && !msg.contains('\n'),
            "{msg}"
        );
    }
}

#[test]
fn wrong_declared_charset_is_detected_and_warned() {
    let (cp1256, _, _) = encoding_rs::WINDOWS_1256.encode(PAGE);
    let ex = extract("cp.html", &cp1256, &ExtractOptions::default());
    assert_eq!(ex.articles.len(), 1);
    assert_eq!(ex.errors.len(), 1);
    assert_eq!(ex.errors[0].code(), "charset");
    assert!(!ex.failed(), "a corrected charset is a warning");
    assert!(ex.articles[0].body.contains("مجلس الوزراء"));
}

#[test]
fn format_detection_from_content() {
    assert_eq!(detect_format(b"\x1f\x8b\x08", "x.txt"), Format::Gzip);
    assert_eq!(detect_format(b"WARC/1.0\r\n", "x"), Format::Warc);
    assert_eq!(
        detect_format(b"  <?xml version='1.0'?><rss>", "x.html"),
        Format::Feed
    );
    assert_eq!(
        detect_format(b"<feed xmlns='http://www.w3.org/2005/Atom'>", "x"),
        Format::Feed
    );
    assert_eq!(
        detect_format(b"<!DOCTYPE html><html>", "x.xml"),
        Format::Html
    );
    assert_eq!(detect_format(b"{\"a\":1}\n", "x.html"), Format::JsonLines);
    assert_eq!(detect_format("عنوان\nنص".as_bytes(), "x"), Format::TextPage);
    assert_eq!(detect_format(b"\n\n", "x"), Format::Empty);
}

#[test]
fn stream_api_reports_as_it_goes() {
    let lines = "{\"title\":\"أ\",\"text\":\"نص.\"}\n{\"title\":\"ب\",\"text\":\"نص آخر.\"}\n";
    let mut titles = Vec::new();
    let mut errors = 0;
    extract_stream(
        "-",
        lines.as_bytes(),
        &ExtractOptions::default(),
        |a| titles.push(a.title.unwrap()),
        |_| errors += 1,
    );
    assert_eq!(titles, ["أ", "ب"]);
    assert_eq!(errors, 0);
}

#[test]
fn ids_are_stable_and_content_based() {
    let a = extract("a.html", PAGE.as_bytes(), &ExtractOptions::default())
        .articles
        .remove(0);
    let b = extract(
        "b/other-name.html",
        PAGE.as_bytes(),
        &ExtractOptions::default(),
    )
    .articles
    .remove(0);
    assert_eq!(a.id, b.id);
    assert_eq!(a.page, b.page);
    assert_eq!(a.id.len(), 16);
    assert_eq!(a.role, Role::Main);
}

#[test]
fn ant_corpus_sample() {
    let Some(sh) = common::shared() else { return };
    let path = sh.join("data/corpus/ant-jawharafm.jsonl.gz");
    let file = std::fs::File::open(&path).unwrap();
    let (mut n, mut dated, mut errors) = (0usize, 0usize, 0usize);
    extract_stream(
        "jawhara",
        file,
        &ExtractOptions::default(),
        |a| {
            n += 1;
            dated += a.published.is_some() as usize;
        },
        |_| errors += 1,
    );
    println!("ant-jawharafm: {n} articles, {dated} dated, {errors} errors");
    assert_eq!(n + errors, 10_161);
    assert!(dated * 100 >= n * 99);
}

#[test]
fn aggregator_markers_inside_html() {
    let html = r#"<html><head><title>رئيس الاستخبارات التركية يلتقي حفتر</title></head><body>
    <nav><a href="/">الرئيسية</a></nav>
    <article><h1>رئيس الاستخبارات التركية يلتقي حفتر</h1>
    <p>أنقرة (زمان التركية) – التقى رئيس الاستخبارات التركية، إبراهيم قالين، بالجنرال خليفة حفتر قائد الجيش في شرق ليبيا.</p>
    <p>وذكر بيان صادر عن مكتب حفتر اليوم الاثنين، أن اللقاء عقد في مقر القيادة العامة بمنطقة الرجمة.</p>
    <p>المصدر: جريدة زمان التركية</p>
    <p>كلمات دلالية: الاستخبارات التركية الحرب الليبية خليفة حفتر شرق ليبيا</p>
    <p>اقرأ أيضاً: <a href="https://example.com/related-story">مظلوم عبدي يلتقي أحمد الشرع في دمشق</a></p>
    </article><div class="tags">Tags: اشتباكات في حلبالتطورات في سوريا</div></body></html>"#;
    let ex = extract("agg.html", html.as_bytes(), &ExtractOptions::default());
    assert!(ex.errors.is_empty(), "{:?}", ex.errors);
    let a = &ex.articles[0];
    assert_eq!(a.source.as_deref(), Some("جريدة زمان التركية"));
    assert_eq!(
        a.keywords,
        [
            "الاستخبارات التركية",
            "الحرب الليبية",
            "خليفة حفتر",
            "شرق ليبيا"
        ]
    );
    assert_eq!(a.tags, ["اشتباكات في حلب", "التطورات في سوريا"]);
    assert_eq!(a.related_urls, ["https://example.com/related-story"]);
    assert_eq!(a.body.lines().count(), 2, "{}", a.body);
    assert_eq!(
        a.dateline.as_ref().and_then(|d| d.outlet.as_deref()),
        Some("زمان التركية")
    );
}
