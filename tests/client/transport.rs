//! `transport::Http1Transport`, the client's default transport, on loopback:
//! the exact bytes it writes, connection reuse and the pool's bounds, servers
//! that close connections, idle expiry, and bad input.
//!
//! The server here is a few lines of tokio that counts accepted connections,
//! records each request's raw head and body, and can close a connection after
//! answering.

use crate::support::read_request;
use acs_identity::transport::{Http1Transport, Http1TransportOptions};
use azure_core::{
    error::ErrorKind,
    http::{headers::HeaderName, HttpClient, Method, Request, Url},
    Bytes,
};
use std::{
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};
use tokio::{io::AsyncWriteExt, net::TcpListener};

/// What the server saw and how it behaves.
#[derive(Default)]
struct Seen {
    accepted: AtomicUsize,
    requests: Mutex<Vec<Vec<u8>>>,
}

#[derive(Clone, Copy, PartialEq)]
enum Close {
    /// Keep every connection open.
    Never,
    /// Answer with `Connection: close` and close.
    WithHeader,
    /// Answer as if keeping the connection alive, then close it anyway.
    Silently,
}

async fn server(close: Close) -> (String, Arc<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Seen::default());
    let state = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            state.accepted.fetch_add(1, Ordering::SeqCst);
            let state = Arc::clone(&state);
            tokio::spawn(async move {
                while let Some(request) = read_request(&mut stream).await {
                    state.requests.lock().unwrap().push(request);
                    let body = br#"{"ok":true}"#;
                    let connection = if close == Close::WithHeader {
                        "Connection: close\r\n"
                    } else {
                        ""
                    };
                    // One write: a separate small body write would wait for the
                    // client's delayed ACK (Nagle), 40 ms per request.
                    let mut answer = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Echo: yes\r\n{connection}Content-Length: {}\r\n\r\n",
                        body.len()
                    )
                    .into_bytes();
                    answer.extend_from_slice(body);
                    if stream.write_all(&answer).await.is_err() {
                        return;
                    }
                    if close != Close::Never {
                        return;
                    }
                }
            });
        }
    });
    (endpoint, seen)
}

fn post(endpoint: &str) -> Request {
    let url = Url::parse(&format!(
        "{endpoint}/identities/8%3Aacs%3Ax/:issueAccessToken?api-version=2023-10-01"
    ))
    .unwrap();
    let mut request = Request::new(url, Method::Post);
    request.insert_header("content-type", "application/json");
    request.insert_header("x-ms-custom", "v");
    request.set_body(Bytes::from_static(br#"{"scopes":["chat"]}"#));
    request
}

async fn call(transport: &Http1Transport, request: &Request) -> (u16, String) {
    let response = transport.execute_request(request).await.unwrap();
    let status = u16::from(response.status());
    let (_, headers, body) = response
        .try_into_raw_response()
        .await
        .unwrap()
        .deconstruct();
    assert_eq!(
        headers.get_optional_str(&HeaderName::from_static("x-echo")),
        Some("yes")
    );
    (status, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn writes_the_exact_request() {
    let (endpoint, seen) = server(Close::Never).await;
    let transport = Http1Transport::new();
    let (status, body) = call(&transport, &post(&endpoint)).await;
    assert_eq!((status, body.as_str()), (200, r#"{"ok":true}"#));

    let raw = seen.requests.lock().unwrap()[0].clone();
    let text = String::from_utf8(raw).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    assert_eq!(
        lines.next(),
        Some("POST /identities/8%3Aacs%3Ax/:issueAccessToken?api-version=2023-10-01 HTTP/1.1")
    );
    let mut headers: Vec<String> = lines.map(|l| l.to_ascii_lowercase()).collect();
    headers.sort();
    let host = endpoint.trim_start_matches("http://");
    assert_eq!(
        headers,
        vec![
            "content-length: 19".to_owned(),
            "content-type: application/json".to_owned(),
            format!("host: {host}"),
            "x-ms-custom: v".to_owned(),
        ]
    );
    assert_eq!(body, r#"{"scopes":["chat"]}"#);
}

#[tokio::test]
async fn sequential_requests_reuse_one_connection() {
    let (endpoint, seen) = server(Close::Never).await;
    let transport = Http1Transport::new();
    for _ in 0..20 {
        call(&transport, &post(&endpoint)).await;
    }
    assert_eq!(seen.accepted.load(Ordering::SeqCst), 1);
    assert_eq!(seen.requests.lock().unwrap().len(), 20);
    assert_eq!(transport.idle_connections(), 1);
    // Clones share the pool.
    call(&transport.clone(), &post(&endpoint)).await;
    assert_eq!(seen.accepted.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn never_more_connections_than_requests_in_flight() {
    let (endpoint, seen) = server(Close::Never).await;
    let transport = Http1Transport::new();
    const WORKERS: usize = 16;
    for round in 1..=3 {
        let tasks: Vec<_> = (0..WORKERS)
            .map(|_| {
                let transport = transport.clone();
                let request = post(&endpoint);
                tokio::spawn(async move {
                    for _ in 0..10 {
                        call(&transport, &request).await;
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        let accepted = seen.accepted.load(Ordering::SeqCst);
        assert!(
            (1..=WORKERS).contains(&accepted),
            "round {round}: {accepted} connections for {WORKERS} workers"
        );
        assert_eq!(transport.idle_connections(), accepted, "round {round}");
    }
    assert_eq!(seen.requests.lock().unwrap().len(), 3 * WORKERS * 10);
}

#[tokio::test]
async fn a_connection_the_server_closes_is_not_reused() {
    for close in [Close::WithHeader, Close::Silently] {
        let (endpoint, seen) = server(close).await;
        let transport = Http1Transport::new();
        for _ in 0..5 {
            let (status, _) = call(&transport, &post(&endpoint)).await;
            assert_eq!(status, 200);
        }
        assert_eq!(seen.accepted.load(Ordering::SeqCst), 5);
        assert_eq!(seen.requests.lock().unwrap().len(), 5);
    }
}

#[tokio::test]
async fn connections_idle_longer_than_the_idle_timeout_are_not_reused() {
    let (endpoint, seen) = server(Close::Never).await;
    let transport = Http1Transport::with_options(Http1TransportOptions {
        idle_timeout: Duration::ZERO,
        ..Default::default()
    });
    for _ in 0..3 {
        call(&transport, &post(&endpoint)).await;
    }
    assert_eq!(seen.accepted.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn max_idle_per_origin_bounds_the_pool() {
    let (endpoint, seen) = server(Close::Never).await;
    let transport = Http1Transport::with_options(Http1TransportOptions {
        max_idle_per_origin: 0,
        ..Default::default()
    });
    call(&transport, &post(&endpoint)).await;
    call(&transport, &post(&endpoint)).await;
    assert_eq!(transport.idle_connections(), 0);
    assert_eq!(seen.accepted.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_server_that_closes_every_connection_is_an_error_not_a_loop() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&accepted);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    let transport = Http1Transport::new();
    for _ in 0..3 {
        let err = transport
            .execute_request(&post(&endpoint))
            .await
            .unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Io), "{err:?}");
    }
    // One connection per attempt: a failed new connection is not retried here
    // (the pipeline's retry policy decides), and nothing broken is pooled.
    assert_eq!(accepted.load(Ordering::SeqCst), 3);
    assert_eq!(transport.idle_connections(), 0);
}

#[tokio::test]
async fn refused_connections_are_connection_errors() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = Http1Transport::new()
        .execute_request(&post(&format!("http://127.0.0.1:{port}")))
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Connection), "{err:?}");
    assert!(
        err.to_string()
            .contains(&format!("cannot connect to http://127.0.0.1:{port}")),
        "{err}"
    );
}

#[tokio::test]
async fn bad_input_is_an_error_before_connecting() {
    let transport = Http1Transport::new();
    let mut request = Request::new(Url::parse("ftp://127.0.0.1/x").unwrap(), Method::Get);
    let err = transport.execute_request(&request).await.unwrap_err();
    assert!(
        err.to_string().contains("unsupported URL scheme `ftp`"),
        "{err}"
    );

    // A header value that cannot go on the wire: the error names the header, never the value.
    request = post("http://127.0.0.1:9");
    request.insert_header("authorization", "secret\nvalue");
    let err = transport.execute_request(&request).await.unwrap_err();
    let message = err.to_string();
    assert!(message.contains("`authorization`"), "{message}");
    assert!(!message.contains("secret"), "{message}");
}

#[test]
fn root_certificates_must_be_pem() {
    let err = Http1Transport::new()
        .add_root_certificate_pem(
            b"-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n",
        )
        .unwrap_err();
    assert!(err.to_string().contains("PEM"), "{err}");
    let err = Http1Transport::new()
        .add_root_certificate_pem(b"")
        .unwrap_err();
    assert!(err.to_string().contains("no PEM certificate"), "{err}");
}

/// A server that answers every request with the raw bytes of `pieces`, each
/// written and flushed on its own.
async fn raw_server(pieces: &'static [&'static [u8]]) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                while read_request(&mut stream).await.is_some() {
                    for piece in pieces {
                        if stream.write_all(piece).await.is_err() {
                            return;
                        }
                        stream.flush().await.unwrap();
                    }
                }
            });
        }
    });
    endpoint
}

#[tokio::test]
async fn bodies_in_several_chunks_are_joined_and_trailers_left_out() {
    let endpoint = raw_server(&[
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Echo: yes\r\nTransfer-Encoding: chunked\r\nTrailer: x-t\r\n\r\n",
        b"5\r\n{\"ok\"\r\n",
        b"1\r\n:\r\n",
        b"5\r\ntrue}\r\n",
        b"0\r\nx-t: 1\r\n\r\n",
    ])
    .await;
    let transport = Http1Transport::new();
    // Twice on one connection: the whole first body was read.
    for _ in 0..2 {
        assert_eq!(
            call(&transport, &post(&endpoint)).await,
            (200, r#"{"ok":true}"#.to_owned())
        );
    }
    assert_eq!(transport.idle_connections(), 1);
}

#[tokio::test]
async fn empty_and_single_chunk_bodies() {
    let empty = raw_server(&[b"HTTP/1.1 200 OK\r\nX-Echo: yes\r\nContent-Length: 0\r\n\r\n"]).await;
    let chunked = raw_server(&[
        b"HTTP/1.1 200 OK\r\nX-Echo: yes\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"b\r\n{\"ok\":true}\r\n0\r\n\r\n",
    ])
    .await;
    let transport = Http1Transport::new();
    assert_eq!(call(&transport, &post(&empty)).await, (200, String::new()));
    assert_eq!(
        call(&transport, &post(&chunked)).await,
        (200, r#"{"ok":true}"#.to_owned())
    );
}
