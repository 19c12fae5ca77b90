//! The binary's HTTP layers: CORS only for configured origins, the request body limit.

use crate::common::harness;
use acs_token_service::{server::with_http_layers, ServiceConfig};
use axum::{
    body::Body,
    http::{header, Method, Request, StatusCode},
};
use tower::ServiceExt;

#[tokio::test]
async fn cors_answers_configured_origins_only() {
    let h = harness(ServiceConfig::default()).await;
    let app = with_http_layers(
        h.router.clone(),
        &["https://app.contoso.com".to_owned()],
        1024,
    )
    .unwrap();
    let preflight = |origin: &str| {
        Request::builder()
            .method(Method::OPTIONS)
            .uri("/api/token")
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
            .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "authorization")
            .body(Body::empty())
            .unwrap()
    };
    let allowed = app
        .clone()
        .oneshot(preflight("https://app.contoso.com"))
        .await
        .unwrap();
    assert_eq!(
        allowed.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "https://app.contoso.com"
    );
    let other = app
        .clone()
        .oneshot(preflight("https://evil.example"))
        .await
        .unwrap();
    assert!(other
        .headers()
        .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
        .is_none());

    // No origins configured: no CORS headers at all.
    let plain = with_http_layers(h.router.clone(), &[], 1024).unwrap();
    let none = plain
        .oneshot(preflight("https://app.contoso.com"))
        .await
        .unwrap();
    assert!(none
        .headers()
        .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
        .is_none());

    assert!(with_http_layers(h.router.clone(), &["bad\norigin".to_owned()], 1024).is_err());
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused() {
    let h = harness(ServiceConfig::default()).await;
    let app = with_http_layers(h.router.clone(), &[], 64).unwrap();
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/user")
        .header("authorization", "Bearer user:big")
        .header(header::CONTENT_LENGTH, "100")
        .body(Body::from(vec![b'x'; 100]))
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}
