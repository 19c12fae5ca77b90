//! The token service nested in an existing axum app, with the app's own caller
//! authentication instead of JWTs.
//!
//! ```text
//! cargo run -p acs-token-service --example nested_router
//! curl -H "x-demo-user: alice" http://127.0.0.1:PORT/acs/token
//! ```
//!
//! The app has its own routes (`GET /`); the token service's routes live under `/acs`
//! (`/acs/user`, `/acs/token`, ...) next to `/healthz`, `/readyz` and `/metrics`. Callers are
//! whoever the `x-demo-user` header names: a stand-in for your app's session check (never do
//! this in a deployment). ACS is the in-process emulator, the store in memory.

use acs_identity::CommunicationIdentityClient;
use acs_identity_emulator::Emulator;
use acs_token_service::{
    store::MemoryStore, Caller, CallerAuthenticator, Rejection, RejectionKind, ServiceConfig,
    TokenService,
};
use async_trait::async_trait;
use axum::{http::HeaderMap, routing::get, Router};
use std::sync::Arc;

/// The app's own authentication: here, a header naming the user.
struct DemoSession;

#[async_trait]
impl CallerAuthenticator for DemoSession {
    async fn authenticate(&self, headers: &HeaderMap) -> Result<Caller, Rejection> {
        let user = headers
            .get("x-demo-user")
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty())
            .ok_or_else(|| {
                Rejection::new(
                    RejectionKind::MissingToken,
                    "expected an x-demo-user header",
                )
            })?;
        Ok(Caller {
            app_user: format!("demo|{user}"),
            object_id: None,
        })
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::builder().start().await?;
    let client =
        CommunicationIdentityClient::from_connection_string(emulator.connection_string(), None)?;
    let tokens = TokenService::builder()
        .client(client)
        .store(Arc::new(MemoryStore::new()))
        .authenticator(Arc::new(DemoSession))
        .config(ServiceConfig {
            prefix: "/acs".to_owned(),
            ..Default::default()
        })
        .build()?;
    let _retries = tokens.spawn_deletion_retries();

    let app = Router::new()
        .route("/", get(|| async { "the existing app" }))
        .merge(tokens.router());

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    println!("LISTENING http://{}", listener.local_addr()?);
    axum::serve(listener, app)
        .with_graceful_shutdown(acs_token_service::server::shutdown_signal())
        .await?;
    emulator.shutdown().await;
    Ok(())
}
