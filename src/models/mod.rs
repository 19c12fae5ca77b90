//! Models: token scopes, API versions, identity details, Teams Extension
//! assignments, and the service's request and response bodies.

pub mod api_version;
mod entra;
mod expiry;
mod scope;
mod teams_extension;
mod user_detail;
pub(crate) mod wire;
mod wire_enum;

pub use entra::{EntraAssignment, EntraPrincipalType};
pub(crate) use expiry::token_expires_in;
pub use expiry::{MAX_TOKEN_EXPIRES_IN, MIN_TOKEN_EXPIRES_IN};
pub use scope::CommunicationTokenScope;
pub use teams_extension::{TeamsExtensionAssignment, TeamsExtensionPrincipalType};
pub use user_detail::CommunicationUserDetail;
