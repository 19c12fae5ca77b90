//! [`TokenService`] and its builder: the parts put together into an axum `Router`.

use crate::{
    acs::Acs,
    cache::TokenCache,
    caller::CallerAuthenticator,
    config::ServiceConfig,
    deletions::{self, Backoff},
    limiter::Limiter,
    metrics::Metrics,
    routes,
    single_flight::KeyedLocks,
    state::{AppState, Shared},
    store::MappingStore,
};
use acs_identity::CommunicationIdentityClient;
use axum::Router;
use std::{fmt, sync::Arc};
use tokio::task::JoinHandle;

/// The trusted token service, ready to serve.
///
/// ```no_run
/// use acs_token_service::{store::MemoryStore, TokenService};
/// # use acs_token_service::caller::CallerAuthenticator;
/// # use std::sync::Arc;
/// # async fn example(
/// #     client: acs_identity::CommunicationIdentityClient,
/// #     authenticator: Arc<dyn CallerAuthenticator>,
/// # ) -> Result<(), acs_token_service::BuildError> {
/// let service = TokenService::builder()
///     .client(client)
///     .store(Arc::new(MemoryStore::new()))
///     .authenticator(authenticator)
///     .build()?;
/// service.spawn_deletion_retries();
/// let app = axum::Router::new().merge(service.router());
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct TokenService {
    shared: AppState,
}

impl fmt::Debug for TokenService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenService")
            .field("config", &self.shared.config)
            .finish_non_exhaustive()
    }
}

/// A part the builder was not given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    missing: &'static str,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the token service needs {0}; call TokenServiceBuilder::{0}(..)",
            self.missing
        )
    }
}

impl std::error::Error for BuildError {}

/// Builds a [`TokenService`]: the identity client, the mapping store and the caller
/// authentication are required; the configuration defaults to [`ServiceConfig::default`].
#[derive(Default)]
pub struct TokenServiceBuilder {
    client: Option<CommunicationIdentityClient>,
    store: Option<Arc<dyn MappingStore>>,
    authenticator: Option<Arc<dyn CallerAuthenticator>>,
    config: ServiceConfig,
}

impl fmt::Debug for TokenServiceBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenServiceBuilder")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl TokenServiceBuilder {
    /// The ACS identity client (connection string or Entra ID, any api-version).
    pub fn client(mut self, client: CommunicationIdentityClient) -> Self {
        self.client = Some(client);
        self
    }

    /// Where app users' identities are kept (`store::open(url)`, or your own).
    pub fn store(mut self, store: Arc<dyn MappingStore>) -> Self {
        self.store = Some(store);
        self
    }

    /// Who is calling: the service's JWT authenticator, or your own.
    pub fn authenticator(mut self, authenticator: Arc<dyn CallerAuthenticator>) -> Self {
        self.authenticator = Some(authenticator);
        self
    }

    /// The service's behaviour (replaces the whole configuration).
    pub fn config(mut self, config: ServiceConfig) -> Self {
        self.config = config;
        self
    }

    /// The service, or which required part is missing.
    pub fn build(self) -> Result<TokenService, BuildError> {
        let client = self.client.ok_or(BuildError { missing: "client" })?;
        let store = self.store.ok_or(BuildError { missing: "store" })?;
        let authenticator = self.authenticator.ok_or(BuildError {
            missing: "authenticator",
        })?;
        let mut config = self.config;
        if !config.prefix.starts_with('/') {
            config.prefix.insert(0, '/');
        }
        let metrics = Arc::new(Metrics::default());
        let limiter = Arc::new(Limiter::new(&config.limits, config.limit_max_wait));
        let cache = TokenCache::new(config.cache, config.cache_min_remaining);
        Ok(TokenService {
            shared: Arc::new(Shared {
                acs: Acs::new(client, limiter, metrics.clone()),
                store,
                authenticator,
                cache,
                metrics,
                creating: KeyedLocks::default(),
                config,
            }),
        })
    }
}

impl TokenService {
    /// A builder.
    pub fn builder() -> TokenServiceBuilder {
        TokenServiceBuilder::default()
    }

    /// The routes: `POST/GET/DELETE {prefix}/user`, `GET {prefix}/token`,
    /// `POST {prefix}/token/revoke`, `GET {prefix}/token/teams`, and `GET /healthz`,
    /// `GET /readyz`, `GET /metrics`. Merge it into your app.
    pub fn router(&self) -> Router {
        routes::router(self.shared.clone())
    }

    /// The service's counters (also served by `GET /metrics`).
    pub fn metrics(&self) -> &Metrics {
        &self.shared.metrics
    }

    /// The configuration in use.
    pub fn config(&self) -> &ServiceConfig {
        &self.shared.config
    }

    /// Tries the queued identity deletions once (a bounded batch); returns how many were
    /// done.
    pub async fn retry_deletions(&self) -> usize {
        deletions::run_once(&self.shared, &mut Backoff::default()).await
    }

    /// Spawns the task that works through the queued identity deletions: at once, then
    /// every `deletion_retry_interval`, failed ones backing off. Abort the handle to
    /// stop it.
    pub fn spawn_deletion_retries(&self) -> JoinHandle<()> {
        let shared = self.shared.clone();
        tokio::spawn(async move {
            let mut backoff = Backoff::default();
            // At least a second between rounds (a zero interval would spin).
            let period = shared
                .config
                .deletion_retry_interval
                .max(std::time::Duration::from_secs(1));
            let mut tick = tokio::time::interval(period);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let done = deletions::run_once(&shared, &mut backoff).await;
                if done > 0 {
                    tracing::info!(done, "queued identity deletions done");
                }
            }
        })
    }
}
