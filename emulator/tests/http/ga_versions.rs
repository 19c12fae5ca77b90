//! The GA api-versions `2025-06-30` and `2026-09-23` serve the same wire surface
//! (Azure/azure-rest-api-specs#45761: "API surface is intentionally identical"): one scenario
//! runs every operation of the emulator in each version, and the answers are compared step by
//! step (status, `api-supported-versions`, error code, message and target, body shape), besides
//! the expected status of each step.

use crate::jwt::entra_token;
use crate::support::*;
use acs_identity_emulator::{Emulator, ManualClock, TokenStatus};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::Arc;
use time::macros::datetime;
use time::OffsetDateTime;

const TENANT: &str = "45ab2481-1c1c-4005-be24-0ffb879b1130";
const CLIENT: &str = "1fd5118e-2576-4263-8130-9503064c837a";
const APP: &str = "00000000-0000-0000-0000-000000000001";
const NOW: OffsetDateTime = datetime!(2026-11-24 12:00:00 UTC);

/// `s` with every run of `allowed` characters after `prefix` replaced by `placeholder`.
fn mask(s: &str, prefix: &str, allowed: fn(char) -> bool, placeholder: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find(prefix) {
        out.push_str(&rest[..at]);
        out.push_str(placeholder);
        rest = rest[at + prefix.len()..].trim_start_matches(allowed);
    }
    out.push_str(rest);
    out
}

/// One answer, with what differs between two runs by nature (minted ids, tokens, the port,
/// the api-version named in a message) replaced by placeholders.
fn summary(r: &RawResponse, v: &str) -> Value {
    fn normalize(value: &Value, v: &str) -> Value {
        match value {
            Value::String(s) if s.starts_with("8:acs:") => json!("<acs id>"),
            Value::String(s) if s.starts_with("eyJ") => json!("<jwt>"),
            Value::String(s) => {
                let s = s.replace(v, "<api-version>");
                let s = mask(&s, "127.0.0.1:", |c| c.is_ascii_digit(), "<addr>");
                let id = |c: char| c.is_ascii_hexdigit() || c == '-' || c == '_';
                json!(mask(&s, "8%3Aacs%3A", id, "<acs id>"))
            }
            Value::Array(a) => Value::Array(a.iter().map(|x| normalize(x, v)).collect()),
            Value::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, x)| (k.clone(), normalize(x, v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    let body = if r.body.is_empty() {
        Value::Null
    } else {
        normalize(&r.json(), v)
    };
    json!({
        "status": r.status,
        "api-supported-versions": r.header("api-supported-versions"),
        "content-type": r.header("content-type"),
        "body": body,
    })
}

/// A bearer-authenticated request in api-version `v`.
async fn call(addr: SocketAddr, method: &str, path: &str, v: &str, body: Value) -> RawResponse {
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut headers = bearer();
    if method == "PATCH" {
        headers.push(("Content-Type", "application/merge-patch+json".into()));
    }
    let body = if body.is_null() {
        Vec::new()
    } else {
        body.to_string().into_bytes()
    };
    raw(
        addr,
        method,
        &format!("{path}{sep}api-version={v}"),
        &headers,
        &body,
    )
    .await
}

/// Every operation of the emulator in api-version `v`, on a fresh emulator: the steps' names,
/// expected statuses and summaries.
async fn surface(v: &str) -> Vec<(&'static str, u16, Value)> {
    let clock = ManualClock::new(NOW);
    let emu = Emulator::builder()
        .clock(Arc::new(clock.clone()))
        .start()
        .await
        .unwrap();
    let addr = emu.local_addr();
    let mut steps = Vec::new();
    let mut step = |name: &'static str, expected: u16, r: &RawResponse| {
        steps.push((name, expected, summary(r, v)));
    };

    let r = call(addr, "POST", "/identities", v, Value::Null).await;
    step("create", 201, &r);
    let id = r.json()["identity"]["id"].as_str().unwrap().to_owned();
    let at = encode_id(&id);

    let body = json!({"createTokenWithScopes": ["chat.join", "voip.join"], "expiresInMinutes": 60});
    let r = call(addr, "POST", "/identities", v, body).await;
    step("create with a token", 201, &r);
    let token = r.json()["accessToken"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(emu.validate_token(&token).status, TokenStatus::Valid);

    // customId is an unknown field outside the preview: ignored, each create is a new identity.
    let r1 = call(addr, "POST", "/identities", v, json!({"customId": "alice"})).await;
    step("create with a customId", 201, &r1);
    let r2 = call(addr, "POST", "/identities", v, json!({"customId": "alice"})).await;
    step("create with the same customId", 201, &r2);
    assert_ne!(
        r1.json()["identity"]["id"],
        r2.json()["identity"]["id"],
        "{v}"
    );
    assert_eq!(emu.identity_with_custom_id("alice"), None, "{v}");

    let path = format!("/identities/{at}/:issueAccessToken");
    let r = call(addr, "POST", &path, v, json!({"scopes": ["chat"]})).await;
    step("issue", 200, &r);
    let r = call(addr, "POST", &path, v, json!({"scopes": ["nope"]})).await;
    step("issue with an unknown scope", 400, &r);
    let r = call(
        addr,
        "POST",
        &path,
        v,
        json!({"scopes": ["chat"], "expiresInMinutes": 59}),
    )
    .await;
    step("issue with a too short expiry", 400, &r);

    let r = call(addr, "GET", &format!("/identities/{at}"), v, Value::Null).await;
    step("get identity (preview only)", 400, &r);

    let path = format!("/identities/{at}/:revokeAccessTokens");
    let r = call(addr, "POST", &path, v, Value::Null).await;
    step("revoke", 204, &r);

    let exp = (NOW + time::Duration::minutes(90)).unix_timestamp();
    let oid = "00000000-0000-0000-0000-000000000002";
    let aad = entra_token(json!({"exp": exp, "appid": APP, "oid": oid}));
    let body = json!({"token": aad, "appId": APP, "userId": oid});
    let r = call(addr, "POST", "/teamsUser/:exchangeAccessToken", v, body).await;
    step("Teams user exchange", 200, &r);

    let assignment = format!("/access/teamsExtension/tenants/{TENANT}/assignments/{oid}");
    let body = json!({"principalType": "user", "clientIds": [CLIENT]});
    let r = call(addr, "PUT", &assignment, v, body.clone()).await;
    step("Teams Extension assignment put (created)", 201, &r);
    let r = call(addr, "PUT", &assignment, v, body).await;
    step("Teams Extension assignment put (replaced)", 200, &r);
    let r = call(addr, "GET", &assignment, v, Value::Null).await;
    step("Teams Extension assignment get", 200, &r);

    let user = entra_token(json!({"exp": exp, "tid": TENANT, "oid": oid, "appid": CLIENT}));
    let r = raw(
        addr,
        "POST",
        &format!("/access/teamsExtension/:exchangeAccessToken?api-version={v}"),
        &[("Authorization", format!("Bearer {user}"))],
        b"{}",
    )
    .await;
    step("Teams Extension exchange", 200, &r);
    let r = raw(
        addr,
        "POST",
        &format!("/access/entra/:exchangeAccessToken?api-version={v}"),
        &[("Authorization", format!("Bearer {user}"))],
        b"{}",
    )
    .await;
    step("Entra exchange (preview only)", 400, &r);

    let r = call(addr, "DELETE", &assignment, v, Value::Null).await;
    step("Teams Extension assignment delete", 204, &r);
    let r = call(addr, "GET", &assignment, v, Value::Null).await;
    step("Teams Extension assignment get (deleted)", 404, &r);

    let entra = format!("/access/entra/assignments/{oid}");
    let body = json!({"tenantId": TENANT, "principalType": "user", "clientIds": [CLIENT]});
    let r = call(addr, "PUT", &entra, v, body).await;
    step("Entra assignment put (preview only)", 400, &r);
    let r = call(addr, "GET", &entra, v, Value::Null).await;
    step("Entra assignment get (preview only)", 400, &r);
    let r = call(addr, "DELETE", &entra, v, Value::Null).await;
    step("Entra assignment delete (preview only)", 400, &r);
    let r = call(addr, "GET", "/access/entra/assignments", v, Value::Null).await;
    step("Entra assignments list (preview only)", 400, &r);
    let r = call(addr, "PATCH", "/access/entra/assignments", v, json!({})).await;
    step("Entra assignments patch (preview only)", 400, &r);

    let r = call(addr, "DELETE", &format!("/identities/{at}"), v, Value::Null).await;
    step("delete", 204, &r);
    let r = call(addr, "DELETE", &format!("/identities/{at}"), v, Value::Null).await;
    step("delete again", 404, &r);
    assert_eq!(
        emu.validate_token(&token).status,
        TokenStatus::Valid,
        "{v}: the other identity's token"
    );
    emu.shutdown().await;
    steps
}

#[tokio::test]
async fn v2026_09_23_serves_what_2025_06_30_serves() {
    let old = surface("2025-06-30").await;
    let new = surface("2026-09-23").await;
    assert_eq!(old.len(), new.len());
    for ((name, expected, o), (_, _, n)) in old.iter().zip(&new) {
        assert_eq!(n["status"], *expected, "{name}: {n}");
        assert_eq!(o, n, "{name}: 2025-06-30 and 2026-09-23 answer alike");
    }
    // The preview-only operations are refused as an operation the version lacks, naming the
    // versions that have it.
    let (_, _, get) = new
        .iter()
        .find(|(name, _, _)| *name == "get identity (preview only)")
        .unwrap();
    assert_eq!(get["body"]["error"]["code"], "UnsupportedApiVersion");
    assert_eq!(get["api-supported-versions"], PREVIEW);
    let (_, _, ext) = new
        .iter()
        .find(|(name, _, _)| *name == "Teams Extension exchange")
        .unwrap();
    assert_eq!(
        ext["api-supported-versions"],
        "2025-03-02-preview, 2025-06-30, 2026-09-23"
    );
}

#[tokio::test]
async fn a_version_next_to_2026_09_23_is_still_refused() {
    // The version is not only accepted: an api-version the emulator does not know is still
    // refused, and the message names the version given.
    let emu = Emulator::builder().start().await.unwrap();
    let addr = emu.local_addr();
    let r = call(addr, "POST", "/identities", "2026-09-24", Value::Null).await;
    let e = r.error(400, "UnsupportedApiVersion");
    assert!(
        e["message"].as_str().unwrap().ends_with("'2026-09-24'."),
        "{e}"
    );
    let r = call(addr, "POST", "/identities", "2026-09-23", Value::Null).await;
    assert_eq!(r.status, 201, "{}", r.text());
    emu.shutdown().await;
}
