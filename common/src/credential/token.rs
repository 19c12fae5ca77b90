use super::jwt::decode_expiry;
use azure_core::{
    credentials::{AccessToken, Secret},
    time::OffsetDateTime,
    Result,
};

/// A user access token handed to [`CommunicationTokenCredential`](super::CommunicationTokenCredential):
/// either a JWT whose expiry is read from its `exp` claim, or any token with an
/// explicit expiry (for opaque or encrypted tokens the credential cannot decode).
///
/// Strings, [`Secret`]s and [`AccessToken`]s convert into it, so a refresher can
/// return whichever it has. `Debug` never prints the token.
///
/// ```
/// use acs_common::credential::CommunicationToken;
/// use azure_core::{credentials::AccessToken, time::{Duration, OffsetDateTime}};
///
/// let jwt: CommunicationToken = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjMyNTAzNjgwMDAwfQ.c2ln".into();
/// let opaque = CommunicationToken::with_expiry("opaque", OffsetDateTime::now_utc() + Duration::hours(1));
/// let also_opaque: CommunicationToken =
///     AccessToken::new("opaque", OffsetDateTime::now_utc() + Duration::hours(1)).into();
/// assert!(!format!("{jwt:?}{opaque:?}{also_opaque:?}").contains("opaque\""));
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum CommunicationToken {
    /// A JWT; its expiry is decoded from the `exp` claim.
    Jwt(Secret),
    /// A token with an explicitly supplied expiry; the token is not decoded.
    WithExpiry(AccessToken),
}

impl CommunicationToken {
    /// A JWT whose expiry is read from its `exp` claim.
    pub fn jwt(token: impl Into<String>) -> Self {
        Self::Jwt(Secret::new(token.into()))
    }

    /// A token (of any format) that expires at `expires_on`.
    pub fn with_expiry(token: impl Into<String>, expires_on: OffsetDateTime) -> Self {
        Self::WithExpiry(AccessToken::new(token.into(), expires_on))
    }

    /// The token with its expiry: decoded for a JWT, as given otherwise.
    pub(crate) fn into_access_token(self) -> Result<AccessToken> {
        match self {
            Self::Jwt(secret) => {
                let expires_on = decode_expiry(secret.secret())?;
                Ok(AccessToken::new(secret, expires_on))
            }
            Self::WithExpiry(token) => Ok(token),
        }
    }
}

impl From<String> for CommunicationToken {
    fn from(token: String) -> Self {
        Self::jwt(token)
    }
}

impl From<&str> for CommunicationToken {
    fn from(token: &str) -> Self {
        Self::jwt(token)
    }
}

impl From<&String> for CommunicationToken {
    fn from(token: &String) -> Self {
        Self::jwt(token.as_str())
    }
}

impl From<Secret> for CommunicationToken {
    fn from(token: Secret) -> Self {
        Self::Jwt(token)
    }
}

impl From<AccessToken> for CommunicationToken {
    fn from(token: AccessToken) -> Self {
        Self::WithExpiry(token)
    }
}
