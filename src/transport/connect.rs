//! Opening a connection: TCP (with `TCP_NODELAY`), TLS for `https`, the HTTP/1.1
//! handshake, and a task that drives the connection.

use super::pool::Sender;
use azure_core::error::{Error, ErrorKind};
use hyper_util::rt::TokioIo;
use rustls::pki_types::{CertificateDer, ServerName};
use std::{
    net::{IpAddr, SocketAddr},
    sync::{Arc, OnceLock},
    time::Duration,
};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

/// Scheme, host and port: what connections are pooled by.
#[derive(Debug)]
pub(super) struct Origin {
    https: bool,
    /// As in the URL, IPv6 literals without brackets.
    host: String,
    port: u16,
    /// The `Host` header of requests to this origin, built once: the URL's host
    /// (IPv6 literals in brackets) and `:port` when the port is not the scheme's
    /// default. `None` when it is not a valid header value.
    host_header: Option<hyper::header::HeaderValue>,
}

impl Origin {
    pub(super) fn new(https: bool, host: &str, port: u16) -> Self {
        Self {
            https,
            host: host.to_owned(),
            port,
            host_header: hyper::header::HeaderValue::try_from(host_header(https, host, port)).ok(),
        }
    }

    /// The `Host` header value, or why it is not one.
    pub(super) fn host_header(
        &self,
    ) -> Result<hyper::header::HeaderValue, hyper::header::InvalidHeaderValue> {
        match &self.host_header {
            Some(value) => Ok(value.clone()),
            None => {
                hyper::header::HeaderValue::try_from(host_header(self.https, &self.host, self.port))
            }
        }
    }

    pub(super) fn is(&self, https: bool, host: &str, port: u16) -> bool {
        self.https == https && self.port == port && self.host == host
    }
}

/// The `Host` header as reqwest sends it, from the URL's host and port: `url.port()`
/// is `None` exactly when the port is the scheme's default, and `url.host_str()`
/// brackets IPv6 literals.
fn host_header(https: bool, host: &str, port: u16) -> String {
    let default_port = if https { 443 } else { 80 };
    let bracketed = host.contains(':');
    let mut out = String::with_capacity(host.len() + 8);
    if bracketed {
        out.push('[');
    }
    out.push_str(host);
    if bracketed {
        out.push(']');
    }
    if port != default_port {
        out.push(':');
        out.push_str(&port.to_string());
    }
    out
}

/// TLS settings, built on the first `https` connection (loading the platform's
/// roots takes milliseconds, and plain-`http` users never need them).
pub(super) struct Tls {
    extra_roots: Vec<CertificateDer<'static>>,
    connector: OnceLock<Result<TlsConnector, String>>,
}

impl Tls {
    pub(super) fn new(extra_roots: Vec<CertificateDer<'static>>) -> Self {
        Self {
            extra_roots,
            connector: OnceLock::new(),
        }
    }

    pub(super) fn extra_roots(&self) -> &[CertificateDer<'static>] {
        &self.extra_roots
    }

    fn connector(&self) -> azure_core::Result<&TlsConnector> {
        self.connector
            .get_or_init(|| build_connector(&self.extra_roots))
            .as_ref()
            .map_err(|message| {
                Error::with_message(
                    ErrorKind::Connection,
                    format!("cannot set up TLS: {message}"),
                )
            })
    }
}

fn build_connector(extra_roots: &[CertificateDer<'static>]) -> Result<TlsConnector, String> {
    // As reqwest does: a process-wide default provider if the application
    // installed one, else aws-lc-rs.
    let provider = rustls::crypto::CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::aws_lc_rs::default_provider()));
    let verifier = if extra_roots.is_empty() {
        rustls_platform_verifier::Verifier::new(Arc::clone(&provider))
    } else {
        rustls_platform_verifier::Verifier::new_with_extra_roots(
            extra_roots.iter().cloned(),
            Arc::clone(&provider),
        )
    }
    .map_err(|e| e.to_string())?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsConnector::from(Arc::new(config)))
}

/// Opens a connection to `origin` and spawns the task that drives it.
pub(super) async fn connect(
    origin: &Origin,
    tls: &Tls,
    connect_timeout: Option<Duration>,
) -> azure_core::Result<Sender> {
    let runtime = tokio::runtime::Handle::try_current().map_err(|_| {
        Error::with_message(
            ErrorKind::Other,
            "the HTTP/1.1 transport needs a tokio runtime: call the client from within one",
        )
    })?;
    let what = || {
        format!(
            "{}://{}:{}",
            if origin.https { "https" } else { "http" },
            origin.host,
            origin.port
        )
    };
    let connecting = async {
        let tcp = match origin.host.parse::<IpAddr>() {
            Ok(ip) => TcpStream::connect(SocketAddr::new(ip, origin.port)).await,
            Err(_) => TcpStream::connect((origin.host.as_str(), origin.port)).await,
        }
        .map_err(|e| {
            Error::with_error(
                ErrorKind::Connection,
                e,
                format!("cannot connect to {}", what()),
            )
        })?;
        // Requests are written in one go and answered at once: never wait to coalesce.
        let _ = tcp.set_nodelay(true);
        if origin.https {
            let name = ServerName::try_from(origin.host.clone()).map_err(|e| {
                Error::with_error(
                    ErrorKind::Connection,
                    e,
                    format!("invalid TLS server name for {}", what()),
                )
            })?;
            let stream = tls.connector()?.connect(name, tcp).await.map_err(|e| {
                Error::with_error(
                    ErrorKind::Connection,
                    e,
                    format!("TLS handshake with {} failed", what()),
                )
            })?;
            handshake(&runtime, TokioIo::new(stream)).await
        } else {
            handshake(&runtime, TokioIo::new(tcp)).await
        }
    };
    let Some(connect_timeout) = connect_timeout else {
        return connecting.await;
    };
    tokio::time::timeout(connect_timeout, connecting)
        .await
        .map_err(|_| {
            Error::with_message(
                ErrorKind::Connection,
                format!(
                    "connecting to {} took longer than the connect timeout ({} s)",
                    what(),
                    connect_timeout.as_secs_f64()
                ),
            )
        })?
}

async fn handshake<T>(runtime: &tokio::runtime::Handle, io: T) -> azure_core::Result<Sender>
where
    T: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (sender, connection) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(|e| Error::with_error(ErrorKind::Connection, e, "HTTP/1.1 handshake failed"))?;
    runtime.spawn(async move {
        if let Err(e) = connection.await {
            tracing::debug!("HTTP/1.1 connection ended: {e}");
        }
    });
    Ok(sender)
}
