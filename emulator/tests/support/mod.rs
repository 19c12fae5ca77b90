//! Shared by the emulator's integration tests: a raw HTTP/1.1 client (requests go out byte for
//! byte as written, answers are parsed leniently) and an HMAC-SHA256 signer written
//! independently of the emulator's verifier.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::net::SocketAddr;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const KEY: &str = acs_identity_emulator::DEFAULT_ACCESS_KEY;

/// The api-version with `customId` and `GET /identities/{id}`.
pub const PREVIEW: &str = "2025-03-02-preview";

#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Asserts an ACS error answer (status, `Content-Type: application/json`, code) and
    /// returns its `error` object.
    pub fn error(&self, status: u16, code: &str) -> serde_json::Value {
        assert_eq!(self.status, status, "body: {}", self.text());
        assert_eq!(
            self.header("content-type"),
            Some("application/json"),
            "body: {}",
            self.text()
        );
        let v = self.json();
        assert_eq!(v["error"]["code"], code, "body: {}", self.text());
        v["error"].clone()
    }
}

/// Sends one request exactly as given (`Connection: close`) and reads the whole answer.
pub async fn raw(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, String)],
    body: &[u8],
) -> RawResponse {
    let mut req = format!("{method} {target} HTTP/1.1\r\n");
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        req.push_str(&format!("Host: {addr}\r\n"));
    }
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(req.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut buf = Vec::new();
    stream.read_to_end(&mut buf).await.unwrap();
    parse(&buf).unwrap_or_else(|| panic!("no HTTP answer: {:?}", String::from_utf8_lossy(&buf)))
}

/// An HTTP/1.1 answer (chunked bodies decoded); `None` without a complete status line and head.
pub fn parse(buf: &[u8]) -> Option<RawResponse> {
    let split = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&buf[..split]);
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            Some((k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        })
        .collect();
    let mut body = buf[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Some(RawResponse {
        status,
        headers,
        body,
    })
}

/// Decodes a chunked body, stopping at the last complete chunk.
fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let Ok(n) = usize::from_str_radix(String::from_utf8_lossy(&b[..eol]).trim(), 16) else {
            break;
        };
        if n == 0 || b.len() < eol + 2 + n {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + n]);
        b = &b[(eol + 4 + n).min(b.len())..];
    }
    out
}

pub fn bearer() -> Vec<(&'static str, String)> {
    vec![("Authorization", "Bearer test-token".to_owned())]
}

/// RFC 1123 date of a time.
pub fn http_date(t: time::OffsetDateTime) -> String {
    let wd = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        [t.weekday().number_days_from_monday() as usize];
    let mo = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][u8::from(t.month()) as usize - 1];
    format!(
        "{wd}, {:02} {mo} {} {:02}:{:02}:{:02} GMT",
        t.day(),
        t.year(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

pub fn content_hash(body: &[u8]) -> String {
    STANDARD.encode(Sha256::digest(body))
}

pub fn signature(key_b64: &str, string_to_sign: &str) -> String {
    let key = STANDARD.decode(key_b64).unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(string_to_sign.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// HMAC headers (Host included) for a request, signed the way the SDKs do it.
pub fn hmac_headers(
    key_b64: &str,
    method: &str,
    path_and_query: &str,
    host: &str,
    date: &str,
    body: &[u8],
) -> Vec<(&'static str, String)> {
    let hash = content_hash(body);
    let sts = format!("{method}\n{path_and_query}\n{date};{host};{hash}");
    vec![
        ("Host", host.to_owned()),
        ("x-ms-date", date.to_owned()),
        ("x-ms-content-sha256", hash),
        (
            "Authorization",
            format!(
                "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={}",
                signature(key_b64, &sts)
            ),
        ),
    ]
}

/// Signs with the real time (for emulators on the system clock).
pub fn hmac_now(
    addr: SocketAddr,
    method: &str,
    path_and_query: &str,
    body: &[u8],
) -> Vec<(&'static str, String)> {
    hmac_headers(
        KEY,
        method,
        path_and_query,
        &addr.to_string(),
        &http_date(time::OffsetDateTime::now_utc()),
        body,
    )
}

pub fn encode_id(id: &str) -> String {
    id.replace(':', "%3A")
}

/// Creates an identity with a bearer token and returns its id.
pub async fn create_user(addr: SocketAddr) -> String {
    let r = raw(
        addr,
        "POST",
        "/identities?api-version=2023-10-01",
        &bearer(),
        b"",
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()["identity"]["id"].as_str().unwrap().to_owned()
}

/// Issues a `chat` token (api-version 2023-10-01, bearer) and returns it.
pub async fn issue_chat_token(addr: SocketAddr, id: &str) -> String {
    let r = raw(
        addr,
        "POST",
        &format!(
            "/identities/{}/:issueAccessToken?api-version=2023-10-01",
            encode_id(id)
        ),
        &bearer(),
        br#"{"scopes":["chat"]}"#,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["token"].as_str().unwrap().to_owned()
}

/// `POST /identities` with a body, in api-version `v` (bearer).
pub async fn create(addr: SocketAddr, v: &str, body: &serde_json::Value) -> RawResponse {
    raw(
        addr,
        "POST",
        &format!("/identities?api-version={v}"),
        &bearer(),
        body.to_string().as_bytes(),
    )
    .await
}

/// `GET /identities/{id}` in api-version `v` (bearer).
pub async fn get_identity(addr: SocketAddr, id: &str, v: &str) -> RawResponse {
    raw(
        addr,
        "GET",
        &format!("/identities/{}?api-version={v}", encode_id(id)),
        &bearer(),
        b"",
    )
    .await
}

/// The request target of one Teams Extension assignment.
pub fn assignment_target(tenant_id: &str, object_id: &str, v: &str) -> String {
    format!("/access/teamsExtension/tenants/{tenant_id}/assignments/{object_id}?api-version={v}")
}

/// `method` on one Teams Extension assignment in api-version `v` (bearer).
pub async fn assignment(
    addr: SocketAddr,
    method: &str,
    (tenant_id, object_id): (&str, &str),
    v: &str,
    body: &[u8],
) -> RawResponse {
    raw(
        addr,
        method,
        &assignment_target(tenant_id, object_id, v),
        &bearer(),
        body,
    )
    .await
}

/// The request target of one Entra assignment.
pub fn entra_assignment_target(object_id: &str, v: &str) -> String {
    format!("/access/entra/assignments/{object_id}?api-version={v}")
}

/// `method` on one Entra assignment in api-version `v` (bearer).
pub async fn entra_assignment(
    addr: SocketAddr,
    method: &str,
    object_id: &str,
    v: &str,
    body: &[u8],
) -> RawResponse {
    raw(
        addr,
        method,
        &entra_assignment_target(object_id, v),
        &bearer(),
        body,
    )
    .await
}

/// `PATCH /access/entra/assignments` (merge-patch, bearer) in api-version `2025-03-02-preview`.
pub async fn patch_entra_assignments(addr: SocketAddr, body: &serde_json::Value) -> RawResponse {
    let mut headers = bearer();
    headers.push(("Content-Type", "application/merge-patch+json".to_owned()));
    raw(
        addr,
        "PATCH",
        &format!("/access/entra/assignments?api-version={PREVIEW}"),
        &headers,
        body.to_string().as_bytes(),
    )
    .await
}
