//! `POST /identities` (create), `GET /identities/{id}` and `DELETE /identities/{id}`.

use super::identity_key::IdentityKey;
use super::response::{json, no_content};
use crate::api_version::ApiVersion;
use crate::body::{self, CreateRequest};
use crate::errors::AcsError;
use crate::layers::body_limit::Buffered;
use crate::state::{unix_ms, unix_ns, AppState};
use crate::store::{Lookup, NewIdentity};
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

/// `CommunicationIdentity`: `customId` and `lastTokenIssuedAt` only when set.
#[derive(Serialize)]
struct Identity<'a> {
    id: &'a str,
    #[serde(rename = "customId", skip_serializing_if = "Option::is_none")]
    custom_id: Option<&'a str>,
    #[serde(rename = "lastTokenIssuedAt", skip_serializing_if = "Option::is_none")]
    last_token_issued_at: Option<String>,
}

/// 201 with the identity, and a token when `createTokenWithScopes` is non-empty.
///
/// With a `customId` (versions that have it) the identity is the live one created with that
/// `customId` when there is one, else a new one; either way the answer is 201.
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
    let custom_id = crate::custom_id::custom_id(req.custom_id.as_ref(), version)?;

    let now = state.now();
    let created = state
        .store
        .create(NewIdentity {
            key: crate::ids::new_id(&state.owned_prefix),
            custom_id,
            now_ms: unix_ms(now),
            token_at_ns: scopes.is_some().then(|| unix_ns(now)),
        })
        .await
        .map_err(|e| AcsError::internal(&e.0))?;
    let id = created.key.as_str();
    if created.is_new {
        tracing::debug!(identity = %id, "created identity");
    }

    let iat = now.unix_timestamp();
    let issued =
        scopes.map(|s| state.issue(id, s, iat, iat + minutes * 60, created.record.generation));
    let expires_on = issued.as_ref().map(|i| timefmt::expires_on(i.exp));
    let body = CreateResult {
        identity: Identity {
            id,
            custom_id: created.record.custom_id.as_deref(),
            last_token_issued_at: None,
        },
        access_token: issued.as_ref().zip(expires_on.as_deref()).map(|(i, e)| {
            super::tokens::AccessToken {
                token: &i.token,
                expires_on: e,
            }
        }),
    };
    Ok(json(StatusCode::CREATED, &body))
}

/// 200 `{"id","customId"?,"lastTokenIssuedAt"?}` for a live identity of this resource.
pub(super) async fn get(
    State(state): State<Arc<AppState>>,
    IdentityKey(key): IdentityKey,
) -> Result<Response, AcsError> {
    let Lookup::Live(rec) = state.store.lookup(&key) else {
        return Err(AcsError::identity_not_found());
    };
    let body = Identity {
        id: &key,
        custom_id: rec.custom_id.as_deref(),
        last_token_issued_at: rec.last_token_issued_at.map(timefmt::date_time),
    };
    Ok(json(StatusCode::OK, &body))
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
