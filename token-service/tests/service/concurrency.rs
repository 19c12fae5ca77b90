//! Get-or-create under concurrency: one identity per app user, in one instance and across
//! two instances sharing a store; identities of lost races deleted.

use crate::common::{call, client, harness, service, Answer};
use acs_token_service::{Operation, ServiceConfig, TokenService};
use axum::http::{Method, StatusCode};
use futures::future::join_all;
use std::collections::HashSet;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_first_token_requests_make_one_identity() {
    let h = harness(ServiceConfig::default()).await;
    let answers: Vec<Answer> = join_all((0..50).map(|_| {
        let router = h.router.clone();
        async move { call(&router, Method::GET, "/api/token", Some("storm")).await }
    }))
    .await;
    let ids: HashSet<_> = answers
        .iter()
        .map(|a| {
            assert_eq!(a.status, StatusCode::OK, "{}", a.text);
            a.json["user"]["communicationUserId"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(ids.len(), 1);
    let m = h.service.metrics();
    assert_eq!(m.acs_calls(Operation::CreateUserAndToken), 1);
    assert_eq!(m.acs_calls(Operation::Create), 0);
    assert_eq!(
        m.acs_calls(Operation::Issue),
        0,
        "the 49 others share the first token"
    );
    assert_eq!(m.acs_calls(Operation::Delete), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_post_user_make_one_identity() {
    let h = harness(ServiceConfig::default()).await;
    let answers: Vec<Answer> = join_all((0..50).map(|_| {
        let router = h.router.clone();
        async move { call(&router, Method::POST, "/api/user", Some("storm")).await }
    }))
    .await;
    let created = answers
        .iter()
        .filter(|a| a.status == StatusCode::CREATED)
        .count();
    let ok = answers
        .iter()
        .filter(|a| a.status == StatusCode::OK)
        .count();
    assert_eq!((created, ok), (1, 49));
    let ids: HashSet<_> = answers
        .iter()
        .map(|a| a.json["acsUserIdentity"].clone())
        .collect();
    assert_eq!(ids.len(), 1);
    assert_eq!(h.service.metrics().acs_calls(Operation::Create), 1);
}

/// Two instances sharing `store` take `per_user` concurrent first requests for each of
/// `users` app users; checks one identity each and no identity left behind.
pub async fn two_instances_race(
    a: &TokenService,
    b: &TokenService,
    run: &str,
    users: usize,
    per_user: usize,
) {
    let routers = [a.router(), b.router()];
    let requests = (0..users).flat_map(|u| (0..per_user).map(move |i| (u, i)));
    let answers: Vec<(usize, Answer)> = join_all(requests.map(|(u, i)| {
        let router = routers[i % 2].clone();
        async move {
            let user = format!("racer-{run}-{u}");
            (
                u,
                call(&router, Method::GET, "/api/token", Some(&user)).await,
            )
        }
    }))
    .await;
    for u in 0..users {
        let ids: HashSet<_> = answers
            .iter()
            .filter(|(x, _)| *x == u)
            .map(|(_, a)| {
                assert_eq!(a.status, StatusCode::OK, "{}", a.text);
                a.json["user"]["communicationUserId"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        assert_eq!(ids.len(), 1, "user {u} got several identities");
    }
    // Every identity created is mapped or deleted: none orphaned.
    let created: u64 = [a, b]
        .iter()
        .map(|s| {
            s.metrics()
                .acs_calls_with(Operation::CreateUserAndToken, "ok")
                + s.metrics().acs_calls_with(Operation::Create, "ok")
        })
        .sum();
    let deleted: u64 = [a, b]
        .iter()
        .map(|s| s.metrics().acs_calls_with(Operation::Delete, "ok"))
        .sum();
    assert_eq!(
        created - deleted,
        users as u64,
        "created {created}, deleted {deleted}"
    );
    // At most one creation per user per instance (single-flight inside each).
    assert!(created <= 2 * users as u64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_sharing_a_store_make_one_identity_per_user() {
    let h = harness(ServiceConfig::default()).await;
    let b = service(
        client(&h.emulator),
        h.store.clone(),
        ServiceConfig::default(),
    );
    two_instances_race(&h.service, &b, "local", 5, 50).await;
    assert!(h.store.pending_deletions(100).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_cache_misses_make_one_issue_call() {
    let h = harness(ServiceConfig::default()).await;
    assert_eq!(
        call(&h.router, Method::POST, "/api/user", Some("miss"))
            .await
            .status,
        StatusCode::CREATED
    );
    let answers: Vec<Answer> = join_all((0..50).map(|_| {
        let router = h.router.clone();
        async move { call(&router, Method::GET, "/api/token?scopes=voip", Some("miss")).await }
    }))
    .await;
    let tokens: HashSet<_> = answers
        .iter()
        .map(|a| {
            assert_eq!(a.status, StatusCode::OK, "{}", a.text);
            a.json["token"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(tokens.len(), 1);
    assert_eq!(h.service.metrics().acs_calls(Operation::Issue), 1);
    assert_eq!(h.service.metrics().cache_counts(), (49, 1));
}
