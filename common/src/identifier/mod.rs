//! Communication identifiers: the ids every ACS API speaks.
//!
//! [`CommunicationIdentifier`] is the sum of every identifier kind. Each kind
//! has a *raw id*, a single string that identifies it everywhere (`8:acs:…` for
//! an ACS user, `4:+1425…` for a phone number, `8:orgid:…` for a Teams user, …).
//! Raw ids parse with [`CommunicationIdentifier::from_raw_id`] (or
//! [`str::parse`]) following the current .NET and JS (2.5) rules, and
//! identifiers compare and hash by raw id.
//!
//! [`CommunicationUserIdentifier`] is the identity the Identity service creates
//! (raw id `8:acs:<resource id>_<user id>`).
//!
//! ```
//! use acs_common::{CommunicationCloudEnvironment, CommunicationIdentifier};
//!
//! let id: CommunicationIdentifier = "8:gcch:45ab2481-1c1c-4005-be24-0ffb879b1130".parse().unwrap();
//! match &id {
//!     CommunicationIdentifier::MicrosoftTeamsUser(user) => {
//!         assert_eq!(user.user_id(), "45ab2481-1c1c-4005-be24-0ffb879b1130");
//!         assert_eq!(user.cloud(), CommunicationCloudEnvironment::Gcch);
//!     }
//!     other => panic!("unexpected kind {}", other.kind()),
//! }
//! assert_eq!(id.to_string(), "8:gcch:45ab2481-1c1c-4005-be24-0ffb879b1130");
//! ```

mod cloud;
mod phone;
mod raw_id;
mod teams;
mod unknown;
mod user;
mod wire;

pub use cloud::CommunicationCloudEnvironment;
pub use phone::PhoneNumberIdentifier;
pub use teams::{
    MicrosoftTeamsAppIdentifier, MicrosoftTeamsUserIdentifier, TeamsExtensionUserIdentifier,
};
pub use unknown::UnknownIdentifier;
pub use user::CommunicationUserIdentifier;

use crate::InvalidArgument;
use azure_core::{error::Error, Result};
use std::{
    convert::Infallible,
    fmt,
    hash::{Hash, Hasher},
    str::FromStr,
};

/// Implements `PartialEq`, `Eq`, `Hash` and `Display` by raw id.
macro_rules! raw_id_identity {
    ($ty:ty) => {
        impl PartialEq for $ty {
            fn eq(&self, other: &Self) -> bool {
                self.raw_id() == other.raw_id()
            }
        }

        impl Eq for $ty {}

        impl std::hash::Hash for $ty {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.raw_id().hash(state);
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.raw_id())
            }
        }
    };
}
pub(crate) use raw_id_identity;

/// Rejects an empty part with an error naming the type, the part and what is expected.
pub(crate) fn non_empty(
    type_name: &str,
    part: &'static str,
    expected: &str,
    value: String,
) -> Result<String> {
    if value.is_empty() {
        Err(InvalidArgument::new(
            part,
            format!("{type_name}: {part} must not be empty; expected {expected}"),
        )
        .into())
    } else {
        Ok(value)
    }
}

/// Any Azure Communication Services identifier.
///
/// Build one from a raw id ([`from_raw_id`](Self::from_raw_id), [`FromStr`]),
/// from a typed identifier (`From<PhoneNumberIdentifier>` etc.), or
/// deserialise it from the ACS wire model (`{"rawId": …, "kind": …,
/// "communicationUser": {"id": …}}`, see [`Deserialize`](serde::Deserialize)).
/// Equality and hashing use the raw id only, so identifiers that name the same
/// participant are equal whatever kind they were parsed as.
///
/// ```
/// use acs_common::{CommunicationIdentifier, CommunicationUserIdentifier};
///
/// let raw = "8:acs:bbbcbc1e-9f06-482a-b5d8-20e3f26ef0cd_45ab2481-1c1c-4005-be24-0ffb879b1130";
/// let id = CommunicationIdentifier::from_raw_id(raw);
/// assert_eq!(id.kind(), "communicationUser");
/// assert_eq!(id.raw_id(), raw);
///
/// let user = CommunicationUserIdentifier::new(raw);
/// assert_eq!(CommunicationIdentifier::from(user.clone()), id);
/// assert_eq!(CommunicationUserIdentifier::try_from(id).unwrap(), user);
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum CommunicationIdentifier {
    /// An ACS user (`8:acs:…`, `8:spool:…`, `8:dod-acs:…`, `8:gcch-acs:…`).
    CommunicationUser(CommunicationUserIdentifier),
    /// A phone number (`4:…`).
    PhoneNumber(PhoneNumberIdentifier),
    /// A Microsoft Teams user (`8:orgid:…`, `8:dod:…`, `8:gcch:…`, `8:teamsvisitor:…`).
    MicrosoftTeamsUser(MicrosoftTeamsUserIdentifier),
    /// A Microsoft Teams app (`28:orgid:…`, `28:dod:…`, `28:gcch:…`).
    MicrosoftTeamsApp(MicrosoftTeamsAppIdentifier),
    /// A Teams Phone extensibility user (`8:acs:<resource>_<tenant>_<user>` and cloud variants).
    TeamsExtensionUser(TeamsExtensionUserIdentifier),
    /// Anything else, kept as its raw id.
    Unknown(UnknownIdentifier),
}

impl CommunicationIdentifier {
    /// Parses a raw id. Never fails: unrecognised raw ids become [`Unknown`](Self::Unknown).
    ///
    /// Follows the current .NET and JS 2.5 rules: `4:` is a phone number (kept
    /// verbatim); otherwise the raw id must have exactly three `:`-separated
    /// segments (so `8:orgid:a:b` is Unknown); an `8:acs:`, `8:dod-acs:` or
    /// `8:gcch-acs:` suffix with exactly three `_`-separated parts is a Teams
    /// extension user, any other suffix an ACS user. A recognised prefix with an
    /// empty id (e.g. `8:orgid:`) is Unknown. Always `from_raw_id(s).raw_id() == s`.
    ///
    /// ```
    /// use acs_common::CommunicationIdentifier;
    ///
    /// assert_eq!(CommunicationIdentifier::from_raw_id("4:+112345556789").kind(), "phoneNumber");
    /// assert_eq!(CommunicationIdentifier::from_raw_id("28:orgid:abc").kind(), "microsoftTeamsApp");
    /// assert_eq!(CommunicationIdentifier::from_raw_id("8:acs:r_t_u").kind(), "teamsExtensionUser");
    /// assert_eq!(CommunicationIdentifier::from_raw_id("8:orgid:a:b").kind(), "unknown");
    /// ```
    pub fn from_raw_id(raw_id: &str) -> Self {
        raw_id::parse(raw_id)
    }

    /// The raw id.
    pub fn raw_id(&self) -> &str {
        match self {
            Self::CommunicationUser(id) => id.raw_id(),
            Self::PhoneNumber(id) => id.raw_id(),
            Self::MicrosoftTeamsUser(id) => id.raw_id(),
            Self::MicrosoftTeamsApp(id) => id.raw_id(),
            Self::TeamsExtensionUser(id) => id.raw_id(),
            Self::Unknown(id) => id.raw_id(),
        }
    }

    /// The kind as the wire model names it: `communicationUser`, `phoneNumber`,
    /// `microsoftTeamsUser`, `microsoftTeamsApp`, `teamsExtensionUser` or `unknown`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::CommunicationUser(_) => wire::KIND_COMMUNICATION_USER,
            Self::PhoneNumber(_) => wire::KIND_PHONE_NUMBER,
            Self::MicrosoftTeamsUser(_) => wire::KIND_MICROSOFT_TEAMS_USER,
            Self::MicrosoftTeamsApp(_) => wire::KIND_MICROSOFT_TEAMS_APP,
            Self::TeamsExtensionUser(_) => wire::KIND_TEAMS_EXTENSION_USER,
            Self::Unknown(_) => wire::KIND_UNKNOWN,
        }
    }
}

impl PartialEq for CommunicationIdentifier {
    fn eq(&self, other: &Self) -> bool {
        self.raw_id() == other.raw_id()
    }
}

impl Eq for CommunicationIdentifier {}

impl Hash for CommunicationIdentifier {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.raw_id().hash(state);
    }
}

impl fmt::Display for CommunicationIdentifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.raw_id())
    }
}

/// Parsing a raw id never fails, so the error type is [`Infallible`]: a raw id of no
/// known kind becomes [`CommunicationIdentifier::Unknown`], keeping it whole, as
/// every official SDK does (a newer service may send kinds this crate does not know).
impl FromStr for CommunicationIdentifier {
    type Err = Infallible;

    /// Same as [`CommunicationIdentifier::from_raw_id`]; never fails.
    fn from_str(raw_id: &str) -> std::result::Result<Self, Self::Err> {
        Ok(Self::from_raw_id(raw_id))
    }
}

macro_rules! from_kind {
    ($variant:ident, $ty:ty, $expected:literal) => {
        impl From<$ty> for CommunicationIdentifier {
            fn from(id: $ty) -> Self {
                Self::$variant(id)
            }
        }

        impl TryFrom<CommunicationIdentifier> for $ty {
            type Error = Error;

            /// Succeeds when the identifier is of this kind.
            fn try_from(id: CommunicationIdentifier) -> Result<Self> {
                match id {
                    CommunicationIdentifier::$variant(id) => Ok(id),
                    other => Err(InvalidArgument::new(
                        "identifier",
                        format!(
                            concat!(
                                "expected a ",
                                $expected,
                                " identifier, got kind {} (raw id {:?})"
                            ),
                            other.kind(),
                            other.raw_id()
                        ),
                    )
                    .into()),
                }
            }
        }
    };
}

from_kind!(
    CommunicationUser,
    CommunicationUserIdentifier,
    "communicationUser"
);
from_kind!(PhoneNumber, PhoneNumberIdentifier, "phoneNumber");
from_kind!(
    MicrosoftTeamsUser,
    MicrosoftTeamsUserIdentifier,
    "microsoftTeamsUser"
);
from_kind!(
    MicrosoftTeamsApp,
    MicrosoftTeamsAppIdentifier,
    "microsoftTeamsApp"
);
from_kind!(
    TeamsExtensionUser,
    TeamsExtensionUserIdentifier,
    "teamsExtensionUser"
);
from_kind!(Unknown, UnknownIdentifier, "unknown");

impl From<&CommunicationUserIdentifier> for CommunicationIdentifier {
    fn from(id: &CommunicationUserIdentifier) -> Self {
        Self::CommunicationUser(id.clone())
    }
}
