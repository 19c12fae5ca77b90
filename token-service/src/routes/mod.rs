//! The routes, one handler per file.

mod caller;
mod health;
mod metrics;
mod revoke;
mod teams;
mod token;
mod user;

pub use teams::TEAMS_TOKEN_HEADER;

use crate::state::AppState;
use axum::{
    middleware,
    routing::{get, post},
    Router,
};
use time::OffsetDateTime;

/// Every route: the app routes under `prefix`, health and metrics at the root.
pub(crate) fn router(state: AppState) -> Router {
    let prefix = state.config.prefix.trim_end_matches('/').to_owned();
    Router::new()
        .route(
            &format!("{prefix}/user"),
            post(user::post_user)
                .get(user::get_user)
                .delete(user::delete_user),
        )
        .route(&format!("{prefix}/token"), get(token::get_token))
        .route(&format!("{prefix}/token/revoke"), post(revoke::revoke))
        .route(&format!("{prefix}/token/teams"), get(teams::teams_token))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::metrics))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .with_state(state)
}

/// `2026-12-07T21:00:00Z`, as the hero samples' `expiresOn`.
fn rfc3339(at: OffsetDateTime) -> String {
    azure_core::time::to_rfc3339(&at)
}
