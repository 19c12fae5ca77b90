//! The token cache: reuse without an ACS call, the lifetime threshold, cache off, and
//! revoke / delete from another instance invalidating it.

use crate::common::{call, client, harness, service};
use acs_token_service::{Operation, ServiceConfig};
use axum::http::{Method, StatusCode};
use std::time::Duration;

#[tokio::test]
async fn a_second_get_token_makes_no_acs_call() {
    let h = harness(ServiceConfig::default()).await;
    let first = call(&h.router, Method::GET, "/api/token", Some("alice")).await;
    let second = call(&h.router, Method::GET, "/api/token", Some("alice")).await;
    assert_eq!(second.status, StatusCode::OK);
    assert_eq!(first.json, second.json);
    let m = h.service.metrics();
    assert_eq!(m.acs_calls(Operation::CreateUserAndToken), 1);
    assert_eq!(m.acs_calls(Operation::Issue), 0);
    assert_eq!(m.cache_counts(), (1, 1));

    // Scopes in another order are the same key; other scopes or lifetimes are not.
    let reordered = call(
        &h.router,
        Method::GET,
        "/api/token?scopes=voip,chat",
        Some("alice"),
    )
    .await;
    assert_eq!(reordered.json, first.json);
    assert_eq!(m.acs_calls(Operation::Issue), 0);
    let voip = call(
        &h.router,
        Method::GET,
        "/api/token?scopes=voip",
        Some("alice"),
    )
    .await;
    assert_ne!(voip.json["token"], first.json["token"]);
    let hour = call(
        &h.router,
        Method::GET,
        "/api/token?expiresInMinutes=60",
        Some("alice"),
    )
    .await;
    assert_ne!(hour.json["token"], first.json["token"]);
    assert_eq!(m.acs_calls(Operation::Issue), 2);
    call(
        &h.router,
        Method::GET,
        "/api/token?scopes=voip",
        Some("alice"),
    )
    .await;
    call(
        &h.router,
        Method::GET,
        "/api/token?expiresInMinutes=60",
        Some("alice"),
    )
    .await;
    assert_eq!(m.acs_calls(Operation::Issue), 2);
}

#[tokio::test]
async fn a_token_with_less_than_the_minimum_left_is_not_reused() {
    // ACS's default tokens live 24 h: a 25 h minimum never reuses them; a 60-minute token
    // with a 30-minute minimum is reused.
    let h = harness(ServiceConfig {
        cache_min_remaining: Duration::from_secs(25 * 3600),
        ..Default::default()
    })
    .await;
    // (The emulator's tokens for one identity issued within one second are equal: the
    // ACS calls tell whether a token was reused.)
    call(&h.router, Method::GET, "/api/token", Some("bob")).await;
    call(&h.router, Method::GET, "/api/token", Some("bob")).await;
    assert_eq!(h.service.metrics().acs_calls(Operation::Issue), 1);
    assert_eq!(h.service.metrics().cache_counts(), (0, 2));

    let h = harness(ServiceConfig::default()).await;
    let a = call(
        &h.router,
        Method::GET,
        "/api/token?expiresInMinutes=60",
        Some("bob"),
    )
    .await;
    let b = call(
        &h.router,
        Method::GET,
        "/api/token?expiresInMinutes=60",
        Some("bob"),
    )
    .await;
    assert_eq!(a.json["token"], b.json["token"]);
    assert_eq!(h.service.metrics().acs_calls(Operation::Issue), 0);
    assert_eq!(h.service.metrics().cache_counts(), (1, 1));
}

#[tokio::test]
async fn cache_off_issues_a_fresh_token_every_time() {
    let h = harness(ServiceConfig {
        cache: false,
        ..Default::default()
    })
    .await;
    let first = call(&h.router, Method::GET, "/api/token", Some("carol")).await;
    call(&h.router, Method::GET, "/api/token", Some("carol")).await;
    let third = call(&h.router, Method::GET, "/api/token", Some("carol")).await;
    assert_eq!(third.status, StatusCode::OK);
    assert_eq!(first.json["user"], third.json["user"]);
    assert_eq!(h.service.metrics().acs_calls(Operation::Issue), 2);
    assert_eq!(h.service.metrics().cache_counts().0, 0);
}

#[tokio::test]
async fn a_revoke_by_another_instance_invalidates_this_instances_cache() {
    let h = harness(ServiceConfig::default()).await;
    let b = service(
        client(&h.emulator),
        h.store.clone(),
        ServiceConfig::default(),
    )
    .router();
    let cached = call(&h.router, Method::GET, "/api/token", Some("dave")).await;
    assert_eq!(
        call(&h.router, Method::GET, "/api/token", Some("dave"))
            .await
            .json,
        cached.json
    );
    let revoked = call(&b, Method::POST, "/api/token/revoke", Some("dave")).await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    let old = cached.json["token"].as_str().unwrap();
    assert!(!h.emulator.validate_token(old).is_valid());

    let after = call(&h.router, Method::GET, "/api/token", Some("dave")).await;
    let new = after.json["token"].as_str().unwrap();
    assert_ne!(
        new, old,
        "instance A handed out a token revoked by instance B"
    );
    assert!(h.emulator.validate_token(new).is_valid());
    assert_eq!(after.json["user"], cached.json["user"]);
    // And A caches the new one.
    assert_eq!(
        call(&h.router, Method::GET, "/api/token", Some("dave"))
            .await
            .json["token"],
        new
    );
}

#[tokio::test]
async fn a_delete_by_another_instance_invalidates_this_instances_cache() {
    let h = harness(ServiceConfig::default()).await;
    let b = service(
        client(&h.emulator),
        h.store.clone(),
        ServiceConfig::default(),
    )
    .router();
    let cached = call(&h.router, Method::GET, "/api/token", Some("erin")).await;
    assert_eq!(
        call(&b, Method::DELETE, "/api/user", Some("erin"))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let after = call(&h.router, Method::GET, "/api/token", Some("erin")).await;
    assert_eq!(after.status, StatusCode::OK);
    assert_ne!(after.json["token"], cached.json["token"]);
    assert_ne!(after.json["user"], cached.json["user"]);
    assert!(h
        .emulator
        .validate_token(after.json["token"].as_str().unwrap())
        .is_valid());
}

#[tokio::test]
async fn a_local_revoke_drops_the_cached_tokens_of_every_key() {
    let h = harness(ServiceConfig::default()).await;
    let chat = call(
        &h.router,
        Method::GET,
        "/api/token?scopes=chat",
        Some("fay"),
    )
    .await;
    let voip = call(
        &h.router,
        Method::GET,
        "/api/token?scopes=voip",
        Some("fay"),
    )
    .await;
    call(&h.router, Method::POST, "/api/token/revoke", Some("fay")).await;
    let chat2 = call(
        &h.router,
        Method::GET,
        "/api/token?scopes=chat",
        Some("fay"),
    )
    .await;
    let voip2 = call(
        &h.router,
        Method::GET,
        "/api/token?scopes=voip",
        Some("fay"),
    )
    .await;
    assert_ne!(chat.json["token"], chat2.json["token"]);
    assert_ne!(voip.json["token"], voip2.json["token"]);
}
