//! `--latency`: every ACS answer (not `/_emulator/*`) is held back by a fixed delay after it is
//! ready, as a network round trip would, so that users can test their timeouts and benchmarks
//! can measure a client at a realistic distance. The delay runs on tokio's clock (a test with
//! a paused clock advances it without sleeping), not on the emulator's [`crate::Clock`].

use crate::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;

pub(crate) async fn delay(
    State(state): State<Arc<AppState>>,
    req: Request,
    next: Next,
) -> Response {
    let answer = next.run(req).await;
    if !state.latency.is_zero() {
        tokio::time::sleep(state.latency).await;
    }
    answer
}
