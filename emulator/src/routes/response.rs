//! Success answers.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

const SUCCESS_CONTENT_TYPE: HeaderValue =
    HeaderValue::from_static("application/json; charset=utf-8");

/// A JSON success answer, with the service's `Content-Type`.
pub(super) fn json(status: StatusCode, body: &impl Serialize) -> Response {
    let body = serde_json::to_vec(body).unwrap_or_default();
    let mut resp = (status, body).into_response();
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, SUCCESS_CONTENT_TYPE);
    resp
}

/// `204 No Content`.
pub(super) fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}
