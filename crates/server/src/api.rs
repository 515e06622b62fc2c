//! The JSON API. Every list takes `limit` (1–200) and `offset` and answers
//! `{"items": […], "limit", "offset", "next_offset"}` (`next_offset` is null on the last page).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rased_model::Article;
use rased_search::SearchQuery;
use rased_store::{ArticleFilter, EntityRecord, EventFilter};
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::params::{Page, Params, RawQuery};
use crate::{blocking, AppState, Shared};

type ApiResult = Result<Json<Value>, ApiError>;

const OPENAPI: &str = include_str!("../assets/openapi.json");

pub async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        OPENAPI,
    )
        .into_response()
}

pub async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "no_route",
        "no such API endpoint; see /api/openapi.json",
    )
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this endpoint does not take that method; see /api/openapi.json",
    )
}

fn list(items: Vec<Value>, page: Page) -> Value {
    let next = page.next(items.len());
    json!({"items": items, "limit": page.limit, "offset": page.offset, "next_offset": next})
}

fn to_values<T: serde::Serialize>(items: &[T]) -> Result<Vec<Value>, ApiError> {
    items
        .iter()
        .map(|i| serde_json::to_value(i).map_err(|e| ApiError::internal("json", e.to_string())))
        .collect()
}

pub async fn status(State(state): State<Shared>, raw: RawQuery) -> ApiResult {
    Params::parse(raw, &[])?;
    blocking(&state, |s| Ok(Json(status_value(s)?))).await
}

pub(crate) fn status_value(s: &AppState) -> Result<Value, ApiError> {
    let stats = s.store().stats()?;
    Ok(json!({
        "version": env!("CARGO_PKG_VERSION"),
        "data_dir": s.engine.location().to_string(),
        "stats": stats,
        "indexed_documents": s.engine.indexed_documents()?,
        "admin": s.config.admin_token.is_some(),
    }))
}

pub async fn failures(State(state): State<Shared>, raw: RawQuery) -> ApiResult {
    let p = Params::parse(raw, &["limit", "offset"])?;
    let page = p.page(50)?;
    blocking(&state, move |s| {
        let all = s.store().failures()?;
        let items: Vec<_> = all.iter().skip(page.offset).take(page.limit).collect();
        let mut v = list(to_values(&items)?, page);
        v["total"] = json!(all.len());
        Ok(Json(v))
    })
    .await
}

/// The article filters shared by the article list and the story feed.
pub(crate) const ARTICLE_PARAMS: [&str; 6] = ["outlet", "entity", "from", "to", "limit", "offset"];

pub(crate) fn article_filter(p: &Params, page: Page) -> Result<ArticleFilter, ApiError> {
    Ok(ArticleFilter {
        outlet: p.text("outlet")?,
        entity: p.text("entity")?,
        from: p.date("from", false)?,
        to: p.date("to", true)?,
        limit: page.limit,
        offset: page.offset,
    })
}

/// The filter with its entity given as a name resolved to an id.
fn resolved(s: &AppState, mut f: ArticleFilter) -> Result<ArticleFilter, ApiError> {
    if let Some(e) = f.entity.take() {
        f.entity = Some(resolve_entity(s, &e)?);
    }
    Ok(f)
}

pub async fn articles(State(state): State<Shared>, raw: RawQuery) -> ApiResult {
    let p = Params::parse(raw, &ARTICLE_PARAMS)?;
    let page = p.page(20)?;
    let f = article_filter(&p, page)?;
    blocking(&state, move |s| {
        let articles = s.store().articles(&resolved(s, f)?)?;
        let items = articles.iter().map(article_summary).collect();
        Ok(Json(list(items, page)))
    })
    .await
}

fn article_summary(a: &Article) -> Value {
    let lead: String = a.body.chars().take(240).collect();
    json!({
        "id": a.id, "title": a.title, "outlet": a.outlet, "published": a.published,
        "url": a.url, "lead": lead, "keyphrases": a.keyphrases,
        "entities": a.entities.len(), "events": a.events.len(),
    })
}

/// An entity parameter: a stored id, or a name (the most mentioned entity with it).
pub(crate) fn resolve_entity(s: &AppState, arg: &str) -> Result<String, ApiError> {
    if s.store().entity(arg)?.is_some() {
        return Ok(arg.to_string());
    }
    match s.store().find_entities(arg)?.into_iter().next() {
        Some(e) => Ok(e.id),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_entity",
            format!("no entity named or with id `{arg}`"),
        )),
    }
}

pub async fn article(
    State(state): State<Shared>,
    Path(id): Path<String>,
    raw: RawQuery,
) -> ApiResult {
    Params::parse(raw, &[])?;
    blocking(&state, move |s| {
        let view = ArticleView::load(s, &id)?;
        Ok(Json(json!({
            "article": view.article,
            "highlights": crate::render::highlights(&view.article),
            "story": view.story,
            "coverage": view.coverage,
            "read_also": view.read_also,
        })))
    })
    .await
}

/// An article with what surrounds it: its story's other reports (near-duplicate copies marked
/// `copy_of`) and "read also" (other stories).
pub(crate) struct ArticleView {
    pub article: Article,
    pub story: Option<String>,
    pub coverage: Vec<rased_store::ArticleSummary>,
    pub read_also: Vec<Value>,
}

impl ArticleView {
    pub fn load(s: &AppState, id: &str) -> Result<Self, ApiError> {
        let Some(article) = s.store().article(id)? else {
            return Err(ApiError::not_found("article", id));
        };
        let story = s.store().story_of(id)?;
        let coverage = match &story {
            Some(story) => s
                .store()
                .story(story)?
                .map(|(_, members)| members.into_iter().filter(|m| m.id != id).collect())
                .unwrap_or_default(),
            None => Vec::new(),
        };
        let mut read_also = Vec::new();
        for (other, score) in s.store().related_articles(id, 6)? {
            if let Some(a) = s.store().article(&other)? {
                read_also.push(json!({
                    "id": a.id, "title": a.title, "outlet": a.outlet,
                    "published": a.published, "score": score,
                }));
            }
        }
        Ok(ArticleView {
            article,
            story,
            coverage,
            read_also,
        })
    }
}

/// Search parameters: the CLI's, plus paging.
pub(crate) const SEARCH_PARAMS: [&str; 8] = [
    "q", "from", "to", "entity", "type", "outlet", "limit", "offset",
];

pub(crate) fn search_query(p: &Params, page: Page) -> Result<SearchQuery, ApiError> {
    let text = p
        .text("q")?
        .ok_or_else(|| ApiError::bad_parameter("q", "required: the words to search for"))?;
    Ok(SearchQuery {
        text,
        from: p.date("from", false)?,
        to: p.date("to", true)?,
        entity: p.text("entity")?,
        event_type: p.text("type")?.map(|t| t.to_uppercase()),
        outlet: p.text("outlet")?,
        limit: page.limit,
        offset: page.offset,
    })
}

pub(crate) fn run_search(
    s: &AppState,
    mut q: SearchQuery,
) -> Result<rased_search::SearchResults, ApiError> {
    if let Some(e) = q.entity.take() {
        q.entity = Some(resolve_entity(s, &e)?);
    }
    Ok(s.engine.search(&q)?)
}

pub async fn search(State(state): State<Shared>, raw: RawQuery) -> ApiResult {
    let p = Params::parse(raw, &SEARCH_PARAMS)?;
    let page = p.page(20)?;
    let q = search_query(&p, page)?;
    blocking(&state, move |s| {
        let r = run_search(s, q)?;
        let mut v = list(to_values(&r.hits)?, page);
        v["next_offset"] =
            json!((page.offset + r.hits.len() < r.total).then_some(page.offset + page.limit));
        v["total"] = json!(r.total);
        v["facets"] = json!({"outlets": r.outlets, "entities": r.entities, "months": r.months});
        Ok(Json(v))
    })
    .await
}

/// `q` (a name in any spelling) and `type` (PER, ORG, LOC, MISC) of an entity listing.
pub(crate) fn entity_query(p: &Params) -> Result<(Option<String>, Option<String>), ApiError> {
    let kind = p.text("type")?.map(|t| t.to_uppercase());
    if let Some(k) = &kind {
        if !["PER", "ORG", "LOC", "MISC"].contains(&k.as_str()) {
            return Err(ApiError::bad_parameter(
                "type",
                "one of PER, ORG, LOC, MISC",
            ));
        }
    }
    Ok((p.text("q")?, kind))
}

/// Entities matching a name (best matches first), or the most mentioned; of one type.
pub(crate) fn list_entities(
    s: &AppState,
    name: Option<&str>,
    kind: Option<&str>,
    page: Page,
) -> Result<Vec<EntityRecord>, ApiError> {
    Ok(match name {
        Some(n) => s
            .store()
            .find_entities(n)?
            .into_iter()
            .filter(|e| kind.is_none_or(|k| e.kind == k))
            .skip(page.offset)
            .take(page.limit)
            .collect(),
        None => s.store().entities(kind, page.limit, page.offset)?,
    })
}

pub async fn entities(State(state): State<Shared>, raw: RawQuery) -> ApiResult {
    let p = Params::parse(raw, &["q", "type", "limit", "offset"])?;
    let page = p.page(50)?;
    let (name, kind) = entity_query(&p)?;
    blocking(&state, move |s| {
        let found = list_entities(s, name.as_deref(), kind.as_deref(), page)?;
        Ok(Json(list(to_values(&found)?, page)))
    })
    .await
}

/// An entity's profile: the stored record, its KB entry, mentions over time, co-occurring
/// entities and events.
pub(crate) fn entity_profile(s: &AppState, id: &str) -> Result<Value, ApiError> {
    let Some(e) = s.store().entity(id)? else {
        return Err(ApiError::not_found("entity", id));
    };
    let kb = rased_kb::KnowledgeBase::embedded().get(id);
    let country = kb.and_then(|k| k.country.clone());
    let cooccurring: Vec<Value> = s
        .store()
        .cooccurring(id, 20)?
        .into_iter()
        .map(|(o, n)| json!({"entity": o, "articles": n}))
        .collect();
    let events = s.store().find_events(&EventFilter {
        entity: Some(id.to_string()),
        limit: 100,
        newest_first: true,
        ..Default::default()
    })?;
    Ok(json!({
        "entity": e,
        "country": country,
        "kb": kb.map(|k| json!({"source": k.source, "roles": k.roles, "population": k.population})),
        "mentions_by_month": s.store().mentions_by_month(id)?,
        "cooccurring": cooccurring,
        "events": events,
    }))
}

pub async fn entity(
    State(state): State<Shared>,
    Path(id): Path<String>,
    raw: RawQuery,
) -> ApiResult {
    Params::parse(raw, &[])?;
    blocking(&state, move |s| Ok(Json(entity_profile(s, &id)?))).await
}

pub(crate) const EVENT_PARAMS: [&str; 8] = [
    "type", "actor", "place", "from", "to", "modality", "limit", "offset",
];

/// The modalities events are coded with.
pub(crate) const MODALITIES: [&str; 8] = [
    "asserted",
    "negated",
    "future",
    "hypothetical",
    "intended",
    "generic",
    "background",
    "historical",
];

/// The event filter of a query; `actor` may be an entity id or a name.
pub(crate) fn event_filter(p: &Params, page: Page) -> Result<EventFilter, ApiError> {
    let kind = p.text("type")?.map(|t| t.to_uppercase());
    if let Some(k) = &kind {
        if !k.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') {
            return Err(ApiError::bad_parameter(
                "type",
                "a PLOVER type such as CONSULT",
            ));
        }
    }
    let modality = p.text("modality")?.map(|m| m.to_lowercase());
    if let Some(m) = &modality {
        if !MODALITIES.contains(&m.as_str()) {
            return Err(ApiError::bad_parameter(
                "modality",
                format!("one of {}", MODALITIES.join(", ")),
            ));
        }
    }
    Ok(EventFilter {
        kind,
        modality,
        entity: p.text("actor")?,
        place: p.text("place")?,
        from: p.date("from", false)?,
        to: p.date("to", true)?,
        limit: page.limit,
        offset: page.offset,
        newest_first: true,
    })
}

pub(crate) fn find_events(
    s: &AppState,
    mut f: EventFilter,
) -> Result<Vec<rased_store::EventRecord>, ApiError> {
    if let Some(actor) = f.entity.take() {
        f.entity = Some(resolve_entity(s, &actor)?);
    }
    Ok(s.store().find_events(&f)?)
}

pub async fn events(State(state): State<Shared>, raw: RawQuery) -> ApiResult {
    let p = Params::parse(raw, &EVENT_PARAMS)?;
    let page = p.page(50)?;
    let f = event_filter(&p, page)?;
    blocking(&state, move |s| {
        let found = find_events(s, f)?;
        let mut items = to_values(&found)?;
        // Each event with the articles that report it, when more than one does.
        for (item, record) in items.iter_mut().zip(&found) {
            if let (Some(group), true) = (&record.group, record.reports > 1) {
                item["reported_by"] = serde_json::to_value(s.store().event_reports(group)?)
                    .map_err(|e| ApiError::internal("json", e.to_string()))?;
            }
        }
        Ok(Json(list(items, page)))
    })
    .await
}

pub(crate) fn find_stories(
    s: &AppState,
    f: ArticleFilter,
) -> Result<Vec<rased_store::StoryRecord>, ApiError> {
    Ok(s.store().stories(&resolved(s, f)?)?)
}

pub async fn stories(State(state): State<Shared>, raw: RawQuery) -> ApiResult {
    let p = Params::parse(raw, &ARTICLE_PARAMS)?;
    let page = p.page(20)?;
    let f = article_filter(&p, page)?;
    blocking(&state, move |s| {
        let found = find_stories(s, f)?;
        Ok(Json(list(to_values(&found)?, page)))
    })
    .await
}

pub async fn story(
    State(state): State<Shared>,
    Path(id): Path<String>,
    raw: RawQuery,
) -> ApiResult {
    Params::parse(raw, &[])?;
    blocking(&state, move |s| match s.store().story_detail(&id)? {
        Some(detail) => Ok(Json(
            serde_json::to_value(detail).map_err(|e| ApiError::internal("json", e.to_string()))?,
        )),
        None => Err(ApiError::not_found("story", &id)),
    })
    .await
}

/// `POST /api/admin/ingest?name=FILE`: ingests the request body (a page, feed, WARC or JSON
/// Lines file) like `rased ingest`. Exists only with an admin token, and requires it.
pub async fn admin_ingest(
    State(state): State<Shared>,
    headers: HeaderMap,
    raw: RawQuery,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult {
    let Some(token) = state.config.admin_token.as_deref() else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "admin_disabled",
            "this server is read-only; start it with --admin-token to allow ingest",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if !given.is_some_and(|g| constant_time_eq(g.as_bytes(), token.as_bytes())) {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "a valid `Authorization: Bearer TOKEN` header is required",
        ));
    }
    let body = body.map_err(|e| {
        let status = e.status();
        let code = if status == StatusCode::PAYLOAD_TOO_LARGE {
            "payload_too_large"
        } else {
            "bad_body"
        };
        ApiError::new(status, code, e.body_text())
    })?;
    let p = Params::parse(raw, &["name"])?;
    let name = p.text("name")?.unwrap_or_else(|| "upload".into());
    if body.is_empty() {
        return Err(ApiError::bad_parameter("body", "empty upload"));
    }
    blocking(&state, move |s| {
        crate::ingest_upload(s, &name, &body).map(Json)
    })
    .await
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
