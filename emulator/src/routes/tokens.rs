//! `POST /identities/{id}/:issueAccessToken` and `POST /identities/{id}/:revokeAccessTokens`.

use super::identity_key::IdentityKey;
use super::response::{json, no_content};
use crate::api_version::ApiVersion;
use crate::body::{self, IssueRequest};
use crate::errors::AcsError;
use crate::layers::body_limit::Buffered;
use crate::state::AppState;
use crate::timefmt;
use axum::extract::{Extension, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;
use std::sync::Arc;

/// `CommunicationIdentityAccessToken`
#[derive(Serialize)]
pub(super) struct AccessToken<'a> {
    pub(super) token: &'a str,
    #[serde(rename = "expiresOn")]
    pub(super) expires_on: &'a str,
}

/// 200 with a token; the identity's `lastTokenIssuedAt` becomes now (recorded before the
/// answer). Order of checks: id ownership (401), body (400), existence (404).
pub(super) async fn issue(
    State(state): State<Arc<AppState>>,
    Extension(version): Extension<ApiVersion>,
    IdentityKey(key): IdentityKey,
    Buffered(bytes): Buffered,
) -> Result<Response, AcsError> {
    let req: IssueRequest = body::parse(&bytes)?;
    let Some(list) = req.scopes else {
        return Err(AcsError::validation(
            "Scopes: The Scopes field is required.",
            "Scopes",
        ));
    };
    if list.is_empty() {
        // A semantic check of the service's (camelCase target), not model binding's.
        return Err(AcsError::validation(
            "Invalid scopes - Scopes field is required.",
            "scopes",
        ));
    }
    let scopes = body::scopes_claim(&list, version)?;
    let minutes = body::expiry_minutes(req.expires_in_minutes, version)?;
    let now = state.now();
    let rec = state
        .store
        .token_issued(&key, crate::state::unix_ns(now))
        .await
        .map_err(|e| AcsError::internal(&e.0))?
        .ok_or_else(AcsError::identity_not_found)?;
    let iat = now.unix_timestamp();
    let issued = state.issue(&key, scopes, iat, iat + minutes * 60, rec.generation);
    let expires_on = timefmt::expires_on(issued.exp);
    let body = AccessToken {
        token: &issued.token,
        expires_on: &expires_on,
    };
    Ok(json(StatusCode::OK, &body))
}

/// 204; every token issued before now stops being valid. The body, if any, is ignored.
pub(super) async fn revoke(
    State(state): State<Arc<AppState>>,
    IdentityKey(key): IdentityKey,
) -> Result<Response, AcsError> {
    let revoked = state
        .store
        .revoke(&key, state.now_ms())
        .await
        .map_err(|e| AcsError::internal(&e.0))?;
    match revoked {
        Some(_) => Ok(no_content()),
        None => Err(AcsError::identity_not_found()),
    }
}
