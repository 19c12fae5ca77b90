//! The blocking client (feature `blocking`): every operation without an async
//! runtime, clones used from several threads, the refusal inside a runtime (no
//! panic, no deadlock), and its runtime thread ending with the last clone.

use crate::support::*;
use acs_identity::{
    blocking::CommunicationIdentityClient, models::api_version, CommunicationIdentityClientOptions,
    CommunicationTokenScope, CommunicationUserIdentifier, CreateUserOptions, GetTokenOptions,
    TeamsExtensionAssignment, TeamsExtensionPrincipalType,
};
use std::{sync::Mutex, time::Duration};
use wiremock::{
    matchers::{method, path, path_regex},
    Mock, MockServer, ResponseTemplate,
};

/// The tests count the runtime threads of this process: one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

const TENANT: &str = "2dee53b4-368b-45b4-ab52-8493fb117652";
const OBJECT: &str = "0c5b0c7e-1234-4d2f-9a7b-3f1e2d4c5b6a";

/// A wiremock server on a runtime of its own (the test thread has none), answering
/// every operation.
fn server() -> (tokio::runtime::Runtime, MockServer) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        let token = serde_json::json!({"token": TOKEN, "expiresOn": "2030-01-01T00:00:00Z"});
        let assignment = serde_json::json!({
            "objectId": OBJECT, "tenantId": TENANT, "principalType": "user", "clientIds": []
        });
        let mocks = [
            Mock::given(method("POST"))
                .and(path("/identities"))
                .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({
                    "identity": {"id": USER_ID, "customId": "alice"}, "accessToken": token
                }))),
            Mock::given(method("POST"))
                .and(path_regex(":issueAccessToken$"))
                .respond_with(ResponseTemplate::new(200).set_body_json(&token)),
            Mock::given(method("POST"))
                .and(path("/teamsUser/:exchangeAccessToken"))
                .respond_with(ResponseTemplate::new(200).set_body_json(&token)),
            Mock::given(method("POST"))
                .and(path_regex(":revokeAccessTokens$"))
                .respond_with(ResponseTemplate::new(204)),
            Mock::given(method("GET"))
                .and(path(format!("/identities/{USER_ID_ENCODED}")))
                .respond_with(
                    ResponseTemplate::new(200)
                        .set_body_json(serde_json::json!({"id": USER_ID, "customId": "alice"})),
                ),
            Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(204)),
            Mock::given(method("PUT"))
                .respond_with(ResponseTemplate::new(201).set_body_json(&assignment)),
            Mock::given(method("GET"))
                .and(path_regex("^/access/"))
                .respond_with(ResponseTemplate::new(200).set_body_json(&assignment)),
        ];
        for mock in mocks {
            mock.mount(&server).await;
        }
        server
    });
    (runtime, server)
}

fn blocking_client(server: &MockServer, version: &str) -> CommunicationIdentityClient {
    CommunicationIdentityClient::from_connection_string(
        &connection_string(server),
        Some(CommunicationIdentityClientOptions {
            api_version: version.to_owned(),
            ..no_retry()
        }),
    )
    .unwrap()
}

/// Threads of this process whose name starts as the runtime thread's does.
#[cfg(target_os = "linux")]
fn runtime_threads() -> usize {
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("comm")).ok())
        .filter(|name| name.starts_with("acs-identity-bl"))
        .count()
}

#[test]
fn every_operation_without_a_runtime() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let (runtime, server) = server();
    let client = blocking_client(&server, api_version::V2025_03_02_PREVIEW);
    assert_eq!(client.api_version(), "2025-03-02-preview");
    assert!(client.endpoint().as_str().starts_with("http://127.0.0.1:"));
    let chat = [CommunicationTokenScope::Chat];

    let options = CreateUserOptions {
        custom_id: Some("alice".to_owned()),
        ..Default::default()
    };
    let user = client.create_user(Some(options)).unwrap();
    assert_eq!(user.id(), USER_ID);
    let (user2, token) = client.create_user_and_token(&chat, None).unwrap();
    assert_eq!((user2.id(), token.token.secret()), (USER_ID, TOKEN));
    let one_hour = GetTokenOptions {
        token_expires_in: Some(Duration::from_secs(3600)),
        ..Default::default()
    };
    assert_eq!(
        client
            .get_token(&user, &chat, Some(one_hour))
            .unwrap()
            .token
            .secret(),
        TOKEN
    );
    let detail = client.get_user_detail(&user, None).unwrap();
    assert_eq!(detail.custom_id.as_deref(), Some("alice"));
    client.revoke_tokens(&user, None).unwrap();
    let aad = "eyJhbGciOiJSUzI1NiJ9.eyJvaWQiOiJ4In0.c2ln";
    let teams = client
        .get_token_for_teams_user(aad, OBJECT, OBJECT, None)
        .unwrap();
    assert_eq!(teams.token.secret(), TOKEN);
    let assignment = TeamsExtensionAssignment {
        tenant_id: TENANT.to_owned(),
        object_id: OBJECT.to_owned(),
        principal_type: TeamsExtensionPrincipalType::User,
        client_ids: Vec::new(),
    };
    assert_eq!(
        client
            .create_or_replace_teams_extension_assignment(&assignment, None)
            .unwrap(),
        assignment
    );
    assert_eq!(
        client
            .get_teams_extension_assignment(TENANT, OBJECT, None)
            .unwrap(),
        assignment
    );
    client
        .delete_teams_extension_assignment(TENANT, OBJECT, None)
        .unwrap();
    client.delete_user(&user, None).unwrap();

    let methods: Vec<String> = runtime
        .block_on(server.received_requests())
        .unwrap()
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    assert_eq!(methods.len(), 10, "{methods:?}");
    for request in runtime.block_on(server.received_requests()).unwrap() {
        assert_signed(&request, KEY);
    }

    // Client-side validation is the async client's: nothing is sent.
    let err = client.get_token(&user, &[], None).unwrap_err();
    assert!(
        err.downcast_ref::<acs_identity::InvalidArgument>()
            .is_some(),
        "{err:?}"
    );
    assert_eq!(
        runtime.block_on(server.received_requests()).unwrap().len(),
        10
    );
}

#[test]
fn clones_are_send_and_sync_and_work_from_many_threads() {
    fn send_sync<T: Send + Sync + Clone + 'static>() {}
    send_sync::<CommunicationIdentityClient>();

    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let (runtime, server) = server();
    let client = blocking_client(&server, api_version::DEFAULT);
    let user = CommunicationUserIdentifier::new(USER_ID);
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let (client, user) = (client.clone(), user.clone());
            std::thread::spawn(move || {
                client
                    .get_token(&user, &[CommunicationTokenScope::VoIP], None)
                    .map(|t| t.token.secret().to_owned())
            })
        })
        .collect();
    for thread in threads {
        assert_eq!(thread.join().unwrap().unwrap(), TOKEN);
    }
    assert_eq!(
        runtime.block_on(server.received_requests()).unwrap().len(),
        8
    );
}

#[test]
#[cfg(target_os = "linux")]
fn the_runtime_thread_stops_with_the_last_clone() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let (_runtime, server) = server();
    let before = runtime_threads();
    let client = blocking_client(&server, api_version::DEFAULT);
    assert_eq!(
        runtime_threads(),
        before + 1,
        "one runtime thread per client"
    );
    let clone = client.clone();
    assert_eq!(runtime_threads(), before + 1, "clones share it");
    drop(client);
    clone.create_user(None).unwrap();
    assert_eq!(runtime_threads(), before + 1, "alive while a clone is");
    drop(clone);
    // Drop joins the thread, so it is gone now.
    assert_eq!(runtime_threads(), before);
}

// The two tests below start blocking clients (runtime threads) too, so they take SERIAL
// like the others: `the_runtime_thread_stops_with_the_last_clone` counts those threads
// process-wide. The lock is held outside the async body (not across an await).
#[test]
fn inside_a_current_thread_runtime_it_refuses_instead_of_deadlocking() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(inside_a_current_thread_runtime());
}

async fn inside_a_current_thread_runtime() {
    let server = MockServer::start().await;
    let client = blocking_client(&server, api_version::DEFAULT);
    let err = client.create_user(None).unwrap_err();
    assert!(
        err.to_string()
            .contains("called from inside an async runtime")
            && err.to_string().contains("use the async"),
        "{err}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
    // Dropping it here does not hang either (the thread ends at once).
    drop(client);
}

#[test]
fn inside_a_multi_thread_runtime_it_refuses_too() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(inside_a_multi_thread_runtime());
}

async fn inside_a_multi_thread_runtime() {
    let server = MockServer::start().await;
    let client = blocking_client(&server, api_version::DEFAULT);
    let user = CommunicationUserIdentifier::new(USER_ID);
    let err = client
        .get_token(&user, &[CommunicationTokenScope::Chat], None)
        .unwrap_err();
    assert!(err.to_string().contains("use the async"), "{err}");
    // A plain thread started from here has no runtime context: there it works
    // (no mock is mounted, so the answer is wiremock's 404, not a refusal).
    let status = std::thread::spawn(move || {
        client
            .get_token(&user, &[CommunicationTokenScope::Chat], None)
            .unwrap_err()
            .http_status()
            .map(u16::from)
    })
    .join()
    .unwrap();
    assert_eq!(status, Some(404));
}

#[test]
fn entra_assignments_without_a_runtime() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(MockServer::start());
    let entry = |object_id: &str| {
        serde_json::json!({
            "objectId": object_id, "tenantId": TENANT, "principalType": "user", "clientIds": []
        })
    };
    let next = format!(
        "{}/access/entra/assignments?api-version=2025-03-02-preview&skip=1",
        server.uri()
    );
    runtime.block_on(async {
        Mock::given(method("GET"))
            .and(wiremock::matchers::query_param_is_missing("skip"))
            .and(path("/access/entra/assignments"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(serde_json::json!({"value": [entry(OBJECT)], "nextLink": next})),
            )
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(wiremock::matchers::query_param("skip", "1"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(serde_json::json!({"value": [entry(TENANT)]})),
            )
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(format!("/access/entra/assignments/{OBJECT}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(entry(OBJECT)))
            .mount(&server)
            .await;
        Mock::given(method("PUT"))
            .respond_with(ResponseTemplate::new(200).set_body_json(entry(OBJECT)))
            .mount(&server)
            .await;
        Mock::given(method("PATCH"))
            .respond_with(ResponseTemplate::new(204))
            .mount(&server)
            .await;
        Mock::given(method("DELETE"))
            .respond_with(ResponseTemplate::new(204))
            .mount(&server)
            .await;
    });
    let client = blocking_client(&server, api_version::V2025_03_02_PREVIEW);
    let ids: Vec<String> = client
        .list_entra_assignments(None)
        .unwrap()
        .map(|assignment| assignment.unwrap().object_id)
        .collect();
    assert_eq!(ids, [OBJECT, TENANT]);
    let one = client.get_entra_assignment(OBJECT, None).unwrap();
    assert_eq!(
        client
            .create_or_replace_entra_assignment(&one, None)
            .unwrap(),
        one
    );
    assert!(client
        .update_entra_assignments(&[(OBJECT.to_owned(), None)], None)
        .unwrap()
        .is_empty());
    client.delete_entra_assignment(OBJECT, None).unwrap();
    assert_eq!(
        runtime.block_on(server.received_requests()).unwrap().len(),
        6
    );
}
