//! With a data directory, identities, revocations and deletions survive a restart, and so do
//! the token secret and the TLS CA.

use crate::support::*;
use acs_identity_emulator::{Emulator, TokenStatus};

#[tokio::test]
async fn restart_keeps_identities_revocations_and_deletions() {
    let dir = tempfile::tempdir().unwrap();
    let emu = Emulator::builder()
        .data_dir(dir.path())
        .start()
        .await
        .unwrap();
    let addr = emu.local_addr();
    let kept = create_user(addr).await;
    let revoked = create_user(addr).await;
    let deleted = create_user(addr).await;
    let kept_token = issue_chat_token(addr, &kept).await;
    let revoked_token = issue_chat_token(addr, &revoked).await;
    let deleted_token = issue_chat_token(addr, &deleted).await;
    let r = raw(
        addr,
        "POST",
        &format!(
            "/identities/{}/:revokeAccessTokens?api-version=2023-10-01",
            encode_id(&revoked)
        ),
        &bearer(),
        b"",
    )
    .await;
    assert_eq!(r.status, 204);
    let r = raw(
        addr,
        "DELETE",
        &format!("/identities/{}?api-version=2023-10-01", encode_id(&deleted)),
        &bearer(),
        b"",
    )
    .await;
    assert_eq!(r.status, 204);
    emu.shutdown().await;

    let emu = Emulator::builder()
        .data_dir(dir.path())
        .start()
        .await
        .unwrap();
    let addr = emu.local_addr();
    assert!(
        emu.validate_token(&kept_token).is_valid(),
        "{:?}",
        emu.validate_token(&kept_token)
    );
    assert_eq!(
        emu.validate_token(&revoked_token).status,
        TokenStatus::Revoked
    );
    assert_eq!(
        emu.validate_token(&deleted_token).status,
        TokenStatus::IdentityDeleted
    );
    let fresh = issue_chat_token(addr, &revoked).await;
    assert!(emu.validate_token(&fresh).is_valid());
    issue_chat_token(addr, &kept).await;
    let r = raw(
        addr,
        "POST",
        &format!(
            "/identities/{}/:issueAccessToken?api-version=2023-10-01",
            encode_id(&deleted)
        ),
        &bearer(),
        br#"{"scopes":["chat"]}"#,
    )
    .await;
    r.error(404, "IdentityNotFound");
    emu.shutdown().await;
}

#[tokio::test]
async fn without_data_dir_a_restart_forgets() {
    let emu = Emulator::builder().start().await.unwrap();
    let id = create_user(emu.local_addr()).await;
    let token = issue_chat_token(emu.local_addr(), &id).await;
    emu.shutdown().await;
    let emu = Emulator::builder().start().await.unwrap();
    assert_eq!(emu.validate_token(&token).status, TokenStatus::BadSignature);
    let r = raw(
        emu.local_addr(),
        "DELETE",
        &format!("/identities/{}?api-version=2023-10-01", encode_id(&id)),
        &bearer(),
        b"",
    )
    .await;
    r.error(404, "IdentityNotFound");
    emu.shutdown().await;
}

#[tokio::test]
async fn tls_ca_is_kept_in_the_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let emu = Emulator::builder()
        .data_dir(dir.path())
        .tls(true)
        .start()
        .await
        .unwrap();
    let first = emu.ca_certificate_pem().unwrap().to_owned();
    assert_eq!(
        emu.ca_certificate_path(),
        Some(dir.path().join("ca.pem").as_path())
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ca.pem")).unwrap(),
        first
    );
    emu.shutdown().await;
    let emu = Emulator::builder()
        .data_dir(dir.path())
        .tls(true)
        .start()
        .await
        .unwrap();
    // A client that trusted the first CA still connects.
    let client = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(first.as_bytes()).unwrap()])
        .build()
        .unwrap();
    let r = client
        .post(format!(
            "{}/identities?api-version=2023-10-01",
            emu.endpoint()
        ))
        .bearer_auth("x")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    emu.shutdown().await;
}
