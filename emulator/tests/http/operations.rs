//! Every operation over raw HTTP: success codes, bodies, headers, api-version differences,
//! ids percent-encoded or not, token claims, revocation and deletion.

use crate::jwt::{entra_token, jwt_claims};
use crate::support::*;
use crate::versions::*;
use acs_identity_emulator::{Emulator, ManualClock, TokenStatus};
use std::sync::Arc;
use time::macros::datetime;
use time::Duration;

const VERSIONS: [&str; 7] = [
    "2021-03-07",
    "2022-06-01",
    "2022-10-01",
    "2023-10-01",
    "2025-03-02-preview",
    "2025-06-30",
    "2026-09-23",
];

fn expires_on_re(s: &str) -> bool {
    // 2026-11-25T17:51:59.0000000+00:00
    s.len() == 33
        && s.as_bytes()[10] == b'T'
        && s.ends_with("+00:00")
        && s.as_bytes()[19] == b'.'
        && s[20..27].bytes().all(|b| b.is_ascii_digit())
}

#[tokio::test]
async fn create_without_token_in_every_version_and_body_form() {
    let emu = Emulator::builder().start().await.unwrap();
    let addr = emu.local_addr();
    for v in VERSIONS {
        for body in [
            &b""[..],
            b"{}",
            b"null",
            br#"{"createTokenWithScopes":null,"expiresInMinutes":null}"#,
            br#"{"createTokenWithScopes":[]}"#,
        ] {
            let mut h = bearer();
            h.push(("Content-Type", "application/json".into()));
            h.push(("x-ms-client-request-id", "req-1".into()));
            let r = raw(
                addr,
                "POST",
                &format!("/identities?api-version={v}"),
                &h,
                body,
            )
            .await;
            assert_eq!(
                r.status,
                201,
                "{v} {:?}: {}",
                String::from_utf8_lossy(body),
                r.text()
            );
            assert_eq!(
                r.header("content-type"),
                Some("application/json; charset=utf-8")
            );
            assert_eq!(r.header("x-ms-client-request-id"), Some("req-1"));
            assert_eq!(r.header("api-supported-versions"), Some(ALL_VERSIONS));
            let j = r.json();
            let id = j["identity"]["id"].as_str().unwrap();
            assert!(
                id.starts_with(&format!("8:acs:{}_", emu.resource_id())),
                "{id}"
            );
            assert_eq!(id.len(), "8:acs:".len() + 36 + 1 + 36);
            assert!(j.get("accessToken").is_none(), "{j}");
        }
    }
    emu.shutdown().await;
}

#[tokio::test]
async fn create_with_token_claims_and_expiry() {
    let clock = ManualClock::new(datetime!(2026-11-24 12:00:00 UTC));
    let emu = Emulator::builder()
        .clock(Arc::new(clock.clone()))
        .start()
        .await
        .unwrap();
    let addr = emu.local_addr();
    let r = raw(
        addr,
        "POST",
        "/identities?api-version=2023-10-01",
        &bearer(),
        br#"{"createTokenWithScopes":["chat","voip"],"expiresInMinutes":60}"#,
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let j = r.json();
    let id = j["identity"]["id"].as_str().unwrap();
    let token = j["accessToken"]["token"].as_str().unwrap();
    assert_eq!(
        j["accessToken"]["expiresOn"],
        "2026-11-24T13:00:00.0000000+00:00"
    );
    let c = jwt_claims(token);
    assert_eq!(c["skypeid"], id.strip_prefix("8:").unwrap());
    assert_eq!(c["acsScope"], "chat,voip");
    assert_eq!(c["scp"], 1792);
    let iat = datetime!(2026-11-24 12:00:00 UTC).unix_timestamp();
    assert_eq!(c["iat"], iat);
    assert_eq!(c["csi"], iat.to_string());
    assert_eq!(c["exp"], iat + 3600);
    assert_eq!(c["resourceId"], emu.resource_id());
    assert_eq!(c["resourceLocation"], "unitedstates");

    // Default expiry is 1440 minutes; before 2022-10-01 expiresInMinutes is ignored.
    for (v, body) in [
        ("2023-10-01", &br#"{"createTokenWithScopes":["chat"]}"#[..]),
        (
            "2021-03-07",
            br#"{"createTokenWithScopes":["chat"],"expiresInMinutes":60}"#,
        ),
        (
            "2022-06-01",
            br#"{"createTokenWithScopes":["voip"],"expiresInMinutes":59}"#,
        ),
    ] {
        let r = raw(
            addr,
            "POST",
            &format!("/identities?api-version={v}"),
            &bearer(),
            body,
        )
        .await;
        assert_eq!(r.status, 201, "{v}: {}", r.text());
        assert_eq!(
            r.json()["accessToken"]["expiresOn"],
            "2026-11-25T12:00:00.0000000+00:00"
        );
    }
    emu.shutdown().await;
}

#[tokio::test]
async fn issue_token_with_encoded_and_raw_ids_every_version() {
    let emu = Emulator::builder().start().await.unwrap();
    let addr = emu.local_addr();
    let id = create_user(addr).await;
    for v in VERSIONS {
        for path_id in [encode_id(&id), id.clone()] {
            let mut h = bearer();
            h.push(("x-ms-client-request-id", "abc".into()));
            let r = raw(
                addr,
                "POST",
                &format!("/identities/{path_id}/:issueAccessToken?api-version={v}"),
                &h,
                br#"{"scopes":["chat"]}"#,
            )
            .await;
            assert_eq!(r.status, 200, "{v}: {}", r.text());
            assert_eq!(
                r.header("content-type"),
                Some("application/json; charset=utf-8")
            );
            assert_eq!(r.header("x-ms-client-request-id"), Some("abc"));
            let j = r.json();
            assert!(expires_on_re(j["expiresOn"].as_str().unwrap()), "{j}");
            let token = j["token"].as_str().unwrap();
            let c = jwt_claims(token);
            assert_eq!(
                c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(),
                86400
            );
            assert!(emu.validate_token(token).is_valid());
            assert_eq!(
                emu.validate_token(token).identity.as_deref(),
                Some(id.as_str())
            );
        }
    }
    emu.shutdown().await;
}

#[tokio::test]
async fn join_scopes_from_2023_10_01_and_custom_expiry_bounds() {
    let emu = Emulator::builder().start().await.unwrap();
    let addr = emu.local_addr();
    let id = encode_id(&create_user(addr).await);
    for scope in ["chat.join", "chat.join.limited", "voip.join"] {
        let r = raw(
            addr,
            "POST",
            &format!("/identities/{id}/:issueAccessToken?api-version=2023-10-01"),
            &bearer(),
            format!(r#"{{"scopes":["{scope}"],"expiresInMinutes":60}}"#).as_bytes(),
        )
        .await;
        assert_eq!(r.status, 200, "{scope}: {}", r.text());
        assert_eq!(
            jwt_claims(r.json()["token"].as_str().unwrap())["acsScope"],
            scope
        );
    }
    for minutes in [60, 1440] {
        let r = raw(
            addr,
            "POST",
            &format!("/identities/{id}/:issueAccessToken?api-version=2022-10-01"),
            &bearer(),
            format!(r#"{{"scopes":["voip"],"expiresInMinutes":{minutes}}}"#).as_bytes(),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text());
        let c = jwt_claims(r.json()["token"].as_str().unwrap());
        assert_eq!(
            c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(),
            minutes * 60
        );
    }
    emu.shutdown().await;
}

#[tokio::test]
async fn revoke_invalidates_earlier_tokens_only() {
    let emu = Emulator::builder().start().await.unwrap();
    let addr = emu.local_addr();
    let id = create_user(addr).await;
    let issue = |id: String| async move {
        let r = raw(
            addr,
            "POST",
            &format!(
                "/identities/{}/:issueAccessToken?api-version=2023-10-01",
                encode_id(&id)
            ),
            &bearer(),
            br#"{"scopes":["chat"]}"#,
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()["token"].as_str().unwrap().to_owned()
    };
    let before = issue(id.clone()).await;
    for path_id in [encode_id(&id), id.clone()] {
        let r = raw(
            addr,
            "POST",
            &format!("/identities/{path_id}/:revokeAccessTokens?api-version=2023-10-01"),
            &bearer(),
            b"",
        )
        .await;
        assert_eq!(r.status, 204, "{}", r.text());
        assert!(r.body.is_empty());
        assert_eq!(r.header("content-type"), None);
    }
    assert_eq!(emu.validate_token(&before).status, TokenStatus::Revoked);
    let after = issue(id.clone()).await;
    assert!(emu.validate_token(&after).is_valid());

    // The validation endpoint says the same, without authentication.
    let r = raw(
        addr,
        "POST",
        "/_emulator/tokens:validate",
        &[],
        format!(r#"{{"token":"{before}"}}"#).as_bytes(),
    )
    .await;
    assert_eq!(r.status, 200);
    let j = r.json();
    assert_eq!(j["valid"], false);
    assert_eq!(j["reason"], "revoked");
    assert_eq!(j["identity"], id.as_str());
    let r = raw(
        addr,
        "GET",
        &format!("/_emulator/validate?token={after}"),
        &[],
        b"",
    )
    .await;
    assert_eq!(r.json()["valid"], true, "{}", r.text());
    assert_eq!(r.json()["scopes"], serde_json::json!(["chat"]));
    emu.shutdown().await;
}

#[tokio::test]
async fn delete_invalidates_everything_and_is_not_repeatable() {
    let emu = Emulator::builder().start().await.unwrap();
    let addr = emu.local_addr();
    let r = raw(
        addr,
        "POST",
        "/identities?api-version=2023-10-01",
        &bearer(),
        br#"{"createTokenWithScopes":["chat"]}"#,
    )
    .await;
    let j = r.json();
    let id = j["identity"]["id"].as_str().unwrap().to_owned();
    let token = j["accessToken"]["token"].as_str().unwrap().to_owned();
    let r = raw(
        addr,
        "DELETE",
        &format!("/identities/{id}?api-version=2023-10-01"),
        &bearer(),
        b"",
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.text());
    assert!(r.body.is_empty());
    assert_eq!(
        emu.validate_token(&token).status,
        TokenStatus::IdentityDeleted
    );
    for (m, p, b) in [
        (
            "DELETE",
            format!("/identities/{}?api-version=2023-10-01", encode_id(&id)),
            &b""[..],
        ),
        (
            "POST",
            format!(
                "/identities/{}/:revokeAccessTokens?api-version=2023-10-01",
                encode_id(&id)
            ),
            b"",
        ),
        (
            "POST",
            format!(
                "/identities/{}/:issueAccessToken?api-version=2023-10-01",
                encode_id(&id)
            ),
            br#"{"scopes":["chat"]}"#,
        ),
    ] {
        let r = raw(addr, m, &p, &bearer(), b).await;
        let e = r.error(404, "IdentityNotFound");
        assert_eq!(e["message"], "Provided identity doesn't exist.");
    }
    emu.shutdown().await;
}

#[tokio::test]
async fn tokens_expire_on_the_emulator_clock() {
    let clock = ManualClock::new(datetime!(2026-11-24 12:00:00 UTC));
    let emu = Emulator::builder()
        .clock(Arc::new(clock.clone()))
        .start()
        .await
        .unwrap();
    let r = raw(
        emu.local_addr(),
        "POST",
        "/identities?api-version=2023-10-01",
        &bearer(),
        br#"{"createTokenWithScopes":["chat"],"expiresInMinutes":60}"#,
    )
    .await;
    let token = r.json()["accessToken"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    clock.advance(Duration::minutes(59));
    assert!(emu.validate_token(&token).is_valid());
    clock.advance(Duration::minutes(1));
    assert_eq!(emu.validate_token(&token).status, TokenStatus::Expired);
    assert_eq!(emu.validate_token("garbage").status, TokenStatus::Malformed);
    let foreign = entra_token(serde_json::json!({"exp": 1}));
    assert_eq!(
        emu.validate_token(&foreign).status,
        TokenStatus::BadSignature
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn teams_exchange_success_uses_the_entra_expiry() {
    let clock = ManualClock::new(datetime!(2026-11-24 12:00:00 UTC));
    let emu = Emulator::builder()
        .clock(Arc::new(clock.clone()))
        .start()
        .await
        .unwrap();
    let exp = datetime!(2026-11-24 13:30:00 UTC).unix_timestamp();
    let app = "00000000-0000-0000-0000-000000000001";
    let oid = "00000000-0000-0000-0000-000000000002";
    let aad = entra_token(serde_json::json!({"exp": exp, "appid": app, "oid": oid}));
    for v in &VERSIONS[1..] {
        let r = raw(
            emu.local_addr(),
            "POST",
            &format!("/teamsUser/:exchangeAccessToken?api-version={v}"),
            &bearer(),
            format!(r#"{{"token":"{aad}","appId":"{app}","userId":"{oid}"}}"#).as_bytes(),
        )
        .await;
        assert_eq!(r.status, 200, "{v}: {}", r.text());
        assert_eq!(
            r.header("api-supported-versions"),
            Some(TEAMS_USER_VERSIONS)
        );
        let j = r.json();
        assert_eq!(j["expiresOn"], "2026-11-24T13:30:00.0000000+00:00");
        let t = j["token"].as_str().unwrap();
        assert_eq!(jwt_claims(t)["exp"], exp);
        let val = emu.validate_token(t);
        assert!(val.is_valid());
        assert_eq!(
            val.identity.as_deref(),
            Some("8:orgid:00000000-0000-0000-0000-000000000002")
        );
    }
    // A fractional exp (as JS writes it) and upper-case GUIDs are fine; the route is case-insensitive.
    let aad = entra_token(
        serde_json::json!({"exp": exp as f64 + 0.5, "appid": app.to_uppercase(), "oid": oid}),
    );
    let r = raw(
        emu.local_addr(),
        "POST",
        "/TEAMSUSER/:EXCHANGEACCESSTOKEN?api-version=2023-10-01",
        &bearer(),
        format!(
            r#"{{"token":"{aad}","appId":"{app}","userId":"{}"}}"#,
            oid.to_uppercase()
        )
        .as_bytes(),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    emu.shutdown().await;
}

#[tokio::test]
async fn route_literals_are_case_insensitive_and_health_answers() {
    let emu = Emulator::builder().start().await.unwrap();
    let addr = emu.local_addr();
    let r = raw(
        addr,
        "POST",
        "/Identities?API-VERSION=2023-10-01",
        &bearer(),
        b"",
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let id = r.json()["identity"]["id"].as_str().unwrap().to_owned();
    let r = raw(
        addr,
        "POST",
        &format!(
            "/IDENTITIES/{}/:IssueAccessToken?api-version=2023-10-01",
            encode_id(&id)
        ),
        &bearer(),
        br#"{"Scopes":["CHAT"]}"#,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = raw(addr, "GET", "/_emulator/health", &[], b"").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["status"], "ok");
    emu.shutdown().await;
}
