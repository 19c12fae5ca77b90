//! Entra ID (user) access tokens as the exchanges read them: the JWT payload is decoded
//! (base64url, or standard base64, padded or not) but the signature is NOT checked, nor the
//! audience or scopes: the emulator cannot reach Entra ID.
//!
//! Used by `POST /teamsUser/:exchangeAccessToken` (the token in the body) and by
//! `POST /access/teamsExtension/:exchangeAccessToken` and `POST /access/entra/:exchangeAccessToken`
//! (the token as `Authorization: Bearer`).

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use serde::Deserialize;

/// The latest `exp` an answer can carry: 9999-12-31T23:59:59Z (`expiresOn` has four year digits).
const MAX_EXP: i64 = 253_402_300_799;

/// The claims of an Entra ID access token the exchanges read.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct EntraClaims {
    pub(crate) exp: Option<serde_json::Number>,
    /// The client (application) id of v1 tokens.
    pub(crate) appid: Option<String>,
    /// The client (application) id of v2 tokens.
    pub(crate) azp: Option<String>,
    /// The user's object id.
    pub(crate) oid: Option<String>,
    /// The tenant id.
    pub(crate) tid: Option<String>,
    /// The object ids of the groups the user is in (present when the application asks for
    /// group claims).
    #[serde(default)]
    pub(crate) groups: Option<Vec<serde_json::Value>>,
}

impl EntraClaims {
    /// `appid`, else `azp`.
    pub(crate) fn client_id(&self) -> Option<&str> {
        self.appid.as_deref().or(self.azp.as_deref())
    }

    /// The `groups` entries that are strings.
    pub(crate) fn group_ids(&self) -> impl Iterator<Item = &str> {
        self.groups
            .iter()
            .flatten()
            .filter_map(serde_json::Value::as_str)
    }
}

/// Why an Entra ID token is not usable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unusable {
    /// Not a three-part JWT whose payload is a JSON object.
    Unreadable,
    /// No numeric `exp` claim (or one beyond year 9999).
    NoExpiry,
    /// `exp` is not after now.
    Expired,
}

impl Unusable {
    /// A sentence for the error message.
    pub(crate) fn reason(self) -> &'static str {
        match self {
            Unusable::Unreadable => {
                "the token is not a JWT (three base64url parts) whose payload is a JSON object"
            }
            Unusable::NoExpiry => "the token has no numeric exp claim",
            Unusable::Expired => "the token has expired",
        }
    }
}

/// The payload of a three-part JWT, or `None`.
pub(crate) fn decode(token: &str) -> Option<EntraClaims> {
    let mut parts = token.trim().split('.');
    let (Some(_), Some(payload), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(payload)
        .or_else(|_| URL_SAFE.decode(payload))
        .or_else(|_| STANDARD_NO_PAD.decode(payload))
        .or_else(|_| STANDARD.decode(payload))
        .ok()?;
    if bytes.trim_ascii_start().first() != Some(&b'{') {
        return None;
    }
    serde_json::from_slice(&bytes).ok()
}

/// The token's claims and its `exp` (Unix seconds; a fractional one rounded down), when it is a
/// readable JWT that has not expired at `now` (Unix seconds).
pub(crate) fn usable(token: &str, now: i64) -> Result<(EntraClaims, i64), Unusable> {
    let claims = decode(token).ok_or(Unusable::Unreadable)?;
    let exp = claims
        .exp
        .as_ref()
        .and_then(|n| n.as_i64().or_else(|| n.as_f64().map(|f| f.floor() as i64)))
        .filter(|exp| *exp <= MAX_EXP)
        .ok_or(Unusable::NoExpiry)?;
    if exp <= now {
        return Err(Unusable::Expired);
    }
    Ok((claims, exp))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(payload: &str) -> String {
        format!("e30.{}.sig", URL_SAFE_NO_PAD.encode(payload))
    }

    #[test]
    fn reads_the_claims() {
        let t = jwt(r#"{"exp":200.7,"azp":"a","oid":"o","tid":"t","groups":["g",1]}"#);
        let (c, exp) = usable(&t, 100).unwrap();
        assert_eq!(exp, 200);
        assert_eq!(c.client_id(), Some("a"));
        assert_eq!(c.group_ids().collect::<Vec<_>>(), ["g"]);
        assert_eq!(usable(&t, 200).unwrap_err(), Unusable::Expired);
        assert_eq!(
            usable(&jwt(r#"{"oid":"o"}"#), 0).unwrap_err(),
            Unusable::NoExpiry
        );
        assert_eq!(
            usable(&jwt(r#"{"exp":253402300800}"#), 0).unwrap_err(),
            Unusable::NoExpiry
        );
        for bad in ["", "a.b", "a.b.c.d", "e30.!!.x", &jwt("[1]")] {
            assert_eq!(usable(bad, 0).unwrap_err(), Unusable::Unreadable, "{bad}");
        }
    }
}
