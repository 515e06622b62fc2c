//! rased over HTTP: a JSON API (`/api/…`, described by `/api/openapi.json`) and a
//! server-rendered, right-to-left Arabic web UI over a data directory.
//!
//! * Read-only by default. The one endpoint that writes (`POST /api/admin/ingest`) exists only
//!   when an admin token is configured, and then requires it as a bearer token.
//! * News text is untrusted: every page is rendered through `maud`, which escapes all text and
//!   attribute values; pages carry a strict Content-Security-Policy (no scripts at all), and
//!   links out of rased are `rel="noopener noreferrer"`.
//! * Bounded: request bodies, the time a request may take and the number of requests in flight
//!   are capped; store and index work runs on blocking threads so the server keeps answering
//!   while an ingest (from the CLI or an upload) writes to the same directory.

mod api;
pub mod codes;
mod error;
mod params;
mod render;
mod ui;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use rased_engine::{Engine, Location, OpenOptions};
use rased_store::Store;

pub use error::ApiError;

/// The API's query-parameter parsing on a raw query string, as every list route reads it
/// (`Params::parse` and each typed accessor). For the fuzz target `fuzz/api_params`; any input
/// is accepted or refused, never a panic.
#[doc(hidden)]
pub fn fuzz_params(query: &str) {
    let Ok(uri) = format!("/api/search?{query}").parse::<axum::http::Uri>() else {
        return;
    };
    let raw: params::RawQuery = axum::extract::Query::try_from_uri(&uri);
    let known = [
        "q", "from", "to", "entity", "type", "outlet", "limit", "offset",
    ];
    let Ok(p) = params::Params::parse(raw, &known) else {
        return;
    };
    let _ = p.text("q");
    let _ = p.text("entity");
    let _ = p.number("limit", 20, params::MAX_LIMIT);
    let _ = p.page(20);
    let _ = p.date("from", false);
    let _ = p.date("to", true);
}

/// How the server is set up.
#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    /// The store when it is not the data directory: a `postgres://…` URL (the server then
    /// keeps no state of its own, and several can serve one database).
    pub store: Option<String>,
    /// Required as `Authorization: Bearer …` by the endpoints that change data; without it
    /// they do not exist.
    pub admin_token: Option<String>,
    /// An origin allowed to call the API from a browser (CORS); none by default.
    pub cors_origin: Option<String>,
    /// The longest a request may take before it is answered with `timeout`.
    pub request_timeout: Duration,
    /// The largest upload the admin ingest accepts.
    pub max_upload_bytes: usize,
    /// Requests handled at once; more wait their turn.
    pub max_in_flight: usize,
}

impl Config {
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Config {
            data_dir: data_dir.into(),
            store: None,
            admin_token: None,
            cors_origin: None,
            request_timeout: Duration::from_secs(10),
            max_upload_bytes: 64 * 1024 * 1024,
            max_in_flight: 256,
        }
    }
}

/// Errors that keep the server from starting.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// Opening the store (no data there, a store or search error): the engine says which.
    #[error(transparent)]
    Engine(#[from] rased_engine::EngineError),
    #[error("{addr}: {reason}")]
    Bind { addr: String, reason: String },
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
}

/// The least time an admin request (an upload's ingest) is given.
const ADMIN_DEADLINE: Duration = Duration::from_secs(600);

/// What every handler shares.
pub(crate) struct AppState {
    pub config: Config,
    /// The store and its search, on whichever backend.
    pub engine: Engine,
    /// Loaded on the first upload: the analysis resources take a moment and most servers
    /// never ingest.
    pub analyzer: std::sync::OnceLock<rased_analyze::Analyzer>,
}

pub(crate) type Shared = Arc<AppState>;

/// Opens the data directory and builds the router (what the tests drive directly).
pub fn app(config: Config) -> Result<Router, ServeError> {
    let state = open_state(config)?;
    Ok(router(Arc::new(state)))
}

fn open_state(config: Config) -> Result<AppState, ServeError> {
    let location = config.location();
    let connections = std::thread::available_parallelism().map_or(4, |n| n.get().clamp(2, 8));
    let options = OpenOptions {
        connections,
        must_exist: true,
    };
    let engine = Engine::open(&location, options)?;
    Ok(AppState {
        config,
        engine,
        analyzer: Default::default(),
    })
}

fn router(state: Shared) -> Router {
    let api = Router::new()
        .route("/openapi.json", get(api::openapi))
        .route("/status", get(api::status))
        .route("/failures", get(api::failures))
        .route("/articles", get(api::articles))
        .route("/articles/{id}", get(api::article))
        .route("/search", get(api::search))
        .route("/entities", get(api::entities))
        .route("/entities/{id}", get(api::entity))
        .route("/events", get(api::events))
        .route("/stories", get(api::stories))
        .route("/stories/{id}", get(api::story))
        .route(
            "/admin/ingest",
            post(api::admin_ingest)
                .layer(DefaultBodyLimit::max(state.config.max_upload_bytes))
                .layer(middleware::from_fn_with_state(
                    state.clone(),
                    webhooks_after_upload,
                )),
        )
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::method_not_allowed);
    let ui = Router::new()
        .route("/", get(ui::feed))
        .route("/search", get(ui::search))
        .route("/articles/{id}", get(ui::article))
        .route("/entities", get(ui::entities))
        .route("/entities/{id}", get(ui::entity))
        .route("/events", get(ui::events))
        .route("/stories/{id}", get(ui::story))
        .route("/status", get(ui::status))
        .route("/watchlists", get(ui::watch::watchlists))
        .route("/watchlists/{file}", get(ui::watch::watchlist))
        .route("/static/{name}", get(ui::asset))
        .fallback(ui::not_found);
    let timeout = state.config.request_timeout;
    Router::new()
        .nest("/api", api)
        .merge(ui)
        .layer(middleware::from_fn_with_state(state.clone(), headers))
        .layer(middleware::from_fn(move |req, next| {
            deadline(timeout, req, next)
        }))
        .layer(DefaultBodyLimit::max(64 * 1024))
        .layer(tower::limit::ConcurrencyLimitLayer::new(
            state.config.max_in_flight,
        ))
        .with_state(state)
}

/// Answers `timeout` when a request runs past its time. Admin uploads get longer: their
/// ingest runs inside the request, and cutting the answer short would not stop it.
async fn deadline(limit: Duration, req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let limit = if req.uri().path().starts_with("/api/admin/") {
        limit.max(ADMIN_DEADLINE)
    } else {
        limit
    };
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(response) => response,
        Err(_) => {
            let err = ApiError::timeout(limit);
            if is_api {
                err.into_response()
            } else {
                ui::error_page(&err)
            }
        }
    }
}

/// After an upload is stored, posts the webhooks of the alerts it raised (the pipeline
/// matched the watchlists while storing), in the background so the answer is not held up.
/// One delivery at a time here; the store's claims keep other writers (workers, `rased
/// ingest`) from posting the same alert.
async fn webhooks_after_upload(State(state): State<Shared>, req: Request, next: Next) -> Response {
    static DELIVERING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let response = next.run(req).await;
    if response.status().is_success() {
        tokio::spawn(async move {
            let _one = DELIVERING.lock().await;
            let cfg = rased_watch::FetchConfig::default();
            if let Ok(fetcher) = rased_watch::Fetcher::new(cfg.clone()) {
                // Failures are recorded by the delivery itself (and retried by the next
                // `rased watch` or `rased ingest`).
                let store = state.engine.watch_store();
                let _ = rased_watch::deliver_webhooks(store, fetcher.client(), &cfg).await;
            }
        });
    }
    response
}

/// Security headers on every response, and CORS only for a configured origin.
async fn headers(State(state): State<Shared>, req: Request, next: Next) -> Response {
    let origin = req.headers().get(header::ORIGIN).cloned();
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self' data:; \
             form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if let (Some(allowed), Some(origin)) = (&state.config.cors_origin, origin) {
        if origin.as_bytes() == allowed.as_bytes() {
            h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            h.insert(header::VARY, HeaderValue::from_static("Origin"));
        }
    }
    response
}

/// Serves until Ctrl-C. `on_ready` gets the bound address (port 0 picks a free one).
pub async fn serve(
    config: Config,
    addr: SocketAddr,
    on_ready: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    // Opening a store may block (the PostgreSQL client is synchronous): off the async threads.
    let state = tokio::task::spawn_blocking(move || open_state(config))
        .await
        .map_err(|e| ServeError::Io(std::io::Error::other(e.to_string())))??;
    let state = Arc::new(state);
    let app = router(state.clone());
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| ServeError::Bind {
            addr: addr.to_string(),
            reason: e.to_string(),
        })?;
    on_ready(listener.local_addr()?);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    // The store's connections close with blocking calls: drop it off the async threads.
    let _ = tokio::task::spawn_blocking(move || drop(state)).await;
    Ok(())
}

/// Runs store and index work off the async threads.
pub(crate) async fn blocking<T: Send + 'static>(
    state: &Shared,
    work: impl FnOnce(&AppState) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let state = state.clone();
    tokio::task::spawn_blocking(move || work(&state))
        .await
        .map_err(|e| ApiError::internal("task_failed", e.to_string()))?
}

/// The data directory of a running server (where uploads are kept).
pub(crate) fn data_dir(state: &AppState) -> &Path {
    &state.config.data_dir
}

impl Config {
    /// Where the store is: `store` when set, else the data directory.
    pub fn location(&self) -> Location {
        Location::resolve(self.store.as_deref(), &self.data_dir)
    }
}

impl AppState {
    pub(crate) fn store(&self) -> &dyn Store {
        self.engine.store()
    }
}

/// Ingests one uploaded file (admin only): stored under `DATA/uploads/` by content hash, so
/// uploading the same bytes twice changes nothing, then run through the ingest pipeline
/// under the data directory's ingest lock.
pub(crate) fn ingest_upload(
    s: &AppState,
    name: &str,
    bytes: &[u8],
) -> Result<serde_json::Value, ApiError> {
    let _lock = s.engine.lock_ingest()?;
    let io = |e: std::io::Error| ApiError::internal("upload_io", e.to_string());
    // Over PostgreSQL the server keeps nothing of its own: the upload passes through a
    // temporary directory.
    let dir = match s.engine.location() {
        Location::Embedded(_) => data_dir(s).join("uploads"),
        Location::Postgres(_) => std::env::temp_dir().join("rased-uploads"),
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    // Only the name's safe characters reach the file system: no separators, no `..`.
    let safe: String = name
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .take(80)
        .collect();
    let safe = safe.trim_start_matches('.');
    let hash = rased_text::hash::stable_hash(bytes);
    let path = dir.join(format!("{hash}-{safe}"));
    std::fs::write(&path, bytes).map_err(io)?;
    if s.analyzer.get().is_none() {
        let analyzer = rased_analyze::Analyzer::new()
            .map_err(|e| ApiError::internal("analysis_resources", e.to_string()))?;
        let _ = s.analyzer.set(analyzer);
    }
    let analyzer = s.analyzer.get().expect("set above");
    let analyze = |a: &mut rased_model::Article| {
        analyzer
            .analyze(a)
            .map_err(|e| rased_ingest::AnalysisFailure {
                code: e.code(),
                reason: e.to_string(),
            })
    };
    let pipeline = s
        .engine
        .pipeline(&analyze, rased_extract::ExtractOptions::default());
    let summary = pipeline.run(&[path], &rased_ingest::Quiet)?;
    s.engine.reload()?;
    Ok(serde_json::json!({
        "input": name,
        "new_articles": summary.new_articles,
        "duplicates": summary.duplicates,
        "near_duplicates": summary.near_duplicates,
        "entities": summary.entities,
        "events": summary.events,
        "failures": summary.failures,
    }))
}

/// [`serve`] on its own runtime, for callers without one (the CLI). Blocks until Ctrl-C.
pub fn serve_blocking(
    config: Config,
    addr: SocketAddr,
    on_ready: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(serve(config, addr, on_ready))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use tower::ServiceExt;

    #[tokio::test]
    async fn slow_requests_are_answered_with_a_timeout_error() {
        let limit = Duration::from_millis(50);
        let app = Router::new()
            .route(
                "/api/slow",
                get(|| async {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    "late"
                }),
            )
            .layer(middleware::from_fn(move |req, next| {
                deadline(limit, req, next)
            }));
        let response = app
            .oneshot(Request::get("/api/slow").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            axum::http::StatusCode::SERVICE_UNAVAILABLE
        );
        let body = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["error"]["code"], "timeout");
    }
}
