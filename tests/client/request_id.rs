//! `x-ms-client-request-id`: a fresh UUID per call, or the caller's `ClientRequestId`
//! from the method options' context, sent exactly once.

use crate::support::*;
use acs_identity::{CommunicationTokenScope, CommunicationUserIdentifier, GetTokenOptions};
use azure_core::http::{request::options::ClientRequestId, ClientMethodOptions};
use wiremock::{matchers::method, Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn request_id_is_fresh_per_call_or_the_callers() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "token": TOKEN,
            "expiresOn": "2023-11-14T22:13:20Z"
        })))
        .mount(&server)
        .await;
    let client = client(&server);
    let user = CommunicationUserIdentifier::new(USER_ID);
    let scopes = [CommunicationTokenScope::Chat];

    client.get_token(&user, &scopes, None).await.unwrap();
    client.get_token(&user, &scopes, None).await.unwrap();
    let mut method_options = ClientMethodOptions::default();
    method_options
        .context
        .insert(ClientRequestId::new("my-request-id"));
    client
        .get_token(
            &user,
            &scopes,
            Some(GetTokenOptions {
                method_options,
                ..Default::default()
            }),
        )
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    let ids: Vec<Vec<&str>> = requests
        .iter()
        .map(|r| {
            r.headers
                .get_all("x-ms-client-request-id")
                .iter()
                .map(|v| v.to_str().unwrap())
                .collect()
        })
        .collect();
    for id in &ids {
        assert_eq!(id.len(), 1, "exactly one x-ms-client-request-id: {ids:?}");
    }
    // azure_core's ClientRequestIdPolicy: random (version 4) UUIDs, lower case.
    for id in [ids[0][0], ids[1][0]] {
        let uuid = azure_core::Uuid::parse_str(id).unwrap();
        assert_eq!(uuid.get_version_num(), 4, "{id}");
        assert_eq!(id, uuid.to_string(), "{id}");
    }
    assert_ne!(ids[0][0], ids[1][0], "a new id per call");
    assert_eq!(ids[2][0], "my-request-id");
}
