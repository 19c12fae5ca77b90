//! Authentication: the access key, connection strings and the HMAC-SHA256 policy.
//!
//! Azure Communication Services accepts two kinds of authentication:
//!
//! * **Access key** (HMAC-SHA256): each request is signed with the resource's
//!   access key by [`HmacAuthenticationPolicy`]. The key comes from an
//!   [`AzureKeyCredential`] or a [`ConnectionString`].
//! * **Entra ID** (bearer token): any `azure_core` [`TokenCredential`](azure_core::credentials::TokenCredential)
//!   (for example from `azure_identity`) through azure_core's bearer policy with the
//!   scope [`COMMUNICATION_SCOPE`].

mod connection_string;
mod hmac_policy;
mod key_credential;
mod signing;

pub use connection_string::{parse_endpoint, ConnectionString};
pub use hmac_policy::HmacAuthenticationPolicy;
pub use key_credential::AzureKeyCredential;

/// The Entra ID scope Azure Communication Services accepts bearer tokens for.
///
/// The double slash is intentional: it is what every official SDK requests.
pub const COMMUNICATION_SCOPE: &str = "https://communication.azure.com//.default";
