//! Publisher HTML → one article: main content by a readability-style scorer over text
//! blocks (scraper/html5ever DOM), metadata from JSON-LD, `<meta>`, `<time>`, visible text
//! and the URL.

use std::collections::HashMap;
use std::sync::OnceLock;

use ego_tree::iter::Edge;
use ego_tree::NodeId;
use rased_model::Article;
use regex::Regex;
use scraper::{Html, Node, Selector};
use serde_json::Value;

use crate::textpage::{self, Line};
use crate::{charset, clean_inline, dateline, dates, finish, ids, phrases, ExtractError, Sink};

/// Tags whose content is never article text.
const SKIP_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "head", "iframe", "select", "button",
    "textarea", "option", "canvas", "video", "audio", "object", "embed", "map", "math",
];
/// Structural boilerplate tags.
const BOILER_TAGS: &[&str] = &["nav", "header", "footer", "aside", "form", "menu", "dialog"];
/// Paragraph-like blocks: their text scores their container.
const PARA_TAGS: &[&str] = &[
    "p",
    "li",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "td",
    "th",
    "pre",
    "dd",
    "dt",
    "figcaption",
    "address",
];
/// Tags that start a new text block.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "td",
    "th",
    "tr",
    "table",
    "tbody",
    "thead",
    "pre",
    "figure",
    "figcaption",
    "dd",
    "dt",
    "dl",
    "address",
    "center",
    "body",
    "html",
    "header",
    "footer",
    "nav",
    "aside",
    "form",
    "hr",
    "br",
];

fn negative_re() -> &'static Regex {
    cached_regex!(
        r"(?i)comment|share|sharing|social|related|footer|\bfoot\b|navbar|\bnav\b|navigation|menu|sidebar|side-bar|widget|advert|\bads?\b|\bad-|-ad\b|adsense|dfp|banner|cookie|consent|gdpr|popup|modal|newsletter|breadcrumb|\btags?\b|tag-list|tags-|keywords|read-?more|readmore|more-?news|most-?read|mostread|popular|trending|subscribe|sponsor|promo|outbrain|taboola|author-?box|\bprint\b|login|signup|search|skip|caption|credit|copyright|disclaimer|weather|ticker|breaking|rating|pagination|pager|also|recommend|next-?article|prev|poll|video-?list|slider|carousel|gallery-thumbs|toolbar|tools|follow|whatsapp|facebook|twitter|telegram|hidden-print|sr-only"
    )
}

fn positive_re() -> &'static Regex {
    cached_regex!(
        r"(?i)article|body|content|entry|main|post|story|text|detail|news-?desc|articlebody|itemprop"
    )
}

fn related_re() -> &'static Regex {
    cached_regex!(
        r"(?i)related|read-?more|readmore|also|more-?news|more-?stories|recommend|similar"
    )
}

/// "Read also" markers opening a teaser paragraph (match-normalized).
const READ_ALSO: &[&str] = &[
    "اقرا ايضا",
    "اقرا أيضا",
    "اقرا كذلك",
    "اقرا المزيد",
    "شاهد ايضا",
    "اخبار ذات صلة",
    "مواضيع ذات صلة",
    "قد يهمك",
    "المزيد:",
    "read also",
    "read more",
    "see also",
];

#[derive(Debug, Default)]
struct Block {
    text: String,
    link_chars: usize,
    /// The block element that owns the text.
    owner: Option<NodeId>,
    /// Open elements when the block was flushed (outermost first).
    ancestors: Vec<NodeId>,
    excluded: bool,
    related: bool,
    heading: bool,
    /// The owner is a paragraph-like element (p, li, blockquote, …), not a container.
    owner_para: bool,
    hrefs: Vec<String>,
}

impl Block {
    fn chars(&self) -> usize {
        self.text.chars().count()
    }
    fn link_density(&self) -> f64 {
        self.link_chars as f64 / self.chars().max(1) as f64
    }
}

struct Open {
    id: NodeId,
    block: bool,
    excluded: bool,
    related: bool,
    skip: bool,
    link: bool,
    heading: bool,
    para: bool,
}

/// Splits the document into text blocks, in document order.
fn blocks(doc: &Html, base: Option<&str>) -> (Vec<Block>, Vec<String>) {
    let mut out: Vec<Block> = Vec::new();
    let mut related_links: Vec<String> = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut cur = Block::default();
    let sizes = text_sizes(doc);
    let total = sizes
        .get(&doc.tree.root().id())
        .copied()
        .unwrap_or(0)
        .max(1);
    let flush = |cur: &mut Block, stack: &[Open], out: &mut Vec<Block>| {
        let text = clean_inline(&cur.text);
        if !text.is_empty() {
            let mut b = std::mem::take(cur);
            b.text = text;
            let owner = stack.iter().rev().find(|o| o.block);
            b.owner = owner.map(|o| o.id);
            b.owner_para = owner.is_some_and(|o| o.para);
            b.ancestors = stack.iter().map(|o| o.id).collect();
            b.excluded = stack.iter().any(|o| o.excluded);
            b.related = stack.iter().any(|o| o.related);
            b.heading = stack.iter().any(|o| o.heading);
            out.push(b);
        } else {
            *cur = Block::default();
        }
    };
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el) => {
                    let name = el.name();
                    let skipping = stack.last().is_some_and(|o| o.skip);
                    let skip = skipping || SKIP_TAGS.contains(&name) || is_hidden(el);
                    let block = BLOCK_TAGS.contains(&name);
                    if block && !skipping {
                        flush(&mut cur, &stack, &mut out);
                    }
                    let attrs = format!(
                        "{} {}",
                        el.id().unwrap_or(""),
                        el.attr("class").unwrap_or("")
                    );
                    let neg = !attrs.trim().is_empty()
                        && negative_re().is_match(&attrs)
                        && !(positive_re().is_match(&attrs)
                            && !related_re().is_match(&attrs)
                            && !attrs.to_lowercase().contains("comment"));
                    // A "negative" container that holds most of the page's text is a layout
                    // wrapper with an unlucky class name, not boilerplate.
                    let big = sizes.get(&node.id()).copied().unwrap_or(0) * 10 > total * 4;
                    let excluded = (BOILER_TAGS.contains(&name) || neg)
                        && !(big && name != "footer" && name != "nav");
                    let related = !attrs.trim().is_empty() && related_re().is_match(&attrs);
                    let link = name == "a";
                    if link && !skip {
                        if let Some(href) = el.attr("href").and_then(|h| absolutize(h, base)) {
                            cur.hrefs.push(href.clone());
                            if related || stack.iter().any(|o| o.related) {
                                related_links.push(href);
                            }
                        }
                    }
                    stack.push(Open {
                        id: node.id(),
                        block,
                        excluded,
                        related,
                        skip,
                        link,
                        heading: matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6"),
                        para: PARA_TAGS.contains(&name),
                    });
                }
                Node::Text(t) => {
                    if stack.last().is_some_and(|o| o.skip) {
                        continue;
                    }
                    let s: &str = t;
                    if stack.iter().any(|o| o.link) {
                        cur.link_chars += s
                            .split_whitespace()
                            .map(|w| w.chars().count() + 1)
                            .sum::<usize>();
                    }
                    cur.text.push_str(s);
                }
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(el) = node.value() {
                    let skipping = stack.last().is_some_and(|o| o.skip);
                    let block = BLOCK_TAGS.contains(&el.name());
                    if block && !skipping {
                        flush(&mut cur, &stack, &mut out);
                    }
                    if stack.last().is_some_and(|o| o.id == node.id()) {
                        stack.pop();
                    }
                }
            }
        }
    }
    flush(&mut cur, &stack, &mut out);
    (out, related_links)
}

/// Text length (bytes, outside skipped tags) under every element.
fn text_sizes(doc: &Html) -> HashMap<NodeId, usize> {
    let mut sizes = HashMap::new();
    let mut stack: Vec<(NodeId, usize, bool)> = vec![(doc.tree.root().id(), 0, false)];
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                if let Node::Element(el) = node.value() {
                    let skip = stack.last().is_some_and(|s| s.2) || SKIP_TAGS.contains(&el.name());
                    stack.push((node.id(), 0, skip));
                } else if let Node::Text(t) = node.value() {
                    if let Some(top) = stack.last_mut() {
                        if !top.2 {
                            top.1 += t.trim().len();
                        }
                    }
                }
            }
            Edge::Close(node) => {
                if node.value().is_element() && stack.len() > 1 {
                    let (id, len, _) = stack.pop().expect("non-empty");
                    sizes.insert(id, len);
                    if let Some(top) = stack.last_mut() {
                        top.1 += len;
                    }
                }
            }
        }
    }
    if let Some(&(id, len, _)) = stack.first() {
        sizes.insert(id, len);
    }
    sizes
}

fn is_hidden(el: &scraper::node::Element) -> bool {
    if el.attr("hidden").is_some() || el.attr("aria-hidden") == Some("true") {
        return true;
    }
    el.attr("style").is_some_and(|s| {
        let s = s.replace(' ', "").to_ascii_lowercase();
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

static BOILERPLATE: &str = include_str!("../data/boilerplate.txt");

fn boilerplate_phrases() -> &'static [String] {
    static P: OnceLock<Vec<String>> = OnceLock::new();
    P.get_or_init(|| {
        BOILERPLATE
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| rased_text::normalize_str(l, rased_text::Level::Match).to_lowercase())
            .collect()
    })
}

/// Decodes the character references left in attribute values that were escaped twice
/// (`&quot;` inside `content="…"`).
fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.as_bytes()[..rest.len().min(12)]
            .iter()
            .position(|&b| b == b';')
        else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let ent = &rest[1..end];
        let ch = match ent {
            "quot" => Some('"'),
            "amp" => Some('&'),
            "apos" => Some('\''),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "nbsp" => Some(' '),
            _ => ent
                .strip_prefix("#x")
                .or_else(|| ent.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| ent.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Copyright lines, photo credits and similar one-liners.
fn is_boilerplate_line(text: &str) -> bool {
    let t = text.trim();
    if t.chars().count() < 400 {
        let f = rased_text::normalize_str(t, rased_text::Level::Match).to_lowercase();
        if boilerplate_phrases().iter().any(|p| f.contains(p.as_str())) {
            return true;
        }
    }
    t.starts_with('©')
        || t.contains("جميع الحقوق محفوظة")
        || t.to_lowercase().starts_with("copyright")
        || (t.chars().count() < 40
            && (t.contains("Getty") || t.contains("AFP /") || t.contains("REUTERS")))
}

fn is_read_also(text: &str) -> bool {
    static MARKERS: OnceLock<Vec<String>> = OnceLock::new();
    let markers = MARKERS.get_or_init(|| {
        READ_ALSO
            .iter()
            .map(|m| rased_text::normalize_str(m, rased_text::Level::Match).to_lowercase())
            .collect()
    });
    let head: String = text.chars().take(40).collect();
    let f = rased_text::normalize_str(&head, rased_text::Level::Match).to_lowercase();
    markers.iter().any(|m| f.starts_with(m.as_str()))
}

/// Resolves `href` against `base`; keeps http(s) URLs only.
fn absolutize(href: &str, base: Option<&str>) -> Option<String> {
    let href = href.trim();
    if href.starts_with("http://") || href.starts_with("https://") {
        return Some(href.to_string());
    }
    let base = base?;
    let (scheme, rest) = base.split_once("://")?;
    let host = rest.split('/').next()?;
    if let Some(h) = href.strip_prefix("//") {
        return Some(format!("{scheme}://{h}"));
    }
    if href.starts_with('/') {
        return Some(format!("{scheme}://{host}{href}"));
    }
    if href.is_empty() || href.starts_with('#') || href.contains(':') {
        return None;
    }
    let dir = match base.rfind('/') {
        Some(i) if i > scheme.len() + 3 => &base[..=i],
        _ => return Some(format!("{scheme}://{host}/{href}")),
    };
    Some(format!("{dir}{href}"))
}

/// Metadata gathered from `<meta>`, `<link>`, JSON-LD and a few elements.
#[derive(Debug, Default)]
struct Meta {
    metas: HashMap<String, Vec<String>>,
    ld_headline: Option<String>,
    ld_published: Option<String>,
    ld_modified: Option<String>,
    ld_authors: Vec<String>,
    ld_publisher: Option<String>,
    ld_keywords: Vec<String>,
    canonical: Option<String>,
    lang: Option<String>,
    title_tag: Option<String>,
    h1: Option<String>,
    time_datetimes: Vec<String>,
    itemprop_published: Vec<String>,
    rel_tags: Vec<String>,
    rel_authors: Vec<String>,
}

impl Meta {
    fn first(&self, keys: &[&str]) -> Option<&str> {
        keys.iter()
            .filter_map(|k| self.metas.get(*k))
            .flat_map(|v| v.iter())
            .map(|s| s.trim())
            .find(|s| !s.is_empty())
    }
    fn all(&self, key: &str) -> Vec<&str> {
        self.metas
            .get(key)
            .map(|v| v.iter().map(|s| s.as_str()).collect())
            .unwrap_or_default()
    }
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("valid selector")
}

fn gather_meta(doc: &Html) -> Meta {
    let mut m = Meta::default();
    for el in doc.select(&sel("meta")) {
        let v = el.value();
        let key = v
            .attr("property")
            .or_else(|| v.attr("name"))
            .or_else(|| v.attr("itemprop"))
            .or_else(|| v.attr("http-equiv"));
        if let (Some(k), Some(c)) = (key, v.attr("content")) {
            m.metas
                .entry(k.trim().to_ascii_lowercase())
                .or_default()
                .push(unescape(c));
        }
    }
    for el in doc.select(&sel("link[rel]")) {
        let rel = el.value().attr("rel").unwrap_or("").to_ascii_lowercase();
        if rel.split_whitespace().any(|r| r == "canonical") && m.canonical.is_none() {
            m.canonical = el
                .value()
                .attr("href")
                .map(|h| h.trim().to_string())
                .filter(|h| h.starts_with("http"));
        }
    }
    for el in doc.select(&sel("a[rel]")) {
        let rel = el.value().attr("rel").unwrap_or("").to_ascii_lowercase();
        let text = clean_inline(&el.text().collect::<String>());
        if text.is_empty() {
            continue;
        }
        if rel.split_whitespace().any(|r| r == "tag") {
            m.rel_tags.push(text);
        } else if rel.split_whitespace().any(|r| r == "author") && text.chars().count() < 60 {
            m.rel_authors.push(text);
        }
    }
    if let Some(html) = doc.select(&sel("html")).next() {
        m.lang = html
            .value()
            .attr("lang")
            .or_else(|| html.value().attr("xml:lang"))
            .map(|s| s.trim().to_string());
    }
    m.title_tag = doc
        .select(&sel("title"))
        .next()
        .map(|t| clean_inline(&t.text().collect::<String>()));
    m.h1 = doc
        .select(&sel("h1"))
        .map(|t| clean_inline(&t.text().collect::<String>()))
        .find(|t| t.chars().count() >= 8);
    for el in doc.select(&sel("time[datetime], [itemprop=datePublished]")) {
        let v = el.value();
        let val = v
            .attr("datetime")
            .or_else(|| v.attr("content"))
            .map(str::to_string);
        let val = val.unwrap_or_else(|| el.text().collect::<String>());
        if v.attr("itemprop")
            .is_some_and(|p| p.eq_ignore_ascii_case("datePublished"))
        {
            m.itemprop_published.push(val);
        } else {
            m.time_datetimes.push(val);
        }
    }
    for el in doc.select(&sel("script[type]")) {
        let ty = el.value().attr("type").unwrap_or("").to_ascii_lowercase();
        if !ty.contains("ld+json") {
            continue;
        }
        let raw: String = el.text().collect();
        let raw = raw
            .trim()
            .trim_start_matches("//<![CDATA[")
            .trim_end_matches("//]]>")
            .trim();
        let value: Value = match serde_json::from_str(raw) {
            Ok(v) => v,
            Err(_) => match serde_json::from_str(&raw.replace(['\n', '\r', '\t'], " ")) {
                Ok(v) => v,
                Err(_) => continue,
            },
        };
        walk_ld(&value, &mut m, 0);
    }
    m
}

fn as_texts(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a.iter().flat_map(as_texts).collect(),
        Value::Object(o) => o.get("name").map(as_texts).unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn walk_ld(v: &Value, m: &mut Meta, depth: usize) {
    if depth > 8 {
        return;
    }
    match v {
        Value::Array(a) => a.iter().for_each(|x| walk_ld(x, m, depth + 1)),
        Value::Object(o) => {
            if let Some(g) = o.get("@graph") {
                walk_ld(g, m, depth + 1);
            }
            let ty = o
                .get("@type")
                .map(as_texts)
                .unwrap_or_default()
                .join(" ")
                .to_lowercase();
            let articleish =
                ty.contains("article") || ty.contains("posting") || ty.contains("report");
            let pageish = ty.contains("webpage");
            if !(articleish || pageish) {
                return;
            }
            let take = |k: &str| o.get(k).and_then(|x| x.as_str()).map(unescape);
            if articleish || m.ld_headline.is_none() {
                if let Some(h) =
                    take("headline").or_else(|| if articleish { take("name") } else { None })
                {
                    if articleish || m.ld_headline.is_none() {
                        m.ld_headline = Some(h);
                    }
                }
            }
            if let Some(d) = take("datePublished").or_else(|| take("dateCreated")) {
                if articleish || m.ld_published.is_none() {
                    m.ld_published = Some(d);
                }
            }
            if let Some(d) = take("dateModified") {
                m.ld_modified.get_or_insert(d);
            }
            if articleish {
                if let Some(a) = o.get("author") {
                    m.ld_authors.extend(as_texts(a));
                }
                if let Some(p) = o.get("publisher") {
                    if m.ld_publisher.is_none() {
                        m.ld_publisher = as_texts(p).into_iter().next();
                    }
                }
                if let Some(k) = o.get("keywords") {
                    for s in as_texts(k) {
                        m.ld_keywords.extend(split_list(&s));
                    }
                }
            }
        }
        _ => {}
    }
}

/// Splits a comma-separated metadata list.
fn split_list(s: &str) -> Vec<String> {
    s.split([',', '،', ';', '؛', '|'])
        .map(clean_inline)
        .filter(|x| !x.is_empty())
        .collect()
}

/// Removes a site-name suffix or prefix from a title (`Title - Site`, `Site | Title`).
fn strip_site(title: &str, site: Option<&str>) -> String {
    let title = clean_inline(title);
    for sep in [" | ", " - ", " – ", " — ", " :: ", " « ", " » "] {
        if let Some((a, b)) = title.rsplit_once(sep) {
            let (a, b) = (a.trim(), b.trim());
            let site_like = |s: &str| {
                site.is_some_and(|site| {
                    let (s, site) = (s.to_lowercase(), site.to_lowercase());
                    s.contains(&site) || site.contains(&s)
                }) || s.split_whitespace().count() <= 3
            };
            if site_like(b) && a.split_whitespace().count() >= 3 {
                return a.to_string();
            }
            if site_like(a)
                && b.split_whitespace().count() >= 3
                && a.split_whitespace().count() < b.split_whitespace().count()
            {
                return b.to_string();
            }
        }
    }
    title
}

fn choose_title(m: &Meta, site: Option<&str>) -> Option<String> {
    let og = m
        .first(&["og:title", "twitter:title", "title", "headline"])
        .map(clean_inline);
    let ld = m.ld_headline.as_deref().map(clean_inline);
    let tag = m.title_tag.clone();
    if let Some(h1) = &m.h1 {
        let f = |s: &Option<String>| {
            s.as_deref()
                .is_some_and(|s| s.contains(h1.as_str()) || h1.contains(s))
        };
        if f(&og) || f(&ld) || f(&tag) {
            return Some(h1.clone());
        }
    }
    ld.or(og)
        .map(|t| strip_site(&t, site))
        .or_else(|| tag.map(|t| strip_site(&t, site)))
        .or_else(|| m.h1.clone())
        .filter(|t| !t.is_empty())
}

/// Chooses the main content blocks. Returns indexes into `blocks`.
fn main_content(blocks: &[Block]) -> Vec<usize> {
    let mut scores: HashMap<NodeId, f64> = HashMap::new();
    for b in blocks {
        if b.excluded || b.heading {
            continue;
        }
        let n = b.chars();
        if n < 25 || b.link_density() > 0.33 {
            continue;
        }
        let commas = b.text.matches([',', '،', '.']).count() as f64;
        let s = 1.0 + commas.min(10.0) + (n as f64 / 100.0).min(3.0);
        let Some(pos) = b
            .owner
            .and_then(|o| b.ancestors.iter().position(|&x| x == o))
        else {
            continue;
        };
        // Text in a paragraph-like element scores its container; text directly in a div
        // scores the div itself.
        let first = if b.owner_para {
            pos.checked_sub(1)
        } else {
            Some(pos)
        };
        let Some(first) = first else { continue };
        for (k, w) in [1.0f64, 0.5, 0.25].into_iter().enumerate() {
            let Some(i) = first.checked_sub(k) else { break };
            *scores.entry(b.ancestors[i]).or_default() += s * w;
        }
    }
    let Some((&best, &best_score)) = scores
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
    else {
        return Vec::new();
    };
    // Include blocks of the best node and of sibling containers that score well or hold a
    // real paragraph (a lead paragraph kept apart from the article text, for instance).
    let mut roots = vec![best];
    let parent = blocks.iter().find_map(|b| {
        let p = b.ancestors.iter().position(|&a| a == best)?;
        p.checked_sub(1).map(|i| b.ancestors[i])
    });
    if let Some(parent) = parent {
        for b in blocks {
            let Some(p) = b.ancestors.iter().position(|&a| a == parent) else {
                continue;
            };
            let Some(&child) = b.ancestors.get(p + 1) else {
                continue;
            };
            if roots.contains(&child) || b.excluded || b.heading {
                continue;
            }
            let good_para =
                b.chars() >= 80 && b.link_density() < 0.25 && b.text.contains(['.', '،', ',']);
            let good_score = scores.get(&child).is_some_and(|&s| s >= best_score * 0.3);
            if good_para || good_score {
                roots.push(child);
            }
        }
    }
    // Blocks under the best node are all candidates; blocks under a sibling must be real
    // paragraphs themselves (siblings also hold captions, labels and widgets).
    blocks
        .iter()
        .enumerate()
        .filter(|(_, b)| {
            if b.ancestors.contains(&best) {
                return true;
            }
            b.ancestors.iter().any(|a| roots.contains(a))
                && b.chars() >= 60
                && b.link_density() < 0.25
                && b.text.contains(['.', '،', ','])
        })
        .map(|(i, _)| i)
        .collect()
}

/// Extracts one article from HTML bytes.
pub(crate) fn extract(
    input: &str,
    bytes: &[u8],
    declared: Option<&str>,
    url: Option<&str>,
    sink: &mut Sink,
) {
    let decoded = charset::decode(bytes, declared);
    if let Some(w) = decoded.warning {
        sink.error(ExtractError::Charset {
            input: input.to_string(),
            detail: w,
        });
    }
    let page = ids::stable_hash(bytes);
    let (text, trimmed) = crate::bound::bound_html(&decoded.text, &sink.limits);
    if trimmed.any() {
        sink.error(ExtractError::Trimmed {
            input: input.to_string(),
            detail: format!(
                "HTML over the limits: {} tags and {} attributes dropped before parsing \
                 (RASED_LIMIT_HTML_DEPTH {}, RASED_LIMIT_HTML_ELEMENTS {}, \
                 RASED_LIMIT_HTML_ATTRIBUTES {})",
                trimmed.tags,
                trimmed.attributes,
                sink.limits.html_max_depth,
                sink.limits.html_max_elements,
                sink.limits.html_max_attributes
            ),
        });
    }
    match extract_html(&text, url) {
        Some(a) => sink.article(finish(a, &page, input)),
        None => sink.error(ExtractError::NoArticle {
            input: input.to_string(),
            detail: "HTML page has no main text".into(),
        }),
    }
}

/// The article of an HTML document, or `None` when it has no main text.
pub(crate) fn extract_html(text: &str, url: Option<&str>) -> Option<Article> {
    let doc = Html::parse_document(text);
    let m = gather_meta(&doc);
    let canonical = m
        .canonical
        .clone()
        .or_else(|| m.first(&["og:url"]).map(str::to_string))
        .filter(|u| u.starts_with("http"));
    let page_url = canonical.clone().or_else(|| url.map(str::to_string));
    let base = page_url.as_deref();
    let (blocks, mut related) = blocks(&doc, base);
    let chosen = main_content(&blocks);
    let outlet = m
        .first(&["og:site_name", "application-name", "twitter:site"])
        .map(|s| clean_inline(s.trim_start_matches('@')))
        .or_else(|| m.ld_publisher.clone());
    let title = choose_title(&m, outlet.as_deref());
    let title_norm = title.as_deref().map(clean_inline);

    let mut paragraphs: Vec<String> = Vec::new();
    let mut first_body_block = None;
    // Aggregator-style marker lines printed in the page (`المصدر:`, `كلمات دلالية:`,
    // `Tags:`), inside or outside the main content.
    let mut source: Option<String> = None;
    let mut text_keywords: Vec<String> = Vec::new();
    let mut text_tags: Vec<String> = Vec::new();
    let mut text_published = None;
    let mut marker_blocks = std::collections::HashSet::new();
    for (i, b) in blocks.iter().enumerate() {
        if b.chars() > 600 || b.link_density() > 0.9 && !b.text.contains(':') {
            continue;
        }
        match textpage::classify(&b.text) {
            Line::Source(v) if chosen.contains(&i) => source = Some(v.to_string()),
            Line::Keywords(v) if !v.is_empty() => text_keywords.extend(phrases::split_phrases(v)),
            Line::Tags(v) if !v.is_empty() => text_tags.extend(phrases::split_phrases(v)),
            Line::Published(v) if chosen.contains(&i) => {
                text_published = text_published.or_else(|| dates::parse_text(v, None))
            }
            _ => continue,
        }
        marker_blocks.insert(i);
    }
    for &i in &chosen {
        let b = &blocks[i];
        if b.excluded || marker_blocks.contains(&i) {
            continue;
        }
        if is_read_also(&b.text) {
            related.extend(b.hrefs.iter().cloned());
            continue;
        }
        if b.related && b.link_density() > 0.2 {
            related.extend(b.hrefs.iter().cloned());
            continue;
        }
        if b.link_density() > 0.5 || b.heading && title_norm.as_deref() == Some(b.text.as_str()) {
            continue;
        }
        let words = b.text.split_whitespace().count();
        if words < 3 && !b.text.ends_with(['.', '!', '؟', '?']) {
            continue;
        }
        if Some(b.text.as_str()) == title_norm.as_deref() || is_boilerplate_line(&b.text) {
            continue;
        }
        first_body_block.get_or_insert(i);
        paragraphs.push(b.text.clone());
    }
    let body_chars: usize = paragraphs.iter().map(|p| p.chars().count()).sum();
    if body_chars < 80 {
        return None;
    }

    let mut dl = None;
    if let Some((d, rest)) = dateline::split_dateline(&paragraphs[0]) {
        let rest = rest.to_string();
        dl = Some(d);
        paragraphs[0] = rest;
    }

    // Publication date, most explicit first.
    let mut published = m.ld_published.as_deref().and_then(dates::parse_any);
    for key in [
        "article:published_time",
        "og:article:published_time",
        "article:published",
        "datepublished",
        "pubdate",
        "publishdate",
        "publish-date",
        "publish_date",
        "dc.date.issued",
        "dc.date",
        "dcterms.created",
        "dcterms.date",
        "date",
        "sailthru.date",
        "parsely-pub-date",
        "og:published_time",
        "article.published",
        "release_date",
        "created",
    ] {
        if published.is_some() {
            break;
        }
        published = m.all(key).into_iter().find_map(dates::parse_any);
    }
    if published.is_none() {
        published = text_published;
    }
    if published.is_none() {
        published = m
            .itemprop_published
            .iter()
            .chain(&m.time_datetimes)
            .find_map(|s| dates::parse_any(s));
    }
    if published.is_none() {
        // Visible text near the top of the article: a short block before or just after
        // the start of the body.
        let start = first_body_block.unwrap_or(0);
        let from = start.saturating_sub(40);
        published = blocks[from..(start + 3).min(blocks.len())]
            .iter()
            .filter(|b| b.chars() <= 120)
            .find_map(|b| dates::parse_text(&b.text, None));
    }
    if published.is_none() {
        published = page_url
            .as_deref()
            .and_then(dates::from_url)
            .or_else(|| url.and_then(dates::from_url));
    }

    let mut author: Vec<String> = m.ld_authors.iter().map(|a| clean_inline(a)).collect();
    if author.is_empty() {
        author = m
            .all("author")
            .into_iter()
            .chain(m.all("article:author"))
            .chain(m.all("dc.creator"))
            .map(clean_inline)
            .collect();
    }
    if author.is_empty() {
        author = m.rel_authors.clone();
    }
    let host = page_url
        .as_deref()
        .and_then(|u| u.split("://").nth(1))
        .and_then(|h| h.split('/').next())
        .unwrap_or("")
        .to_lowercase();
    author.retain(|a| {
        let l = a.to_lowercase();
        let domain_like = l.chars().all(|c| c.is_ascii_alphanumeric() || c == '.');
        let credit_junk = ["developed by", "powered by", "designed by", "webmaster"]
            .iter()
            .any(|x| l.contains(x));
        let bad = a.is_empty()
            || a.starts_with("http")
            || Some(a.as_str()) == outlet.as_deref()
            || (domain_like && host.contains(&l))
            || credit_junk;
        !bad
    });
    author.dedup();
    if let [one] = author.as_slice() {
        let c = dateline::read_credit(one);
        if c.place.is_some() && dl.is_none() {
            dl = Some(rased_model::Dateline {
                place: c.place,
                outlet: c.outlet,
            });
        }
        source = source.or(c.source);
        author = c.author.into_iter().collect();
    }

    let mut keywords: Vec<String> = Vec::new();
    for k in ["keywords", "news_keywords"] {
        for v in m.all(k) {
            keywords.extend(split_list(v));
        }
    }
    keywords.extend(m.ld_keywords.iter().cloned());
    if keywords.len() == 1 && keywords[0].split_whitespace().count() > 4 {
        // A keyword list without separators: split it into phrases.
        keywords = phrases::split_phrases(&keywords[0]);
    }
    if keywords.is_empty() {
        keywords = text_keywords;
    }
    dedup(&mut keywords);
    let mut tags: Vec<String> = m
        .all("article:tag")
        .into_iter()
        .flat_map(split_list)
        .collect();
    tags.extend(m.rel_tags.iter().cloned());
    if tags.is_empty() {
        tags = text_tags;
    }
    dedup(&mut tags);

    let body_text = paragraphs.join("\n");
    let language = m
        .lang
        .clone()
        .filter(|l| !l.is_empty())
        .or_else(|| {
            m.first(&["content-language", "og:locale", "language"])
                .map(|l| l.replace('_', "-"))
        })
        .map(|l| l.to_string())
        .or_else(|| guess_language(&body_text));

    let own = page_url.clone();
    related.retain(|u| Some(u) != own.as_ref());
    dedup(&mut related);
    related.truncate(50);

    Some(Article {
        url: page_url,
        title,
        published,
        dateline: dl,
        source,
        author: (!author.is_empty()).then(|| author.join("، ")),
        keywords,
        tags,
        body: body_text,
        outlet,
        language,
        related_urls: related,
        ..Article::default()
    })
}

fn dedup(v: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    v.retain(|x| seen.insert(x.clone()));
}

/// `ar` when most letters are Arabic, `en` when most are Latin.
pub(crate) fn guess_language(text: &str) -> Option<String> {
    let (mut ar, mut lat) = (0usize, 0usize);
    for c in text.chars().take(5000) {
        if ('\u{0600}'..='\u{06FF}').contains(&c) {
            ar += 1;
        } else if c.is_ascii_alphabetic() {
            lat += 1;
        }
    }
    if ar + lat < 20 {
        return None;
    }
    Some(if ar >= lat { "ar" } else { "en" }.to_string())
}

/// The text of an HTML fragment (feed content, JSON `body` with markup): one paragraph per
/// block, boilerplate blocks dropped.
pub(crate) fn fragment_text(fragment: &str) -> String {
    let (fragment, _) = crate::bound::bound_html(fragment, &rased_text::Limits::DEFAULT);
    let doc = Html::parse_fragment(&fragment);
    let (blocks, _) = blocks(&doc, None);
    blocks
        .iter()
        .filter(|b| !b.excluded && !is_read_also(&b.text))
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Debug view of the text blocks of a document and why they were kept or dropped (used by
/// the `dump_blocks` example when tuning the scorer).
#[doc(hidden)]
pub fn debug_blocks(text: &str) -> String {
    let doc = Html::parse_document(text);
    let (blocks, _) = blocks(&doc, None);
    let chosen = main_content(&blocks);
    let mut out = String::new();
    for (i, b) in blocks.iter().enumerate() {
        let path: Vec<String> = b
            .ancestors
            .iter()
            .rev()
            .take(4)
            .filter_map(|id| doc.tree.get(*id))
            .filter_map(|n| {
                n.value().as_element().map(|e| {
                    format!(
                        "{}.{}#{}",
                        e.name(),
                        e.attr("class").unwrap_or(""),
                        e.id().unwrap_or("")
                    )
                })
            })
            .collect();
        out.push_str(&format!(
            "{}{}{} ld={:.2} {} | {}\n",
            if chosen.contains(&i) { "*" } else { " " },
            if b.excluded { "X" } else { " " },
            b.chars(),
            b.link_density(),
            path.join(" < "),
            b.text.chars().take(60).collect::<String>()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extracts_simple_article() {
        let html = r#"<html lang="ar"><head><title>عنوان الخبر المهم جدا - موقع</title>
        <meta property="og:site_name" content="موقع"><meta property="article:published_time" content="2020-08-24T10:00:00+02:00">
        <meta name="keywords" content="سوريا، دمشق"></head><body>
        <nav><a href="/">الرئيسية</a> <a href="/x">أخبار</a></nav>
        <h1>عنوان الخبر المهم جدا</h1>
        <div class="article-body"><p>دمشق، سوريا (CNN) -- أكدت جهات سورية معارضة أن فصائل مسلحة سيطرت على مستودعات، في الوقت الذي حض فيه الائتلاف.</p>
        <p>وقال المرصد السوري لحقوق الإنسان، وهو هيئة معارضة مقرها لندن، إن مقاتلين سيطروا على ثلاثة مستودعات.</p>
        <p>اقرأ أيضا: <a href="https://x.com/a">خبر آخر</a></p></div>
        <div class="share">شارك على فيسبوك تويتر</div>
        <div class="comments">أضف تعليق جديد على هذا الخبر من فضلك</div></body></html>"#;
        let a = extract_html(html, Some("https://x.com/2020/08/24/story")).unwrap();
        assert_eq!(a.title.as_deref(), Some("عنوان الخبر المهم جدا"));
        assert_eq!(a.published.as_deref(), Some("2020-08-24T10:00:00+02:00"));
        assert_eq!(a.dateline.as_ref().unwrap().outlet.as_deref(), Some("CNN"));
        assert!(a.body.starts_with("أكدت جهات"));
        assert!(!a.body.contains("شارك"));
        assert!(!a.body.contains("تعليق"));
        assert!(!a.body.contains("اقرأ"));
        assert_eq!(a.related_urls, vec!["https://x.com/a"]);
        assert_eq!(a.keywords, vec!["سوريا", "دمشق"]);
        assert_eq!(a.outlet.as_deref(), Some("موقع"));
        assert_eq!(a.language.as_deref(), Some("ar"));
    }

    #[test]
    fn absolutize_urls() {
        assert_eq!(
            absolutize("/a/b", Some("https://x.com/c/d")).as_deref(),
            Some("https://x.com/a/b")
        );
        assert_eq!(
            absolutize("e", Some("https://x.com/c/d")).as_deref(),
            Some("https://x.com/c/e")
        );
        assert_eq!(
            absolutize("javascript:void(0)", Some("https://x.com/")),
            None
        );
    }
}
