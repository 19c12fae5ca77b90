//! Authentication (HMAC-SHA256 or bearer, see [`crate::auth`]) of every ACS request, after the
//! body limit and before routing: an unauthenticated request learns nothing, not even 404.
//! The two exchanges that take the user's own Entra ID token (see
//! [`crate::paths::takes_user_token`]) accept only a bearer token, which their handler decodes.

use super::body_limit::buffered;
use super::{original_target, request_host};
use crate::auth::RequestView;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

pub(crate) async fn authenticate(
    State(state): State<Arc<AppState>>,
    req: Request,
    next: Next,
) -> Response {
    let (parts, body) = req.into_parts();
    let body = match buffered(body).await {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let view = RequestView {
        method: parts.method.as_str(),
        path_and_query: original_target(&parts.extensions, &parts.uri),
        host: request_host(&parts.headers, &parts.uri),
        headers: &parts.headers,
        body: &body,
        now: state.now(),
    };
    let verdict = if crate::paths::takes_user_token(parts.uri.path()) {
        state.auth.authenticate_user_token(&view)
    } else {
        state.auth.authenticate(&view)
    };
    match verdict {
        Ok(()) => next.run(Request::from_parts(parts, Body::from(body))).await,
        Err(e) => e.into_response(),
    }
}
