//! The credential drives azure_core's bearer policy, as a chat or calling client
//! would use it (a mock transport records the request; no network).

use acs_common::{
    CommunicationToken, CommunicationTokenCredential, CommunicationTokenRefreshOptions,
};
use acs_testing::{MockResponse, MockTransport};
use azure_core::{
    credentials::TokenCredential,
    http::{
        policies::auth::BearerTokenAuthorizationPolicy, ClientOptions, Context, Method, Pipeline,
        Request, Url,
    },
    time::{Duration, OffsetDateTime},
};
use std::sync::{
    atomic::{AtomicUsize, Ordering::SeqCst},
    Arc,
};

fn jwt(expires_on: OffsetDateTime) -> String {
    let payload = format!(r#"{{"exp":{}}}"#, expires_on.unix_timestamp());
    format!(
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.{}.c2ln",
        azure_core::base64::encode_url_safe(payload)
    )
}

#[tokio::test]
async fn bearer_policy_sends_the_user_token() {
    let token = jwt(OffsetDateTime::now_utc() + Duration::hours(1));
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let issued = token.clone();
    let credential = CommunicationTokenCredential::with_options(
        CommunicationTokenRefreshOptions::new(move || {
            counter.fetch_add(1, SeqCst);
            let token = CommunicationToken::jwt(issued.clone());
            async move { Ok::<_, azure_core::Error>(token) }
        }),
    )
    .unwrap();
    let credential: Arc<dyn TokenCredential> = Arc::new(credential);

    let recorder = MockTransport::always(MockResponse::json(200, "{}"));
    let pipeline = Pipeline::new(
        Some("acs-identity-test"),
        Some("0.0.0"),
        ClientOptions {
            transport: Some(recorder.transport()),
            ..Default::default()
        },
        Vec::new(),
        vec![Arc::new(BearerTokenAuthorizationPolicy::new(
            credential,
            ["https://communication.azure.com//.default"],
        ))],
        None,
    );
    for _ in 0..3 {
        let mut request = Request::new(
            Url::parse("https://my-resource.communication.azure.com/chat/threads").unwrap(),
            Method::Get,
        );
        pipeline
            .send(&Context::new(), &mut request, None)
            .await
            .unwrap();
    }
    let seen: Vec<String> = recorder
        .requests()
        .iter()
        .map(|r| r.header("authorization").unwrap_or_default().to_owned())
        .collect();
    assert_eq!(seen.len(), 3);
    for authorization in seen {
        assert_eq!(authorization, format!("Bearer {token}"));
    }
    assert_eq!(
        calls.load(SeqCst),
        1,
        "the token is cached between requests"
    );
}
