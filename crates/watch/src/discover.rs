//! What a source lists: the article links of an RSS/Atom feed (feed-rs), of an XML sitemap or
//! news sitemap, the child sitemaps of a sitemap index (quick-xml), or the article-looking
//! links of a section page (scraper).
//!
//! The kind is found from the content, not the address. Lists are capped
//! ([`MAX_LINKS`]) so a hostile or huge source cannot flood a poll.

use std::collections::HashSet;

use quick_xml::events::Event;
use url::Url;

/// The most links taken from one document.
pub const MAX_LINKS: usize = 50_000;

/// What kind of source a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Feed,
    Sitemap,
    SitemapIndex,
    Page,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Feed => "feed",
            Kind::Sitemap => "sitemap",
            Kind::SitemapIndex => "sitemap_index",
            Kind::Page => "page",
        }
    }
}

/// The links found in one source document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovery {
    pub kind: Kind,
    /// Article pages, in document order, without duplicates.
    pub articles: Vec<String>,
    /// Child sitemaps (of a sitemap index).
    pub sitemaps: Vec<String>,
}

/// Finds the links of a source document fetched from `base`.
pub fn discover(base: &Url, bytes: &[u8], content_type: Option<&str>) -> Result<Discovery, String> {
    let kind = detect(bytes, content_type);
    let mut d = Discovery {
        kind,
        articles: Vec::new(),
        sitemaps: Vec::new(),
    };
    match kind {
        Kind::Feed => {
            let feed =
                feed_rs::parser::parse(bytes).map_err(|e| format!("not a valid feed: {e}"))?;
            let links = feed.entries.iter().filter_map(|entry| {
                entry
                    .links
                    .iter()
                    .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                    .map(|l| l.href.clone())
                    .or_else(|| entry.id.starts_with("http").then(|| entry.id.clone()))
            });
            d.articles = absolute(base, links, false);
        }
        Kind::Sitemap | Kind::SitemapIndex => {
            let locs = sitemap_locs(bytes)?;
            let links = absolute(base, locs.into_iter(), false);
            if kind == Kind::SitemapIndex {
                d.sitemaps = links;
            } else {
                d.articles = links;
            }
        }
        Kind::Page => {
            let text = rased_extract::charset::decode(
                bytes,
                content_type.and_then(rased_extract::charset::charset_param),
            )
            .text;
            d.articles = page_links(base, &text);
        }
    }
    Ok(d)
}

/// The kind of a document, from its first element.
pub fn detect(bytes: &[u8], content_type: Option<&str>) -> Kind {
    let head = &bytes[..bytes.len().min(4096)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let root = first_element(&head);
    match root.as_deref() {
        Some("urlset") => Kind::Sitemap,
        Some("sitemapindex") => Kind::SitemapIndex,
        Some("rss" | "feed" | "rdf:rdf" | "rdf") => Kind::Feed,
        Some("html") => Kind::Page,
        _ => {
            let ct = content_type.unwrap_or("").to_ascii_lowercase();
            if ct.contains("rss") || ct.contains("atom") {
                Kind::Feed
            } else {
                Kind::Page
            }
        }
    }
}

/// The name of the first element, skipping the declaration, comments and doctype.
fn first_element(head: &str) -> Option<String> {
    let mut rest = head.trim_start_matches('\u{feff}');
    loop {
        let at = rest.find('<')?;
        rest = &rest[at + 1..];
        if rest.starts_with('?') || rest.starts_with('!') {
            let end = if rest.starts_with("!--") {
                rest.find("-->").map(|i| i + 3)
            } else {
                rest.find('>').map(|i| i + 1)
            };
            rest = &rest[end?..];
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, ':' | '-' | '_'))
            .collect();
        return (!name.is_empty()).then_some(name);
    }
}

/// The text of every `<loc>` (in the sitemap namespace: unprefixed, so `<image:loc>` of
/// image sitemaps is not an article).
fn sitemap_locs(bytes: &[u8]) -> Result<Vec<String>, String> {
    let text = String::from_utf8_lossy(bytes);
    let mut reader = quick_xml::Reader::from_str(&text);
    let mut out = Vec::new();
    let mut in_loc = false;
    let mut current = String::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.name().as_ref() == "loc" => {
                in_loc = true;
                current.clear();
            }
            Ok(Event::End(e)) if e.name().as_ref() == "loc" => {
                in_loc = false;
                let loc = current.trim();
                if !loc.is_empty() {
                    out.push(loc.to_string());
                    if out.len() >= MAX_LINKS {
                        break;
                    }
                }
            }
            Ok(Event::Text(t)) if in_loc => current.push_str(&t.xml10_content()),
            Ok(Event::CData(t)) if in_loc => current.push_str(&t.xml10_content()),
            Ok(Event::GeneralRef(r)) if in_loc => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    current.push(c);
                } else {
                    match r.xml10_content().as_ref() {
                        "amp" => current.push('&'),
                        "lt" => current.push('<'),
                        "gt" => current.push('>'),
                        "quot" => current.push('"'),
                        "apos" => current.push('\''),
                        _ => {}
                    }
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            // A sitemap broken half-way still gave its first links.
            Err(e) if out.is_empty() => return Err(format!("not a valid sitemap: {e}")),
            Err(_) => break,
        }
    }
    Ok(out)
}

/// Links of a section page that look like articles of the same site: not the page itself,
/// not assets, and a path that reads like an article (a number, a slug with several
/// hyphens, or a page file).
fn page_links(base: &Url, html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("a[href]").expect("a valid selector");
    let base = doc
        .select(&scraper::Selector::parse("base[href]").expect("a valid selector"))
        .next()
        .and_then(|b| b.value().attr("href"))
        .and_then(|h| base.join(h).ok())
        .unwrap_or_else(|| base.clone());
    let hrefs = doc
        .select(&selector)
        .filter_map(|a| a.value().attr("href").map(str::to_string));
    absolute(&base, hrefs, true)
        .into_iter()
        .filter(|u| Url::parse(u).is_ok_and(|u| looks_like_article(&u)))
        .collect()
}

fn looks_like_article(u: &Url) -> bool {
    let path = u.path().trim_end_matches('/');
    let last = path.rsplit('/').next().unwrap_or("");
    if last.is_empty() {
        return false;
    }
    let ext = last.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    if let Some(ext) = &ext {
        let asset = [
            "css", "js", "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "pdf", "zip", "mp3",
            "mp4", "xml", "json", "rss", "woff", "woff2",
        ];
        if asset.contains(&ext.as_str()) {
            return false;
        }
        if ["html", "htm", "php", "asp", "aspx", "shtml"].contains(&ext.as_str()) {
            return true;
        }
    }
    last.chars().any(|c| c.is_ascii_digit()) || last.matches('-').count() >= 2
}

/// Resolves links against `base`, keeps `http(s)` ones (only on `base`'s host when
/// `same_host`), drops fragments, the base itself and duplicates.
fn absolute(base: &Url, links: impl Iterator<Item = String>, same_host: bool) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for link in links {
        let Ok(mut u) = base.join(link.trim()) else {
            continue;
        };
        if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none() {
            continue;
        }
        if same_host
            && (u.host_str() != base.host_str()
                || u.port_or_known_default() != base.port_or_known_default())
        {
            continue;
        }
        u.set_fragment(None);
        if u == *base {
            continue;
        }
        let s = u.to_string();
        if seen.insert(s.clone()) {
            out.push(s);
            if out.len() >= MAX_LINKS {
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://news.example/section/politics/").unwrap()
    }

    #[test]
    fn rss_items() {
        let rss =
            br#"<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>
            <item><title>a</title><link>https://news.example/a/1.html</link></item>
            <item><title>b</title><link>/a/2.html</link></item>
            <item><title>dup</title><link>https://news.example/a/1.html#top</link></item>
            </channel></rss>"#;
        let d = discover(&base(), rss, None).unwrap();
        assert_eq!(d.kind, Kind::Feed);
        assert_eq!(
            d.articles,
            [
                "https://news.example/a/1.html",
                "https://news.example/a/2.html"
            ]
        );
    }

    #[test]
    fn atom_entries() {
        let atom = br#"<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>x</id><updated>2024-01-01T00:00:00Z</updated>
            <entry><title>a</title><id>tag:1</id><updated>2024-01-01T00:00:00Z</updated><link href="https://news.example/x-y-z"/></entry></feed>"#;
        let d = discover(&base(), atom, None).unwrap();
        assert_eq!(d.articles, ["https://news.example/x-y-z"]);
    }

    #[test]
    fn sitemaps_news_sitemaps_and_indexes() {
        let sm = br#"<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
            <url><loc>https://news.example/a?id=1&amp;p=2</loc><news:news><news:title>t</news:title></news:news><image:image><image:loc>https://news.example/i.jpg</image:loc></image:image></url>
            <url><loc> https://news.example/b </loc></url></urlset>"#;
        let d = discover(&base(), sm, None).unwrap();
        assert_eq!(d.kind, Kind::Sitemap);
        assert_eq!(
            d.articles,
            ["https://news.example/a?id=1&p=2", "https://news.example/b"]
        );
        let idx = br#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://news.example/s1.xml</loc></sitemap></sitemapindex>"#;
        let d = discover(&base(), idx, None).unwrap();
        assert_eq!(d.kind, Kind::SitemapIndex);
        assert_eq!(d.sitemaps, ["https://news.example/s1.xml"]);
        assert!(d.articles.is_empty());
    }

    #[test]
    fn section_page_links() {
        let html = r#"<html><body><a href="/">home</a><a href="/section/sport/">sport</a>
            <a href="/2024/05/01/haftar-meets-the-envoy">a</a><a href="story-123">b</a>
            <a href="https://other.example/1.html">elsewhere</a><a href="/style.css">c</a>
            <a href="mailto:x@y">m</a><a href="/news/item.html">d</a></body></html>"#;
        let d = discover(&base(), html.as_bytes(), Some("text/html")).unwrap();
        assert_eq!(d.kind, Kind::Page);
        assert_eq!(
            d.articles,
            [
                "https://news.example/2024/05/01/haftar-meets-the-envoy",
                "https://news.example/section/politics/story-123",
                "https://news.example/news/item.html",
            ]
        );
    }

    #[test]
    fn garbage_is_an_error_or_nothing_never_a_panic() {
        assert!(
            discover(&base(), b"<rss><channel><item>", None).is_err()
                || discover(&base(), b"<rss><channel><item>", None)
                    .unwrap()
                    .articles
                    .is_empty()
        );
        assert!(discover(&base(), b"<urlset><url><loc>", None)
            .map(|d| d.articles.is_empty())
            .unwrap_or(true));
        let d = discover(&base(), &[0xff, 0xfe, 0x00, 0x01], None).unwrap();
        assert!(d.articles.is_empty());
    }
}
