//! Reads the whole body, refusing more than the configured limit with 413 (an ACS error
//! body), and hands it on buffered: authentication hashes it, handlers parse it.

use crate::errors::AcsError;
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

pub(crate) async fn limit(
    State(state): State<Arc<AppState>>,
    req: Request,
    next: Next,
) -> Response {
    let (parts, body) = req.into_parts();
    match read(body, &parts.headers, state.max_body_bytes).await {
        Ok(bytes) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Err(e) => e.into_response(),
    }
}

/// The body of a request that went through [`limit`] (already in memory).
pub(crate) async fn buffered(body: Body) -> Result<Bytes, AcsError> {
    axum::body::to_bytes(body, usize::MAX)
        .await
        .map_err(|_| AcsError::bad_body("the body could not be read"))
}

async fn read(body: Body, headers: &HeaderMap, limit: usize) -> Result<Bytes, AcsError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(AcsError::body_too_large(limit));
    }
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        let too_large = std::error::Error::source(&e)
            .is_some_and(|s| s.is::<http_body_util::LengthLimitError>())
            || e.to_string().contains("length limit");
        if too_large {
            AcsError::body_too_large(limit)
        } else {
            AcsError::bad_body("the body could not be read")
        }
    })
}

/// Extractor: the request body, already read by [`limit`].
pub(crate) struct Buffered(pub(crate) Bytes);

impl<S: Send + Sync> axum::extract::FromRequest<S> for Buffered {
    type Rejection = AcsError;

    async fn from_request(req: Request, _: &S) -> Result<Self, AcsError> {
        buffered(req.into_body()).await.map(Buffered)
    }
}
