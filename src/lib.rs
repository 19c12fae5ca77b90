#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth;
mod client;
pub mod credential;
mod error;
pub mod identifier;
pub mod models;
#[cfg(feature = "http1-transport")]
#[cfg_attr(docsrs, doc(cfg(feature = "http1-transport")))]
pub mod transport;

pub use auth::{
    AzureKeyCredential, ConnectionString, HmacAuthenticationPolicy, COMMUNICATION_SCOPE,
};
pub use azure_core::credentials::AccessToken;
pub use client::{
    CommunicationIdentityClient, CommunicationIdentityClientOptions, CreateUserAndTokenOptions,
    CreateUserOptions, DeleteUserOptions, GetTokenForTeamsUserOptions, GetTokenOptions,
    RevokeTokensOptions, DEFAULT_MAX_RETRY_AFTER, DEFAULT_REQUEST_TIMEOUT,
};
pub use credential::{
    CommunicationToken, CommunicationTokenCredential, CommunicationTokenRefreshOptions,
    TokenRefresher,
};
pub use error::{CommunicationError, InvalidArgument};
pub use identifier::CommunicationUserIdentifier;
pub use identifier::{
    CommunicationCloudEnvironment, CommunicationIdentifier, MicrosoftTeamsAppIdentifier,
    MicrosoftTeamsUserIdentifier, PhoneNumberIdentifier, TeamsExtensionUserIdentifier,
    UnknownIdentifier,
};
pub use models::CommunicationTokenScope;
