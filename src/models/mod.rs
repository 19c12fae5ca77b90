//! Models: token scopes, API versions, and the service's request and response bodies.

pub mod api_version;
mod expiry;
mod scope;
pub(crate) mod wire;

pub(crate) use expiry::expires_in_minutes;
pub use expiry::{MAX_TOKEN_EXPIRES_IN, MIN_TOKEN_EXPIRES_IN};
pub use scope::CommunicationTokenScope;
