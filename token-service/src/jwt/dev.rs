//! For development only: [`DevIssuer`], a token issuer generated at run time (an ES256 key
//! pair), for `acs-token-service --dev` and tests. Its private key lives in this process's
//! memory and dies with it; never use it to sign tokens for a deployment.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use std::{fmt, time::Duration};

/// A development token issuer: an ES256 key generated at run time, its JWKS, and demo tokens.
/// For development only (see the [module](self)).
pub struct DevIssuer {
    kid: String,
    key: EncodingKey,
    jwks: String,
}

impl fmt::Debug for DevIssuer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DevIssuer")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

/// The development issuer could not make a key or a token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DevIssuerError(String);

impl fmt::Display for DevIssuerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "development issuer: {}", self.0)
    }
}

impl std::error::Error for DevIssuerError {}

impl DevIssuer {
    /// Generates a new P-256 key pair (its `kid` derived from the public key).
    pub fn generate() -> Result<Self, DevIssuerError> {
        use aws_lc_rs::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};
        let pair = EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING)
            .map_err(|_| DevIssuerError("cannot generate a P-256 key pair".to_owned()))?;
        let pkcs8 = pair
            .to_pkcs8v1()
            .map_err(|_| DevIssuerError("cannot encode the key pair".to_owned()))?;
        // The public key is the uncompressed point 0x04 || X || Y (32 bytes each).
        let point = pair.public_key().as_ref();
        if point.len() != 65 || point[0] != 4 {
            return Err(DevIssuerError("unexpected public key encoding".to_owned()));
        }
        let (x, y) = (&point[1..33], &point[33..65]);
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, point);
        let kid = format!("dev-{}", URL_SAFE_NO_PAD.encode(&digest.as_ref()[..12]));
        let jwks = serde_json::json!({
            "keys": [{
                "kty": "EC",
                "crv": "P-256",
                "use": "sig",
                "alg": "ES256",
                "kid": kid,
                "x": URL_SAFE_NO_PAD.encode(x),
                "y": URL_SAFE_NO_PAD.encode(y),
            }]
        })
        .to_string();
        Ok(Self {
            kid,
            key: EncodingKey::from_ec_der(pkcs8.as_ref()),
            jwks,
        })
    }

    /// The key id of the signing key.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The JWKS (public key only) to serve, or to write to a file for `file://PATH`.
    pub fn jwks_json(&self) -> String {
        self.jwks.clone()
    }

    /// Signs a token for `subject` (both its `sub` and `oid`, `tid` `dev`) for `audience`
    /// from `issuer`, with `scope` in `scp`, valid from now for `lifetime`.
    pub fn token(
        &self,
        subject: &str,
        audience: &str,
        issuer: &str,
        scope: &str,
        lifetime: Duration,
    ) -> Result<String, DevIssuerError> {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let lifetime = i64::try_from(lifetime.as_secs())
            .map_err(|_| DevIssuerError("the token lifetime is too long".to_owned()))?;
        let claims = serde_json::json!({
            "iss": issuer,
            "aud": audience,
            "sub": subject,
            "oid": subject,
            "tid": "dev",
            "scp": scope,
            "iat": now,
            "nbf": now,
            "exp": now.saturating_add(lifetime),
        });
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, &claims, &self.key)
            .map_err(|_| DevIssuerError("cannot sign the token".to_owned()))
    }
}
