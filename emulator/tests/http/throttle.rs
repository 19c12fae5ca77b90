//! `--throttle` (`EmulatorBuilder::throttle`): per operation, the request over the limit of
//! its window gets `429 TooManyRequests` with `Retry-After`; once the window moved on it
//! passes; other operations keep their own windows. In process (`EmulatorBuilder::service`)
//! on tokio's paused clock: nothing sleeps.

use acs_identity_emulator::{Emulator, ThrottleConfig, ThrottleLimit, ThrottledOperation};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{json, Value};
use std::convert::Infallible;
use std::time::Duration;
use tower::{Service, ServiceExt};

struct Answer {
    status: StatusCode,
    retry_after: Option<String>,
    body: Value,
}

async fn call<S>(service: &S, method: &str, target: &str, body: Value) -> Answer
where
    S: Service<Request<Body>, Response = axum::response::Response, Error = Infallible> + Clone,
{
    let body = if body.is_null() {
        Body::empty()
    } else {
        Body::from(body.to_string())
    };
    let request = Request::builder()
        .method(method)
        .uri(target)
        .header("Host", "127.0.0.1")
        .header("Authorization", "Bearer test-token")
        .body(body)
        .unwrap();
    let answer = service.clone().oneshot(request).await.unwrap();
    let status = answer.status();
    let retry_after = answer
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    let bytes = axum::body::to_bytes(answer.into_body(), usize::MAX)
        .await
        .unwrap();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Answer {
        status,
        retry_after,
        body,
    }
}

const V: &str = "api-version=2026-09-23";

fn issue_target(id: &str) -> String {
    format!(
        "/identities/{}/:issueAccessToken?{V}",
        id.replace(':', "%3A")
    )
}

fn revoke_target(id: &str) -> String {
    format!(
        "/identities/{}/:revokeAccessTokens?{V}",
        id.replace(':', "%3A")
    )
}

fn assert_throttled(a: &Answer, retry_after: &str, operation: &str) {
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "{}", a.body);
    assert_eq!(a.retry_after.as_deref(), Some(retry_after));
    assert_eq!(a.body["error"]["code"], "TooManyRequests");
    let message = a.body["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with(&format!(
            "Rate limit is exceeded. Try again in {retry_after} seconds."
        )),
        "{message}"
    );
    assert!(message.contains(operation), "{message}");
}

#[tokio::test(start_paused = true)]
async fn the_request_over_the_limit_waits_for_its_window() {
    let config: ThrottleConfig = "issue=3/5s".parse().unwrap();
    let service = Emulator::builder().throttle(config).service().unwrap();
    let created = call(&service, "POST", &format!("/identities?{V}"), Value::Null).await;
    assert_eq!(created.status, StatusCode::CREATED);
    let id = created.body["identity"]["id"].as_str().unwrap().to_owned();
    let scopes = json!({"scopes": ["chat"]});

    for _ in 0..3 {
        let a = call(&service, "POST", &issue_target(&id), scopes.clone()).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        assert_eq!(a.retry_after, None);
    }
    let over = call(&service, "POST", &issue_target(&id), scopes.clone()).await;
    assert_throttled(&over, "5", "issue");

    // Other operations keep their own windows.
    let revoke = call(&service, "POST", &revoke_target(&id), Value::Null).await;
    assert_eq!(revoke.status, StatusCode::NO_CONTENT);
    let create = call(&service, "POST", &format!("/identities?{V}"), Value::Null).await;
    assert_eq!(create.status, StatusCode::CREATED);

    // Two seconds on, the window is still full: three seconds to wait.
    tokio::time::advance(Duration::from_secs(2)).await;
    let still = call(&service, "POST", &issue_target(&id), scopes.clone()).await;
    assert_throttled(&still, "3", "issue");

    // Five seconds after the first three, the window has let them go: requests pass again.
    tokio::time::advance(Duration::from_secs(3)).await;
    let again = call(&service, "POST", &issue_target(&id), scopes.clone()).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
}

#[tokio::test(start_paused = true)]
async fn create_user_and_token_is_a_bucket_of_its_own() {
    let config = ThrottleConfig::default()
        .with_limit(
            ThrottledOperation::CreateUserAndToken,
            ThrottleLimit {
                requests: 1,
                window: Duration::from_secs(30),
            },
        )
        .with_limit(
            ThrottledOperation::CreateIdentity,
            ThrottleLimit {
                requests: 1,
                window: Duration::from_secs(30),
            },
        );
    let service = Emulator::builder().throttle(config).service().unwrap();
    let target = format!("/identities?{V}");
    let with_token = json!({"createTokenWithScopes": ["chat"]});
    let a = call(&service, "POST", &target, with_token.clone()).await;
    assert_eq!(a.status, StatusCode::CREATED);
    assert!(a.body["accessToken"]["token"].is_string());
    assert_throttled(
        &call(&service, "POST", &target, with_token.clone()).await,
        "30",
        "createUserAndToken",
    );
    // A create without a token (an empty list asks for none) is the create bucket.
    let a = call(
        &service,
        "POST",
        &target,
        json!({"createTokenWithScopes": []}),
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED);
    let id = a.body["identity"]["id"].as_str().unwrap().to_owned();
    assert_throttled(
        &call(&service, "POST", &target, Value::Null).await,
        "30",
        "create",
    );
    // Issue is not affected by either.
    let a = call(
        &service,
        "POST",
        &issue_target(&id),
        json!({"scopes": ["voip"]}),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
    tokio::time::advance(Duration::from_secs(30)).await;
    let a = call(&service, "POST", &target, with_token).await;
    assert_eq!(a.status, StatusCode::CREATED);
}

#[tokio::test(start_paused = true)]
async fn the_defaults_are_the_service_limits_and_off_is_the_default() {
    // Revoke: 500 per 30 s.
    let service = Emulator::builder()
        .throttle(ThrottleConfig::default())
        .service()
        .unwrap();
    let id = call(&service, "POST", &format!("/identities?{V}"), Value::Null)
        .await
        .body["identity"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for i in 0..500 {
        let a = call(&service, "POST", &revoke_target(&id), Value::Null).await;
        assert_eq!(a.status, StatusCode::NO_CONTENT, "revoke {i}");
    }
    let over = call(&service, "POST", &revoke_target(&id), Value::Null).await;
    assert_throttled(&over, "30", "revoke");

    // Without throttle(), no limit.
    let service = Emulator::builder().service().unwrap();
    let id = call(&service, "POST", &format!("/identities?{V}"), Value::Null)
        .await
        .body["identity"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for i in 0..600 {
        let a = call(&service, "POST", &revoke_target(&id), Value::Null).await;
        assert_eq!(a.status, StatusCode::NO_CONTENT, "revoke {i}");
    }
}

#[tokio::test(start_paused = true)]
async fn requests_refused_before_the_operation_do_not_count() {
    let config: ThrottleConfig = "create=1/30s".parse().unwrap();
    let service = Emulator::builder().throttle(config).service().unwrap();
    // An api-version the emulator does not serve: 400, not counted.
    let a = call(
        &service,
        "POST",
        "/identities?api-version=1999-01-01",
        Value::Null,
    )
    .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    let a = call(&service, "POST", &format!("/identities?{V}"), Value::Null).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    assert_throttled(
        &call(&service, "POST", &format!("/identities?{V}"), Value::Null).await,
        "30",
        "create",
    );
}
