//! A data directory whose writes fail: create, revoke and delete answer 500, and afterwards
//! the emulator (and, after a restart, the disk) says exactly what it said before the request.

use crate::support::*;
use acs_identity_emulator::{Emulator, TokenStatus};
use std::net::SocketAddr;
use std::path::Path;

/// Makes every write to the identities table fail (or work again), from another connection to
/// the emulator's database, as a full disk would.
fn fail_writes(dir: &Path, fail: bool) {
    let conn = rusqlite::Connection::open(dir.join("identities.db")).unwrap();
    conn.execute_batch(if fail {
        "CREATE TRIGGER fail_writes BEFORE INSERT ON identities
         BEGIN SELECT RAISE(ABORT, 'injected write failure'); END;"
    } else {
        "DROP TRIGGER fail_writes;"
    })
    .unwrap();
}

async fn identity_count(addr: SocketAddr) -> u64 {
    let r = raw(addr, "GET", "/_emulator/health", &[], b"").await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["identities"].as_u64().unwrap()
}

/// What the emulator says about `id` and its token: the identity count, the token's status,
/// and whether a new token can be issued.
async fn observe(emu: &Emulator, id: &str, token: &str) -> (u64, TokenStatus, u16) {
    let addr = emu.local_addr();
    let issue = raw(
        addr,
        "POST",
        &format!(
            "/identities/{}/:issueAccessToken?api-version=2023-10-01",
            encode_id(id)
        ),
        &bearer(),
        br#"{"scopes":["chat"]}"#,
    )
    .await;
    (
        identity_count(addr).await,
        emu.validate_token(token).status,
        issue.status,
    )
}

#[tokio::test]
async fn a_failed_write_answers_500_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let emu = Emulator::builder()
        .data_dir(dir.path())
        .start()
        .await
        .unwrap();
    let addr = emu.local_addr();
    let id = create_user(addr).await;
    let token = issue_chat_token(addr, &id).await;
    let before = observe(&emu, &id, &token).await;
    assert_eq!(before, (1, TokenStatus::Valid, 200));

    fail_writes(dir.path(), true);
    let create = raw(
        addr,
        "POST",
        "/identities?api-version=2023-10-01",
        &bearer(),
        br#"{"createTokenWithScopes":["chat"]}"#,
    )
    .await;
    create.error(500, "InternalServerError");
    assert_eq!(observe(&emu, &id, &token).await, before, "after create");
    for (method, suffix) in [("POST", "/:revokeAccessTokens"), ("DELETE", "")] {
        let r = raw(
            addr,
            method,
            &format!(
                "/identities/{}{suffix}?api-version=2023-10-01",
                encode_id(&id)
            ),
            &bearer(),
            b"",
        )
        .await;
        r.error(500, "InternalServerError");
        assert_eq!(
            observe(&emu, &id, &token).await,
            before,
            "after {method} {suffix}"
        );
    }
    fail_writes(dir.path(), false);
    emu.shutdown().await;

    // The disk agrees: a restart sees the state from before the failed requests.
    let emu = Emulator::builder()
        .data_dir(dir.path())
        .start()
        .await
        .unwrap();
    assert_eq!(observe(&emu, &id, &token).await, before, "after a restart");
    // And with writes working again, revoke does change both.
    let r = raw(
        emu.local_addr(),
        "POST",
        &format!(
            "/identities/{}/:revokeAccessTokens?api-version=2023-10-01",
            encode_id(&id)
        ),
        &bearer(),
        b"",
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.text());
    assert_eq!(emu.validate_token(&token).status, TokenStatus::Revoked);
    emu.shutdown().await;
}
