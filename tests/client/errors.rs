//! Service errors keep their status and ACS code; bad input is rejected before
//! anything is sent; malformed success bodies never hide the status or leak a token.

use crate::support::*;
use acs_identity::{
    AzureKeyCredential, CommunicationError, CommunicationIdentityClient,
    CommunicationIdentityClientOptions, CommunicationTokenScope, CommunicationUserIdentifier,
    CreateUserAndTokenOptions, GetTokenOptions,
};
use azure_core::{error::ErrorKind, http::StatusCode};
use std::time::Duration;
use wiremock::ResponseTemplate;

fn user() -> CommunicationUserIdentifier {
    CommunicationUserIdentifier::new(USER_ID)
}

#[tokio::test]
async fn validation_error_keeps_status_code_message_and_target() {
    // Recorded from the live service.
    let server = answering(ResponseTemplate::new(400).set_body_raw(
        r#"{"error":{"code":"ValidationError","message":"ExpiresInMinutes value 1441 is invalid. Value must be within the [60, 1440] interval.","target":"ExpiresInMinutes"}}"#,
        "application/json",
    ))
    .await;
    let err = client(&server)
        .get_token(&user(), &[CommunicationTokenScope::Chat], None)
        .await
        .unwrap_err();
    match err.kind() {
        ErrorKind::HttpResponse {
            status, error_code, ..
        } => {
            assert_eq!(*status, StatusCode::BadRequest);
            assert_eq!(error_code.as_deref(), Some("ValidationError"));
        }
        other => panic!("unexpected kind {other:?}"),
    }
    assert_eq!(err.http_status(), Some(StatusCode::BadRequest));
    let acs = CommunicationError::from_error(&err).expect("ACS error body");
    assert_eq!(acs.code, "ValidationError");
    assert_eq!(acs.target.as_deref(), Some("ExpiresInMinutes"));
    assert!(acs
        .message
        .starts_with("ExpiresInMinutes value 1441 is invalid."));
    assert!(err.to_string().contains("ExpiresInMinutes value 1441"));
}

#[tokio::test]
async fn display_shows_the_acs_code_message_and_status() {
    // The service's answer for an identity of another resource (recorded).
    let server = answering(ResponseTemplate::new(401).set_body_raw(
        r#"{"error":{"code":"IdentityNotOwned","message":"Provided identity doesn't belong to the resource."}}"#,
        "application/json",
    ))
    .await;
    let err = client(&server)
        .revoke_tokens(&user(), None)
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "IdentityNotOwned: Provided identity doesn't belong to the resource. (HTTP 401)"
    );
    assert!(matches!(
        err.kind(),
        ErrorKind::HttpResponse { status: StatusCode::Unauthorized, error_code: Some(code), .. }
            if code == "IdentityNotOwned"
    ));

    // No body: the status (and a code from `x-ms-error-code`, when sent) still show.
    let server = answering(ResponseTemplate::new(503)).await;
    let err = client(&server)
        .revoke_tokens(&user(), None)
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "Service Unavailable (HTTP 503)");
    let server =
        answering(ResponseTemplate::new(403).insert_header("x-ms-error-code", "Denied")).await;
    let err = client(&server)
        .revoke_tokens(&user(), None)
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "Denied: Forbidden (HTTP 403)");

    // A body that is not JSON (a proxy's page): the body, then the status; the
    // error code is never the bare status number.
    let server =
        answering(ResponseTemplate::new(502).set_body_raw("bad gateway", "text/plain")).await;
    let err = client(&server)
        .revoke_tokens(&user(), None)
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "bad gateway (HTTP 502)");
    assert!(matches!(
        err.kind(),
        ErrorKind::HttpResponse {
            status: StatusCode::BadGateway,
            error_code: None,
            ..
        }
    ));
}

#[tokio::test]
async fn nested_details_and_inner_error_are_kept() {
    let server = answering(ResponseTemplate::new(401).set_body_raw(
        r#"{"error":{"code":"Denied","message":"Denied by the resource provider.","details":[{"code":"Sub","message":"m"}],"innererror":{"code":"HmacMismatch","message":"inner"}}}"#,
        "application/json",
    ))
    .await;
    let err = client(&server).create_user(None).await.unwrap_err();
    assert_eq!(err.http_status(), Some(StatusCode::Unauthorized));
    let acs = CommunicationError::from_error(&err).unwrap();
    assert_eq!(acs.code, "Denied");
    assert_eq!(acs.details.len(), 1);
    assert_eq!(acs.details[0].code, "Sub");
    assert_eq!(acs.inner_error.as_ref().unwrap().code, "HmacMismatch");
}

#[tokio::test]
async fn empty_and_non_json_error_bodies_keep_the_status() {
    for (status, body) in [
        (404u16, ""),
        (500, "<html>Internal error</html>"),
        (400, r#"{"error":{"code":"Trunc"#),
        (403, "{}"),
    ] {
        let server = answering(ResponseTemplate::new(status).set_body_string(body)).await;
        let err = client(&server)
            .delete_user(&user(), None)
            .await
            .unwrap_err();
        assert_eq!(
            err.http_status().map(u16::from),
            Some(status),
            "status kept for body {body:?}: {err}"
        );
        assert!(matches!(err.kind(), ErrorKind::HttpResponse { .. }));
        assert!(CommunicationError::from_error(&err).is_none());
    }
}

#[tokio::test]
async fn malformed_success_body_is_an_error_that_keeps_the_status_and_hides_the_token() {
    for body in [
        "not json".to_owned(),
        format!(r#"{{"token":"{TOKEN}""#),
        format!(r#"{{"token":"{TOKEN}","expiresOn":12}}"#),
        format!(r#"{{"token":"{TOKEN}","expiresOn":"not a date"}}"#),
    ] {
        let server = answering(ResponseTemplate::new(200).set_body_string(body.clone())).await;
        let err = client(&server)
            .get_token(&user(), &[CommunicationTokenScope::Chat], None)
            .await
            .unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(matches!(err.kind(), ErrorKind::DataConversion), "{text}");
        assert!(!text.contains(TOKEN), "token leaked: {text}");
        if !body.contains("not a date") {
            assert!(text.contains("HTTP 200"), "{text}");
        }
    }
}

#[tokio::test]
async fn create_user_and_token_without_token_in_the_answer_is_an_error() {
    let server = answering(
        ResponseTemplate::new(201).set_body_json(serde_json::json!({"identity": {"id": USER_ID}})),
    )
    .await;
    let err = client(&server)
        .create_user_and_token(&[CommunicationTokenScope::Chat], None)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("returned no access token"),
        "{err}"
    );
}

/// Every case is rejected before anything is sent: the server must see no request.
#[tokio::test]
async fn bad_input_is_rejected_before_sending() {
    let server = answering(ResponseTemplate::new(500)).await;
    let client = client(&server);
    let old = CommunicationIdentityClient::from_connection_string(
        &connection_string(&server),
        Some(CommunicationIdentityClientOptions {
            api_version: "2021-03-07".into(),
            ..no_retry()
        }),
    )
    .unwrap();
    let chat = [CommunicationTokenScope::Chat];
    let expiry = |d| {
        Some(GetTokenOptions {
            token_expires_in: Some(d),
            ..Default::default()
        })
    };

    let cases: Vec<(&str, azure_core::Error)> = vec![
        (
            "scopes",
            client.get_token(&user(), &[], None).await.unwrap_err(),
        ),
        (
            "scopes",
            client.create_user_and_token(&[], None).await.unwrap_err(),
        ),
        (
            "scopes",
            client
                .get_token(&user(), &[CommunicationTokenScope::Other(" ".into())], None)
                .await
                .unwrap_err(),
        ),
        (
            "user",
            client
                .get_token(&CommunicationUserIdentifier::new(""), &chat, None)
                .await
                .unwrap_err(),
        ),
        (
            "user",
            client
                .revoke_tokens(&CommunicationUserIdentifier::new(""), None)
                .await
                .unwrap_err(),
        ),
        (
            "user",
            client
                .delete_user(&CommunicationUserIdentifier::new("  "), None)
                .await
                .unwrap_err(),
        ),
        // A URL would resolve these away: the request would reach another path.
        (
            "user",
            client
                .get_token(&CommunicationUserIdentifier::new(".."), &chat, None)
                .await
                .unwrap_err(),
        ),
        (
            "user",
            client
                .delete_user(&CommunicationUserIdentifier::new("."), None)
                .await
                .unwrap_err(),
        ),
        (
            "token_expires_in",
            client
                .get_token(&user(), &chat, expiry(Duration::from_secs(59 * 60)))
                .await
                .unwrap_err(),
        ),
        (
            "token_expires_in",
            client
                .get_token(&user(), &chat, expiry(Duration::from_secs(1441 * 60)))
                .await
                .unwrap_err(),
        ),
        (
            "token_expires_in",
            client
                .get_token(&user(), &chat, expiry(Duration::from_secs(3600 + 30)))
                .await
                .unwrap_err(),
        ),
        (
            "token_expires_in",
            client
                .create_user_and_token(
                    &chat,
                    Some(CreateUserAndTokenOptions {
                        token_expires_in: Some(Duration::ZERO),
                        ..Default::default()
                    }),
                )
                .await
                .unwrap_err(),
        ),
        (
            "token_expires_in",
            old.get_token(&user(), &chat, expiry(Duration::from_secs(3600)))
                .await
                .unwrap_err(),
        ),
        (
            "scopes",
            old.get_token(&user(), &[CommunicationTokenScope::ChatJoin], None)
                .await
                .unwrap_err(),
        ),
        (
            "api_version",
            old.get_token_for_teams_user("t", "a", "u", None)
                .await
                .unwrap_err(),
        ),
        (
            "aad_token",
            client
                .get_token_for_teams_user("", "a", "u", None)
                .await
                .unwrap_err(),
        ),
        (
            "client_id",
            client
                .get_token_for_teams_user("t", " ", "u", None)
                .await
                .unwrap_err(),
        ),
        (
            "user_object_id",
            client
                .get_token_for_teams_user("t", "a", "", None)
                .await
                .unwrap_err(),
        ),
    ];
    for (argument, err) in &cases {
        let inv = invalid(err);
        assert_eq!(inv.argument(), *argument, "{err}");
        let text = err.to_string();
        assert!(text.contains("expected") || text.contains("need"), "{text}");
        assert!(matches!(err.kind(), ErrorKind::Other));
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[test]
fn bad_construction_arguments() {
    let key = AzureKeyCredential::new(KEY);
    let cases = [
        CommunicationIdentityClient::with_key_credential("", key.clone(), None).unwrap_err(),
        CommunicationIdentityClient::with_key_credential("ftp://x", key.clone(), None).unwrap_err(),
        CommunicationIdentityClient::with_key_credential("not a url", key.clone(), None)
            .unwrap_err(),
        CommunicationIdentityClient::with_key_credential("https://x/?q=1", key.clone(), None)
            .unwrap_err(),
        CommunicationIdentityClient::with_key_credential(
            "https://x",
            AzureKeyCredential::new("***"),
            None,
        )
        .unwrap_err(),
        CommunicationIdentityClient::with_key_credential(
            "https://x",
            key.clone(),
            Some(CommunicationIdentityClientOptions {
                api_version: " ".into(),
                ..Default::default()
            }),
        )
        .unwrap_err(),
        CommunicationIdentityClient::with_key_credential(
            "https://x",
            key.clone(),
            Some(CommunicationIdentityClientOptions {
                signing_host: Some("https://x/".into()),
                ..Default::default()
            }),
        )
        .unwrap_err(),
    ];
    for err in &cases {
        let inv = invalid(err);
        assert!(inv.message().contains("expected"), "{err}");
    }
}

#[tokio::test]
async fn entra_id_needs_https() {
    #[derive(Debug)]
    struct Never;
    #[async_trait::async_trait]
    impl azure_core::credentials::TokenCredential for Never {
        async fn get_token(
            &self,
            _: &[&str],
            _: Option<azure_core::credentials::TokenRequestOptions<'_>>,
        ) -> azure_core::Result<azure_core::credentials::AccessToken> {
            unreachable!("no token is requested for an http endpoint")
        }
    }
    let err =
        CommunicationIdentityClient::new("http://127.0.0.1:1", std::sync::Arc::new(Never), None)
            .unwrap_err();
    assert!(invalid(&err).message().contains("https"), "{err}");
}

#[tokio::test]
async fn huge_non_json_error_body_gives_a_bounded_message() {
    let page = format!("<html>{}</html>", "proxy error ".repeat(100_000));
    let server = answering(ResponseTemplate::new(502).set_body_string(page.clone())).await;
    let err = client(&server).create_user(None).await.unwrap_err();
    let message = err.to_string();
    assert!(message.len() < 2300, "message is {} bytes", message.len());
    assert!(message.contains("more bytes"), "{}", &message[..200]);
    match err.kind() {
        ErrorKind::HttpResponse {
            status,
            raw_response: Some(raw),
            ..
        } => {
            assert_eq!(*status, StatusCode::BadGateway);
            assert_eq!(raw.body().as_ref().len(), page.len(), "raw body kept whole");
        }
        other => panic!("unexpected kind {other:?}"),
    }
}
