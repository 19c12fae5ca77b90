//! ACS access tokens: HS256 JWTs signed with a per-emulator secret, with the service's claims.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use time::OffsetDateTime;

type HmacSha256 = Hmac<Sha256>;

/// `{"alg":"HS256","typ":"JWT","kid":"acs-identity-emulator"}`
const HEADER_JSON: &str = r#"{"alg":"HS256","typ":"JWT","kid":"acs-identity-emulator"}"#;

/// The scope bitmask the live service writes for chat tokens; the emulator writes it for all.
pub(crate) const SCP: u32 = 1792;

/// The claims of an emulator token (recorded service tokens carry the same claim names).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Claims {
    /// The identity's raw id without `8:`, e.g. `acs:<resource>_<id>` or `orgid:<oid>`.
    pub(crate) skypeid: String,
    pub(crate) scp: u32,
    /// Issue time, epoch seconds, as a string.
    pub(crate) csi: String,
    pub(crate) iat: i64,
    pub(crate) exp: i64,
    /// Comma-separated scopes.
    #[serde(rename = "acsScope")]
    pub(crate) acs_scope: String,
    #[serde(rename = "resourceId")]
    pub(crate) resource_id: String,
    #[serde(rename = "resourceLocation")]
    pub(crate) resource_location: String,
    /// Emulator-only: the identity's revocation generation when the token was issued. A revoke
    /// or delete bumps the generation, which invalidates every token issued before it even
    /// within the same second.
    #[serde(default)]
    pub(crate) gen: u32,
}

/// Signs and checks emulator tokens.
pub(crate) struct TokenSigner {
    mac: HmacSha256,
    header_b64: String,
}

impl std::fmt::Debug for TokenSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenSigner { .. }")
    }
}

/// A token that could not be read or whose signature is not the emulator's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DecodeError {
    Malformed,
    BadSignature,
}

impl TokenSigner {
    pub(crate) fn new(secret: &[u8]) -> Self {
        TokenSigner {
            mac: HmacSha256::new_from_slice(secret).expect("HMAC takes keys of any length"),
            header_b64: URL_SAFE_NO_PAD.encode(HEADER_JSON),
        }
    }

    pub(crate) fn sign(&self, claims: &Claims) -> String {
        let payload = serde_json::to_vec(claims).unwrap_or_default();
        let mut token = String::with_capacity(self.header_b64.len() + payload.len() * 4 / 3 + 48);
        token.push_str(&self.header_b64);
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(&payload, &mut token);
        let mut mac = self.mac.clone();
        mac.update(token.as_bytes());
        let sig = mac.finalize().into_bytes();
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(sig, &mut token);
        token
    }

    pub(crate) fn decode(&self, token: &str) -> Result<Claims, DecodeError> {
        let token = token.trim();
        let mut parts = token.split('.');
        let (Some(h), Some(p), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(DecodeError::Malformed);
        };
        let payload = URL_SAFE_NO_PAD
            .decode(p)
            .map_err(|_| DecodeError::Malformed)?;
        let sig = URL_SAFE_NO_PAD
            .decode(s)
            .map_err(|_| DecodeError::Malformed)?;
        let mut mac = self.mac.clone();
        mac.update(h.as_bytes());
        mac.update(b".");
        mac.update(p.as_bytes());
        if mac.verify_slice(&sig).is_err() {
            // Tell a JWT from someone else apart from garbage.
            return match serde_json::from_slice::<serde_json::Value>(&payload) {
                Ok(serde_json::Value::Object(_)) => Err(DecodeError::BadSignature),
                _ => Err(DecodeError::Malformed),
            };
        }
        serde_json::from_slice(&payload).map_err(|_| DecodeError::Malformed)
    }
}

/// Whether a token the emulator issued is still good, as told by
/// [`Emulator::validate_token`](crate::Emulator::validate_token) and
/// `POST /_emulator/tokens:validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenStatus {
    /// Signed by this emulator, not expired, not revoked, identity not deleted.
    Valid,
    /// Past its `exp`.
    Expired,
    /// Issued before the identity's tokens were revoked.
    Revoked,
    /// The identity has been deleted.
    IdentityDeleted,
    /// Signed by this emulator, but the identity is not in its store.
    UnknownIdentity,
    /// A JWT, but not signed by this emulator (another emulator, a restart without
    /// `--data-dir`, or tampering).
    BadSignature,
    /// Not a JWT at all.
    Malformed,
}

impl TokenStatus {
    /// The reason as written in the validation endpoint's body (`valid`, `expired`,
    /// `revoked`, `identityDeleted`, `unknownIdentity`, `badSignature`, `malformed`).
    pub fn as_str(self) -> &'static str {
        match self {
            TokenStatus::Valid => "valid",
            TokenStatus::Expired => "expired",
            TokenStatus::Revoked => "revoked",
            TokenStatus::IdentityDeleted => "identityDeleted",
            TokenStatus::UnknownIdentity => "unknownIdentity",
            TokenStatus::BadSignature => "badSignature",
            TokenStatus::Malformed => "malformed",
        }
    }

    /// A sentence for people.
    pub fn description(self) -> &'static str {
        match self {
            TokenStatus::Valid => "The token is valid.",
            TokenStatus::Expired => "The token has expired.",
            TokenStatus::Revoked => {
                "The token was issued before the identity's tokens were revoked."
            }
            TokenStatus::IdentityDeleted => {
                "The identity the token was issued for has been deleted."
            }
            TokenStatus::UnknownIdentity => {
                "The identity the token was issued for is not known to this emulator."
            }
            TokenStatus::BadSignature => "The token was not signed by this emulator.",
            TokenStatus::Malformed => "The value is not a JWT.",
        }
    }
}

/// The result of checking a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenValidation {
    /// Valid, or why not.
    pub status: TokenStatus,
    /// The identity's raw id (`8:acs:...`; `8:orgid:<oid>` for a Teams user exchange,
    /// `8:acs:<resource>_<tid>_<oid>` for a Teams Extension exchange,
    /// `8:acs:<resource>_wf_<tid>_<oid>` for an Entra exchange), when the token could be read.
    /// Exchanged identities are not in the identity store: their tokens are valid until they
    /// expire.
    pub identity: Option<String>,
    /// The token's scopes, when it could be read.
    pub scopes: Vec<String>,
    /// The token's `iat`, when it could be read.
    pub issued_at: Option<OffsetDateTime>,
    /// The token's `exp`, when it could be read.
    pub expires_on: Option<OffsetDateTime>,
}

impl TokenValidation {
    /// True when [`status`](Self::status) is [`TokenStatus::Valid`].
    pub fn is_valid(&self) -> bool {
        self.status == TokenStatus::Valid
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> Claims {
        Claims {
            skypeid: "acs:r_1".into(),
            scp: SCP,
            csi: "100".into(),
            iat: 100,
            exp: 200,
            acs_scope: "chat,voip".into(),
            resource_id: "r".into(),
            resource_location: "unitedstates".into(),
            gen: 3,
        }
    }

    #[test]
    fn round_trip_and_tamper() {
        let s = TokenSigner::new(b"secret");
        let t = s.sign(&claims());
        let c = s.decode(&t).unwrap();
        assert_eq!(c.exp, 200);
        assert_eq!(c.gen, 3);
        assert_eq!(
            TokenSigner::new(b"other").decode(&t).unwrap_err(),
            DecodeError::BadSignature
        );
        assert_eq!(s.decode("abc").unwrap_err(), DecodeError::Malformed);
        assert_eq!(s.decode("a.b.c").unwrap_err(), DecodeError::Malformed);
        let mut parts: Vec<&str> = t.split('.').collect();
        let other = URL_SAFE_NO_PAD.encode(br#"{"exp":999}"#);
        parts[1] = &other;
        assert_eq!(
            s.decode(&parts.join(".")).unwrap_err(),
            DecodeError::BadSignature
        );
    }

    #[test]
    fn payload_is_standard_jwt_claims() {
        let s = TokenSigner::new(b"secret");
        let t = s.sign(&claims());
        let payload = URL_SAFE_NO_PAD
            .decode(t.split('.').nth(1).unwrap())
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&payload).unwrap();
        assert_eq!(v["skypeid"], "acs:r_1");
        assert_eq!(v["csi"], "100");
        assert_eq!(v["acsScope"], "chat,voip");
        assert_eq!(v["resourceLocation"], "unitedstates");
    }
}
