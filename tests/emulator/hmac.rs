//! The `acs-identity` client against the emulator with a connection string (HMAC), over
//! plain HTTP and over HTTPS: every operation, every api-version, and the errors the client
//! cannot catch before sending.

use crate::support::{from_connection_string, service_error};
use acs_identity::{
    CommunicationIdentityClient, CommunicationTokenScope, CommunicationUserIdentifier,
    CreateUserAndTokenOptions, GetTokenOptions,
};
use acs_identity_emulator::{Emulator, ManualClock, TokenStatus};
use std::sync::Arc;
use std::time::Duration;

const VERSIONS: [&str; 7] = [
    "2021-03-07",
    "2022-06-01",
    "2022-10-01",
    "2023-10-01",
    "2025-03-02-preview",
    "2025-06-30",
    "2026-09-23",
];

fn now_whole_seconds() -> time::OffsetDateTime {
    let now = time::OffsetDateTime::now_utc();
    now.replace_nanosecond(0).unwrap()
}

async fn quickstart(
    client: &CommunicationIdentityClient,
    emu: &acs_identity_emulator::Emulator,
    version: &str,
) {
    let voip = [CommunicationTokenScope::VoIP];
    let user = client.create_user(None).await.unwrap();
    assert!(user.id().starts_with("8:acs:"), "{user}");
    let token = client.get_token(&user, &voip, None).await.unwrap();
    let first = token.token.secret().to_owned();
    assert!(emu.validate_token(&first).is_valid());

    if version >= "2022-10-01" {
        let token = client
            .get_token(
                &user,
                &voip,
                Some(GetTokenOptions {
                    token_expires_in: Some(Duration::from_secs(3600)),
                    ..Default::default()
                }),
            )
            .await
            .unwrap();
        let v = emu.validate_token(token.token.secret());
        assert_eq!(v.expires_on, Some(token.expires_on));
        assert_eq!(
            (token.expires_on - v.issued_at.unwrap()).whole_minutes(),
            60
        );
    }
    if version >= "2023-10-01" {
        let t = client
            .get_token(
                &user,
                &[
                    CommunicationTokenScope::ChatJoin,
                    CommunicationTokenScope::VoIPJoin,
                ],
                None,
            )
            .await
            .unwrap();
        assert_eq!(
            emu.validate_token(t.token.secret()).scopes,
            ["chat.join", "voip.join"]
        );
    }

    let (user2, token2) = client
        .create_user_and_token(
            &[CommunicationTokenScope::Chat, CommunicationTokenScope::VoIP],
            (version >= "2022-10-01").then(|| CreateUserAndTokenOptions {
                token_expires_in: Some(Duration::from_secs(120 * 60)),
                ..Default::default()
            }),
        )
        .await
        .unwrap();
    let v = emu.validate_token(token2.token.secret());
    assert!(v.is_valid());
    assert_eq!(v.identity.as_deref(), Some(user2.id()));
    assert_eq!(v.scopes, ["chat", "voip"]);

    client.revoke_tokens(&user, None).await.unwrap();
    assert_eq!(emu.validate_token(&first).status, TokenStatus::Revoked);

    client.delete_user(&user2, None).await.unwrap();
    assert_eq!(
        emu.validate_token(token2.token.secret()).status,
        TokenStatus::IdentityDeleted
    );
    let err = client.get_token(&user2, &voip, None).await.unwrap_err();
    assert_eq!(service_error(&err), (404, "IdentityNotFound".to_owned()));
    client.delete_user(&user, None).await.unwrap();
}

#[tokio::test]
async fn quickstart_over_http_in_every_api_version() {
    let clock = ManualClock::new(now_whole_seconds());
    let emu = Emulator::builder()
        .clock(Arc::new(clock))
        .start()
        .await
        .unwrap();
    for v in VERSIONS {
        let client = from_connection_string(&emu, v);
        quickstart(&client, &emu, v).await;
    }
    emu.shutdown().await;
}

/// A client built with default options sends the newest GA version, 2026-09-23
/// (needs an emulator that serves it).
#[tokio::test]
async fn quickstart_with_default_options() {
    let emu = Emulator::builder().start().await.unwrap();
    let client =
        CommunicationIdentityClient::from_connection_string(emu.connection_string(), None).unwrap();
    assert_eq!(client.api_version(), "2026-09-23");
    quickstart(&client, &emu, client.api_version()).await;
    emu.shutdown().await;
}

#[tokio::test]
async fn quickstart_over_https_with_the_emulator_ca() {
    let emu = Emulator::builder().tls(true).start().await.unwrap();
    assert!(emu.connection_string().starts_with("endpoint=https://"));
    let client = from_connection_string(&emu, "2023-10-01");
    quickstart(&client, &emu, "2023-10-01").await;
    emu.shutdown().await;
}

#[tokio::test]
async fn service_errors_reach_the_client() {
    let emu = Emulator::builder().start().await.unwrap();
    let client = from_connection_string(&emu, "2023-10-01");
    let chat = [CommunicationTokenScope::Chat];
    let foreign = CommunicationUserIdentifier::new(
        "8:acs:00000000-1111-2222-3333-444444444444_00000027-0000-4000-8000-000000000000",
    );
    let err = client.get_token(&foreign, &chat, None).await.unwrap_err();
    assert_eq!(service_error(&err), (401, "IdentityNotOwned".to_owned()));
    let err = client.revoke_tokens(&foreign, None).await.unwrap_err();
    assert_eq!(service_error(&err), (401, "IdentityNotOwned".to_owned()));
    let unknown = CommunicationUserIdentifier::new(format!(
        "8:acs:{}_00000027-0000-4000-8000-000000000000",
        emu.resource_id()
    ));
    let err = client.delete_user(&unknown, None).await.unwrap_err();
    assert_eq!(service_error(&err), (404, "IdentityNotFound".to_owned()));

    // The .join scopes do not exist in 2022-10-01: the client refuses them before
    // sending anything...
    let old = from_connection_string(&emu, "2022-10-01");
    let user = old.create_user(None).await.unwrap();
    let err = old
        .get_token(&user, &[CommunicationTokenScope::ChatJoin], None)
        .await
        .unwrap_err();
    let invalid = err
        .downcast_ref::<acs_identity::InvalidArgument>()
        .unwrap_or_else(|| panic!("expected an InvalidArgument, got {err:?}"));
    assert_eq!(invalid.argument(), "scopes");
    assert!(invalid.message().contains("2023-10-01"), "{invalid}");
    // ...and the emulator, sent the same scope as an unknown one (which the client
    // passes through), answers as the service does.
    let err = old
        .get_token(
            &user,
            &[CommunicationTokenScope::Other("chat.join".to_owned())],
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(service_error(&err), (400, "ValidationError".to_owned()));
    let acs = acs_identity::CommunicationError::from_error(&err).expect("an ACS error body");
    assert_eq!(acs.target.as_deref(), Some("Scopes"));

    // A wrong access key.
    let wrong = CommunicationIdentityClient::from_connection_string(
        &format!("endpoint={}/;accesskey=d3Jvbmcta2V5", emu.endpoint()),
        Some(crate::support::options(None, "2023-10-01")),
    )
    .unwrap();
    let err = wrong.create_user(None).await.unwrap_err();
    assert_eq!(service_error(&err), (401, "Denied".to_owned()));
    emu.shutdown().await;
}

#[tokio::test]
async fn teams_user_exchange() {
    let emu = Emulator::builder().start().await.unwrap();
    let client = from_connection_string(&emu, "2023-10-01");
    let app = "00000000-0000-0000-0000-000000000001";
    let oid = "00000000-0000-0000-0000-000000000002";
    let exp = (time::OffsetDateTime::now_utc() + time::Duration::hours(1)).unix_timestamp();
    let aad =
        crate::support::entra_token(serde_json::json!({"exp": exp, "appid": app, "oid": oid}));
    let token = client
        .get_token_for_teams_user(&aad, app, oid, None)
        .await
        .unwrap();
    assert_eq!(token.expires_on.unix_timestamp(), exp);
    assert!(emu.validate_token(token.token.secret()).is_valid());

    let err = client
        .get_token_for_teams_user(&aad, "00000000-0000-0000-0000-00000000000f", oid, None)
        .await
        .unwrap_err();
    assert_eq!(service_error(&err), (400, "ValidationError".to_owned()));
    let err = client
        .get_token_for_teams_user(&aad, app, "00000000-0000-0000-0000-00000000000f", None)
        .await
        .unwrap_err();
    assert_eq!(service_error(&err), (400, "ValidationError".to_owned()));
    let expired =
        crate::support::entra_token(serde_json::json!({"exp": 1000, "appid": app, "oid": oid}));
    let err = client
        .get_token_for_teams_user(&expired, app, oid, None)
        .await
        .unwrap_err();
    assert_eq!(service_error(&err), (401, "InvalidAccessToken".to_owned()));
    emu.shutdown().await;
}

#[tokio::test]
async fn client_retries_through_injected_429s() {
    let emu = Emulator::builder()
        .fault_every(2)
        .fault_retry_after(Duration::ZERO)
        .start()
        .await
        .unwrap();
    let mut opts = crate::support::options(None, "2023-10-01");
    opts.client_options.retry =
        azure_core::http::RetryOptions::fixed(azure_core::http::FixedRetryOptions {
            delay: azure_core::time::Duration::milliseconds(1),
            max_retries: 3,
            ..Default::default()
        });
    let client =
        CommunicationIdentityClient::from_connection_string(emu.connection_string(), Some(opts))
            .unwrap();
    // Requests 2, 4, 6... are answered 429 with Retry-After: 0; the client retries them.
    let user = client.create_user(None).await.unwrap();
    for _ in 0..3 {
        client
            .get_token(&user, &[CommunicationTokenScope::Chat], None)
            .await
            .unwrap();
    }
    client.delete_user(&user, None).await.unwrap();
    emu.shutdown().await;
}
