//! The `acs-identity` client with Entra ID (bearer) authentication against the emulator over
//! TLS: azure_core's bearer policy needs https, so the client's transport, a
//! `reqwest::Client` built as a user would, trusts the emulator's CA.

use crate::support::{options, service_error};
use acs_identity::{CommunicationIdentityClient, CommunicationTokenScope};
use acs_identity_emulator::{BearerPolicy, Emulator, TokenStatus};
use acs_testing::FakeCredential;

/// An emulator over TLS that accepts one bearer token.
async fn tls_emulator_accepting(token: &str) -> acs_identity_emulator::Emulator {
    Emulator::builder()
        .tls(true)
        .bearer_policy(BearerPolicy::Only(vec![token.into()]))
        .start()
        .await
        .unwrap()
}

#[tokio::test]
async fn every_operation_with_a_bearer_token() {
    let emu = tls_emulator_accepting("entra-token").await;
    let client = CommunicationIdentityClient::new(
        emu.endpoint(),
        FakeCredential::new("entra-token"),
        Some(options(emu.ca_certificate_pem(), "2023-10-01")),
    )
    .unwrap();
    let voip = [CommunicationTokenScope::VoIP];
    let user = client.create_user(None).await.unwrap();
    let token = client.get_token(&user, &voip, None).await.unwrap();
    let (user2, token2) = client.create_user_and_token(&voip, None).await.unwrap();
    assert!(emu.validate_token(token2.token.secret()).is_valid());
    client.revoke_tokens(&user, None).await.unwrap();
    assert_eq!(
        emu.validate_token(token.token.secret()).status,
        TokenStatus::Revoked
    );
    client.delete_user(&user2, None).await.unwrap();
    client.delete_user(&user, None).await.unwrap();

    let app = "00000000-0000-0000-0000-000000000001";
    let oid = "00000000-0000-0000-0000-000000000002";
    let exp = (time::OffsetDateTime::now_utc() + time::Duration::hours(1)).unix_timestamp();
    let aad =
        crate::support::entra_token(serde_json::json!({"exp": exp, "appid": app, "oid": oid}));
    let t = client
        .get_token_for_teams_user(&aad, app, oid, None)
        .await
        .unwrap();
    assert_eq!(t.expires_on.unix_timestamp(), exp);

    // A token the emulator was not told to accept.
    let other = CommunicationIdentityClient::new(
        emu.endpoint(),
        FakeCredential::new("someone-else"),
        Some(options(emu.ca_certificate_pem(), "2023-10-01")),
    )
    .unwrap();
    let err = other.create_user(None).await.unwrap_err();
    assert_eq!(service_error(&err), (401, "Denied".to_owned()));
    emu.shutdown().await;
}

#[tokio::test]
async fn the_server_certificate_is_verified() {
    let emu = tls_emulator_accepting("entra-token").await;
    let credential = FakeCredential::new("entra-token");

    // Without the emulator's CA, azure_core's default transport refuses the
    // certificate: a connection error, whose causes name the certificate.
    let untrusting = CommunicationIdentityClient::new(
        emu.endpoint(),
        credential.clone(),
        Some(acs_identity::CommunicationIdentityClientOptions {
            client_options: azure_core::http::ClientOptions {
                retry: azure_core::http::RetryOptions::none(),
                ..Default::default()
            },
            ..Default::default()
        }),
    )
    .unwrap();
    let err = untrusting.create_user(None).await.unwrap_err();
    assert!(
        matches!(err.kind(), azure_core::error::ErrorKind::Connection),
        "{err:?}"
    );
    let mut causes = Vec::new();
    let mut source: Option<&dyn std::error::Error> = Some(&err);
    while let Some(e) = source {
        causes.push(e.to_string());
        source = e.source();
    }
    assert!(
        causes.iter().any(|c| c.contains("certificate")),
        "{causes:?}"
    );

    // A reqwest client that trusts the CA works.
    let trusting = CommunicationIdentityClient::new(
        emu.endpoint(),
        credential,
        Some(options(emu.ca_certificate_pem(), "2023-10-01")),
    )
    .unwrap();
    trusting.create_user(None).await.unwrap();
    emu.shutdown().await;
}
