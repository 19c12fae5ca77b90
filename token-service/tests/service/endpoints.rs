//! Every endpoint and its body, the errors and the caller refusals.

use crate::common::{assert_error_body, call, call_with, harness, metric, new_store, service};
use acs_identity_emulator::{Emulator, FaultStatus};
use acs_token_service::{ServiceConfig, TEAMS_TOKEN_HEADER};
use axum::http::{header, Method, StatusCode};
use base64::Engine;

#[tokio::test]
async fn post_user_creates_once_then_answers_200_with_the_same_identity() {
    let h = harness(ServiceConfig::default()).await;
    let first = call(&h.router, Method::POST, "/api/user", Some("alice")).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let id = first.json["acsUserIdentity"].as_str().unwrap().to_owned();
    assert!(id.starts_with("8:acs:"), "{id}");
    assert_eq!(first.json.as_object().unwrap().len(), 1);

    let again = call(&h.router, Method::POST, "/api/user", Some("alice")).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json["acsUserIdentity"], id.as_str());

    let got = call(&h.router, Method::GET, "/api/user", Some("alice")).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.json["acsUserIdentity"], id.as_str());
}

#[tokio::test]
async fn get_user_is_404_for_a_caller_without_identity() {
    let h = harness(ServiceConfig::default()).await;
    let answer = call(&h.router, Method::GET, "/api/user", Some("nobody")).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_error_body(&answer, "UserNotFound");
    let delete = call(&h.router, Method::DELETE, "/api/user", Some("nobody")).await;
    assert_eq!(delete.status, StatusCode::NOT_FOUND);
    assert_error_body(&delete, "UserNotFound");
}

#[tokio::test]
async fn get_token_creates_the_identity_on_first_use_and_answers_the_hero_body() {
    let h = harness(ServiceConfig::default()).await;
    let answer = call(&h.router, Method::GET, "/api/token", Some("bob")).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    let body = answer.json.as_object().unwrap();
    assert_eq!(body.len(), 3, "{}", answer.text);
    let token = body["token"].as_str().unwrap();
    let user = body["user"]["communicationUserId"].as_str().unwrap();
    assert!(time::OffsetDateTime::parse(
        body["expiresOn"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339
    )
    .is_ok());
    let validation = h.emulator.validate_token(token);
    assert!(validation.is_valid(), "{validation:?}");
    assert_eq!(validation.identity.as_deref(), Some(user));
    let mut scopes = validation.scopes.clone();
    scopes.sort();
    assert_eq!(scopes, ["chat", "voip"]);
    let mapped = call(&h.router, Method::GET, "/api/user", Some("bob")).await;
    assert_eq!(mapped.json["acsUserIdentity"], user);
}

#[tokio::test]
async fn get_token_takes_scopes_and_expires_in_minutes() {
    let h = harness(ServiceConfig::default()).await;
    call(&h.router, Method::POST, "/api/user", Some("carol")).await;
    let answer = call(
        &h.router,
        Method::GET,
        "/api/token?scopes=voip&expiresInMinutes=60",
        Some("carol"),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    let validation = h
        .emulator
        .validate_token(answer.json["token"].as_str().unwrap());
    assert_eq!(validation.scopes, ["voip"]);
    let lifetime = validation.expires_on.unwrap() - validation.issued_at.unwrap();
    assert_eq!(lifetime.whole_minutes(), 60);
}

#[tokio::test]
async fn bad_scopes_and_lifetimes_are_400_before_any_acs_call() {
    let h = harness(ServiceConfig::default()).await;
    for uri in [
        "/api/token?scopes=chat,nope",
        "/api/token?scopes=",
        "/api/token?expiresInMinutes=5",
        "/api/token?expiresInMinutes=2000",
        "/api/token?expiresInMinutes=sixty",
    ] {
        let answer = call(&h.router, Method::GET, uri, Some("dave")).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{uri}: {}",
            answer.text
        );
        assert_error_body(&answer, "BadRequest");
    }
    assert_eq!(
        h.service
            .metrics()
            .acs_calls(acs_token_service::Operation::CreateUserAndToken)
            + h.service
                .metrics()
                .acs_calls(acs_token_service::Operation::Create),
        0
    );
}

#[tokio::test]
async fn require_user_makes_get_token_404_until_post_user() {
    let h = harness(ServiceConfig {
        require_user: true,
        ..Default::default()
    })
    .await;
    let before = call(&h.router, Method::GET, "/api/token", Some("erin")).await;
    assert_eq!(before.status, StatusCode::NOT_FOUND);
    assert_error_body(&before, "UserNotFound");
    assert_eq!(
        call(&h.router, Method::POST, "/api/user", Some("erin"))
            .await
            .status,
        StatusCode::CREATED
    );
    let after = call(&h.router, Method::GET, "/api/token", Some("erin")).await;
    assert_eq!(after.status, StatusCode::OK, "{}", after.text);
}

#[tokio::test]
async fn delete_user_removes_the_mapping_and_deletes_the_identity() {
    let h = harness(ServiceConfig::default()).await;
    let first = call(&h.router, Method::GET, "/api/token", Some("frank")).await;
    let old_token = first.json["token"].as_str().unwrap().to_owned();
    let old_id = first.json["user"]["communicationUserId"]
        .as_str()
        .unwrap()
        .to_owned();

    let deleted = call(&h.router, Method::DELETE, "/api/user", Some("frank")).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert!(deleted.text.is_empty());
    assert!(!h.emulator.validate_token(&old_token).is_valid());
    assert_eq!(
        call(&h.router, Method::GET, "/api/user", Some("frank"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert!(h.store.pending_deletions(10).await.unwrap().is_empty());

    let next = call(&h.router, Method::GET, "/api/token", Some("frank")).await;
    assert_eq!(next.status, StatusCode::OK);
    assert_ne!(next.json["user"]["communicationUserId"], old_id.as_str());
    assert_ne!(next.json["token"], old_token.as_str());
}

#[tokio::test]
async fn a_failed_acs_delete_stays_queued_and_is_retried() {
    let h = harness(ServiceConfig::default()).await;
    let first = call(&h.router, Method::GET, "/api/token", Some("gina")).await;
    let token = first.json["token"].as_str().unwrap().to_owned();
    let id = first.json["user"]["communicationUserId"]
        .as_str()
        .unwrap()
        .to_owned();

    // A second instance, sharing the store, whose ACS always answers 429.
    let busy = Emulator::builder()
        .fault_every(1)
        .fault_status(FaultStatus::TooManyRequests)
        .start()
        .await
        .unwrap();
    let other = service(
        crate::common::client_without_retries(&busy),
        h.store.clone(),
        ServiceConfig::default(),
    );
    let deleted = call(&other.router(), Method::DELETE, "/api/user", Some("gina")).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.text);
    assert_eq!(
        call(&h.router, Method::GET, "/api/user", Some("gina"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let pending = h.store.pending_deletions(10).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].acs_user_id, id);
    assert_eq!(pending[0].attempts, 1);
    assert!(h.emulator.validate_token(&token).is_valid());

    // The first instance's retry deletes it.
    assert_eq!(h.service.retry_deletions().await, 1);
    assert!(h.store.pending_deletions(10).await.unwrap().is_empty());
    assert!(!h.emulator.validate_token(&token).is_valid());
    // An identity already gone (404) counts as deleted.
    h.store.queue_deletion(&id).await.unwrap();
    assert_eq!(h.service.retry_deletions().await, 1);
}

#[tokio::test]
async fn revoke_revokes_in_acs_and_the_next_token_is_fresh() {
    let h = harness(ServiceConfig::default()).await;
    let first = call(&h.router, Method::GET, "/api/token", Some("hank")).await;
    let old = first.json["token"].as_str().unwrap().to_owned();
    let revoked = call(&h.router, Method::POST, "/api/token/revoke", Some("hank")).await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT, "{}", revoked.text);
    assert!(!h.emulator.validate_token(&old).is_valid());
    let next = call(&h.router, Method::GET, "/api/token", Some("hank")).await;
    let new = next.json["token"].as_str().unwrap();
    assert_ne!(new, old);
    assert!(h.emulator.validate_token(new).is_valid());
    assert_eq!(
        call(&h.router, Method::POST, "/api/token/revoke", Some("nobody"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

fn fake_entra_token(app_id: &str, oid: &str) -> String {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let exp = time::OffsetDateTime::now_utc().unix_timestamp() + 3600;
    let header = b64.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
    let payload = b64.encode(
        serde_json::json!({"appid": app_id, "oid": oid, "tid": "72f988bf-86f1-41af-91ab-2d7cd011db47", "exp": exp})
            .to_string(),
    );
    format!("{header}.{payload}.c2ln")
}

#[tokio::test]
async fn teams_exchange_uses_the_callers_oid_and_the_configured_app_id() {
    let app_id = "0f0e3ad1-4e4b-4b4a-9a8a-2c1f7c5c6e01";
    let oid = "5b3a1f0e-2c4d-4e6f-8a9b-0c1d2e3f4a5b";
    let unconfigured = harness(ServiceConfig::default()).await;
    let answer = call(
        &unconfigured.router,
        Method::GET,
        "/api/token/teams",
        Some(oid),
    )
    .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_error_body(&answer, "TeamsNotConfigured");

    let h = harness(ServiceConfig {
        teams_client_id: Some(app_id.to_owned()),
        ..Default::default()
    })
    .await;
    let missing = call(&h.router, Method::GET, "/api/token/teams", Some(oid)).await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert!(missing.text.contains(TEAMS_TOKEN_HEADER));

    let entra = fake_entra_token(app_id, oid);
    let ok = call_with(
        &h.router,
        Method::GET,
        "/api/token/teams",
        Some(oid),
        &[(TEAMS_TOKEN_HEADER, &entra)],
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    assert_eq!(ok.json.as_object().unwrap().len(), 2);
    assert!(h
        .emulator
        .validate_token(ok.json["token"].as_str().unwrap())
        .is_valid());
    assert!(ok.json["expiresOn"].is_string());

    // Another user's Entra token: ACS refuses; a 400, and the Entra token is not echoed.
    let other = fake_entra_token(app_id, "11111111-2222-3333-4444-555555555555");
    let refused = call_with(
        &h.router,
        Method::GET,
        "/api/token/teams",
        Some(oid),
        &[(TEAMS_TOKEN_HEADER, &other)],
    )
    .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.text);
    assert_error_body(&refused, "TeamsTokenRefused");
    assert!(!refused.text.contains(&other));
}

#[tokio::test]
async fn callers_without_a_valid_bearer_are_401_with_a_challenge() {
    let h = harness(ServiceConfig::default()).await;
    for (method, uri) in [
        (Method::GET, "/api/token"),
        (Method::POST, "/api/user"),
        (Method::GET, "/api/user"),
        (Method::DELETE, "/api/user"),
        (Method::POST, "/api/token/revoke"),
        (Method::GET, "/api/token/teams"),
    ] {
        let none = call(&h.router, method.clone(), uri, None).await;
        assert_eq!(none.status, StatusCode::UNAUTHORIZED, "{uri}");
        assert_error_body(&none, "MissingToken");
        assert!(none.headers[header::WWW_AUTHENTICATE]
            .to_str()
            .unwrap()
            .starts_with("Bearer"));

        let bad = call_with(
            &h.router,
            method,
            uri,
            None,
            &[("authorization", "Bearer eyJhbGciOi.secret-part.sig")],
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNAUTHORIZED, "{uri}");
        assert_error_body(&bad, "InvalidToken");
        assert_eq!(
            bad.headers[header::WWW_AUTHENTICATE],
            r#"Bearer error="invalid_token""#
        );
        assert!(!bad.text.contains("secret-part"));
    }
}

#[tokio::test]
async fn health_readiness_and_metrics() {
    let h = harness(ServiceConfig::default()).await;
    assert_eq!(
        call(&h.router, Method::GET, "/healthz", None).await.status,
        StatusCode::OK
    );
    let ready = call(&h.router, Method::GET, "/readyz", None).await;
    assert_eq!(ready.status, StatusCode::OK);
    call(&h.router, Method::GET, "/api/token", Some("ivy")).await;
    call(&h.router, Method::GET, "/api/token", Some("ivy")).await;
    call(&h.router, Method::GET, "/api/token", None).await;
    let metrics = call(&h.router, Method::GET, "/metrics", None).await;
    assert_eq!(metrics.status, StatusCode::OK);
    assert!(metrics.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = &metrics.text;
    assert_eq!(
        metric(
            text,
            r#"acs_token_service_requests_total{route="/api/token",method="GET",status="200"}"#
        ),
        2.0,
        "{text}"
    );
    assert_eq!(
        metric(
            text,
            r#"acs_token_service_requests_total{route="/api/token",method="GET",status="401"}"#
        ),
        1.0
    );
    assert_eq!(
        metric(text, r#"acs_token_service_token_cache_total{result="hit"}"#),
        1.0
    );
    assert_eq!(
        metric(
            text,
            r#"acs_token_service_token_cache_total{result="miss"}"#
        ),
        1.0
    );
    assert_eq!(
        metric(
            text,
            r#"acs_token_service_acs_calls_total{operation="createUserAndToken",outcome="ok"}"#
        ),
        1.0
    );
    assert_eq!(
        metric(
            text,
            r#"acs_token_service_acs_call_duration_seconds_count{operation="createUserAndToken"}"#
        ),
        1.0
    );
    assert!(text.contains("# TYPE acs_token_service_acs_call_duration_seconds histogram"));
    assert!(text.contains("# TYPE acs_token_service_limiter_waits_total counter"));
    // No token in the metrics.
    assert!(!text.contains("eyJ"));
}

#[tokio::test]
async fn an_acs_429_that_outlasts_the_retries_is_a_503_with_retry_after() {
    let busy = Emulator::builder()
        .fault_every(1)
        .fault_status(FaultStatus::TooManyRequests)
        .start()
        .await
        .unwrap();
    let store = new_store().await;
    let service = service(
        crate::common::client_without_retries(&busy),
        store.store.clone(),
        ServiceConfig::default(),
    );
    for (method, uri) in [(Method::GET, "/api/token"), (Method::POST, "/api/user")] {
        let answer = call(&service.router(), method, uri, Some("jack")).await;
        assert_eq!(
            answer.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{}",
            answer.text
        );
        assert_error_body(&answer, "Throttled");
        let retry_after: u64 = answer.headers[header::RETRY_AFTER]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(retry_after >= 1);
    }
}

#[tokio::test]
async fn routes_live_under_the_configured_prefix() {
    let h = harness(ServiceConfig {
        prefix: "/acs".to_owned(),
        ..Default::default()
    })
    .await;
    assert_eq!(
        call(&h.router, Method::POST, "/acs/user", Some("kim"))
            .await
            .status,
        StatusCode::CREATED
    );
    assert_eq!(
        call(&h.router, Method::GET, "/acs/token", Some("kim"))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        call(&h.router, Method::GET, "/api/token", Some("kim"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
