//! Configuring and starting an emulator.

use crate::auth::bearer::BearerPolicy;
use crate::auth::{hmac::HmacVerifier, Authenticator};
use crate::clock::{Clock, SystemClock};
use crate::emulator::Emulator;
use crate::exposure::well_known_key_warning;
use crate::faults::{FaultConfig, FaultInjector, FaultStatus};
use crate::state::AppState;
use crate::store::Store;
use crate::throttle::{Throttle, ThrottleConfig};
use crate::token::TokenSigner;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Settings of an emulator; see [`Emulator::builder`].
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    host: String,
    port: u16,
    access_key: String,
    resource_id: String,
    resource_location: String,
    data_dir: Option<PathBuf>,
    tls: bool,
    ca_certificate_path: Option<PathBuf>,
    max_clock_skew: std::time::Duration,
    bearer: BearerPolicy,
    faults: FaultConfig,
    clock: Arc<dyn Clock>,
    max_body_bytes: usize,
    entra_page_size: usize,
    deleted_history: usize,
    latency: std::time::Duration,
    throttle: Option<ThrottleConfig>,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        EmulatorBuilder {
            host: "127.0.0.1".into(),
            port: 0,
            access_key: crate::DEFAULT_ACCESS_KEY.into(),
            resource_id: crate::DEFAULT_RESOURCE_ID.into(),
            resource_location: "unitedstates".into(),
            data_dir: None,
            tls: false,
            ca_certificate_path: None,
            max_clock_skew: std::time::Duration::from_secs(crate::DEFAULT_MAX_CLOCK_SKEW_SECS),
            bearer: BearerPolicy::AnyNonEmpty,
            faults: FaultConfig::default(),
            clock: Arc::new(SystemClock),
            max_body_bytes: crate::DEFAULT_MAX_BODY_BYTES,
            entra_page_size: crate::DEFAULT_ENTRA_ASSIGNMENTS_PAGE_SIZE,
            deleted_history: crate::DEFAULT_DELETED_HISTORY,
            latency: std::time::Duration::ZERO,
            throttle: None,
        }
    }
}

impl Emulator {
    /// A builder with the defaults: `127.0.0.1`, an ephemeral port, plain HTTP,
    /// [`DEFAULT_ACCESS_KEY`](crate::DEFAULT_ACCESS_KEY),
    /// [`DEFAULT_RESOURCE_ID`](crate::DEFAULT_RESOURCE_ID), in-memory storage, 15 minutes of
    /// allowed clock skew, any non-empty bearer token accepted, no faults.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }
}

impl EmulatorBuilder {
    /// Address or name to listen on (default `127.0.0.1`). `0.0.0.0` listens everywhere; the
    /// endpoint then names `127.0.0.1`.
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = host.into();
        self
    }

    /// Port to listen on; 0 (the default) lets the OS pick one.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// The resource's access key, base64 (what goes after `accesskey=`).
    pub fn access_key(mut self, key: impl Into<String>) -> Self {
        self.access_key = key.into();
        self
    }

    /// The resource id (a GUID) that identity ids are minted under.
    pub fn resource_id(mut self, id: impl Into<String>) -> Self {
        self.resource_id = id.into();
        self
    }

    /// The `resourceLocation` claim of tokens (default `unitedstates`).
    pub fn resource_location(mut self, location: impl Into<String>) -> Self {
        self.resource_location = location.into();
        self
    }

    /// Keep identities, revocations, deletions and the token secret in SQLite under `dir`
    /// (created if needed), so a restart keeps them. With TLS, the CA key is kept there too.
    pub fn data_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.data_dir = Some(dir.into());
        self
    }

    /// Serve HTTPS with a CA generated at start (see
    /// [`Emulator::ca_certificate_pem`]).
    pub fn tls(mut self, on: bool) -> Self {
        self.tls = on;
        self
    }

    /// Where to write the CA certificate (PEM) when TLS is on. Default: `<data dir>/ca.pem`
    /// with a data directory, otherwise not written.
    pub fn ca_certificate_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.ca_certificate_path = Some(path.into());
        self
    }

    /// How far an HMAC request's date may be from the emulator's clock, either way
    /// (default 15 minutes).
    pub fn max_clock_skew(mut self, skew: std::time::Duration) -> Self {
        self.max_clock_skew = skew;
        self
    }

    /// Which bearer tokens to accept (default: any non-empty one).
    pub fn bearer_policy(mut self, policy: BearerPolicy) -> Self {
        self.bearer = policy;
        self
    }

    /// All fault-injection settings at once.
    pub fn faults(mut self, faults: FaultConfig) -> Self {
        self.faults = faults;
        self
    }

    /// Fail this share of ACS requests (0.0 to 1.0).
    pub fn fault_rate(mut self, rate: f64) -> Self {
        self.faults.rate = rate;
        self
    }

    /// Fail every Nth ACS request (0 = off).
    pub fn fault_every(mut self, n: u64) -> Self {
        self.faults.every = n;
        self
    }

    /// What an injected fault answers (default 429).
    pub fn fault_status(mut self, status: FaultStatus) -> Self {
        self.faults.status = status;
        self
    }

    /// `Retry-After` of injected 429 and 503 answers (whole seconds; default 1).
    pub fn fault_retry_after(mut self, after: std::time::Duration) -> Self {
        self.faults.retry_after_secs = u32::try_from(after.as_secs()).unwrap_or(u32::MAX);
        self
    }

    /// The clock used for HMAC dates and token times (default: the system clock).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Largest request body accepted; larger ones get 413 (default 64 KiB).
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// How many Entra assignments one page of `GET /access/entra/assignments` holds (default
    /// [`DEFAULT_ENTRA_ASSIGNMENTS_PAGE_SIZE`](crate::DEFAULT_ENTRA_ASSIGNMENTS_PAGE_SIZE));
    /// a small size makes clients follow `nextLink`. Must be at least 1.
    pub fn entra_assignments_page_size(mut self, size: usize) -> Self {
        self.entra_page_size = size;
        self
    }

    /// How many deleted identities the emulator remembers (default
    /// [`DEFAULT_DELETED_HISTORY`](crate::DEFAULT_DELETED_HISTORY)): their tokens validate as
    /// `identityDeleted`. Older ones are forgotten, in memory and in the data directory, and
    /// then answer as unknown identities, so memory stays bounded however many identities a
    /// long run creates and deletes. `0` remembers none.
    pub fn deleted_history(mut self, count: usize) -> Self {
        self.deleted_history = count;
        self
    }

    /// Holds back every ACS answer by `latency` once it is ready (default: zero, none), as a
    /// network round trip would: to test a client's timeouts, or to measure it at a realistic
    /// distance. The emulator's own endpoints (`/_emulator/*`) answer at once. The delay runs on
    /// tokio's clock, so a test with a paused clock (`#[tokio::test(start_paused = true)]`)
    /// advances it without sleeping.
    pub fn latency(mut self, latency: std::time::Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Throttles like the service (default: off): each limited operation lets at most N
    /// requests through in any window of W, then answers `429 TooManyRequests` with
    /// `Retry-After` (the seconds until the window lets one more through).
    /// `ThrottleConfig::default()` is the service's published limits; see [`ThrottleConfig`]
    /// to change one. Windows run on tokio's clock (a paused-clock test advances them).
    pub fn throttle(mut self, config: ThrottleConfig) -> Self {
        self.throttle = Some(config);
        self
    }

    /// Binds, generates keys and certificates, loads the data directory, and starts serving on
    /// the current tokio runtime.
    pub async fn start(self) -> Result<Emulator, StartError> {
        let (key, resource_id, max_skew) = self.checked()?;
        let (store, secret) = self.open_store()?;

        let addr = resolve(&self.host, self.port).await?;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(StartError::Io)?;
        let local_addr = listener.local_addr().map_err(StartError::Io)?;
        if let Some(warning) = well_known_key_warning(local_addr, &self.access_key) {
            tracing::warn!("{warning}");
        }

        let tls = if self.tls {
            let material =
                crate::tls::build(&self.host, self.data_dir.as_deref()).map_err(StartError::Tls)?;
            let ca_path = self
                .ca_certificate_path
                .clone()
                .or_else(|| self.data_dir.as_ref().map(|d| d.join("ca.pem")));
            if let Some(path) = &ca_path {
                write_file(path, material.ca_pem.as_bytes()).map_err(StartError::Io)?;
            }
            Some((material, ca_path))
        } else {
            None
        };

        let scheme = if tls.is_some() { "https" } else { "http" };
        let endpoint = format!("{scheme}://{}", endpoint_authority(&self.host, local_addr));
        let state = self.state(&key, &resource_id, max_skew, store, &secret, scheme);
        let app = crate::routes::app(Arc::clone(&state));
        let (tx, rx) = tokio::sync::oneshot::channel();
        let (acceptor, ca_pem, ca_path) = match tls {
            Some((m, path)) => (
                Some(tokio_rustls::TlsAcceptor::from(m.config)),
                Some(m.ca_pem),
                path,
            ),
            None => (None, None, None),
        };
        let task = tokio::spawn(crate::server::run(listener, acceptor, app, rx));
        tracing::info!(%endpoint, tls = ca_pem.is_some(), persistent = self.data_dir.is_some(), "acs-identity-emulator listening");
        let access_key = self.access_key.trim().to_owned();
        Ok(Emulator {
            connection_string: format!("endpoint={endpoint}/;accesskey={access_key}"),
            endpoint,
            access_key,
            resource_id,
            local_addr,
            ca_pem,
            ca_path,
            state,
            shutdown: Some(tx),
            task: Some(task),
        })
    }
    /// The emulator's HTTP service on its own, without a socket: every route and layer that
    /// [`start`](Self::start) serves, as a [`tower::Service`] to call in-process (e.g. with
    /// `tower::ServiceExt::oneshot`). For fuzzing and tests that need no network. The same
    /// settings apply as for `start` (access key, resource id, clock, faults, data directory,
    /// body limit), except the listening ones: `host`, `port` and `tls` are ignored, and
    /// messages that quote the request URL say `http`. The host HMAC signatures cover is the
    /// request's `Host` header.
    ///
    /// Nothing is spawned: the service can be called on any tokio runtime, a current-thread
    /// one included.
    pub fn service(
        self,
    ) -> Result<
        impl tower::Service<
                axum::http::Request<axum::body::Body>,
                Response = axum::response::Response,
                Error = std::convert::Infallible,
                Future: Send,
            > + Clone
            + Send
            + 'static,
        StartError,
    > {
        let (key, resource_id, max_skew) = self.checked()?;
        let (store, secret) = self.open_store()?;
        let state = self.state(&key, &resource_id, max_skew, store, &secret, "http");
        Ok(crate::routes::app::<axum::body::Body>(state))
    }

    /// Validates the settings: the decoded access key, the lower-case resource id and the
    /// allowed clock skew.
    fn checked(&self) -> Result<(Vec<u8>, String, time::Duration), StartError> {
        let key = STANDARD
            .decode(self.access_key.trim())
            .ok()
            .filter(|k| !k.is_empty())
            .ok_or(StartError::InvalidAccessKey)?;
        let resource_id = self.resource_id.trim().to_ascii_lowercase();
        if resource_id.is_empty()
            || resource_id.len() > 64
            || !resource_id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err(StartError::InvalidConfig(
                "the resource id must be a GUID (letters, digits and '-')".into(),
            ));
        }
        if !(self.faults.rate.is_finite() && (0.0..=1.0).contains(&self.faults.rate)) {
            return Err(StartError::InvalidConfig(
                "the fault rate must be between 0 and 1".into(),
            ));
        }
        if self.entra_page_size == 0 {
            return Err(StartError::InvalidConfig(
                "the Entra assignments page size must be at least 1".into(),
            ));
        }
        let max_skew = time::Duration::try_from(self.max_clock_skew)
            .map_err(|_| StartError::InvalidConfig("the clock skew is too large".into()))?;
        Ok((key, resource_id, max_skew))
    }

    /// The store (SQLite under the data directory, else in memory) and the token secret.
    fn open_store(&self) -> Result<(Store, Vec<u8>), StartError> {
        let fresh_secret = crate::tls::random_bytes::<32>();
        match &self.data_dir {
            Some(dir) => Store::open_with(dir, &fresh_secret, self.deleted_history)
                .map_err(|e| StartError::Storage(e.0)),
            None => Ok((
                Store::in_memory_with(self.deleted_history),
                fresh_secret.to_vec(),
            )),
        }
    }

    /// Everything the handlers share.
    fn state(
        &self,
        key: &[u8],
        resource_id: &str,
        max_skew: time::Duration,
        store: Store,
        secret: &[u8],
        scheme: &'static str,
    ) -> Arc<AppState> {
        let seed = u64::from_le_bytes(crate::tls::random_bytes::<8>());
        Arc::new(AppState {
            auth: Authenticator {
                hmac: HmacVerifier::new(key, max_skew),
                bearer: self.bearer.clone(),
            },
            clock: Arc::clone(&self.clock),
            store,
            signer: TokenSigner::new(secret),
            faults: FaultInjector::new(&self.faults, seed),
            owned_prefix: format!("8:acs:{resource_id}_"),
            resource_id: resource_id.to_owned(),
            resource_location: self.resource_location.clone(),
            max_body_bytes: self.max_body_bytes,
            scheme,
            entra_page_size: self.entra_page_size,
            latency: self.latency,
            throttle: self.throttle.clone().map(Throttle::new),
        })
    }
}

async fn resolve(host: &str, port: u16) -> Result<SocketAddr, StartError> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<std::net::IpAddr>() {
        return Ok(SocketAddr::new(ip, port));
    }
    tokio::net::lookup_host((host, port))
        .await
        .map_err(StartError::Io)?
        .next()
        .ok_or_else(|| StartError::InvalidConfig(format!("cannot resolve host '{host}'")))
}

/// The authority clients should use: the configured name, or 127.0.0.1 / [::1] for a
/// wildcard address.
fn endpoint_authority(host: &str, addr: SocketAddr) -> String {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let name = match bare.parse::<std::net::IpAddr>() {
        Ok(ip) if ip.is_unspecified() && ip.is_ipv4() => "127.0.0.1".to_owned(),
        Ok(ip) if ip.is_unspecified() => "[::1]".to_owned(),
        Ok(std::net::IpAddr::V6(ip)) => format!("[{ip}]"),
        Ok(ip) => ip.to_string(),
        Err(_) => host.to_owned(),
    };
    format!("{name}:{}", addr.port())
}

fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, bytes)
}

/// Why an emulator could not start.
#[derive(Debug)]
#[non_exhaustive]
pub enum StartError {
    /// The access key is empty or not base64.
    InvalidAccessKey,
    /// Another setting is invalid.
    InvalidConfig(String),
    /// Binding the port or writing a file failed.
    Io(std::io::Error),
    /// The data directory's database could not be opened.
    Storage(String),
    /// Certificates could not be generated.
    Tls(String),
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::InvalidAccessKey => f.write_str("the access key must be non-empty base64"),
            StartError::InvalidConfig(m) => write!(f, "invalid configuration: {m}"),
            StartError::Io(e) => write!(f, "I/O error: {e}"),
            StartError::Storage(m) => write!(f, "storage error: {m}"),
            StartError::Tls(m) => write!(f, "TLS setup failed: {m}"),
        }
    }
}

impl std::error::Error for StartError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StartError::Io(e) => Some(e),
            _ => None,
        }
    }
}
