//! [`parse_scopes`]: ACS token scopes from `chat,voip`.

use acs_identity::CommunicationTokenScope;

/// The scopes a request or setting may name.
pub(crate) const KNOWN_SCOPES: &str = "chat, voip, chat.join, chat.join.limited, voip.join";

/// Parses a comma-separated list of known ACS scopes (at least one).
pub fn parse_scopes(list: &str) -> Result<Vec<CommunicationTokenScope>, String> {
    let scopes: Vec<_> = list
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| match CommunicationTokenScope::from(s) {
            CommunicationTokenScope::Other(other) => Err(format!(
                "unknown scope {other:?}; expected a comma-separated list of {KNOWN_SCOPES}"
            )),
            known => Ok(known),
        })
        .collect::<Result<_, _>>()?;
    if scopes.is_empty() {
        return Err(format!(
            "no scope given; expected a comma-separated list of {KNOWN_SCOPES}"
        ));
    }
    Ok(scopes)
}
