//! API errors: an HTTP status, a stable machine-readable code and a message for people.
//!
//! The body is always `{"error": {"code": "…", "message": "…"}}`. Codes are part of the API
//! contract (listed in the OpenAPI file) and never change meaning.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    /// A query parameter with a wrong value.
    pub fn bad_parameter(name: &str, reason: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "bad_parameter",
            format!("parameter `{name}`: {reason}"),
        )
    }

    pub fn not_found(what: &str, id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no {what} with id `{id}`"),
        )
    }

    pub fn timeout(limit: std::time::Duration) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            format!(
                "the request took longer than {} s; narrow it down (filters, a smaller limit)",
                limit.as_secs()
            ),
        )
    }

    pub fn internal(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, code, message)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl From<rased_store::StoreError> for ApiError {
    fn from(e: rased_store::StoreError) -> Self {
        ApiError::internal(e.code(), e.to_string())
    }
}

impl From<rased_search::SearchError> for ApiError {
    fn from(e: rased_search::SearchError) -> Self {
        ApiError::internal(e.code(), e.to_string())
    }
}

impl From<rased_ingest::IngestError> for ApiError {
    fn from(e: rased_ingest::IngestError) -> Self {
        let status = match e {
            rased_ingest::IngestError::Busy(_) => StatusCode::CONFLICT,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError::new(status, e.code(), e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "error": { "code": self.code, "message": self.message }
        });
        (self.status, Json(body)).into_response()
    }
}

impl From<rased_engine::EngineError> for ApiError {
    fn from(e: rased_engine::EngineError) -> Self {
        use rased_engine::EngineError as E;
        match e {
            E::Store(e) => e.into(),
            E::Search(e) => e.into(),
            E::Ingest(e) => e.into(),
            e => ApiError::internal(e.code(), e.to_string()),
        }
    }
}
