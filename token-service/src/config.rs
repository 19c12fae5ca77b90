//! [`ServiceConfig`]: how the service behaves, independent of where its settings come
//! from (the binary reads them from a TOML file and the environment: module `settings`).

use crate::limits::Limits;
use acs_identity::CommunicationTokenScope;
use std::time::Duration;

/// The service's behaviour. `Default` is the documented defaults.
#[derive(Clone, Debug)]
pub struct ServiceConfig {
    /// Where the app routes live (`/api`: `/api/user`, `/api/token`...). `/healthz`,
    /// `/readyz` and `/metrics` are always at the root.
    pub prefix: String,
    /// The ACS scopes of `GET /api/token` when the request names none (`chat,voip`).
    pub default_scopes: Vec<CommunicationTokenScope>,
    /// `GET /api/token` answers 404 for a caller without an identity instead of creating
    /// one (then `POST /api/user` must come first). Default `false`.
    pub require_user: bool,
    /// Whether tokens are cached (`false`: a fresh token on every request).
    pub cache: bool,
    /// A cached token is handed out only while it has more than this lifetime left.
    /// Default 30 minutes: a client that refreshes 10 minutes before expiry (ACS's
    /// guidance) gets at least 20 minutes of use from it.
    pub cache_min_remaining: Duration,
    /// The Entra application (client) id of the Teams token exchange; `None`:
    /// `GET /api/token/teams` answers 404.
    pub teams_client_id: Option<String>,
    /// Calls per window to ACS, per operation (default: the service's documented limits).
    pub limits: Limits,
    /// The longest a request waits for a limiter slot before it gets 503 with
    /// `Retry-After`. Default 10 s.
    pub limit_max_wait: Duration,
    /// How often queued identity deletions are retried. Default 60 s.
    pub deletion_retry_interval: Duration,
}

impl Default for ServiceConfig {
    fn default() -> Self {
        Self {
            prefix: "/api".to_owned(),
            default_scopes: vec![CommunicationTokenScope::Chat, CommunicationTokenScope::VoIP],
            require_user: false,
            cache: true,
            cache_min_remaining: Duration::from_secs(30 * 60),
            teams_client_id: None,
            limits: Limits::default(),
            limit_max_wait: Duration::from_secs(10),
            deletion_retry_interval: Duration::from_secs(60),
        }
    }
}
