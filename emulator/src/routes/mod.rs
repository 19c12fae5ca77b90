//! The request flow, readable top to bottom in [`app`]: the routes, one handler per
//! operation, and the layers around them. Handlers answer `Result<Response, AcsError>`; every
//! error is an ACS error body (`AcsError: IntoResponse`).

mod assignment_body;
mod assignment_request;
mod assignments;
mod emulator;
mod entra_assignments;
mod exchange;
mod fallback;
mod identities;
mod identity_key;
mod response;
mod teams;
mod tokens;

use crate::api_version::Operation;
use crate::errors::AcsError;
use crate::layers::api_version::{supported_header, with_supported};
use crate::layers::canonical_path::{canonicalize, EMULATOR_PREFIX};
use crate::layers::{api_version, auth, body_limit, faults, latency, request_id, throttle};
use crate::paths;
use crate::state::AppState;
use axum::http::{Method, Request};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use axum::routing::{delete, get, patch, post, MethodRouter};
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
/// 3. ACS API only (not `/_emulator/*`): the `--latency` delay (held back after the answer is
///    ready, whatever it is), fault injection, then the body limit (413), then authentication
///    (401), then routing (404);
/// 4. per ACS path: the method (405 with `Allow`), then per operation `api-supported-versions`
///    on the answer, the `api-version` (400: also for an operation the version lacks), the
///    `--throttle` window of the operation (429), then the handler.
///
/// `/_emulator/*` gets the body limit and its own routes, without faults or authentication.
pub(crate) fn app<B>(state: Arc<AppState>) -> App<B> {
    let acs = Router::new()
        .without_v07_checks() // `:issueAccessToken` is a literal segment, not a capture
        .route(
            "/identities",
            acs_path(
                &state,
                [(Operation::CreateIdentity, post(identities::create))],
            ),
        )
        .route(
            "/identities/{id}",
            acs_path(
                &state,
                [
                    (Operation::DeleteIdentity, delete(identities::delete)),
                    (Operation::GetIdentity, get(identities::get)),
                ],
            ),
        )
        .route(
            "/identities/{id}/:issueAccessToken",
            acs_path(&state, [(Operation::IssueToken, post(tokens::issue))]),
        )
        .route(
            "/identities/{id}/:revokeAccessTokens",
            acs_path(&state, [(Operation::RevokeTokens, post(tokens::revoke))]),
        )
        .route(
            "/teamsUser/:exchangeAccessToken",
            acs_path(
                &state,
                [(Operation::TeamsUserExchange, post(teams::exchange))],
            ),
        )
        .route(
            paths::TEAMS_EXTENSION_ASSIGNMENT,
            acs_path(
                &state,
                [(
                    Operation::TeamsExtensionAssignment,
                    get(assignments::get)
                        .put(assignments::put)
                        .delete(assignments::delete),
                )],
            ),
        )
        .route(
            paths::TEAMS_EXTENSION_EXCHANGE,
            acs_path(
                &state,
                [(
                    Operation::TeamsExtensionExchange,
                    post(exchange::teams_extension),
                )],
            ),
        )
        .route(
            paths::ENTRA_EXCHANGE,
            acs_path(&state, [(Operation::EntraExchange, post(exchange::entra))]),
        )
        .route(
            "/access/entra/assignments",
            acs_path(
                &state,
                [(
                    Operation::EntraAssignments,
                    get(entra_assignments::list).merge(patch(entra_assignments::patch)),
                )],
            ),
        )
        .route(
            "/access/entra/assignments/{objectId}",
            acs_path(
                &state,
                [(
                    Operation::EntraAssignments,
                    get(entra_assignments::get)
                        .put(entra_assignments::put)
                        .delete(entra_assignments::delete),
                )],
            ),
        )
        .fallback(fallback::no_route)
        .layer(
            ServiceBuilder::new() // outermost first
                .layer(from_fn_with_state(Arc::clone(&state), latency::delay))
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

/// One ACS path and its operations. Each operation gets its own `api-supported-versions` and
/// `api-version` check; another method gets 405 with `Allow` and the versions of all of them.
fn acs_path<const N: usize>(
    state: &Arc<AppState>,
    operations: [(Operation, MethodRouter<Arc<AppState>>); N],
) -> MethodRouter<Arc<AppState>> {
    let all = operations.iter().map(|(op, _)| *op).collect::<Vec<_>>();
    let mut path = MethodRouter::new();
    for (op, methods) in operations {
        path = path.merge(
            methods
                .route_layer(from_fn_with_state((Arc::clone(state), op), throttle::limit))
                .route_layer(from_fn_with_state(
                    (Arc::clone(state), op),
                    api_version::check,
                ))
                .layer(from_fn_with_state(
                    supported_header(&[op]),
                    api_version::advertise,
                )),
        );
    }
    let versions = supported_header(&all);
    path.fallback(move |method: Method| async move {
        with_supported(
            AcsError::method_not_allowed(method.as_str()).into_response(),
            versions,
        )
    })
}
