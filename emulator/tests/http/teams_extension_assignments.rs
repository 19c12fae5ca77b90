//! Teams Extension assignments over raw HTTP: put (201), put (200), get, delete (204), get
//! (404), every 400, the version gate, path spellings and authentication.

use crate::support::*;
use crate::versions::*;
use acs_identity_emulator::{Emulator, TeamsExtensionAssignment};
use serde_json::json;

const TENANT: &str = "45ab2481-1c1c-4005-be24-0ffb879b1130";
const OBJECT: &str = "207ffef6-9444-41fb-92ab-20eacaae2768";
const CLIENT: &str = "1fd5118e-2576-4263-8130-9503064c837a";

#[tokio::test]
async fn put_replace_get_delete_in_both_versions() {
    let emu = Emulator::builder().start().await.unwrap();
    let addr = emu.local_addr();
    for (v, object) in [(PREVIEW, OBJECT), ("2025-06-30", CLIENT)] {
        let at = (TENANT, object);
        let body = json!({"principalType": "user", "clientIds": [CLIENT.to_uppercase()]});
        let r = assignment(addr, "PUT", at, v, body.to_string().as_bytes()).await;
        assert_eq!(r.status, 201, "{v}: {}", r.text());
        assert_eq!(
            r.header("content-type"),
            Some("application/json; charset=utf-8")
        );
        assert_eq!(
            r.header("api-supported-versions"),
            Some(ASSIGNMENT_VERSIONS)
        );
        let created = json!({
            "objectId": object, "tenantId": TENANT, "principalType": "user", "clientIds": [CLIENT]
        });
        assert_eq!(r.json(), created, "{v}: GUIDs answered lower-case");

        // Replaced: 200; clientIds omitted means none.
        let r = assignment(
            addr,
            "PUT",
            at,
            v,
            br#"{"principalType":"resourceAccount"}"#,
        )
        .await;
        assert_eq!(r.status, 200, "{v}: {}", r.text());
        let replaced = json!({
            "objectId": object, "tenantId": TENANT, "principalType": "resourceAccount", "clientIds": []
        });
        assert_eq!(r.json(), replaced);
        let r = assignment(addr, "GET", at, v, b"").await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(
            r.header("api-supported-versions"),
            Some(ASSIGNMENT_VERSIONS)
        );
        assert_eq!(r.json(), replaced);
        assert_eq!(
            emu.teams_extension_assignment(&TENANT.to_uppercase(), object),
            Some(TeamsExtensionAssignment {
                tenant_id: TENANT.into(),
                object_id: object.into(),
                principal_type: "resourceAccount".into(),
                client_ids: vec![],
            })
        );

        let r = assignment(addr, "DELETE", at, v, b"").await;
        assert_eq!(r.status, 204, "{}", r.text());
        assert!(r.body.is_empty());
        assert_eq!(
            r.header("api-supported-versions"),
            Some(ASSIGNMENT_VERSIONS)
        );
        for method in ["GET", "DELETE"] {
            let r = assignment(addr, method, at, v, b"").await;
            let e = r.error(404, "AssignmentNotFound");
            assert_eq!(
                e["message"],
                format!("No Teams Extension assignment exists for object '{object}' in tenant '{TENANT}'.")
            );
            assert_eq!(
                r.header("api-supported-versions"),
                Some(ASSIGNMENT_VERSIONS)
            );
        }
        assert_eq!(emu.teams_extension_assignment(TENANT, object), None);
    }
    emu.shutdown().await;
}

#[tokio::test]
async fn path_spellings_version_gate_methods_and_authentication() {
    let emu = Emulator::builder().start().await.unwrap();
    let addr = emu.local_addr();
    // Literals in any case, GUIDs percent-encoded or upper-case, a trailing slash.
    let target = format!(
        "/ACCESS/TeamsExtension/Tenants/{}/ASSIGNMENTS/{}/?api-version={PREVIEW}",
        TENANT.replace('-', "%2D"),
        OBJECT.to_uppercase()
    );
    let body = br#"{"PrincipalType":"User"}"#;
    let r = raw(
        addr,
        "PUT",
        &target,
        &hmac_now(addr, "PUT", &target, body),
        body,
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["principalType"], "user");
    assert_eq!(r.json()["tenantId"], TENANT);
    let r = assignment(addr, "GET", (TENANT, OBJECT), "2025-06-30", b"").await;
    assert_eq!(r.status, 200, "one store for both versions: {}", r.text());

    for v in ["2023-10-01", "2021-03-07"] {
        let r = assignment(addr, "GET", (TENANT, OBJECT), v, b"").await;
        r.error(400, "UnsupportedApiVersion");
        assert_eq!(
            r.header("api-supported-versions"),
            Some(ASSIGNMENT_VERSIONS)
        );
    }
    let r = assignment(addr, "POST", (TENANT, OBJECT), PREVIEW, b"{}").await;
    r.error(405, "MethodNotAllowed");
    assert_eq!(r.header("allow"), Some("GET,HEAD,PUT,DELETE"));
    assert_eq!(
        r.header("api-supported-versions"),
        Some(ASSIGNMENT_VERSIONS)
    );
    let r = raw(
        addr,
        "GET",
        &assignment_target(TENANT, OBJECT, PREVIEW),
        &[],
        b"",
    )
    .await;
    r.error(401, "Denied");
    raw(
        addr,
        "GET",
        &format!("/access/teamsExtension/tenants/{TENANT}/assignments?api-version={PREVIEW}"),
        &bearer(),
        b"",
    )
    .await
    .error(404, "NotFound");
    emu.shutdown().await;
}

/// Method, (tenant id, object id), body, expected target, expected message.
type Case = (
    &'static str,
    (&'static str, &'static str),
    String,
    &'static str,
    String,
);

#[tokio::test]
async fn every_400_says_what_is_expected() {
    let emu = Emulator::builder().start().await.unwrap();
    let addr = emu.local_addr();
    let guid = "a GUID such as 00000000-0000-0000-0000-000000000000";
    let cases: Vec<Case> = vec![
        (
            "PUT",
            ("not-a-guid", OBJECT),
            json!({"principalType": "user"}).to_string(),
            "tenantId",
            format!("The tenantId 'not-a-guid' is not valid: expected {guid}."),
        ),
        (
            "GET",
            ("not-a-guid", OBJECT),
            String::new(),
            "tenantId",
            format!("The tenantId 'not-a-guid' is not valid: expected {guid}."),
        ),
        (
            "DELETE",
            (TENANT, "{207ffef6-9444-41fb-92ab-20eacaae2768}"),
            String::new(),
            "objectId",
            format!("The objectId '{{207ffef6-9444-41fb-92ab-20eacaae2768}}' is not valid: expected {guid}."),
        ),
        (
            "PUT",
            (TENANT, OBJECT),
            json!({"clientIds": [CLIENT]}).to_string(),
            "PrincipalType",
            "PrincipalType: The PrincipalType field is required; expected 'user' or 'resourceAccount'.".into(),
        ),
        (
            "PUT",
            (TENANT, OBJECT),
            json!({"principalType": null}).to_string(),
            "PrincipalType",
            "PrincipalType: The PrincipalType field is required; expected 'user' or 'resourceAccount'.".into(),
        ),
        (
            "PUT",
            (TENANT, OBJECT),
            String::new(),
            "PrincipalType",
            "PrincipalType: The PrincipalType field is required; expected 'user' or 'resourceAccount'.".into(),
        ),
        (
            "PUT",
            (TENANT, OBJECT),
            json!({"principalType": "group"}).to_string(),
            "PrincipalType",
            "PrincipalType: The value 'group' is not valid; expected 'user' or 'resourceAccount'.".into(),
        ),
        (
            "PUT",
            (TENANT, OBJECT),
            json!({"principalType": "user", "clientIds": [CLIENT, "app"]}).to_string(),
            "clientIds",
            format!("The client id 'app' is not valid: expected every clientIds entry to be {guid}."),
        ),
    ];
    for (method, at, body, target, message) in cases {
        let r = assignment(addr, method, at, PREVIEW, body.as_bytes()).await;
        let e = r.error(400, "ValidationError");
        assert_eq!(e["target"], target, "{method} {body}");
        assert_eq!(e["message"], message, "{method} {body}");
        assert_eq!(
            r.header("api-supported-versions"),
            Some(ASSIGNMENT_VERSIONS)
        );
    }
    // Wrong JSON types are body errors (no target), as on the other operations.
    for body in [
        &br#"{"principalType":1}"#[..],
        br#"{"principalType":"user","clientIds":"x"}"#,
        b"[]",
    ] {
        let r = assignment(addr, "PUT", (TENANT, OBJECT), PREVIEW, body).await;
        assert!(r.error(400, "ValidationError").get("target").is_none());
    }
    assert_eq!(emu.teams_extension_assignment(TENANT, OBJECT), None);
    emu.shutdown().await;
}
