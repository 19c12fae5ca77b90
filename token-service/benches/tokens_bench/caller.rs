//! The app users' identity provider, as the service sees it: an ES256 key generated for the
//! run, its JWKS written to a file (`ACS_TOKEN_SERVICE_JWKS_URL=file://...`), and one bearer
//! JWT per app user (RFC 7515 compact serialization, RFC 7518 §3.4 signature: `r || s`).

use aws_lc_rs::{
    rand::SystemRandom,
    signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_FIXED_SIGNING},
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use std::time::{SystemTime, UNIX_EPOCH};

pub const ISSUER: &str = "https://login.bench.example/6e5b0c1d-bench-tenant/v2.0";
pub const AUDIENCE: &str = "api://acs-token-service-bench";
pub const TENANT_ID: &str = "6e5b0c1d-0000-4000-8000-00000000be0c";
/// The service's default required scope (`ACS_TOKEN_SERVICE_REQUIRED_SCOPE`).
pub const SCOPE: &str = "access_as_user";
const KID: &str = "bench-es256-1";
/// Longer than any run: a caller's JWT never expires during the bench.
const JWT_LIFETIME_SECS: u64 = 4 * 3600;

pub struct Issuer {
    key: EcdsaKeyPair,
    rng: SystemRandom,
}

impl Issuer {
    pub fn generate() -> Self {
        Issuer {
            key: EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING)
                .expect("generate a P-256 key"),
            rng: SystemRandom::new(),
        }
    }

    /// `{"keys":[...]}` with the public key (uncompressed point `04 || x || y`).
    pub fn jwks_json(&self) -> String {
        let point = self.key.public_key().as_ref();
        assert_eq!(point.len(), 65, "an uncompressed P-256 point");
        serde_json::json!({
            "keys": [{
                "kty": "EC",
                "crv": "P-256",
                "alg": "ES256",
                "use": "sig",
                "kid": KID,
                "x": URL_SAFE_NO_PAD.encode(&point[1..33]),
                "y": URL_SAFE_NO_PAD.encode(&point[33..65]),
            }]
        })
        .to_string()
    }

    /// The bearer JWT of app user `n`: its `oid` (the service's default user claim) and `sub`
    /// are unique per user, `scp` carries the required scope.
    pub fn user_jwt(&self, n: usize) -> String {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("clock after 1970")
            .as_secs();
        let oid = format!("00000000-0000-4000-8000-{n:012x}");
        let header = serde_json::json!({"alg": "ES256", "typ": "JWT", "kid": KID});
        let claims = serde_json::json!({
            "iss": ISSUER,
            "aud": AUDIENCE,
            "tid": TENANT_ID,
            "oid": oid,
            "sub": format!("bench-user-{n}"),
            "scp": SCOPE,
            "iat": now,
            "nbf": now - 60,
            "exp": now + JWT_LIFETIME_SECS,
        });
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let signature = self
            .key
            .sign(&self.rng, signing_input.as_bytes())
            .expect("ES256 signature");
        format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature.as_ref())
        )
    }
}
