//! `GET /healthz` (the process answers) and `GET /readyz` (the store answers too).

use crate::{error::ApiError, state::AppState};
use axum::{extract::State, Json};
use serde_json::{json, Value};

pub(crate) async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

pub(crate) async fn readyz(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    state.store.ping().await?;
    Ok(Json(json!({"status": "ready"})))
}
