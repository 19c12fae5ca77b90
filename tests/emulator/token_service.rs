//! The trusted token service example (`examples/token_service`) over loopback, in
//! front of the emulator: one ACS identity per app user, revocation, and every
//! error path.

#[path = "../../examples/token_service/service.rs"]
mod service;

use crate::support::from_connection_string;
use acs_identity::{models::api_version, CommunicationIdentityClient};
use acs_identity_emulator::{Emulator, TokenStatus};
use std::{collections::HashMap, net::SocketAddr};

const ALICE: &str = "alice-bearer-0123456789";
const BOB: &str = "bob-bearer-9876543210";

/// Serves the token service for `client` on 127.0.0.1; returns its address.
async fn serve(client: CommunicationIdentityClient) -> SocketAddr {
    let users = HashMap::from([
        (ALICE.to_owned(), "alice".to_owned()),
        (BOB.to_owned(), "bob".to_owned()),
    ]);
    let app = service::router(service::AppState::new(client, users));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

/// One request; the status and the JSON body (`Null` when empty).
async fn call(
    addr: SocketAddr,
    method: reqwest::Method,
    bearer: Option<&str>,
    body: Option<&str>,
) -> (u16, serde_json::Value) {
    let mut request = reqwest::Client::new().request(method, format!("http://{addr}/token"));
    if let Some(bearer) = bearer {
        request = request.header("authorization", format!("Bearer {bearer}"));
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_owned());
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let bytes = response.bytes().await.unwrap();
    let json = if bytes.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap()
    };
    (status, json)
}

#[tokio::test]
async fn one_identity_per_app_user_and_revocation() {
    let emu = Emulator::builder().start().await.unwrap();
    let addr = serve(from_connection_string(
        &emu,
        api_version::V2025_03_02_PREVIEW,
    ))
    .await;

    let health = reqwest::get(format!("http://{addr}/healthz"))
        .await
        .unwrap();
    assert_eq!(health.status().as_u16(), 200);

    let (status, first) = call(addr, reqwest::Method::POST, Some(ALICE), None).await;
    assert_eq!(status, 200, "{first}");
    let (status, second) = call(
        addr,
        reqwest::Method::POST,
        Some(ALICE),
        Some(r#"{"scopes": ["chat"]}"#),
    )
    .await;
    assert_eq!(status, 200, "{second}");
    assert_eq!(
        first["userId"], second["userId"],
        "the same app user, the same identity"
    );
    let user_id = first["userId"].as_str().unwrap();
    assert!(user_id.starts_with("8:acs:"), "{user_id}");
    assert!(time::OffsetDateTime::parse(
        first["expiresOn"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339
    )
    .is_ok());
    assert_eq!(
        emu.identity_with_custom_id("alice").as_deref(),
        Some(user_id)
    );

    // Default scopes are chat and voip; the body's scopes are used as given.
    let token = first["token"].as_str().unwrap();
    let validation = emu.validate_token(token);
    assert_eq!(validation.status, TokenStatus::Valid);
    assert_eq!(validation.scopes, ["chat", "voip"]);
    assert_eq!(
        emu.validate_token(second["token"].as_str().unwrap()).scopes,
        ["chat"]
    );

    let (status, bob) = call(addr, reqwest::Method::POST, Some(BOB), None).await;
    assert_eq!(status, 200);
    assert_ne!(bob["userId"], first["userId"], "different app users differ");

    // DELETE /token revokes alice's tokens (and not bob's).
    let (status, body) = call(addr, reqwest::Method::DELETE, Some(ALICE), None).await;
    assert_eq!((status, body), (204, serde_json::Value::Null));
    assert_eq!(emu.validate_token(token).status, TokenStatus::Revoked);
    assert_eq!(
        emu.validate_token(bob["token"].as_str().unwrap()).status,
        TokenStatus::Valid
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn every_error_path() {
    let emu = Emulator::builder().start().await.unwrap();
    let addr = serve(from_connection_string(
        &emu,
        api_version::V2025_03_02_PREVIEW,
    ))
    .await;
    let post = reqwest::Method::POST;

    for bearer in [None, Some("not-a-user")] {
        let (status, body) = call(addr, post.clone(), bearer, None).await;
        assert_eq!(status, 401, "{body}");
        assert_eq!(body["error"]["code"], "Unauthorized");
        let (status, _) = call(addr, reqwest::Method::DELETE, bearer, None).await;
        assert_eq!(status, 401);
    }
    for (body, expected) in [
        (
            r#"{"scopes": ["chat", "email"]}"#,
            "unknown scope \"email\"",
        ),
        (r#"{"scopes": []}"#, "no scope given"),
        ("not json", "the body is not valid"),
        (r#"{"scope": ["chat"]}"#, "the body is not valid"),
    ] {
        let (status, answer) = call(addr, post.clone(), Some(ALICE), Some(body)).await;
        assert_eq!(status, 400, "{body}: {answer}");
        assert_eq!(answer["error"]["code"], "BadRequest");
        let message = answer["error"]["message"].as_str().unwrap();
        assert!(message.contains(expected), "{message}");
        assert!(message.contains("chat, voip, chat.join"), "{message}");
    }
    assert_eq!(
        emu.identity_with_custom_id("alice"),
        None,
        "nothing reached ACS"
    );

    // ACS refuses (a wrong access key): 502 with the ACS code and status, and no
    // key, signature or token in the answer.
    let wrong_key = "d3Jvbmcta2V5LWZvci10aGUtdGVzdA==";
    let wrong = CommunicationIdentityClient::from_connection_string(
        &format!("endpoint={}/;accesskey={wrong_key}", emu.endpoint()),
        Some(crate::support::options(
            None,
            api_version::V2025_03_02_PREVIEW,
        )),
    )
    .unwrap();
    let addr = serve(wrong).await;
    let (status, body) = call(addr, post, Some(ALICE), None).await;
    assert_eq!(status, 502, "{body}");
    assert_eq!(body["error"]["code"], "AcsError");
    assert_eq!(body["error"]["acsCode"], "Denied");
    assert_eq!(body["error"]["acsStatus"], 401);
    let text = body.to_string();
    for secret in [wrong_key, emu.access_key(), "HMAC-SHA256", "Signature="] {
        assert!(!text.contains(secret), "{text}");
    }
    emu.shutdown().await;
}
