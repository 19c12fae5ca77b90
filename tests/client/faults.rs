//! Client fault matrix on loopback: throttling with every `Retry-After` form,
//! transient 5xx, refused and reset connections, a server that never answers,
//! malformed and huge bodies. Every test counts the attempts the client made.
//!
//! All tests run on tokio's paused clock: retry back-offs, `Retry-After` waits and
//! the per-try `request_timeout` are virtual, so nothing really sleeps. The paused
//! clock jumps to the next timer whenever the runtime is idle, *including while a
//! response is on its way over a real socket*, so any timer armed during a request
//! (reqwest's connect/read timeouts, the pool's idle reaper, our `request_timeout`)
//! would fire spuriously (measured: 11 of 50 calls failed with the default
//! transport). The tests therefore use a transport without timers, as a user
//! may build one: a `reqwest::Client` without timeouts and without the pool's
//! idle reaper, wrapped as azure_core's transport; and `request_timeout: None`
//! except in the tests that are about it. Elapsed-time
//! assertions read that virtual clock; none measures real time.

use crate::support::{read_request, KEY, TOKEN, USER_ID};
use acs_identity::{
    AzureKeyCredential, CommunicationError, CommunicationIdentityClient,
    CommunicationIdentityClientOptions, CommunicationTokenScope, CommunicationUserIdentifier,
    DEFAULT_MAX_RETRY_AFTER, DEFAULT_REQUEST_TIMEOUT,
};
use acs_testing::MockTransport;
use azure_core::{
    error::ErrorKind,
    http::{ClientOptions, ExponentialRetryOptions, HttpClient, RetryOptions, StatusCode},
    time::OffsetDateTime,
};
use std::{
    error::Error as _,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::Duration,
};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpListener,
    time::Instant,
};
use wiremock::{
    matchers::{method, path_regex},
    Mock, MockServer, ResponseTemplate,
};

/// azure_core's default retry (exponential, 200 ms, 8 retries, 60 s, 30 s max delay).
fn default_retry() -> RetryOptions {
    RetryOptions::default()
}

fn retries(max_retries: u32) -> RetryOptions {
    RetryOptions::exponential(ExponentialRetryOptions {
        max_retries,
        ..Default::default()
    })
}

struct Setup {
    retry: RetryOptions,
    request_timeout: Option<Duration>,
    max_retry_after: Option<Duration>,
}

impl Default for Setup {
    fn default() -> Self {
        Self {
            retry: default_retry(),
            request_timeout: None,
            max_retry_after: Some(DEFAULT_MAX_RETRY_AFTER),
        }
    }
}

impl Setup {
    /// The client, and the mock in front of its transport that records every
    /// attempt (one per try).
    fn client(self, endpoint: &str) -> (CommunicationIdentityClient, Arc<MockTransport>) {
        // azure_core's reqwest transport, built without timers.
        let http: Arc<dyn HttpClient> = Arc::new(
            reqwest::Client::builder()
                .pool_idle_timeout(None)
                .build()
                .unwrap(),
        );
        let attempts = MockTransport::forwarding(http);
        let options = CommunicationIdentityClientOptions {
            client_options: ClientOptions {
                retry: self.retry,
                transport: Some(attempts.transport()),
                ..Default::default()
            },
            request_timeout: self.request_timeout,
            max_retry_after: self.max_retry_after,
            ..Default::default()
        };
        let client = CommunicationIdentityClient::with_key_credential(
            endpoint,
            AzureKeyCredential::new(KEY),
            Some(options),
        )
        .unwrap();
        (client, attempts)
    }
}

fn user() -> CommunicationUserIdentifier {
    CommunicationUserIdentifier::new(USER_ID)
}

fn created() -> ResponseTemplate {
    ResponseTemplate::new(201).set_body_json(serde_json::json!({"identity": {"id": USER_ID}}))
}

fn acs_error(status: u16, code: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(serde_json::json!({
        "error": {"code": code, "message": format!("{code} from the test server")}
    }))
}

async fn received(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

/// Mounts `first` for the first `times` requests, then `then` for the rest.
async fn answer(server: &MockServer, first: ResponseTemplate, times: u64, then: ResponseTemplate) {
    Mock::given(method("POST"))
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(path_regex(".*"))
        .respond_with(then)
        .with_priority(2)
        .mount(server)
        .await;
}

fn chain(err: &azure_core::Error) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        out.push_str(" <- ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

// ---------------------------------------------------------------- throttling

#[tokio::test(start_paused = true)]
async fn retry_after_in_seconds_is_honoured() {
    let server = MockServer::start().await;
    answer(
        &server,
        acs_error(429, "TooManyRequests").insert_header("Retry-After", "7"),
        1,
        created(),
    )
    .await;
    let (client, attempts) = Setup::default().client(&server.uri());
    let start = Instant::now();
    client.create_user(None).await.unwrap();
    assert!(
        start.elapsed() >= Duration::from_secs(7),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(attempts.requests().len(), 2);
    assert_eq!(received(&server).await, 2);
}

#[tokio::test(start_paused = true)]
async fn retry_after_as_an_http_date_is_honoured() {
    let server = MockServer::start().await;
    let at = OffsetDateTime::now_utc() + azure_core::time::Duration::seconds(20);
    answer(
        &server,
        acs_error(503, "ServiceUnavailable")
            .insert_header("Retry-After", azure_core::time::to_rfc7231(&at).as_str()),
        1,
        created(),
    )
    .await;
    let (client, attempts) = Setup::default().client(&server.uri());
    let start = Instant::now();
    client.create_user(None).await.unwrap();
    // One-second resolution of the date: at least 19 s.
    assert!(
        start.elapsed() >= Duration::from_secs(19),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(attempts.requests().len(), 2);
    assert_eq!(received(&server).await, 2);
}

#[tokio::test(start_paused = true)]
async fn retry_after_ms_headers_are_honoured() {
    for header in ["retry-after-ms", "x-ms-retry-after-ms"] {
        let server = MockServer::start().await;
        answer(
            &server,
            acs_error(429, "TooManyRequests").insert_header(header, "4500"),
            2,
            created(),
        )
        .await;
        let (client, attempts) = Setup::default().client(&server.uri());
        let start = Instant::now();
        client.create_user(None).await.unwrap();
        assert!(
            start.elapsed() >= Duration::from_millis(9000),
            "{header}: {:?}",
            start.elapsed()
        );
        assert_eq!(attempts.requests().len(), 3, "{header}");
        assert_eq!(received(&server).await, 3, "{header}");
    }
}

/// A `Retry-After` longer than `max_retry_after` (60 s by default) fails the call
/// at once with the 429/503 instead of sleeping; every header form.
#[tokio::test(start_paused = true)]
async fn over_long_retry_after_fails_at_once_with_the_throttling_error() {
    let in_two_hours = azure_core::time::to_rfc7231(
        &(OffsetDateTime::now_utc() + azure_core::time::Duration::hours(2)),
    );
    let cases: [(u16, &str, &str, &str); 5] = [
        (429, "Retry-After", "86400", "24h 0m 0s"),
        (429, "Retry-After", "9223372036854775807", "h "),
        (503, "Retry-After", &in_two_hours, "1h 59m"),
        (429, "retry-after-ms", "61000", "1m 1s"),
        (503, "x-ms-retry-after-ms", "3600000", "1h 0m 0s"),
    ];
    for (status, header, value, said) in cases {
        let server = MockServer::start().await;
        answer(
            &server,
            acs_error(status, "Throttled").insert_header(header, value),
            u64::MAX,
            created(),
        )
        .await;
        let (client, attempts) = Setup::default().client(&server.uri());
        let start = Instant::now();
        let err = client.create_user(None).await.unwrap_err();
        assert_eq!(start.elapsed(), Duration::ZERO, "{header}: {value}");
        assert_eq!(attempts.requests().len(), 1, "{header}: {value}");
        assert_eq!(received(&server).await, 1);
        assert_eq!(err.http_status(), Some(StatusCode::from(status)));
        assert!(
            matches!(err.kind(), ErrorKind::HttpResponse { error_code: Some(c), .. } if c == "Throttled"),
            "{:?}",
            err.kind()
        );
        assert_eq!(
            CommunicationError::from_error(&err).unwrap().code,
            "Throttled"
        );
        let message = err.to_string();
        assert!(
            message.contains("the service asked to retry after")
                && message.contains(said)
                && message.contains("max_retry_after (1m 0s)")
                && message.contains("Throttled from the test server"),
            "{message}"
        );
    }
}

/// Without the limit, azure_core honours any `Retry-After`: one hour here (virtual).
/// This is the unbounded wait `max_retry_after` exists to prevent.
#[tokio::test(start_paused = true)]
async fn without_the_limit_azure_core_waits_as_long_as_asked() {
    let server = MockServer::start().await;
    answer(
        &server,
        acs_error(429, "TooManyRequests").insert_header("Retry-After", "3600"),
        1,
        created(),
    )
    .await;
    let (client, attempts) = Setup {
        max_retry_after: None,
        ..Default::default()
    }
    .client(&server.uri());
    let start = Instant::now();
    client.create_user(None).await.unwrap();
    assert!(start.elapsed() >= Duration::from_secs(3600));
    assert_eq!(attempts.requests().len(), 2);
}

/// Throttling that never stops: the default policy's 8 retries, then the 429.
#[tokio::test(start_paused = true)]
async fn persistent_throttling_ends_after_the_retry_budget() {
    let server = MockServer::start().await;
    answer(
        &server,
        acs_error(429, "TooManyRequests").insert_header("Retry-After", "1"),
        u64::MAX,
        created(),
    )
    .await;
    let (client, attempts) = Setup::default().client(&server.uri());
    let err = client.create_user(None).await.unwrap_err();
    assert_eq!(err.http_status(), Some(StatusCode::TooManyRequests));
    assert_eq!(
        CommunicationError::from_error(&err).unwrap().code,
        "TooManyRequests"
    );
    // 1 + 8 retries. (The 60 s `max_total_elapsed` budget is wall-clock time, which
    // the paused clock does not move; in real time it ends the loop earlier.)
    assert_eq!(attempts.requests().len(), 9);
    assert_eq!(received(&server).await, 9);
}

// ------------------------------------------------------------- server errors

#[tokio::test(start_paused = true)]
async fn transient_server_errors_then_success() {
    for status in [408u16, 500, 502, 503, 504] {
        let server = MockServer::start().await;
        answer(&server, acs_error(status, "Transient"), 2, created()).await;
        let (client, attempts) = Setup::default().client(&server.uri());
        let user = client.create_user(None).await.unwrap();
        assert_eq!(user.id(), USER_ID);
        assert_eq!(attempts.requests().len(), 3, "HTTP {status}");
        assert_eq!(received(&server).await, 3, "HTTP {status}");
    }
}

/// Every operation is retried, POST included (azure_core retries by status, not
/// by method).
#[tokio::test(start_paused = true)]
async fn every_operation_is_retried() {
    let token = serde_json::json!({"token": TOKEN, "expiresOn": "2030-01-01T00:00:00Z"});
    let ok: [(&str, ResponseTemplate); 6] = [
        ("create_user", created()),
        (
            "create_user_and_token",
            ResponseTemplate::new(201).set_body_json(
                serde_json::json!({"identity": {"id": USER_ID}, "accessToken": token}),
            ),
        ),
        (
            "get_token",
            ResponseTemplate::new(200).set_body_json(token.clone()),
        ),
        ("revoke_tokens", ResponseTemplate::new(204)),
        ("delete_user", ResponseTemplate::new(204)),
        (
            "get_token_for_teams_user",
            ResponseTemplate::new(200).set_body_json(token.clone()),
        ),
    ];
    for (operation, success) in ok {
        let server = MockServer::start().await;
        Mock::given(path_regex(".*"))
            .respond_with(acs_error(503, "ServiceUnavailable"))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(path_regex(".*"))
            .respond_with(success)
            .with_priority(2)
            .mount(&server)
            .await;
        let (client, attempts) = Setup::default().client(&server.uri());
        let scopes = [CommunicationTokenScope::Chat];
        let result = match operation {
            "create_user" => client.create_user(None).await.map(drop),
            "create_user_and_token" => client.create_user_and_token(&scopes, None).await.map(drop),
            "get_token" => client.get_token(&user(), &scopes, None).await.map(drop),
            "revoke_tokens" => client.revoke_tokens(&user(), None).await,
            "delete_user" => client.delete_user(&user(), None).await,
            _ => client
                .get_token_for_teams_user("aad-token", "app-id", "object-id", None)
                .await
                .map(drop),
        };
        result.unwrap_or_else(|e| panic!("{operation}: {e}"));
        assert_eq!(attempts.requests().len(), 2, "{operation}");
    }
}

#[tokio::test(start_paused = true)]
async fn persistent_server_error_keeps_status_and_body_after_the_retries() {
    let server = MockServer::start().await;
    answer(
        &server,
        acs_error(500, "InternalError"),
        u64::MAX,
        created(),
    )
    .await;
    let (client, attempts) = Setup {
        retry: retries(3),
        ..Default::default()
    }
    .client(&server.uri());
    let err = client.create_user(None).await.unwrap_err();
    assert_eq!(err.http_status(), Some(StatusCode::InternalServerError));
    assert_eq!(
        CommunicationError::from_error(&err).unwrap().code,
        "InternalError"
    );
    assert_eq!(attempts.requests().len(), 4);
}

#[tokio::test(start_paused = true)]
async fn client_errors_are_not_retried() {
    for status in [400u16, 401, 403, 404, 409] {
        let server = MockServer::start().await;
        answer(
            &server,
            acs_error(status, "NotTransient"),
            u64::MAX,
            created(),
        )
        .await;
        let (client, attempts) = Setup::default().client(&server.uri());
        let err = client.create_user(None).await.unwrap_err();
        assert_eq!(err.http_status(), Some(StatusCode::from(status)));
        assert_eq!(attempts.requests().len(), 1, "HTTP {status}");
    }
}

// ------------------------------------------------------------------- bodies

#[tokio::test(start_paused = true)]
async fn malformed_success_json_is_an_error_that_keeps_the_status_and_is_not_retried() {
    for (status, body) in [
        (201u16, "{\"identity\": {\"id\": "),
        (201, "<html>hello</html>"),
        (201, ""),
        (201, "{\"identity\": 42}"),
    ] {
        let server = MockServer::start().await;
        answer(
            &server,
            ResponseTemplate::new(status).set_body_string(body),
            u64::MAX,
            created(),
        )
        .await;
        let (client, attempts) = Setup::default().client(&server.uri());
        let err = client.create_user(None).await.unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::DataConversion), "{body}");
        assert!(
            err.to_string().contains(&format!("HTTP {status}")),
            "{body}: {err}"
        );
        assert_eq!(attempts.requests().len(), 1, "{body}");
    }
    // get_token: 200 with a token but no expiry.
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(200).set_body_json(serde_json::json!({"token": TOKEN})),
        u64::MAX,
        created(),
    )
    .await;
    let (client, attempts) = Setup::default().client(&server.uri());
    let err = client
        .get_token(&user(), &[CommunicationTokenScope::Chat], None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("HTTP 200"), "{err}");
    assert!(!err.to_string().contains(TOKEN), "the token leaked: {err}");
    assert_eq!(attempts.requests().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn empty_and_non_json_error_bodies_keep_the_status() {
    for (status, body, expected_attempts) in [
        (400u16, "", 1),
        (401, "Unauthorized", 1),
        (404, "<html><body>Not found</body></html>", 1),
        (502, "", 3),
        (503, "<html>upstream unavailable</html>", 3),
        (500, "\u{0}\u{1}garbage", 3),
    ] {
        let server = MockServer::start().await;
        answer(
            &server,
            ResponseTemplate::new(status).set_body_string(body),
            u64::MAX,
            created(),
        )
        .await;
        let (client, attempts) = Setup {
            retry: retries(2),
            ..Default::default()
        }
        .client(&server.uri());
        let err = client.create_user(None).await.unwrap_err();
        assert_eq!(err.http_status(), Some(StatusCode::from(status)), "{body}");
        assert!(CommunicationError::from_error(&err).is_none(), "{body}");
        assert_eq!(
            attempts.requests().len(),
            expected_attempts,
            "HTTP {status} {body:?}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn very_large_bodies_do_not_crash() {
    const MIB: usize = 1024 * 1024;
    // A 201 with a 16 MiB unknown field: parsed, the identity is returned.
    let server = MockServer::start().await;
    let big = serde_json::json!({"identity": {"id": USER_ID}, "padding": "x".repeat(16 * MIB)});
    answer(
        &server,
        ResponseTemplate::new(201).set_body_json(big),
        u64::MAX,
        created(),
    )
    .await;
    let (client, attempts) = Setup::default().client(&server.uri());
    assert_eq!(client.create_user(None).await.unwrap().id(), USER_ID);
    assert_eq!(attempts.requests().len(), 1);

    // A 200 of 16 MiB garbage: a DataConversion error that keeps the status and
    // does not quote the body.
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(200).set_body_string("z".repeat(16 * MIB)),
        u64::MAX,
        created(),
    )
    .await;
    let (client, attempts) = Setup::default().client(&server.uri());
    let err = client
        .get_token(&user(), &[CommunicationTokenScope::Chat], None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("HTTP 200"));
    assert!(
        err.to_string().len() < 1024,
        "{} bytes",
        err.to_string().len()
    );
    assert_eq!(attempts.requests().len(), 1);

    // A 400 with an 8 MiB non-JSON body: the status is kept. azure_core quotes a
    // non-JSON error body in full in the message (documented in docs/reliability.md).
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(400).set_body_string("e".repeat(8 * MIB)),
        u64::MAX,
        created(),
    )
    .await;
    let (client, attempts) = Setup::default().client(&server.uri());
    let err = client.create_user(None).await.unwrap_err();
    assert_eq!(err.http_status(), Some(StatusCode::BadRequest));
    assert_eq!(attempts.requests().len(), 1);
}

// ------------------------------------------------------- connection faults

#[derive(Clone, Copy, Debug)]
enum Fault {
    /// Part of the status line and headers, then a reset (RST).
    ResetInHeaders,
    /// Complete headers promising 1000 bytes, 10 bytes, then a reset.
    ResetInBody,
    /// Reads the request and never answers (the connection stays open).
    NeverAnswer,
    /// Complete headers promising 1000 bytes, 10 bytes, then silence.
    StallInBody,
}

/// A loopback server that applies `faults[i]` to the i-th request and answers
/// the following ones with a 201. Returns its endpoint and the count of complete
/// requests it received.
async fn faulty_server(faults: Vec<Fault>) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let seen = requests.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let seen = seen.clone();
            let faults = faults.clone();
            tokio::spawn(async move {
                while read_request(&mut stream).await.is_some() {
                    let i = seen.fetch_add(1, Ordering::SeqCst);
                    let partial_body =
                        b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"identity";
                    match faults.get(i) {
                        Some(Fault::ResetInHeaders) => {
                            let _ = stream
                                .write_all(b"HTTP/1.1 201 Created\r\nContent-Le")
                                .await;
                            let _ = stream.set_zero_linger();
                            return;
                        }
                        Some(Fault::ResetInBody) => {
                            let _ = stream.write_all(partial_body).await;
                            let _ = stream.set_zero_linger();
                            return;
                        }
                        Some(Fault::NeverAnswer) => {
                            let mut sink = [0u8; 1024];
                            while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
                            return;
                        }
                        Some(Fault::StallInBody) => {
                            let _ = stream.write_all(partial_body).await;
                            let mut sink = [0u8; 1024];
                            while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
                            return;
                        }
                        None => {
                            let body = format!(r#"{{"identity":{{"id":"{USER_ID}"}}}}"#);
                            let head = format!(
                                "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                                body.len()
                            );
                            if stream.write_all(head.as_bytes()).await.is_err()
                                || stream.write_all(body.as_bytes()).await.is_err()
                            {
                                return;
                            }
                        }
                    }
                }
            });
        }
    });
    (endpoint, requests)
}

#[tokio::test(start_paused = true)]
async fn connection_refused_is_retried_then_a_connection_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let (client, attempts) = Setup::default().client(&format!("http://127.0.0.1:{port}"));
    let err = client.create_user(None).await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Connection),
        "{:?}: {}",
        err.kind(),
        chain(&err)
    );
    // 1 + the default 8 retries.
    assert_eq!(attempts.requests().len(), 9);
    assert!(
        err.to_string()
            .contains("the retry policy's limit was reached"),
        "{}",
        chain(&err)
    );
}

#[tokio::test(start_paused = true)]
async fn connection_reset_mid_response_is_retried_then_an_io_error() {
    for fault in [Fault::ResetInHeaders, Fault::ResetInBody] {
        let (endpoint, requests) = faulty_server(vec![fault; 10]).await;
        let (client, attempts) = Setup {
            retry: retries(2),
            ..Default::default()
        }
        .client(&endpoint);
        let err = client.create_user(None).await.unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::Io),
            "{fault:?}: {:?} {}",
            err.kind(),
            chain(&err)
        );
        assert_eq!(attempts.requests().len(), 3, "{fault:?}");
        assert_eq!(requests.load(Ordering::SeqCst), 3, "{fault:?}");
    }
}

/// The answer to the first attempt is lost after the service received the whole
/// request; the retry succeeds. A real service would have created two identities:
/// the first is orphaned (docs/reliability.md).
#[tokio::test(start_paused = true)]
async fn reset_then_success_delivers_the_create_twice() {
    for fault in [
        Fault::ResetInHeaders,
        Fault::ResetInBody,
        Fault::NeverAnswer,
    ] {
        let (endpoint, requests) = faulty_server(vec![fault]).await;
        let (client, attempts) = Setup {
            request_timeout: Some(DEFAULT_REQUEST_TIMEOUT),
            ..Default::default()
        }
        .client(&endpoint);
        assert_eq!(client.create_user(None).await.unwrap().id(), USER_ID);
        assert_eq!(attempts.requests().len(), 2, "{fault:?}");
        assert_eq!(
            requests.load(Ordering::SeqCst),
            2,
            "{fault:?}: the service received the create twice"
        );
    }
}

/// A server that accepts and never answers: the default per-try timeout (30 s)
/// ends each attempt; the call ends with an Io error naming `request_timeout`.
#[tokio::test(start_paused = true)]
async fn a_server_that_never_answers_times_out() {
    for fault in [Fault::NeverAnswer, Fault::StallInBody] {
        let (endpoint, requests) = faulty_server(vec![fault; 10]).await;
        let (client, attempts) = Setup {
            retry: retries(2),
            request_timeout: CommunicationIdentityClientOptions::default().request_timeout,
            ..Default::default()
        }
        .client(&endpoint);
        let start = Instant::now();
        let err = client.create_user(None).await.unwrap_err();
        let elapsed = start.elapsed();
        assert!(matches!(err.kind(), ErrorKind::Io), "{:?}", err.kind());
        let message = err.to_string();
        assert!(
            message.contains("no response within 30s (request_timeout)")
                && message.contains("the retry policy's limit was reached"),
            "{fault:?}: {message}"
        );
        assert_eq!(attempts.requests().len(), 3, "{fault:?}");
        assert_eq!(requests.load(Ordering::SeqCst), 3, "{fault:?}");
        // Three 30 s attempts plus two back-offs (virtual time).
        assert!(elapsed >= Duration::from_secs(90), "{elapsed:?}");
        assert!(elapsed < Duration::from_secs(95), "{elapsed:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn request_timeout_is_configurable_and_can_be_turned_off_for_one_attempt() {
    let (endpoint, requests) = faulty_server(vec![Fault::NeverAnswer; 10]).await;
    let (client, attempts) = Setup {
        retry: RetryOptions::none(),
        request_timeout: Some(Duration::from_secs(2)),
        ..Default::default()
    }
    .client(&endpoint);
    let start = Instant::now();
    let err = client.create_user(None).await.unwrap_err();
    assert_eq!(start.elapsed(), Duration::from_secs(2));
    assert!(err.to_string().contains("no response within 2s"), "{err}");
    assert_eq!(attempts.requests().len(), 1);
    assert_eq!(requests.load(Ordering::SeqCst), 1);
}
