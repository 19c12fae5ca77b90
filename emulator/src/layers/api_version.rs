//! The api-version of each ACS route: `api-supported-versions` on every answer after routing
//! ([`advertise`], 405 included), and the `api-version` query parameter checked once the
//! method matched ([`check`]); the parsed [`ApiVersion`] goes to the handler as an extension.

use super::{original_target, request_host};
use crate::api_version::{find_api_version, Api, ApiVersion, ApiVersionParam};
use crate::errors::{truncate, AcsError};
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

const API_SUPPORTED_VERSIONS: HeaderName = HeaderName::from_static("api-supported-versions");

/// The `api-supported-versions` value of a group of routes.
pub(crate) fn supported_header(api: Api) -> HeaderValue {
    HeaderValue::try_from(api.supported_versions())
        .expect("api-version names are valid header text")
}

/// Adds `api-supported-versions` (the value from [`supported_header`]) to the answer.
pub(crate) async fn advertise(
    State(versions): State<HeaderValue>,
    req: Request,
    next: Next,
) -> Response {
    let mut resp = next.run(req).await;
    resp.headers_mut().insert(API_SUPPORTED_VERSIONS, versions);
    resp
}

/// 400 unless the query names exactly one version that `api` exists in.
pub(crate) async fn check(
    State((state, api)): State<(Arc<AppState>, Api)>,
    mut req: Request,
    next: Next,
) -> Response {
    match version(&state, api, &req) {
        Ok(v) => {
            req.extensions_mut().insert(v);
            next.run(req).await
        }
        Err(e) => e.into_response(),
    }
}

fn version(state: &AppState, api: Api, req: &Request) -> Result<ApiVersion, AcsError> {
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
            .filter(|parsed| api.supports(*parsed))
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
