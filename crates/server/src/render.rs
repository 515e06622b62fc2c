//! Pieces of the UI that are more than markup: article text with entity and evidence
//! highlights cut at code-point offsets, and SVG charts (bars over time, a co-occurrence
//! network). Everything goes through `maud`, so text is escaped wherever it lands.

use maud::{html, Markup};
use rased_model::Article;
use serde::Serialize;

/// A highlighted span of an article's body, in code points (as in the `analyze` contract).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Highlight {
    pub start: usize,
    pub end: usize,
    /// `entity` or `evidence`.
    pub kind: &'static str,
    /// The entity id, or the event type.
    pub target: String,
    /// The entity type (`PER`, `ORG`, `LOC`, `MISC`), or the event's trigger.
    pub label: String,
}

/// Entity mentions (non-overlapping: the longer wins, then the earlier) and event evidence
/// sentences of an article, in order, clamped to the body.
pub fn highlights(article: &Article) -> Vec<Highlight> {
    let len = article.body.chars().count();
    let mut mentions: Vec<Highlight> = article
        .entities
        .iter()
        .flat_map(|e| {
            e.mentions.iter().map(|m| Highlight {
                start: m.start.min(len),
                end: m.end.min(len),
                kind: "entity",
                target: e.id.clone(),
                label: e.kind.clone(),
            })
        })
        .filter(|h| h.start < h.end)
        .collect();
    mentions.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
    let mut out: Vec<Highlight> = Vec::with_capacity(mentions.len());
    for h in mentions {
        if out.last().is_none_or(|last| h.start >= last.end) {
            out.push(h);
        }
    }
    for ev in &article.events {
        let (start, end) = (ev.evidence.start.min(len), ev.evidence.end.min(len));
        if start < end {
            out.push(Highlight {
                start,
                end,
                kind: "evidence",
                target: ev.kind.clone(),
                label: ev.evidence.trigger.clone(),
            });
        }
    }
    out.sort_by_key(|h| (h.start, h.kind != "evidence"));
    out
}

/// The body with entities linked to their pages and evidence sentences marked.
pub fn body(article: &Article) -> Markup {
    let chars: Vec<char> = article.body.chars().collect();
    let hs = highlights(article);
    // Cut the text at every span boundary; each piece is inside at most one entity and any
    // number of evidence spans.
    let mut cuts: Vec<usize> = vec![0, chars.len()];
    for h in &hs {
        cuts.push(h.start);
        cuts.push(h.end);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let pieces = cuts.windows(2).map(|w| (w[0], w[1]));
    html! {
        @for (start, end) in pieces {
            @let text: String = chars[start..end].iter().collect();
            @let entity = hs.iter().find(|h| h.kind == "entity" && h.start <= start && end <= h.end);
            @let evidence: Vec<&Highlight> = hs.iter().filter(|h| h.kind == "evidence" && h.start <= start && end <= h.end).collect();
            @let inner = html! {
                @if let Some(e) = entity {
                    a.ent class={ "ent-" (e.label) } href={ "/entities/" (url_segment(&e.target)) } title=(e.label) { (text) }
                } @else {
                    (text)
                }
            };
            @if let Some(first) = evidence.first() {
                mark.evidence title=(first.target) { (inner) }
            } @else {
                (inner)
            }
        }
    }
}

/// A value for a path segment: percent-encodes everything but unreserved ASCII.
pub fn url_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A query-string value.
pub fn url_query(s: &str) -> String {
    url_segment(s)
}

/// One bar of a chart: a label (a month, a day), a total, and its parts by class.
pub struct Bar {
    pub label: String,
    pub parts: Vec<(usize, u64)>,
}

/// Colours of the parts (PLOVER quad classes; part 0 for plain counts).
const PALETTE: [&str; 5] = ["#2f6f8f", "#3a8f5c", "#8fbf5c", "#d9a13b", "#c4473a"];

/// A bar chart over time, scaled to its largest bar, with a tooltip per bar.
pub fn bar_chart(bars: &[Bar], caption: &str) -> Markup {
    let width = 720.0_f64;
    let height = 160.0_f64;
    let max = bars
        .iter()
        .map(|b| b.parts.iter().map(|p| p.1).sum::<u64>())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let step = width / bars.len().max(1) as f64;
    let bar_width = (step * 0.8).clamp(1.0, 40.0);
    // Label every nth bar so that labels do not overlap.
    let every = (bars.len() / 12).max(1);
    html! {
        figure.chart {
            svg viewBox={ "0 0 " (width) " " (height + 30.0) } role="img" aria-label=(caption) {
                @for (i, b) in bars.iter().enumerate() {
                    @let x = i as f64 * step + (step - bar_width) / 2.0;
                    @let total: u64 = b.parts.iter().map(|p| p.1).sum();
                    g {
                        title { (b.label) ": " (total) }
                        @let mut y = height;
                        @for (class, n) in &b.parts {
                            @let h = *n as f64 / max * (height - 10.0);
                            @let top = { y -= h; y };
                            rect x=(fmt(x)) y=(fmt(top)) width=(fmt(bar_width)) height=(fmt(h)) fill=(PALETTE[*class % PALETTE.len()]) {}
                        }
                    }
                    @if i % every == 0 {
                        text x=(fmt(x + bar_width / 2.0)) y=(fmt(height + 18.0)) text-anchor="middle" class="axis" { (b.label) }
                    }
                }
                line x1="0" y1=(fmt(height)) x2=(fmt(width)) y2=(fmt(height)) class="baseline" {}
            }
            figcaption { (caption) " — " "الأعلى: " (max as u64) }
        }
    }
}

fn fmt(v: f64) -> String {
    format!("{v:.1}")
}

/// A node of the co-occurrence network.
pub struct Node {
    pub id: String,
    pub name: String,
    pub kind: String,
    /// Articles shared with the centre (the centre's own article count for the centre).
    pub weight: u64,
}

/// The centre entity and its co-occurring entities on a circle around it: edge width by
/// shared articles, node size by weight; `links` are extra edges between neighbours (indexes
/// into `neighbours`, shared articles).
pub fn network(centre: &Node, neighbours: &[Node], links: &[(usize, usize, u64)]) -> Markup {
    let size = 560.0_f64;
    let c = size / 2.0;
    let radius = size / 2.0 - 70.0;
    let max = neighbours
        .iter()
        .map(|n| n.weight)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let pos: Vec<(f64, f64)> = (0..neighbours.len())
        .map(|i| {
            let angle = std::f64::consts::TAU * i as f64 / neighbours.len() as f64
                - std::f64::consts::FRAC_PI_2;
            (c + radius * angle.cos(), c + radius * angle.sin())
        })
        .collect();
    let node_radius = |w: u64| 6.0 + 14.0 * (w as f64 / max).sqrt();
    html! {
        figure.chart.network {
            svg viewBox={ "0 0 " (size) " " (size) } role="img" aria-label="شبكة الكيانات المتزامنة" {
                @for (a, b, n) in links {
                    @if let (Some(p), Some(q)) = (pos.get(*a), pos.get(*b)) {
                        line.link x1=(fmt(p.0)) y1=(fmt(p.1)) x2=(fmt(q.0)) y2=(fmt(q.1)) stroke-width=(fmt(0.5 + (*n as f64).ln_1p())) {}
                    }
                }
                @for (n, p) in neighbours.iter().zip(&pos) {
                    line.spoke x1=(fmt(c)) y1=(fmt(c)) x2=(fmt(p.0)) y2=(fmt(p.1)) stroke-width=(fmt(1.0 + 4.0 * n.weight as f64 / max)) {}
                }
                @for (n, p) in neighbours.iter().zip(&pos) {
                    a href={ "/entities/" (url_segment(&n.id)) } {
                        title { (n.name) " — " (n.weight) " مقال مشترك" }
                        circle class={ "node ent-" (n.kind) } cx=(fmt(p.0)) cy=(fmt(p.1)) r=(fmt(node_radius(n.weight))) {}
                        text.label x=(fmt(p.0)) y=(fmt(p.1 + node_radius(n.weight) + 14.0)) text-anchor="middle" { (n.name) }
                    }
                }
                circle class={ "node centre ent-" (centre.kind) } cx=(fmt(c)) cy=(fmt(c)) r="24" {}
                text.label.centre x=(fmt(c)) y=(fmt(c + 42.0)) text-anchor="middle" { (centre.name) }
            }
            figcaption { "الكيانات التي تظهر مع " (centre.name) " في المقالات نفسها" }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rased_model::{Entity, Mention};

    fn article() -> Article {
        Article {
            body: "التقى قالين <b>حفتر</b> في الرجمة.".into(),
            entities: vec![
                Entity {
                    id: "kalin".into(),
                    kind: "PER".into(),
                    name: "قالين".into(),
                    aliases: vec![],
                    mentions: vec![Mention {
                        text: "قالين".into(),
                        start: 6,
                        end: 11,
                        link: None,
                    }],
                },
                Entity {
                    id: "a/../b\"".into(),
                    kind: "LOC".into(),
                    name: "x".into(),
                    aliases: vec![],
                    // Overlaps the first mention and runs past the end: dropped / clamped.
                    mentions: vec![
                        Mention {
                            text: "x".into(),
                            start: 8,
                            end: 9,
                            link: None,
                        },
                        Mention {
                            text: "x".into(),
                            start: 29,
                            end: 400,
                            link: None,
                        },
                    ],
                },
            ],
            ..Default::default()
        }
    }

    #[test]
    fn highlights_do_not_overlap_and_stay_in_the_body() {
        let hs = highlights(&article());
        let len = article().body.chars().count();
        assert_eq!(hs.len(), 2);
        assert_eq!((hs[0].start, hs[0].end), (6, 11));
        assert!(hs.iter().all(|h| h.end <= len));
    }

    #[test]
    fn body_escapes_text_and_ids() {
        let html = body(&article()).into_string();
        assert!(html.contains("&lt;b&gt;حفتر&lt;/b&gt;"), "{html}");
        assert!(html.contains("href=\"/entities/kalin\""));
        assert!(html.contains("/entities/a%2F..%2Fb%22"), "{html}");
        assert!(!html.contains("<b>"));
    }
}
