//! Bad input never makes the emulator answer 5xx or crash. Requests go out as raw
//! bytes: malformed paths, methods, headers, bodies, huge bodies (over the
//! documented 64 KiB limit) and invalid UTF-8 everywhere.
//!
//! * Well-formed HTTP carrying bad content gets a 4xx with an ACS error body
//!   (`{"error":{"code","message"}}`).
//! * Malformed HTTP syntax is refused by hyper before the emulator sees it: a 4xx
//!   (400 / 431) with an empty body (an incomplete request may instead see the
//!   connection closed); never a 5xx.
//!
//! After every case the server must still answer.

use crate::support::{bearer, create_user, hmac_now, parse, RawResponse};
use std::{net::SocketAddr, time::Duration};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

const V: &str = "api-version=2023-10-01";

/// Sends `bytes` and reads until the server closes (requests say `Connection:
/// close`). `None` when the server closed without answering. The 10 s bound only
/// guards against a hang.
async fn send(addr: SocketAddr, bytes: Vec<u8>) -> Option<RawResponse> {
    exchange(addr, bytes, false).await
}

/// Like [`send`]; with `half_close` the client then shuts its sending side, for
/// requests that are incomplete on purpose (hyper closes such a connection
/// without answering).
async fn exchange(addr: SocketAddr, bytes: Vec<u8>, half_close: bool) -> Option<RawResponse> {
    let exchange = async move {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let (mut read, mut write) = stream.split();
        let writer = async {
            let _ = write.write_all(&bytes).await;
            if half_close {
                let _ = write.shutdown().await;
            }
        };
        let mut buf = Vec::new();
        let reader = async {
            let _ = read.read_to_end(&mut buf).await;
        };
        tokio::join!(writer, reader);
        buf
    };
    let buf = tokio::time::timeout(Duration::from_secs(10), exchange)
        .await
        .expect("the server neither answered nor closed the connection");
    parse(&buf)
}

/// A well-formed request: `head` lines (method, target and headers, without the
/// framing headers) plus a body with its Content-Length.
fn request(method: &str, target: &[u8], headers: &[(&str, Vec<u8>)], body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(method.as_bytes());
    out.push(b' ');
    out.extend_from_slice(target);
    out.extend_from_slice(b" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    for (k, v) in headers {
        out.extend_from_slice(k.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(v);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    out.extend_from_slice(body);
    out
}

fn auth() -> Vec<(&'static str, Vec<u8>)> {
    bearer()
        .into_iter()
        .map(|(k, v)| (k, v.into_bytes()))
        .collect()
}

fn assert_acs_4xx(case: &str, answer: Option<RawResponse>) {
    let r = answer.unwrap_or_else(|| panic!("{case}: no answer"));
    let status = r.status;
    assert!(
        (400..500).contains(&status),
        "{case}: HTTP {status} {}",
        r.text()
    );
    let json: serde_json::Value = serde_json::from_slice(&r.body).unwrap_or_else(|_| {
        panic!(
            "{case}: HTTP {status} without an ACS error body: {:?}",
            r.text()
        )
    });
    assert!(
        json["error"]["code"].is_string() && json["error"]["message"].is_string(),
        "{case}: {json}"
    );
}

async fn assert_alive(addr: SocketAddr, case: &str) {
    let answer = send(addr, request("GET", b"/_emulator/health", &[], b"")).await;
    assert_eq!(answer.map(|a| a.status), Some(200), "dead after {case}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_get_a_4xx_with_an_acs_error_and_never_a_5xx() {
    let emu = acs_identity_emulator::Emulator::builder()
        .start()
        .await
        .unwrap();
    let addr = emu.local_addr();
    let id = create_user(addr).await;
    let issue = format!(
        "/identities/{}/:issueAccessToken?{V}",
        id.replace(':', "%3A")
    );
    let chat = br#"{"scopes":["chat"]}"#.to_vec();

    let mut cases: Vec<(String, Vec<u8>)> = Vec::new();
    let mut add = |name: &str, bytes: Vec<u8>| cases.push((name.to_owned(), bytes));

    // Paths.
    for target in [
        "/".to_owned(),
        format!("/?{V}"),
        format!("/identities//:issueAccessToken?{V}"),
        format!("/identities/%00/:issueAccessToken?{V}"),
        format!("/identities/%C3%28/:issueAccessToken?{V}"),
        format!("/identities/%FF%FE?{V}"),
        format!("/identities/{}/:issueAccessToken?{V}", "a".repeat(20_000)),
        format!("{issue}/extra"),
        format!("/identities/x/:issueAccessToken/:issueAccessToken?{V}"),
        format!("/%2e%2e/identities?{V}"),
        "/identities".to_owned(),
        "/identities?api-version=".to_owned(),
        "/identities?api-version=%C3%28".to_owned(),
        "/identities?api-version=2023-10-01&api-version=2099-01-01".to_owned(),
        format!("/teamsUser/:exchangeAccessToken/x?{V}"),
    ] {
        add(
            &format!("POST {target:.60}"),
            request("POST", target.as_bytes(), &auth(), b"{}"),
        );
    }
    // Methods.
    for method in ["PUT", "PATCH", "OPTIONS", "TRACE", "FOO", "GET", "CONNECTX"] {
        add(
            &format!("{method} /identities"),
            request(
                method,
                format!("/identities?{V}").as_bytes(),
                &auth(),
                b"{}",
            ),
        );
        add(
            &format!("{method} issue"),
            request(method, issue.as_bytes(), &auth(), &chat),
        );
    }
    // Headers.
    for (name, authorization) in [
        ("no auth", None),
        ("HMAC garbage", Some(b"HMAC-SHA256 garbage".to_vec())),
        (
            "HMAC bad base64",
            Some(
                b"HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=!!!"
                    .to_vec(),
            ),
        ),
        (
            "HMAC no date",
            Some(
                b"HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=AAAA"
                    .to_vec(),
            ),
        ),
        (
            "HMAC unknown signed header",
            Some(b"HMAC-SHA256 SignedHeaders=nope&Signature=AAAA".to_vec()),
        ),
        ("empty Bearer", Some(b"Bearer ".to_vec())),
        ("Basic", Some(b"Basic dXNlcjpwdw==".to_vec())),
        (
            "invalid UTF-8 auth",
            Some(b"HMAC-SHA256 SignedHeaders=\xff\xfe&Signature=\xc3\x28".to_vec()),
        ),
        (
            "16 KiB HMAC auth",
            Some(
                [
                    b"HMAC-SHA256 SignedHeaders=".to_vec(),
                    vec![b'a'; 16 * 1024],
                ]
                .concat(),
            ),
        ),
    ] {
        let headers: Vec<(&str, Vec<u8>)> = authorization
            .map(|a| vec![("Authorization", a)])
            .unwrap_or_default();
        add(
            name,
            request(
                "POST",
                format!("/identities?{V}").as_bytes(),
                &headers,
                b"{}",
            ),
        );
    }
    let mut signed = hmac_now(addr, "POST", &format!("/identities?{V}"), b"{}");
    for (k, v) in signed.iter_mut() {
        if k.eq_ignore_ascii_case("x-ms-date") {
            *v = "yesterday".to_owned();
        }
    }
    add(
        "HMAC with a bad x-ms-date",
        request(
            "POST",
            format!("/identities?{V}").as_bytes(),
            &signed
                .iter()
                .map(|(k, v)| (*k, v.clone().into_bytes()))
                .collect::<Vec<_>>(),
            b"{}",
        ),
    );
    let signed = hmac_now(addr, "POST", &format!("/identities?{V}"), b"{}");
    add(
        "HMAC content hash of another body",
        request(
            "POST",
            format!("/identities?{V}").as_bytes(),
            &signed
                .iter()
                .map(|(k, v)| (*k, v.clone().into_bytes()))
                .collect::<Vec<_>>(),
            br#"{"createTokenWithScopes":["chat"]}"#,
        ),
    );
    for (name, value) in [
        ("text/plain content type", b"text/plain".to_vec()),
        (
            "invalid UTF-8 content type",
            b"application/\xff\xfe".to_vec(),
        ),
    ] {
        let mut headers = auth();
        headers.push(("Content-Type", value));
        add(
            name,
            request("POST", issue.as_bytes(), &headers, b"not json"),
        );
    }
    // Bodies.
    for (name, body) in [
        ("invalid JSON", b"{\"scopes\":".to_vec()),
        (
            "invalid UTF-8 body",
            b"{\"scopes\":[\"\xff\xfe\"]}".to_vec(),
        ),
        ("bare invalid UTF-8", vec![0xc3, 0x28, 0xff]),
        ("NUL bytes", vec![0; 64]),
        (
            "10,000-deep nesting",
            [vec![b'['; 10_000], vec![b']'; 10_000]].concat(),
        ),
        ("deep object", "{\"a\":".repeat(5000).into_bytes()),
        ("null", b"null".to_vec()),
        ("scopes null", br#"{"scopes":null}"#.to_vec()),
        (
            "scope of 60 KiB",
            format!(r#"{{"scopes":["{}"]}}"#, "c".repeat(60 * 1024)).into_bytes(),
        ),
        (
            "huge expiry",
            br#"{"scopes":["chat"],"expiresInMinutes":99999999999999999999999}"#.to_vec(),
        ),
        (
            "negative expiry",
            br#"{"scopes":["chat"],"expiresInMinutes":-1}"#.to_vec(),
        ),
        (
            "duplicate keys",
            br#"{"scopes":["chat"],"scopes":[1]}"#.to_vec(),
        ),
    ] {
        add(name, request("POST", issue.as_bytes(), &auth(), &body));
    }
    for body in [
        &b"[]"[..],
        b"{\"createTokenWithScopes\":[\"\xff\"]}",
        b"{\"expiresInMinutes\":\"x\"}",
    ] {
        add(
            "create body",
            request("POST", format!("/identities?{V}").as_bytes(), &auth(), body),
        );
    }
    for body in [
        &b"{}"[..],
        b"{\"token\":1}",
        b"{\"token\":\"\xff\",\"appId\":\"a\",\"userId\":\"u\"}",
    ] {
        add(
            "teams body",
            request(
                "POST",
                format!("/teamsUser/:exchangeAccessToken?{V}").as_bytes(),
                &auth(),
                body,
            ),
        );
    }
    // Over the 64 KiB body limit: Content-Length, and chunked without a length.
    add(
        "10 MiB body",
        request(
            "POST",
            issue.as_bytes(),
            &auth(),
            &vec![b' '; 10 * 1024 * 1024],
        ),
    );
    let mut chunked = format!(
        "POST {issue} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAuthorization: Bearer t\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    .into_bytes();
    for _ in 0..32 {
        chunked.extend_from_slice(format!("{:x}\r\n", 8192).as_bytes());
        chunked.extend_from_slice(&[b' '; 8192]);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    add("256 KiB chunked body", chunked);

    let count = cases.len();
    for (case, bytes) in cases {
        assert_acs_4xx(&case, send(addr, bytes).await);
        assert_alive(addr, &case).await;
    }
    eprintln!("{count} well-formed bad requests: 4xx with an ACS error body each");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_http_is_refused_without_a_5xx() {
    let emu = acs_identity_emulator::Emulator::builder()
        .start()
        .await
        .unwrap();
    let addr = emu.local_addr();
    let post = format!("POST /identities?{V} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer t\r\n");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("garbage", b"GARBAGE\r\n\r\n".to_vec()),
        (
            "binary",
            vec![0xff, 0x00, 0x13, 0x37, b'\r', b'\n', b'\r', b'\n'],
        ),
        (
            "HTTP/9.9",
            b"GET /_emulator/health HTTP/9.9\r\n\r\n".to_vec(),
        ),
        (
            "raw invalid UTF-8 path",
            b"POST /identities/\xff\xfe?api-version=2023-10-01 HTTP/1.1\r\nHost: x\r\n\r\n"
                .to_vec(),
        ),
        (
            "space in path",
            b"POST /ident ities HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        ),
        (
            "header without colon",
            format!("{post}NoColonHere\r\n\r\n").into_bytes(),
        ),
        (
            "space in header name",
            format!("{post}Bad Name: x\r\n\r\n").into_bytes(),
        ),
        (
            "NUL in header value",
            [post.as_bytes(), b"X-A: a\0b\r\n\r\n"].concat(),
        ),
        (
            "Content-Length abc",
            format!("{post}Content-Length: abc\r\n\r\n").into_bytes(),
        ),
        (
            "Content-Length -1",
            format!("{post}Content-Length: -1\r\n\r\n").into_bytes(),
        ),
        (
            "two Content-Lengths",
            format!("{post}Content-Length: 2\r\nContent-Length: 3\r\n\r\n{{}}").into_bytes(),
        ),
        (
            "bad chunk size",
            format!("{post}Transfer-Encoding: chunked\r\n\r\nZZZ\r\n{{}}\r\n0\r\n\r\n")
                .into_bytes(),
        ),
        (
            "short body",
            format!("{post}Content-Length: 100\r\n\r\n{{}}").into_bytes(),
        ),
        (
            "1 MiB header",
            format!("{post}X-Big: {}\r\n\r\n", "b".repeat(1024 * 1024)).into_bytes(),
        ),
        (
            "1,000 headers",
            format!("{post}{}\r\n", "X-H: v\r\n".repeat(1000)).into_bytes(),
        ),
        ("empty", Vec::new()),
    ];
    let mut refused = Vec::new();
    for (case, bytes) in cases {
        // A complete request is always answered; an incomplete one may just be closed.
        let incomplete = matches!(case, "short body" | "empty");
        match exchange(addr, bytes, incomplete).await {
            Some(r) => {
                assert!(
                    (400..500).contains(&r.status),
                    "{case}: HTTP {} {}",
                    r.status,
                    r.text()
                );
                refused.push(format!("{case}: {}", r.status));
            }
            None => {
                assert!(incomplete, "{case}: closed without an answer");
                refused.push(format!("{case}: closed"));
            }
        }
        assert_alive(addr, case).await;
    }
    eprintln!("{refused:?}");
    emu.shutdown().await;
}
