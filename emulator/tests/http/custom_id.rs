//! `customId` on create and `GET /identities/{id}` (2025-03-02-preview only) over raw HTTP:
//! one live identity per customId, a new one after delete, length limits, concurrency,
//! `lastTokenIssuedAt`, and the version gates.

use crate::support::*;
use crate::versions::*;
use acs_identity_emulator::{Emulator, ManualClock};
use serde_json::json;
use std::sync::Arc;
use time::macros::datetime;
use time::Duration;

fn id_of(r: &RawResponse) -> String {
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()["identity"]["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn one_identity_per_custom_id_while_it_lives() {
    let emu = Emulator::builder().start().await.unwrap();
    let addr = emu.local_addr();
    let r = create(addr, PREVIEW, &json!({"customId": "alice@contoso.com"})).await;
    let id = id_of(&r);
    assert_eq!(
        r.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(r.header("api-supported-versions"), Some(ALL_VERSIONS));
    assert_eq!(
        r.json(),
        json!({"identity": {"id": id, "customId": "alice@contoso.com"}})
    );

    // The same customId: 201 with the same identity, and a token when scopes are given.
    let body = json!({"customId": "alice@contoso.com", "createTokenWithScopes": ["chat"]});
    let r = create(addr, PREVIEW, &body).await;
    assert_eq!(id_of(&r), id);
    let j = r.json();
    assert_eq!(
        j["identity"],
        json!({"id": id, "customId": "alice@contoso.com"})
    );
    let token = j["accessToken"]["token"].as_str().unwrap();
    assert!(emu.validate_token(token).is_valid());
    assert_eq!(
        emu.identity_with_custom_id("alice@contoso.com").as_deref(),
        Some(id.as_str())
    );
    // Matching is exact: another spelling is another customId.
    let other = id_of(&create(addr, PREVIEW, &json!({"customId": "ALICE@contoso.com"})).await);
    assert_ne!(other, id);

    let r = raw(
        addr,
        "DELETE",
        &format!("/identities/{}?api-version={PREVIEW}", encode_id(&id)),
        &bearer(),
        b"",
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.text());
    assert_eq!(emu.identity_with_custom_id("alice@contoso.com"), None);
    let fresh = id_of(&create(addr, PREVIEW, &json!({"customId": "alice@contoso.com"})).await);
    assert_ne!(
        fresh, id,
        "a deleted identity's customId makes a new identity"
    );
    get_identity(addr, &id, PREVIEW)
        .await
        .error(404, "IdentityNotFound");
    let r = get_identity(addr, &fresh, PREVIEW).await;
    assert_eq!(
        r.json(),
        json!({"id": fresh, "customId": "alice@contoso.com"})
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn custom_id_length_limits() {
    let emu = Emulator::builder().start().await.unwrap();
    let addr = emu.local_addr();
    for ok in ["x".to_owned(), "é".repeat(256)] {
        let r = create(addr, PREVIEW, &json!({ "customId": ok })).await;
        id_of(&r);
        assert_eq!(r.json()["identity"]["customId"], ok);
    }
    for (bad, n) in [(String::new(), 0), ("x".repeat(257), 257)] {
        let r = create(addr, PREVIEW, &json!({ "customId": bad })).await;
        let e = r.error(400, "ValidationError");
        assert_eq!(e["target"], "CustomId");
        assert_eq!(
            e["message"],
            format!("CustomId: The field CustomId must be a string with a minimum length of 1 and a maximum length of 256; it has {n} characters.")
        );
        assert_eq!(r.header("api-supported-versions"), Some(ALL_VERSIONS));
    }
    let e = create(addr, PREVIEW, &json!({"customId": 7}))
        .await
        .error(400, "ValidationError");
    assert!(e.get("target").is_none(), "{e}");
    // null means absent.
    let r = create(addr, PREVIEW, &json!({ "customId": null })).await;
    assert_eq!(r.json(), json!({"identity": {"id": id_of(&r)}}));
    emu.shutdown().await;
}

#[tokio::test]
async fn versions_without_custom_id_ignore_it() {
    let emu = Emulator::builder().start().await.unwrap();
    let addr = emu.local_addr();
    for v in ["2025-06-30", "2023-10-01", "2021-03-07"] {
        let first = create(addr, v, &json!({"customId": "carol"})).await;
        let second = create(addr, v, &json!({"customId": "carol"})).await;
        let (a, b) = (id_of(&first), id_of(&second));
        assert_ne!(a, b, "{v}: customId is an unknown field");
        assert_eq!(first.json(), json!({"identity": {"id": a}}), "{v}");
        // Whatever its value: an unknown field is not validated.
        for ignored in [json!(""), json!(7), json!("x".repeat(300))] {
            let r = create(addr, v, &json!({ "customId": ignored })).await;
            assert!(r.json()["identity"].get("customId").is_none(), "{v}");
        }
    }
    assert_eq!(emu.identity_with_custom_id("carol"), None);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_creates_with_one_custom_id_make_one_identity() {
    let emu = Emulator::builder().start().await.unwrap();
    let addr = emu.local_addr();
    let tasks: Vec<_> = (0..12).map(|_| tokio::spawn(create_dave(addr))).collect();
    let mut ids = Vec::new();
    for t in tasks {
        ids.push(t.await.unwrap());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "{ids:?}");
    let r = raw(addr, "GET", "/_emulator/health", &[], b"").await;
    assert_eq!(r.json()["identities"], 1);
    emu.shutdown().await;
}

async fn create_dave(addr: std::net::SocketAddr) -> String {
    id_of(&create(addr, PREVIEW, &json!({"customId": "dave"})).await)
}

#[tokio::test]
async fn get_identity_and_last_token_issued_at() {
    let clock = ManualClock::new(datetime!(2026-11-24 12:00:00.123456789 UTC));
    let emu = Emulator::builder()
        .clock(Arc::new(clock.clone()))
        .start()
        .await
        .unwrap();
    let addr = emu.local_addr();
    let id = create_user(addr).await;
    let r = get_identity(addr, &id, PREVIEW).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(
        r.header("api-supported-versions"),
        Some(GET_IDENTITY_VERSIONS)
    );
    assert_eq!(r.json(), json!({ "id": id }), "no token issued yet");

    // Every issued token moves it, whatever the api-version of the issue.
    issue_chat_token(addr, &id).await;
    assert_eq!(
        get_identity(addr, &id, PREVIEW).await.json(),
        json!({"id": id, "lastTokenIssuedAt": "2026-11-24T12:00:00.1234567+00:00"})
    );
    clock.advance(Duration::seconds(90));
    let r = raw(
        addr,
        "POST",
        &format!(
            "/identities/{}/:issueAccessToken?api-version={PREVIEW}",
            encode_id(&id)
        ),
        &bearer(),
        br#"{"scopes":["voip"]}"#,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        get_identity(addr, &id, PREVIEW).await.json()["lastTokenIssuedAt"],
        "2026-11-24T12:01:30.1234567+00:00"
    );

    // Create with a token sets it; the raw `8:acs:` form of the id works too.
    clock.advance(Duration::milliseconds(1));
    let body = json!({"customId": "erin", "createTokenWithScopes": ["chat"]});
    let erin = id_of(&create(addr, PREVIEW, &body).await);
    let r = raw(
        addr,
        "GET",
        &format!("/identities/{erin}?api-version={PREVIEW}"),
        &bearer(),
        b"",
    )
    .await;
    assert_eq!(
        r.json(),
        json!({"id": erin, "customId": "erin", "lastTokenIssuedAt": "2026-11-24T12:01:30.1244567+00:00"})
    );
    // Answering the same customId with a token moves it again.
    clock.advance(Duration::seconds(1));
    assert_eq!(id_of(&create(addr, PREVIEW, &body).await), erin);
    assert_eq!(
        get_identity(addr, &erin, PREVIEW).await.json()["lastTokenIssuedAt"],
        "2026-11-24T12:01:31.1244567+00:00"
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn get_identity_errors_and_version_gate() {
    let emu = Emulator::builder().start().await.unwrap();
    let addr = emu.local_addr();
    let unknown = format!(
        "8:acs:{}_00000027-0000-4000-8000-000000000000",
        emu.resource_id()
    );
    get_identity(addr, &unknown, PREVIEW)
        .await
        .error(404, "IdentityNotFound");
    let foreign = "8:acs:00000000-0000-0000-0000-000000000000_00000027-0000-4000-8000-0000000000";
    let e = get_identity(addr, foreign, PREVIEW)
        .await
        .error(401, "IdentityNotOwned");
    assert_eq!(
        e["message"],
        "The identity does not belong to this Communication Services resource."
    );

    // 2025-06-30 (and older versions) have no GET: answered as an operation the version lacks.
    let id = create_user(addr).await;
    for v in ["2025-06-30", "2023-10-01"] {
        let r = get_identity(addr, &id, v).await;
        let e = r.error(400, "UnsupportedApiVersion");
        assert_eq!(
            e["message"],
            format!(
                "The HTTP resource that matches the request URI 'http://{addr}/identities/{}?api-version={v}' does not support the API version '{v}'.",
                encode_id(&id)
            )
        );
        assert_eq!(
            r.header("api-supported-versions"),
            Some(GET_IDENTITY_VERSIONS)
        );
    }
    // DELETE on the same path exists in every version.
    let r = raw(
        addr,
        "DELETE",
        &format!("/identities/{}?api-version=2025-06-30", encode_id(&id)),
        &bearer(),
        b"",
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.text());
    assert_eq!(r.header("api-supported-versions"), Some(ALL_VERSIONS));
    // Authentication first, as on every route.
    raw(
        addr,
        "GET",
        &format!("/identities/{}?api-version={PREVIEW}", encode_id(&id)),
        &[],
        b"",
    )
    .await
    .error(401, "Denied");
    let target = format!("/identities/{}?api-version={PREVIEW}", encode_id(&id));
    let r = raw(
        addr,
        "GET",
        &target,
        &hmac_now(addr, "GET", &target, b""),
        b"",
    )
    .await;
    r.error(404, "IdentityNotFound");
    emu.shutdown().await;
}
