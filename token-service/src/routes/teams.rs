//! `GET /api/token/teams`: exchanges a Teams user's Entra token (header
//! `teams-user-aad-token`) for an ACS token. The user id is the caller's validated `oid`,
//! the app id the configured Teams client id.

use super::caller::Authenticated;
use crate::{error::ApiError, state::AppState};
use axum::{extract::State, http::HeaderMap, Json};
use serde::Serialize;

/// The header that carries the Teams user's Entra token.
pub const TEAMS_TOKEN_HEADER: &str = "teams-user-aad-token";

/// `{"token", "expiresOn"}`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TeamsTokenBody {
    token: String,
    expires_on: String,
}

pub(crate) async fn teams_token(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
    headers: HeaderMap,
) -> Result<Json<TeamsTokenBody>, ApiError> {
    let Some(client_id) = state.config.teams_client_id.as_deref() else {
        return Err(ApiError::not_found(
            "TeamsNotConfigured",
            "the Teams token exchange is not configured on this service \
             (set ACS_TOKEN_SERVICE_TEAMS_CLIENT_ID)",
        ));
    };
    let aad_token = headers
        .get(TEAMS_TOKEN_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "header {TEAMS_TOKEN_HEADER} is missing or empty; expected the Teams user's \
                 Entra ID access token"
            ))
        })?;
    let object_id = caller.object_id.as_deref().ok_or_else(|| {
        ApiError::bad_request(
            "the caller's token has no `oid` claim; the Teams exchange needs the Teams user's \
             Entra object id",
        )
    })?;
    let token = state
        .acs
        .teams_token(aad_token, client_id, object_id)
        .await
        .map_err(|f| f.error)?;
    Ok(Json(TeamsTokenBody {
        token: token.token.secret().to_owned(),
        expires_on: super::rfc3339(token.expires_on),
    }))
}
