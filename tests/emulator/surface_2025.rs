//! The 2025 surface, client against emulator: custom ids, user detail and its
//! last-token time, Teams Extension assignments, each version gate, and the same
//! flow over `--data-dir` across a restart.

use crate::support::{from_connection_string, service_error};
use acs_identity::{
    models::api_version, CommunicationIdentityClient, CommunicationTokenScope,
    CreateUserAndTokenOptions, CreateUserOptions, InvalidArgument, TeamsExtensionAssignment,
    TeamsExtensionPrincipalType,
};
use acs_identity_emulator::{Emulator, ManualClock};
use std::sync::Arc;

const TENANT: &str = "2dee53b4-368b-45b4-ab52-8493fb117652";
const OBJECT: &str = "0c5b0c7e-1234-4d2f-9a7b-3f1e2d4c5b6a";
const APP: &str = "1fd5d3a1-8f0b-4a7c-9e2d-6b5a4c3d2e1f";

fn custom(id: &str) -> Option<CreateUserOptions<'static>> {
    Some(CreateUserOptions {
        custom_id: Some(id.to_owned()),
        ..Default::default()
    })
}

fn assignment(principal_type: TeamsExtensionPrincipalType) -> TeamsExtensionAssignment {
    TeamsExtensionAssignment {
        tenant_id: TENANT.to_owned(),
        object_id: OBJECT.to_owned(),
        principal_type,
        client_ids: vec![APP.to_owned()],
    }
}

fn invalid(err: &azure_core::Error) -> &InvalidArgument {
    err.downcast_ref::<InvalidArgument>()
        .unwrap_or_else(|| panic!("expected an InvalidArgument, got {err:?}"))
}

/// The custom-id and user-detail flow on one client; returns alice's identity.
async fn custom_id_flow(
    client: &CommunicationIdentityClient,
    clock: &ManualClock,
) -> acs_identity::CommunicationUserIdentifier {
    let alice = client.create_user(custom("alice")).await.unwrap();
    assert_eq!(client.create_user(custom("alice")).await.unwrap(), alice);
    let bob = client.create_user(custom("bob")).await.unwrap();
    assert_ne!(bob, alice);
    // create_user_and_token with the same custom id: the same identity, a token.
    let options = CreateUserAndTokenOptions {
        custom_id: Some("alice".to_owned()),
        ..Default::default()
    };
    let (again, _token) = client
        .create_user_and_token(&[CommunicationTokenScope::Chat], Some(options))
        .await
        .unwrap();
    assert_eq!(again, alice);

    let detail = client.get_user_detail(&alice, None).await.unwrap();
    assert_eq!(detail.user, alice);
    assert_eq!(detail.custom_id.as_deref(), Some("alice"));
    let first = detail.last_token_issued_at.expect("a token was issued");

    // The last-token time moves forward with the next token.
    clock.advance(time::Duration::seconds(90));
    client
        .get_token(&alice, &[CommunicationTokenScope::VoIP], None)
        .await
        .unwrap();
    let later = client
        .get_user_detail(&alice, None)
        .await
        .unwrap()
        .last_token_issued_at
        .unwrap();
    assert_eq!((later - first).whole_seconds(), 90);

    let detail = client.get_user_detail(&bob, None).await.unwrap();
    assert_eq!(detail.custom_id.as_deref(), Some("bob"));
    assert_eq!(detail.last_token_issued_at, None, "bob never got a token");

    // A deleted identity frees its custom id.
    client.delete_user(&bob, None).await.unwrap();
    let err = client.get_user_detail(&bob, None).await.unwrap_err();
    assert_eq!(service_error(&err), (404, "IdentityNotFound".to_owned()));
    let new_bob = client.create_user(custom("bob")).await.unwrap();
    assert_ne!(new_bob, bob);
    alice
}

async fn assignment_flow(client: &CommunicationIdentityClient) {
    let user = assignment(TeamsExtensionPrincipalType::User);
    assert_eq!(
        client
            .create_or_replace_teams_extension_assignment(&user, None)
            .await
            .unwrap(),
        user
    );
    // Replacing it (a 200 this time) with a resource account and no client ids.
    let account = TeamsExtensionAssignment {
        client_ids: Vec::new(),
        ..assignment(TeamsExtensionPrincipalType::ResourceAccount)
    };
    assert_eq!(
        client
            .create_or_replace_teams_extension_assignment(&account, None)
            .await
            .unwrap(),
        account
    );
    assert_eq!(
        client
            .get_teams_extension_assignment(TENANT, OBJECT, None)
            .await
            .unwrap(),
        account
    );
    client
        .delete_teams_extension_assignment(TENANT, OBJECT, None)
        .await
        .unwrap();
    let err = client
        .get_teams_extension_assignment(TENANT, OBJECT, None)
        .await
        .unwrap_err();
    assert_eq!(service_error(&err), (404, "AssignmentNotFound".to_owned()));
    assert!(err.to_string().starts_with("AssignmentNotFound: "), "{err}");
}

#[tokio::test]
async fn custom_ids_user_detail_and_assignments() {
    let clock = Arc::new(ManualClock::new(time::OffsetDateTime::now_utc()));
    let emu = Emulator::builder()
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    let preview = from_connection_string(&emu, api_version::V2025_03_02_PREVIEW);
    let alice = custom_id_flow(&preview, &clock).await;
    assert_eq!(
        emu.identity_with_custom_id("alice").as_deref(),
        Some(alice.id())
    );
    assignment_flow(&preview).await;
    // The GA version has the assignments too.
    assignment_flow(&from_connection_string(&emu, api_version::V2025_06_30)).await;
    emu.shutdown().await;
}

#[tokio::test]
async fn version_gates_send_nothing_the_version_lacks() {
    let emu = Emulator::builder().start().await.unwrap();
    let ga = from_connection_string(&emu, api_version::V2025_06_30);
    let user = ga.create_user(None).await.unwrap();
    let err = ga.create_user(custom("alice")).await.unwrap_err();
    assert_eq!(invalid(&err).argument(), "custom_id");
    let err = ga.get_user_detail(&user, None).await.unwrap_err();
    assert!(
        invalid(&err).message().contains("2025-03-02-preview"),
        "{err}"
    );
    let old = from_connection_string(&emu, api_version::V2023_10_01);
    let err = old
        .get_teams_extension_assignment(TENANT, OBJECT, None)
        .await
        .unwrap_err();
    assert!(
        invalid(&err)
            .message()
            .contains("2025-03-02-preview or 2025-06-30"),
        "{err}"
    );
    assert_eq!(
        emu.identity_with_custom_id("alice"),
        None,
        "nothing was sent"
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn the_same_flow_across_a_restart_with_a_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(time::OffsetDateTime::now_utc()));
    let start = || {
        Emulator::builder()
            .data_dir(dir.path())
            .clock(clock.clone())
            .start()
    };
    let emu = start().await.unwrap();
    let client = from_connection_string(&emu, api_version::V2025_03_02_PREVIEW);
    let alice = custom_id_flow(&client, &clock).await;
    let before = client.get_user_detail(&alice, None).await.unwrap();
    client
        .create_or_replace_teams_extension_assignment(
            &assignment(TeamsExtensionPrincipalType::User),
            None,
        )
        .await
        .unwrap();
    emu.shutdown().await;

    let emu = start().await.unwrap();
    let client = from_connection_string(&emu, api_version::V2025_03_02_PREVIEW);
    assert_eq!(client.create_user(custom("alice")).await.unwrap(), alice);
    assert_eq!(client.get_user_detail(&alice, None).await.unwrap(), before);
    assert_eq!(
        client
            .get_teams_extension_assignment(TENANT, OBJECT, None)
            .await
            .unwrap(),
        assignment(TeamsExtensionPrincipalType::User)
    );
    emu.shutdown().await;
}
