//! [`ApiError`]: every failure of the service, answered as `{"code", "message"}`.

use crate::caller::{Rejection, RejectionKind};
use crate::store::StoreError;
use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde::Serialize;
use std::{fmt, time::Duration};

/// A failed request: its status, a stable code and a message that says what was wrong.
///
/// The message never holds a token, key or JWT. Throttling (by this service's limiter or
/// by ACS) is a 503 with `Retry-After`, never a 500.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    retry_after: Option<u64>,
    www_authenticate: Option<&'static str>,
}

#[derive(Serialize)]
struct Body<'a> {
    code: &'a str,
    message: &'a str,
}

impl ApiError {
    /// An error with `status`, `code` and `message`.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            retry_after: None,
            www_authenticate: None,
        }
    }

    /// 400 `BadRequest`.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "BadRequest", message)
    }

    /// 404 with `code`.
    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, message)
    }

    /// 503 `Throttled` with `Retry-After` (whole seconds, at least 1).
    pub fn throttled(message: impl Into<String>, retry_after: Duration) -> Self {
        let mut error = Self::new(StatusCode::SERVICE_UNAVAILABLE, "Throttled", message);
        error.retry_after = Some(retry_after_secs(retry_after));
        error
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The error code of the body.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The message of the body.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The `Retry-After` seconds, if any.
    pub fn retry_after(&self) -> Option<u64> {
        self.retry_after
    }
}

/// Whole seconds, rounded up, at least 1 (`Retry-After: 0` would invite a retry storm).
pub(crate) fn retry_after_secs(wait: Duration) -> u64 {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    secs.max(1)
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status.as_u16())
            .field("code", &self.code)
            .field("message", &self.message)
            .finish()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status.as_u16(),
            self.code,
            self.message
        )
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            Json(Body {
                code: self.code,
                message: &self.message,
            }),
        )
            .into_response();
        let headers = response.headers_mut();
        if let Some(secs) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if let Some(challenge) = self.www_authenticate {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(challenge),
            );
        }
        response
    }
}

impl From<Rejection> for ApiError {
    fn from(rejection: Rejection) -> Self {
        let (code, challenge) = match rejection.kind {
            RejectionKind::MissingToken => ("MissingToken", Some("Bearer")),
            RejectionKind::InvalidToken => ("InvalidToken", Some("Bearer error=\"invalid_token\"")),
            RejectionKind::InsufficientScope => (
                "InsufficientScope",
                Some("Bearer error=\"insufficient_scope\""),
            ),
            RejectionKind::Unavailable => ("AuthenticationUnavailable", None),
        };
        let mut error = Self::new(rejection.status(), code, rejection.message);
        error.www_authenticate = challenge;
        if rejection.kind == RejectionKind::Unavailable {
            error.retry_after = Some(5);
        }
        error
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        tracing::error!(%error, "mapping store failed");
        let mut error = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "StoreUnavailable",
            "the mapping store failed; try again later",
        );
        error.retry_after = Some(5);
        error
    }
}
