//! The api-version of each ACS operation: `api-supported-versions` on every answer after
//! routing ([`advertise`]; the versions of the operation, or of every operation of the path
//! for a 405), and the `api-version` query parameter checked once the method matched
//! ([`check`]); the parsed [`ApiVersion`] goes to the handler as an extension.

use super::{original_target, request_host};
use crate::api_version::{
    find_api_version, supported_versions, ApiVersion, ApiVersionParam, Operation,
};
use crate::errors::{truncate, AcsError};
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

const API_SUPPORTED_VERSIONS: HeaderName = HeaderName::from_static("api-supported-versions");

/// The `api-supported-versions` value of `operations` (every version that has one of them).
pub(crate) fn supported_header(operations: &[Operation]) -> HeaderValue {
    HeaderValue::try_from(supported_versions(operations))
        .expect("api-version names are valid header text")
}

/// Sets `api-supported-versions` on an answer.
pub(crate) fn with_supported(mut resp: Response, versions: HeaderValue) -> Response {
    resp.headers_mut().insert(API_SUPPORTED_VERSIONS, versions);
    resp
}

/// Adds `api-supported-versions` (the value from [`supported_header`]) to the answer.
pub(crate) async fn advertise(
    State(versions): State<HeaderValue>,
    req: Request,
    next: Next,
) -> Response {
    with_supported(next.run(req).await, versions)
}

/// 400 unless the query names exactly one version that `operation` exists in.
pub(crate) async fn check(
    State((state, operation)): State<(Arc<AppState>, Operation)>,
    mut req: Request,
    next: Next,
) -> Response {
    match version(&state, operation, &req) {
        Ok(v) => {
            req.extensions_mut().insert(v);
            next.run(req).await
        }
        Err(e) => e.into_response(),
    }
}

fn version(state: &AppState, operation: Operation, req: &Request) -> Result<ApiVersion, AcsError> {
    match find_api_version(req.uri().query()) {
        ApiVersionParam::Missing => Err(AcsError::new(
            StatusCode::BAD_REQUEST,
            "ApiVersionUnspecified",
            "An API version is required, but was not specified.",
        )),
        ApiVersionParam::Ambiguous => Err(AcsError::new(
            StatusCode::BAD_REQUEST,
            "AmbiguousApiVersion",
            "More than one API version was requested. At most, only a single API version may be specified.",
        )),
        ApiVersionParam::Value(v) => ApiVersion::parse(&v)
            .filter(|parsed| operation.supports(*parsed))
            .ok_or_else(|| {
                let host = request_host(req.headers(), req.uri()).unwrap_or("localhost");
                let target = original_target(req.extensions(), req.uri());
                AcsError::new(
                    StatusCode::BAD_REQUEST,
                    "UnsupportedApiVersion",
                    format!(
                        "The HTTP resource that matches the request URI '{}://{}{}' does not support the API version '{}'.",
                        state.scheme,
                        truncate(host, 256),
                        truncate(target, 1024),
                        truncate(&v, 64)
                    ),
                )
            }),
    }
}
