//! The watch pages: source health on the status page, the watchlists (`/watchlists`), one
//! watchlist's alerts (`/watchlists/{name}`) and its Atom feed (`/watchlists/{name}.atom`).

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use rased_store::{AlertFilter, Watchlist};

use super::{error_page, layout, respond};
use crate::error::ApiError;
use crate::render::url_segment;
use crate::{blocking, AppState, Shared};

/// Alerts shown on a page or put in a feed.
const ALERTS_SHOWN: usize = 200;

/// Unix seconds as an RFC 3339 UTC time.
fn time(t: Option<i64>) -> String {
    t.and_then(|t| chrono::DateTime::from_timestamp(t, 0))
        .map_or("-".into(), |d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// The sources' health and the watchlists, for the status page (nothing when neither
/// exists).
pub(crate) fn status_section(s: &AppState) -> Result<Markup, ApiError> {
    let sources = s.engine.watch_store().sources()?;
    let watchlists = s.engine.watchlists()?;
    Ok(html! {
        @if !sources.is_empty() {
            h2 { "المصادر المرصودة" }
            div.table-wrap { table.sources {
                thead { tr {
                    th { "المصدر" } th { "النوع" } th { "الحالة" } th { "آخر استطلاع" }
                    th { "آخر نجاح" } th { "الروابط" } th { "الجديد" } th { "الأخطاء" }
                    th { "الاستطلاع التالي" }
                } }
                tbody { @for src in &sources {
                    tr {
                        td { code { (src.url) } }
                        td { (src.kind.as_deref().unwrap_or("-")) }
                        td {
                            code { (src.last_status.as_deref().unwrap_or("-")) }
                            @if let Some(e) = &src.last_error { " " small { (e) } }
                        }
                        td { (time(src.last_poll)) }
                        td { (time(src.last_success)) }
                        td { (src.items_found) }
                        td { (src.new_items) }
                        td { (src.errors) }
                        td { (time(src.next_poll)) }
                    }
                } }
            } }
        }
        @if !watchlists.is_empty() {
            h2 { a href="/watchlists" { "قوائم المراقبة" } " (" (watchlists.len()) ")" }
        }
    })
}

fn conditions(w: &Watchlist) -> Vec<(&'static str, String)> {
    [
        ("نص", &w.query),
        ("كيان", &w.entity),
        ("نوع الحدث", &w.event_type),
        ("مكان", &w.place),
        ("منفذ", &w.outlet),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.clone().map(|v| (k, v)))
    .collect()
}

/// `/watchlists`: every watchlist with its conditions and alert count.
pub async fn watchlists(State(state): State<Shared>) -> super::Page_ {
    respond(
        blocking(&state, |s| {
            let lists = s.engine.watchlists()?;
            let mut rows = Vec::new();
            for w in lists {
                let n = s
                    .engine
                    .alerts(&AlertFilter {
                        watchlist: Some(w.name.clone()),
                        ..Default::default()
                    })?
                    .len();
                rows.push((w, n));
            }
            Ok(layout(
                "قوائم المراقبة",
                "",
                html! {
                    h1 { "قوائم المراقبة" }
                    @if rows.is_empty() {
                        p { "لا قوائم بعد: " code { "rased watchlist add NAME --query …" } }
                    }
                    ul.watchlists { @for (w, n) in &rows {
                        li {
                            a href={ "/watchlists/" (url_segment(&w.name)) } { (w.name) }
                            " — " (n) " تنبيه"
                            @for (k, v) in conditions(w) { " · " (k) ": " bdi { (v) } }
                        }
                    } }
                },
            ))
        })
        .await,
    )
}

/// `/watchlists/{name}` (a page) or `/watchlists/{name}.atom` (its Atom feed).
pub async fn watchlist(State(state): State<Shared>, Path(file): Path<String>) -> Response {
    let (name, atom) = match file.strip_suffix(".atom") {
        Some(n) => (n.to_string(), true),
        None => (file, false),
    };
    let result = blocking(&state, move |s| {
        let w = s
            .engine
            .watchlists()?
            .into_iter()
            .find(|w| w.name == name)
            .ok_or_else(|| ApiError::not_found("watchlist", &name))?;
        let alerts = s.engine.alerts(&AlertFilter {
            watchlist: Some(name.clone()),
            since: None,
            limit: ALERTS_SHOWN,
        })?;
        Ok((w, alerts))
    })
    .await;
    let (w, alerts) = match result {
        Ok(x) => x,
        Err(e) if atom => return e.into_response(),
        Err(e) => return error_page(&e),
    };
    if atom {
        return (
            [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
            atom_feed(&w, &alerts),
        )
            .into_response();
    }
    let page = layout(
        &w.name,
        "",
        html! {
            h1 { "قائمة المراقبة: " bdi { (w.name) } }
            p {
                @for (k, v) in conditions(&w) { (k) ": " bdi { (v) } " · " }
                a href={ "/watchlists/" (url_segment(&w.name)) ".atom" } { "Atom" }
            }
            @if alerts.is_empty() { p { "لا تنبيهات بعد." } }
            ul.alerts { @for a in &alerts {
                li {
                    a href={ "/articles/" (url_segment(&a.article)) } {
                        (a.title.as_deref().unwrap_or(&a.article))
                    }
                    " " small { (time(Some(a.at))) " — " (a.matched) }
                }
            } }
        },
    );
    axum::response::Html(page.into_string()).into_response()
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The alerts of a watchlist as an Atom 1.0 feed, newest first.
fn atom_feed(w: &Watchlist, alerts: &[rased_store::Alert]) -> String {
    let updated = time(Some(alerts.first().map_or(w.created_at, |a| a.at)));
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"ar\">\n");
    out.push_str(&format!(
        "<title>rased: {}</title>\n<id>urn:rased:watchlist:{}</id>\n<updated>{updated}</updated>\n\
         <link rel=\"self\" href=\"/watchlists/{}.atom\"/>\n<generator>rased</generator>\n",
        xml_escape(&w.name),
        xml_escape(&url_segment(&w.name)),
        xml_escape(&url_segment(&w.name)),
    ));
    for a in alerts {
        let link = a
            .url
            .clone()
            .unwrap_or_else(|| format!("/articles/{}", url_segment(&a.article)));
        out.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>urn:rased:alert:{}:{}</id>\n<link href=\"{}\"/>\n\
             <updated>{}</updated>\n<summary>{}</summary>\n</entry>\n",
            xml_escape(a.title.as_deref().unwrap_or(&a.article)),
            xml_escape(&url_segment(&w.name)),
            xml_escape(&a.article),
            xml_escape(&link),
            time(Some(a.at)),
            xml_escape(&a.matched),
        ));
    }
    out.push_str("</feed>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atom_escapes_everything() {
        let w = Watchlist {
            name: "a<b>&\"c\"".into(),
            ..Default::default()
        };
        let alert = rased_store::Alert {
            id: 1,
            watchlist: w.name.clone(),
            article: "x".into(),
            url: Some("https://e.example/?a=1&b=2".into()),
            title: Some("<script>alert(1)</script>\u{1}".into()),
            matched: "query \"x\"".into(),
            at: 0,
            delivered_at: None,
            attempts: 0,
            last_error: None,
        };
        let feed = atom_feed(&w, &[alert]);
        assert!(!feed.contains("<script>"));
        assert!(!feed.contains('\u{1}'));
        assert!(feed.contains("a=1&amp;b=2"));
        assert!(feed.contains("<updated>1970-01-01T00:00:00Z</updated>"));
    }
}
