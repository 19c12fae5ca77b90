//! The service's error model ([`CommunicationError`], public at the crate root)
//! and how a rejected request is shown, for every ACS client (identity, the Entra
//! credential's exchange, chat, calling): the same `<code>: <message> (HTTP <status>)`.
//!
//! **Not public API.** This module is `#[doc(hidden)]`: its helpers ([`quoted`],
//! [`MAX_QUOTED`], [`http_error`], [`service_error`], [`MAX_ERROR_MESSAGE`]) are
//! public only because the `acs-identity` crate of this workspace calls them, and
//! may change in any release. Use `acs_common::CommunicationError`.
//!
//! Every fallible call returns [`azure_core::Error`]:
//!
//! * a request the service rejected is `ErrorKind::HttpResponse { status, error_code, .. }`
//!   where `error_code` is the ACS code (e.g. `ValidationError`). Its `Display` is
//!   `<code>: <message> (HTTP <status>)`, e.g.
//!   `IdentityNotOwned: Provided identity doesn't belong to the resource. (HTTP 401)`;
//!   the whole ACS error (code, message, target, details, inner error) is available
//!   through [`CommunicationError::from_error`];
//! * input a client can tell is wrong before sending anything is `ErrorKind::Other`
//!   with an [`InvalidArgument`](crate::InvalidArgument) inside
//!   (`err.downcast_ref::<InvalidArgument>()`).
//!
//! A client built on azure_core's pipeline passes every error through
//! [`service_error`]; a policy that fails a response itself builds its error
//! with [`http_error`].

use azure_core::{
    error::{Error, ErrorKind},
    http::{headers::ERROR_CODE, RawResponse, StatusCode},
};
use serde::{Deserialize, Serialize};
use std::{borrow::Cow, fmt};

/// The error the Communication Services APIs return
/// (`{"error": {"code", "message", "target", "details", "innererror"}}`).
///
/// ```
/// use acs_common::CommunicationError;
///
/// # fn show(err: &azure_core::Error) {
/// if let Some(acs) = CommunicationError::from_error(err) {
///     eprintln!("HTTP {:?}: {} ({}) target {:?}", err.http_status(), acs.code, acs.message, acs.target);
/// }
/// # }
/// let body = br#"{"error":{"code":"IdentityNotOwned","message":"Provided identity doesn't belong to the resource."}}"#;
/// assert_eq!(CommunicationError::from_body(body).unwrap().code, "IdentityNotOwned");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CommunicationError {
    /// The ACS error code, e.g. `ValidationError`, `IdentityNotOwned`, `Denied`.
    #[serde(default)]
    pub code: String,
    /// A human-readable message.
    #[serde(default)]
    pub message: String,
    /// The request field the error is about, e.g. `ExpiresInMinutes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Further errors that led to this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<CommunicationError>,
    /// A more specific error.
    #[serde(
        default,
        rename = "innererror",
        skip_serializing_if = "Option::is_none"
    )]
    pub inner_error: Option<Box<CommunicationError>>,
}

#[derive(Deserialize)]
struct CommunicationErrorResponse {
    error: CommunicationError,
}

impl CommunicationError {
    /// The ACS error in `err`, when `err` is a service error whose body is an ACS
    /// error response. `None` for other errors (transport, validation) and for
    /// service errors with an empty or non-ACS body.
    pub fn from_error(err: &Error) -> Option<Self> {
        match err.kind() {
            ErrorKind::HttpResponse {
                raw_response: Some(raw),
                ..
            } => Self::from_body(raw.body().as_ref()),
            _ => None,
        }
    }

    /// Parses an ACS error response body.
    pub fn from_body(body: &[u8]) -> Option<Self> {
        serde_json::from_slice::<CommunicationErrorResponse>(body)
            .ok()
            .map(|r| r.error)
    }
}

/// The ACS error in a raw response's body, and the error code azure_core would
/// report for it: the `x-ms-error-code` header, else the body's code.
pub(crate) fn error_and_code(raw: &RawResponse) -> (Option<CommunicationError>, Option<String>) {
    let acs = CommunicationError::from_body(raw.body().as_ref());
    let code = raw
        .headers()
        .get_optional_str(&ERROR_CODE)
        .map(str::to_owned)
        .or_else(|| acs.as_ref().map(|e| e.code.clone()))
        .filter(|c| !c.is_empty());
    (acs, code)
}

/// The longest part of a service error message taken from the response body.
/// azure_core would put a non-JSON error body into the message verbatim; a proxy's
/// multi-megabyte HTML page would otherwise become a multi-megabyte message (and
/// log line). The whole body stays in the error's raw response.
pub const MAX_ERROR_MESSAGE: usize = 2048;

/// The longest other value from a response that a message quotes: an error code,
/// an identity id, a custom id, a date that does not parse. Those are short when the
/// service sends them; cutting them keeps every message within
/// [`MAX_ERROR_MESSAGE`] plus a few hundred bytes whatever the answer holds (the
/// `client_response` fuzz target checks 2048 + 512).
pub const MAX_QUOTED: usize = 128;

/// `value` as a message quotes it: whole up to [`MAX_QUOTED`] bytes, else cut at a
/// character boundary with `...` and how many bytes were left out.
pub fn quoted(value: &str) -> Cow<'_, str> {
    if value.len() <= MAX_QUOTED {
        return Cow::Borrowed(value);
    }
    let cut = floor_char_boundary(value, MAX_QUOTED);
    Cow::Owned(format!(
        "{}... ({} more bytes)",
        &value[..cut],
        value.len() - cut
    ))
}

/// The largest character boundary of `text` at or before `at`.
fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut cut = at.min(text.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    cut
}

/// A service error's text, already in the crate's shape
/// (`<code>: <message> (HTTP <status>)[<detail>]`), kept as the error's inner
/// error so that [`service_error`] leaves it alone.
#[derive(Debug)]
struct ServiceErrorMessage(String);

impl fmt::Display for ServiceErrorMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ServiceErrorMessage {}

/// Builds the error for a rejected request: kind `HttpResponse` with the status,
/// the ACS code (never a bare status number) and the raw response, and the message
/// `<code>: <message> (HTTP <status>)` followed by `detail` (e.g. `: the local
/// clock is ...`). Without an ACS message the body (bounded) or the status's
/// reason phrase (`Unauthorized`) stands in; without a code the message starts with the message.
pub fn http_error(status: StatusCode, raw: RawResponse, detail: &str) -> Error {
    let (acs, code) = error_and_code(&raw);
    let message = match acs.as_ref().filter(|e| !e.message.is_empty()) {
        Some(e) => bounded(&e.message),
        None if acs.is_none() && !raw.body().is_empty() => {
            bounded(&String::from_utf8_lossy(raw.body().as_ref()))
        }
        None => status.canonical_reason().into_owned(),
    };
    let text = match &code {
        Some(code) => format!(
            "{}: {message} (HTTP {}){detail}",
            quoted(code),
            u16::from(status)
        ),
        None => format!("{message} (HTTP {}){detail}", u16::from(status)),
    };
    Error::new(
        ErrorKind::HttpResponse {
            status,
            error_code: code,
            raw_response: Some(Box::new(raw)),
        },
        ServiceErrorMessage(text),
    )
}

/// Puts an error for a rejected request (as azure_core's success check builds it)
/// into the crate's shape; see [`http_error`]. Other errors pass unchanged.
pub fn service_error(err: Error) -> Error {
    let ErrorKind::HttpResponse {
        status,
        raw_response: Some(raw),
        ..
    } = err.kind()
    else {
        return err;
    };
    if err.downcast_ref::<ServiceErrorMessage>().is_some() {
        return err;
    }
    http_error(*status, (**raw).clone(), "")
}

/// `text`, cut to [`MAX_ERROR_MESSAGE`] bytes with a note when longer.
fn bounded(text: &str) -> String {
    let text = text.trim();
    if text.len() <= MAX_ERROR_MESSAGE {
        return text.to_owned();
    }
    let cut = floor_char_boundary(text, MAX_ERROR_MESSAGE);
    format!(
        "{}... ({} more bytes; the whole body is in the error's raw response)",
        &text[..cut],
        text.len() - cut
    )
}

impl fmt::Display for CommunicationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)?;
        if let Some(target) = &self.target {
            write!(f, " (target: {target})")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use azure_core::http::headers::Headers;

    /// Found with the `client_response` fuzz target's replay
    /// (`fuzz/regressions/client_response/long_error_code_*`): a long error code, in
    /// `x-ms-error-code` or in the body, made the message as long as the code.
    #[test]
    fn long_error_codes_are_cut_in_the_message() {
        let long = "E".repeat(3000);
        let mut headers = Headers::new();
        headers.insert(ERROR_CODE, long.clone());
        let raw = RawResponse::from_bytes(StatusCode::BadRequest, headers, "");
        let err = http_error(StatusCode::BadRequest, raw, "");
        let message = err.to_string();
        assert!(message.len() < MAX_QUOTED + 100, "{}", message.len());
        assert!(message.contains("... (2872 more bytes)"), "{message}");
        // The whole code is still in the error's kind.
        assert!(
            matches!(err.kind(), ErrorKind::HttpResponse { error_code: Some(c), .. } if *c == long)
        );
        let body = format!(r#"{{"error":{{"code":"{long}","message":"m"}}}}"#);
        let raw = RawResponse::from_bytes(StatusCode::InternalServerError, Headers::new(), body);
        let message = http_error(StatusCode::InternalServerError, raw, "").to_string();
        assert!(message.len() < MAX_QUOTED + 100, "{}", message.len());
        assert!(message.ends_with(": m (HTTP 500)"), "{message}");
    }

    #[test]
    fn quoted_cuts_at_a_character_boundary() {
        assert_eq!(quoted("short"), "short");
        let text = "é".repeat(100); // 200 bytes
        let cut = quoted(&text);
        assert!(cut.starts_with(&"é".repeat(64)), "{cut}");
        assert!(cut.ends_with("... (72 more bytes)"), "{cut}");
    }
}
