//! A counting reverse proxy on 127.0.0.1 between the token service and the emulator: the
//! bench's own count of ACS calls per operation and status, independent of the service's
//! `/metrics`.
//!
//! The service's connection string names the proxy's address, so the SDK signs (HMAC) for the
//! proxy's host; the proxy forwards method, path, query, headers (Host as received) and body
//! unchanged, so the signature the emulator checks against the Host it receives still holds.

use axum::{
    body::{to_bytes, Body},
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Response, StatusCode, Uri},
    Router,
};
use hyper_util::{
    client::legacy::{connect::HttpConnector, Client},
    rt::TokioExecutor,
};
use std::{
    collections::{BTreeMap, HashMap},
    net::SocketAddr,
    sync::{Arc, Mutex},
};

const MAX_BODY: usize = 1 << 20;

/// ACS operations as the service's limits name them (anchors §2), plus what else may appear.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Op {
    Create,
    CreateUserAndToken,
    Issue,
    Revoke,
    Delete,
    Get,
    TeamsExchange,
    Other,
}

impl Op {
    pub const ALL: [Op; 8] = [
        Op::Create,
        Op::CreateUserAndToken,
        Op::Issue,
        Op::Revoke,
        Op::Delete,
        Op::Get,
        Op::TeamsExchange,
        Op::Other,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Op::Create => "create identity",
            Op::CreateUserAndToken => "createUserAndToken",
            Op::Issue => "issue token",
            Op::Revoke => "revoke tokens",
            Op::Delete => "delete identity",
            Op::Get => "get identity",
            Op::TeamsExchange => "Teams exchange",
            Op::Other => "other",
        }
    }

    /// Mints a token when it succeeds.
    pub fn issues(self) -> bool {
        matches!(self, Op::Issue | Op::CreateUserAndToken)
    }
}

/// What the proxy saw.
#[derive(Default)]
pub struct Counts {
    /// (operation, HTTP status or 0 for "no answer from the emulator") -> calls.
    pub calls: BTreeMap<(Op, u16), u64>,
    /// ACS identity -> successful token-minting calls for it (issue, createUserAndToken).
    pub tokens_minted: HashMap<String, u64>,
    /// ACS identity -> token-minting calls for it, whatever their answer.
    pub mint_attempts: HashMap<String, u64>,
    pub identities_created: u64,
    pub identities_deleted: u64,
}

impl Counts {
    pub fn total(&self, op: Op) -> u64 {
        self.calls
            .iter()
            .filter(|((o, _), _)| *o == op)
            .map(|(_, n)| n)
            .sum()
    }
}

#[derive(Clone)]
struct ProxyState {
    upstream: String,
    client: Client<HttpConnector, Body>,
    counts: Arc<Mutex<Counts>>,
}

pub struct CountingProxy {
    pub addr: SocketAddr,
    pub counts: Arc<Mutex<Counts>>,
    task: tokio::task::JoinHandle<()>,
}

impl CountingProxy {
    /// Listens on 127.0.0.1 (any port) and forwards to `upstream` (`http://127.0.0.1:PORT`).
    pub async fn start(upstream: &str) -> Self {
        assert!(
            upstream.starts_with("http://127.0.0.1:"),
            "loopback only: {upstream}"
        );
        let counts = Arc::new(Mutex::new(Counts::default()));
        let state = ProxyState {
            upstream: upstream.trim_end_matches('/').to_owned(),
            client: Client::builder(TokioExecutor::new()).build_http(),
            counts: Arc::clone(&counts),
        };
        let app = Router::new().fallback(forward).with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the proxy");
        let addr = listener.local_addr().expect("proxy address");
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("the proxy serves");
        });
        CountingProxy { addr, counts, task }
    }

    pub fn take_counts(&self) -> Counts {
        std::mem::take(&mut *self.counts.lock().unwrap())
    }
}

impl Drop for CountingProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Hop-by-hop headers (RFC 9110 §7.6.1) are not forwarded; hyper sets `content-length` for
/// the buffered body.
fn forwardable(headers: &HeaderMap) -> HeaderMap {
    let mut out = headers.clone();
    for name in [
        header::CONNECTION,
        header::TRANSFER_ENCODING,
        header::TE,
        header::UPGRADE,
        header::PROXY_AUTHORIZATION,
        header::PROXY_AUTHENTICATE,
        header::TRAILER,
    ] {
        out.remove(name);
    }
    out.remove("keep-alive");
    out
}

async fn forward(State(state): State<ProxyState>, request: Request) -> Response<Body> {
    let (parts, body) = request.into_parts();
    let Ok(body) = to_bytes(body, MAX_BODY).await else {
        return plain(StatusCode::PAYLOAD_TOO_LARGE, "proxy: body too large");
    };
    let path_and_query = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let (op, identity) = classify(parts.method.as_str(), parts.uri.path(), &body);
    let Ok(uri) = format!("{}{path_and_query}", state.upstream).parse::<Uri>() else {
        return plain(StatusCode::BAD_REQUEST, "proxy: bad target");
    };
    let mut upstream = axum::http::Request::new(Body::from(body));
    *upstream.method_mut() = parts.method;
    *upstream.uri_mut() = uri;
    // Host stays as received (the client sets it only when absent).
    *upstream.headers_mut() = forwardable(&parts.headers);

    let answer = match state.client.request(upstream).await {
        Ok(answer) => answer,
        Err(e) => {
            record(&state, op, 0, identity, None);
            return plain(StatusCode::BAD_GATEWAY, &format!("proxy: {e}"));
        }
    };
    let (parts, body) = answer.into_parts();
    let Ok(body) = to_bytes(Body::new(body), MAX_BODY).await else {
        record(&state, op, 0, identity, None);
        return plain(StatusCode::BAD_GATEWAY, "proxy: upstream body");
    };
    record(&state, op, parts.status.as_u16(), identity, Some(&body));
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = parts.status;
    *response.headers_mut() = forwardable(&parts.headers);
    response
}

fn plain(status: StatusCode, text: &str) -> Response<Body> {
    let mut response = Response::new(Body::from(text.to_owned()));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    response
}

/// The operation, and the identity of a per-identity path. Paths are compared as the
/// emulator does: case-insensitive literals, `%3A` for a colon.
fn classify(method: &str, path: &str, body: &[u8]) -> (Op, Option<String>) {
    let canonical = path.replace("%3A", ":").replace("%3a", ":");
    let segments: Vec<&str> = canonical.trim_matches('/').split('/').collect();
    let lower: Vec<String> = segments.iter().map(|s| s.to_ascii_lowercase()).collect();
    let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
    let id = |s: &str| Some(s.to_owned());
    match (method, lower.as_slice()) {
        ("POST", ["identities"]) => {
            let with_token = serde_json::from_slice::<serde_json::Value>(body)
                .ok()
                .and_then(|v| v.get("createTokenWithScopes")?.as_array().map(Vec::len))
                .is_some_and(|n| n > 0);
            if with_token {
                (Op::CreateUserAndToken, None)
            } else {
                (Op::Create, None)
            }
        }
        ("POST", ["identities", _, ":issueaccesstoken"]) => (Op::Issue, id(segments[1])),
        ("POST", ["identities", _, ":revokeaccesstokens"]) => (Op::Revoke, id(segments[1])),
        ("DELETE", ["identities", _]) => (Op::Delete, id(segments[1])),
        ("GET", ["identities", _]) => (Op::Get, id(segments[1])),
        ("POST", ["teamsuser", ":exchangeaccesstoken"]) => (Op::TeamsExchange, None),
        _ => (Op::Other, None),
    }
}

fn record(state: &ProxyState, op: Op, status: u16, identity: Option<String>, body: Option<&[u8]>) {
    let ok = (200..300).contains(&status);
    // createUserAndToken names its identity in the answer.
    let identity = identity.or_else(|| {
        let v: serde_json::Value = serde_json::from_slice(body?).ok()?;
        v.get("identity")?.get("id")?.as_str().map(str::to_owned)
    });
    let mut counts = state.counts.lock().unwrap();
    *counts.calls.entry((op, status)).or_default() += 1;
    if ok && matches!(op, Op::Create | Op::CreateUserAndToken) {
        counts.identities_created += 1;
    }
    if ok && op == Op::Delete {
        counts.identities_deleted += 1;
    }
    if op.issues() {
        if let Some(identity) = identity {
            *counts.mint_attempts.entry(identity.clone()).or_default() += 1;
            if ok {
                *counts.tokens_minted.entry(identity).or_default() += 1;
            }
        }
    }
}
