//! Request dispatch: fault injection, body limit, authentication, routing (case-insensitive
//! literals, ids percent-encoded or not), api-version, then the operation.

mod emulator;
mod identities;
mod teams;
mod tokens;

use crate::api_version::{self, ApiVersion, ApiVersionParam};
use crate::auth::RequestView;
use crate::errors::{truncate, AcsError};
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, request::Parts, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

const SUCCESS_CONTENT_TYPE: HeaderValue =
    HeaderValue::from_static("application/json; charset=utf-8");
const API_SUPPORTED_VERSIONS: HeaderName = HeaderName::from_static("api-supported-versions");
const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("x-ms-client-request-id");

/// The operations, with the raw (undecoded) id segment where there is one.
#[derive(Debug, PartialEq, Eq)]
enum Route<'a> {
    Create,
    Identity(&'a str),
    Issue(&'a str),
    Revoke(&'a str),
    TeamsExchange,
}

impl Route<'_> {
    fn method(&self) -> Method {
        match self {
            Route::Identity(_) => Method::DELETE,
            _ => Method::POST,
        }
    }

    fn supported_versions(&self) -> &'static str {
        match self {
            Route::TeamsExchange => api_version::TEAMS_SUPPORTED,
            _ => api_version::IDENTITIES_SUPPORTED,
        }
    }
}

/// A path literal such as `:issueAccessToken`, compared case-insensitively; the colon may
/// arrive percent-encoded.
fn is_verb(segment: &str, verb: &str) -> bool {
    let rest = if let Some(r) = segment.strip_prefix(':') {
        r
    } else if segment
        .get(..3)
        .is_some_and(|p| p.eq_ignore_ascii_case("%3a"))
    {
        &segment[3..]
    } else {
        return false;
    };
    rest.eq_ignore_ascii_case(verb)
}

fn match_route(path: &str) -> Option<Route<'_>> {
    let p = path.strip_prefix('/')?;
    let p = p.strip_suffix('/').unwrap_or(p);
    let mut it = p.split('/');
    let first = it.next()?;
    let (second, third, fourth) = (it.next(), it.next(), it.next());
    if first.eq_ignore_ascii_case("identities") {
        match (second, third, fourth) {
            (None, _, _) => Some(Route::Create),
            (Some(id), None, _) if !id.is_empty() => Some(Route::Identity(id)),
            (Some(id), Some(verb), None) if !id.is_empty() => {
                if is_verb(verb, "issueAccessToken") {
                    Some(Route::Issue(id))
                } else if is_verb(verb, "revokeAccessTokens") {
                    Some(Route::Revoke(id))
                } else {
                    None
                }
            }
            _ => None,
        }
    } else if first.eq_ignore_ascii_case("teamsUser")
        && third.is_none()
        && second.is_some_and(|s| is_verb(s, "exchangeAccessToken"))
    {
        Some(Route::TeamsExchange)
    } else {
        None
    }
}

/// The single entry point for every request.
pub(crate) async fn dispatch(State(state): State<Arc<AppState>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let request_id = parts.headers.get(CLIENT_REQUEST_ID).cloned();
    let path = parts.uri.path();
    // Paths hold identity ids, which are not secrets; the query holds only api-version.
    tracing::debug!(method = %parts.method, path, "request");
    let mut resp = if path
        .get(..11)
        .is_some_and(|p| p.eq_ignore_ascii_case("/_emulator/"))
    {
        emulator::handle(&state, &parts, body).await
    } else {
        let mut supported = None;
        let resp = acs(&state, &parts, body, &mut supported).await;
        let mut resp = resp.unwrap_or_else(IntoResponse::into_response);
        if let Some(v) = supported {
            resp.headers_mut()
                .insert(API_SUPPORTED_VERSIONS, HeaderValue::from_static(v));
        }
        resp
    };
    if let Some(id) = request_id {
        resp.headers_mut().insert(CLIENT_REQUEST_ID, id);
    }
    resp
}

async fn acs(
    state: &AppState,
    parts: &Parts,
    body: Body,
    supported: &mut Option<&'static str>,
) -> Result<Response, AcsError> {
    if let Some(faults) = &state.faults {
        if let Some(resp) = faults.check() {
            return Ok(resp);
        }
    }
    let body = read_body(body, &parts.headers, state.max_body_bytes).await?;
    let path_and_query = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| parts.uri.authority().map(|a| a.as_str()));
    let now = state.now();
    state.auth.authenticate(&RequestView {
        method: parts.method.as_str(),
        path_and_query,
        host,
        headers: &parts.headers,
        body: &body,
        now,
    })?;

    let route = match_route(parts.uri.path()).ok_or_else(AcsError::no_route)?;
    *supported = Some(route.supported_versions());
    if parts.method != route.method() {
        let mut resp = AcsError::method_not_allowed(parts.method.as_str()).into_response();
        resp.headers_mut().insert(
            header::ALLOW,
            HeaderValue::from_static(if route.method() == Method::POST {
                "POST"
            } else {
                "DELETE"
            }),
        );
        return Ok(resp);
    }

    let version = match api_version::find_api_version(parts.uri.query()) {
        ApiVersionParam::Missing => {
            return Err(AcsError::new(
                StatusCode::BAD_REQUEST,
                "ApiVersionUnspecified",
                "An API version is required, but was not specified.",
            ))
        }
        ApiVersionParam::Ambiguous => {
            return Err(AcsError::new(
                StatusCode::BAD_REQUEST,
                "AmbiguousApiVersion",
                "More than one API version was requested. At most, only a single API version may be specified.",
            ))
        }
        ApiVersionParam::Value(v) => {
            let parsed = ApiVersion::parse(&v).filter(|v| {
                route != Route::TeamsExchange || v.has_teams_exchange()
            });
            match parsed {
                Some(p) => p,
                None => {
                    return Err(AcsError::new(
                        StatusCode::BAD_REQUEST,
                        "UnsupportedApiVersion",
                        format!(
                            "The HTTP resource that matches the request URI '{}://{}{}' does not support the API version '{}'.",
                            state.scheme,
                            truncate(host.unwrap_or("localhost"), 256),
                            truncate(path_and_query, 1024),
                            truncate(&v, 64)
                        ),
                    ))
                }
            }
        }
    };

    match route {
        Route::Create => identities::create(state, version, &body).await,
        Route::Identity(id) => identities::delete(state, id).await,
        Route::Issue(id) => tokens::issue(state, version, id, &body).await,
        Route::Revoke(id) => tokens::revoke(state, id).await,
        Route::TeamsExchange => teams::exchange(state, &body),
    }
}

/// Reads the whole body, refusing more than `limit` bytes with 413.
async fn read_body(
    body: Body,
    headers: &axum::http::HeaderMap,
    limit: usize,
) -> Result<Bytes, AcsError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(AcsError::body_too_large(limit));
    }
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        let too_large = std::error::Error::source(&e)
            .is_some_and(|s| s.is::<http_body_util::LengthLimitError>())
            || e.to_string().contains("length limit");
        if too_large {
            AcsError::body_too_large(limit)
        } else {
            AcsError::bad_body("the body could not be read")
        }
    })
}

/// A JSON success answer.
fn json(status: StatusCode, body: Vec<u8>) -> Response {
    let mut resp = (status, body).into_response();
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, SUCCESS_CONTENT_TYPE);
    resp
}

/// `204 No Content`.
fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// Decodes an id segment and checks it belongs to this resource; the store key on success.
fn owned_key(state: &AppState, raw_segment: &str) -> Result<String, AcsError> {
    let id = crate::ids::decode_segment(raw_segment).ok_or_else(AcsError::identity_not_owned)?;
    crate::ids::owned_key(&id, &state.owned_prefix).ok_or_else(AcsError::identity_not_owned)
}

fn unix_ms(t: time::OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        assert_eq!(match_route("/identities"), Some(Route::Create));
        assert_eq!(match_route("/IDENTITIES/"), Some(Route::Create));
        assert_eq!(
            match_route("/identities/8%3Aacs%3Ax"),
            Some(Route::Identity("8%3Aacs%3Ax"))
        );
        assert_eq!(
            match_route("/identities/8:acs:x/:issueAccessToken"),
            Some(Route::Issue("8:acs:x"))
        );
        assert_eq!(
            match_route("/identities/x/:ISSUEACCESSTOKEN"),
            Some(Route::Issue("x"))
        );
        assert_eq!(
            match_route("/identities/x/%3ArevokeAccessTokens"),
            Some(Route::Revoke("x"))
        );
        assert_eq!(match_route("/identities/x/revokeAccessTokens"), None);
        assert_eq!(match_route("/identities/x/:other"), None);
        assert_eq!(match_route("/identities//:issueAccessToken"), None);
        assert_eq!(
            match_route("/teamsuser/:exchangeaccesstoken"),
            Some(Route::TeamsExchange)
        );
        assert_eq!(match_route("/teamsUser"), None);
        assert_eq!(match_route("/"), None);
        assert_eq!(match_route(""), None);
        assert_eq!(match_route("/identities/a/b/c"), None);
        assert_eq!(match_route("/identities/x/:é"), None);
        assert_eq!(match_route("/identities/x/é€"), None);
        assert_eq!(match_route("/é€/x"), None);
    }
}
