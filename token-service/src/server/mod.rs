//! The binary's parts: the settings turned into an identity client, a store, a JWT
//! authenticator and a served app; `--dev` mode; logs; graceful shutdown.

mod acs_client;
mod dev;
mod jwt_config;
mod layers;
mod logging;
mod shutdown;

pub use acs_client::client_from;
pub use jwt_config::jwt_config;
pub use layers::with_http_layers;
pub use logging::init_logging;
pub use shutdown::shutdown_signal;

use crate::{jwt::JwtAuthenticator, settings::Settings, store, TokenService};
use std::{fmt, sync::Arc};

/// Why the service could not start (or stopped with an error). Never holds a secret.
#[derive(Debug)]
pub struct ServerError(pub String);

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ServerError {}

/// `context: e`.
fn err(context: &str, e: impl fmt::Display) -> ServerError {
    ServerError(format!("{context}: {e}"))
}

/// Runs the service with `settings` until SIGTERM or Ctrl-C: `--dev` when `dev`.
pub async fn run(settings: Settings, dev: bool) -> Result<(), ServerError> {
    if dev {
        return dev::run(settings).await;
    }
    let jwt = settings.jwt().map_err(|e| ServerError(e.to_string()))?;
    if settings.database_url.0.trim() == "acs-custom-id" {
        return Err(ServerError(
            "ACS_TOKEN_SERVICE_DATABASE_URL=acs-custom-id: the custom-id mode (no database) is not \
             built yet; use sqlite://PATH or postgres://..."
                .to_owned(),
        ));
    }
    let jwt = jwt_config(jwt).map_err(|e| err("caller authentication", e))?;
    let authenticator = JwtAuthenticator::new(jwt).map_err(|e| err("caller authentication", e))?;
    if let Err(e) = authenticator.fetch_keys().await {
        tracing::warn!(error = %e, "the issuer's keys could not be fetched at start; retried on the first request");
    }
    let client = client_from(&settings)?;
    let store = store::open(&settings.database_url.0)
        .await
        .map_err(|e| err("the mapping store (ACS_TOKEN_SERVICE_DATABASE_URL)", e))?;
    let listener = tokio::net::TcpListener::bind(&settings.listen)
        .await
        .map_err(|e| {
            err(
                &format!(
                    "cannot listen on {} (ACS_TOKEN_SERVICE_LISTEN)",
                    settings.listen
                ),
                e,
            )
        })?;
    let service = TokenService::builder()
        .client(client)
        .store(store)
        .authenticator(Arc::new(authenticator))
        .config(settings.service.clone())
        .build()
        .map_err(|e| err("the token service", e))?;
    serve(listener, &service, &settings, axum::Router::new(), None).await
}

/// Serves `service` (and `extra` routes) on `listener`, printing `LISTENING http://ADDR`
/// on stdout (after `banner`), until SIGTERM or Ctrl-C.
async fn serve(
    listener: tokio::net::TcpListener,
    service: &TokenService,
    settings: &Settings,
    extra: axum::Router,
    banner: Option<String>,
) -> Result<(), ServerError> {
    let retries = service.spawn_deletion_retries();
    let app = with_http_layers(
        service.router().merge(extra),
        &settings.cors_origins,
        settings.body_limit,
    )?;
    let addr = listener
        .local_addr()
        .map_err(|e| err("the listener's address", e))?;
    if let Some(banner) = banner {
        println!("{banner}");
    }
    println!("LISTENING http://{addr}");
    tracing::info!(%addr, "serving");
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await;
    retries.abort();
    tracing::info!("stopped");
    result.map_err(|e| err("serving", e))
}
