//! Failures and the exit status each one gets.

use acs_identity::CommunicationErrorExt;
use azure_core::error::ErrorKind;
use serde_json::{json, Value};
use std::fmt;

/// What kind of failure, which decides the exit status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The service refused the request: exit 1.
    Service,
    /// Bad input or configuration, found before anything was sent: exit 2.
    Usage,
    /// The network or anything else: exit 3.
    Other,
}

impl Failure {
    /// The process exit status.
    pub fn exit_code(self) -> u8 {
        match self {
            Self::Service => 1,
            Self::Usage => 2,
            Self::Other => 3,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Service => "service",
            Self::Usage => "usage",
            Self::Other => "other",
        }
    }
}

/// A failed command. Its message never holds a secret: it is built from the client's errors
/// (which quote neither keys, signatures nor tokens) or from the command line's own text.
#[derive(Debug)]
pub struct CliError {
    /// The kind of failure.
    pub failure: Failure,
    /// What went wrong, for stderr.
    pub message: String,
    /// The ACS error code, for a service error.
    pub code: Option<String>,
    /// The HTTP status, for a service error.
    pub status: Option<u16>,
}

impl CliError {
    /// A usage or configuration error (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            failure: Failure::Usage,
            message: message.into(),
            code: None,
            status: None,
        }
    }

    /// Any other failure (exit 3).
    pub fn other(message: impl Into<String>) -> Self {
        Self {
            failure: Failure::Other,
            message: message.into(),
            code: None,
            status: None,
        }
    }

    /// `{"error": {"kind", "code", "status", "message"}}` for `--output json`.
    pub fn to_json(&self) -> Value {
        json!({
            "error": {
                "kind": self.failure.as_str(),
                "code": self.code,
                "status": self.status,
                "message": self.message,
            }
        })
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<azure_core::Error> for CliError {
    fn from(err: azure_core::Error) -> Self {
        if let Some(invalid) = err.invalid_argument() {
            return Self::usage(invalid.to_string());
        }
        match err.kind() {
            // The client's Display of a service error is `<code>: <message> (HTTP <status>)`.
            ErrorKind::HttpResponse {
                status, error_code, ..
            } => Self {
                failure: Failure::Service,
                message: err.to_string(),
                code: error_code.clone(),
                status: Some(u16::from(*status)),
            },
            ErrorKind::Credential => Self::other(format!(
                "could not get an Entra ID token: {err} (sign in with `az login` or `azd auth login`, \
                 or use a connection string)"
            )),
            _ => Self::other(err.to_string()),
        }
    }
}
