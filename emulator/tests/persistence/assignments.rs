//! With a data directory, Teams Extension assignments and Entra assignments (and the Entra
//! exchange they allow) survive restarts.

use crate::start;
use crate::support::*;
use acs_identity_emulator::ManualClock;
use serde_json::json;
use time::macros::datetime;
use time::Duration;

const TENANT: &str = "45ab2481-1c1c-4005-be24-0ffb879b1130";
const KEPT: &str = "207ffef6-9444-41fb-92ab-20eacaae2768";
const GONE: &str = "1fd5118e-2576-4263-8130-9503064c837a";

#[tokio::test]
async fn teams_extension_assignments_survive_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(datetime!(2026-11-24 12:00:00.5 UTC));
    let emu = start(dir.path(), &clock).await;
    let addr = emu.local_addr();
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
    let r = assignment(addr, "GET", (TENANT, KEPT), PREVIEW, b"").await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.json(),
        json!({"objectId": KEPT, "tenantId": TENANT, "principalType": "resourceAccount", "clientIds": [GONE]})
    );
    assignment(addr, "GET", (TENANT, GONE), PREVIEW, b"")
        .await
        .error(404, "AssignmentNotFound");
    emu.shutdown().await;

    let emu = start(dir.path(), &clock).await;
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
