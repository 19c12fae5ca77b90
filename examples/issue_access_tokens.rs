//! The Azure Communication Services access-token quickstart, step by step.
//!
//! ```text
//! cargo run --example issue_access_tokens
//! ```
//!
//! Authentication, in order of preference:
//! 1. `COMMUNICATION_SERVICES_CONNECTION_STRING` (`endpoint=...;accesskey=...`): access key;
//! 2. `COMMUNICATION_SERVICES_ENDPOINT`: Entra ID through `azure_identity`'s
//!    `DeveloperToolsCredential` (sign in with `az login` or `azd auth login`);
//! 3. neither: the bundled local emulator (`acs-identity-emulator`), started in this process on
//!    127.0.0.1, so the quickstart runs out of the box with no Azure resource.
//!
//! Tokens are secrets: this example prints only their first characters.

use acs_identity::{
    AccessToken, CommunicationErrorExt, CommunicationIdentityClient, CommunicationTokenScope,
    GetTokenOptions,
};
use acs_identity_emulator::Emulator;
use std::{process::ExitCode, time::Duration};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("\nThe quickstart failed: {err}");
            if let Some(acs) = err.communication_error() {
                eprintln!("Service error: {acs}");
            }
            ExitCode::FAILURE
        }
    }
}

async fn run() -> azure_core::Result<()> {
    println!("Azure Communication Services - Access Tokens Quickstart");
    let (client, emulator) = connect().await?;
    let result = quickstart(&client).await;
    if let Some(emulator) = emulator {
        emulator.shutdown().await;
    }
    result
}

async fn quickstart(client: &CommunicationIdentityClient) -> azure_core::Result<()> {
    let voip = [CommunicationTokenScope::VoIP];

    // Create an identity.
    let identity = client.create_user(None).await?;
    println!("\nCreated an identity with ID: {identity}");

    // Issue an access token with the default lifetime (24 hours).
    let token = client.get_token(&identity, &voip, None).await?;
    println!(
        "\nIssued an access token with 'voip' scope that expires at {}:",
        expiry(&token)
    );
    println!("{}", redacted(&token));

    // Issue an access token with a custom lifetime (1 hour).
    let token = client
        .get_token(
            &identity,
            &voip,
            Some(GetTokenOptions {
                token_expires_in: Some(Duration::from_secs(60 * 60)),
                ..Default::default()
            }),
        )
        .await?;
    println!(
        "\nIssued an access token with 'voip' scope and custom expiration that expires at {}:",
        expiry(&token)
    );
    println!("{}", redacted(&token));

    // Create an identity and issue a token in one request.
    let (identity2, token2) = client.create_user_and_token(&voip, None).await?;
    println!("\nCreated an identity with ID: {identity2}");
    println!(
        "Issued an access token with 'voip' scope that expires at {}:",
        expiry(&token2)
    );
    println!("{}", redacted(&token2));

    // Refresh: issue a new token for an existing identity.
    let refreshed = client.get_token(&identity2, &voip, None).await?;
    println!(
        "\nRefreshed access token with 'voip' scope that expires at {}:",
        expiry(&refreshed)
    );
    println!("{}", redacted(&refreshed));

    // Revoke every token of the identity.
    client.revoke_tokens(&identity2, None).await?;
    println!("\nSuccessfully revoked all access tokens for identity with ID: {identity2}");

    // Delete the identities.
    client.delete_user(&identity2, None).await?;
    println!("\nDeleted the identity with ID: {identity2}");
    client.delete_user(&identity, None).await?;
    println!("Deleted the identity with ID: {identity}");
    Ok(())
}

/// The client, and the emulator when the quickstart runs against one.
async fn connect() -> azure_core::Result<(CommunicationIdentityClient, Option<Emulator>)> {
    if let Ok(connection_string) = std::env::var("COMMUNICATION_SERVICES_CONNECTION_STRING") {
        let client = CommunicationIdentityClient::from_connection_string(&connection_string, None)?;
        println!("Using the access key for {}", client.endpoint());
        return Ok((client, None));
    }
    if let Ok(endpoint) = std::env::var("COMMUNICATION_SERVICES_ENDPOINT") {
        let credential = azure_identity::DeveloperToolsCredential::new(None)?;
        let client = CommunicationIdentityClient::new(&endpoint, credential, None)?;
        println!(
            "Using Entra ID (Azure CLI / Azure Developer CLI sign-in) for {}",
            client.endpoint()
        );
        return Ok((client, None));
    }
    let emulator = Emulator::builder().start().await.map_err(|e| {
        azure_core::Error::with_message(
            azure_core::error::ErrorKind::Other,
            format!("could not start the local emulator: {e}"),
        )
    })?;
    println!(
        "COMMUNICATION_SERVICES_CONNECTION_STRING is not set: running against the local emulator at {}",
        emulator.endpoint()
    );
    let client =
        CommunicationIdentityClient::from_connection_string(emulator.connection_string(), None)?;
    Ok((client, Some(emulator)))
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
