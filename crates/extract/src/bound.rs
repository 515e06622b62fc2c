//! A linear pre-scan that bounds an HTML page before html5ever parses it.
//!
//! html5ever's tree builder is quadratic on some hostile shapes: many start tags walk the stack
//! of open elements (200,000 nested `<div>`s ran for minutes), and each attribute is checked
//! against the tag's earlier ones (200,000 attributes on one tag: 11 s). The scan below
//! tokenizes the page just enough to follow tags (comments, doctype, quoted attribute values,
//! raw-text elements such as `<script>`), and enforces three [`Limits`]:
//!
//! * nesting depth ([`Limits::html_max_depth`]): a start tag that would open an element deeper
//!   than the limit is dropped, and so is its end tag; the text inside is kept, so the article
//!   of a page with a sane part is still extracted;
//! * element count ([`Limits::html_max_elements`]): start tags after the limit are dropped in
//!   the same way;
//! * attributes per tag ([`Limits::html_max_attributes`]): a tag keeps its first ones.
//!
//! The depth is an estimate of the parser's: void elements (`br`, `img`, …) do not nest, and
//! elements whose start implicitly closes an open one of their kind (`p`, `li`, `td`, `a`, …)
//! are not counted, so that the estimate never runs ahead of the parser on sloppy real pages.
//! A page within every limit is passed on unchanged (borrowed), byte for byte.

use std::borrow::Cow;
use std::collections::HashMap;

use rased_text::Limits;

/// Elements that never have content.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "keygen", "basefont", "bgsound", "frame",
];
/// Elements the parser closes implicitly when another of their kind (or a sibling kind)
/// starts; not counted in the depth estimate.
const SELF_CLOSING_KIND: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "rb", "rt", "rtc", "rp", "tr", "td", "th",
    "tbody", "thead", "tfoot", "colgroup", "caption", "html", "head", "body", "a", "nobr",
    "button", "form",
];
/// Elements whose content is text up to their end tag.
const RAW_TEXT: &[&str] = &[
    "script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title",
];

/// What the scan dropped.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Trimmed {
    /// Start tags dropped for depth or count (their end tags go with them).
    pub tags: usize,
    /// Attributes dropped from tags over the limit.
    pub attributes: usize,
}

impl Trimmed {
    pub fn any(&self) -> bool {
        self.tags > 0 || self.attributes > 0
    }
}

/// The page with its tags bounded by `limits`, and what was dropped.
pub fn bound_html<'a>(html: &'a str, limits: &Limits) -> (Cow<'a, str>, Trimmed) {
    let b = html.as_bytes();
    let n = b.len();
    // Byte ranges to cut out, in order, each with what to put in its place.
    let mut edits: Vec<(usize, usize, &'static str)> = Vec::new();
    let mut trimmed = Trimmed::default();
    let mut open: Vec<String> = Vec::new();
    let mut dropped: HashMap<String, usize> = HashMap::new();
    let mut elements = 0usize;
    let mut i = 0usize;
    while let Some(off) = memchr(b'<', &b[i..]) {
        let lt = i + off;
        let next = b.get(lt + 1).copied();
        match next {
            Some(b'!') if b[lt..].starts_with(b"<!--") => {
                i = find(b, lt + 4, b"-->").map_or(n, |p| p + 3);
            }
            Some(b'!') | Some(b'?') => {
                i = memchr(b'>', &b[lt..]).map_or(n, |p| lt + p + 1);
            }
            Some(b'/') if b.get(lt + 2).is_some_and(u8::is_ascii_alphabetic) => {
                let (name, after) = tag_name(b, lt + 2);
                let tag = scan_attributes(b, after, usize::MAX);
                let Some(gt) = tag.gt else { break };
                i = gt + 1;
                if let Some(count) = dropped.get_mut(&name).filter(|c| **c > 0) {
                    *count -= 1;
                    edits.push((lt, gt + 1, ""));
                } else if let Some(p) = open.iter().rposition(|o| *o == name) {
                    open.truncate(p);
                }
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let (name, after) = tag_name(b, lt + 1);
                let tag = scan_attributes(b, after, limits.html_max_attributes);
                let Some(gt) = tag.gt else { break };
                i = gt + 1;
                let void = VOID.contains(&name.as_str());
                let counted = !void && !SELF_CLOSING_KIND.contains(&name.as_str());
                elements += 1;
                if elements > limits.html_max_elements
                    || (counted && open.len() >= limits.html_max_depth)
                {
                    trimmed.tags += 1;
                    edits.push((lt, gt + 1, ""));
                    if !void {
                        *dropped.entry(name).or_default() += 1;
                    }
                    continue;
                }
                if let Some(cut) = tag.cut {
                    trimmed.attributes += tag.attributes - limits.html_max_attributes;
                    let close = if b[gt - 1] == b'/' { "/>" } else { ">" };
                    edits.push((cut, gt + 1, close));
                }
                if RAW_TEXT.contains(&name.as_str()) {
                    i = raw_text_end(b, i, &name);
                } else if name == "plaintext" {
                    break;
                } else if counted {
                    open.push(name);
                }
            }
            _ => i = lt + 1,
        }
        if i >= n {
            break;
        }
    }
    if edits.is_empty() {
        return (Cow::Borrowed(html), trimmed);
    }
    let mut out = String::with_capacity(n);
    let mut at = 0;
    for (s, e, with) in edits {
        out.push_str(&html[at..s]);
        out.push_str(with);
        at = e;
    }
    out.push_str(&html[at..]);
    (Cow::Owned(out), trimmed)
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&c| c == needle)
}

fn find(b: &[u8], from: usize, pat: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(pat.len())
        .position(|w| w == pat)
        .map(|p| from + p)
}

/// The lowercased tag name starting at `at` (at most 64 bytes kept), and where it ends.
fn tag_name(b: &[u8], at: usize) -> (String, usize) {
    let mut end = at;
    while end < b.len() && !matches!(b[end], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>') {
        end += 1;
    }
    let name = &b[at..end.min(at + 64)];
    (String::from_utf8_lossy(name).to_ascii_lowercase(), end)
}

struct TagEnd {
    /// The `>` that closes the tag; `None` when the page ends inside it.
    gt: Option<usize>,
    attributes: usize,
    /// Where the attributes past the limit start, when there are any.
    cut: Option<usize>,
}

/// Follows a tag's attributes from `at` (after its name) to its closing `>`, the way the
/// HTML tokenizer does: names end at whitespace, `/`, `>` or `=`; values are quoted or run to
/// whitespace or `>`.
fn scan_attributes(b: &[u8], mut at: usize, max: usize) -> TagEnd {
    let n = b.len();
    let ws = |c: u8| matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ');
    let mut attributes = 0usize;
    let mut cut = None;
    loop {
        while at < n && (ws(b[at]) || b[at] == b'/') {
            at += 1;
        }
        if at >= n {
            return TagEnd {
                gt: None,
                attributes,
                cut,
            };
        }
        if b[at] == b'>' {
            return TagEnd {
                gt: Some(at),
                attributes,
                cut,
            };
        }
        // An attribute.
        if attributes == max {
            cut = Some(at);
        }
        attributes += 1;
        at += 1; // the first character belongs to the name, even `=`
        while at < n && !ws(b[at]) && !matches!(b[at], b'/' | b'>' | b'=') {
            at += 1;
        }
        let mut j = at;
        while j < n && ws(b[j]) {
            j += 1;
        }
        if j < n && b[j] == b'=' {
            j += 1;
            while j < n && ws(b[j]) {
                j += 1;
            }
            match b.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    at = memchr(q, &b[j + 1..]).map_or(n, |p| j + 1 + p + 1);
                }
                _ => {
                    at = j;
                    while at < n && !ws(b[at]) && b[at] != b'>' {
                        at += 1;
                    }
                }
            }
        }
    }
}

/// Where the raw text of `name` (opened just before `from`) ends: after its end tag, or the
/// end of the page.
fn raw_text_end(b: &[u8], from: usize, name: &str) -> usize {
    let mut at = from;
    while let Some(p) = memchr(b'<', &b[at..]) {
        let lt = at + p;
        let rest = &b[lt..];
        if rest.len() >= name.len() + 2
            && rest[1] == b'/'
            && rest[2..2 + name.len()].eq_ignore_ascii_case(name.as_bytes())
        {
            // Leave the end tag to the main loop, which ignores end tags it never opened.
            return lt;
        }
        at = lt + 1;
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(depth: usize, elements: usize, attributes: usize) -> Limits {
        Limits {
            html_max_depth: depth,
            html_max_elements: elements,
            html_max_attributes: attributes,
            ..Limits::DEFAULT
        }
    }

    #[test]
    fn pages_within_the_limits_are_untouched() {
        let page =
            "<!DOCTYPE html><html><head><title>a < b</title><script>if (a<b) x='</div>'</script>\
            </head><body><!-- <div><div> --><div class=\"x>y\" id=z><p>one<p>two<br>\
            <img src=a.png alt='<div>'/></div></body></html>";
        let (out, t) = bound_html(page, &limits(2, 100, 2));
        assert!(matches!(out, Cow::Borrowed(_)), "{out}");
        assert!(!t.any());
    }

    #[test]
    fn deep_nesting_is_cut_and_the_text_kept() {
        let depth = 10_000;
        let page = format!(
            "<html><body><p>أول</p>{}نص{}<p>آخر</p></body></html>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let (out, t) = bound_html(&page, &limits(100, 1_000_000, 10));
        assert_eq!(t.tags, depth - 100);
        assert_eq!(out.matches("<div>").count(), 100);
        assert_eq!(out.matches("</div>").count(), 100);
        assert!(out.contains("نص") && out.contains("<p>آخر</p>"));
    }

    #[test]
    fn too_many_elements_and_attributes_are_cut() {
        let page = format!("<body>{}</body>", "<span>x</span>".repeat(50));
        let (out, t) = bound_html(&page, &limits(100, 11, 10));
        assert_eq!(t.tags, 40);
        assert_eq!(out.matches("<span>").count(), 10);
        assert_eq!(out.matches("</span>").count(), 10);
        assert_eq!(out.matches('x').count(), 50);

        let attrs: String = (0..1000).map(|i| format!(" a{i}=\"v{i}\"")).collect();
        let page = format!("<div{attrs} /><p>نص</p>");
        let (out, t) = bound_html(&page, &limits(100, 100, 3));
        assert_eq!(t.attributes, 997);
        assert_eq!(out, "<div a0=\"v0\" a1=\"v1\" a2=\"v2\" /><p>نص</p>");
    }

    #[test]
    fn unterminated_markup_ends_the_scan() {
        for page in [
            "<div",
            "<div a=\"",
            "<!-- x",
            "</div",
            "<script>x",
            "<",
            "a<b",
        ] {
            let (out, _) = bound_html(page, &limits(1, 1, 1));
            assert_eq!(out, page);
        }
    }
}
