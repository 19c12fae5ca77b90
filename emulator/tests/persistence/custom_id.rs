//! With a data directory, custom ids survive restarts: the customId → identity mapping (a
//! deleted identity's customId stays free) and `lastTokenIssuedAt`; concurrent creates with
//! one customId make one durable identity.

use crate::support::*;
use crate::{id_of, start};
use acs_identity_emulator::ManualClock;
use serde_json::json;
use time::macros::datetime;
use time::Duration;

#[tokio::test]
async fn custom_ids_and_token_times_survive_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(datetime!(2026-11-24 12:00:00.5 UTC));
    let emu = start(dir.path(), &clock).await;
    let addr = emu.local_addr();
    let with_token = json!({"customId": "alice", "createTokenWithScopes": ["chat"]});
    let alice = id_of(&create(addr, PREVIEW, &with_token).await);
    let bob = id_of(&create(addr, PREVIEW, &json!({"customId": "bob"})).await);
    let r = raw(
        addr,
        "DELETE",
        &format!("/identities/{}?api-version={PREVIEW}", encode_id(&bob)),
        &bearer(),
        b"",
    )
    .await;
    assert_eq!(r.status, 204);
    emu.shutdown().await;

    let emu = start(dir.path(), &clock).await;
    let addr = emu.local_addr();
    assert_eq!(
        get_identity(addr, &alice, PREVIEW).await.json(),
        json!({"id": alice, "customId": "alice", "lastTokenIssuedAt": "2026-11-24T12:00:00.5000000+00:00"})
    );
    assert_eq!(
        id_of(&create(addr, PREVIEW, &json!({"customId": "alice"})).await),
        alice
    );
    let new_bob = id_of(&create(addr, PREVIEW, &json!({"customId": "bob"})).await);
    assert_ne!(new_bob, bob, "bob's identity stayed deleted");
    get_identity(addr, &bob, PREVIEW)
        .await
        .error(404, "IdentityNotFound");
    // A token issued now moves lastTokenIssuedAt, durably.
    clock.advance(Duration::minutes(5));
    issue_chat_token(addr, &alice).await;
    emu.shutdown().await;

    let emu = start(dir.path(), &clock).await;
    let addr = emu.local_addr();
    assert_eq!(
        get_identity(addr, &alice, PREVIEW).await.json()["lastTokenIssuedAt"],
        "2026-11-24T12:05:00.5000000+00:00"
    );
    assert_eq!(
        emu.identity_with_custom_id("bob").as_deref(),
        Some(new_bob.as_str())
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_creates_with_one_custom_id_make_one_durable_identity() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(datetime!(2026-11-24 12:00:00 UTC));
    let emu = start(dir.path(), &clock).await;
    let addr = emu.local_addr();
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            tokio::spawn(async move {
                id_of(&create(addr, PREVIEW, &json!({"customId": "frank"})).await)
            })
        })
        .collect();
    let mut ids = Vec::new();
    for t in tasks {
        ids.push(t.await.unwrap());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "{ids:?}");
    emu.shutdown().await;
    let emu = start(dir.path(), &clock).await;
    assert_eq!(emu.identity_with_custom_id("frank"), Some(ids[0].clone()));
    let r = raw(emu.local_addr(), "GET", "/_emulator/health", &[], b"").await;
    assert_eq!(r.json()["identities"], 1);
    emu.shutdown().await;
}
