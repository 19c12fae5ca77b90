//! Answers for requests that name no operation.

use crate::errors::AcsError;
use axum::http::Method;

/// 404 for a path that names no operation.
pub(super) async fn no_route() -> AcsError {
    AcsError::no_route()
}

/// 405 for a known path with another method (axum adds the `Allow` header).
pub(super) async fn method_not_allowed(method: Method) -> AcsError {
    AcsError::method_not_allowed(method.as_str())
}
