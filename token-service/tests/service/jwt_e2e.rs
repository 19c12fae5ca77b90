//! End to end with the service's own caller authentication: `JwtAuthenticator` with the
//! JWKS of a `DevIssuer` (a local file), tokens the `DevIssuer` signed.

use crate::common::{assert_error_body, client, new_store};
use acs_identity_emulator::Emulator;
use acs_token_service::{
    jwt::{dev::DevIssuer, JwksSource, JwtAuthenticator, JwtConfig},
    ServiceConfig, TokenService,
};
use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use http_body_util::BodyExt;
use std::{sync::Arc, time::Duration};
use tower::ServiceExt;

const ISSUER: &str = "https://issuer.test/tenant/v2.0";
const AUDIENCE: &str = "api://acs-token-service-test";

async fn get(
    router: &axum::Router,
    uri: &str,
    bearer: &str,
) -> (StatusCode, header::HeaderMap, serde_json::Value, String) {
    let request = Request::get(uri)
        .header(header::AUTHORIZATION, format!("Bearer {bearer}"))
        .body(Body::empty())
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    (
        status,
        headers,
        serde_json::from_slice(&bytes).unwrap_or_default(),
        text,
    )
}

#[tokio::test]
async fn dev_issuer_tokens_get_acs_tokens_and_others_are_refused() {
    let issuer = DevIssuer::generate().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let jwks = dir.path().join("jwks.json");
    std::fs::write(&jwks, issuer.jwks_json()).unwrap();
    let mut config = JwtConfig::new(ISSUER, AUDIENCE);
    config.jwks = JwksSource::File(jwks);
    let authenticator = JwtAuthenticator::new(config).unwrap();

    let emulator = Emulator::builder().start().await.unwrap();
    let store = new_store().await;
    let service = TokenService::builder()
        .client(client(&emulator))
        .store(store.store.clone())
        .authenticator(Arc::new(authenticator))
        .config(ServiceConfig::default())
        .build()
        .unwrap();
    let router = service.router();
    let hour = Duration::from_secs(3600);

    let alice = issuer
        .token("alice", AUDIENCE, ISSUER, "access_as_user", hour)
        .unwrap();
    let (status, _, body, text) = get(&router, "/api/token", &alice).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let alice_id = body["user"]["communicationUserId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(emulator
        .validate_token(body["token"].as_str().unwrap())
        .is_valid());
    // A second token of the same user: the same identity.
    let alice_again = issuer
        .token("alice", AUDIENCE, ISSUER, "access_as_user", 2 * hour)
        .unwrap();
    let (_, _, body, _) = get(&router, "/api/user", &alice_again).await;
    assert_eq!(body["acsUserIdentity"], alice_id.as_str());
    // Another user: another identity.
    let bob = issuer
        .token("bob", AUDIENCE, ISSUER, "access_as_user", hour)
        .unwrap();
    let (_, _, body, _) = get(&router, "/api/token", &bob).await;
    assert_ne!(body["user"]["communicationUserId"], alice_id.as_str());

    // Refused: another audience, another issuer, no required scope, another key.
    let other_key = DevIssuer::generate().unwrap();
    for (what, token, code) in [
        (
            "audience",
            issuer
                .token("alice", "api://other", ISSUER, "access_as_user", hour)
                .unwrap(),
            "InvalidToken",
        ),
        (
            "issuer",
            issuer
                .token(
                    "alice",
                    AUDIENCE,
                    "https://evil.test",
                    "access_as_user",
                    hour,
                )
                .unwrap(),
            "InvalidToken",
        ),
        (
            "key",
            other_key
                .token("alice", AUDIENCE, ISSUER, "access_as_user", hour)
                .unwrap(),
            "InvalidToken",
        ),
        (
            "scope",
            issuer
                .token("alice", AUDIENCE, ISSUER, "other.scope", hour)
                .unwrap(),
            "InsufficientScope",
        ),
    ] {
        let (status, headers, body, text) = get(&router, "/api/token", &token).await;
        assert!(
            status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN,
            "{what}: {status} {text}"
        );
        let answer = crate::common::Answer {
            status,
            headers: headers.clone(),
            json: body,
            text: text.clone(),
        };
        assert_error_body(&answer, code);
        assert!(
            headers[header::WWW_AUTHENTICATE]
                .to_str()
                .unwrap()
                .starts_with("Bearer error="),
            "{what}"
        );
        assert!(!text.contains(&token), "{what}: the token is echoed");
    }
    let (status, headers, _, _) = get(&router, "/api/token", "not-a-jwt").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        headers[header::WWW_AUTHENTICATE],
        r#"Bearer error="invalid_token""#
    );
}
