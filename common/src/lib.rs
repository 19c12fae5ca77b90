#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth;
pub mod credential;
mod error;
pub mod identifier;
// Not public API: helpers shared with the acs-identity crate of this workspace
// (how a rejected request's error is built and how a message quotes a value).
// They may change in any release; `CommunicationError` is public at the root.
#[doc(hidden)]
pub mod service_error;

pub use auth::{
    parse_endpoint, AzureKeyCredential, ConnectionString, HmacAuthenticationPolicy,
    COMMUNICATION_SCOPE,
};
pub use azure_core::credentials::AccessToken;
pub use credential::{
    CommunicationToken, CommunicationTokenCredential, CommunicationTokenRefreshOptions,
    EntraCommunicationTokenCredentialOptions, TokenRefresher, ENTRA_CLIENTS_SCOPE,
};
pub use error::InvalidArgument;
pub use identifier::{
    CommunicationCloudEnvironment, CommunicationIdentifier, CommunicationUserIdentifier,
    MicrosoftTeamsAppIdentifier, MicrosoftTeamsUserIdentifier, PhoneNumberIdentifier,
    TeamsExtensionUserIdentifier, UnknownIdentifier,
};
pub use service_error::CommunicationError;
