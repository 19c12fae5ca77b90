//! The exchanges that take the user's own Entra ID token as `Authorization: Bearer <token>`
//! (body `{}`, or none), as the Entra user credential of `@azure/communication-common` 2.5.0
//! sends them:
//!
//! * `POST /access/teamsExtension/:exchangeAccessToken` (2025-03-02-preview, 2025-06-30,
//!   2026-09-23): the user needs a Teams Extension assignment for (`tid`, `oid`); when its `clientIds` is
//!   non-empty the token's client id must be among them (an empty list admits any client).
//!   Identity `8:acs:<resourceId>_<tid>_<oid>` (a Teams Extension user), scope `voip`.
//! * `POST /access/entra/:exchangeAccessToken` (2025-03-02-preview): an Entra assignment must
//!   admit the user (see [`admitting`]) and list the token's client id in its `clientIds`.
//!   Identity `8:acs:<resourceId>_wf_<tid>_<oid>`, scopes `chat` and `voip`.
//!
//! The Entra ID token is decoded by [`crate::entra_token`] (signature, audience and scopes are
//! not checked). The ACS token expires when the Entra ID token does, at most 24 hours after
//! now. Every refusal is `401` with a message that says why.

use super::response::json;
use super::tokens::AccessToken;
use crate::body;
use crate::entra_token::{self, EntraClaims};
use crate::errors::AcsError;
use crate::ids::guid;
use crate::layers::body_limit::Buffered;
use crate::state::AppState;
use crate::store::{AssignmentRecord, PrincipalType};
use crate::timefmt;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use serde::Serialize;
use std::sync::Arc;

/// The longest an exchanged ACS token lives, in seconds (24 hours, the service's longest).
const MAX_LIFETIME_SECS: i64 = 24 * 60 * 60;

/// The Entra ID user a usable bearer token names.
struct EntraUser {
    /// Lower-case GUIDs.
    tenant_id: String,
    object_id: String,
    /// Lower-cased (a GUID in real tokens).
    client_id: String,
    exp: i64,
    claims: EntraClaims,
}

/// The bearer token's user, or `401 InvalidAccessToken` saying why not.
fn entra_user(headers: &HeaderMap, now: i64) -> Result<EntraUser, AcsError> {
    // The authentication layer let only `Bearer` through.
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().split_once(' '))
        .map_or("", |(_, t)| t.trim());
    if token.is_empty() {
        return Err(AcsError::invalid_user_token("the bearer token is empty"));
    }
    let (claims, exp) =
        entra_token::usable(token, now).map_err(|u| AcsError::invalid_user_token(u.reason()))?;
    let (Some(tenant_id), Some(object_id)) = (
        claims.tid.as_deref().and_then(guid),
        claims.oid.as_deref().and_then(guid),
    ) else {
        return Err(AcsError::invalid_user_token(
            "the token needs tid and oid claims that are GUIDs",
        ));
    };
    let Some(client) = claims.client_id().filter(|c| !c.trim().is_empty()) else {
        return Err(AcsError::invalid_user_token(
            "the token has no appid or azp claim (the client application)",
        ));
    };
    let client_id = guid(client).unwrap_or_else(|| client.to_ascii_lowercase());
    Ok(EntraUser {
        tenant_id,
        object_id,
        client_id,
        exp,
        claims,
    })
}

/// `CommunicationIdentityAccessTokenResult` with both parts.
#[derive(Serialize)]
struct Exchanged<'a> {
    identity: Identity<'a>,
    #[serde(rename = "accessToken")]
    access_token: AccessToken<'a>,
}

#[derive(Serialize)]
struct Identity<'a> {
    id: &'a str,
}

/// 200 with a token for `raw_id`, issued now, expiring with the Entra ID token (at most 24 h).
fn answer(state: &AppState, raw_id: &str, scopes: &str, now: i64, entra_exp: i64) -> Response {
    let exp = entra_exp.min(now + MAX_LIFETIME_SECS);
    let issued = state.issue(raw_id, scopes.to_owned(), now, exp, 0);
    let expires_on = timefmt::expires_on(issued.exp);
    json(
        StatusCode::OK,
        &Exchanged {
            identity: Identity { id: raw_id },
            access_token: AccessToken {
                token: &issued.token,
                expires_on: &expires_on,
            },
        },
    )
}

/// The user and a body that is `{}` (any object; none at all is fine too).
fn request(state: &AppState, headers: &HeaderMap, bytes: &[u8]) -> Result<EntraUser, AcsError> {
    let user = entra_user(headers, state.now().unix_timestamp())?;
    body::parse::<serde_json::Map<String, serde_json::Value>>(bytes)?;
    Ok(user)
}

/// 401 `ClientNotAllowed`.
fn client_not_allowed(user: &EntraUser, what: &str) -> AcsError {
    AcsError::new(
        StatusCode::UNAUTHORIZED,
        "ClientNotAllowed",
        format!(
            "The Entra ID application '{}' is not among the clientIds of {what} object '{}' in tenant '{}'.",
            crate::errors::truncate(&user.client_id, 64),
            user.object_id,
            user.tenant_id
        ),
    )
}

/// `POST /access/teamsExtension/:exchangeAccessToken`.
pub(super) async fn teams_extension(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Buffered(bytes): Buffered,
) -> Result<Response, AcsError> {
    let user = request(&state, &headers, &bytes)?;
    let Some(assignment) = state.store.assignment(&user.tenant_id, &user.object_id) else {
        return Err(AcsError::new(
            StatusCode::UNAUTHORIZED,
            "AssignmentNotFound",
            format!(
                "No Teams Extension assignment exists for object '{}' in tenant '{}'.",
                user.object_id, user.tenant_id
            ),
        ));
    };
    if !assignment.client_ids.is_empty() && !assignment.client_ids.contains(&user.client_id) {
        return Err(client_not_allowed(
            &user,
            "the Teams Extension assignment of",
        ));
    }
    let raw_id = format!(
        "{}{}_{}",
        state.owned_prefix, user.tenant_id, user.object_id
    );
    let now = state.now().unix_timestamp();
    Ok(answer(&state, &raw_id, "voip", now, user.exp))
}

/// The Entra assignments that admit `user`: the `user` assignment of its `oid`, the `tenant`
/// assignment of its `tid`, and the `group` assignments of the group ids in its `groups` claim
/// (the emulator cannot ask Entra ID for group membership); each of the user's tenant.
fn admitting(state: &AppState, user: &EntraUser) -> Vec<AssignmentRecord> {
    let wanted = [
        (user.object_id.clone(), PrincipalType::User),
        (user.tenant_id.clone(), PrincipalType::Tenant),
    ]
    .into_iter()
    .chain(
        user.claims
            .group_ids()
            .filter_map(guid)
            .map(|g| (g, PrincipalType::Group)),
    );
    wanted
        .filter_map(|(object_id, principal)| {
            state
                .store
                .entra_assignment(&object_id)
                .filter(|a| a.principal == principal && a.tenant_id == user.tenant_id)
        })
        .collect()
}

/// `POST /access/entra/:exchangeAccessToken`.
pub(super) async fn entra(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Buffered(bytes): Buffered,
) -> Result<Response, AcsError> {
    let user = request(&state, &headers, &bytes)?;
    let admitting = admitting(&state, &user);
    if admitting.is_empty() {
        return Err(AcsError::new(
            StatusCode::UNAUTHORIZED,
            "AssignmentNotFound",
            format!(
                "No Entra assignment admits object '{}' in tenant '{}': none for the user, for its tenant, or for a group in the token's groups claim.",
                user.object_id, user.tenant_id
            ),
        ));
    }
    if !admitting
        .iter()
        .any(|a| a.client_ids.contains(&user.client_id))
    {
        return Err(client_not_allowed(
            &user,
            "any Entra assignment that admits",
        ));
    }
    let raw_id = format!(
        "{}wf_{}_{}",
        state.owned_prefix, user.tenant_id, user.object_id
    );
    let now = state.now().unix_timestamp();
    Ok(answer(&state, &raw_id, "chat,voip", now, user.exp))
}
