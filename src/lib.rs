#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
pub mod blocking;
mod client;
pub mod models;

/// The `acs-common` crate: identifiers, user token credentials, access-key signing
/// and connection strings. Everything in it is also re-exported here, at this
/// crate's root, under the same names.
pub use acs_common as common;
pub use acs_common::{auth, credential, identifier};

pub use acs_common::{
    AccessToken, AzureKeyCredential, CommunicationCloudEnvironment, CommunicationError,
    CommunicationIdentifier, CommunicationToken, CommunicationTokenCredential,
    CommunicationTokenRefreshOptions, CommunicationUserIdentifier, ConnectionString,
    HmacAuthenticationPolicy, InvalidArgument, MicrosoftTeamsAppIdentifier,
    MicrosoftTeamsUserIdentifier, PhoneNumberIdentifier, TeamsExtensionUserIdentifier,
    TokenRefresher, UnknownIdentifier, COMMUNICATION_SCOPE,
};
pub use client::{
    CommunicationIdentityClient, CommunicationIdentityClientOptions,
    CreateOrReplaceEntraAssignmentOptions, CreateOrReplaceTeamsExtensionAssignmentOptions,
    CreateUserAndTokenOptions, CreateUserOptions, CustomIdIgnored, DeleteEntraAssignmentOptions,
    DeleteTeamsExtensionAssignmentOptions, DeleteUserOptions, EntraAssignmentsPage,
    GetEntraAssignmentOptions, GetTeamsExtensionAssignmentOptions, GetTokenForTeamsUserOptions,
    GetTokenOptions, GetUserDetailOptions, ListEntraAssignmentsOptions, RevokeTokensOptions,
    UpdateEntraAssignmentsOptions, DEFAULT_MAX_RETRY_AFTER, DEFAULT_REQUEST_TIMEOUT,
    MAX_CUSTOM_ID_CHARS,
};
pub use models::{
    CommunicationTokenScope, CommunicationUserDetail, EntraAssignment, EntraPrincipalType,
    TeamsExtensionAssignment, TeamsExtensionPrincipalType,
};
