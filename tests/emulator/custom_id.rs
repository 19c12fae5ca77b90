//! Custom ids and user detail, client against emulator on `2025-03-02-preview`:
//! the same custom id returns the same identity, and the user detail's custom id
//! and last-token time.

use crate::support::{from_connection_string, service_error};
use crate::teams_extension_assignments::assignment_flow;
use acs_identity::{
    models::api_version, CommunicationIdentityClient, CommunicationTokenScope,
    CreateUserAndTokenOptions, CreateUserOptions,
};
use acs_identity_emulator::{Emulator, ManualClock};
use std::sync::Arc;

pub fn custom(id: &str) -> Option<CreateUserOptions<'static>> {
    Some(CreateUserOptions {
        custom_id: Some(id.to_owned()),
        ..Default::default()
    })
}

/// The custom-id and user-detail flow on one client; returns alice's identity.
pub async fn custom_id_flow(
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
