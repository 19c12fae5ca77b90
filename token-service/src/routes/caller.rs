//! [`Authenticated`]: the extractor that runs the service's [`CallerAuthenticator`].
//!
//! [`CallerAuthenticator`]: crate::caller::CallerAuthenticator

use crate::{caller::Caller, error::ApiError, state::AppState};
use axum::{extract::FromRequestParts, http::request::Parts};

/// The request's caller, as the configured authenticator found it; a refused caller is
/// answered with the rejection's status (401 with `WWW-Authenticate` for a bad token).
pub(crate) struct Authenticated(pub Caller);

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match state.authenticator.authenticate(&parts.headers).await {
            Ok(caller) => Ok(Self(caller)),
            Err(rejection) => {
                tracing::info!(kind = ?rejection.kind, reason = %rejection.message, "caller refused");
                Err(rejection.into())
            }
        }
    }
}
