//! The service's error model: `{"error":{"code","message","target"?}}` and the errors the
//! emulator answers with.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::borrow::Cow;

/// `Content-Type` of error bodies, as the live service sends them.
const ERROR_CONTENT_TYPE: HeaderValue = HeaderValue::from_static("application/json");

/// The prefix of every authentication failure's message, as reported for the live service.
pub(crate) const DENIED_MESSAGE: &str = "Denied by the resource provider.";

/// An error answer: status plus an ACS `CommunicationErrorResponse` body.
#[derive(Debug, Clone)]
pub(crate) struct AcsError {
    pub(crate) status: StatusCode,
    pub(crate) code: &'static str,
    pub(crate) message: Cow<'static, str>,
    pub(crate) target: Option<&'static str>,
}

#[derive(Serialize)]
struct Body<'a> {
    error: Inner<'a>,
}

#[derive(Serialize)]
struct Inner<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<&'a str>,
}

impl AcsError {
    pub(crate) fn new(
        status: StatusCode,
        code: &'static str,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        AcsError {
            status,
            code,
            message: message.into(),
            target: None,
        }
    }

    pub(crate) fn with_target(mut self, target: &'static str) -> Self {
        self.target = Some(target);
        self
    }

    /// 400 `ValidationError` with a target, as model validation answers.
    pub(crate) fn validation(message: impl Into<Cow<'static, str>>, target: &'static str) -> Self {
        AcsError::new(StatusCode::BAD_REQUEST, "ValidationError", message).with_target(target)
    }

    /// 401 `Denied`: the message starts with the service's text and adds why.
    pub(crate) fn denied(detail: &str) -> Self {
        AcsError::new(
            StatusCode::UNAUTHORIZED,
            "Denied",
            format!("{DENIED_MESSAGE} (acs-identity-emulator: {detail})"),
        )
    }

    /// 401 `IdentityNotOwned`: a foreign or malformed identity id.
    pub(crate) fn identity_not_owned() -> Self {
        AcsError::new(
            StatusCode::UNAUTHORIZED,
            "IdentityNotOwned",
            "The identity does not belong to this Communication Services resource.",
        )
    }

    /// 404 `IdentityNotFound`: an unknown or deleted identity of this resource.
    pub(crate) fn identity_not_found() -> Self {
        AcsError::new(
            StatusCode::NOT_FOUND,
            "IdentityNotFound",
            "Provided identity doesn't exist.",
        )
    }

    /// 401 `InvalidAccessToken`: the Teams exchange's Entra ID token is unusable.
    pub(crate) fn invalid_access_token() -> Self {
        AcsError::new(
            StatusCode::UNAUTHORIZED,
            "InvalidAccessToken",
            "Provided access token is not valid.",
        )
    }

    /// 401 `InvalidAccessToken` for the user's Entra ID token of the Teams Extension and Entra
    /// exchanges: the service's message plus why.
    pub(crate) fn invalid_user_token(detail: &str) -> Self {
        AcsError::new(
            StatusCode::UNAUTHORIZED,
            "InvalidAccessToken",
            format!("Provided access token is not valid. (acs-identity-emulator: {detail})"),
        )
    }

    /// 400 `ValidationError` for a body that is not JSON of the expected shape.
    pub(crate) fn bad_body(detail: impl std::fmt::Display) -> Self {
        AcsError::new(
            StatusCode::BAD_REQUEST,
            "ValidationError",
            format!("The request body is not valid: {detail}"),
        )
    }

    /// 413 for a body over the limit.
    pub(crate) fn body_too_large(limit: usize) -> Self {
        AcsError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "RequestEntityTooLarge",
            format!("The request body is larger than the emulator's limit of {limit} bytes."),
        )
    }

    /// 500 for a storage failure (never caused by input).
    pub(crate) fn internal(detail: &str) -> Self {
        AcsError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServerError",
            format!("The emulator could not complete the request: {detail}"),
        )
    }

    /// 404 for a path that names no operation.
    pub(crate) fn no_route() -> Self {
        AcsError::new(
            StatusCode::NOT_FOUND,
            "NotFound",
            "The requested resource does not exist.",
        )
    }

    /// 405 for a known path with the wrong method.
    pub(crate) fn method_not_allowed(method: &str) -> Self {
        AcsError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            format!(
                "The requested resource does not support http method '{}'.",
                truncate(method, 16)
            ),
        )
    }

    pub(crate) fn body_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(&Body {
            error: Inner {
                code: self.code,
                message: &self.message,
                target: self.target,
            },
        })
        .unwrap_or_default()
    }
}

impl IntoResponse for AcsError {
    fn into_response(self) -> Response {
        let body = self.body_bytes();
        let mut resp = (self.status, body).into_response();
        resp.headers_mut()
            .insert(header::CONTENT_TYPE, ERROR_CONTENT_TYPE);
        resp
    }
}

/// Shortens user input before it is put into a message.
pub(crate) fn truncate(s: &str, max_chars: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max_chars) {
        None => Cow::Borrowed(s),
        Some((i, _)) => Cow::Owned(format!("{}...", &s[..i])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_shape() {
        let e = AcsError::validation("Scopes: The Scopes field is required.", "Scopes");
        assert_eq!(
            String::from_utf8(e.body_bytes()).unwrap(),
            r#"{"error":{"code":"ValidationError","message":"Scopes: The Scopes field is required.","target":"Scopes"}}"#
        );
        let e = AcsError::identity_not_found();
        assert_eq!(
            String::from_utf8(e.body_bytes()).unwrap(),
            r#"{"error":{"code":"IdentityNotFound","message":"Provided identity doesn't exist."}}"#
        );
    }

    #[test]
    fn truncates_on_char_boundary() {
        assert_eq!(truncate("abc", 5), "abc");
        assert_eq!(truncate("ééééé", 2), "éé...");
    }
}
