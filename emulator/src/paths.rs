//! The ACS paths that more than the router needs to know, as the canonical path spells them
//! (`layers/canonical_path.rs`): the router (`routes/mod.rs`) serves them, and the
//! authentication layer (`layers/auth.rs`) asks [`takes_user_token`].

/// One Teams Extension assignment.
pub(crate) const TEAMS_EXTENSION_ASSIGNMENT: &str =
    "/access/teamsExtension/tenants/{tenantId}/assignments/{objectId}";

/// The Teams Extension (Teams Phone) token exchange.
pub(crate) const TEAMS_EXTENSION_EXCHANGE: &str = "/access/teamsExtension/:exchangeAccessToken";

/// The Entra ID user token exchange.
pub(crate) const ENTRA_EXCHANGE: &str = "/access/entra/:exchangeAccessToken";

/// True for the (canonical) paths whose `Authorization: Bearer` is the user's own Entra ID
/// token rather than a management token: the Teams Extension and Entra exchanges.
pub(crate) fn takes_user_token(path: &str) -> bool {
    path == TEAMS_EXTENSION_EXCHANGE || path == ENTRA_EXCHANGE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_two_exchanges_take_the_user_token() {
        assert!(takes_user_token(TEAMS_EXTENSION_EXCHANGE));
        assert!(takes_user_token(ENTRA_EXCHANGE));
        assert!(!takes_user_token("/teamsUser/:exchangeAccessToken"));
        assert!(!takes_user_token("/access/entra/assignments"));
    }
}
