use crate::InvalidArgument;
use azure_core::error::Error;
use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

/// The cloud a Microsoft Teams user, Teams app or Teams extension user belongs to.
///
/// The cloud decides the raw-id prefix (`8:orgid:` / `8:dod:` / `8:gcch:` for
/// Teams users, `28:orgid:` / `28:dod:` / `28:gcch:` for Teams apps,
/// `8:acs:` / `8:dod-acs:` / `8:gcch-acs:` for Teams extension users). On the
/// wire it is the lower-case string `public`, `dod` or `gcch`.
///
/// ```
/// use acs_common::CommunicationCloudEnvironment;
///
/// assert_eq!(CommunicationCloudEnvironment::default(), CommunicationCloudEnvironment::Public);
/// let cloud: CommunicationCloudEnvironment = "gcch".parse().unwrap();
/// assert_eq!(cloud, CommunicationCloudEnvironment::Gcch);
/// assert_eq!(cloud.to_string(), "gcch");
/// assert!("mooncake".parse::<CommunicationCloudEnvironment>().is_err());
/// ```
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum CommunicationCloudEnvironment {
    /// The public (commercial) cloud.
    #[default]
    Public,
    /// The US Department of Defense cloud.
    Dod,
    /// The US Government Community Cloud High.
    Gcch,
}

impl CommunicationCloudEnvironment {
    /// The wire value: `public`, `dod` or `gcch`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Dod => "dod",
            Self::Gcch => "gcch",
        }
    }
}

impl fmt::Display for CommunicationCloudEnvironment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CommunicationCloudEnvironment {
    type Err = Error;

    /// Parses `public`, `dod` or `gcch` (ASCII case-insensitive).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("public") {
            Ok(Self::Public)
        } else if s.eq_ignore_ascii_case("dod") {
            Ok(Self::Dod)
        } else if s.eq_ignore_ascii_case("gcch") {
            Ok(Self::Gcch)
        } else {
            Err(InvalidArgument::new(
                "cloud",
                format!(
                    "unknown communication cloud environment {s:?}; expected \"public\", \"dod\" or \"gcch\""
                ),
            )
            .into())
        }
    }
}
