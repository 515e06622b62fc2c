//! The sources file: one source a line (an RSS/Atom feed, a sitemap or sitemap index, or a
//! section page; the kind is found from what the address serves), `#` starts a comment,
//! blank lines are ignored. A bad line is reported with its number and skipped.

use crate::fetch::parse_http_url;

/// A source to poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub url: String,
    /// The line of the sources file.
    pub line: usize,
}

/// The sources of `text` and one message per bad line (`NAME:LINE: reason`), duplicates
/// dropped.
pub fn read_sources(name: &str, text: &str) -> (Vec<Source>, Vec<String>) {
    let mut sources: Vec<Source> = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = match line.find(" #").or_else(|| line.find("\t#")) {
            Some(at) => &line[..at],
            None => line,
        }
        .trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.split_whitespace().count() > 1 {
            errors.push(format!(
                "{name}:{line_no}: one address a line, found {line:?}"
            ));
            continue;
        }
        match parse_http_url(line) {
            Ok(u) => {
                let url = u.to_string();
                if !sources.iter().any(|s| s.url == url) {
                    sources.push(Source { url, line: line_no });
                }
            }
            Err(e) => errors.push(format!(
                "{name}:{line_no}: {line:?} is not an http(s) address ({})",
                e.detail
            )),
        }
    }
    (sources, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_comments_and_bad_lines() {
        let text = "# feeds\nhttps://a.example/rss.xml\n\n  https://b.example/sitemap.xml  # news\nftp://c.example/x\nnot a url\nhttps://a.example/rss.xml\n";
        let (sources, errors) = read_sources("sources.txt", text);
        assert_eq!(
            sources
                .iter()
                .map(|s| (s.url.as_str(), s.line))
                .collect::<Vec<_>>(),
            [
                ("https://a.example/rss.xml", 2),
                ("https://b.example/sitemap.xml", 4)
            ]
        );
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].starts_with("sources.txt:5:"), "{errors:?}");
        assert!(errors[1].starts_with("sources.txt:6:"), "{errors:?}");
    }
}
