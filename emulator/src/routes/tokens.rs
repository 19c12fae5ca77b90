//! `POST /identities/{id}/:issueAccessToken` and `POST /identities/{id}/:revokeAccessTokens`.

use super::{json, no_content, owned_key, unix_ms};
use crate::api_version::ApiVersion;
use crate::body::{self, IssueRequest};
use crate::errors::AcsError;
use crate::state::AppState;
use crate::store::Lookup;
use crate::timefmt;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;

/// `CommunicationIdentityAccessToken`
#[derive(Serialize)]
pub(super) struct AccessToken<'a> {
    pub(super) token: &'a str,
    #[serde(rename = "expiresOn")]
    pub(super) expires_on: &'a str,
}

/// 200 with a token. Order of checks: id ownership (401), body (400), existence (404).
pub(super) async fn issue(
    state: &AppState,
    version: ApiVersion,
    raw_id: &str,
    bytes: &[u8],
) -> Result<Response, AcsError> {
    let key = owned_key(state, raw_id)?;
    let req: IssueRequest = body::parse(bytes)?;
    let Some(list) = req.scopes else {
        return Err(AcsError::validation(
            "Scopes: The Scopes field is required.",
            "Scopes",
        ));
    };
    if list.is_empty() {
        return Err(AcsError::validation(
            "Scopes: The field Scopes must be a string or array type with a minimum length of '1'.",
            "Scopes",
        ));
    }
    let scopes = body::scopes_claim(&list, version)?;
    let minutes = body::expiry_minutes(req.expires_in_minutes, version)?;
    let rec = match state.store.lookup(&key) {
        Lookup::Live(rec) => rec,
        Lookup::Deleted(_) | Lookup::Unknown => return Err(AcsError::identity_not_found()),
    };
    let iat = state.now().unix_timestamp();
    let issued = state.issue(&key, scopes, iat, iat + minutes * 60, rec.generation);
    let expires_on = timefmt::expires_on(issued.exp);
    let body = serde_json::to_vec(&AccessToken {
        token: &issued.token,
        expires_on: &expires_on,
    })
    .unwrap_or_default();
    Ok(json(StatusCode::OK, body))
}

/// 204; every token issued before now stops being valid. The body, if any, is ignored.
pub(super) async fn revoke(state: &AppState, raw_id: &str) -> Result<Response, AcsError> {
    let key = owned_key(state, raw_id)?;
    let revoked = state
        .store
        .revoke(&key, unix_ms(state.now()))
        .await
        .map_err(|e| AcsError::internal(&e.0))?;
    match revoked {
        Some(_) => Ok(no_content()),
        None => Err(AcsError::identity_not_found()),
    }
}
