//! `GET /api/token?scopes=chat,voip&expiresInMinutes=60`: an ACS token for the caller's
//! identity, from the cache when it has a usable one.

use super::{caller::Authenticated, user::no_identity};
use crate::{
    cache::{CacheKey, CachedToken},
    error::ApiError,
    identity::{self, WithToken},
    scopes::parse_scopes,
    state::AppState,
};
use acs_identity::{AccessToken, CommunicationTokenScope};
use axum::{
    extract::{rejection::QueryRejection, Query, State},
    Json,
};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The query of `GET /api/token`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TokenQuery {
    scopes: Option<String>,
    expires_in_minutes: Option<String>,
}

/// `{"token", "expiresOn", "user": {"communicationUserId"}}`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TokenBody {
    token: String,
    expires_on: String,
    user: UserId,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UserId {
    communication_user_id: String,
}

pub(crate) async fn get_token(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
    query: Result<Query<TokenQuery>, QueryRejection>,
) -> Result<Json<TokenBody>, ApiError> {
    let Query(query) = query.map_err(|e| {
        ApiError::bad_request(format!(
            "the query is not valid ({e}); expected scopes=chat,voip and/or expiresInMinutes=60..1440"
        ))
    })?;
    let scopes = match query.scopes.as_deref() {
        None => state.config.default_scopes.clone(),
        Some(list) => parse_scopes(list).map_err(ApiError::bad_request)?,
    };
    let lifetime_minutes = query
        .expires_in_minutes
        .as_deref()
        .map(parse_minutes)
        .transpose()?;
    let lifetime = lifetime_minutes.map(|m| Duration::from_secs(u64::from(m) * 60));
    let mut names: Vec<&str> = scopes.iter().map(CommunicationTokenScope::as_str).collect();
    names.sort_unstable();
    names.dedup();
    let scopes_key = names.join(",");

    let mapping = if state.config.require_user {
        state
            .store
            .get(&caller.app_user)
            .await?
            .ok_or_else(no_identity)?
    } else {
        match state.store.get(&caller.app_user).await? {
            Some(mapping) => mapping,
            None => {
                // First use: create the identity with its token in one ACS call (the
                // token is cached before concurrent requests of the user go on).
                let mut ensured = identity::get_or_create(
                    &state,
                    &caller.app_user,
                    Some(WithToken {
                        scopes: &scopes,
                        lifetime,
                        scopes_key: &scopes_key,
                        lifetime_minutes,
                    }),
                )
                .await?;
                if let Some(token) = ensured.token.take() {
                    state.metrics.cache(false);
                    return Ok(body(&ensured.mapping.acs_user_id, &token));
                }
                ensured.mapping
            }
        }
    };

    if !state.cache.enabled() {
        state.metrics.cache(false);
        let token = state
            .acs
            .get_token(&mapping.acs_user_id, &scopes, lifetime)
            .await
            .map_err(|f| f.error)?;
        return Ok(body(&mapping.acs_user_id, &token));
    }
    let key = CacheKey {
        acs_user_id: mapping.acs_user_id.clone(),
        scopes: scopes_key,
        lifetime_minutes,
    };
    // Concurrent misses of one key: the first issues, the others find its token.
    let slot = state.cache.slot(&key);
    let mut cached = slot.lock().await;
    if let Some(c) = cached
        .as_ref()
        .filter(|c| state.cache.usable(c, mapping.revocations))
    {
        state.metrics.cache(true);
        return Ok(body(&mapping.acs_user_id, &c.token));
    }
    state.metrics.cache(false);
    let token = state
        .acs
        .get_token(&mapping.acs_user_id, &scopes, lifetime)
        .await
        .map_err(|f| f.error)?;
    *cached = Some(CachedToken {
        token: token.clone(),
        revocations: mapping.revocations,
    });
    Ok(body(&mapping.acs_user_id, &token))
}

fn body(acs_user_id: &str, token: &AccessToken) -> Json<TokenBody> {
    Json(TokenBody {
        token: token.token.secret().to_owned(),
        expires_on: super::rfc3339(token.expires_on),
        user: UserId {
            communication_user_id: acs_user_id.to_owned(),
        },
    })
}

fn parse_minutes(value: &str) -> Result<u32, ApiError> {
    value
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|m| (60..=1440).contains(m))
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "expiresInMinutes {:?} is not valid; expected a whole number of minutes from 60 to 1440",
                value.chars().take(16).collect::<String>()
            ))
        })
}
