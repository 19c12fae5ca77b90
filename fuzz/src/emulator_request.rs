//! The `emulator_request` target: any request through the emulator's service, in
//! process (no socket), from `EmulatorBuilder::service`.
//!
//! Input (text-friendly, so seeds are readable):
//!
//! ```text
//! <flag><METHOD> <target>\n    `s` (or any odd byte) signs the request, `n` (any even byte) does not
//! <name>: <value>\n            request headers, up to an empty line
//! \n
//! <body>
//! ```
//!
//! A signed request gets `x-ms-date`, `host`, `x-ms-content-sha256` and an
//! `Authorization: HMAC-SHA256 ...` header over its method, target and body with the
//! emulator's [`DEFAULT_ACCESS_KEY`], as `common/src/auth/signing.rs` signs, so that it
//! passes authentication and reaches the handlers.

use crate::runtime;
use acs_identity_emulator::{Emulator, ManualClock, DEFAULT_ACCESS_KEY};
use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Method, Request, Uri};
use base64::{engine::general_purpose::STANDARD, Engine};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use tower::ServiceExt;

/// The emulator's clock stands here, and signed requests are dated with it.
const NOW_UNIX: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z
/// `NOW_UNIX` as an HTTP date.
const NOW_HTTP: &str = "Thu, 01 Jan 2026 00:00:00 GMT";
/// The `Host` of every request.
const HOST: &str = "127.0.0.1:8080";
/// The most request headers one input sets.
const MAX_HEADERS: usize = 32;

/// The `Authorization`, `x-ms-date` and `x-ms-content-sha256` values for a request.
pub fn sign(method: &str, path_and_query: &str, body: &[u8]) -> [(&'static str, String); 3] {
    let key = STANDARD
        .decode(DEFAULT_ACCESS_KEY)
        .expect("the key is base64");
    let hash = STANDARD.encode(Sha256::digest(body));
    let to_sign = format!("{method}\n{path_and_query}\n{NOW_HTTP};{HOST};{hash}");
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("any key length");
    mac.update(to_sign.as_bytes());
    let signature = STANDARD.encode(mac.finalize().into_bytes());
    [
        (
            "authorization",
            format!(
                "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={signature}"
            ),
        ),
        ("x-ms-date", NOW_HTTP.to_owned()),
        ("x-ms-content-sha256", hash),
    ]
}

/// `target` as a URI path and query: bytes a URI cannot hold are percent-encoded,
/// and a missing leading `/` is added.
fn target(raw: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(raw.len() + 1);
    if raw.first() != Some(&b'/') {
        out.push('/');
    }
    for &b in raw {
        if b.is_ascii_graphic()
            && !matches!(
                b,
                b'#' | b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}'
            )
        {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
    out
}

/// The request an input describes, and whether it is signed.
fn parse(data: &[u8]) -> (Request<Body>, bool) {
    let flags = data.first().copied().unwrap_or(0);
    let signed = flags & 1 == 1;
    let rest = data.get(1..).unwrap_or_default();
    let (line, mut rest) = split_line(rest);
    let (method, raw_target) = match line.iter().position(|&b| b == b' ') {
        Some(i) => (&line[..i], &line[i + 1..]),
        None => (line, &b"/"[..]),
    };
    let method = Method::from_bytes(method).unwrap_or(Method::POST);
    let mut target = target(raw_target);
    let uri = match target.parse::<Uri>() {
        Ok(uri) => uri,
        Err(_) => {
            target = "/".to_owned();
            Uri::from_static("/")
        }
    };
    let mut headers = Vec::new();
    let body = loop {
        let Some(next) = rest else {
            break Vec::new();
        };
        let (line, after) = split_line(next);
        if line.is_empty() {
            break after.unwrap_or_default().to_vec();
        }
        if after.is_none() {
            break line.to_vec();
        }
        if let Some(colon) = line.iter().position(|&b| b == b':') {
            let name = HeaderName::from_bytes(line[..colon].trim_ascii());
            let value = HeaderValue::from_bytes(line[colon + 1..].trim_ascii());
            if let (Ok(name), Ok(value)) = (name, value) {
                if headers.len() < MAX_HEADERS {
                    headers.push((name, value));
                }
            }
        }
        rest = after;
    };
    let mut request = Request::builder()
        .method(method.clone())
        .uri(uri)
        .body(Body::empty())
        .expect("a valid method and URI");
    let map = request.headers_mut();
    map.insert("host", HeaderValue::from_static(HOST));
    for (name, value) in headers {
        map.append(name, value);
    }
    if signed {
        for (name, value) in sign(method.as_str(), &target, &body) {
            map.insert(name, HeaderValue::from_str(&value).expect("ASCII"));
        }
        map.insert("host", HeaderValue::from_static(HOST));
    }
    *request.body_mut() = Body::from(body);
    (request, signed)
}

/// `(line, rest after the '\n')`; `rest` is `None` when there is no `'\n'`.
fn split_line(data: &[u8]) -> (&[u8], Option<&[u8]>) {
    match data.iter().position(|&b| b == b'\n') {
        Some(i) => {
            let line = &data[..i];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            (line, Some(&data[i + 1..]))
        }
        None => (data, None),
    }
}

/// A signed `POST /identities` with body `{}`.
fn create_identity() -> Request<Body> {
    let target = "/identities?api-version=2023-10-01";
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(target)
        .header("host", HOST)
        .header("content-type", "application/json")
        .body(Body::from("{}"))
        .expect("valid");
    for (name, value) in sign("POST", target, b"{}") {
        request
            .headers_mut()
            .insert(name, HeaderValue::from_str(&value).expect("ASCII"));
    }
    request
}

/// One request (see the module docs) through a fresh emulator's service (no faults
/// configured), then a valid signed create on the same service.
///
/// Invariants: no panic; never a 5xx; every 4xx answer (but to `HEAD`) has an ACS
/// error body (`{"error":{"code":...,"message":...}}`); afterwards the emulator still
/// creates an identity (201).
pub fn emulator_request(data: &[u8]) {
    let (request, _signed) = parse(data);
    let method = request.method().clone();
    let clock = ManualClock::new(
        time::OffsetDateTime::from_unix_timestamp(NOW_UNIX).expect("a valid time"),
    );
    let service = Emulator::builder()
        .clock(Arc::new(clock))
        .service()
        .expect("the default settings are valid");
    runtime().block_on(async {
        let response = service
            .clone()
            .oneshot(request)
            .await
            .unwrap_or_else(|never| match never {});
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("an in-memory body");
        assert!(
            !status.is_server_error(),
            "HTTP {status}: {}",
            String::from_utf8_lossy(&body)
        );
        if status.is_client_error() && method != Method::HEAD {
            let json: serde_json::Value = serde_json::from_slice(&body).unwrap_or_else(|_| {
                panic!(
                    "HTTP {status} without a JSON body: {}",
                    String::from_utf8_lossy(&body)
                )
            });
            assert!(
                json["error"]["code"].is_string() && json["error"]["message"].is_string(),
                "HTTP {status} without an ACS error body: {json}"
            );
        }
        let after = service
            .oneshot(create_identity())
            .await
            .unwrap_or_else(|never| match never {});
        let after_status = after.status();
        let body = axum::body::to_bytes(after.into_body(), usize::MAX)
            .await
            .expect("an in-memory body");
        assert_eq!(
            after_status,
            201,
            "a valid create after the input: {}",
            String::from_utf8_lossy(&body)
        );
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_create_is_created() {
        let (request, signed) = parse(
            b"sPOST /identities?api-version=2023-10-01\ncontent-type: application/json\n\n{}",
        );
        assert!(signed);
        assert_eq!(request.uri(), "/identities?api-version=2023-10-01");
        assert!(request.headers().contains_key("authorization"));
        emulator_request(b"sPOST /identities?api-version=2023-10-01\n\n{}");
    }

    #[test]
    fn odd_targets_become_uris() {
        assert_eq!(target(b"identities/a b"), "/identities/a%20b");
        assert_eq!(target(b"/x#y\xff"), "/x%23y%FF");
    }
}
