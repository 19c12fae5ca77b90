//! Who is calling: the app user behind a request, as a [`CallerAuthenticator`] finds it.
//!
//! The service's own authenticator checks a bearer JWT against a JWKS (module `jwt`); an
//! app that nests the router can plug in its own authentication by implementing
//! [`CallerAuthenticator`].

use async_trait::async_trait;
use axum::http::{HeaderMap, StatusCode};
use std::fmt;

/// The app user a request comes from.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Caller {
    /// The app user's key in the mapping store. It qualifies the user claim by issuer and
    /// tenant (e.g. `<iss>|<tid>|<oid>`), so two tenants' users never share an identity.
    pub app_user: String,
    /// The caller's Entra object id (`oid` claim), when the token has one: the user id of
    /// the Teams token exchange.
    pub object_id: Option<String>,
}

impl fmt::Debug for Caller {
    // The app user key and object id are personal data: not printed whole.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Caller").finish_non_exhaustive()
    }
}

/// Why a request's caller was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RejectionKind {
    /// No credentials (no `Authorization` header, or not a `Bearer` one): 401.
    MissingToken,
    /// The token is malformed, badly signed, expired, for another issuer or audience, or
    /// lacks the user claim: 401 with `WWW-Authenticate: Bearer error="invalid_token"`.
    InvalidToken,
    /// A valid token without the required scope or role: 403 with
    /// `WWW-Authenticate: Bearer error="insufficient_scope"`.
    InsufficientScope,
    /// The keys to check the token could not be had (the issuer is unreachable): 503.
    Unavailable,
}

/// A refused caller: what was wrong, never the token itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    /// The kind of refusal, which decides the status and `WWW-Authenticate` header.
    pub kind: RejectionKind,
    /// What was wrong, for the response body and logs. Must not contain the token.
    pub message: String,
}

impl Rejection {
    /// A rejection of `kind` with `message`.
    pub fn new(kind: RejectionKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// The HTTP status this rejection answers with.
    pub fn status(&self) -> StatusCode {
        match self.kind {
            RejectionKind::MissingToken | RejectionKind::InvalidToken => StatusCode::UNAUTHORIZED,
            RejectionKind::InsufficientScope => StatusCode::FORBIDDEN,
            RejectionKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rejection {}

/// Finds the app user behind a request from its headers.
#[async_trait]
pub trait CallerAuthenticator: Send + Sync + 'static {
    /// The caller of a request with these headers, or why it is refused.
    async fn authenticate(&self, headers: &HeaderMap) -> Result<Caller, Rejection>;
}
