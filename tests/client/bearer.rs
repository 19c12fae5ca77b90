//! Entra ID (bearer) authentication through a mock transport: azure_core's bearer
//! policy refuses plain http, so these tests capture requests in-process instead
//! of using wiremock. (The emulator's tests cover bearer over real TLS.)

use acs_identity::{
    CommunicationIdentityClient, CommunicationIdentityClientOptions, CommunicationTokenScope,
    CommunicationUserIdentifier, COMMUNICATION_SCOPE,
};
use async_trait::async_trait;
use azure_core::{
    credentials::{AccessToken, TokenCredential, TokenRequestOptions},
    http::{
        headers::{HeaderName, Headers},
        AsyncRawResponse, ClientOptions, HttpClient, Request, StatusCode, Transport,
    },
    time::{Duration, OffsetDateTime},
    Bytes,
};
use std::sync::{Arc, Mutex};

#[derive(Debug, Default)]
struct FakeCredential {
    scopes_requested: Mutex<Vec<Vec<String>>>,
}

#[async_trait]
impl TokenCredential for FakeCredential {
    async fn get_token(
        &self,
        scopes: &[&str],
        _: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        self.scopes_requested
            .lock()
            .unwrap()
            .push(scopes.iter().map(|s| s.to_string()).collect());
        Ok(AccessToken::new(
            "entra-token-value",
            OffsetDateTime::now_utc() + Duration::hours(1),
        ))
    }
}

/// Method, URL, headers and body of a request the transport saw.
type Recorded = (String, String, Vec<(String, String)>, Vec<u8>);

#[derive(Debug, Default)]
struct Recorder {
    requests: Mutex<Vec<Recorded>>,
}

#[async_trait]
impl HttpClient for Recorder {
    async fn execute_request(&self, request: &Request) -> azure_core::Result<AsyncRawResponse> {
        let headers = request
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.as_str().to_owned()))
            .collect();
        let body = match request.body() {
            azure_core::http::Body::Bytes(b) => b.to_vec(),
            #[allow(unreachable_patterns)]
            _ => Vec::new(),
        };
        self.requests.lock().unwrap().push((
            request.method().as_str().to_owned(),
            request.url().to_string(),
            headers,
            body,
        ));
        let mut headers = Headers::new();
        headers.insert(HeaderName::from_static("content-type"), "application/json");
        Ok(AsyncRawResponse::from_bytes(
            StatusCode::Ok,
            headers,
            Bytes::from_static(
                br#"{"token":"acs-token","expiresOn":"2030-01-01T00:00:00.0000000+00:00"}"#,
            ),
        ))
    }
}

#[tokio::test]
async fn bearer_token_for_the_acs_scope_and_no_hmac_headers() {
    let credential = Arc::new(FakeCredential::default());
    let recorder = Arc::new(Recorder::default());
    let client = CommunicationIdentityClient::new(
        "https://contoso.communication.azure.com",
        credential.clone(),
        Some(CommunicationIdentityClientOptions {
            client_options: ClientOptions {
                transport: Some(Transport::new(recorder.clone())),
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
        *credential.scopes_requested.lock().unwrap(),
        vec![vec![COMMUNICATION_SCOPE.to_owned()]],
        "one token request for the ACS scope; the policy caches the token"
    );
    assert_eq!(
        COMMUNICATION_SCOPE,
        "https://communication.azure.com//.default"
    );
    let requests = recorder.requests.lock().unwrap();
    assert_eq!(requests.len(), 2);
    let (method, url, headers, body) = &requests[0];
    assert_eq!(method, "POST");
    assert_eq!(
        url,
        "https://contoso.communication.azure.com/identities/8%3Aacs%3Aabc_123/:issueAccessToken?api-version=2023-10-01"
    );
    assert_eq!(body, br#"{"scopes":["chat"]}"#);
    let get = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(get("authorization"), Some("Bearer entra-token-value"));
    assert_eq!(get("x-ms-content-sha256"), None);
    assert_eq!(get("x-ms-date"), None);
    assert_eq!(get("content-type"), Some("application/json"));
}

#[test]
fn debug_of_an_entra_client_names_the_auth_mode_only() {
    let client = CommunicationIdentityClient::new(
        "https://contoso.communication.azure.com",
        Arc::new(FakeCredential::default()),
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
