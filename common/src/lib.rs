#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth;
pub mod credential;
mod error;
pub mod identifier;
pub mod service_error;

pub use auth::{
    parse_endpoint, AzureKeyCredential, ConnectionString, HmacAuthenticationPolicy,
    COMMUNICATION_SCOPE,
};
pub use azure_core::credentials::AccessToken;
pub use credential::{
    CommunicationToken, CommunicationTokenCredential, CommunicationTokenRefreshOptions,
    EntraCommunicationTokenCredentialOptions, TokenRefresher,
};
pub use error::InvalidArgument;
pub use identifier::{
    CommunicationCloudEnvironment, CommunicationIdentifier, CommunicationUserIdentifier,
    MicrosoftTeamsAppIdentifier, MicrosoftTeamsUserIdentifier, PhoneNumberIdentifier,
    TeamsExtensionUserIdentifier, UnknownIdentifier,
};
pub use service_error::CommunicationError;
