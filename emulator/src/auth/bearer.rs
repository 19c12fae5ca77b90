//! Bearer-token (Entra ID) authentication, simplified: the emulator cannot check Entra ID tokens.

/// Which `Authorization: Bearer <token>` values the emulator accepts.
///
/// The real service validates an Entra ID token for the scope
/// `https://communication.azure.com//.default`; the emulator has no access to Entra ID, so by
/// default it accepts any non-empty token.
///
/// The policy is about management tokens only: the Teams Extension and Entra token exchanges
/// (`/access/teamsExtension/:exchangeAccessToken`, `/access/entra/:exchangeAccessToken`) take the
/// user's own Entra ID token as bearer and decode it instead, whatever the policy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum BearerPolicy {
    /// Accept any non-empty bearer token (the default).
    #[default]
    AnyNonEmpty,
    /// Accept only these exact tokens.
    Only(Vec<String>),
    /// Reject every bearer token (HMAC only).
    Reject,
}

impl BearerPolicy {
    pub(crate) fn check(&self, token: &str) -> Result<(), &'static str> {
        if token.is_empty() {
            return Err("the bearer token is empty");
        }
        match self {
            BearerPolicy::AnyNonEmpty => Ok(()),
            BearerPolicy::Only(allowed) => {
                // Compare every candidate in constant time, without stopping at a match.
                let mut ok = false;
                for a in allowed {
                    ok |= ct_eq(a.as_bytes(), token.as_bytes());
                }
                if ok {
                    Ok(())
                } else {
                    Err("the bearer token is not one of the tokens this emulator was configured to accept")
                }
            }
            BearerPolicy::Reject => {
                Err("this emulator was configured to reject bearer tokens; sign requests with the access key")
            }
        }
    }
}

fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut diff = 0u8;
    for (x, y) in a.iter().zip(b) {
        diff |= x ^ y;
    }
    diff == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies() {
        assert!(BearerPolicy::AnyNonEmpty.check("x").is_ok());
        assert!(BearerPolicy::AnyNonEmpty.check("").is_err());
        let only = BearerPolicy::Only(vec!["good".into()]);
        assert!(only.check("good").is_ok());
        assert!(only.check("goof").is_err());
        assert!(only.check("goodd").is_err());
        assert!(BearerPolicy::Reject.check("good").is_err());
    }
}
