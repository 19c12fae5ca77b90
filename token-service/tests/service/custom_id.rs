//! The `acs-custom-id` mode: no database, ACS custom ids as the mapping (api-version
//! 2025-03-02-preview), against the in-process emulator.

use crate::common::{call, client, Answer, TestAuth};
use acs_identity::{CommunicationIdentityClient, CommunicationIdentityClientOptions};
use acs_identity_emulator::Emulator;
use acs_token_service::{
    custom_id_for, server::custom_id_api_version, settings::Settings, Operation, ServiceConfig,
    TokenService, CUSTOM_ID_API_VERSION,
};
use axum::http::{Method, StatusCode};
use futures::future::join_all;
use std::{collections::HashSet, sync::Arc};

fn preview_client(emulator: &Emulator) -> CommunicationIdentityClient {
    let options = CommunicationIdentityClientOptions {
        api_version: CUSTOM_ID_API_VERSION.to_owned(),
        ..Default::default()
    };
    CommunicationIdentityClient::from_connection_string(emulator.connection_string(), Some(options))
        .expect("the emulator's connection string")
}

fn custom_id_service(emulator: &Emulator) -> TokenService {
    TokenService::builder()
        .client(preview_client(emulator))
        .authenticator(Arc::new(TestAuth))
        .acs_custom_ids()
        .build()
        .expect("the acs-custom-id mode builds on the preview api-version")
}

/// The identity ACS holds for test user `name` (the harness's app user `test|NAME`).
fn in_acs(emulator: &Emulator, name: &str) -> Option<String> {
    emulator.identity_with_custom_id(&custom_id_for(&format!("test|{name}")))
}

fn token_user(answer: &Answer) -> String {
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    answer.json["user"]["communicationUserId"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn two_instances_give_an_app_user_the_same_identity() {
    let emulator = Emulator::builder().start().await.unwrap();
    let (a, b) = (custom_id_service(&emulator), custom_id_service(&emulator));
    assert!(a.uses_acs_custom_ids());
    let created = call(&a.router(), Method::POST, "/api/user", Some("ann")).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let id = created.json["acsUserIdentity"].as_str().unwrap().to_owned();
    assert_eq!(in_acs(&emulator, "ann").as_deref(), Some(id.as_str()));
    // The other instance has no database to share, yet finds the same identity.
    let token = call(&b.router(), Method::GET, "/api/token", Some("ann")).await;
    assert_eq!(token_user(&token), id);
    let again = call(&a.router(), Method::POST, "/api/user", Some("ann")).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json["acsUserIdentity"], id.as_str());
    // Another app user, another identity.
    let other = call(&b.router(), Method::GET, "/api/token", Some("bob")).await;
    assert_ne!(token_user(&other), id);
    assert_eq!(in_acs(&emulator, "bob"), Some(token_user(&other)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_first_requests_on_two_instances_make_one_identity() {
    let emulator = Emulator::builder().start().await.unwrap();
    let instances = [custom_id_service(&emulator), custom_id_service(&emulator)];
    let routers = [instances[0].router(), instances[1].router()];
    let answers: Vec<Answer> = join_all((0..50).map(|i| {
        let router = routers[i % 2].clone();
        async move { call(&router, Method::GET, "/api/token", Some("storm")).await }
    }))
    .await;
    let ids: HashSet<String> = answers.iter().map(token_user).collect();
    assert_eq!(ids.len(), 1, "{ids:?}");
    let id = ids.into_iter().next().unwrap();
    assert_eq!(in_acs(&emulator, "storm"), Some(id));
    for instance in &instances {
        let m = instance.metrics();
        // One createUserAndToken per instance (the others of that instance wait for it and
        // share its token); nothing is created without the custom id, nothing deleted.
        assert_eq!(m.acs_calls(Operation::CreateUserAndToken), 1);
        assert_eq!(m.acs_calls(Operation::Create), 0);
        assert_eq!(m.acs_calls(Operation::Issue), 0);
        assert_eq!(m.acs_calls(Operation::Delete), 0);
    }
}

#[tokio::test]
async fn delete_removes_the_identity_and_a_later_request_makes_a_new_one() {
    let emulator = Emulator::builder().start().await.unwrap();
    let (a, b) = (custom_id_service(&emulator), custom_id_service(&emulator));
    let first = token_user(&call(&a.router(), Method::GET, "/api/token", Some("cy")).await);
    let deleted = call(&a.router(), Method::DELETE, "/api/user", Some("cy")).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.text);
    assert_eq!(in_acs(&emulator, "cy"), None, "deleted in ACS");
    let second = token_user(&call(&a.router(), Method::GET, "/api/token", Some("cy")).await);
    assert_ne!(second, first, "a new identity for the same custom id");
    assert_eq!(in_acs(&emulator, "cy").as_deref(), Some(second.as_str()));
    // An instance that never saw the app user deletes its identity too (it finds it by
    // its custom id first).
    let deleted = call(&b.router(), Method::DELETE, "/api/user", Some("cy")).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.text);
    assert_eq!(in_acs(&emulator, "cy"), None);
    assert_eq!(b.metrics().acs_calls(Operation::Delete), 1);
}

#[tokio::test]
async fn get_user_and_revoke_find_the_identity_by_creating_it() {
    let emulator = Emulator::builder().start().await.unwrap();
    let service = custom_id_service(&emulator);
    // No 404 in this mode: ACS cannot be asked about a custom id without creating it.
    let got = call(&service.router(), Method::GET, "/api/user", Some("dee")).await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.text);
    assert_eq!(
        in_acs(&emulator, "dee").as_deref(),
        got.json["acsUserIdentity"].as_str()
    );
    let other = custom_id_service(&emulator);
    let revoked = call(
        &other.router(),
        Method::POST,
        "/api/token/revoke",
        Some("dee"),
    )
    .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT, "{}", revoked.text);
    assert_eq!(other.metrics().acs_calls(Operation::Revoke), 1);
}

#[tokio::test]
async fn the_mode_is_refused_on_a_ga_api_version_and_with_conflicting_parts() {
    let emulator = Emulator::builder().start().await.unwrap();
    // `client` is on the crate's default, a GA api-version without custom ids.
    let ga = TokenService::builder()
        .client(client(&emulator))
        .authenticator(Arc::new(TestAuth))
        .acs_custom_ids()
        .build()
        .unwrap_err()
        .to_string();
    assert!(ga.contains(CUSTOM_ID_API_VERSION), "{ga}");
    assert!(
        ga.contains(acs_identity::models::api_version::DEFAULT),
        "{ga}"
    );
    let require_user = TokenService::builder()
        .client(preview_client(&emulator))
        .authenticator(Arc::new(TestAuth))
        .acs_custom_ids()
        .config(ServiceConfig {
            require_user: true,
            ..Default::default()
        })
        .build()
        .unwrap_err()
        .to_string();
    assert!(require_user.contains("require_user"), "{require_user}");
    let with_store = TokenService::builder()
        .client(preview_client(&emulator))
        .authenticator(Arc::new(TestAuth))
        .store(Arc::new(acs_token_service::store::MemoryStore::new()))
        .acs_custom_ids()
        .build()
        .unwrap_err()
        .to_string();
    assert!(with_store.contains("no mapping store"), "{with_store}");
}

fn settings(api_version: Option<&str>) -> Settings {
    Settings::load(None, |name| match name {
        "ACS_TOKEN_SERVICE_ISSUER" => Some("https://login.example/t/v2.0".to_owned()),
        "ACS_TOKEN_SERVICE_AUDIENCE" => Some("api://ts".to_owned()),
        "ACS_TOKEN_SERVICE_DATABASE_URL" => Some("acs-custom-id".to_owned()),
        "COMMUNICATION_SERVICES_API_VERSION" => api_version.map(str::to_owned),
        _ => None,
    })
    .unwrap()
}

#[test]
fn the_binary_defaults_the_mode_to_the_preview_and_refuses_another_api_version() {
    let mut unset = settings(None);
    custom_id_api_version(&mut unset).unwrap();
    assert_eq!(unset.api_version.as_deref(), Some(CUSTOM_ID_API_VERSION));
    let mut preview = settings(Some(CUSTOM_ID_API_VERSION));
    custom_id_api_version(&mut preview).unwrap();
    let mut ga = settings(Some("2025-06-30"));
    let refused = custom_id_api_version(&mut ga).unwrap_err().to_string();
    for needle in [
        "acs-custom-id",
        CUSTOM_ID_API_VERSION,
        "2025-06-30",
        "COMMUNICATION_SERVICES_API_VERSION",
    ] {
        assert!(refused.contains(needle), "{needle}: {refused}");
    }
}

#[tokio::test]
async fn an_instance_forgets_an_identity_deleted_through_another_on_acs_404() {
    let emulator = Emulator::builder().start().await.unwrap();
    let uncached = || {
        TokenService::builder()
            .client(preview_client(&emulator))
            .authenticator(Arc::new(TestAuth))
            .acs_custom_ids()
            .config(ServiceConfig {
                cache: false,
                ..Default::default()
            })
            .build()
            .unwrap()
    };
    let (a, b) = (uncached(), uncached());
    let first = token_user(&call(&a.router(), Method::GET, "/api/token", Some("eve")).await);
    let deleted = call(&b.router(), Method::DELETE, "/api/user", Some("eve")).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.text);
    // `a` still remembers the deleted identity: ACS's 404 on issue makes it find the
    // custom id's new one.
    let second = token_user(&call(&a.router(), Method::GET, "/api/token", Some("eve")).await);
    assert_ne!(second, first);
    assert_eq!(in_acs(&emulator, "eve").as_deref(), Some(second.as_str()));
    // The same for a revoke.
    let deleted = call(&b.router(), Method::DELETE, "/api/user", Some("eve")).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.text);
    let revoked = call(&a.router(), Method::POST, "/api/token/revoke", Some("eve")).await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT, "{}", revoked.text);
    let third = in_acs(&emulator, "eve").expect("a new identity");
    assert_ne!(third, second);
    let user = call(&a.router(), Method::GET, "/api/user", Some("eve")).await;
    assert_eq!(user.json["acsUserIdentity"], third.as_str());
}
