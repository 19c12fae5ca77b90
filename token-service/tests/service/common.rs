//! The harness: the emulator, a store, a test authenticator and the service's router,
//! called in-process (no listener of the service's own).

use acs_identity::{CommunicationIdentityClient, CommunicationIdentityClientOptions};
use acs_identity_emulator::Emulator;
use acs_token_service::{
    caller::{Caller, CallerAuthenticator, Rejection, RejectionKind},
    store::MappingStore,
    ServiceConfig, TokenService,
};
use async_trait::async_trait;
use axum::{
    body::Body,
    http::{HeaderMap, Method, Request, StatusCode},
    Router,
};
use http_body_util::BodyExt;
use serde_json::Value;
use std::sync::Arc;
use tower::ServiceExt;

/// `Authorization: Bearer user:NAME` is app user `test|NAME` with object id `NAME`;
/// no header is MissingToken; any other bearer is InvalidToken.
pub struct TestAuth;

#[async_trait]
impl CallerAuthenticator for TestAuth {
    async fn authenticate(&self, headers: &HeaderMap) -> Result<Caller, Rejection> {
        let Some(value) = headers.get("authorization") else {
            return Err(Rejection::new(
                RejectionKind::MissingToken,
                "no Authorization header",
            ));
        };
        let name = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer user:"))
            .ok_or_else(|| Rejection::new(RejectionKind::InvalidToken, "not a test bearer"))?;
        Ok(Caller {
            app_user: format!("test|{name}"),
            object_id: Some(name.to_owned()),
        })
    }
}

/// A fresh SQLite mapping store in a temp dir (removed when the [`TestStore`] drops).
pub struct TestStore {
    pub store: Arc<dyn MappingStore>,
    _dir: tempfile::TempDir,
}

pub async fn new_store() -> TestStore {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("mappings.db").display());
    let store = acs_token_service::store::open(&url)
        .await
        .expect("SQLite store opens");
    TestStore { store, _dir: dir }
}

pub fn client(emulator: &Emulator) -> CommunicationIdentityClient {
    CommunicationIdentityClient::from_connection_string(emulator.connection_string(), None)
        .expect("the emulator's connection string")
}

/// A client that does not retry (for throttling tests: no real waits).
pub fn client_without_retries(emulator: &Emulator) -> CommunicationIdentityClient {
    let mut options = CommunicationIdentityClientOptions::default();
    options.client_options.retry = azure_core::http::RetryOptions::none();
    CommunicationIdentityClient::from_connection_string(emulator.connection_string(), Some(options))
        .expect("the emulator's connection string")
}

pub fn service(
    client: CommunicationIdentityClient,
    store: Arc<dyn MappingStore>,
    config: ServiceConfig,
) -> TokenService {
    TokenService::builder()
        .client(client)
        .store(store)
        .authenticator(Arc::new(TestAuth))
        .config(config)
        .build()
        .expect("all parts given")
}

pub struct Harness {
    pub emulator: Emulator,
    pub store: Arc<dyn MappingStore>,
    _store: TestStore,
    pub service: TokenService,
    pub router: Router,
}

pub async fn harness(config: ServiceConfig) -> Harness {
    let emulator = Emulator::builder().start().await.expect("emulator starts");
    let test_store = new_store().await;
    let store = test_store.store.clone();
    let service = service(client(&emulator), store.clone(), config);
    let router = service.router();
    Harness {
        emulator,
        store,
        _store: test_store,
        service,
        router,
    }
}

/// A response: status, headers, body as JSON (`Value::Null` when empty or not JSON) and
/// as text.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub json: Value,
    pub text: String,
}

pub async fn call(router: &Router, method: Method, uri: &str, user: Option<&str>) -> Answer {
    call_with(router, method, uri, user, &[]).await
}

pub async fn call_with(
    router: &Router,
    method: Method,
    uri: &str,
    user: Option<&str>,
    headers: &[(&str, &str)],
) -> Answer {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(user) = user {
        request = request.header("authorization", format!("Bearer user:{user}"));
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = router
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .expect("the router answers");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Answer {
        status,
        headers,
        json,
        text,
    }
}

/// `{"code", "message"}` with exactly those two keys.
pub fn assert_error_body(answer: &Answer, code: &str) {
    let object = answer
        .json
        .as_object()
        .unwrap_or_else(|| panic!("not JSON: {}", answer.text));
    assert_eq!(object.len(), 2, "{}", answer.text);
    assert_eq!(object["code"], code, "{}", answer.text);
    assert!(object["message"].as_str().is_some_and(|m| !m.is_empty()));
}

/// The value of a metric line `name{labels} value` in `/metrics`, 0 when absent.
pub fn metric(text: &str, name_and_labels: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(name_and_labels)?.strip_prefix(' '))
        .map_or(0.0, |v| v.trim().parse().unwrap())
}
