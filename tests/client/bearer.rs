//! Entra ID (bearer) authentication through a mock transport: azure_core's bearer
//! policy refuses plain http, so these tests capture requests in-process instead
//! of using wiremock. (The emulator's tests cover bearer over real TLS.)

use acs_identity::{
    CommunicationIdentityClient, CommunicationIdentityClientOptions, CommunicationTokenScope,
    CommunicationUserIdentifier, COMMUNICATION_SCOPE,
};
use acs_testing::{FakeCredential, MockResponse, MockTransport};
use azure_core::http::ClientOptions;

fn token_answer() -> MockResponse {
    MockResponse::json(
        200,
        r#"{"token":"acs-token","expiresOn":"2030-01-01T00:00:00.0000000+00:00"}"#,
    )
}

#[tokio::test]
async fn bearer_token_for_the_acs_scope_and_no_hmac_headers() {
    let credential = FakeCredential::new("entra-token-value");
    let recorder = MockTransport::always(token_answer());
    let client = CommunicationIdentityClient::new(
        "https://contoso.communication.azure.com",
        credential.clone(),
        Some(CommunicationIdentityClientOptions {
            client_options: ClientOptions {
                transport: Some(recorder.transport()),
                ..Default::default()
            },
            ..Default::default()
        }),
    )
    .unwrap();
    let user = CommunicationUserIdentifier::new("8:acs:abc_123");
    let token = client
        .get_token(&user, &[CommunicationTokenScope::Chat], None)
        .await
        .unwrap();
    assert_eq!(token.token.secret(), "acs-token");
    client
        .get_token(&user, &[CommunicationTokenScope::VoIP], None)
        .await
        .unwrap();

    assert_eq!(
        credential.scopes_requested(),
        vec![vec![COMMUNICATION_SCOPE.to_owned()]],
        "one token request for the ACS scope; the policy caches the token"
    );
    assert_eq!(
        COMMUNICATION_SCOPE,
        "https://communication.azure.com//.default"
    );
    let requests = recorder.requests();
    assert_eq!(requests.len(), 2);
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.url,
        "https://contoso.communication.azure.com/identities/8%3Aacs%3Aabc_123/:issueAccessToken?api-version=2026-09-23"
    );
    assert_eq!(request.body, br#"{"scopes":["chat"]}"#);
    let get = |name: &str| request.header(name);
    assert_eq!(get("authorization"), Some("Bearer entra-token-value"));
    assert_eq!(get("x-ms-content-sha256"), None);
    assert_eq!(get("x-ms-date"), None);
    assert_eq!(get("content-type"), Some("application/json"));
}

#[test]
fn debug_of_an_entra_client_names_the_auth_mode_only() {
    let client = CommunicationIdentityClient::new(
        "https://contoso.communication.azure.com",
        FakeCredential::new("entra-token-value"),
        None,
    )
    .unwrap();
    let debug = format!("{client:?}");
    assert!(debug.contains("Entra ID"), "{debug}");
    assert!(
        debug.contains("https://contoso.communication.azure.com/"),
        "{debug}"
    );
}
