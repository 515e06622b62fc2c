//! The web UI: server-rendered Arabic pages, right to left, no scripts. Filters are plain
//! GET forms, so every view has a URL that can be shared.

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};
use rased_store::{ArticleSummary, EventRecord};

use crate::api::{self, ArticleView};
use crate::error::ApiError;
use crate::params::{Page, Params, RawQuery};
use crate::render::{self, url_query, url_segment, Bar, Node};
use crate::{blocking, Shared};

pub(crate) mod watch;

const STYLE: &str = include_str!("../assets/style.css");
const FAVICON: &str = include_str!("../assets/favicon.svg");
const PLOVER: &str = include_str!("../assets/plover_ar.tsv");

/// The PLOVER types with their Arabic labels and quad classes, parsed once.
fn plover_table() -> &'static [(&'static str, &'static str, usize)] {
    static TABLE: std::sync::OnceLock<Vec<(&str, &str, usize)>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        PLOVER
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut f = l.split('\t');
                Some((f.next()?, f.next()?, f.next()?.parse().ok()?))
            })
            .collect()
    })
}

/// A PLOVER type's Arabic label and quad class.
fn plover(kind: &str) -> (String, usize) {
    plover_table()
        .iter()
        .find(|(code, _, _)| *code == kind)
        .map(|(_, label, class)| (label.to_string(), *class))
        .unwrap_or_else(|| (kind.to_string(), 0))
}

/// Arabic labels of entity types and event modalities.
fn type_label(kind: &str) -> &str {
    match kind {
        "PER" => "شخص",
        "ORG" => "منظمة",
        "LOC" => "مكان",
        "MISC" => "أخرى",
        other => other,
    }
}

fn modality_label(m: &str) -> &str {
    match m {
        "asserted" => "وقع",
        "negated" => "منفي",
        "future" => "مستقبلي",
        "hypothetical" => "افتراضي",
        "intended" => "مقصود لم يقع",
        "generic" => "عام",
        "background" => "خلفية سابقة",
        "historical" => "تاريخي",
        other => other,
    }
}

fn plover_types() -> Vec<&'static str> {
    plover_table().iter().map(|(code, _, _)| *code).collect()
}

type Page_ = Result<Html<String>, UiError>;

/// An error shown as an HTML page (with the API's status and code).
pub struct UiError(ApiError);

impl From<ApiError> for UiError {
    fn from(e: ApiError) -> Self {
        UiError(e)
    }
}

impl IntoResponse for UiError {
    fn into_response(self) -> Response {
        error_page(&self.0)
    }
}

/// Renders a result as a page, or the error as an error page.
fn respond(result: Result<Markup, ApiError>) -> Page_ {
    Ok(Html(result?.into_string()))
}

pub fn error_page(e: &ApiError) -> Response {
    let title = match e.status {
        StatusCode::NOT_FOUND => "غير موجود",
        StatusCode::BAD_REQUEST => "طلب غير صالح",
        _ => "خطأ",
    };
    let body = layout(
        title,
        "",
        html! {
            section.error {
                h1 { (title) }
                p { (e.message) }
                p.code { "code: " code { (e.code) } }
                p { a href="/" { "العودة إلى الأخبار" } }
            }
        },
    );
    (e.status, Html(body.into_string())).into_response()
}

pub async fn not_found() -> Response {
    error_page(&ApiError::new(
        StatusCode::NOT_FOUND,
        "no_route",
        "لا توجد صفحة بهذا العنوان.",
    ))
}

/// Static files: a fixed table of names compiled into the binary, so no request can reach
/// the file system.
pub async fn asset(Path(name): Path<String>) -> Response {
    match name.as_str() {
        "style.css" => (
            [
                (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            STYLE,
        )
            .into_response(),
        "favicon.svg" => (
            [
                (header::CONTENT_TYPE, "image/svg+xml"),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            FAVICON,
        )
            .into_response(),
        _ => not_found().await,
    }
}

fn layout(title: &str, active: &str, content: Markup) -> Markup {
    page_with_query(title, active, None, content)
}

/// A page; `query` fills the search box (on the search results).
fn page_with_query(title: &str, active: &str, query: Option<&str>, content: Markup) -> Markup {
    let nav = [
        ("/", "feed", "الأخبار"),
        ("/events", "events", "الأحداث"),
        ("/entities", "entities", "الكيانات"),
        ("/status", "status", "الحالة"),
    ];
    html! {
        (DOCTYPE)
        html lang="ar" dir="rtl" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (title) " · راصد" }
                link rel="stylesheet" href="/static/style.css";
                link rel="icon" href="/static/favicon.svg" type="image/svg+xml";
            }
            body {
                header.top {
                    a.brand href="/" { "راصد" }
                    nav {
                        @for (href, key, label) in nav {
                            a href=(href) class=[(key == active).then_some("active")] { (label) }
                        }
                    }
                    form.search action="/search" method="get" role="search" {
                        input type="search" name="q" value=[query] placeholder="ابحث في الأخبار…" aria-label="بحث";
                        button type="submit" { "بحث" }
                    }
                }
                main { (content) }
                footer { "راصد — محرك تحليل الأخبار العربية" }
            }
        }
    }
}

fn date(d: Option<&str>) -> &str {
    d.map(|d| d.get(..10).unwrap_or(d)).unwrap_or("")
}

/// Previous/next links that keep the other parameters.
fn pager(base: &str, query: &[(&str, Option<String>)], page: Page, returned: usize) -> Markup {
    let link = |offset: usize| {
        let mut q: Vec<String> = query
            .iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={}", url_query(v))))
            .collect();
        if offset > 0 {
            q.push(format!("offset={offset}"));
        }
        if q.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{}", q.join("&"))
        }
    };
    html! {
        nav.pager {
            @if page.offset > 0 {
                a rel="prev" href=(link(page.offset.saturating_sub(page.limit))) { "→ السابق" }
            }
            @if let Some(next) = page.next(returned) {
                a rel="next" href=(link(next)) { "التالي ←" }
            }
        }
    }
}

fn article_link(a: &ArticleSummary) -> Markup {
    html! {
        a href={ "/articles/" (url_segment(&a.id)) } {
            (a.title.as_deref().filter(|t| !t.is_empty()).unwrap_or("(بلا عنوان)"))
        }
    }
}

fn outlet_chips(outlets: &[(String, u64)]) -> Markup {
    html! {
        span.outlets {
            @for (name, n) in outlets {
                span.chip {
                    (if name.is_empty() { "مصدر غير معروف" } else { name.as_str() })
                    @if *n > 1 { " ×" (n) }
                }
            }
        }
    }
}

/// `/`: the story feed, newest first, with filters.
pub async fn feed(State(state): State<Shared>, raw: RawQuery) -> Page_ {
    let p = Params::parse(raw, &["outlet", "entity", "from", "to", "offset", "limit"])?;
    let prepared = (|| {
        let page = p.page(30)?;
        Ok::<_, ApiError>((page, api::article_filter(&p, page)?))
    })();
    let (page, filter) = prepared?;
    let keep = [
        ("outlet", filter.outlet.clone()),
        ("entity", filter.entity.clone()),
        ("from", filter.from.clone()),
        ("to", filter.to.clone()),
    ];
    let form = filter.clone();
    respond(
        blocking(&state, move |s| {
            let stats = s.store().stats()?;
            let outlets = s.store().outlets()?;
            let stories = api::find_stories(s, filter)?;
            Ok(layout(
                "الأخبار",
                "feed",
                html! {
                    h1 { "آخر الأخبار" }
                    p.summary {
                        (stats.articles) " مقالاً في " (stats.stories) " قصة، "
                        (stats.entities) " كياناً، " (stats.events) " حدثاً"
                    }
                    form.filters action="/" method="get" {
                        label { "المصدر "
                            select name="outlet" {
                                option value="" { "كل المصادر" }
                                @for (o, n) in &outlets {
                                    option value=(o) selected[form.outlet.as_deref() == Some(o.as_str())] { (o) " (" (n) ")" }
                                }
                            }
                        }
                        label { "كيان " input name="entity" value=[form.entity.as_deref()] placeholder="اسم أو معرّف"; }
                        label { "من " input type="date" name="from" value=[form.from.as_deref()]; }
                        label { "إلى " input type="date" name="to" value=[form.to.as_deref()]; }
                        button type="submit" { "تصفية" }
                    }
                    @if stories.is_empty() {
                        p.empty { "لا توجد أخبار تطابق هذه التصفية." }
                    }
                    ol.stories {
                        @for st in &stories {
                            li.story {
                                h2 {
                                    @if st.articles > 1 {
                                        a href={ "/stories/" (url_segment(&st.id)) } { (story_label(st)) }
                                    } @else {
                                        (article_link(&st.lead))
                                    }
                                }
                                div.meta {
                                    time { (date(st.last_published.as_deref())) }
                                    (outlet_chips(&st.outlets))
                                    @if st.articles > 1 {
                                        a.coverage href={ "/stories/" (url_segment(&st.id)) } {
                                            (st.articles) " تقارير من " (st.outlets.len()) " مصادر"
                                        }
                                    }
                                }
                            }
                        }
                    }
                    (pager("/", &keep, page, stories.len()))
                },
            ))
        })
        .await,
    )
}

fn story_label(st: &rased_store::StoryRecord) -> &str {
    st.label
        .as_deref()
        .or(st.lead.title.as_deref())
        .filter(|t| !t.is_empty())
        .unwrap_or("(بلا عنوان)")
}

/// `/stories/{id}`: a story's full coverage: every outlet's report newest first, the events
/// with their report counts, the entities, the timeline.
pub async fn story(State(state): State<Shared>, Path(id): Path<String>) -> Page_ {
    respond(
        blocking(&state, move |s| {
            let Some(d) = s.store().story_detail(&id)? else {
                return Err(ApiError::not_found("story", &id));
            };
            let st = &d.story;
            let events: Vec<EventRecord> = d
                .events
                .iter()
                .map(|e| EventRecord {
                    article: e.article.clone(),
                    published: None,
                    outlet: None,
                    event: e.event.clone(),
                    reports: e.reports,
                    group: None,
                })
                .collect();
            let bars: Vec<Bar> = d
                .timeline
                .iter()
                .map(|t| Bar {
                    label: if t.day.is_empty() { "؟".into() } else { t.day.clone() },
                    parts: vec![(0, t.articles)],
                })
                .collect();
            Ok(layout(
                story_label(st),
                "feed",
                html! {
                    h1 { (story_label(st)) }
                    p.meta {
                        (st.articles) " تقارير من " (st.outlets.len()) " مصادر"
                        @if st.copies > 0 { " (" (st.copies) " منها نسخ مكررة)" }
                        " · " time { (date(st.first_published.as_deref())) } " – " time { (date(st.last_published.as_deref())) }
                        " · " (outlet_chips(&st.outlets))
                    }
                    section.coverage {
                        h2 { "التغطية" }
                        ol.stories {
                            @for m in &d.articles {
                                li {
                                    time { (date(m.published.as_deref())) } " "
                                    span.chip { (m.outlet.as_deref().unwrap_or("مصدر غير معروف")) } " "
                                    (article_link(m))
                                    @if m.copy_of.is_some() { " " small.copy { "نسخة" } }
                                }
                            }
                        }
                    }
                    @if !events.is_empty() {
                        section {
                            h2 { "الأحداث" }
                            (event_table(&events, true, &HashMap::new()))
                        }
                    }
                    @if !d.entities.is_empty() {
                        section {
                            h2 { "الكيانات" }
                            ul.entities {
                                @for e in &d.entities {
                                    li { a href={ "/entities/" (url_segment(&e.id)) } { (e.name) } " " small { (e.reports) " تقارير" } }
                                }
                            }
                        }
                    }
                    @if bars.len() > 1 {
                        section {
                            h2 { "الخط الزمني" }
                            (render::bar_chart(&bars, "التقارير في اليوم"))
                        }
                    }
                },
            ))
        })
        .await,
    )
}

/// `/search`: results with snippets and facets.
pub async fn search(State(state): State<Shared>, raw: RawQuery) -> Page_ {
    let p = Params::parse(raw, &api::SEARCH_PARAMS)?;
    let prepared = (|| {
        let page = p.page(20)?;
        Ok::<_, ApiError>((page, api::search_query(&p, page)?))
    })();
    let (page, q) = prepared?;
    let keep = [
        ("q", Some(q.text.clone())),
        ("outlet", q.outlet.clone()),
        ("entity", q.entity.clone()),
        ("type", q.event_type.clone()),
        ("from", q.from.clone()),
        ("to", q.to.clone()),
    ];
    respond(
        blocking(&state, move |s| {
            let text = q.text.clone();
            let r = api::run_search(s, q)?;
            let returned = if page.offset + r.hits.len() < r.total {
                page.limit
            } else {
                0
            };
            let facet_link = |key: &str, value: &str| {
                format!(
                    "/search?q={}&{key}={}",
                    url_query(&text),
                    url_query(value)
                )
            };
            let mut entity_names = Vec::new();
            for (id, n) in r.entities.iter().take(12) {
                let name = s.store().entity(id)?.map(|e| e.name).unwrap_or(id.clone());
                entity_names.push((id.clone(), name, *n));
            }
            Ok(page_with_query(
                &text,
                "feed",
                Some(&text),
                html! {
                    h1 { "نتائج البحث عن «" (text) "»" }
                    p.summary { (r.total) " نتيجة" }
                    div.with-facets {
                        ol.hits {
                            @for hit in &r.hits {
                                li.hit {
                                    h2 { a href={ "/articles/" (url_segment(&hit.id)) } { (if hit.title.is_empty() { "(بلا عنوان)" } else { hit.title.as_str() }) } }
                                    div.meta { (hit.outlet.as_deref().unwrap_or("")) " " time { (date(hit.published.as_deref())) } }
                                    p.snippet { (snippet(&hit.snippet)) }
                                }
                            }
                        }
                        aside.facets {
                            h3 { "المصادر" }
                            ul { @for (o, n) in &r.outlets { li { a href=(facet_link("outlet", o)) { (o) } " (" (n) ")" } } }
                            h3 { "الكيانات" }
                            ul { @for (id, name, n) in &entity_names { li { a href=(facet_link("entity", id)) { (name) } " (" (n) ")" } } }
                            h3 { "الأشهر" }
                            ul { @for (m, n) in &r.months { li { a href={ (facet_link("from", m)) "&to=" (url_query(m)) } { (m) } " (" (n) ")" } } }
                        }
                    }
                    (pager("/search", &keep, page, returned))
                },
            ))
        })
        .await,
    )
}

fn snippet(s: &rased_search::Snippet) -> Markup {
    let chars: Vec<char> = s.text.chars().collect();
    let mut pieces = Vec::new();
    let mut at = 0;
    for &(start, end) in &s.highlights {
        let (start, end) = (start.min(chars.len()), end.min(chars.len()));
        if start < at || start >= end {
            continue;
        }
        pieces.push((chars[at..start].iter().collect::<String>(), false));
        pieces.push((chars[start..end].iter().collect::<String>(), true));
        at = end;
    }
    pieces.push((chars[at..].iter().collect(), false));
    html! {
        @for (text, hit) in pieces {
            @if hit { mark { (text) } } @else { (text) }
        }
    }
}

/// `/articles/{id}`: the clean text with entities and evidence highlighted.
pub async fn article(State(state): State<Shared>, Path(id): Path<String>) -> Page_ {
    respond(
        blocking(&state, move |s| {
            let view = ArticleView::load(s, &id)?;
            let a = &view.article;
            let title = a.title.as_deref().filter(|t| !t.is_empty()).unwrap_or("(بلا عنوان)");
            Ok(layout(
                title,
                "feed",
                html! {
                    article.full {
                        h1 { (title) }
                        div.meta {
                            @if let Some(o) = &a.outlet { span.outlet { (o) } }
                            time { (a.published.as_deref().unwrap_or("")) }
                            @if let Some(d) = &a.dateline { @if let Some(place) = &d.place { span { "من " (place) } } }
                            @if let Some(au) = &a.author { span { "بقلم " (au) } }
                            @if let Some(src) = &a.source { span { "المصدر: " (src) } }
                            @if let Some(url) = a.url.as_deref().filter(|u| u.starts_with("http://") || u.starts_with("https://")) {
                                a href=(url) rel="noopener noreferrer" target="_blank" { "الأصل" }
                            }
                        }
                        div.body { (render::body(a)) }
                        @if !a.keyphrases.is_empty() {
                            section { h2 { "العبارات المفتاحية" } p.tags { @for k in &a.keyphrases { a.chip href={ "/search?q=" (url_query(k)) } { (k) } } } }
                        }
                        @if !a.keywords.is_empty() || !a.tags.is_empty() {
                            section { h2 { "الكلمات الدلالية" } p.tags { @for k in a.keywords.iter().chain(&a.tags) { a.chip href={ "/search?q=" (url_query(k)) } { (k) } } } }
                        }
                        @if !a.entities.is_empty() {
                            section {
                                h2 { "الكيانات" }
                                ul.entities { @for e in &a.entities {
                                    li { a class={ "ent ent-" (e.kind) } href={ "/entities/" (url_segment(&e.id)) } { (e.name) } " " small { (type_label(&e.kind)) " ×" (e.mentions.len()) } }
                                } }
                            }
                        }
                        @if !a.events.is_empty() {
                            section {
                                h2 { "الأحداث" }
                                (event_table(&a.events.iter().map(|e| EventRecord {
                                    article: a.id.clone(), published: a.published.clone(), outlet: a.outlet.clone(),
                                    event: e.clone(), reports: 1, group: None,
                                }).collect::<Vec<_>>(), false, &HashMap::new()))
                            }
                        }
                        @if !view.coverage.is_empty() {
                            section {
                                h2 { "القصة نفسها في مصادر أخرى" }
                                ul { @for c in &view.coverage {
                                    li { (article_link(c)) " — " (c.outlet.as_deref().unwrap_or("")) " " time { (date(c.published.as_deref())) } @if c.copy_of.is_some() { " " small.copy { "نسخة" } } }
                                } }
                                @if let Some(story) = &view.story { p { a href={ "/stories/" (url_segment(story)) } { "التغطية كاملة" } } }
                            }
                        }
                        @if !view.read_also.is_empty() {
                            section.read-also { h2 { "اقرأ أيضاً" } ul { @for r in &view.read_also {
                                li { a href={ "/articles/" (url_segment(r["id"].as_str().unwrap_or(""))) } { (r["title"].as_str().unwrap_or("(بلا عنوان)")) } " — " (r["outlet"].as_str().unwrap_or("")) }
                            } } }
                        }
                    }
                },
            ))
        })
        .await,
    )
}

fn participants(ps: &[rased_model::Participant]) -> Markup {
    html! {
        @for (i, p) in ps.iter().enumerate() {
            @if i > 0 { "، " }
            @if let Some(id) = &p.entity {
                a href={ "/entities/" (url_segment(id)) } { (p.text) }
            } @else { (p.text) }
        }
    }
}

/// The articles reporting each multiply-reported event among `events`, by group.
fn reports_of(
    s: &crate::AppState,
    events: &[EventRecord],
) -> Result<HashMap<String, Vec<ArticleSummary>>, ApiError> {
    let mut out = HashMap::new();
    for r in events {
        if let (Some(group), true) = (&r.group, r.reports > 1) {
            if !out.contains_key(group) {
                out.insert(group.clone(), s.store().event_reports(group)?);
            }
        }
    }
    Ok(out)
}

/// Events as a table: type, actors, recipients, place, date, reports (with the reporting
/// articles when there are several), evidence.
fn event_table(
    events: &[EventRecord],
    with_article: bool,
    reports: &HashMap<String, Vec<ArticleSummary>>,
) -> Markup {
    html! {
        div.table-wrap {
            table.events {
                thead { tr {
                    th { "النوع" } th { "الفاعل" } th { "المتلقي" } th { "المكان" } th { "التاريخ" } th { "التقارير" } th { "الدليل" }
                } }
                tbody {
                    @for r in events {
                        @let e = &r.event;
                        @let (label, class) = plover(&e.kind);
                        tr class={ "q" (class) } {
                            td { span.type title=(e.kind) { (label) } @if let Some(m) = &e.modality { @if m != "asserted" { br; small.modality title=(m) { (modality_label(m)) } } } }
                            td { (participants(&e.actors)) }
                            td { (participants(&e.recipients)) }
                            td { @if let Some(p) = &e.place { (participants(std::slice::from_ref(p))) } }
                            td { time { (date(e.date.as_deref().or(r.published.as_deref()))) } }
                            td.num {
                                @match r.group.as_ref().and_then(|g| reports.get(g)) {
                                    Some(list) => details.reports {
                                        summary { (r.reports) }
                                        ul { @for a in list {
                                            li { a href={ "/articles/" (url_segment(&a.id)) } { (a.outlet.as_deref().unwrap_or("؟")) } " " time { (date(a.published.as_deref())) } }
                                        } }
                                    },
                                    None => (r.reports),
                                }
                            }
                            td.evidence {
                                (evidence(&e.evidence))
                                @if with_article {
                                    " " a.source href={ "/articles/" (url_segment(&r.article)) } { "← " (r.outlet.as_deref().unwrap_or("المقال")) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The evidence sentence with its trigger word marked (first occurrence).
fn evidence(ev: &rased_model::Evidence) -> Markup {
    let s = &ev.sentence;
    match (!ev.trigger.is_empty())
        .then(|| s.find(&ev.trigger))
        .flatten()
    {
        Some(at) => html! {
            (s[..at]) b.trigger { (ev.trigger) } (s[at + ev.trigger.len()..])
        },
        None => html! { (s) },
    }
}

/// `/entities`: the most mentioned entities, or those matching a name.
pub async fn entities(State(state): State<Shared>, raw: RawQuery) -> Page_ {
    let p = Params::parse(raw, &["q", "type", "offset", "limit"])?;
    let page = p.page(60)?;
    let (name, kind) = api::entity_query(&p)?;
    let keep = [("q", name.clone()), ("type", kind.clone())];
    respond(
        blocking(&state, move |s| {
            let found = api::list_entities(s, name.as_deref(), kind.as_deref(), page)?;
            let types = [("", "الكل"), ("PER", "أشخاص"), ("ORG", "منظمات"), ("LOC", "أماكن"), ("MISC", "أخرى")];
            Ok(layout(
                "الكيانات",
                "entities",
                html! {
                    h1 { "الكيانات" }
                    form.filters action="/entities" method="get" {
                        label { "الاسم " input name="q" value=[name.as_deref()] placeholder="قالين، حفتر…"; }
                        label { "النوع "
                            select name="type" {
                                @for (code, label) in types {
                                    option value=(code) selected[kind.as_deref() == Some(code)] { (label) }
                                }
                            }
                        }
                        button type="submit" { "عرض" }
                    }
                    @if found.is_empty() { p.empty { "لا توجد كيانات مطابقة." } }
                    ul.entity-grid {
                        @for e in &found {
                            li {
                                a class={ "ent ent-" (e.kind) } href={ "/entities/" (url_segment(&e.id)) } { (e.name) }
                                small { " " (type_label(&e.kind)) " · " (e.mentions) " ذكر في " (e.articles) " مقال" }
                            }
                        }
                    }
                    (pager("/entities", &keep, page, found.len()))
                },
            ))
        })
        .await,
    )
}

/// `/entities/{id}`: names, timeline of mentions, network, events.
pub async fn entity(State(state): State<Shared>, Path(id): Path<String>) -> Page_ {
    respond(
        blocking(&state, move |s| {
            let Some(e) = s.store().entity(&id)? else {
                return Err(ApiError::not_found("entity", &id));
            };
            let kb = rased_kb::KnowledgeBase::embedded().get(&id);
            let country = kb
                .and_then(|k| k.country.as_deref())
                .map(|c| {
                    rased_kb::KnowledgeBase::embedded()
                        .country(c)
                        .map(|k| k.name.clone())
                        .unwrap_or_else(|| c.to_string())
                });
            let months = s.store().mentions_by_month(&id)?;
            let cooccurring = s.store().cooccurring(&id, 16)?;
            let events = s.store().find_events(&rased_store::EventFilter {
                entity: Some(id.clone()),
                limit: 100,
                newest_first: true,
                ..Default::default()
            })?;
            let reports = reports_of(s, &events)?;
            let neighbours: Vec<Node> = cooccurring
                .iter()
                .map(|(o, n)| Node {
                    id: o.id.clone(),
                    name: o.name.clone(),
                    kind: o.kind.clone(),
                    weight: *n,
                })
                .collect();
            // Edges among the neighbours.
            let ids: Vec<String> = neighbours.iter().map(|n| n.id.clone()).collect();
            let position = |id: &str| neighbours.iter().position(|n| n.id == id);
            let links: Vec<(usize, usize, u64)> = s
                .store()
                .links_among(&ids)?
                .into_iter()
                .filter_map(|(a, b, n)| Some((position(&a)?, position(&b)?, n)))
                .collect();
            let centre = Node {
                id: e.id.clone(),
                name: e.name.clone(),
                kind: e.kind.clone(),
                weight: e.articles,
            };
            let counts: BTreeMap<String, [u64; 5]> = months
                .iter()
                .map(|(m, n)| (m.clone(), [*n, 0, 0, 0, 0]))
                .collect();
            let (bars, _) = timeline(&counts);
            Ok(layout(
                &e.name,
                "entities",
                html! {
                    h1 { span class={ "ent ent-" (e.kind) } { (e.name) } }
                    dl.profile {
                        dt { "النوع" } dd { (type_label(&e.kind)) }
                        @if let Some(c) = &country { dt { "البلد" } dd { (c) } }
                        dt { "الذكر" } dd { (e.mentions) " مرة في " (e.articles) " مقال" }
                        @if !e.aliases.is_empty() { dt { "أسماء أخرى" } dd { (e.aliases.join("، ")) } }
                        @if let Some(k) = kb {
                            @for r in &k.roles {
                                dt { "دور" } dd { (r.code) @if let Some(f) = &r.from { " منذ " (f) } @if let Some(t) = &r.to { " حتى " (t) } }
                            }
                        }
                        dt { "المعرّف" } dd { code { (e.id) } }
                    }
                    p { a href={ "/?entity=" (url_query(&e.id)) } { "أخبار " (e.name) } " · " a href={ "/events?actor=" (url_query(&e.id)) } { "أحداثه" } }
                    @if !bars.is_empty() {
                        section { h2 { "الذكر عبر الزمن" } (render::bar_chart(&bars, "عدد مرات الذكر في الشهر")) }
                    }
                    @if !neighbours.is_empty() {
                        section { h2 { "شبكة الفاعلين" } (render::network(&centre, &neighbours, &links)) }
                    }
                    @if !events.is_empty() {
                        section { h2 { "الأحداث" } (event_table(&events, true, &reports)) }
                    }
                },
            ))
        })
        .await,
    )
}

/// `/events`: a filterable table and a timeline by quad class.
pub async fn events(State(state): State<Shared>, raw: RawQuery) -> Page_ {
    let p = Params::parse(raw, &api::EVENT_PARAMS)?;
    let prepared = (|| {
        let page = p.page(50)?;
        Ok::<_, ApiError>((page, api::event_filter(&p, page)?))
    })();
    let (page, filter) = prepared?;
    let keep = [
        ("type", filter.kind.clone()),
        ("actor", filter.entity.clone()),
        ("place", filter.place.clone()),
        ("modality", filter.modality.clone()),
        ("from", filter.from.clone()),
        ("to", filter.to.clone()),
    ];
    let form = filter.clone();
    respond(
        blocking(&state, move |s| {
            // The timeline covers every match, the table one page.
            let shown = api::find_events(s, filter.clone())?;
            let reports = reports_of(s, &shown)?;
            let mut total = 0;
            let mut by_month: BTreeMap<String, [u64; 5]> = BTreeMap::new();
            for (month, kind, n) in s.store().event_months(&rased_store::EventFilter {
                entity: shown_entity(s, &filter)?,
                ..filter.clone()
            })? {
                by_month.entry(month).or_default()[plover(&kind).1] += n;
                total += n;
            }
            let (bars, earlier) = timeline(&by_month);
            Ok(layout(
                "الأحداث",
                "events",
                html! {
                    h1 { "الأحداث" }
                    form.filters action="/events" method="get" {
                        label { "النوع "
                            select name="type" {
                                option value="" { "الكل" }
                                @for t in plover_types() {
                                    option value=(t) selected[form.kind.as_deref() == Some(t)] { (plover(t).0) " (" (t) ")" }
                                }
                            }
                        }
                        label { "الفاعل " input name="actor" value=[form.entity.as_deref()]; }
                        label { "المكان " input name="place" value=[form.place.as_deref()]; }
                        label { "الصيغة "
                            select name="modality" {
                                option value="" { "الكل" }
                                @for m in api::MODALITIES {
                                    option value=(m) selected[form.modality.as_deref() == Some(m)] { (modality_label(m)) }
                                }
                            }
                        }
                        label { "من " input type="date" name="from" value=[form.from.as_deref()]; }
                        label { "إلى " input type="date" name="to" value=[form.to.as_deref()]; }
                        button type="submit" { "تصفية" }
                    }
                    p.summary { (total) " حدثاً" }
                    @if !bars.is_empty() {
                        (render::bar_chart(&bars, "الأحداث في الشهر: تعاون لفظي، تعاون مادي، نزاع لفظي، نزاع مادي"))
                        @if earlier > 0 { p.summary { "و" (earlier) " حدثاً أقدم من بداية المخطط" } }
                        p.legend {
                            span.q1 { "تعاون لفظي" } span.q2 { "تعاون مادي" } span.q3 { "نزاع لفظي" } span.q4 { "نزاع مادي" }
                        }
                    }
                    @if shown.is_empty() { p.empty { "لا توجد أحداث تطابق هذه التصفية." } }
                    @else { (event_table(&shown, true, &reports)) }
                    (pager("/events", &keep, page, shown.len()))
                },
            ))
        })
        .await,
    )
}

/// The filter's actor as an entity id (it may have been given as a name).
fn shown_entity(
    s: &crate::AppState,
    filter: &rased_store::EventFilter,
) -> Result<Option<String>, ApiError> {
    filter
        .entity
        .as_deref()
        .map(|e| api::resolve_entity(s, e))
        .transpose()
}

/// `/status`: counts and failures.
pub async fn status(State(state): State<Shared>) -> Page_ {
    respond(
        blocking(&state, |s| {
            let stats = s.store().stats()?;
            let failures = s.store().failures()?;
            let watched = watch::status_section(s)?;
            Ok(layout(
                "الحالة",
                "status",
                html! {
                    h1 { "حالة البيانات" }
                    dl.profile {
                        dt { "المدخلات" } dd { (stats.inputs) }
                        dt { "المقالات" } dd { (stats.articles) }
                        dt { "القصص" } dd { (stats.stories) }
                        dt { "الكيانات" } dd { (stats.entities) }
                        dt { "الإشارات" } dd { (stats.mentions) }
                        dt { "الأحداث" } dd { (stats.events) }
                        dt { "المفهرس للبحث" } dd { (s.engine.indexed_documents()?) }
                        dt { "الإخفاقات" } dd { (stats.failures) }
                    }
                    (watched)
                    @if !failures.is_empty() {
                        h2 { "المدخلات التي أخفقت" }
                        div.table-wrap { table {
                            thead { tr { th { "المدخل" } th { "الرمز" } th { "السبب" } th { "الوقت" } } }
                            tbody { @for f in failures.iter().take(500) {
                                tr { td { code { (f.input) } } td { code { (f.code) } } td { (f.reason) } td { (f.at) } }
                            } }
                        } }
                    }
                },
            ))
        })
        .await,
    )
}

/// Months with counts by class → one bar per month, with no gaps, from the earliest month
/// that is not a far outlier to the latest. Stray old dates (a recap of 1990 in a 2018
/// corpus) would squeeze the real timeline into a sliver: the chart starts where the bulk
/// of the data starts, and the count before that is returned.
fn timeline(by_month: &BTreeMap<String, [u64; 5]>) -> (Vec<Bar>, u64) {
    let index = |m: &str| -> Option<i64> {
        let (y, mo) = m.split_once('-')?;
        Some(y.parse::<i64>().ok()? * 12 + mo.parse::<i64>().ok()? - 1)
    };
    let months: Vec<(i64, &[u64; 5])> = by_month
        .iter()
        .filter_map(|(m, c)| Some((index(m)?, c)))
        .collect();
    let Some(&(last, _)) = months.last() else {
        return (Vec::new(), 0);
    };
    let total: u64 = months.iter().map(|(_, c)| c.iter().sum::<u64>()).sum();
    // The start: at most 10 years back, and past the oldest 2% of the data.
    let mut start = months[0].0.max(last - 119);
    let mut seen = 0;
    for (m, c) in &months {
        seen += c.iter().sum::<u64>();
        if seen * 50 > total {
            start = start.max(*m);
            break;
        }
    }
    let start = start.min(last);
    let earlier: u64 = months
        .iter()
        .filter(|(m, _)| *m < start)
        .map(|(_, c)| c.iter().sum::<u64>())
        .sum();
    let bars = (start..=last)
        .map(|m| {
            let counts = months
                .iter()
                .find(|(i, _)| *i == m)
                .map(|(_, c)| **c)
                .unwrap_or_default();
            Bar {
                label: format!("{:04}-{:02}", m / 12, m % 12 + 1),
                parts: counts
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| **n > 0)
                    .map(|(c, n)| (c, *n))
                    .collect(),
            }
        })
        .collect();
    (bars, earlier)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeline_fills_gaps_and_cuts_far_outliers() {
        let mut by_month = BTreeMap::new();
        by_month.insert("1990-01".to_string(), [1, 0, 0, 0, 0]);
        by_month.insert("2018-03".to_string(), [0, 40, 0, 0, 0]);
        by_month.insert("2018-06".to_string(), [0, 0, 0, 30, 30]);
        let (bars, earlier) = timeline(&by_month);
        assert_eq!(earlier, 1);
        let labels: Vec<&str> = bars.iter().map(|b| b.label.as_str()).collect();
        assert_eq!(
            labels,
            ["2018-03", "2018-04", "2018-05", "2018-06"],
            "one bar a month, gaps included"
        );
        assert!(bars[1].parts.is_empty());
        assert_eq!(bars[3].parts, vec![(3, 30), (4, 30)]);
        assert_eq!(timeline(&BTreeMap::new()).0.len(), 0);
    }
}
