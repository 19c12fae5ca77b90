use crate::CommunicationUserIdentifier;
use azure_core::time::OffsetDateTime;

/// What the service keeps about an identity, from
/// [`get_user_detail`](crate::CommunicationIdentityClient::get_user_detail)
/// (api-version `2025-03-02-preview`).
///
/// ```
/// # fn show(detail: acs_identity::CommunicationUserDetail) {
/// match (&detail.custom_id, detail.last_token_issued_at) {
///     (Some(custom_id), Some(at)) => println!("{} is {custom_id}, last token at {at}", detail.user),
///     (Some(custom_id), None) => println!("{} is {custom_id}, never issued a token", detail.user),
///     (None, _) => println!("{} has no custom id", detail.user),
/// }
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CommunicationUserDetail {
    /// The identity.
    pub user: CommunicationUserIdentifier,
    /// The custom id the identity was created with
    /// ([`CreateUserOptions::custom_id`](crate::CreateUserOptions::custom_id)), if any.
    pub custom_id: Option<String>,
    /// When the identity was last issued an access token; `None` if never.
    pub last_token_issued_at: Option<OffsetDateTime>,
}
