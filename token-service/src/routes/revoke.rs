//! `POST /api/token/revoke`: revokes every token of the caller's identity (e.g. after a
//! password change), everywhere: the store's revocation count makes every instance drop
//! its cached ones.

use super::{caller::Authenticated, user::no_identity};
use crate::{error::ApiError, identity, state::AppState};
use axum::{extract::State, http::StatusCode};
use time::OffsetDateTime;

pub(crate) async fn revoke(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
) -> Result<StatusCode, ApiError> {
    // In the `acs-custom-id` mode a remembered identity may have been deleted through
    // another instance: on ACS's 404 it is forgotten and the current one revoked, once.
    let mut retried = false;
    let mapping = loop {
        let mapping = identity::find(&state, &caller.app_user)
            .await?
            .ok_or_else(no_identity)?;
        match state.acs.revoke_tokens(&mapping.acs_user_id).await {
            Ok(()) => break mapping,
            Err(failure) if state.custom_ids && failure.status == Some(404) && !retried => {
                retried = true;
                identity::forget(&state, &caller.app_user, &mapping.acs_user_id).await?;
            }
            Err(failure) => return Err(failure.error),
        }
    };
    state.cache.drop_identity(&mapping.acs_user_id);
    state
        .store
        .record_revocation(&mapping.acs_user_id, OffsetDateTime::now_utc())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
