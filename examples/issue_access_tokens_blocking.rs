//! The access-token quickstart with the blocking client: no async runtime in this
//! program, step by step as the official Python quickstart does it.
//!
//! ```text
//! cargo run --example issue_access_tokens_blocking --features blocking
//! ```
//!
//! Against Azure when `COMMUNICATION_SERVICES_CONNECTION_STRING` is set; otherwise
//! against the bundled emulator, started on a thread of its own on 127.0.0.1.
//! Tokens are secrets: only their first characters are printed.

use acs_identity::{
    blocking::CommunicationIdentityClient, AccessToken, CommunicationTokenScope, GetTokenOptions,
};
use std::{process::ExitCode, sync::mpsc, thread, time::Duration};

fn main() -> ExitCode {
    println!("Azure Communication Services - Access Tokens Quickstart (blocking)");
    let (connection_string, emulator) =
        match std::env::var("COMMUNICATION_SERVICES_CONNECTION_STRING") {
            Ok(connection_string) => (connection_string, None),
            Err(_) => match LocalEmulator::start() {
                Ok(emulator) => (emulator.connection_string.clone(), Some(emulator)),
                Err(err) => {
                    eprintln!("could not start the local emulator: {err}");
                    return ExitCode::FAILURE;
                }
            },
        };
    let result = quickstart(&connection_string);
    drop(emulator);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("\nThe quickstart failed: {err}");
            ExitCode::FAILURE
        }
    }
}

fn quickstart(connection_string: &str) -> azure_core::Result<()> {
    let client = CommunicationIdentityClient::from_connection_string(connection_string, None)?;
    let voip = [CommunicationTokenScope::VoIP];

    let identity = client.create_user(None)?;
    println!("\nCreated an identity with ID: {identity}");

    let token = client.get_token(&identity, &voip, None)?;
    println!(
        "\nIssued an access token with 'voip' scope that expires at {}:",
        expiry(&token)
    );
    println!("{}", redacted(&token));

    let one_hour = GetTokenOptions {
        token_expires_in: Some(Duration::from_secs(60 * 60)),
        ..Default::default()
    };
    let token = client.get_token(&identity, &voip, Some(one_hour))?;
    println!(
        "\nIssued an access token with 'voip' scope and custom expiration that expires at {}:",
        expiry(&token)
    );
    println!("{}", redacted(&token));

    let (identity2, token2) = client.create_user_and_token(&voip, None)?;
    println!("\nCreated an identity with ID: {identity2}");
    println!(
        "Issued an access token with 'voip' scope that expires at {}:",
        expiry(&token2)
    );
    println!("{}", redacted(&token2));

    let refreshed = client.get_token(&identity2, &voip, None)?;
    println!(
        "\nRefreshed access token with 'voip' scope that expires at {}:",
        expiry(&refreshed)
    );
    println!("{}", redacted(&refreshed));

    client.revoke_tokens(&identity2, None)?;
    println!("\nSuccessfully revoked all access tokens for identity with ID: {identity2}");

    client.delete_user(&identity2, None)?;
    println!("\nDeleted the identity with ID: {identity2}");
    client.delete_user(&identity, None)?;
    println!("Deleted the identity with ID: {identity}");
    Ok(())
}

/// The emulator, running on a thread with its own tokio runtime until dropped.
struct LocalEmulator {
    connection_string: String,
    stop: Option<mpsc::Sender<()>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl LocalEmulator {
    fn start() -> Result<Self, String> {
        let (started, ready) = mpsc::channel::<Result<String, String>>();
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = thread::spawn(move || {
            let runtime = match tokio::runtime::Runtime::new() {
                Ok(runtime) => runtime,
                Err(e) => {
                    let _ = started.send(Err(e.to_string()));
                    return;
                }
            };
            runtime.block_on(async move {
                match acs_identity_emulator::Emulator::builder().start().await {
                    Ok(emulator) => {
                        println!(
                            "COMMUNICATION_SERVICES_CONNECTION_STRING is not set: running against the local emulator at {}",
                            emulator.endpoint()
                        );
                        let _ = started.send(Ok(emulator.connection_string().to_owned()));
                        let _ = tokio::task::spawn_blocking(move || stopped.recv()).await;
                        emulator.shutdown().await;
                    }
                    Err(e) => {
                        let _ = started.send(Err(e.to_string()));
                    }
                }
            });
        });
        let connection_string = ready
            .recv()
            .map_err(|_| "the emulator thread ended".to_owned())??;
        Ok(Self {
            connection_string,
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for LocalEmulator {
    fn drop(&mut self) {
        self.stop.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn expiry(token: &AccessToken) -> String {
    azure_core::time::to_rfc3339(&token.expires_on)
}

/// The first characters of a token: enough to tell tokens apart, useless to an attacker.
fn redacted(token: &AccessToken) -> String {
    let secret = token.token.secret();
    let shown: String = secret.chars().take(12).collect();
    format!("{shown}... ({} characters, redacted)", secret.len())
}
