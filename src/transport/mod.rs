//! The client's default HTTP transport: a lean HTTP/1.1 client with a connection
//! pool, plugged into azure_core's pipeline as its [`HttpClient`].
//!
//! [`CommunicationIdentityClient`](crate::CommunicationIdentityClient) uses
//! [`Http1Transport`] unless `client_options.transport` is set or a proxy is
//! configured in the environment (`HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY`), in
//! which case azure_core's reqwest transport, which honours proxies, is used. Both
//! speak HTTP/1.1 over rustls with the platform's root certificates; this one
//! costs about half the CPU per request (`benches/README.md`).
//!
//! ```
//! use acs_identity::{transport::Http1Transport, CommunicationIdentityClientOptions};
//! use azure_core::http::{ClientOptions, Transport};
//! use std::sync::Arc;
//!
//! // One transport (and connection pool) shared by two clients.
//! let transport = Transport::new(Arc::new(Http1Transport::new()));
//! let options = CommunicationIdentityClientOptions {
//!     client_options: ClientOptions {
//!         transport: Some(transport),
//!         ..Default::default()
//!     },
//!     ..Default::default()
//! };
//! # let _ = options;
//! ```
//!
//! To use azure_core's reqwest transport instead, set
//! `client_options.transport` to `Transport::new(azure_core::http::new_http_client(None))`.

mod connect;
mod pool;

use azure_core::{
    error::{Error, ErrorKind},
    http::{
        headers::{HeaderName, HeaderValue, Headers},
        AsyncRawResponse, Body, HttpClient, Method, Request,
    },
    Bytes,
};
use http_body_util::{BodyExt, Full};
use rustls::pki_types::{pem::PemObject, CertificateDer};
use std::{collections::HashMap, fmt, sync::Arc, time::Duration};

/// Settings of an [`Http1Transport`].
///
/// ```
/// use acs_identity::transport::{Http1Transport, Http1TransportOptions};
/// use std::time::Duration;
///
/// let transport = Http1Transport::with_options(Http1TransportOptions {
///     idle_timeout: Duration::from_secs(30),
///     ..Default::default()
/// });
/// # let _ = transport;
/// ```
#[derive(Clone, Debug)]
pub struct Http1TransportOptions {
    /// The longest a new connection (DNS, TCP and TLS) may take: 20 s, as
    /// azure_core's reqwest transport. `None` waits as long as the operating
    /// system does (the client's per-try `request_timeout` still applies).
    pub connect_timeout: Option<Duration>,
    /// An idle connection older than this is closed instead of reused: 90 s, as
    /// reqwest's pool.
    pub idle_timeout: Duration,
    /// Idle connections kept per origin; one returned beyond this is closed.
    /// 256 unless set.
    pub max_idle_per_origin: usize,
}

impl Default for Http1TransportOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Some(Duration::from_secs(20)),
            idle_timeout: Duration::from_secs(90),
            max_idle_per_origin: 256,
        }
    }
}

/// An HTTP/1.1 [`HttpClient`] for azure_core's pipeline, with a connection pool;
/// the default transport of [`CommunicationIdentityClient`](crate::CommunicationIdentityClient).
///
/// * Cheap to clone; clones share one pool. A request reuses the most recently
///   used idle connection to its origin and opens a new one only when none is
///   idle, so there are never more connections than requests in flight.
/// * `https` over rustls, verified against the platform's roots (plus any added
///   with [`add_root_certificate_pem`](Self::add_root_certificate_pem)), ALPN
///   `http/1.1`. `TCP_NODELAY` on.
/// * No redirects are followed, no proxy is used and responses are not
///   decompressed (the client does not ask for compression). Request bodies
///   must be in memory (`Body::Bytes`), as every request of this crate is.
/// * A request that could not be written on a reused connection (the server had
///   closed it) is sent again on a new one; any other failure is returned, as an
///   `ErrorKind::Connection` or `ErrorKind::Io` error, for the pipeline's retry
///   policy to decide on.
/// * Needs a tokio runtime.
#[derive(Clone)]
pub struct Http1Transport {
    shared: Arc<Shared>,
}

struct Shared {
    pool: pool::Pool,
    tls: connect::Tls,
    options: Http1TransportOptions,
}

impl Http1Transport {
    /// A transport with the default [`Http1TransportOptions`].
    pub fn new() -> Self {
        Self::with_options(Http1TransportOptions::default())
    }

    /// A transport with the given options.
    pub fn with_options(options: Http1TransportOptions) -> Self {
        Self::build(options, Vec::new())
    }

    fn build(options: Http1TransportOptions, roots: Vec<CertificateDer<'static>>) -> Self {
        Self {
            shared: Arc::new(Shared {
                pool: pool::Pool::new(options.idle_timeout, options.max_idle_per_origin),
                tls: connect::Tls::new(roots),
                options,
            }),
        }
    }

    /// Also trusts the CA certificates in `pem` (one or more `BEGIN CERTIFICATE`
    /// blocks), e.g. the local emulator's
    /// (`acs-identity-emulator --tls` prints where it wrote its CA).
    ///
    /// Returns a new transport with its own, empty pool; fails when `pem` holds
    /// no certificate or one that cannot be read.
    ///
    /// ```
    /// use acs_identity::transport::Http1Transport;
    ///
    /// let err = Http1Transport::new()
    ///     .add_root_certificate_pem(b"not a certificate")
    ///     .unwrap_err();
    /// assert!(err.to_string().contains("no PEM certificate"));
    /// ```
    pub fn add_root_certificate_pem(self, pem: &[u8]) -> azure_core::Result<Self> {
        let mut roots = self.shared.tls.extra_roots().to_vec();
        let before = roots.len();
        for cert in CertificateDer::pem_slice_iter(pem) {
            let cert = cert.map_err(|e| {
                Error::with_message(
                    ErrorKind::Other,
                    format!("invalid PEM certificate: {e}; expected `-----BEGIN CERTIFICATE-----` blocks"),
                )
            })?;
            roots.push(cert);
        }
        if roots.len() == before {
            return Err(Error::with_message(
                ErrorKind::Other,
                "no PEM certificate found; expected at least one `-----BEGIN CERTIFICATE-----` block",
            ));
        }
        Ok(Self::build(self.shared.options.clone(), roots))
    }

    /// Idle connections in the pool, over all origins.
    pub fn idle_connections(&self) -> usize {
        self.shared.pool.idle_count()
    }
}

impl Default for Http1Transport {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Http1Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Http1Transport")
            .field("options", &self.shared.options)
            .field("idle_connections", &self.idle_connections())
            .finish_non_exhaustive()
    }
}

#[async_trait::async_trait]
impl HttpClient for Http1Transport {
    async fn execute_request(&self, request: &Request) -> azure_core::Result<AsyncRawResponse> {
        let shared = &self.shared;
        let url = request.url();
        let https = match url.scheme() {
            "https" => true,
            "http" => false,
            other => {
                return Err(Error::with_message(
                    ErrorKind::Other,
                    format!("unsupported URL scheme `{other}`; expected https or http"),
                ))
            }
        };
        let Some(host) = url.host_str() else {
            return Err(Error::with_message(
                ErrorKind::Other,
                "the request URL has no host; expected an absolute https:// URL",
            ));
        };
        // IPv6 literals are bracketed in URLs, not in socket addresses.
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let port = url
            .port_or_known_default()
            .unwrap_or(if https { 443 } else { 80 });
        let origin = shared.pool.origin(https, host, port);
        // Bad input fails here, before any connection is taken or made.
        let mut to_send = Some(to_hyper(request, &origin)?);
        let idle = shared.pool.checkout(&origin);
        let mut reused = true;
        let mut sender = match idle {
            Some(sender) => sender,
            None => self.fresh(&origin, &mut reused).await?,
        };
        let response = loop {
            // A pooled connection may have been closed since it was returned: then
            // one new connection. A new connection that is not usable is an error
            // (a server that closes every connection must not loop us forever).
            if let Err(e) = sender.ready().await {
                if !reused {
                    return Err(Error::with_error(
                        ErrorKind::Io,
                        e,
                        "the connection closed before the request could be sent",
                    ));
                }
                sender = self.fresh(&origin, &mut reused).await?;
                continue;
            }
            let req = to_send
                .take()
                .expect("the request is only taken once per attempt");
            match sender.try_send_request(req).await {
                Ok(response) => break response,
                Err(mut err) => match err.take_message() {
                    // Never written: safe to send again, on a new connection.
                    Some(req) if reused => {
                        to_send = Some(req);
                        sender = self.fresh(&origin, &mut reused).await?;
                    }
                    _ => {
                        return Err(Error::with_error(
                            ErrorKind::Io,
                            err.into_error(),
                            "the HTTP request failed",
                        ))
                    }
                },
            }
        };

        let status = response.status().as_u16();
        let headers = from_hyper_headers(response.headers());
        let body = read_body(response.into_body())
            .await
            .map_err(|e| Error::with_error(ErrorKind::Io, e, "reading the response body failed"))?;
        // The response has been read to its end: the connection can carry another.
        shared.pool.put(&origin, sender);
        Ok(AsyncRawResponse::from_bytes(status.into(), headers, body))
    }
}

impl Http1Transport {
    async fn fresh(
        &self,
        origin: &Arc<connect::Origin>,
        reused: &mut bool,
    ) -> azure_core::Result<pool::Sender> {
        *reused = false;
        connect::connect(
            origin,
            &self.shared.tls,
            self.shared.options.connect_timeout,
        )
        .await
    }
}

fn to_hyper(
    request: &Request,
    origin: &connect::Origin,
) -> azure_core::Result<hyper::Request<Full<Bytes>>> {
    let url = request.url();
    let body = match request.body() {
        Body::Bytes(bytes) => bytes.clone(),
        #[allow(unreachable_patterns)]
        _ => {
            return Err(Error::with_message(
                ErrorKind::Other,
                "Http1Transport sends in-memory bodies only; a streamed request body needs azure_core's reqwest transport",
            ))
        }
    };
    let path_and_query = match url.query() {
        Some(q) => {
            let mut s = String::with_capacity(url.path().len() + 1 + q.len());
            s.push_str(url.path());
            s.push('?');
            s.push_str(q);
            s
        }
        None => url.path().to_owned(),
    };
    let uri = hyper::Uri::try_from(path_and_query).map_err(|e| {
        Error::with_error(
            ErrorKind::Other,
            e,
            "the request URL's path is not a valid HTTP request target",
        )
    })?;
    let mut req = hyper::Request::new(Full::new(body));
    *req.method_mut() = to_hyper_method(request.method())?;
    *req.uri_mut() = uri;
    let headers = req.headers_mut();
    headers.reserve(request.headers().iter().count() + 1);
    // The Host header, as reqwest would send it: the host, and the port when it
    // is not the scheme's default (the same host the HMAC policy signs); built
    // once per origin.
    headers.insert(
        hyper::header::HOST,
        origin.host_header().map_err(|e| {
            Error::with_error(
                ErrorKind::Other,
                e,
                "the request URL's host is not a valid Host header",
            )
        })?,
    );
    const APPLICATION_JSON: hyper::header::HeaderValue =
        hyper::header::HeaderValue::from_static("application/json");
    for (name, value) in request.headers().iter() {
        let name = match known_header_name(name.as_str()) {
            Some(name) => name,
            None => {
                hyper::header::HeaderName::from_bytes(name.as_str().as_bytes()).map_err(|e| {
                    Error::with_error(
                        ErrorKind::Other,
                        e,
                        format!("invalid request header name `{}`", name.as_str()),
                    )
                })?
            }
        };
        // The value is never put in the message: it may be a secret.
        let value = match value.as_str() {
            "application/json" => APPLICATION_JSON,
            value => hyper::header::HeaderValue::from_str(value).map_err(|e| {
                Error::with_error(
                    ErrorKind::Other,
                    e,
                    format!("invalid value for request header `{name}`"),
                )
            })?,
        };
        headers.append(name, value);
    }
    Ok(req)
}

/// The names of the headers this crate's requests carry, as constants: the same
/// names `HeaderName::from_bytes` would give, without parsing or allocating.
fn known_header_name(name: &str) -> Option<hyper::header::HeaderName> {
    use hyper::header::{self, HeaderName};
    const X_MS_CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("x-ms-client-request-id");
    const X_MS_DATE: HeaderName = HeaderName::from_static("x-ms-date");
    const X_MS_CONTENT_SHA256: HeaderName = HeaderName::from_static("x-ms-content-sha256");
    Some(match name {
        "accept" => header::ACCEPT,
        "authorization" => header::AUTHORIZATION,
        "content-length" => header::CONTENT_LENGTH,
        "content-type" => header::CONTENT_TYPE,
        "user-agent" => header::USER_AGENT,
        "x-ms-client-request-id" => X_MS_CLIENT_REQUEST_ID,
        "x-ms-date" => X_MS_DATE,
        "x-ms-content-sha256" => X_MS_CONTENT_SHA256,
        _ => return None,
    })
}

fn to_hyper_method(method: Method) -> azure_core::Result<hyper::Method> {
    Ok(match method {
        Method::Delete => hyper::Method::DELETE,
        Method::Get => hyper::Method::GET,
        Method::Head => hyper::Method::HEAD,
        Method::Patch => hyper::Method::PATCH,
        Method::Post => hyper::Method::POST,
        Method::Put => hyper::Method::PUT,
        #[allow(unreachable_patterns)]
        other => {
            return Err(Error::with_message(
                ErrorKind::Other,
                format!("HTTP method {other:?} is not supported by Http1Transport"),
            ))
        }
    })
}

fn from_hyper_headers(map: &hyper::HeaderMap) -> Headers {
    let mut out = HashMap::with_capacity(map.len());
    for (name, value) in map {
        // Non-UTF-8 values are dropped, as azure_core's reqwest transport does.
        if let Ok(value) = value.to_str() {
            let name = match known_response_header_name(name.as_str()) {
                Some(name) => name,
                None => HeaderName::from(name.as_str().to_owned()),
            };
            out.insert(name, response_header_value(value));
        }
    }
    Headers::from(out)
}

/// The whole body. A body that arrives in one data frame (the usual case for
/// the Identity service's small JSON bodies) is that frame's bytes as they are,
/// without `collect()`'s buffer list and copy; more frames are joined.
async fn read_body(mut body: hyper::body::Incoming) -> Result<Bytes, hyper::Error> {
    use hyper::body::Body as _;
    let mut first = Bytes::new();
    let mut joined: Option<Vec<u8>> = None;
    while !body.is_end_stream() {
        let Some(frame) = body.frame().await else {
            break;
        };
        // Trailers are not part of the body.
        let Ok(data) = frame?.into_data() else {
            continue;
        };
        if data.is_empty() {
            continue;
        }
        if let Some(joined) = &mut joined {
            joined.extend_from_slice(&data);
        } else if first.is_empty() {
            first = data;
        } else {
            let mut all = Vec::with_capacity(first.len() + data.len());
            all.extend_from_slice(&first);
            all.extend_from_slice(&data);
            joined = Some(all);
        }
    }
    Ok(joined.map_or(first, Bytes::from))
}

/// The value as azure_core keeps it: the Identity service's JSON content types
/// as constants, without a copy; any other value copied.
fn response_header_value(value: &str) -> HeaderValue {
    match value {
        "application/json; charset=utf-8" => {
            HeaderValue::from_static("application/json; charset=utf-8")
        }
        "application/json" => HeaderValue::from_static("application/json"),
        _ => HeaderValue::from(value.to_owned()),
    }
}

/// Common response header names as constants: equal to what
/// `HeaderName::from(String)` makes of hyper's (already lowercase) names, without
/// copying and lowercasing them.
fn known_response_header_name(name: &str) -> Option<HeaderName> {
    macro_rules! known {
        ($($name:literal),* $(,)?) => {
            match name {
                $($name => {
                    const NAME: HeaderName = HeaderName::from_static($name);
                    Some(NAME)
                })*
                _ => None,
            }
        };
    }
    known!(
        "api-supported-versions",
        "connection",
        "content-length",
        "content-type",
        "date",
        "keep-alive",
        "ms-cv",
        "request-context",
        "request-id",
        "retry-after",
        "retry-after-ms",
        "server",
        "strict-transport-security",
        "trace-id",
        "transfer-encoding",
        "x-azure-ref",
        "x-cache",
        "x-ms-client-request-id",
        "x-ms-error-code",
        "x-ms-request-id",
        "x-ms-retry-after-ms",
    )
}
