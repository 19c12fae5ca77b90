//! Custom ids on create against wiremock: the exact request on
//! `2025-03-02-preview`, a custom id the service ignored, and every client-side
//! rejection (which sends nothing).

use crate::support::*;
use acs_identity::{
    models::api_version, CommunicationTokenScope, CreateUserAndTokenOptions, CreateUserOptions,
    CustomIdIgnored, InvalidArgument,
};
use wiremock::{
    matchers::{method, path, query_param},
    Mock, MockServer, ResponseTemplate,
};

#[tokio::test]
async fn create_user_with_a_custom_id() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/identities"))
        .and(query_param("api-version", "2025-03-02-preview"))
        .respond_with(ResponseTemplate::new(201).set_body_json(
            serde_json::json!({"identity": {"id": USER_ID, "customId": "alice@contoso.com"}}),
        ))
        .mount(&server)
        .await;
    let options = CreateUserOptions {
        custom_id: Some("alice@contoso.com".to_owned()),
        ..Default::default()
    };
    let user = client_at(&server, api_version::V2025_03_02_PREVIEW)
        .create_user(Some(options))
        .await
        .unwrap();
    assert_eq!(user.id(), USER_ID);
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.body, br#"{"customId":"alice@contoso.com"}"#);
    assert_common_headers(&request);
    assert_signed(&request, KEY);
}

#[tokio::test]
async fn create_user_and_token_with_a_custom_id() {
    let server = answering(ResponseTemplate::new(201).set_body_json(serde_json::json!({
        "identity": {"id": USER_ID, "customId": "alice"},
        "accessToken": {"token": TOKEN, "expiresOn": "2030-01-01T00:00:00.0000000+00:00"},
    })))
    .await;
    let options = CreateUserAndTokenOptions {
        custom_id: Some("alice".to_owned()),
        ..Default::default()
    };
    let (user, token) = client_at(&server, api_version::V2025_03_02_PREVIEW)
        .create_user_and_token(&[CommunicationTokenScope::Chat], Some(options))
        .await
        .unwrap();
    assert_eq!(user.id(), USER_ID);
    assert_eq!(token.token.secret(), TOKEN);
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/identities");
    assert_eq!(request.url.query(), Some("api-version=2025-03-02-preview"));
    assert_eq!(
        request.body,
        br#"{"createTokenWithScopes":["chat"],"customId":"alice"}"#
    );
    assert_signed(&request, KEY);
}

#[tokio::test]
async fn a_custom_id_the_service_ignored_is_an_error_naming_the_created_identity() {
    // A version the client does not know is sent as written; this service answers
    // without the custom id, as a version without custom ids does.
    let server = answering(
        ResponseTemplate::new(201).set_body_json(serde_json::json!({"identity": {"id": USER_ID}})),
    )
    .await;
    let options = CreateUserOptions {
        custom_id: Some("alice".to_owned()),
        ..Default::default()
    };
    let err = client_at(&server, "2099-01-01")
        .create_user(Some(options))
        .await
        .unwrap_err();
    let ignored = err
        .downcast_ref::<CustomIdIgnored>()
        .unwrap_or_else(|| panic!("expected CustomIdIgnored, got {err:?}"));
    assert_eq!(ignored.user().id(), USER_ID);
    assert_eq!(ignored.api_version(), "2099-01-01");
    let message = err.to_string();
    assert!(
        message.contains("ignored custom_id at api-version 2099-01-01")
            && message.contains(USER_ID)
            && message.contains("2025-03-02-preview"),
        "{message}"
    );
    assert_eq!(only_request(&server).await.body, br#"{"customId":"alice"}"#);

    // Same for create_user_and_token, and for a different custom id coming back.
    let server = answering(ResponseTemplate::new(201).set_body_json(serde_json::json!({
        "identity": {"id": USER_ID, "customId": "bob"},
        "accessToken": {"token": TOKEN, "expiresOn": "2030-01-01T00:00:00Z"},
    })))
    .await;
    let options = CreateUserAndTokenOptions {
        custom_id: Some("alice".to_owned()),
        ..Default::default()
    };
    let err = client_at(&server, "2099-01-01")
        .create_user_and_token(&[CommunicationTokenScope::Chat], Some(options))
        .await
        .unwrap_err();
    assert_eq!(
        err.downcast_ref::<CustomIdIgnored>().unwrap().user().id(),
        USER_ID
    );
    assert!(err.to_string().contains("\"bob\""), "{err}");
}

#[tokio::test]
async fn custom_id_rejections_send_nothing() {
    let server = answering(ResponseTemplate::new(500)).await;
    let preview = client_at(&server, api_version::V2025_03_02_PREVIEW);
    for (custom_id, expected) in [
        (String::new(), "has 0 characters; expected 1 to 256"),
        ("x".repeat(257), "has 257 characters; expected 1 to 256"),
    ] {
        let options = CreateUserOptions {
            custom_id: Some(custom_id.clone()),
            ..Default::default()
        };
        let err = preview.create_user(Some(options)).await.unwrap_err();
        assert_eq!(invalid(&err).argument(), "custom_id");
        assert!(invalid(&err).message().contains(expected), "{err}");
        let options = CreateUserAndTokenOptions {
            custom_id: Some(custom_id),
            ..Default::default()
        };
        let err = preview
            .create_user_and_token(&[CommunicationTokenScope::Chat], Some(options))
            .await
            .unwrap_err();
        assert_eq!(invalid(&err).argument(), "custom_id");
    }
    // 256 characters of two bytes each are fine (characters, not bytes, count).
    let long = "é".repeat(256);
    let options = CreateUserOptions {
        custom_id: Some(long),
        ..Default::default()
    };
    let err = preview.create_user(Some(options)).await.unwrap_err();
    assert!(err.downcast_ref::<InvalidArgument>().is_none(), "{err}");
    server.reset().await;

    // Known versions without custom ids: refused, naming the version that has them.
    for version in [
        api_version::V2026_09_23,
        api_version::V2025_06_30,
        api_version::V2023_10_01,
    ] {
        let options = CreateUserOptions {
            custom_id: Some("alice".to_owned()),
            ..Default::default()
        };
        let err = client_at(&server, version)
            .create_user(Some(options))
            .await
            .unwrap_err();
        assert_eq!(invalid(&err).argument(), "custom_id");
        assert_eq!(
            invalid(&err).message(),
            format!("custom ids need api-version 2025-03-02-preview; the client uses {version}")
        );
    }
    nothing_sent(&server).await;
}

/// On a version this crate does not know, the custom id is sent as given (even
/// one the known versions' rule refuses) and the service judges it.
#[tokio::test]
async fn an_unknown_version_sends_any_custom_id_as_given() {
    for custom_id in [String::new(), "x".repeat(257)] {
        let server = answering(ResponseTemplate::new(201).set_body_json(
            serde_json::json!({"identity": {"id": USER_ID, "customId": custom_id}}),
        ))
        .await;
        let options = CreateUserOptions {
            custom_id: Some(custom_id.clone()),
            ..Default::default()
        };
        let user = client_at(&server, "2099-01-01")
            .create_user(Some(options))
            .await
            .unwrap();
        assert_eq!(user.id(), USER_ID);
        let request = only_request(&server).await;
        assert_eq!(request.url.query(), Some("api-version=2099-01-01"));
        assert_eq!(
            request.body,
            serde_json::to_vec(&serde_json::json!({ "customId": custom_id })).unwrap()
        );
    }
}

#[test]
fn debug_of_the_options_leaves_out_the_custom_id() {
    let options = CreateUserOptions {
        custom_id: Some("alice@contoso.com".to_owned()),
        ..Default::default()
    };
    let debug = format!("{options:?}");
    assert!(!debug.contains("alice"), "{debug}");
    assert!(
        debug.starts_with("CreateUserOptions { method_options: "),
        "{debug}"
    );
    let options = CreateUserAndTokenOptions {
        custom_id: Some("alice@contoso.com".to_owned()),
        token_expires_in: Some(std::time::Duration::from_secs(3600)),
        ..Default::default()
    };
    let debug = format!("{options:?}");
    assert!(!debug.contains("alice"), "{debug}");
    assert!(debug.contains("token_expires_in: Some(3600s)"), "{debug}");
}
