//! `POST /teamsUser/:exchangeAccessToken` (2022-06-01 on).
//!
//! The Entra ID token is decoded by [`crate::entra_token`] (its signature is NOT checked: the
//! emulator cannot reach Entra ID). Checked: it is a JWT whose payload is JSON with a numeric
//! `exp` in the future; `appid` (or `azp` for v2 tokens) equals `appId`; `oid` equals `userId`
//! (GUIDs compared case-insensitively). The ACS token expires when the Entra token does.

use super::response::json;
use crate::body::{self, TeamsExchangeRequest};
use crate::entra_token;
use crate::errors::AcsError;
use crate::layers::body_limit::Buffered;
use crate::state::AppState;
use crate::timefmt;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use std::sync::Arc;

/// 200 with an ACS token for the Teams user (`8:orgid:<oid>`), scope `voip`.
///
/// Order of checks, chosen to agree with the recorded service answers: `appId` present (400),
/// the Entra token usable (401; also when `userId` is empty, as recorded), `appId` matches
/// (400), `userId` present (400, target `UserId`), `userId` matches (400, target `userId`).
pub(super) async fn exchange(
    State(state): State<Arc<AppState>>,
    Buffered(bytes): Buffered,
) -> Result<Response, AcsError> {
    let req: TeamsExchangeRequest = body::parse(&bytes)?;
    let app_id = req.app_id.as_deref().unwrap_or("");
    if app_id.trim().is_empty() {
        return Err(AcsError::validation(
            "AppId: The AppId field is required.",
            "AppId",
        ));
    }
    let now = state.now().unix_timestamp();
    let (claims, exp) = entra_token::usable(req.token.as_deref().unwrap_or(""), now)
        .map_err(|_| AcsError::invalid_access_token())?;
    let token_app = claims.client_id().unwrap_or("");
    if !token_app.eq_ignore_ascii_case(app_id.trim()) {
        return Err(AcsError::validation(
            "AAD application is not the expected one.",
            "appId",
        ));
    }
    let user_id = req.user_id.as_deref().unwrap_or("").trim();
    if user_id.is_empty() {
        // Model binding's wording (PascalCase target): an empty required string is missing.
        return Err(AcsError::validation(
            "UserId: The UserId field is required.",
            "UserId",
        ));
    }
    let oid = claims.oid.as_deref().unwrap_or("");
    if !oid.eq_ignore_ascii_case(user_id) {
        return Err(AcsError::validation(
            "Provided AAD token issued for unexpected user.",
            "userId",
        ));
    }
    let raw_id = format!("8:orgid:{}", oid.to_ascii_lowercase());
    let issued = state.issue(&raw_id, "voip".to_owned(), now, exp, 0);
    let expires_on = timefmt::expires_on(issued.exp);
    let body = super::tokens::AccessToken {
        token: &issued.token,
        expires_on: &expires_on,
    };
    Ok(json(StatusCode::OK, &body))
}
