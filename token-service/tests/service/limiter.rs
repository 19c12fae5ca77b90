//! The limiter: waits on tokio's paused clock, and 503 with `Retry-After` (never 500)
//! when a slot is too far away.

use crate::common::{assert_error_body, call, harness, metric};
use acs_token_service::{
    limiter::{Limiter, Throttled},
    Limit, Limits, Operation, ServiceConfig,
};
use axum::http::{header, Method, StatusCode};
use std::time::Duration;
use tokio::time::Instant;

fn two_per_30s(op: Operation) -> Limits {
    let mut limits = Limits::none();
    limits.set(
        op,
        Some(Limit {
            max: 2,
            window: Duration::from_secs(30),
        }),
    );
    limits
}

#[tokio::test(start_paused = true)]
async fn over_the_limit_a_request_waits_for_the_next_slot() {
    let limiter = Limiter::new(&two_per_30s(Operation::Issue), Duration::from_secs(60));
    let start = Instant::now();
    assert_eq!(limiter.acquire(Operation::Issue).await, Ok(Duration::ZERO));
    tokio::time::advance(Duration::from_secs(10)).await;
    assert_eq!(limiter.acquire(Operation::Issue).await, Ok(Duration::ZERO));
    // Full: the third waits until the first leaves the window (t = 30 s).
    assert_eq!(
        limiter.acquire(Operation::Issue).await,
        Ok(Duration::from_secs(20))
    );
    assert_eq!(start.elapsed(), Duration::from_secs(30));
    // The fourth's slot frees at t = 40 s.
    assert_eq!(
        limiter.acquire(Operation::Issue).await,
        Ok(Duration::from_secs(10))
    );
    // Other operations are not limited here.
    assert_eq!(limiter.acquire(Operation::Create).await, Ok(Duration::ZERO));
}

#[tokio::test(start_paused = true)]
async fn a_slot_beyond_the_bound_is_refused_with_the_time_until_it_frees() {
    let limiter = Limiter::new(&two_per_30s(Operation::Revoke), Duration::from_secs(5));
    limiter.acquire(Operation::Revoke).await.unwrap();
    limiter.acquire(Operation::Revoke).await.unwrap();
    assert_eq!(
        limiter.reserve(Operation::Revoke),
        Err(Throttled {
            retry_after: Duration::from_secs(30)
        })
    );
    tokio::time::advance(Duration::from_secs(26)).await;
    // 4 s to wait now: within the bound.
    assert_eq!(
        limiter.acquire(Operation::Revoke).await,
        Ok(Duration::from_secs(4))
    );
}

#[test]
fn the_defaults_are_the_services_documented_limits_and_overrides_parse() {
    let limits = Limits::default();
    for op in [
        Operation::Create,
        Operation::Issue,
        Operation::CreateUserAndToken,
    ] {
        assert_eq!(
            limits.get(op),
            Some(Limit {
                max: 1000,
                window: Duration::from_secs(30)
            })
        );
    }
    for op in [Operation::Delete, Operation::Revoke, Operation::Teams] {
        assert_eq!(
            limits.get(op),
            Some(Limit {
                max: 500,
                window: Duration::from_secs(30)
            })
        );
    }
    let mut limits = Limits::default();
    limits.apply("issue=50/5s, delete=off").unwrap();
    assert_eq!(
        limits.get(Operation::Issue),
        Some(Limit {
            max: 50,
            window: Duration::from_secs(5)
        })
    );
    assert_eq!(limits.get(Operation::Delete), None);
    for bad in [
        "issue",
        "issue=0/5s",
        "issue=5/0s",
        "issue=5/5",
        "nope=1/1s",
    ] {
        assert!(Limits::default().apply(bad).is_err(), "{bad}");
    }
}

#[tokio::test]
async fn the_service_answers_503_with_retry_after_when_the_limiter_refuses() {
    let mut limits = Limits::none();
    limits.set(
        Operation::Issue,
        Some(Limit {
            max: 1,
            window: Duration::from_secs(30),
        }),
    );
    let h = harness(ServiceConfig {
        cache: false,
        limits,
        limit_max_wait: Duration::ZERO,
        ..Default::default()
    })
    .await;
    // createUserAndToken (not limited here), then one issue, then refused.
    assert_eq!(
        call(&h.router, Method::GET, "/api/token", Some("amy"))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        call(&h.router, Method::GET, "/api/token", Some("amy"))
            .await
            .status,
        StatusCode::OK
    );
    for _ in 0..3 {
        let refused = call(&h.router, Method::GET, "/api/token", Some("amy")).await;
        assert_eq!(
            refused.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{}",
            refused.text
        );
        assert_error_body(&refused, "Throttled");
        let secs: u64 = refused.headers[header::RETRY_AFTER]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=30).contains(&secs), "{secs}");
    }
    assert_eq!(h.service.metrics().acs_calls(Operation::Issue), 1);
    let text = call(&h.router, Method::GET, "/metrics", None).await.text;
    assert_eq!(
        metric(
            &text,
            r#"acs_token_service_limiter_refusals_total{operation="issue"}"#
        ),
        3.0
    );
    assert_eq!(
        metric(
            &text,
            r#"acs_token_service_requests_total{route="/api/token",method="GET",status="500"}"#
        ),
        0.0
    );
}

/// A client whose transport answers in memory at once (no I/O: safe on the paused clock):
/// createUserAndToken and issue answer a token.
fn in_memory_client() -> acs_identity::CommunicationIdentityClient {
    use acs_testing::{MockResponse, MockTransport};
    let mock = MockTransport::answering(|request| {
        let token = r#"{"token":"in-memory-token","expiresOn":"2099-01-01T00:00:00Z"}"#;
        Ok(if request.url.contains(":issueAccessToken") {
            MockResponse::json(200, token)
        } else {
            MockResponse::json(
                201,
                format!(r#"{{"identity":{{"id":"8:acs:in-memory"}},"accessToken":{token}}}"#),
            )
        })
    });
    let mut options = acs_identity::CommunicationIdentityClientOptions::default();
    options.client_options.transport = Some(mock.transport());
    acs_identity::CommunicationIdentityClient::from_connection_string(
        "endpoint=https://in-memory.communication.azure.com/;accesskey=aW4tbWVtb3J5",
        Some(options),
    )
    .unwrap()
}

#[tokio::test(start_paused = true)]
async fn the_service_waits_for_a_slot_within_the_bound() {
    // The memory store: SQLite's pool times out on the paused clock (its I/O runs on threads).
    let service = crate::common::service(
        in_memory_client(),
        std::sync::Arc::new(acs_token_service::store::MemoryStore::new()),
        ServiceConfig {
            cache: false,
            limits: two_per_30s(Operation::Issue),
            limit_max_wait: Duration::from_secs(40),
            ..Default::default()
        },
    );
    let router = service.router();
    let start = Instant::now();
    // createUserAndToken (not limited here), then two issues at once.
    for _ in 0..3 {
        let answer = call(&router, Method::GET, "/api/token", Some("wait")).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    }
    assert_eq!(start.elapsed(), Duration::ZERO);
    // The third issue waits until the first leaves the window.
    let answer = call(&router, Method::GET, "/api/token", Some("wait")).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    assert_eq!(start.elapsed(), Duration::from_secs(30));
    let text = call(&router, Method::GET, "/metrics", None).await.text;
    assert_eq!(
        metric(
            &text,
            r#"acs_token_service_limiter_waits_total{operation="issue"}"#
        ),
        1.0
    );
    assert_eq!(
        metric(
            &text,
            r#"acs_token_service_limiter_wait_seconds_total{operation="issue"}"#
        ),
        30.0
    );
    assert_eq!(service.metrics().acs_calls(Operation::Issue), 3);
}
