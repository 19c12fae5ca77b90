use crate::CommunicationUserIdentifier;
use azure_core::{fmt::SafeDebug, time::OffsetDateTime};

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
///
/// Its `Debug` leaves out the custom id (often an e-mail address or another
/// personal id): `CommunicationUserDetail { user: .., last_token_issued_at: .., .. }`
/// (azure_core's `SafeDebug`; with azure_core's `debug` feature on, every field shows).
#[derive(Clone, SafeDebug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CommunicationUserDetail {
    /// The identity.
    #[safe(true)]
    pub user: CommunicationUserIdentifier,
    /// The custom id the identity was created with
    /// ([`CreateUserOptions::custom_id`](crate::CreateUserOptions::custom_id)), if any.
    pub custom_id: Option<String>,
    /// When the identity was last issued an access token; `None` if never.
    #[safe(true)]
    pub last_token_issued_at: Option<OffsetDateTime>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_leaves_out_the_custom_id() {
        let detail = CommunicationUserDetail {
            user: CommunicationUserIdentifier::new("8:acs:r_u"),
            custom_id: Some("alice@contoso.com".to_owned()),
            last_token_issued_at: None,
        };
        let debug = format!("{detail:?}");
        assert!(!debug.contains("alice"), "{debug}");
        assert!(debug.contains("8:acs:r_u"), "{debug}");
        assert!(debug.contains("last_token_issued_at: None"), "{debug}");
        assert!(debug.ends_with(", .. }"), "{debug}");
    }
}
