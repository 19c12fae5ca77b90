//! Entra assignments over raw HTTP (2025-03-02-preview): put (201, 200), get, delete (204,
//! 404), the list paged through `nextLink` (followed exactly as given, HMAC-signed), the bulk
//! merge-patch (add, replace, remove, all or nothing, 415), every 400, the version gate.

use crate::support::*;
use crate::versions::*;
use acs_identity_emulator::{Emulator, EntraAssignment};
use serde_json::{json, Value};
use std::net::SocketAddr;

const TENANT: &str = "45ab2481-1c1c-4005-be24-0ffb879b1130";
const USER: &str = "207ffef6-9444-41fb-92ab-20eacaae2768";
const CLIENT: &str = "1fd5118e-2576-4263-8130-9503064c837a";

/// The i-th of a few object ids, in their sort order.
fn object(i: u8) -> String {
    format!("0000000a-0000-4000-8000-0000000000{i:02x}")
}

fn body(principal: &str) -> Value {
    json!({"tenantId": TENANT, "principalType": principal, "clientIds": [CLIENT]})
}

fn answer(object_id: &str, principal: &str) -> Value {
    json!({"objectId": object_id, "tenantId": TENANT, "principalType": principal, "clientIds": [CLIENT]})
}

async fn put(addr: SocketAddr, object_id: &str, body: &Value) -> RawResponse {
    entra_assignment(addr, "PUT", object_id, PREVIEW, body.to_string().as_bytes()).await
}

#[tokio::test]
async fn put_replace_get_delete() {
    let emu = Emulator::builder().start().await.unwrap();
    let addr = emu.local_addr();
    let upper = json!({"TenantId": TENANT.to_uppercase(), "PrincipalType": "User", "ClientIds": [CLIENT.to_uppercase(), CLIENT]});
    let r = put(addr, &USER.to_uppercase(), &upper).await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.header("api-supported-versions"), Some(ENTRA_VERSIONS));
    assert_eq!(
        r.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(r.json(), answer(USER, "user"), "lower-cased, deduplicated");

    let r = put(addr, USER, &body("group")).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json(), answer(USER, "group"));
    let r = entra_assignment(addr, "GET", USER, PREVIEW, b"").await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json(), answer(USER, "group"));
    assert_eq!(
        emu.entra_assignment(&USER.to_uppercase()),
        Some(EntraAssignment {
            object_id: USER.into(),
            tenant_id: TENANT.into(),
            principal_type: "group".into(),
            client_ids: vec![CLIENT.into()],
        })
    );
    // A tenant assignment's objectId is the tenant id; clientIds may be empty (admits no client).
    let r = put(
        addr,
        TENANT,
        &json!({"tenantId": TENANT, "principalType": "tenant", "clientIds": []}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["clientIds"], json!([]));

    let r = entra_assignment(addr, "DELETE", USER, PREVIEW, b"").await;
    assert_eq!(r.status, 204, "{}", r.text());
    assert!(r.body.is_empty());
    assert_eq!(r.header("api-supported-versions"), Some(ENTRA_VERSIONS));
    for method in ["GET", "DELETE"] {
        let r = entra_assignment(addr, method, USER, PREVIEW, b"").await;
        let e = r.error(404, "AssignmentNotFound");
        assert_eq!(
            e["message"],
            format!("No Entra assignment exists for object '{USER}'.")
        );
        assert_eq!(r.header("api-supported-versions"), Some(ENTRA_VERSIONS));
    }
    assert_eq!(emu.entra_assignment(USER), None);
    assert_eq!(emu.entra_assignment("not-a-guid"), None);
    emu.shutdown().await;
}

/// `nextLink` as a request target on `addr` (it must be absolute, on the emulator's endpoint).
fn target_of(emu: &Emulator, next_link: &str) -> String {
    next_link
        .strip_prefix(emu.endpoint())
        .unwrap_or_else(|| panic!("{next_link} is not on {}", emu.endpoint()))
        .to_owned()
}

#[tokio::test]
async fn the_list_pages_through_next_links_signed_as_given() {
    let emu = Emulator::builder()
        .entra_assignments_page_size(2)
        .start()
        .await
        .unwrap();
    let addr = emu.local_addr();
    let first = format!("/access/entra/assignments?api-version={PREVIEW}");
    let r = raw(
        addr,
        "GET",
        &first,
        &hmac_now(addr, "GET", &first, b""),
        b"",
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.json(),
        json!({"value": []}),
        "no nextLink without a next page"
    );
    assert_eq!(r.header("api-supported-versions"), Some(ENTRA_VERSIONS));

    // Five assignments, put out of order: three pages of 2, 2 and 1, in objectId order.
    for i in [4u8, 1, 5, 3, 2] {
        let r = put(addr, &object(i), &body("user")).await;
        assert_eq!(r.status, 201, "{}", r.text());
    }
    let mut target = first;
    let mut pages: Vec<Vec<String>> = Vec::new();
    loop {
        let r = raw(
            addr,
            "GET",
            &target,
            &hmac_now(addr, "GET", &target, b""),
            b"",
        )
        .await;
        assert_eq!(r.status, 200, "{target}: {}", r.text());
        let j = r.json();
        pages.push(
            j["value"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["objectId"].as_str().unwrap().to_owned())
                .collect(),
        );
        assert_eq!(j["value"][0], answer(&pages.last().unwrap()[0], "user"));
        let Some(next) = j.get("nextLink").and_then(Value::as_str) else {
            break;
        };
        assert!(
            next.starts_with(&format!(
                "{}/access/entra/assignments?api-version={PREVIEW}&",
                emu.endpoint()
            )),
            "{next}"
        );
        target = target_of(&emu, next);
        assert!(pages.len() < 5, "the pages never end");
    }
    assert_eq!(
        pages,
        [
            vec![object(1), object(2)],
            vec![object(3), object(4)],
            vec![object(5)]
        ]
    );

    // A nextLink signed for another query is refused like any other request.
    let r = raw(
        addr,
        "GET",
        &format!("{target}x"),
        &hmac_now(addr, "GET", &target, b""),
        b"",
    )
    .await;
    r.error(401, "Denied");
    // A continuation that is not one the emulator wrote.
    let bad = format!("/access/entra/assignments?api-version={PREVIEW}&continuationToken=x");
    let e = raw(addr, "GET", &bad, &bearer(), b"")
        .await
        .error(400, "ValidationError");
    assert_eq!(e["target"], "continuationToken");
    assert_eq!(
        e["message"],
        "The continuationToken 'x' is not valid: follow the nextLink of the previous page as given."
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn bulk_merge_patch_adds_replaces_removes_all_or_nothing() {
    let emu = Emulator::builder().start().await.unwrap();
    let addr = emu.local_addr();
    for i in [1u8, 2] {
        put(addr, &object(i), &body("user")).await;
    }
    // Replace 1, remove 2, add 3, remove 9 (absent: nothing to do).
    let patch = json!({
        object(3): body("group"),
        object(1).to_uppercase(): body("group"),
        object(2): null,
        object(9): null,
    });
    let r = patch_entra_assignments(addr, &patch).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("api-supported-versions"), Some(ENTRA_VERSIONS));
    let changed = json!({"value": [answer(&object(1), "group"), answer(&object(3), "group")]});
    assert_eq!(
        r.json(),
        changed,
        "the created and replaced ones, in objectId order"
    );
    let list = raw(
        addr,
        "GET",
        &format!("/access/entra/assignments?api-version={PREVIEW}"),
        &bearer(),
        b"",
    )
    .await;
    assert_eq!(list.json(), changed);

    // One bad entry: nothing is applied.
    let bad = json!({object(4): body("user"), object(1): null, object(5): {"tenantId": TENANT}});
    let e = patch_entra_assignments(addr, &bad)
        .await
        .error(400, "ValidationError");
    assert_eq!(e["target"], "PrincipalType");
    assert_eq!(
        e["message"],
        format!("Assignment '{}': PrincipalType: The PrincipalType field is required; expected 'user', 'group' or 'tenant'.", object(5))
    );
    assert!(emu.entra_assignment(&object(4)).is_none());
    assert!(emu.entra_assignment(&object(1)).is_some());
    let e = patch_entra_assignments(addr, &json!({"nope": null}))
        .await
        .error(400, "ValidationError");
    assert_eq!(e["target"], "objectId");
    let e = patch_entra_assignments(addr, &json!({object(4): "user"}))
        .await
        .error(400, "ValidationError");
    assert!(e.get("target").is_none());
    let twice = json!({USER: body("user"), USER.to_uppercase(): null});
    let e = patch_entra_assignments(addr, &twice)
        .await
        .error(400, "ValidationError");
    assert_eq!(e["target"], "objectId");
    for not_an_object in [json!([]), json!("x")] {
        patch_entra_assignments(addr, &not_an_object)
            .await
            .error(400, "ValidationError");
    }
    assert!(emu.entra_assignment(&object(4)).is_none());
    assert!(emu.entra_assignment(USER).is_none());

    // The content type is required (parameters allowed, any case).
    let target = format!("/access/entra/assignments?api-version={PREVIEW}");
    let payload = json!({object(6): body("user")}).to_string();
    for ct in [None, Some("application/json")] {
        let mut headers = bearer();
        if let Some(ct) = ct {
            headers.push(("Content-Type", ct.to_owned()));
        }
        let e = raw(addr, "PATCH", &target, &headers, payload.as_bytes())
            .await
            .error(415, "UnsupportedMediaType");
        assert_eq!(
            e["message"],
            format!(
                "PATCH /access/entra/assignments takes 'Content-Type: application/merge-patch+json'; the request has '{}'.",
                ct.unwrap_or("")
            )
        );
    }
    let mut headers = bearer();
    headers.push((
        "Content-Type",
        "Application/Merge-Patch+JSON; charset=utf-8".to_owned(),
    ));
    let r = raw(addr, "PATCH", &target, &headers, payload.as_bytes()).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = patch_entra_assignments(addr, &json!({})).await;
    assert_eq!(r.json(), json!({"value": []}));
    emu.shutdown().await;
}

#[tokio::test]
async fn every_400_says_what_is_expected() {
    let emu = Emulator::builder().start().await.unwrap();
    let addr = emu.local_addr();
    let guid = "a GUID such as 00000000-0000-0000-0000-000000000000";
    let principals = "expected 'user', 'group' or 'tenant'";
    let cases: Vec<(&str, &str, Value, &str, String)> = vec![
        (
            "PUT",
            "not-a-guid",
            body("user"),
            "objectId",
            format!("The objectId 'not-a-guid' is not valid: expected {guid}."),
        ),
        (
            "GET",
            "not-a-guid",
            Value::Null,
            "objectId",
            format!("The objectId 'not-a-guid' is not valid: expected {guid}."),
        ),
        (
            "DELETE",
            "x",
            Value::Null,
            "objectId",
            format!("The objectId 'x' is not valid: expected {guid}."),
        ),
        (
            "PUT",
            USER,
            json!({"principalType": "user", "clientIds": []}),
            "TenantId",
            "TenantId: The TenantId field is required.".into(),
        ),
        (
            "PUT",
            USER,
            Value::Null,
            "TenantId",
            "TenantId: The TenantId field is required.".into(),
        ),
        (
            "PUT",
            USER,
            json!({"tenantId": TENANT, "clientIds": []}),
            "PrincipalType",
            format!("PrincipalType: The PrincipalType field is required; {principals}."),
        ),
        (
            "PUT",
            USER,
            json!({"tenantId": TENANT, "principalType": "resourceAccount", "clientIds": []}),
            "PrincipalType",
            format!("PrincipalType: The value 'resourceAccount' is not valid; {principals}."),
        ),
        (
            "PUT",
            USER,
            json!({"tenantId": TENANT, "principalType": "user"}),
            "ClientIds",
            "ClientIds: The ClientIds field is required.".into(),
        ),
        (
            "PUT",
            USER,
            json!({"tenantId": "contoso", "principalType": "user", "clientIds": []}),
            "tenantId",
            format!("The tenantId 'contoso' is not valid: expected {guid}."),
        ),
        (
            "PUT",
            USER,
            json!({"tenantId": TENANT, "principalType": "user", "clientIds": [CLIENT, "app"]}),
            "clientIds",
            format!("The client id 'app' is not valid: expected every clientIds entry to be {guid}."),
        ),
        (
            "PUT",
            USER,
            json!({"tenantId": TENANT, "principalType": "tenant", "clientIds": []}),
            "objectId",
            format!("The objectId '{USER}' is not valid for principalType 'tenant': it must be the tenantId '{TENANT}'."),
        ),
    ];
    for (method, object_id, body, target, message) in cases {
        let bytes = if body.is_null() {
            Vec::new()
        } else {
            body.to_string().into_bytes()
        };
        let r = entra_assignment(addr, method, object_id, PREVIEW, &bytes).await;
        let e = r.error(400, "ValidationError");
        assert_eq!(e["target"], target, "{method} {body}");
        assert_eq!(e["message"], message, "{method} {body}");
        assert_eq!(r.header("api-supported-versions"), Some(ENTRA_VERSIONS));
    }
    // Wrong JSON types are body errors (no target).
    for bad in [
        &br#"{"tenantId":1,"principalType":"user","clientIds":[]}"#[..],
        br#"{"tenantId":"x","principalType":"user","clientIds":"x"}"#,
        b"[]",
    ] {
        let r = entra_assignment(addr, "PUT", USER, PREVIEW, bad).await;
        assert!(r.error(400, "ValidationError").get("target").is_none());
    }
    assert_eq!(emu.entra_assignment(USER), None);
    emu.shutdown().await;
}

#[tokio::test]
async fn version_gate_methods_paths_and_authentication() {
    let emu = Emulator::builder().start().await.unwrap();
    let addr = emu.local_addr();
    for v in ["2025-06-30", "2023-10-01"] {
        let r = entra_assignment(addr, "GET", USER, v, b"").await;
        r.error(400, "UnsupportedApiVersion");
        assert_eq!(r.header("api-supported-versions"), Some(ENTRA_VERSIONS));
        let r = raw(
            addr,
            "GET",
            &format!("/access/entra/assignments?api-version={v}"),
            &bearer(),
            b"",
        )
        .await;
        r.error(400, "UnsupportedApiVersion");
        assert_eq!(r.header("api-supported-versions"), Some(ENTRA_VERSIONS));
    }
    // Literals in any case, the GUID percent-encoded, a trailing slash; HMAC-signed.
    let target = format!(
        "/ACCESS/Entra/Assignments/{}/?api-version={PREVIEW}",
        USER.replace('-', "%2D")
    );
    let b = body("user").to_string();
    let r = raw(
        addr,
        "PUT",
        &target,
        &hmac_now(addr, "PUT", &target, b.as_bytes()),
        b.as_bytes(),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let r = entra_assignment(addr, "POST", USER, PREVIEW, b"{}").await;
    r.error(405, "MethodNotAllowed");
    assert_eq!(r.header("allow"), Some("GET,HEAD,PUT,DELETE"));
    let r = raw(
        addr,
        "DELETE",
        &format!("/access/entra/assignments?api-version={PREVIEW}"),
        &bearer(),
        b"",
    )
    .await;
    r.error(405, "MethodNotAllowed");
    assert_eq!(r.header("allow"), Some("GET,HEAD,PATCH"));
    raw(
        addr,
        "GET",
        &entra_assignment_target(USER, PREVIEW),
        &[],
        b"",
    )
    .await
    .error(401, "Denied");
    emu.shutdown().await;
}
