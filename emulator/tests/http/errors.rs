//! Every error row: status, code, message and target as the service answers them (as
//! recorded), plus the emulator's own choices where the service's answer is unknown.

use crate::jwt::entra_token;
use crate::support::*;
use crate::versions::*;
use acs_identity_emulator::{Emulator, ManualClock};
use std::sync::Arc;
use time::macros::datetime;

async fn issue(addr: std::net::SocketAddr, id: &str, v: &str, body: &[u8]) -> RawResponse {
    raw(
        addr,
        "POST",
        &format!(
            "/identities/{}/:issueAccessToken?api-version={v}",
            encode_id(id)
        ),
        &bearer(),
        body,
    )
    .await
}

#[tokio::test]
async fn custom_expiry_out_of_range() {
    let emu = Emulator::builder().start().await.unwrap();
    let addr = emu.local_addr();
    let id = create_user(addr).await;
    for v in ["2022-10-01", "2023-10-01"] {
        for minutes in [59, 1441, 0, -5] {
            let body = format!(r#"{{"scopes":["chat"],"expiresInMinutes":{minutes}}}"#);
            let e = issue(addr, &id, v, body.as_bytes())
                .await
                .error(400, "ValidationError");
            assert_eq!(
                e["message"],
                format!("ExpiresInMinutes value {minutes} is invalid. Value must be within the [60, 1440] interval.")
            );
            assert_eq!(e["target"], "ExpiresInMinutes");
            let body =
                format!(r#"{{"createTokenWithScopes":["chat"],"expiresInMinutes":{minutes}}}"#);
            let r = raw(
                addr,
                "POST",
                &format!("/identities?api-version={v}"),
                &bearer(),
                body.as_bytes(),
            )
            .await;
            assert_eq!(
                r.error(400, "ValidationError")["target"],
                "ExpiresInMinutes"
            );
        }
    }
    emu.shutdown().await;
}

#[tokio::test]
async fn scopes_required_empty_and_invalid() {
    let emu = Emulator::builder().start().await.unwrap();
    let addr = emu.local_addr();
    let id = create_user(addr).await;
    for body in [&br#"{"scopes":null}"#[..], b"{}", b"", b"null"] {
        let e = issue(addr, &id, "2023-10-01", body)
            .await
            .error(400, "ValidationError");
        assert_eq!(e["message"], "Scopes: The Scopes field is required.");
        assert_eq!(e["target"], "Scopes");
    }
    // An empty list is the service's semantic check: its own message, a camelCase target.
    for v in ["2023-10-01", "2025-06-30", "2026-09-23", PREVIEW] {
        let e = issue(addr, &id, v, br#"{"scopes":[]}"#)
            .await
            .error(400, "ValidationError");
        assert_eq!(e["message"], "Invalid scopes - Scopes field is required.");
        assert_eq!(e["target"], "scopes");
    }
    let e = issue(addr, &id, "2023-10-01", br#"{"scopes":["email"]}"#)
        .await
        .error(400, "ValidationError");
    assert_eq!(e["target"], "Scopes");
    // The .join scopes do not exist before 2023-10-01.
    for v in ["2021-03-07", "2022-06-01", "2022-10-01"] {
        let e = issue(addr, &id, v, br#"{"scopes":["chat.join"]}"#)
            .await
            .error(400, "ValidationError");
        assert_eq!(e["target"], "Scopes");
        let r = raw(
            addr,
            "POST",
            &format!("/identities?api-version={v}"),
            &bearer(),
            br#"{"createTokenWithScopes":["voip.join"]}"#,
        )
        .await;
        r.error(400, "ValidationError");
    }
    emu.shutdown().await;
}

#[tokio::test]
async fn malformed_bodies_are_400_not_500() {
    let emu = Emulator::builder().start().await.unwrap();
    let addr = emu.local_addr();
    let id = create_user(addr).await;
    for body in [
        &b"{"[..],
        b"[]",
        b"42",
        br#"{"scopes":"chat"}"#,
        br#"{"scopes":[1]}"#,
        br#"{"scopes":["chat"],"expiresInMinutes":"60"}"#,
        br#"{"scopes":["chat"],"expiresInMinutes":60.5}"#,
        br#"{"scopes":["chat"],"expiresInMinutes":1e40}"#,
        b"\xff\xfe",
    ] {
        issue(addr, &id, "2023-10-01", body)
            .await
            .error(400, "ValidationError");
    }
    let r = raw(
        addr,
        "POST",
        "/identities?api-version=2023-10-01",
        &bearer(),
        b"{\"createTokenWithScopes\":{}}",
    )
    .await;
    r.error(400, "ValidationError");
    emu.shutdown().await;
}

#[tokio::test]
async fn foreign_malformed_and_unknown_ids() {
    let emu = Emulator::builder().start().await.unwrap();
    let addr = emu.local_addr();
    let unknown = format!(
        "8:acs:{}_00000027-0000-4000-8000-000000000000",
        emu.resource_id()
    );
    let foreign = "8:acs:00000000-1111-2222-3333-444444444444_00000027-0000-4000-8000-000000000000";
    for (id, status, code) in [
        (foreign.to_owned(), 401, "IdentityNotOwned"),
        (
            "8:orgid:45ab2481-1c1c-4005-be24-0ffb879b1130".to_owned(),
            401,
            "IdentityNotOwned",
        ),
        ("not-an-id".to_owned(), 401, "IdentityNotOwned"),
        ("%FF%FE".to_owned(), 401, "IdentityNotOwned"),
        (
            format!("8:acs:{}_", emu.resource_id()),
            401,
            "IdentityNotOwned",
        ),
        (unknown.clone(), 404, "IdentityNotFound"),
    ] {
        for (m, suffix, body) in [
            ("POST", "/:issueAccessToken", &br#"{"scopes":["chat"]}"#[..]),
            ("POST", "/:revokeAccessTokens", b""),
            ("DELETE", "", b""),
        ] {
            let r = raw(
                addr,
                m,
                &format!(
                    "/identities/{}{suffix}?api-version=2023-10-01",
                    encode_id(&id)
                ),
                &bearer(),
                body,
            )
            .await;
            r.error(status, code);
        }
    }
    emu.shutdown().await;
}

#[tokio::test]
async fn api_version_errors() {
    let emu = Emulator::builder().start().await.unwrap();
    let addr = emu.local_addr();
    let e = raw(
        addr,
        "POST",
        "/identities?api-version=2099-01-01",
        &bearer(),
        b"",
    )
    .await
    .error(400, "UnsupportedApiVersion");
    assert_eq!(
        e["message"],
        format!("The HTTP resource that matches the request URI 'http://{addr}/identities?api-version=2099-01-01' does not support the API version '2099-01-01'.")
    );
    raw(addr, "POST", "/identities", &bearer(), b"")
        .await
        .error(400, "ApiVersionUnspecified");
    raw(addr, "POST", "/identities?api-version=", &bearer(), b"")
        .await
        .error(400, "UnsupportedApiVersion");
    raw(
        addr,
        "POST",
        "/identities?api-version=2023-10-01&api-version=2021-03-07",
        &bearer(),
        b"",
    )
    .await
    .error(400, "AmbiguousApiVersion");
    // The Teams exchange does not exist in 2021-03-07.
    let r = raw(
        addr,
        "POST",
        "/teamsUser/:exchangeAccessToken?api-version=2021-03-07",
        &bearer(),
        b"{}",
    )
    .await;
    r.error(400, "UnsupportedApiVersion");
    assert_eq!(
        r.header("api-supported-versions"),
        Some(TEAMS_USER_VERSIONS)
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn teams_exchange_errors() {
    let clock = ManualClock::new(datetime!(2026-11-24 12:00:00 UTC));
    let emu = Emulator::builder()
        .clock(Arc::new(clock))
        .start()
        .await
        .unwrap();
    let addr = emu.local_addr();
    let app = "00000000-0000-0000-0000-000000000001";
    let oid = "00000000-0000-0000-0000-000000000002";
    let future = datetime!(2026-11-24 13:00:00 UTC).unix_timestamp();
    let good = entra_token(serde_json::json!({"exp": future, "appid": app, "oid": oid}));
    let expired = entra_token(serde_json::json!({"exp": future - 7200, "appid": app, "oid": oid}));
    let no_exp = entra_token(serde_json::json!({"appid": app, "oid": oid}));
    let exchange = |body: String| async move {
        raw(
            addr,
            "POST",
            "/teamsUser/:exchangeAccessToken?api-version=2023-10-01",
            &bearer(),
            body.as_bytes(),
        )
        .await
    };
    let cases: Vec<(String, u16, &str, &str, Option<&str>)> = vec![
        (
            format!(r#"{{"token":"{good}","appId":"","userId":"{oid}"}}"#),
            400,
            "ValidationError",
            "AppId: The AppId field is required.",
            Some("AppId"),
        ),
        (
            format!(r#"{{"token":"{good}","userId":"{oid}"}}"#),
            400,
            "ValidationError",
            "AppId: The AppId field is required.",
            Some("AppId"),
        ),
        (
            format!(
                r#"{{"token":"{good}","appId":"00000000-0000-0000-0000-00000000000f","userId":"{oid}"}}"#
            ),
            400,
            "ValidationError",
            "AAD application is not the expected one.",
            Some("appId"),
        ),
        (
            format!(
                r#"{{"token":"{good}","appId":"{app}","userId":"00000000-0000-0000-0000-00000000000f"}}"#
            ),
            400,
            "ValidationError",
            "Provided AAD token issued for unexpected user.",
            Some("userId"),
        ),
        (
            format!(r#"{{"token":"{expired}","appId":"{app}","userId":"{oid}"}}"#),
            401,
            "InvalidAccessToken",
            "Provided access token is not valid.",
            None,
        ),
        // An empty or absent userId with a usable token: model binding's wording, PascalCase.
        (
            format!(r#"{{"token":"{good}","appId":"{app}","userId":""}}"#),
            400,
            "ValidationError",
            "UserId: The UserId field is required.",
            Some("UserId"),
        ),
        (
            format!(r#"{{"token":"{good}","appId":"{app}","userId":"  "}}"#),
            400,
            "ValidationError",
            "UserId: The UserId field is required.",
            Some("UserId"),
        ),
        (
            format!(r#"{{"token":"{good}","appId":"{app}"}}"#),
            400,
            "ValidationError",
            "UserId: The UserId field is required.",
            Some("UserId"),
        ),
        (
            format!(r#"{{"token":"invalid","appId":"{app}","userId":""}}"#),
            401,
            "InvalidAccessToken",
            "Provided access token is not valid.",
            None,
        ),
        (
            format!(r#"{{"token":"","appId":"{app}","userId":"{oid}"}}"#),
            401,
            "InvalidAccessToken",
            "Provided access token is not valid.",
            None,
        ),
        (
            format!(r#"{{"token":"{no_exp}","appId":"{app}","userId":"{oid}"}}"#),
            401,
            "InvalidAccessToken",
            "Provided access token is not valid.",
            None,
        ),
        (
            format!(r#"{{"token":"a.!!!.c","appId":"{app}","userId":"{oid}"}}"#),
            401,
            "InvalidAccessToken",
            "Provided access token is not valid.",
            None,
        ),
        (
            format!(
                r#"{{"token":"{}","appId":"{app}","userId":"{oid}"}}"#,
                entra_token(serde_json::json!({"exp": 1e300, "appid": app, "oid": oid}))
            ),
            401,
            "InvalidAccessToken",
            "Provided access token is not valid.",
            None,
        ),
        (
            format!(
                r#"{{"token":"{}","appId":"{app}","userId":"{oid}"}}"#,
                entra_token(serde_json::json!({"exp": "soon", "appid": app, "oid": oid}))
            ),
            401,
            "InvalidAccessToken",
            "Provided access token is not valid.",
            None,
        ),
    ];
    for (body, status, code, message, target) in cases {
        let r = exchange(body.clone()).await;
        let e = r.error(status, code);
        assert_eq!(e["message"], message, "{body}");
        assert_eq!(e.get("target").and_then(|t| t.as_str()), target, "{body}");
    }
    emu.shutdown().await;
}

#[tokio::test]
async fn unknown_routes_methods_and_big_bodies() {
    let emu = Emulator::builder()
        .max_body_bytes(1024)
        .start()
        .await
        .unwrap();
    let addr = emu.local_addr();
    raw(
        addr,
        "GET",
        "/nothing?api-version=2023-10-01",
        &bearer(),
        b"",
    )
    .await
    .error(404, "NotFound");
    raw(
        addr,
        "POST",
        "/identities/x/:frobnicate?api-version=2023-10-01",
        &bearer(),
        b"",
    )
    .await
    .error(404, "NotFound");
    let r = raw(
        addr,
        "GET",
        "/identities?api-version=2023-10-01",
        &bearer(),
        b"",
    )
    .await;
    r.error(405, "MethodNotAllowed");
    assert_eq!(r.header("allow"), Some("POST"));
    let r = raw(
        addr,
        "POST",
        "/identities/x?api-version=2023-10-01",
        &bearer(),
        b"",
    )
    .await;
    r.error(405, "MethodNotAllowed");
    // GET exists on the path in 2025-03-02-preview: the 405 names every version of the path.
    assert_eq!(r.header("allow"), Some("DELETE,GET,HEAD"));
    assert_eq!(r.header("api-supported-versions"), Some(ALL_VERSIONS));
    let big = vec![b' '; 2048];
    raw(
        addr,
        "POST",
        "/identities?api-version=2023-10-01",
        &bearer(),
        &big,
    )
    .await
    .error(413, "RequestEntityTooLarge");
    raw(addr, "POST", "/_emulator/tokens:validate", &[], &big)
        .await
        .error(413, "RequestEntityTooLarge");
    raw(addr, "POST", "/_emulator/tokens:validate", &[], b"{}")
        .await
        .error(400, "ValidationError");
    raw(addr, "GET", "/_emulator/nothing", &[], b"")
        .await
        .error(404, "NotFound");
    let r = raw(addr, "PUT", "/_emulator/tokens:validate", &[], b"").await;
    r.error(405, "MethodNotAllowed");
    assert_eq!(r.header("allow"), Some("GET,HEAD,POST"));
    let r = raw(addr, "POST", "/_emulator/health", &[], b"").await;
    r.error(405, "MethodNotAllowed");
    assert_eq!(r.header("allow"), Some("GET,HEAD"));
    emu.shutdown().await;
}

#[tokio::test]
async fn hostile_request_targets_never_crash_the_server() {
    let emu = Emulator::builder().start().await.unwrap();
    let addr = emu.local_addr();
    for target in [
        "/identities/x/:\u{e9}\u{20ac}?api-version=2023-10-01",
        "/_emulat\u{e9}\u{20ac}/x",
        "/\u{e9}\u{20ac}",
        "/identities/%ZZ/:issueAccessToken?api-version=2023-10-01",
        "/identities?api-version=%FF",
        "//identities?api-version=2023-10-01",
        "/identities?api-version=2023-10-01&&&=&",
    ] {
        let r = raw(addr, "POST", target, &bearer(), b"{}").await;
        assert!(
            (400..500).contains(&r.status) || r.status == 201,
            "{target}: {}",
            r.status
        );
    }
    // Still serving.
    assert_eq!(
        raw(addr, "GET", "/_emulator/health", &[], b"").await.status,
        200
    );
    emu.shutdown().await;
}
