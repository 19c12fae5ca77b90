//! A database written by an emulator from before custom ids, `lastTokenIssuedAt` and the
//! assignment tables opens: the identities table gains its columns, the assignment tables are
//! added.

use crate::start;
use crate::support::*;
use acs_identity_emulator::ManualClock;
use serde_json::json;
use time::macros::datetime;

const TENANT: &str = "45ab2481-1c1c-4005-be24-0ffb879b1130";
const KEPT: &str = "207ffef6-9444-41fb-92ab-20eacaae2768";

#[tokio::test]
async fn a_database_from_before_custom_ids_and_assignments_opens() {
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
