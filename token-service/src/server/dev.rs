//! `acs-token-service --dev`: no configuration. The in-process emulator stands in for ACS,
//! a signing key generated at start is the issuer (its JWKS served at `/dev/jwks.json` on
//! the service's own listener, the issuer being the service's URL), SQLite lives in a temp
//! dir, and a demo bearer token and a `curl` line are printed. For trying the service only.

use super::{client_from, err, serve, ServerError};
use crate::{
    jwt::{dev::DevIssuer, JwksSource, JwtAuthenticator, JwtConfig},
    settings::{AcsCredential, Settings},
    store, TokenService,
};
use acs_identity_emulator::Emulator;
use axum::{http::header, routing::get, Router};
use std::{sync::Arc, time::Duration};

/// The audience of the demo tokens.
pub const DEV_AUDIENCE: &str = "acs-token-service-dev";

/// The demo user (its `sub` and `oid`).
pub const DEV_USER: &str = "demo-user";

pub(super) async fn run(mut settings: Settings) -> Result<(), ServerError> {
    let emulator = Emulator::builder()
        .start()
        .await
        .map_err(|e| err("the --dev emulator", e))?;
    settings.acs = Some(AcsCredential::ConnectionString(
        emulator.connection_string().to_owned(),
    ));
    let client = client_from(&settings)?;
    let dir = tempfile::Builder::new()
        .prefix("acs-token-service-dev-")
        .tempdir()
        .map_err(|e| err("the --dev temp dir", e))?;
    let store = store::open(&format!(
        "sqlite://{}",
        dir.path().join("mappings.db").display()
    ))
    .await
    .map_err(|e| err("the --dev SQLite store", e))?;

    let listener = tokio::net::TcpListener::bind(&settings.listen)
        .await
        .map_err(|e| {
            err(
                &format!(
                    "cannot listen on {} (set ACS_TOKEN_SERVICE_LISTEN, e.g. 127.0.0.1:0)",
                    settings.listen
                ),
                e,
            )
        })?;
    let addr = listener
        .local_addr()
        .map_err(|e| err("the listener's address", e))?;
    let issuer = format!("http://{addr}");
    let dev_issuer = DevIssuer::generate().map_err(|e| err("the --dev issuer", e))?;
    let mut jwt = JwtConfig::new(&issuer, DEV_AUDIENCE);
    jwt.jwks = JwksSource::Url(format!("{issuer}/dev/jwks.json"));
    let authenticator =
        JwtAuthenticator::new(jwt).map_err(|e| err("the --dev authenticator", e))?;
    let token = dev_issuer
        .token(
            DEV_USER,
            DEV_AUDIENCE,
            &issuer,
            "access_as_user",
            Duration::from_secs(8 * 3600),
        )
        .map_err(|e| err("the --dev demo token", e))?;

    let service = TokenService::builder()
        .client(client)
        .store(store)
        .authenticator(Arc::new(authenticator))
        .config(settings.service.clone())
        .build()
        .map_err(|e| err("the token service", e))?;
    let jwks = dev_issuer.jwks_json();
    let extra = Router::new().route(
        "/dev/jwks.json",
        get(move || {
            let jwks = jwks.clone();
            async move { ([(header::CONTENT_TYPE, "application/json")], jwks) }
        }),
    );
    let prefix = service.config().prefix.trim_end_matches('/').to_owned();
    let banner = format!(
        "acs-token-service --dev: FOR TRYING THE SERVICE ONLY\n\
         ACS: the in-process emulator at {emulator}\n\
         store: SQLite in {dir} (deleted on exit)\n\
         issuer: {issuer} (a key generated now; JWKS at {issuer}/dev/jwks.json)\n\
         The demo bearer token below is a development secret, printed on purpose so that you\n\
         can try the service; it is valid for 8 hours against this process only.\n\
         DEV_TOKEN {token}\n\
         CURL curl -H \"Authorization: Bearer {token}\" {issuer}{prefix}/token",
        emulator = emulator.endpoint(),
        dir = dir.path().display(),
    );
    let result = serve(listener, &service, &settings, extra, Some(banner)).await;
    emulator.shutdown().await;
    drop(dir);
    result
}
