//! The request flow, readable top to bottom in [`app`]: the routes, one handler per
//! operation, and the layers around them. Handlers answer `Result<Response, AcsError>`; every
//! error is an ACS error body (`AcsError: IntoResponse`).

mod emulator;
mod fallback;
mod identities;
mod identity_key;
mod response;
mod teams;
mod tokens;

use crate::api_version::Api;
use crate::layers::api_version::supported_header;
use crate::layers::canonical_path::{canonicalize, EMULATOR_PREFIX};
use crate::layers::{api_version, auth, body_limit, faults, request_id};
use crate::state::AppState;
use axum::http::Request;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{delete, get, post, MethodRouter};
use axum::Router;
use hyper::body::Incoming;
use std::sync::Arc;
use tower::util::MapRequest;
use tower::ServiceBuilder;

/// The service the server runs: [`canonicalize`] (which must run before routing), then the
/// router. The body is hyper's for the server, axum's for the in-process service
/// (`EmulatorBuilder::service`).
pub(crate) type App<B = Incoming> = MapRequest<Router, fn(Request<B>) -> Request<B>>;

/// Every request, in order:
///
/// 1. the path is rewritten to its canonical spelling (case-insensitive literals, `%3A`
///    colons), keeping the original target for HMAC and messages;
/// 2. `x-ms-client-request-id` is echoed on whatever the answer is;
/// 3. ACS API only (not `/_emulator/*`): fault injection, then the body limit (413), then
///    authentication (401), then routing (404);
/// 4. per ACS route: `api-supported-versions` on the answer, the method (405 with `Allow`),
///    the `api-version` (400), then the handler.
///
/// `/_emulator/*` gets the body limit and its own routes, without faults or authentication.
pub(crate) fn app<B>(state: Arc<AppState>) -> App<B> {
    let acs = Router::new()
        .without_v07_checks() // `:issueAccessToken` is a literal segment, not a capture
        .route(
            "/identities",
            acs_route(&state, Api::Identities, post(identities::create)),
        )
        .route(
            "/identities/{id}",
            acs_route(&state, Api::Identities, delete(identities::delete)),
        )
        .route(
            "/identities/{id}/:issueAccessToken",
            acs_route(&state, Api::Identities, post(tokens::issue)),
        )
        .route(
            "/identities/{id}/:revokeAccessTokens",
            acs_route(&state, Api::Identities, post(tokens::revoke)),
        )
        .route(
            "/teamsUser/:exchangeAccessToken",
            acs_route(&state, Api::TeamsExchange, post(teams::exchange)),
        )
        .fallback(fallback::no_route)
        .layer(
            ServiceBuilder::new() // outermost first
                .layer(from_fn_with_state(Arc::clone(&state), faults::inject))
                .layer(from_fn_with_state(Arc::clone(&state), body_limit::limit))
                .layer(from_fn_with_state(Arc::clone(&state), auth::authenticate)),
        );

    let emulator = Router::new()
        .route(
            "/health",
            get(emulator::health).fallback(fallback::method_not_allowed),
        )
        .route(
            "/tokens:validate",
            get(emulator::validate_query)
                .post(emulator::validate_body)
                .fallback(fallback::method_not_allowed),
        )
        .fallback(fallback::no_route)
        .layer(from_fn_with_state(Arc::clone(&state), body_limit::limit));

    let router = Router::new()
        .without_v07_checks()
        .merge(acs)
        .nest(EMULATOR_PREFIX, emulator)
        .layer(from_fn(request_id::echo))
        .with_state(state);
    ServiceBuilder::new()
        .map_request(canonicalize::<B> as fn(Request<B>) -> Request<B>)
        .service(router)
}

/// One ACS operation: `api-supported-versions` on every answer (405 included), 405 for
/// another method, and the `api-version` check before the handler.
fn acs_route(
    state: &Arc<AppState>,
    api: Api,
    operation: MethodRouter<Arc<AppState>>,
) -> MethodRouter<Arc<AppState>> {
    operation
        .route_layer(from_fn_with_state(
            (Arc::clone(state), api),
            api_version::check,
        ))
        .fallback(fallback::method_not_allowed)
        .layer(from_fn_with_state(
            supported_header(api),
            api_version::advertise,
        ))
}
