//! With a data directory, the 2025 surface survives restarts: the customId → identity
//! mapping, `lastTokenIssuedAt`, Teams Extension assignments and Entra assignments (and the
//! Entra exchange they allow); and a database written before these existed still opens.

use crate::support::*;
use acs_identity_emulator::{Emulator, ManualClock};
use serde_json::json;
use std::path::Path;
use std::sync::Arc;
use time::macros::datetime;
use time::Duration;

const TENANT: &str = "45ab2481-1c1c-4005-be24-0ffb879b1130";
const KEPT: &str = "207ffef6-9444-41fb-92ab-20eacaae2768";
const GONE: &str = "1fd5118e-2576-4263-8130-9503064c837a";

async fn start(dir: &Path, clock: &ManualClock) -> Emulator {
    Emulator::builder()
        .data_dir(dir)
        .clock(Arc::new(clock.clone()))
        .start()
        .await
        .unwrap()
}

fn id_of(r: &RawResponse) -> String {
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()["identity"]["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn custom_ids_token_times_and_assignments_survive_restarts() {
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
    for object in [KEPT, GONE] {
        let r = assignment(
            addr,
            "PUT",
            (TENANT, object),
            "2025-06-30",
            br#"{"principalType":"user"}"#,
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.text());
    }
    let replace = json!({"principalType": "resourceAccount", "clientIds": [GONE]});
    let r = assignment(
        addr,
        "PUT",
        (TENANT, KEPT),
        PREVIEW,
        replace.to_string().as_bytes(),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = assignment(addr, "DELETE", (TENANT, GONE), PREVIEW, b"").await;
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
    let r = assignment(addr, "GET", (TENANT, KEPT), PREVIEW, b"").await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.json(),
        json!({"objectId": KEPT, "tenantId": TENANT, "principalType": "resourceAccount", "clientIds": [GONE]})
    );
    assignment(addr, "GET", (TENANT, GONE), PREVIEW, b"")
        .await
        .error(404, "AssignmentNotFound");

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
    assert!(emu.teams_extension_assignment(TENANT, KEPT).is_some());
    emu.shutdown().await;
}

/// An unsigned Entra ID token of `oid` in TENANT through KEPT (the client), valid for an hour.
fn entra_user_token(clock: &ManualClock, oid: &str) -> String {
    use acs_identity_emulator::Clock;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let claims = json!({
        "exp": (clock.now() + Duration::hours(1)).unix_timestamp(),
        "tid": TENANT, "oid": oid, "appid": KEPT,
    });
    format!(
        "e30.{}.x",
        URL_SAFE_NO_PAD.encode(claims.to_string().as_bytes())
    )
}

#[tokio::test]
async fn entra_assignments_and_their_exchange_survive_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(datetime!(2026-11-24 12:00:00 UTC));
    let emu = start(dir.path(), &clock).await;
    let addr = emu.local_addr();
    let user = |clients: &[&str]| {
        json!({"tenantId": TENANT, "principalType": "user", "clientIds": clients}).to_string()
    };
    for object in [KEPT, GONE] {
        let r = entra_assignment(addr, "PUT", object, PREVIEW, user(&[GONE]).as_bytes()).await;
        assert_eq!(r.status, 201, "{}", r.text());
    }
    // One bulk update: replace KEPT, remove GONE, add the tenant.
    let tenant = json!({"tenantId": TENANT, "principalType": "tenant", "clientIds": []});
    let patch = json!({KEPT: serde_json::from_str::<serde_json::Value>(&user(&[KEPT])).unwrap(), GONE: null, TENANT: tenant});
    let r = patch_entra_assignments(addr, &patch).await;
    assert_eq!(r.status, 200, "{}", r.text());
    emu.shutdown().await;

    let emu = start(dir.path(), &clock).await;
    let addr = emu.local_addr();
    let r = raw(
        addr,
        "GET",
        &format!("/access/entra/assignments?api-version={PREVIEW}"),
        &bearer(),
        b"",
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.json(),
        json!({"value": [
            {"objectId": KEPT, "tenantId": TENANT, "principalType": "user", "clientIds": [KEPT]},
            {"objectId": TENANT, "tenantId": TENANT, "principalType": "tenant", "clientIds": []},
        ]})
    );
    entra_assignment(addr, "GET", GONE, PREVIEW, b"")
        .await
        .error(404, "AssignmentNotFound");
    assert_eq!(
        emu.entra_assignment(KEPT).map(|a| a.client_ids),
        Some(vec![KEPT.to_owned()])
    );
    // The kept assignment still admits its user, and the token outlives another restart.
    let r = raw(
        addr,
        "POST",
        &format!("/access/entra/:exchangeAccessToken?api-version={PREVIEW}"),
        &[(
            "Authorization",
            format!("Bearer {}", entra_user_token(&clock, KEPT)),
        )],
        b"{}",
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let token = r.json()["accessToken"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    emu.shutdown().await;
    let emu = start(dir.path(), &clock).await;
    assert!(emu.validate_token(&token).is_valid());
    emu.shutdown().await;
}

#[tokio::test]
async fn a_database_from_before_the_2025_surface_opens() {
    let dir = tempfile::tempdir().unwrap();
    let id = format!(
        "8:acs:{}_00000027-0000-4000-8000-000000000001",
        acs_identity_emulator::DEFAULT_RESOURCE_ID
    );
    let conn = rusqlite::Connection::open(dir.path().join("identities.db")).unwrap();
    conn.execute_batch(
        "CREATE TABLE identities (
            id TEXT PRIMARY KEY NOT NULL,
            created_at INTEGER NOT NULL,
            generation INTEGER NOT NULL DEFAULT 0,
            revoked_at INTEGER,
            deleted_at INTEGER
        );",
    )
    .unwrap();
    conn.execute(
        "INSERT INTO identities (id, created_at) VALUES (?1, 1)",
        [&id],
    )
    .unwrap();
    drop(conn);

    let clock = ManualClock::new(datetime!(2026-11-24 12:00:00 UTC));
    let emu = start(dir.path(), &clock).await;
    let addr = emu.local_addr();
    assert_eq!(
        get_identity(addr, &id, PREVIEW).await.json(),
        json!({ "id": id })
    );
    issue_chat_token(addr, &id).await;
    assert_eq!(
        get_identity(addr, &id, PREVIEW).await.json()["lastTokenIssuedAt"],
        "2026-11-24T12:00:00.0000000+00:00"
    );
    // The assignment tables were added: both kinds can be written and read back.
    let r = assignment(
        addr,
        "PUT",
        (TENANT, KEPT),
        PREVIEW,
        br#"{"principalType":"user"}"#,
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let entra = json!({"tenantId": TENANT, "principalType": "group", "clientIds": []});
    let r = entra_assignment(addr, "PUT", KEPT, PREVIEW, entra.to_string().as_bytes()).await;
    assert_eq!(r.status, 201, "{}", r.text());
    emu.shutdown().await;
    let emu = start(dir.path(), &clock).await;
    assert!(emu.teams_extension_assignment(TENANT, KEPT).is_some());
    assert!(emu.entra_assignment(KEPT).is_some());
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
