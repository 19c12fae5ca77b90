//! One test per Identity operation against wiremock: the exact request (method,
//! path, query, headers, body bytes, HMAC signature) and the parsed response.

use crate::support::*;
use acs_identity::{
    AzureKeyCredential, CommunicationIdentityClient, CommunicationIdentityClientOptions,
    CommunicationTokenScope, CommunicationUserIdentifier, CreateUserAndTokenOptions,
    GetTokenOptions,
};
use std::time::Duration;
use wiremock::{
    matchers::{method, path, query_param},
    Mock, MockServer, ResponseTemplate,
};

const EXPIRES_ON: &str = "2023-06-28T07:30:11.8919724+00:00";
const EXPIRES_UNIX: i64 = 1_687_937_411;

fn token_body() -> serde_json::Value {
    serde_json::json!({ "token": TOKEN, "expiresOn": EXPIRES_ON })
}

#[tokio::test]
async fn create_user() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/identities"))
        .and(query_param("api-version", "2026-09-23"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(serde_json::json!({"identity": {"id": USER_ID}})),
        )
        .mount(&server)
        .await;

    let user = client(&server).create_user(None).await.unwrap();
    assert_eq!(user.id(), USER_ID);

    let request = only_request(&server).await;
    assert_eq!(request.url.query(), Some("api-version=2026-09-23"));
    assert_eq!(request.body, b"{}");
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    assert_common_headers(&request);
    assert_signed(&request, KEY);
}

#[tokio::test]
async fn create_user_and_token_with_custom_expiry() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/identities"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({
            "identity": {"id": USER_ID},
            "accessToken": token_body(),
        })))
        .mount(&server)
        .await;

    let (user, token) = client(&server)
        .create_user_and_token(
            &[CommunicationTokenScope::Chat, CommunicationTokenScope::VoIP],
            Some(CreateUserAndTokenOptions {
                token_expires_in: Some(Duration::from_secs(60 * 60)),
                ..Default::default()
            }),
        )
        .await
        .unwrap();
    assert_eq!(user.id(), USER_ID);
    assert_eq!(token.token.secret(), TOKEN);
    assert_eq!(token.expires_on.unix_timestamp(), EXPIRES_UNIX);

    let request = only_request(&server).await;
    assert_eq!(
        request.body,
        br#"{"createTokenWithScopes":["chat","voip"],"expiresInMinutes":60}"#
    );
    assert_common_headers(&request);
    assert_signed(&request, KEY);
}

#[tokio::test]
async fn create_user_and_token_without_expiry_omits_the_field() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/identities"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({
            "identity": {"id": USER_ID},
            "accessToken": token_body(),
        })))
        .mount(&server)
        .await;
    client(&server)
        .create_user_and_token(&[CommunicationTokenScope::ChatJoinLimited], None)
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        request.body,
        br#"{"createTokenWithScopes":["chat.join.limited"]}"#
    );
}

#[tokio::test]
async fn get_token_percent_encodes_the_id() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!(
            "/identities/{USER_ID_ENCODED}/:issueAccessToken"
        )))
        .and(query_param("api-version", "2026-09-23"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body()))
        .mount(&server)
        .await;

    let user = CommunicationUserIdentifier::new(USER_ID);
    let token = client(&server)
        .get_token(
            &user,
            &[CommunicationTokenScope::Chat, CommunicationTokenScope::VoIP],
            Some(GetTokenOptions {
                token_expires_in: Some(Duration::from_secs(60 * 60)),
                ..Default::default()
            }),
        )
        .await
        .unwrap();
    assert_eq!(token.token.secret(), TOKEN);
    assert_eq!(token.expires_on.unix_timestamp(), EXPIRES_UNIX);

    let request = only_request(&server).await;
    assert_eq!(
        request.url.path(),
        format!("/identities/{USER_ID_ENCODED}/:issueAccessToken")
    );
    // The exact body bytes of signed-request vector D2 (common/tests/data/vectors.json).
    assert_eq!(
        request.body,
        br#"{"scopes":["chat","voip"],"expiresInMinutes":60}"#
    );
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    assert_common_headers(&request);
    assert_signed(&request, KEY);
}

#[tokio::test]
async fn revoke_tokens_sends_no_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!(
            "/identities/{USER_ID_ENCODED}/:revokeAccessTokens"
        )))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;

    client(&server)
        .revoke_tokens(&CommunicationUserIdentifier::new(USER_ID), None)
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert!(request.body.is_empty());
    assert_eq!(
        header(&request, "x-ms-content-sha256"),
        Some("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
    );
    assert_common_headers(&request);
    assert_signed(&request, KEY);
}

#[tokio::test]
async fn delete_user() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/identities/{USER_ID_ENCODED}")))
        .and(query_param("api-version", "2026-09-23"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;

    client(&server)
        .delete_user(&CommunicationUserIdentifier::new(USER_ID), None)
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert!(request.body.is_empty());
    assert_common_headers(&request);
    assert_signed(&request, KEY);
}

#[tokio::test]
async fn get_token_for_teams_user() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/teamsUser/:exchangeAccessToken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body()))
        .mount(&server)
        .await;

    let token = client(&server)
        .get_token_for_teams_user(
            "aad-token",
            "00000000-0000-0000-0000-000000000001",
            "00000000-0000-0000-0000-000000000002",
            None,
        )
        .await
        .unwrap();
    assert_eq!(token.expires_on.unix_timestamp(), EXPIRES_UNIX);
    let request = only_request(&server).await;
    // The exact body bytes of the vectors.json `sig-teams-port` vector.
    assert_eq!(
        request.body,
        br#"{"token":"aad-token","appId":"00000000-0000-0000-0000-000000000001","userId":"00000000-0000-0000-0000-000000000002"}"#
    );
    assert_common_headers(&request);
    assert_signed(&request, KEY);
}

#[tokio::test]
async fn api_version_option_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(serde_json::json!({"identity": {"id": USER_ID}})),
        )
        .mount(&server)
        .await;
    let options = CommunicationIdentityClientOptions {
        api_version: "2021-03-07".into(),
        ..no_retry()
    };
    let client = CommunicationIdentityClient::from_connection_string(
        &connection_string(&server),
        Some(options),
    )
    .unwrap();
    assert_eq!(client.api_version(), "2021-03-07");
    client.create_user(None).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.url.query(), Some("api-version=2021-03-07"));
}

#[tokio::test]
async fn key_rotation_takes_effect_on_the_next_request() {
    const NEW_KEY: &str = "bmV3LWtleS1hZnRlci1yb3RhdGlvbg==";
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(serde_json::json!({"identity": {"id": USER_ID}})),
        )
        .mount(&server)
        .await;
    let credential = AzureKeyCredential::new(KEY);
    let client = CommunicationIdentityClient::with_key_credential(
        &server.uri(),
        credential.clone(),
        Some(no_retry()),
    )
    .unwrap();
    client.create_user(None).await.unwrap();
    credential.update(NEW_KEY);
    client.create_user(None).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_signed(&requests[0], KEY);
    assert_signed(&requests[1], NEW_KEY);
}

#[tokio::test]
async fn signing_host_override_and_gateway_path() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/acs/gateway/identities"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(serde_json::json!({"identity": {"id": USER_ID}})),
        )
        .mount(&server)
        .await;
    let options = CommunicationIdentityClientOptions {
        signing_host: Some("contoso.communication.azure.com".into()),
        ..no_retry()
    };
    let client = CommunicationIdentityClient::with_key_credential(
        &format!("{}/acs/gateway", server.uri()),
        AzureKeyCredential::new(KEY),
        Some(options),
    )
    .unwrap();
    client.create_user(None).await.unwrap();
    let mut request = only_request(&server).await;
    assert_eq!(request.url.path(), "/acs/gateway/identities");
    // The signature covers the overridden host, not the one the request went to.
    request
        .headers
        .insert("host", "contoso.communication.azure.com".parse().unwrap());
    assert_signed(&request, KEY);
}

#[tokio::test]
async fn client_is_cheap_to_clone_and_shareable() {
    fn assert_send_sync<T: Send + Sync + Clone + 'static>() {}
    assert_send_sync::<CommunicationIdentityClient>();

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body()))
        .mount(&server)
        .await;
    let client = client(&server);
    let user = CommunicationUserIdentifier::new(USER_ID);
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            let user = user.clone();
            tokio::spawn(async move {
                client
                    .get_token(&user, &[CommunicationTokenScope::VoIPJoin], None)
                    .await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 8);
    for request in &requests {
        assert_signed(request, KEY);
    }
}
