//! `POST /api/token/revoke`: revokes every token of the caller's identity (e.g. after a
//! password change), everywhere: the store's revocation count makes every instance drop
//! its cached ones.

use super::{caller::Authenticated, user::no_identity};
use crate::{error::ApiError, state::AppState};
use axum::{extract::State, http::StatusCode};
use time::OffsetDateTime;

pub(crate) async fn revoke(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
) -> Result<StatusCode, ApiError> {
    let mapping = state
        .store
        .get(&caller.app_user)
        .await?
        .ok_or_else(no_identity)?;
    state
        .acs
        .revoke_tokens(&mapping.acs_user_id)
        .await
        .map_err(|f| f.error)?;
    state.cache.drop_identity(&mapping.acs_user_id);
    state
        .store
        .record_revocation(&mapping.acs_user_id, OffsetDateTime::now_utc())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
