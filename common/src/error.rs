//! [`InvalidArgument`]: input rejected before any request is sent.

use azure_core::error::{Error, ErrorKind};
use std::fmt;

/// Input rejected by the client before any request was sent.
///
/// The message says what is wrong and what is expected. It never contains a
/// secret (an access key, a token or a connection string).
///
/// ```
/// use acs_common::InvalidArgument;
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
