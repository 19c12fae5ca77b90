//! The exchanges that take the user's own Entra ID token as bearer, as the Entra user
//! credential of `@azure/communication-common` 2.5.0 sends them: the Teams Extension exchange
//! (2025-03-02-preview, 2025-06-30) and the Entra exchange (2025-03-02-preview). Successes
//! (identity, token validity, expiry capped at 24 hours), every 401, the version gates, and
//! HMAC refused.

use crate::jwt::{entra_token, jwt_claims};
use crate::support::*;
use crate::versions::*;
use acs_identity_emulator::{
    BearerPolicy, Emulator, ManualClock, TokenStatus, DEFAULT_RESOURCE_ID,
};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::Arc;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const TENANT: &str = "45ab2481-1c1c-4005-be24-0ffb879b1130";
const USER: &str = "207ffef6-9444-41fb-92ab-20eacaae2768";
const CLIENT: &str = "1fd5118e-2576-4263-8130-9503064c837a";
const OTHER: &str = "00000000-0000-4000-8000-0000000000ff";
const GROUP: &str = "6a0b1c2d-0000-4000-8000-000000000abc";
const NOW: OffsetDateTime = datetime!(2026-11-24 12:00:00 UTC);
const TEAMS_EXTENSION: &str = "/access/teamsExtension/:exchangeAccessToken";
const ENTRA: &str = "/access/entra/:exchangeAccessToken";

async fn start() -> (Emulator, ManualClock) {
    let clock = ManualClock::new(NOW);
    let emu = Emulator::builder()
        .clock(Arc::new(clock.clone()))
        .start()
        .await
        .unwrap();
    (emu, clock)
}

/// An Entra ID token of USER in TENANT through CLIENT, expiring `lifetime` after NOW, with
/// `extra` claims merged in.
fn user_token(lifetime: Duration, extra: Value) -> String {
    let mut claims = json!({
        "exp": (NOW + lifetime).unix_timestamp(), "tid": TENANT, "oid": USER, "appid": CLIENT,
    });
    for (k, v) in extra.as_object().unwrap() {
        claims[k] = v.clone();
    }
    entra_token(claims)
}

/// The request as `@azure/communication-common` 2.5.0 sends it.
async fn exchange(addr: SocketAddr, path: &str, v: &str, token: &str) -> RawResponse {
    raw(
        addr,
        "POST",
        &format!("{path}?api-version={v}"),
        &[
            ("Authorization", format!("Bearer {token}")),
            ("Content-Type", "application/json".into()),
            ("Accept", "application/json".into()),
        ],
        b"{}",
    )
    .await
}

async fn put_teams_extension(addr: SocketAddr, clients: &[&str]) {
    let body = json!({"principalType": "user", "clientIds": clients});
    let r = assignment(
        addr,
        "PUT",
        (TENANT, USER),
        "2025-06-30",
        body.to_string().as_bytes(),
    )
    .await;
    assert!(r.status == 201 || r.status == 200, "{}", r.text());
}

async fn put_entra(addr: SocketAddr, object_id: &str, principal: &str, clients: &[&str]) {
    let body = json!({"tenantId": TENANT, "principalType": principal, "clientIds": clients});
    let r = entra_assignment(addr, "PUT", object_id, PREVIEW, body.to_string().as_bytes()).await;
    assert!(r.status == 201 || r.status == 200, "{}", r.text());
}

/// Asserts a 200 exchange answer for `id` expiring at `exp`; returns the ACS token.
fn exchanged(r: &RawResponse, id: &str, exp: OffsetDateTime, versions: &str) -> String {
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("api-supported-versions"), Some(versions));
    assert_eq!(
        r.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    let j = r.json();
    assert_eq!(j["identity"], json!({ "id": id }));
    let token = j["accessToken"]["token"].as_str().unwrap().to_owned();
    assert_eq!(jwt_claims(&token)["exp"], exp.unix_timestamp());
    let expected = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.0000000+00:00",
        exp.year(),
        u8::from(exp.month()),
        exp.day(),
        exp.hour(),
        exp.minute(),
        exp.second()
    );
    assert_eq!(j["accessToken"]["expiresOn"], expected);
    token
}

#[tokio::test]
async fn teams_extension_exchange_in_both_versions() {
    let (emu, clock) = start().await;
    let addr = emu.local_addr();
    put_teams_extension(addr, &[CLIENT]).await;
    let id = format!("8:acs:{DEFAULT_RESOURCE_ID}_{TENANT}_{USER}");
    let entra = user_token(Duration::minutes(90), json!({}));
    for v in [PREVIEW, "2025-06-30"] {
        let r = exchange(addr, TEAMS_EXTENSION, v, &entra).await;
        let token = exchanged(
            &r,
            &id,
            NOW + Duration::minutes(90),
            TEAMS_EXTENSION_EXCHANGE_VERSIONS,
        );
        let val = emu.validate_token(&token);
        assert_eq!(val.status, TokenStatus::Valid, "{v}");
        assert_eq!(val.identity.as_deref(), Some(id.as_str()));
        assert_eq!(val.scopes, ["voip"]);
    }

    // An Entra token living 30 hours gives an ACS token of 24; a v2 token names its client in
    // `azp`; GUIDs any case; no body at all is fine; literals in any case.
    let long = entra_token(json!({
        "exp": (NOW + Duration::hours(30)).unix_timestamp(),
        "tid": TENANT.to_uppercase(), "oid": USER.to_uppercase(), "azp": CLIENT.to_uppercase(),
    }));
    let r = raw(
        addr,
        "POST",
        "/ACCESS/TeamsExtension/%3AExchangeAccessToken?api-version=2025-06-30",
        &[("Authorization", format!("bearer {long}"))],
        b"",
    )
    .await;
    let token = exchanged(
        &r,
        &id,
        NOW + Duration::hours(24),
        TEAMS_EXTENSION_EXCHANGE_VERSIONS,
    );

    // The token is good until it expires, like any other.
    clock.advance(Duration::hours(24));
    assert_eq!(emu.validate_token(&token).status, TokenStatus::Expired);

    // An assignment without clientIds admits every client.
    clock.set(NOW);
    put_teams_extension(addr, &[]).await;
    let other = user_token(Duration::hours(1), json!({"appid": OTHER}));
    let r = exchange(addr, TEAMS_EXTENSION, "2025-06-30", &other).await;
    exchanged(
        &r,
        &id,
        NOW + Duration::hours(1),
        TEAMS_EXTENSION_EXCHANGE_VERSIONS,
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn entra_exchange_through_a_user_a_tenant_or_a_group_assignment() {
    let (emu, _clock) = start().await;
    let addr = emu.local_addr();
    let id = format!("8:acs:{DEFAULT_RESOURCE_ID}_wf_{TENANT}_{USER}");
    let plain = user_token(Duration::minutes(75), json!({}));
    let in_group = user_token(Duration::minutes(75), json!({"groups": [OTHER, GROUP]}));
    let until = NOW + Duration::minutes(75);

    // Each kind of assignment alone admits the user.
    for (object_id, principal, token) in [
        (USER, "user", &plain),
        (TENANT, "tenant", &plain),
        (GROUP, "group", &in_group),
    ] {
        put_entra(addr, object_id, principal, &[OTHER, CLIENT]).await;
        let r = exchange(addr, ENTRA, PREVIEW, token).await;
        let token = exchanged(&r, &id, until, ENTRA_VERSIONS);
        let val = emu.validate_token(&token);
        assert!(val.is_valid(), "{principal}: {val:?}");
        assert_eq!(val.identity.as_deref(), Some(id.as_str()));
        assert_eq!(val.scopes, ["chat", "voip"]);
        let r = entra_assignment(addr, "DELETE", object_id, PREVIEW, b"").await;
        assert_eq!(r.status, 204);
    }

    // Capped at 24 hours; the identity has four `_` parts (a CommunicationUser for clients).
    put_entra(addr, USER, "user", &[CLIENT]).await;
    let long = user_token(Duration::days(3), json!({}));
    let r = exchange(addr, ENTRA, PREVIEW, &long).await;
    exchanged(&r, &id, NOW + Duration::hours(24), ENTRA_VERSIONS);
    assert_eq!(id.split(':').nth(2).unwrap().split('_').count(), 4);
    emu.shutdown().await;
}

#[tokio::test]
async fn every_refusal_is_a_401_that_says_why() {
    let (emu, _clock) = start().await;
    let addr = emu.local_addr();
    put_teams_extension(addr, &[CLIENT]).await;
    put_entra(addr, USER, "user", &[CLIENT]).await;
    // A group assignment the user is not shown to be in, and a tenant assignment of another tenant.
    put_entra(addr, GROUP, "group", &[CLIENT]).await;

    let invalid = "Provided access token is not valid. (acs-identity-emulator: ";
    let stranger = "8e3b1f2a-0000-4000-8000-000000000001";
    let cases: Vec<(String, &str, String, String)> = vec![
        (
            String::new(),
            "both",
            "InvalidAccessToken".into(),
            format!("{invalid}the bearer token is empty)"),
        ),
        (
            "not-a-jwt".into(),
            "both",
            "InvalidAccessToken".into(),
            format!("{invalid}the token is not a JWT (three base64url parts) whose payload is a JSON object)"),
        ),
        (
            entra_token(json!({"tid": TENANT, "oid": USER, "appid": CLIENT})),
            "both",
            "InvalidAccessToken".into(),
            format!("{invalid}the token has no numeric exp claim)"),
        ),
        (
            user_token(Duration::seconds(0), json!({})),
            "both",
            "InvalidAccessToken".into(),
            format!("{invalid}the token has expired)"),
        ),
        (
            user_token(Duration::hours(1), json!({"tid": null})),
            "both",
            "InvalidAccessToken".into(),
            format!("{invalid}the token needs tid and oid claims that are GUIDs)"),
        ),
        (
            user_token(Duration::hours(1), json!({"oid": "someone"})),
            "both",
            "InvalidAccessToken".into(),
            format!("{invalid}the token needs tid and oid claims that are GUIDs)"),
        ),
        (
            user_token(Duration::hours(1), json!({"appid": null})),
            "both",
            "InvalidAccessToken".into(),
            format!("{invalid}the token has no appid or azp claim (the client application))"),
        ),
        (
            user_token(Duration::hours(1), json!({"oid": stranger})),
            "teams",
            "AssignmentNotFound".into(),
            format!("No Teams Extension assignment exists for object '{stranger}' in tenant '{TENANT}'."),
        ),
        (
            user_token(Duration::hours(1), json!({"appid": OTHER})),
            "teams",
            "ClientNotAllowed".into(),
            format!("The Entra ID application '{OTHER}' is not among the clientIds of the Teams Extension assignment of object '{USER}' in tenant '{TENANT}'."),
        ),
        (
            user_token(Duration::hours(1), json!({"oid": stranger})),
            "entra",
            "AssignmentNotFound".into(),
            format!("No Entra assignment admits object '{stranger}' in tenant '{TENANT}': none for the user, for its tenant, or for a group in the token's groups claim."),
        ),
        (
            // The user assignment is of TENANT: a token of another tenant is not admitted.
            user_token(Duration::hours(1), json!({"tid": OTHER})),
            "entra",
            "AssignmentNotFound".into(),
            format!("No Entra assignment admits object '{USER}' in tenant '{OTHER}': none for the user, for its tenant, or for a group in the token's groups claim."),
        ),
        (
            user_token(Duration::hours(1), json!({"appid": OTHER, "groups": [GROUP]})),
            "entra",
            "ClientNotAllowed".into(),
            format!("The Entra ID application '{OTHER}' is not among the clientIds of any Entra assignment that admits object '{USER}' in tenant '{TENANT}'."),
        ),
    ];
    for (token, which, code, message) in cases {
        let routes: &[(&str, &str)] = match which {
            "teams" => &[(TEAMS_EXTENSION, "2025-06-30")],
            "entra" => &[(ENTRA, PREVIEW)],
            _ => &[(TEAMS_EXTENSION, "2025-06-30"), (ENTRA, PREVIEW)],
        };
        for (path, v) in routes {
            let r = exchange(addr, path, v, &token).await;
            let e = r.error(401, &code);
            assert_eq!(e["message"], message, "{path} {token}");
            assert!(e.get("target").is_none());
        }
    }
    // A body that is not a JSON object is a 400 (after the token was accepted).
    let good = user_token(Duration::hours(1), json!({}));
    let r = raw(
        addr,
        "POST",
        &format!("{ENTRA}?api-version={PREVIEW}"),
        &[("Authorization", format!("Bearer {good}"))],
        b"[]",
    )
    .await;
    r.error(400, "ValidationError");
    emu.shutdown().await;
}

#[tokio::test]
async fn version_gates_and_authentication() {
    // A management-bearer policy does not apply: these routes take the user's token.
    let emu = Emulator::builder()
        .bearer_policy(BearerPolicy::Reject)
        .clock(Arc::new(ManualClock::new(NOW)))
        .start()
        .await
        .unwrap();
    let addr = emu.local_addr();
    let token = user_token(Duration::hours(1), json!({}));
    for (path, versions, without) in [
        (
            TEAMS_EXTENSION,
            TEAMS_EXTENSION_EXCHANGE_VERSIONS,
            &["2023-10-01", "2021-03-07"][..],
        ),
        (ENTRA, ENTRA_VERSIONS, &["2025-06-30", "2023-10-01"][..]),
    ] {
        for v in without {
            let r = exchange(addr, path, v, &token).await;
            r.error(400, "UnsupportedApiVersion");
            assert_eq!(
                r.header("api-supported-versions"),
                Some(versions),
                "{path} {v}"
            );
        }
        // With the policy rejecting bearer tokens, the exchange still reads the user's token.
        let v = versions.split(", ").next().unwrap();
        let r = exchange(addr, path, v, &token).await;
        r.error(401, "AssignmentNotFound");

        // HMAC-signed: refused, whatever the signature.
        let target = format!("{path}?api-version={v}");
        let date = http_date(NOW);
        let r = raw(
            addr,
            "POST",
            &target,
            &hmac_headers(KEY, "POST", &target, &addr.to_string(), &date, b"{}"),
            b"{}",
        )
        .await;
        let e = r.error(401, "Denied");
        assert_eq!(
            e["message"],
            "Denied by the resource provider. (acs-identity-emulator: this exchange authenticates with the user's Entra ID token as 'Authorization: Bearer <token>', not with the access key (HMAC-SHA256))"
        );
        let r = raw(addr, "POST", &target, &[], b"{}").await;
        r.error(401, "Denied");
        let r = raw(
            addr,
            "POST",
            &target,
            &[("Authorization", "Basic eDp5".to_owned())],
            b"{}",
        )
        .await;
        r.error(401, "Denied");
        let r = raw(
            addr,
            "GET",
            &target,
            &[("Authorization", format!("Bearer {token}"))],
            b"",
        )
        .await;
        r.error(405, "MethodNotAllowed");
        assert_eq!(r.header("api-supported-versions"), Some(versions));
    }
    // The policy still applies to the management routes.
    raw(
        addr,
        "GET",
        &entra_assignment_target(USER, PREVIEW),
        &bearer(),
        b"",
    )
    .await
    .error(401, "Denied");
    emu.shutdown().await;
}
