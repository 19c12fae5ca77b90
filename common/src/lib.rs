//! Azure Communication Services common types: identifiers, user token credentials,
//! access-key (HMAC-SHA256) signing and connection strings.
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth;
pub mod credential;
mod error;
pub mod identifier;

pub use auth::{
    parse_endpoint, AzureKeyCredential, ConnectionString, HmacAuthenticationPolicy,
    COMMUNICATION_SCOPE,
};
pub use azure_core::credentials::AccessToken;
pub use credential::{
    CommunicationToken, CommunicationTokenCredential, CommunicationTokenRefreshOptions,
    TokenRefresher,
};
pub use error::InvalidArgument;
pub use identifier::{
    CommunicationCloudEnvironment, CommunicationIdentifier, CommunicationUserIdentifier,
    MicrosoftTeamsAppIdentifier, MicrosoftTeamsUserIdentifier, PhoneNumberIdentifier,
    TeamsExtensionUserIdentifier, UnknownIdentifier,
};
