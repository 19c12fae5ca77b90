//! Test doubles shared by the workspace's tests (never published): one mock
//! azure_core [`HttpClient`] ([`MockTransport`]) and one fake
//! [`TokenCredential`] ([`FakeCredential`]).
#![deny(missing_docs)]

use async_trait::async_trait;
use azure_core::{
    credentials::{AccessToken, TokenCredential, TokenRequestOptions},
    http::{
        headers::{HeaderName, Headers},
        AsyncRawResponse, Body, HttpClient, Request, StatusCode, Transport,
    },
    time::{Duration, OffsetDateTime},
    Bytes,
};
use std::sync::{Arc, Mutex};

/// A request as the transport saw it.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The whole URL, with the query.
    pub url: String,
    /// Header names (lower case, as azure_core keeps them) and values, in order.
    pub headers: Vec<(String, String)>,
    /// The body bytes (empty for none).
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The value of header `name` (lower case), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What a [`MockTransport`] answers.
#[derive(Clone, Debug)]
pub struct MockResponse {
    /// The status.
    pub status: StatusCode,
    /// Header names (lower case) and values.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Bytes,
}

impl MockResponse {
    /// A response with `status` and a JSON body.
    pub fn json(status: u16, body: impl Into<Bytes>) -> Self {
        Self {
            status: StatusCode::from(status),
            headers: vec![("content-type", "application/json".to_owned())],
            body: body.into(),
        }
    }

    /// This response with one more header.
    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

type Respond = dyn Fn(&RecordedRequest) -> azure_core::Result<MockResponse> + Send + Sync;

enum Answer {
    With(Box<Respond>),
    Forward(Arc<dyn HttpClient>),
}

/// An azure_core [`HttpClient`] that records every request (one per attempt) and
/// either answers it itself or forwards it to another transport.
///
/// ```
/// use acs_testing::{MockResponse, MockTransport};
///
/// let mock = MockTransport::answering(|_| Ok(MockResponse::json(200, "{}")));
/// assert_eq!(mock.requests().len(), 0);
/// let _transport = mock.transport();
/// ```
pub struct MockTransport {
    answer: Answer,
    requests: Mutex<Vec<RecordedRequest>>,
}

impl std::fmt::Debug for MockTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockTransport")
            .field("requests", &self.requests().len())
            .finish_non_exhaustive()
    }
}

impl MockTransport {
    /// Answers each request with `respond(request)`.
    pub fn answering(
        respond: impl Fn(&RecordedRequest) -> azure_core::Result<MockResponse> + Send + Sync + 'static,
    ) -> Arc<Self> {
        Arc::new(Self {
            answer: Answer::With(Box::new(respond)),
            requests: Mutex::default(),
        })
    }

    /// Answers every request with a clone of `response`.
    pub fn always(response: MockResponse) -> Arc<Self> {
        Self::answering(move |_| Ok(response.clone()))
    }

    /// Passes each request on to `inner` (after recording it).
    pub fn forwarding(inner: Arc<dyn HttpClient>) -> Arc<Self> {
        Arc::new(Self {
            answer: Answer::Forward(inner),
            requests: Mutex::default(),
        })
    }

    /// Every request seen so far, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// An azure_core [`Transport`] over this mock, for `ClientOptions::transport`.
    pub fn transport(self: &Arc<Self>) -> Transport {
        Transport::new(self.clone())
    }
}

#[async_trait]
impl HttpClient for MockTransport {
    async fn execute_request(&self, request: &Request) -> azure_core::Result<AsyncRawResponse> {
        let recorded = RecordedRequest {
            method: request.method().as_str().to_owned(),
            url: request.url().to_string(),
            headers: request
                .headers()
                .iter()
                .map(|(k, v)| (k.as_str().to_owned(), v.as_str().to_owned()))
                .collect(),
            body: match request.body() {
                Body::Bytes(b) => b.to_vec(),
                #[allow(unreachable_patterns)]
                _ => Vec::new(),
            },
        };
        self.requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(recorded.clone());
        match &self.answer {
            Answer::Forward(inner) => inner.execute_request(request).await,
            Answer::With(respond) => {
                let response = respond(&recorded)?;
                let mut headers = Headers::new();
                for (name, value) in response.headers {
                    headers.insert(HeaderName::from_static(name), value);
                }
                Ok(AsyncRawResponse::from_bytes(
                    response.status,
                    headers,
                    response.body,
                ))
            }
        }
    }
}

/// A [`TokenCredential`] that hands out one fixed token, valid for an hour from
/// each call, and records the scopes it was asked for.
#[derive(Debug)]
pub struct FakeCredential {
    token: String,
    scopes: Mutex<Vec<Vec<String>>>,
}

impl FakeCredential {
    /// A credential whose token is `token`.
    pub fn new(token: impl Into<String>) -> Arc<Self> {
        Arc::new(Self {
            token: token.into(),
            scopes: Mutex::default(),
        })
    }

    /// The scopes of every `get_token` call so far, oldest first.
    pub fn scopes_requested(&self) -> Vec<Vec<String>> {
        self.scopes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

#[async_trait]
impl TokenCredential for FakeCredential {
    async fn get_token(
        &self,
        scopes: &[&str],
        _: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        self.scopes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(scopes.iter().map(|s| s.to_string()).collect());
        Ok(AccessToken::new(
            self.token.clone(),
            OffsetDateTime::now_utc() + Duration::hours(1),
        ))
    }
}
