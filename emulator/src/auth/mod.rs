//! Request authentication: HMAC-SHA256 with the access key, or a bearer token.

pub(crate) mod bearer;
pub(crate) mod hmac;

use crate::errors::AcsError;
use axum::http::{header, HeaderMap};
use time::OffsetDateTime;

/// What the authenticator needs to see of a request.
pub(crate) struct RequestView<'a> {
    /// Upper-case method.
    pub(crate) method: &'a str,
    /// The request target as it arrived on the request line (still percent-encoded).
    pub(crate) path_and_query: &'a str,
    /// The `Host` header (HTTP/1.1) or `:authority` (HTTP/2), as sent.
    pub(crate) host: Option<&'a str>,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) body: &'a [u8],
    pub(crate) now: OffsetDateTime,
}

/// Both authenticators, built once at start.
#[derive(Debug)]
pub(crate) struct Authenticator {
    pub(crate) hmac: hmac::HmacVerifier,
    pub(crate) bearer: bearer::BearerPolicy,
}

impl Authenticator {
    /// Accepts the request or says why not (401 `Denied`). Never echoes a key, signature or token.
    pub(crate) fn authenticate(&self, req: &RequestView<'_>) -> Result<(), AcsError> {
        let Some(value) = req.headers.get(header::AUTHORIZATION) else {
            return Err(AcsError::denied(
                "the request has no Authorization header; sign it with HMAC-SHA256 or send a bearer token",
            ));
        };
        let Ok(value) = value.to_str() else {
            return Err(AcsError::denied(
                "the Authorization header is not printable ASCII",
            ));
        };
        let value = value.trim();
        let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
        if scheme.eq_ignore_ascii_case("HMAC-SHA256") {
            self.hmac
                .verify(rest.trim(), req)
                .map_err(|f| AcsError::denied(&f.message(self.hmac.max_skew_secs())))
        } else if scheme.eq_ignore_ascii_case("Bearer") {
            self.bearer.check(rest.trim()).map_err(AcsError::denied)
        } else {
            Err(AcsError::denied(
                "the Authorization scheme is neither HMAC-SHA256 nor Bearer",
            ))
        }
    }

    /// For the token exchanges that authenticate with the caller's own Entra ID token
    /// (`/access/teamsExtension/:exchangeAccessToken`, `/access/entra/:exchangeAccessToken`):
    /// only `Authorization: Bearer` passes, whatever the [`bearer::BearerPolicy`] (which is about
    /// management tokens); the handler reads the token. HMAC is refused: the access key does
    /// not say which user to issue a token for.
    pub(crate) fn authenticate_user_token(&self, req: &RequestView<'_>) -> Result<(), AcsError> {
        let Some(value) = req.headers.get(header::AUTHORIZATION) else {
            return Err(AcsError::denied(
                "the request has no Authorization header; this exchange takes the user's Entra ID token as 'Authorization: Bearer <token>'",
            ));
        };
        let value = value.to_str().unwrap_or("").trim();
        let scheme = value.split_once(' ').map_or(value, |(s, _)| s);
        if scheme.eq_ignore_ascii_case("Bearer") {
            Ok(())
        } else if scheme.eq_ignore_ascii_case("HMAC-SHA256") {
            Err(AcsError::denied(
                "this exchange authenticates with the user's Entra ID token as 'Authorization: Bearer <token>', not with the access key (HMAC-SHA256)",
            ))
        } else {
            Err(AcsError::denied(
                "this exchange takes the user's Entra ID token as 'Authorization: Bearer <token>'",
            ))
        }
    }
}
