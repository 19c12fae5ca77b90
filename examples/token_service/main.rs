//! A trusted token service: your backend, embedding the identity client, hands out
//! ACS tokens to your app's signed-in users (client apps never hold the access key).
//!
//! ```text
//! cargo run --example token_service
//! curl -X POST -H "Authorization: Bearer <app user's token>" http://127.0.0.1:PORT/token
//! ```
//!
//! * `POST /token` (optional body `{"scopes": ["chat", "voip"]}`, the default) →
//!   `{"userId", "token", "expiresOn"}`: the same app user always gets the same ACS
//!   identity (its `custom_id` is the app user id);
//! * `DELETE /token` → 204, every token of that user revoked;
//! * `GET /healthz` → 200.
//!
//! App users come from `TOKEN_SERVICE_USERS` (`alice=<bearer>,bob=<bearer>`); unset,
//! one demo user `demo` with a random bearer, printed as `DEMO_USER demo <bearer>`
//! (a demo secret, printed so that a person can try it). It listens on
//! `127.0.0.1:${TOKEN_SERVICE_PORT:-0}` and prints `LISTENING http://127.0.0.1:PORT`.
//! Against ACS when `COMMUNICATION_SERVICES_CONNECTION_STRING` is set, else against
//! the in-process emulator, at api-version 2025-03-02-preview (custom ids).
//! Ctrl-C or SIGTERM stops it gracefully.

mod service;

use acs_identity::{
    models::api_version, CommunicationIdentityClient, CommunicationIdentityClientOptions,
};
use std::{collections::HashMap, process::ExitCode};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("token service: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let users = users()?;
    let options = CommunicationIdentityClientOptions {
        api_version: api_version::V2025_03_02_PREVIEW.to_owned(),
        ..Default::default()
    };
    let (client, emulator) = match std::env::var("COMMUNICATION_SERVICES_CONNECTION_STRING") {
        Ok(connection_string) => (
            CommunicationIdentityClient::from_connection_string(&connection_string, Some(options))?,
            None,
        ),
        Err(_) => {
            let emulator = acs_identity_emulator::Emulator::builder().start().await?;
            eprintln!("using the local emulator at {}", emulator.endpoint());
            let client = CommunicationIdentityClient::from_connection_string(
                emulator.connection_string(),
                Some(options),
            )?;
            (client, Some(emulator))
        }
    };
    let port: u16 = match std::env::var("TOKEN_SERVICE_PORT") {
        Ok(port) => port
            .parse()
            .map_err(|_| format!("TOKEN_SERVICE_PORT {port:?} is not a port number"))?,
        Err(_) => 0,
    };
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("LISTENING http://{}", listener.local_addr()?);
    let app = service::router(service::AppState::new(client, users));
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown())
        .await?;
    if let Some(emulator) = emulator {
        emulator.shutdown().await;
    }
    Ok(())
}

/// Bearer → app user id, from `TOKEN_SERVICE_USERS` or one random demo user.
fn users() -> Result<HashMap<String, String>, String> {
    let Ok(spec) = std::env::var("TOKEN_SERVICE_USERS") else {
        let bearer: String = (0..32)
            .map(|_| format!("{:02x}", rand::random::<u8>()))
            .collect();
        println!("DEMO_USER demo {bearer}");
        return Ok(HashMap::from([(bearer, "demo".to_owned())]));
    };
    let mut users = HashMap::new();
    for entry in spec.split(',').filter(|e| !e.trim().is_empty()) {
        let (user, bearer) = entry
            .split_once('=')
            .filter(|(user, bearer)| !user.trim().is_empty() && !bearer.trim().is_empty())
            .ok_or("TOKEN_SERVICE_USERS: expected `user=<bearer>` entries separated by commas")?;
        users.insert(bearer.trim().to_owned(), user.trim().to_owned());
    }
    if users.is_empty() {
        return Err("TOKEN_SERVICE_USERS is empty; expected `alice=<bearer>,bob=<bearer>`".into());
    }
    Ok(users)
}

/// Ctrl-C, or SIGTERM on Unix.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                term.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
