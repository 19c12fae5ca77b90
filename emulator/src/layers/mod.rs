//! The request flow's middleware, one concern per file. [`crate::routes::app`] puts them in
//! order; each is a plain `async fn` for `axum::middleware::from_fn_with_state` (or, for the
//! path rewrite that has to run before routing, a plain function).

pub(crate) mod api_version;
pub(crate) mod auth;
pub(crate) mod body_limit;
pub(crate) mod canonical_path;
pub(crate) mod faults;
pub(crate) mod latency;
pub(crate) mod request_id;
pub(crate) mod throttle;

use axum::http::{header, Extensions, HeaderMap, Uri};
use canonical_path::OriginalTarget;

/// The request target as it arrived (see [`canonical_path`]).
pub(crate) fn original_target<'a>(extensions: &'a Extensions, uri: &'a Uri) -> &'a str {
    extensions.get::<OriginalTarget>().map_or_else(
        || uri.path_and_query().map_or("/", |p| p.as_str()),
        |t| t.0.as_str(),
    )
}

/// The `Host` header (HTTP/1.1) or `:authority` (HTTP/2), as sent.
pub(crate) fn request_host<'a>(headers: &'a HeaderMap, uri: &'a Uri) -> Option<&'a str> {
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| uri.authority().map(|a| a.as_str()))
}
