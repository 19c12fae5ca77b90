//! The app users' identity provider, as the service sees it: the crate's
//! [`DevIssuer`](acs_token_service::jwt::dev::DevIssuer) (an ES256 key generated for the run),
//! its JWKS written to a file (`ACS_TOKEN_SERVICE_JWKS_URL=file://...`), and one bearer JWT per
//! app user.

use acs_token_service::jwt::dev::DevIssuer;
use std::time::Duration;

pub const ISSUER: &str = "https://login.bench.example/bench-tenant/v2.0";
pub const AUDIENCE: &str = "api://acs-token-service-bench";
/// The service's default required scope (`ACS_TOKEN_SERVICE_REQUIRED_SCOPE`).
pub const SCOPE: &str = "access_as_user";
/// Longer than any run: a caller's JWT never expires during the bench.
const JWT_LIFETIME: Duration = Duration::from_secs(4 * 3600);

pub struct Issuer(DevIssuer);

impl Issuer {
    pub fn generate() -> Self {
        Issuer(DevIssuer::generate().expect("generate the callers' ES256 key"))
    }

    /// `{"keys":[...]}`: the public key only.
    pub fn jwks_json(&self) -> String {
        self.0.jwks_json()
    }

    /// The bearer JWT of app user `n`: its `oid` (the service's default user claim) and `sub`
    /// are unique per user, `scp` carries the required scope.
    pub fn user_jwt(&self, n: usize) -> String {
        let subject = format!("00000000-0000-4000-8000-{n:012x}");
        self.0
            .token(&subject, AUDIENCE, ISSUER, SCOPE, JWT_LIFETIME)
            .expect("sign a caller's JWT")
    }
}
