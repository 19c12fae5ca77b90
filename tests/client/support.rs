//! Shared helpers for the client tests: a wiremock server with an independent
//! HMAC verifier, and a client wired to it.

use acs_identity::{CommunicationIdentityClient, CommunicationIdentityClientOptions};
use azure_core::http::{ClientOptions, RetryOptions};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use wiremock::{matchers::any, Mock, MockServer, Request, ResponseTemplate};

/// The access key the test resource uses (base64 of 32 bytes).
pub const KEY: &str = "a2V5LWZvci10ZXN0cy1vbmx5LW5vdC1hLXJlYWwtb25lIQ==";
pub const USER_ID: &str =
    "8:acs:2dee53b4-368b-45b4-ab52-8493fb117652_00000005-14a2-493b-8a72-5a3a0d000081";
pub const USER_ID_ENCODED: &str =
    "8%3Aacs%3A2dee53b4-368b-45b4-ab52-8493fb117652_00000005-14a2-493b-8a72-5a3a0d000081";
/// A JWT-shaped token string used in canned responses.
pub const TOKEN: &str =
    "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3MDAwMDAwMDB9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg";

pub fn connection_string(server: &MockServer) -> String {
    format!("endpoint={}/;accesskey={KEY}", server.uri())
}

/// Options with retries off, so one mock answer = one attempt.
pub fn no_retry() -> CommunicationIdentityClientOptions {
    CommunicationIdentityClientOptions {
        client_options: ClientOptions {
            retry: RetryOptions::none(),
            ..Default::default()
        },
        ..Default::default()
    }
}

pub fn client(server: &MockServer) -> CommunicationIdentityClient {
    CommunicationIdentityClient::from_connection_string(
        &connection_string(server),
        Some(no_retry()),
    )
    .expect("client")
}

/// A client of `server` at `api_version`, retries off.
pub fn client_at(server: &MockServer, api_version: &str) -> CommunicationIdentityClient {
    CommunicationIdentityClient::from_connection_string(
        &connection_string(server),
        Some(CommunicationIdentityClientOptions {
            api_version: api_version.to_owned(),
            ..no_retry()
        }),
    )
    .expect("client")
}

/// A server that answers every request with `template`.
pub async fn answering(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

/// The one request `server` received.
pub async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "exactly one request");
    requests.remove(0)
}

/// Asserts that `server` received nothing.
pub async fn nothing_sent(server: &MockServer) {
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// The `InvalidArgument` inside `err`, or a panic that shows `err`.
pub fn invalid(err: &azure_core::Error) -> &acs_identity::InvalidArgument {
    err.downcast_ref::<acs_identity::InvalidArgument>()
        .unwrap_or_else(|| panic!("expected an InvalidArgument, got {err:?}"))
}

pub fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

/// Recomputes the HMAC signature from what the server received, independently of
/// the crate's signer, and panics with a precise message when anything differs.
pub fn assert_signed(request: &Request, key_b64: &str) {
    let body_hash = azure_core::base64::encode(Sha256::digest(&request.body));
    assert_eq!(
        header(request, "x-ms-content-sha256"),
        Some(body_hash.as_str()),
        "x-ms-content-sha256 must be the SHA-256 of the exact body bytes"
    );
    let date = header(request, "x-ms-date").expect("x-ms-date header");
    assert!(
        azure_core::time::parse_rfc7231(date).is_ok(),
        "x-ms-date must be IMF-fixdate, got {date}"
    );
    let host = header(request, "host").expect("host header");
    let mut path_and_query = request.url.path().to_owned();
    if let Some(q) = request.url.query() {
        path_and_query.push('?');
        path_and_query.push_str(q);
    }
    let string_to_sign = format!(
        "{}\n{}\n{};{};{}",
        request.method.as_str(),
        path_and_query,
        date,
        host,
        body_hash
    );
    let key = azure_core::base64::decode(key_b64).unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(string_to_sign.as_bytes());
    let expected = format!(
        "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={}",
        azure_core::base64::encode(mac.finalize().into_bytes())
    );
    assert_eq!(
        header(request, "authorization"),
        Some(expected.as_str()),
        "signature mismatch for string to sign {string_to_sign:?}"
    );
}

/// Asserts the headers every request carries.
pub fn assert_common_headers(request: &Request) {
    assert_eq!(header(request, "accept"), Some("application/json"));
    let ua = header(request, "user-agent").expect("user-agent");
    assert!(
        ua.starts_with("azsdk-rust-acs-identity/"),
        "user agent {ua}"
    );
    let request_id = header(request, "x-ms-client-request-id").expect("x-ms-client-request-id");
    assert_eq!(request_id.len(), 36, "request id {request_id}");
    // Exactly these headers, nothing more (`accept-encoding` from azure_core's
    // default transport, reqwest with gzip and deflate).
    let mut names: Vec<&str> = request.headers.keys().map(|n| n.as_str()).collect();
    names.sort_unstable();
    let mut expected = vec![
        "accept",
        "accept-encoding",
        "authorization",
        "host",
        "user-agent",
        "x-ms-client-request-id",
        "x-ms-content-sha256",
        "x-ms-date",
    ];
    if !matches!(request.method.as_str(), "DELETE" | "GET") {
        expected.push("content-length");
    }
    if !request.body.is_empty() {
        expected.push("content-type");
    }
    expected.sort_unstable();
    assert_eq!(names, expected, "{} {}", request.method, request.url);
}

/// Reads one HTTP/1.1 request (headers and a Content-Length body); `None` at EOF.
pub async fn read_request(stream: &mut tokio::net::TcpStream) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                return Some(buf);
            }
        }
        let n = tokio::io::AsyncReadExt::read(stream, &mut chunk)
            .await
            .ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}
