//! HMAC verification against a running emulator: the recorded signing vectors verify with the
//! emulator's clock fixed at their date; tampering, wrong keys and stale dates are refused with
//! a helpful message that never echoes the signature or key.

use crate::support::*;
use acs_identity_emulator::{BearerPolicy, Emulator, ManualClock};
use std::sync::Arc;
use time::macros::datetime;

const DATE: &str = "Wed, 13 Apr 2022 18:09:12 GMT";
const ID_ENC: &str =
    "8%3Aacs%3A2dee53b4-368b-45b4-ab52-8493fb117652_00000005-14a2-493b-8a72-5a3a0d000081";

async fn vector_emulator() -> acs_identity_emulator::Emulator {
    Emulator::builder()
        .access_key("pw==")
        .resource_id("2dee53b4-368b-45b4-ab52-8493fb117652")
        .clock(Arc::new(ManualClock::new(
            datetime!(2022-04-13 18:09:12 UTC),
        )))
        .start()
        .await
        .unwrap()
}

fn signed(host: &str, hash_body: &[u8], sig: &str) -> Vec<(&'static str, String)> {
    vec![
        ("Host", host.to_owned()),
        ("x-ms-date", DATE.to_owned()),
        ("x-ms-content-sha256", content_hash(hash_body)),
        (
            "Authorization",
            format!("HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={sig}"),
        ),
    ]
}

#[tokio::test]
async fn signing_vectors_d1_to_d5_verify() {
    let emu = vector_emulator().await;
    let addr = emu.local_addr();
    let host = "my-resource.communication.azure.com";
    // D1
    let body = br#"{"createTokenWithScopes":["chat"]}"#;
    let r = raw(
        addr,
        "POST",
        "/identities?api-version=2023-10-01",
        &signed(host, body, "Vd/FmsyC8ZibrTj9GZA1Oqb1Ov3av5nbkKu9ERJ9DQc="),
        body,
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    // D2: authenticated, then the (unknown) identity is looked up.
    let body = br#"{"scopes":["chat","voip"],"expiresInMinutes":60}"#;
    let r = raw(
        addr,
        "POST",
        &format!("/identities/{ID_ENC}/:issueAccessToken?api-version=2023-10-01"),
        &signed(host, body, "tJTkcaCPkAmaSQpzNTOFMndomQLygN4bQDeh9IO26jg="),
        body,
    )
    .await;
    r.error(404, "IdentityNotFound");
    // D3
    let r = raw(
        addr,
        "DELETE",
        &format!("/identities/{ID_ENC}?api-version=2023-10-01"),
        &signed(host, b"", "uICWoKznxra7MlMsd4K0gpOyony9ejjzdnGkP3k/TAM="),
        b"",
    )
    .await;
    r.error(404, "IdentityNotFound");
    // D4 (host with port) and D5 (Java: signed without the port, sent with it)
    for sig in [
        "5eKcATlmC9dVThe0DMHs0nJiH8uwgjvDdNPjAGNOwWo=",
        "KJvpFwSE9C2Dckvgu6hVBq1JUzLWpmgHaTCnVVLNSoQ=",
    ] {
        let r = raw(
            addr,
            "POST",
            "/identities?api-version=2023-10-01",
            &signed("localhost:8443", b"{}", sig),
            b"{}",
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.text());
    }
    // The aiohttp form: path sent and signed with ':' unencoded (vector sig-issue-decoded-id).
    let body = br#"{"scopes":["chat","voip"],"expiresInMinutes":60}"#;
    let r = raw(
        addr,
        "POST",
        "/identities/8:acs:2dee53b4-368b-45b4-ab52-8493fb117652_00000005-14a2-493b-8a72-5a3a0d000081/:issueAccessToken?api-version=2023-10-01",
        &signed("contoso.communication.azure.com", body, "F0ni/wHvnBdNZA9j0obfztyZDIYlYVubs0bifgElHPs="),
        body,
    )
    .await;
    r.error(404, "IdentityNotFound");
    emu.shutdown().await;
}

#[tokio::test]
async fn full_flow_signed_with_hmac_both_id_forms() {
    let emu = Emulator::builder()
        .bearer_policy(BearerPolicy::Reject)
        .start()
        .await
        .unwrap();
    let addr = emu.local_addr();
    let p = "/identities?api-version=2023-10-01";
    let r = raw(addr, "POST", p, &hmac_now(addr, "POST", p, b""), b"").await;
    assert_eq!(r.status, 201, "{}", r.text());
    let id = r.json()["identity"]["id"].as_str().unwrap().to_owned();
    for path_id in [encode_id(&id), id.clone()] {
        let p = format!("/identities/{path_id}/:issueAccessToken?api-version=2023-10-01");
        let body = br#"{"scopes":["voip"]}"#;
        let r = raw(addr, "POST", &p, &hmac_now(addr, "POST", &p, body), body).await;
        assert_eq!(r.status, 200, "{}", r.text());
        let p = format!("/identities/{path_id}/:revokeAccessTokens?api-version=2023-10-01");
        let r = raw(addr, "POST", &p, &hmac_now(addr, "POST", &p, b""), b"").await;
        assert_eq!(r.status, 204, "{}", r.text());
    }
    // Old JS: host signed as host:port:port.
    let p = "/identities?api-version=2023-10-01";
    let date = http_date(time::OffsetDateTime::now_utc());
    let doubled = format!("{addr}:{}", addr.port());
    let mut h = hmac_headers(KEY, "POST", p, &doubled, &date, b"");
    h[0].1 = addr.to_string();
    assert_eq!(raw(addr, "POST", p, &h, b"").await.status, 201);
    // The `date` header instead of x-ms-date.
    let hash = content_hash(b"");
    let sts = format!("POST\n{p}\n{date};{addr};{hash}");
    let h = vec![
        ("Date", date.clone()),
        ("x-ms-content-sha256", hash),
        (
            "Authorization",
            format!(
                "HMAC-SHA256 SignedHeaders=date;host;x-ms-content-sha256&Signature={}",
                signature(KEY, &sts)
            ),
        ),
    ];
    assert_eq!(raw(addr, "POST", p, &h, b"").await.status, 201);
    let p = format!("/identities/{}?api-version=2023-10-01", encode_id(&id));
    let r = raw(addr, "DELETE", &p, &hmac_now(addr, "DELETE", &p, b""), b"").await;
    assert_eq!(r.status, 204, "{}", r.text());
    // Bearer refused by policy.
    raw(
        addr,
        "POST",
        "/identities?api-version=2023-10-01",
        &bearer(),
        b"",
    )
    .await
    .error(401, "Denied");
    emu.shutdown().await;
}

/// The `Signature=` value of HMAC headers (see `hmac_headers`).
fn signature_of<'a>(headers: &'a [(&str, String)]) -> &'a str {
    let auth = &headers
        .iter()
        .find(|(k, _)| *k == "Authorization")
        .unwrap()
        .1;
    auth.split_once("&Signature=").unwrap().1
}

fn assert_no_secrets(r: &RawResponse, sig: &str) {
    assert!(sig.len() >= 40, "{sig}");
    let t = r.text();
    assert!(!t.contains(sig), "{t}");
    assert!(!t.contains(KEY), "{t}");
    assert!(!t.contains("pw=="), "{t}");
}

#[tokio::test]
async fn refusals_say_why_without_secrets() {
    let emu = Emulator::builder().start().await.unwrap();
    let addr = emu.local_addr();
    let p = "/identities?api-version=2023-10-01";
    let now = time::OffsetDateTime::now_utc();

    // Tampered body.
    let h = hmac_now(addr, "POST", p, br#"{"createTokenWithScopes":["chat"]}"#);
    let r = raw(
        addr,
        "POST",
        p,
        &h,
        br#"{"createTokenWithScopes":["voip"]}"#,
    )
    .await;
    let e = r.error(401, "Denied");
    assert!(e["message"]
        .as_str()
        .unwrap()
        .starts_with("Denied by the resource provider."));
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("x-ms-content-sha256"),
        "{e}"
    );
    assert_no_secrets(&r, signature_of(&h));

    // Wrong key.
    let other = "b3RoZXIta2V5";
    let h = hmac_headers(other, "POST", p, &addr.to_string(), &http_date(now), b"");
    let r = raw(addr, "POST", p, &h, b"").await;
    let e = r.error(401, "Denied");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("signature does not match"),
        "{e}"
    );
    assert_no_secrets(&r, signature_of(&h));

    // Stale and future dates.
    for offset in [time::Duration::minutes(-16), time::Duration::minutes(16)] {
        let h = hmac_headers(
            KEY,
            "POST",
            p,
            &addr.to_string(),
            &http_date(now + offset),
            b"",
        );
        let e = raw(addr, "POST", p, &h, b"").await.error(401, "Denied");
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .contains("allowed skew is 900 seconds"),
            "{e}"
        );
    }
    // Path tampered after signing (different api-version), and signing the decoded path
    // while sending it encoded is accepted only as a fallback (Python decode_url).
    let h = hmac_now(addr, "POST", "/identities?api-version=2022-10-01", b"");
    raw(addr, "POST", p, &h, b"").await.error(401, "Denied");
    // Host mismatch.
    let mut h = hmac_headers(KEY, "POST", p, "evil.example.com", &http_date(now), b"");
    h[0].1 = addr.to_string();
    raw(addr, "POST", p, &h, b"").await.error(401, "Denied");
    // Missing or malformed headers.
    for auth in [
        "HMAC-SHA256 garbage",
        "HMAC-SHA256 SignedHeaders=x-ms-date;x-ms-content-sha256&Signature=AAAA",
        "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=AAAA",
        "Basic dXNlcjpwYXNz",
        "Bearer ",
    ] {
        let h = vec![("Authorization", auth.to_owned())];
        raw(addr, "POST", p, &h, b"").await.error(401, "Denied");
    }
    let h = vec![
        ("x-ms-date", http_date(now)),
        ("x-ms-content-sha256", content_hash(b"")),
        (
            "Authorization",
            "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=AAAA".into(),
        ),
    ];
    let e = raw(addr, "POST", p, &h, b"").await.error(401, "Denied");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("signature does not match"),
        "{e}"
    );
    let h = vec![
        ("x-ms-date", "yesterday".to_owned()),
        ("x-ms-content-sha256", content_hash(b"")),
        (
            "Authorization",
            "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=AAAA".into(),
        ),
    ];
    let e = raw(addr, "POST", p, &h, b"").await.error(401, "Denied");
    assert!(e["message"].as_str().unwrap().contains("RFC 1123"), "{e}");
    emu.shutdown().await;
}

#[tokio::test]
async fn configurable_skew_and_bearer_allow_list() {
    let clock = ManualClock::new(datetime!(2026-11-24 12:00:00 UTC));
    let emu = Emulator::builder()
        .clock(Arc::new(clock.clone()))
        .max_clock_skew(std::time::Duration::from_secs(60))
        .bearer_policy(BearerPolicy::Only(vec!["letmein".into()]))
        .start()
        .await
        .unwrap();
    let addr = emu.local_addr();
    let p = "/identities?api-version=2023-10-01";
    let h = hmac_headers(
        KEY,
        "POST",
        p,
        &addr.to_string(),
        &http_date(datetime!(2026-11-24 12:00:59 UTC)),
        b"",
    );
    assert_eq!(raw(addr, "POST", p, &h, b"").await.status, 201);
    let h = hmac_headers(
        KEY,
        "POST",
        p,
        &addr.to_string(),
        &http_date(datetime!(2026-11-24 12:01:01 UTC)),
        b"",
    );
    raw(addr, "POST", p, &h, b"").await.error(401, "Denied");
    assert_eq!(
        raw(
            addr,
            "POST",
            p,
            &[("Authorization", "Bearer letmein".into())],
            b""
        )
        .await
        .status,
        201
    );
    raw(
        addr,
        "POST",
        p,
        &[("Authorization", "Bearer other".into())],
        b"",
    )
    .await
    .error(401, "Denied");
    emu.shutdown().await;
}
