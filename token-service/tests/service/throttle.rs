//! The limiter against the emulator's `--throttle` (`EmulatorBuilder::throttle`): with the
//! service's limits above ACS's, ACS's 429s become 503 with `Retry-After`; at or below them,
//! requests over the limit wait or get 503 with `Retry-After`, and ACS never answers 429.
//! Never a 500. The emulator counts on tokio's clock, as the limiter does.

use crate::common::{assert_error_body, call, client_without_retries, service, Answer};
use acs_identity_emulator::{Emulator, ThrottleConfig, ThrottleLimit, ThrottledOperation};
use acs_token_service::{store::MemoryStore, Limit, Limits, Operation, ServiceConfig};
use axum::http::{header, Method, StatusCode};
use futures::future::join_all;
use std::{sync::Arc, time::Duration};
use tokio::time::Instant;

const WINDOW: Duration = Duration::from_secs(30);

/// The emulator allowing 5 issue calls per 30 s (every other operation at the service's
/// published limits).
async fn throttled_emulator() -> Emulator {
    let throttle = ThrottleConfig::service_limits().with_limit(
        ThrottledOperation::IssueToken,
        ThrottleLimit {
            requests: 5,
            window: WINDOW,
        },
    );
    Emulator::builder()
        .throttle(throttle)
        .start()
        .await
        .expect("emulator starts")
}

fn issue_limit(max: u32) -> Limits {
    let mut limits = Limits::default();
    limits.set(
        Operation::Issue,
        Some(Limit {
            max,
            window: WINDOW,
        }),
    );
    limits
}

/// `n` concurrent `GET /api/token` of one user whose identity exists (cache off: each one
/// an issue call).
async fn storm(router: &axum::Router, n: usize) -> Vec<Answer> {
    join_all((0..n).map(|_| {
        let router = router.clone();
        async move { call(&router, Method::GET, "/api/token", Some("tess")).await }
    }))
    .await
}

fn assert_throttled(answer: &Answer) -> u64 {
    assert_eq!(
        answer.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        answer.text
    );
    assert_error_body(answer, "Throttled");
    let secs: u64 = answer.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=30).contains(&secs), "Retry-After {secs}");
    secs
}

#[tokio::test]
async fn acs_429s_under_a_higher_service_limit_are_503_with_retry_after() {
    let emulator = throttled_emulator().await;
    // The service would allow 100 issues per 30 s: ACS's 5 bite first. No SDK retries,
    // so no real waits.
    let service = service(
        client_without_retries(&emulator),
        Arc::new(MemoryStore::new()),
        ServiceConfig {
            cache: false,
            limits: issue_limit(100),
            ..Default::default()
        },
    );
    let router = service.router();
    // The identity and its first token: createUserAndToken, a bucket of its own.
    let first = call(&router, Method::GET, "/api/token", Some("tess")).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    let answers = storm(&router, 10).await;
    let ok = answers
        .iter()
        .filter(|a| a.status == StatusCode::OK)
        .count();
    assert_eq!(ok, 5, "ACS lets 5 issues through");
    for refused in answers.iter().filter(|a| a.status != StatusCode::OK) {
        // ACS's own Retry-After passed on: its window frees in about 30 s.
        assert!(assert_throttled(refused) > 5);
    }
    let m = service.metrics();
    assert_eq!(m.acs_calls_with(Operation::Issue, "429"), 5);
    assert_eq!(m.acs_calls_with(Operation::Issue, "ok"), 5);
    let text = call(&router, Method::GET, "/metrics", None).await.text;
    assert!(!text.contains(r#"status="500""#), "{text}");
}

#[tokio::test]
async fn at_the_acs_limit_the_service_refuses_beyond_the_bound_and_acs_never_429s() {
    let emulator = throttled_emulator().await;
    let service = service(
        client_without_retries(&emulator),
        Arc::new(MemoryStore::new()),
        ServiceConfig {
            cache: false,
            limits: issue_limit(5),
            limit_max_wait: Duration::from_secs(10),
            ..Default::default()
        },
    );
    let router = service.router();
    let first = call(&router, Method::GET, "/api/token", Some("tess")).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    // Five fit; the next slot frees in ~30 s, beyond the 10 s bound: refused at once.
    let answers = storm(&router, 10).await;
    let ok = answers
        .iter()
        .filter(|a| a.status == StatusCode::OK)
        .count();
    assert_eq!(ok, 5);
    for refused in answers.iter().filter(|a| a.status != StatusCode::OK) {
        assert!(assert_throttled(refused) > 10);
    }
    let m = service.metrics();
    assert_eq!(
        m.acs_calls_with(Operation::Issue, "429"),
        0,
        "ACS never throttled"
    );
    assert_eq!(m.acs_calls(Operation::Issue), 5);
    let text = call(&router, Method::GET, "/metrics", None).await.text;
    assert!(!text.contains(r#"status="500""#), "{text}");
}

#[tokio::test(start_paused = true)]
async fn below_the_acs_limit_requests_over_it_wait_for_a_slot_and_acs_never_429s() {
    let emulator = throttled_emulator().await;
    // The service allows 4 per 30 s (below ACS's 5) and waits up to 40 s: every request is
    // served, those over the limit after waiting on the paused clock (the emulator's window
    // moves with it).
    let service = service(
        client_without_retries(&emulator),
        Arc::new(MemoryStore::new()),
        ServiceConfig {
            cache: false,
            limits: issue_limit(4),
            limit_max_wait: Duration::from_secs(40),
            ..Default::default()
        },
    );
    let router = service.router();
    let first = call(&router, Method::GET, "/api/token", Some("tess")).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    let start = Instant::now();
    for answer in storm(&router, 8).await {
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    }
    // The last four waited for the first four to leave the window.
    assert!(start.elapsed() >= WINDOW, "{:?}", start.elapsed());
    let m = service.metrics();
    assert_eq!(m.acs_calls_with(Operation::Issue, "ok"), 8);
    assert_eq!(
        m.acs_calls_with(Operation::Issue, "429"),
        0,
        "ACS never throttled"
    );
    let text = call(&router, Method::GET, "/metrics", None).await.text;
    assert_eq!(
        crate::common::metric(
            &text,
            r#"acs_token_service_limiter_waits_total{operation="issue"}"#
        ),
        4.0
    );
}
