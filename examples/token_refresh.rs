//! Keeping an end user's ACS access token fresh with `CommunicationTokenCredential`.
//!
//! ```text
//! cargo run --example token_refresh
//! ```
//!
//! A chat or calling client authenticates as a user with a `CommunicationTokenCredential`.
//! Its refresher fetches a new user token (here straight from the Identity client; in an
//! app, from your own server), and with `refresh_proactively` a background task does so
//! 10 minutes before the current token expires, so callers never wait.
//!
//! * `COMMUNICATION_SERVICES_CONNECTION_STRING` set: a real resource. Tokens live 1 hour,
//!   so the first proactive refresh comes after 50 minutes; the example runs for
//!   `TOKEN_REFRESH_DEMO_SECONDS` (default 3300) or until Ctrl-C.
//! * otherwise: the emulator, in process. Its clock is set 49 min 40 s behind, so each
//!   1-hour token it issues has 10 min 20 s left and is refreshed proactively 20 s after
//!   it arrives; the example runs for `TOKEN_REFRESH_DEMO_SECONDS` (default 65).
//!
//! Tokens are secrets: only their last 8 characters (the end of the signature) are printed.

use acs_identity::{
    AccessToken, CommunicationIdentityClient, CommunicationTokenCredential,
    CommunicationTokenRefreshOptions, CommunicationTokenScope, GetTokenOptions,
};
use acs_identity_emulator::{Clock, Emulator};
use azure_core::{
    error::{Error, ErrorKind},
    time::OffsetDateTime,
};
use std::{
    process::ExitCode,
    sync::Arc,
    time::{Duration, Instant},
};

/// How far the emulator's clock lags: a 60-minute token then has 10 min 20 s left.
const EMULATOR_LAG: Duration = Duration::from_secs(49 * 60 + 40);

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("\nThe example failed: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> azure_core::Result<()> {
    let (client, emulator) = connect().await?;
    let default_seconds = if emulator.is_some() { 65 } else { 3300 };
    let run_for = std::env::var("TOKEN_REFRESH_DEMO_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map_or(Duration::from_secs(default_seconds), Duration::from_secs);

    // The user whose token the credential keeps fresh.
    let user = client.create_user(None).await?;
    println!("Created the user {user}");

    // The refresher: issue a 1-hour chat token for the user. It returns the
    // AccessToken (token and expiry); a plain JWT string would do as well.
    let started = Instant::now();
    let refresher_client = client.clone();
    let refresher_user = user.clone();
    let options = CommunicationTokenRefreshOptions::new(move || {
        let client = refresher_client.clone();
        let user = refresher_user.clone();
        async move {
            let token = client
                .get_token(
                    &user,
                    &[CommunicationTokenScope::Chat],
                    Some(GetTokenOptions {
                        token_expires_in: Some(Duration::from_secs(3600)),
                        ..Default::default()
                    }),
                )
                .await?;
            println!(
                "[{:>5.1}s] refresher: issued {} expiring at {}",
                started.elapsed().as_secs_f64(),
                redacted(&token),
                azure_core::time::to_rfc3339(&token.expires_on)
            );
            Ok::<_, Error>(token)
        }
    })
    .with_refresh_proactively(true);
    let credential = CommunicationTokenCredential::with_options(options)?;

    // A chat client would call the credential (through its bearer policy) for every
    // request; here we ask for the token every 5 seconds and show what we get.
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    let deadline = tokio::time::Instant::now() + run_for;
    println!(
        "Asking for the token every 5 s for {} s (Ctrl-C stops)",
        run_for.as_secs()
    );
    loop {
        let token = credential.get_token().await?;
        let left = token.expires_on - OffsetDateTime::now_utc();
        println!(
            "[{:>5.1}s] get_token: {} ({} min {} s left)",
            started.elapsed().as_secs_f64(),
            redacted(&token),
            left.whole_minutes(),
            left.whole_seconds() % 60
        );
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(5)) => {}
            _ = &mut ctrl_c => break,
        }
        if tokio::time::Instant::now() >= deadline {
            break;
        }
    }

    // Stop the background refresh, then clean up.
    credential.close();
    client.delete_user(&user, None).await?;
    println!("Closed the credential and deleted {user}");
    if let Some(emulator) = emulator {
        emulator.shutdown().await;
    }
    Ok(())
}

/// The real resource when configured, otherwise the emulator with a lagging clock.
async fn connect() -> azure_core::Result<(CommunicationIdentityClient, Option<Emulator>)> {
    if let Ok(connection_string) = std::env::var("COMMUNICATION_SERVICES_CONNECTION_STRING") {
        let client = CommunicationIdentityClient::from_connection_string(&connection_string, None)?;
        println!("Using the resource at {}", client.endpoint());
        return Ok((client, None));
    }
    let emulator = Emulator::builder()
        .clock(Arc::new(LaggingClock(EMULATOR_LAG)))
        // The client signs with the real time; accept it although the clock lags.
        .max_clock_skew(EMULATOR_LAG + Duration::from_secs(15 * 60))
        .start()
        .await
        .map_err(|e| {
            Error::with_message(ErrorKind::Io, format!("cannot start the emulator: {e}"))
        })?;
    println!(
        "COMMUNICATION_SERVICES_CONNECTION_STRING is not set: using the in-process emulator at {} \
         (its clock lags {} s, so tokens are refreshed within seconds)",
        emulator.endpoint(),
        EMULATOR_LAG.as_secs()
    );
    let client =
        CommunicationIdentityClient::from_connection_string(emulator.connection_string(), None)?;
    Ok((client, Some(emulator)))
}

/// The machine's time minus a fixed lag.
#[derive(Debug)]
struct LaggingClock(Duration);

impl Clock for LaggingClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() - self.0
    }
}

/// The last characters of a token (the end of its signature): enough to tell tokens
/// apart (JWT headers all start alike), useless to an attacker.
fn redacted(token: &AccessToken) -> String {
    let secret = token.token.secret();
    let shown: String = secret
        .chars()
        .rev()
        .take(8)
        .collect::<String>()
        .chars()
        .rev()
        .collect();
    format!("token …{shown}")
}
