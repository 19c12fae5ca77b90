//! Errors: client-side validation ([`InvalidArgument`]) and the service's error
//! model ([`CommunicationError`]).
//!
//! Every fallible call returns [`azure_core::Error`]:
//!
//! * a request the service rejected is `ErrorKind::HttpResponse { status, error_code, .. }`
//!   where `error_code` is the ACS code (e.g. `ValidationError`); the whole ACS error
//!   (code, message, target, details, inner error) is available through
//!   [`CommunicationError::from_error`];
//! * input the client can tell is wrong before sending anything is `ErrorKind::Other`
//!   with an [`InvalidArgument`] inside (`err.downcast_ref::<InvalidArgument>()`).

use azure_core::error::{Error, ErrorKind};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Input rejected by the client before any request was sent.
///
/// The message says what is wrong and what is expected. It never contains a
/// secret (an access key, a token or a connection string).
///
/// ```
/// use acs_identity::InvalidArgument;
///
/// let err: azure_core::Error = InvalidArgument::new("scopes", "no scope given").into();
/// let invalid = err.downcast_ref::<InvalidArgument>().unwrap();
/// assert_eq!(invalid.argument(), "scopes");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidArgument {
    argument: &'static str,
    message: String,
}

impl InvalidArgument {
    /// An error about `argument` (a parameter or option name) with an explanation.
    pub fn new(argument: &'static str, message: impl Into<String>) -> Self {
        Self {
            argument,
            message: message.into(),
        }
    }

    /// The parameter or option at fault, e.g. `token_expires_in`.
    pub fn argument(&self) -> &'static str {
        self.argument
    }

    /// What is wrong and what is expected.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for InvalidArgument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}: {}", self.argument, self.message)
    }
}

impl std::error::Error for InvalidArgument {}

impl From<InvalidArgument> for Error {
    fn from(value: InvalidArgument) -> Self {
        Error::new(ErrorKind::Other, value)
    }
}

/// The error the Communication Services Identity service returns
/// (`{"error": {"code", "message", "target", "details", "innererror"}}`).
///
/// ```
/// use acs_identity::CommunicationError;
///
/// # async fn example(client: acs_identity::CommunicationIdentityClient) {
/// # let user = acs_identity::CommunicationUserIdentifier::new("8:acs:x");
/// if let Err(err) = client.revoke_tokens(&user, None).await {
///     if let Some(acs) = CommunicationError::from_error(&err) {
///         eprintln!("HTTP {:?}: {} ({}) target {:?}", err.http_status(), acs.code, acs.message, acs.target);
///     }
/// }
/// # }
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
pub(crate) fn error_and_code(
    raw: &azure_core::http::RawResponse,
) -> (Option<CommunicationError>, Option<String>) {
    const X_MS_ERROR_CODE: azure_core::http::headers::HeaderName =
        azure_core::http::headers::HeaderName::from_static("x-ms-error-code");
    let acs = CommunicationError::from_body(raw.body().as_ref());
    let code = raw
        .headers()
        .get_optional_str(&X_MS_ERROR_CODE)
        .map(str::to_owned)
        .or_else(|| acs.as_ref().map(|e| e.code.clone()))
        .filter(|c| !c.is_empty());
    (acs, code)
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
