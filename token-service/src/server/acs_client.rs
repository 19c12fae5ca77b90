//! The identity client from the settings: a connection string, or an endpoint with a
//! managed identity or the developer tools' sign-in; any api-version.

use super::ServerError;
use crate::settings::{AcsCredential, Settings};
use acs_identity::{CommunicationIdentityClient, CommunicationIdentityClientOptions};
use azure_identity::{
    DeveloperToolsCredential, ManagedIdentityCredential, ManagedIdentityCredentialOptions,
    UserAssignedId,
};

/// The identity client the settings describe.
pub fn client_from(settings: &Settings) -> Result<CommunicationIdentityClient, ServerError> {
    let mut options = CommunicationIdentityClientOptions::default();
    if let Some(version) = &settings.api_version {
        options.api_version = version.clone();
    }
    let fail = |e: azure_core::Error| ServerError(format!("the ACS client: {e}"));
    match &settings.acs {
        None => Err(ServerError(
            "no ACS resource: set COMMUNICATION_SERVICES_CONNECTION_STRING, or \
             COMMUNICATION_SERVICES_ENDPOINT for Entra ID (or run with --dev)"
                .to_owned(),
        )),
        Some(AcsCredential::ConnectionString(cs)) => {
            CommunicationIdentityClient::from_connection_string(cs, Some(options)).map_err(fail)
        }
        Some(AcsCredential::ManagedIdentity {
            endpoint,
            client_id,
        }) => {
            let credential =
                ManagedIdentityCredential::new(Some(ManagedIdentityCredentialOptions {
                    user_assigned_id: client_id.clone().map(UserAssignedId::ClientId),
                    ..Default::default()
                }))
                .map_err(fail)?;
            CommunicationIdentityClient::new(endpoint, credential, Some(options)).map_err(fail)
        }
        Some(AcsCredential::DeveloperTools { endpoint }) => {
            let credential = DeveloperToolsCredential::new(None).map_err(fail)?;
            CommunicationIdentityClient::new(endpoint, credential, Some(options)).map_err(fail)
        }
    }
}
