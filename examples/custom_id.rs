//! Map your app's user id to one ACS identity with a custom id, and read it back.
//!
//! ```text
//! cargo run --example custom_id [app-user-id]
//! ```
//!
//! Without a table of your own: creating with the same `custom_id` returns the same
//! identity while it exists, so "create with my user id" is both the lookup and the
//! create, and a retried create makes no second identity. `get_user_detail` reads
//! the custom id and the time of the identity's last token back. Both need
//! api-version `2025-03-02-preview`, which this example selects.
//!
//! Against Azure when `COMMUNICATION_SERVICES_CONNECTION_STRING` is set, otherwise
//! against the bundled emulator, started in this process on 127.0.0.1. The app
//! user id is the first argument (`alice@contoso.com` by default).

use acs_identity::{
    models::api_version, CommunicationIdentityClient, CommunicationIdentityClientOptions,
    CommunicationTokenScope, CreateUserOptions,
};
use acs_identity_emulator::Emulator;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let app_user = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "alice@contoso.com".to_owned());
    let (client, emulator) = match connect().await {
        Ok(connected) => connected,
        Err(err) => {
            eprintln!("could not connect: {err}");
            return ExitCode::FAILURE;
        }
    };
    let result = run(&client, &app_user).await;
    if let Some(emulator) = emulator {
        emulator.shutdown().await;
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("\nThe example failed: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run(client: &CommunicationIdentityClient, app_user: &str) -> azure_core::Result<()> {
    let options = || CreateUserOptions {
        custom_id: Some(app_user.to_owned()),
        ..Default::default()
    };

    // The first create makes the identity; the second finds the same one.
    let first = client.create_user(Some(options())).await?;
    println!("App user {app_user:?} is ACS identity {first}");
    let again = client.create_user(Some(options())).await?;
    println!("Creating again with the same custom id gives {again}");
    if again != first {
        return Err(azure_core::Error::with_message(
            azure_core::error::ErrorKind::Other,
            format!("expected the same identity, got {first} and {again}"),
        ));
    }

    // Read it back: the custom id, and no token issued yet.
    let detail = client.get_user_detail(&first, None).await?;
    println!(
        "get_user_detail: custom id {:?}, last token issued at {}",
        detail.custom_id,
        shown(detail.last_token_issued_at)
    );

    // After a token, the service records when it was issued.
    let token = client
        .get_token(&first, &[CommunicationTokenScope::Chat], None)
        .await?;
    println!(
        "Issued a 'chat' token that expires at {}",
        azure_core::time::to_rfc3339(&token.expires_on)
    );
    let detail = client.get_user_detail(&first, None).await?;
    println!(
        "get_user_detail: last token issued at {}",
        shown(detail.last_token_issued_at)
    );

    // Deleting the identity frees the custom id: the next create makes a new one.
    client.delete_user(&first, None).await?;
    let fresh = client.create_user(Some(options())).await?;
    println!("After deleting {first}, the custom id maps to a new identity {fresh}");
    client.delete_user(&fresh, None).await?;
    println!("Deleted {fresh}");
    Ok(())
}

fn shown(at: Option<azure_core::time::OffsetDateTime>) -> String {
    at.map(|at| azure_core::time::to_rfc3339(&at))
        .unwrap_or_else(|| "never".to_owned())
}

/// A client at api-version 2025-03-02-preview, and the emulator when there is no
/// connection string.
async fn connect() -> azure_core::Result<(CommunicationIdentityClient, Option<Emulator>)> {
    let options = || {
        Some(CommunicationIdentityClientOptions {
            api_version: api_version::V2025_03_02_PREVIEW.to_owned(),
            ..Default::default()
        })
    };
    if let Ok(connection_string) = std::env::var("COMMUNICATION_SERVICES_CONNECTION_STRING") {
        let client =
            CommunicationIdentityClient::from_connection_string(&connection_string, options())?;
        println!("Using the access key for {}", client.endpoint());
        return Ok((client, None));
    }
    let emulator = Emulator::builder().start().await.map_err(|e| {
        azure_core::Error::with_message(
            azure_core::error::ErrorKind::Other,
            format!("could not start the local emulator: {e}"),
        )
    })?;
    println!(
        "COMMUNICATION_SERVICES_CONNECTION_STRING is not set: using the local emulator at {}",
        emulator.endpoint()
    );
    let client = CommunicationIdentityClient::from_connection_string(
        emulator.connection_string(),
        options(),
    )?;
    Ok((client, Some(emulator)))
}
