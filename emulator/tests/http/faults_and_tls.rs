//! Fault injection, and HTTPS with the generated CA (HTTP/1.1 and HTTP/2).

use crate::support::*;
use acs_identity_emulator::{Emulator, FaultStatus};

#[tokio::test]
async fn every_nth_request_gets_429_with_retry_after() {
    let emu = Emulator::builder()
        .fault_every(3)
        .fault_retry_after(std::time::Duration::from_secs(7))
        .start()
        .await
        .unwrap();
    let addr = emu.local_addr();
    for expected in [201, 201, 429, 201, 201, 429] {
        let r = raw(
            addr,
            "POST",
            "/identities?api-version=2023-10-01",
            &bearer(),
            b"",
        )
        .await;
        if expected == 429 {
            r.error(429, "TooManyRequests");
            assert_eq!(r.header("retry-after"), Some("7"));
        } else {
            assert_eq!(r.status, 201, "{}", r.text());
            assert_eq!(r.header("retry-after"), None);
        }
    }
    // The emulator's own endpoints are never faulted.
    for _ in 0..4 {
        assert_eq!(
            raw(addr, "GET", "/_emulator/health", &[], b"").await.status,
            200
        );
    }
    emu.shutdown().await;
}

#[tokio::test]
async fn rate_one_with_503_and_500() {
    let emu = Emulator::builder()
        .fault_rate(1.0)
        .fault_status(FaultStatus::ServiceUnavailable)
        .start()
        .await
        .unwrap();
    let r = raw(
        emu.local_addr(),
        "POST",
        "/identities?api-version=2023-10-01",
        &bearer(),
        b"",
    )
    .await;
    r.error(503, "ServiceUnavailable");
    assert_eq!(r.header("retry-after"), Some("1"));
    emu.shutdown().await;
    let emu = Emulator::builder()
        .fault_rate(1.0)
        .fault_status(FaultStatus::InternalServerError)
        .start()
        .await
        .unwrap();
    let r = raw(
        emu.local_addr(),
        "POST",
        "/identities?api-version=2023-10-01",
        &bearer(),
        b"",
    )
    .await;
    r.error(500, "InternalServerError");
    assert_eq!(r.header("retry-after"), None);
    emu.shutdown().await;
    assert!(Emulator::builder().fault_rate(1.5).start().await.is_err());
}

#[tokio::test]
async fn https_with_the_generated_ca_http1_and_http2() {
    let emu = Emulator::builder().tls(true).start().await.unwrap();
    assert!(emu.endpoint().starts_with("https://127.0.0.1:"));
    assert!(emu
        .connection_string()
        .starts_with("endpoint=https://127.0.0.1:"));
    assert!(emu.connection_string().contains("/;accesskey="));
    let pem = emu.ca_certificate_pem().unwrap();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
    for http2 in [false, true] {
        let mut b = reqwest::Client::builder()
            .tls_certs_only([reqwest::Certificate::from_pem(pem.as_bytes()).unwrap()]);
        if http2 {
            b = b.http2_prior_knowledge();
        }
        let client = b.build().unwrap();
        let r = client
            .post(format!(
                "{}/identities?api-version=2023-10-01",
                emu.endpoint()
            ))
            .bearer_auth("any")
            .header("content-type", "application/json")
            .body(r#"{"createTokenWithScopes":["chat"]}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        let j: serde_json::Value = r.json().await.unwrap();
        assert!(j["accessToken"]["token"].is_string());
    }
    // An untrusting client fails the handshake; the emulator keeps serving.
    let untrusting = reqwest::Client::builder()
        .tls_certs_only([])
        .build()
        .unwrap();
    assert!(untrusting
        .get(format!("{}/_emulator/health", emu.endpoint()))
        .send()
        .await
        .is_err());
    emu.shutdown().await;
}

#[tokio::test]
async fn invalid_settings_do_not_start() {
    assert!(Emulator::builder()
        .access_key("not base64!")
        .start()
        .await
        .is_err());
    assert!(Emulator::builder().access_key("").start().await.is_err());
    assert!(Emulator::builder()
        .resource_id("a/b")
        .start()
        .await
        .is_err());
}
