//! Distributed tracing: with a tracer provider configured, each public method
//! opens a `CommunicationIdentityClient.<method>` span (and azure_core adds the
//! HTTP request span under it); without one, nothing is traced.

use crate::support::*;
use acs_identity::{
    CommunicationIdentityClient, CommunicationIdentityClientOptions, CommunicationTokenScope,
    CommunicationUserIdentifier,
};
use azure_core::{
    http::{ClientOptions, Context, InstrumentationOptions, Request, RetryOptions},
    tracing::{
        AsAny, Attribute, AttributeValue, Span, SpanGuard, SpanKind, SpanStatus, Tracer,
        TracerProvider,
    },
};
use std::{
    borrow::Cow,
    sync::{Arc, Mutex},
};
use wiremock::{matchers::any, Mock, MockServer, ResponseTemplate};

#[derive(Debug, Default)]
struct Recording {
    spans: Mutex<Vec<String>>,
}

#[derive(Debug)]
struct Provider(Arc<Recording>);

impl TracerProvider for Provider {
    fn get_tracer(
        &self,
        _: Option<&'static str>,
        _: &'static str,
        _: Option<&'static str>,
    ) -> Arc<dyn Tracer> {
        Arc::new(RecordingTracer(self.0.clone()))
    }
}

#[derive(Debug)]
struct RecordingTracer(Arc<Recording>);

impl Tracer for RecordingTracer {
    fn start_span(&self, name: Cow<'static, str>, _: SpanKind, _: Vec<Attribute>) -> Arc<dyn Span> {
        self.0.spans.lock().unwrap().push(name.into_owned());
        Arc::new(NoopSpan)
    }
    fn start_span_with_parent(
        &self,
        name: Cow<'static, str>,
        kind: SpanKind,
        attributes: Vec<Attribute>,
        _: Arc<dyn Span>,
    ) -> Arc<dyn Span> {
        self.start_span(name, kind, attributes)
    }
    fn namespace(&self) -> Option<&'static str> {
        Some("Microsoft.Communication")
    }
}

struct NoopSpan;
struct NoopGuard;
impl SpanGuard for NoopGuard {
    fn end(self) {}
}
impl AsAny for NoopSpan {
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
impl Span for NoopSpan {
    fn is_recording(&self) -> bool {
        true
    }
    fn span_id(&self) -> [u8; 8] {
        [1; 8]
    }
    fn end(&self) {}
    fn set_status(&self, _: SpanStatus) {}
    fn set_attribute(&self, _: &'static str, _: AttributeValue) {}
    fn record_error(&self, _: &dyn std::error::Error) {}
    fn set_current(&self, _: &Context) -> Box<dyn SpanGuard> {
        Box::new(NoopGuard)
    }
    fn propagate_headers(&self, _: &mut Request) {}
}

#[tokio::test]
async fn each_public_method_opens_a_span() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "token": TOKEN, "expiresOn": "2030-01-01T00:00:00Z"
        })))
        .mount(&server)
        .await;
    let recording = Arc::new(Recording::default());
    let client = CommunicationIdentityClient::from_connection_string(
        &connection_string(&server),
        Some(CommunicationIdentityClientOptions {
            client_options: ClientOptions {
                retry: RetryOptions::none(),
                instrumentation: InstrumentationOptions {
                    tracer_provider: Some(Arc::new(Provider(recording.clone()))),
                },
                ..Default::default()
            },
            ..Default::default()
        }),
    )
    .unwrap();
    let user = CommunicationUserIdentifier::new(USER_ID);
    client
        .get_token(&user, &[CommunicationTokenScope::Chat], None)
        .await
        .unwrap();
    client
        .get_token_for_teams_user("t", "a", "u", None)
        .await
        .unwrap();
    let spans = recording.spans.lock().unwrap().clone();
    assert!(
        spans.contains(&"CommunicationIdentityClient.get_token".to_owned()),
        "{spans:?}"
    );
    assert!(
        spans.contains(&"CommunicationIdentityClient.get_token_for_teams_user".to_owned()),
        "{spans:?}"
    );
    // azure_core's request span for each HTTP attempt.
    assert!(
        spans.iter().filter(|s| s.as_str() == "POST").count() >= 2,
        "{spans:?}"
    );
}
