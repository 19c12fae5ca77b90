//! `--scope` arguments.

use acs_identity::CommunicationTokenScope;

/// The scopes the command line accepts, as written on the wire.
pub const KNOWN_SCOPES: &str = "chat, voip, chat.join, chat.join.limited, voip.join";

/// Parses a scope name (case-insensitive). Unknown names are refused rather than passed
/// through as [`CommunicationTokenScope::Other`], so that a typo is a usage error here
/// instead of a service error after a round trip; the library still sends any scope.
pub fn parse_scope(text: &str) -> Result<CommunicationTokenScope, String> {
    if text.trim().is_empty() {
        return Err(format!(
            "the scope is empty; expected one of {KNOWN_SCOPES}"
        ));
    }
    match CommunicationTokenScope::from(text) {
        CommunicationTokenScope::Other(_) => Err(format!(
            "`{text}` is not a scope; expected one of {KNOWN_SCOPES}"
        )),
        known => Ok(known),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_scope;
    use acs_identity::CommunicationTokenScope as S;

    #[test]
    fn known_scopes_any_case() {
        assert_eq!(parse_scope("chat"), Ok(S::Chat));
        assert_eq!(parse_scope("VoIP"), Ok(S::VoIP));
        assert_eq!(parse_scope("chat.join.limited"), Ok(S::ChatJoinLimited));
        assert_eq!(parse_scope("voip.join"), Ok(S::VoIPJoin));
    }

    #[test]
    fn empty_and_unknown_are_refused() {
        assert!(parse_scope("").unwrap_err().contains("empty"));
        assert!(parse_scope(" ").unwrap_err().contains("empty"));
        let err = parse_scope("caht").unwrap_err();
        assert!(err.contains("`caht` is not a scope"), "{err}");
        assert!(err.contains("chat.join.limited"), "{err}");
    }
}
