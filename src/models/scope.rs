use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::{convert::Infallible, fmt, str::FromStr};

/// What an ACS access token grants.
///
/// The service treats scopes as an open set; [`Other`](Self::Other) carries a
/// value this version of the crate does not know, and is sent as written.
/// Parsing is case-insensitive for the known values, as in the Python SDK.
///
/// ```
/// use acs_identity::CommunicationTokenScope;
///
/// assert_eq!(CommunicationTokenScope::ChatJoinLimited.as_str(), "chat.join.limited");
/// assert_eq!("VoIP".parse::<CommunicationTokenScope>().unwrap(), CommunicationTokenScope::VoIP);
/// let future: CommunicationTokenScope = "chat.future".parse().unwrap();
/// assert_eq!(future, CommunicationTokenScope::Other("chat.future".into()));
/// assert_eq!(future.to_string(), "chat.future");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CommunicationTokenScope {
    /// `chat`: full access to the Chat APIs.
    Chat,
    /// `voip`: full access to the Calling APIs.
    VoIP,
    /// `chat.join`: Chat without creating, deleting or updating threads (api-version 2023-10-01+).
    ChatJoin,
    /// `chat.join.limited`: like `chat.join`, and cannot add or remove participants (2023-10-01+).
    ChatJoinLimited,
    /// `voip.join`: Calling without starting new calls (2023-10-01+).
    VoIPJoin,
    /// A scope this version does not know, sent verbatim.
    Other(String),
}

impl CommunicationTokenScope {
    /// The value sent on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Chat => "chat",
            Self::VoIP => "voip",
            Self::ChatJoin => "chat.join",
            Self::ChatJoinLimited => "chat.join.limited",
            Self::VoIPJoin => "voip.join",
            Self::Other(s) => s,
        }
    }

    /// The first api-version that knows this scope (`None` for [`Other`](Self::Other)).
    pub fn min_api_version(&self) -> Option<&'static str> {
        match self {
            Self::Chat | Self::VoIP => Some(super::api_version::V2021_03_07),
            Self::ChatJoin | Self::ChatJoinLimited | Self::VoIPJoin => {
                Some(super::api_version::V2023_10_01)
            }
            Self::Other(_) => None,
        }
    }
}

impl CommunicationTokenScope {
    /// `chat.join`, `chat.join.limited` or `voip.join` (known from 2023-10-01 on).
    pub(crate) fn is_join_scope(&self) -> bool {
        matches!(
            self,
            Self::ChatJoin | Self::ChatJoinLimited | Self::VoIPJoin
        )
    }
}

impl fmt::Display for CommunicationTokenScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CommunicationTokenScope {
    type Err = Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self::from(s))
    }
}

impl From<&str> for CommunicationTokenScope {
    fn from(s: &str) -> Self {
        const KNOWN: [CommunicationTokenScope; 5] = [
            CommunicationTokenScope::Chat,
            CommunicationTokenScope::VoIP,
            CommunicationTokenScope::ChatJoin,
            CommunicationTokenScope::ChatJoinLimited,
            CommunicationTokenScope::VoIPJoin,
        ];
        KNOWN
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
            .unwrap_or_else(|| Self::Other(s.to_owned()))
    }
}

impl From<String> for CommunicationTokenScope {
    fn from(s: String) -> Self {
        match Self::from(s.as_str()) {
            Self::Other(_) => Self::Other(s),
            known => known,
        }
    }
}

impl Serialize for CommunicationTokenScope {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CommunicationTokenScope {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_values_round_trip() {
        for (scope, wire) in [
            (CommunicationTokenScope::Chat, "chat"),
            (CommunicationTokenScope::VoIP, "voip"),
            (CommunicationTokenScope::ChatJoin, "chat.join"),
            (
                CommunicationTokenScope::ChatJoinLimited,
                "chat.join.limited",
            ),
            (CommunicationTokenScope::VoIPJoin, "voip.join"),
        ] {
            assert_eq!(scope.as_str(), wire);
            assert_eq!(wire.parse::<CommunicationTokenScope>().unwrap(), scope);
            assert_eq!(
                wire.to_uppercase()
                    .parse::<CommunicationTokenScope>()
                    .unwrap(),
                scope
            );
            assert_eq!(
                serde_json::to_string(&scope).unwrap(),
                format!("\"{wire}\"")
            );
            let back: CommunicationTokenScope =
                serde_json::from_str(&format!("\"{wire}\"")).unwrap();
            assert_eq!(back, scope);
        }
    }

    #[test]
    fn unknown_values_are_kept_verbatim() {
        let s: CommunicationTokenScope = "Email".parse().unwrap();
        assert_eq!(s, CommunicationTokenScope::Other("Email".into()));
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"Email\"");
        assert_eq!(s.min_api_version(), None);
    }
}
