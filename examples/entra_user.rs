//! A Teams Phone (Teams Extension) user signs in with Entra ID and gets an
//! auto-refreshed ACS token, with no backend issuing it.
//!
//! ```text
//! cargo run --example entra_user
//! ```
//!
//! By default, against the bundled emulator: the resource side creates a Teams
//! Extension assignment for the user (with the access key), then the user's side
//! builds a `CommunicationTokenCredential::from_entra` with a stand-in Entra
//! credential and gets an ACS token through the exchange.
//!
//! Against Azure when `COMMUNICATION_SERVICES_ENDPOINT` is set: the user signs in
//! with `azure_identity`'s developer-tools credential (`az login`), and the
//! resource must already have a Teams Extension assignment for that user.

use acs_identity::{
    credential::EntraCommunicationTokenCredentialOptions, CommunicationIdentityClient,
    CommunicationTokenCredential, TeamsExtensionAssignment, TeamsExtensionPrincipalType,
};
use async_trait::async_trait;
use azure_core::{
    credentials::{AccessToken, TokenCredential, TokenRequestOptions},
    time::{Duration, OffsetDateTime},
};
use std::{process::ExitCode, sync::Arc};

const TEAMS_PHONE_SCOPE: &str =
    "https://auth.msft.communication.azure.com/TeamsExtension.ManageCalls";
const TENANT: &str = "45ab2481-1c1c-4005-be24-0ffb879b1130";
const USER: &str = "207ffef6-9444-41fb-92ab-20eacaae2768";
const APP: &str = "1fd5d3a1-8f0b-4a7c-9e2d-6b5a4c3d2e1f";

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
    if let Ok(endpoint) = std::env::var("COMMUNICATION_SERVICES_ENDPOINT") {
        let entra = azure_identity::DeveloperToolsCredential::new(None)?;
        return sign_in(&endpoint, entra).await;
    }
    let emulator = acs_identity_emulator::Emulator::builder()
        .start()
        .await
        .map_err(|e| other(format!("could not start the local emulator: {e}")))?;
    println!(
        "COMMUNICATION_SERVICES_ENDPOINT is not set: using the local emulator at {}",
        emulator.endpoint()
    );

    // The resource side: allow the user to exchange Teams Phone tokens via APP.
    let admin =
        CommunicationIdentityClient::from_connection_string(emulator.connection_string(), None)?;
    let assignment = TeamsExtensionAssignment {
        tenant_id: TENANT.to_owned(),
        object_id: USER.to_owned(),
        principal_type: TeamsExtensionPrincipalType::User,
        client_ids: vec![APP.to_owned()],
    };
    admin
        .create_or_replace_teams_extension_assignment(&assignment, None)
        .await?;
    println!("Assigned Teams Extension user {USER} of tenant {TENANT} (client {APP})");

    // The user's side.
    let result = sign_in(emulator.endpoint(), Arc::new(StandInEntraCredential)).await;
    emulator.shutdown().await;
    result
}

/// Gets an ACS token for the signed-in user and says who the user became.
async fn sign_in(endpoint: &str, entra: Arc<dyn TokenCredential>) -> azure_core::Result<()> {
    let credential =
        CommunicationTokenCredential::from_entra(EntraCommunicationTokenCredentialOptions {
            scopes: vec![TEAMS_PHONE_SCOPE.to_owned()],
            ..EntraCommunicationTokenCredentialOptions::new(endpoint, entra)
        })?;
    let token = credential.get_token().await?;
    let identity = credential
        .communication_identifier()
        .ok_or_else(|| other("the exchange named no identity".to_owned()))?;
    println!(
        "The user is ACS identity {identity} ({}); its token expires at {}",
        identity.kind(),
        azure_core::time::to_rfc3339(&token.expires_on)
    );
    let again = credential.get_token().await?;
    println!(
        "A second get_token returns the cached token: {}",
        again.token.secret() == token.token.secret()
    );
    credential.close();
    Ok(())
}

fn other(message: String) -> azure_core::Error {
    azure_core::Error::with_message(azure_core::error::ErrorKind::Other, message)
}

/// Stands in for a signed-in user's Entra credential: an unsigned JWT with the
/// claims the exchange reads (`tid`, `oid`, `appid`, `exp`), valid for an hour.
/// The emulator does not check Entra signatures; Azure would refuse this token.
#[derive(Debug)]
struct StandInEntraCredential;

#[async_trait]
impl TokenCredential for StandInEntraCredential {
    async fn get_token(
        &self,
        _scopes: &[&str],
        _options: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        let expires_on = OffsetDateTime::now_utc() + Duration::hours(1);
        let claims = serde_json::json!({
            "tid": TENANT, "oid": USER, "appid": APP, "exp": expires_on.unix_timestamp()
        });
        let b64 = |bytes: &[u8]| azure_core::base64::encode_url_safe(bytes);
        let token = format!(
            "{}.{}.{}",
            b64(br#"{"alg":"none","typ":"JWT"}"#),
            b64(claims.to_string().as_bytes()),
            b64(b"stand-in")
        );
        Ok(AccessToken::new(token, expires_on))
    }
}
