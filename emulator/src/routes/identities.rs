//! `POST /identities` (create) and `DELETE /identities/{id}`.

use super::identity_key::IdentityKey;
use super::response::{json, no_content};
use crate::api_version::ApiVersion;
use crate::body::{self, CreateRequest};
use crate::errors::AcsError;
use crate::layers::body_limit::Buffered;
use crate::state::AppState;
use crate::timefmt;
use axum::extract::{Extension, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;
use std::sync::Arc;

#[derive(Serialize)]
struct CreateResult<'a> {
    identity: Identity<'a>,
    #[serde(rename = "accessToken", skip_serializing_if = "Option::is_none")]
    access_token: Option<super::tokens::AccessToken<'a>>,
}

#[derive(Serialize)]
struct Identity<'a> {
    id: &'a str,
}

/// 201 with the new identity, and a token when `createTokenWithScopes` is non-empty.
pub(super) async fn create(
    State(state): State<Arc<AppState>>,
    Extension(version): Extension<ApiVersion>,
    Buffered(bytes): Buffered,
) -> Result<Response, AcsError> {
    let req: CreateRequest = body::parse(&bytes)?;
    let scopes = match req.scopes.as_deref() {
        Some(list) if !list.is_empty() => Some(body::scopes_claim(list, version)?),
        _ => None,
    };
    let minutes = body::expiry_minutes(req.expires_in_minutes, version)?;

    let id = crate::ids::new_id(&state.owned_prefix);
    let now = state.now();
    state
        .store
        .create(&id, crate::state::unix_ms(now))
        .await
        .map_err(|e| AcsError::internal(&e.0))?;
    tracing::debug!(identity = %id, "created identity");

    let iat = now.unix_timestamp();
    let issued = scopes.map(|s| state.issue(&id, s, iat, iat + minutes * 60, 0));
    let expires_on = issued.as_ref().map(|i| timefmt::expires_on(i.exp));
    let body = CreateResult {
        identity: Identity { id: &id },
        access_token: issued.as_ref().zip(expires_on.as_deref()).map(|(i, e)| {
            super::tokens::AccessToken {
                token: &i.token,
                expires_on: e,
            }
        }),
    };
    Ok(json(StatusCode::CREATED, &body))
}

/// 204; deletes the identity and invalidates all its tokens.
pub(super) async fn delete(
    State(state): State<Arc<AppState>>,
    IdentityKey(key): IdentityKey,
) -> Result<Response, AcsError> {
    let deleted = state
        .store
        .delete(&key, state.now_ms())
        .await
        .map_err(|e| AcsError::internal(&e.0))?;
    if deleted {
        tracing::debug!(identity = %key, "deleted identity");
        Ok(no_content())
    } else {
        Err(AcsError::identity_not_found())
    }
}
