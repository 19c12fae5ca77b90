//! `CommunicationErrorExt`, the one way to read an error: each method for a
//! service error, an input error, a custom id the service ignored and a
//! transport error.

use crate::support::*;
use acs_identity::{
    models::api_version, CommunicationErrorExt, CommunicationIdentityClient,
    CommunicationTokenScope, CommunicationUserIdentifier, CreateUserOptions, GetTokenOptions,
};
use azure_core::http::StatusCode;
use std::time::Duration;
use wiremock::ResponseTemplate;

fn user() -> CommunicationUserIdentifier {
    CommunicationUserIdentifier::new(USER_ID)
}

#[tokio::test]
async fn a_service_error_has_status_code_and_acs_error() {
    let server = answering(
        ResponseTemplate::new(400)
            .insert_header("x-ms-error-code", "ValidationError")
            .set_body_raw(
                r#"{"error":{"code":"ValidationError","message":"Invalid scopes - Scopes field is required.","target":"scopes"}}"#,
                "application/json",
            ),
    )
    .await;
    let err = client(&server)
        .get_token(&user(), &[CommunicationTokenScope::Chat], None)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::BadRequest));
    assert_eq!(err.error_code(), Some("ValidationError"));
    let acs = err.communication_error().expect("the ACS error");
    assert_eq!(acs.code, "ValidationError");
    assert_eq!(acs.message, "Invalid scopes - Scopes field is required.");
    assert_eq!(acs.target.as_deref(), Some("scopes"));
    assert!(err.invalid_argument().is_none());
    assert!(err.custom_id_ignored().is_none());

    // A service error without a body still has its status; the code from the header.
    let server =
        answering(ResponseTemplate::new(403).insert_header("x-ms-error-code", "Denied")).await;
    let err = client(&server)
        .revoke_tokens(&user(), None)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::Forbidden));
    assert_eq!(err.error_code(), Some("Denied"));
    assert!(err.communication_error().is_none());
}

#[tokio::test]
async fn an_input_error_is_an_invalid_argument_and_nothing_else() {
    let server = answering(ResponseTemplate::new(200)).await;
    let err = client(&server)
        .get_token(
            &user(),
            &[CommunicationTokenScope::Chat],
            Some(GetTokenOptions {
                token_expires_in: Some(Duration::from_secs(30 * 60)),
                ..Default::default()
            }),
        )
        .await
        .unwrap_err();
    let invalid = err.invalid_argument().expect("an InvalidArgument");
    assert_eq!(invalid.argument(), "token_expires_in");
    assert!(err.status().is_none());
    assert!(err.error_code().is_none());
    assert!(err.communication_error().is_none());
    assert!(err.custom_id_ignored().is_none());
    assert!(server.received_requests().await.unwrap().is_empty());

    // An option the api-version lacks: custom ids on the default (2026-09-23).
    let err = client(&server)
        .create_user(Some(CreateUserOptions {
            custom_id: Some("alice".to_owned()),
            ..Default::default()
        }))
        .await
        .unwrap_err();
    assert_eq!(err.invalid_argument().unwrap().argument(), "custom_id");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_custom_id_the_service_ignored_names_the_created_identity() {
    // A version this crate does not know is sent as given; the service answers
    // without the custom id.
    let server = answering(
        ResponseTemplate::new(201).set_body_json(serde_json::json!({"identity": {"id": USER_ID}})),
    )
    .await;
    let err = client_at(&server, "2099-01-01")
        .create_user(Some(CreateUserOptions {
            custom_id: Some("alice".to_owned()),
            ..Default::default()
        }))
        .await
        .unwrap_err();
    let ignored = err.custom_id_ignored().expect("a CustomIdIgnored");
    assert_eq!(ignored.user().id(), USER_ID);
    assert_eq!(ignored.api_version(), "2099-01-01");
    assert!(err.invalid_argument().is_none());
    assert!(err.status().is_none());
    assert!(err.error_code().is_none());
    assert!(err.communication_error().is_none());

    // On the preview the same answer is the same error.
    let err = client_at(&server, api_version::V2025_03_02_PREVIEW)
        .create_user(Some(CreateUserOptions {
            custom_id: Some("alice".to_owned()),
            ..Default::default()
        }))
        .await
        .unwrap_err();
    assert!(err.custom_id_ignored().is_some());
}

#[tokio::test]
async fn a_transport_error_answers_none_everywhere() {
    // A port nothing listens on: connection refused.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let client = CommunicationIdentityClient::from_connection_string(
        &format!("endpoint=http://127.0.0.1:{port}/;accesskey={KEY}"),
        Some(no_retry()),
    )
    .unwrap();
    let err = client.create_user(None).await.unwrap_err();
    assert!(err.invalid_argument().is_none(), "{err}");
    assert!(err.status().is_none(), "{err}");
    assert!(err.error_code().is_none(), "{err}");
    assert!(err.communication_error().is_none(), "{err}");
    assert!(err.custom_id_ignored().is_none(), "{err}");
}
