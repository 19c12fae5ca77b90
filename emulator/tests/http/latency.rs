//! `--latency` (`EmulatorBuilder::latency`): every ACS answer, success or error, is held back
//! by the delay; the emulator's own endpoints are not. In process (`EmulatorBuilder::service`)
//! on tokio's paused clock: nothing sleeps, virtual time is measured.

use acs_identity_emulator::Emulator;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use std::time::Duration;
use tokio::time::Instant;
use tower::ServiceExt;

const LATENCY: Duration = Duration::from_millis(250);

fn request(method: &str, target: &str, bearer: bool) -> Request<Body> {
    let mut r = Request::builder()
        .method(method)
        .uri(target)
        .header("Host", "127.0.0.1");
    if bearer {
        r = r.header("Authorization", "Bearer test-token");
    }
    r.body(Body::empty()).unwrap()
}

#[tokio::test(start_paused = true)]
async fn every_acs_answer_is_held_back_by_the_latency() {
    let service = Emulator::builder().latency(LATENCY).service().unwrap();
    for (method, target, bearer, status) in [
        (
            "POST",
            "/identities?api-version=2026-09-23",
            true,
            StatusCode::CREATED,
        ),
        (
            "POST",
            "/identities?api-version=2026-09-23",
            false,
            StatusCode::UNAUTHORIZED,
        ),
        (
            "POST",
            "/identities?api-version=1999-01-01",
            true,
            StatusCode::BAD_REQUEST,
        ),
        ("GET", "/nowhere", true, StatusCode::NOT_FOUND),
    ] {
        let start = Instant::now();
        let mut call = std::pin::pin!(service.clone().oneshot(request(method, target, bearer)));
        // Not ready while virtual time has not reached the latency...
        let early = tokio::time::timeout(LATENCY - Duration::from_millis(1), &mut call).await;
        assert!(
            early.is_err(),
            "{method} {target}: answered before the latency"
        );
        // ...then ready, after exactly the latency.
        let answer = call.await.unwrap();
        assert_eq!(answer.status(), status, "{method} {target}");
        assert_eq!(start.elapsed(), LATENCY, "{method} {target}");
    }
}

#[tokio::test(start_paused = true)]
async fn the_emulator_endpoints_and_the_default_answer_at_once() {
    let service = Emulator::builder().latency(LATENCY).service().unwrap();
    let start = Instant::now();
    let answer = service
        .oneshot(request("GET", "/_emulator/health", false))
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(start.elapsed(), Duration::ZERO);

    let service = Emulator::builder().service().unwrap();
    let start = Instant::now();
    let answer = service
        .oneshot(request("POST", "/identities?api-version=2023-10-01", true))
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::CREATED);
    assert_eq!(start.elapsed(), Duration::ZERO, "no latency by default");
}
