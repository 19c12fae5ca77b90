//! `POST /api/user`, `GET /api/user`, `DELETE /api/user`: the caller's ACS identity.

use super::caller::Authenticated;
use crate::{error::ApiError, identity, state::AppState};
use axum::{extract::State, http::StatusCode, Json};
use serde::Serialize;

/// The body of the three: `{"acsUserIdentity": "8:acs:..."}`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UserBody {
    acs_user_identity: String,
}

/// 201 when it created the caller's identity, 200 when the caller had one.
pub(crate) async fn post_user(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
) -> Result<(StatusCode, Json<UserBody>), ApiError> {
    let ensured = identity::get_or_create(&state, &caller.app_user, None).await?;
    let status = if ensured.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(UserBody {
            acs_user_identity: ensured.mapping.acs_user_id,
        }),
    ))
}

/// 200 with the caller's identity, 404 when it has none.
pub(crate) async fn get_user(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
) -> Result<Json<UserBody>, ApiError> {
    match state.store.get(&caller.app_user).await? {
        Some(mapping) => Ok(Json(UserBody {
            acs_user_identity: mapping.acs_user_id,
        })),
        None => Err(no_identity()),
    }
}

/// 204: the mapping removed, then the identity deleted (retried later if that fails);
/// 404 when the caller has none.
pub(crate) async fn delete_user(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
) -> Result<StatusCode, ApiError> {
    if identity::remove(&state, &caller.app_user).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(no_identity())
    }
}

pub(crate) fn no_identity() -> ApiError {
    ApiError::not_found(
        "UserNotFound",
        "the caller has no ACS identity; create one with POST /api/user",
    )
}
