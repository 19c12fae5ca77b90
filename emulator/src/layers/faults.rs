//! Fault injection: decided first, before the body is read or the request authenticated, so a
//! faulted request has no effect.

use crate::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;

pub(crate) async fn inject(
    State(state): State<Arc<AppState>>,
    req: Request,
    next: Next,
) -> Response {
    match state.faults.as_ref().and_then(|f| f.check()) {
        Some(fault) => fault,
        None => next.run(req).await,
    }
}
