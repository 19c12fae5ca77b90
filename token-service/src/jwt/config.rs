//! [`JwtConfig`]: what a caller's bearer JWT must be, and where its keys come from.

use jsonwebtoken::{Algorithm, AlgorithmFamily};
use std::{fmt, path::PathBuf, time::Duration};

/// The largest leeway allowed for `exp` and `nbf`: clocks that disagree by more than this
/// are a problem to fix, not to hide.
pub const MAX_LEEWAY: Duration = Duration::from_secs(300);

/// Where the issuer's signing keys (a JWKS, RFC 7517) come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JwksSource {
    /// The issuer's OpenID discovery document (`<issuer>/.well-known/openid-configuration`)
    /// names the JWKS (`jwks_uri`). Its `issuer` must be the configured issuer.
    Discovery,
    /// A JWKS URL: `https://...` (plain `http://` only for 127.0.0.1, localhost and `[::1]`).
    Url(String),
    /// A local JWKS file, read again on each refetch.
    File(PathBuf),
}

impl JwksSource {
    /// Parses a JWKS setting: `file://PATH` is a local file, `https://...` (or `http://` on
    /// loopback) a URL. An empty setting is an error: leave the setting out for discovery.
    pub fn parse(value: &str) -> Result<Self, JwtConfigError> {
        let value = value.trim();
        if let Some(path) = value.strip_prefix("file://") {
            if path.is_empty() {
                return Err(JwtConfigError::new(
                    "the JWKS setting `file://` names no file (expected file://PATH)",
                ));
            }
            return Ok(Self::File(PathBuf::from(path)));
        }
        if value.starts_with("https://") || value.starts_with("http://") {
            crate::jwt::fetch::check_url(value, "the JWKS URL").map_err(JwtConfigError::new)?;
            return Ok(Self::Url(value.to_owned()));
        }
        Err(JwtConfigError::new(
            "the JWKS setting must be an https:// URL (http:// only on loopback) or file://PATH",
        ))
    }
}

/// How a caller's bearer JWT is checked. [`JwtConfig::new`] gives the defaults; the fields
/// are public to change them before [`JwtAuthenticator::new`](super::JwtAuthenticator::new),
/// which checks the whole.
#[derive(Clone, Debug)]
pub struct JwtConfig {
    /// The required `iss` (exact match). Required: there is no "any issuer".
    pub issuer: String,
    /// The required `aud` (one of the token's audiences). Required: there is no "any audience".
    pub audience: String,
    /// Where the signing keys come from. Default: the issuer's discovery document.
    pub jwks: JwksSource,
    /// The signature algorithms accepted. Default RS256 and ES256. HMAC algorithms (and
    /// `none`, which has no variant) are refused whatever this says.
    pub algorithms: Vec<Algorithm>,
    /// Leeway for `exp` and `nbf`. Default 60 s, at most [`MAX_LEEWAY`].
    pub leeway: Duration,
    /// A scope the token must carry in `scp` (space-separated). Default `access_as_user`.
    /// When both this and [`required_role`](Self::required_role) are set, either suffices.
    pub required_scope: Option<String>,
    /// A role the token must carry in `roles` (an array). Default none.
    pub required_role: Option<String>,
    /// The claim that names the app user. Default `oid`.
    pub user_claim: String,
    /// The claim used when [`user_claim`](Self::user_claim) is absent. Default `sub`
    /// (so the default is "`oid`, else `sub`"); `None` to require the user claim.
    pub user_claim_fallback: Option<String>,
    /// The least time between two key fetches caused by unknown `kid`s. Default 60 s.
    pub min_refresh: Duration,
    /// Keys older than this are fetched again on the next request (when the issuer answers;
    /// else the old keys stay in use). Default one hour.
    pub max_key_age: Duration,
    /// Timeout of one discovery or JWKS request. Default 10 s.
    pub fetch_timeout: Duration,
}

impl JwtConfig {
    /// The defaults for tokens of `issuer` for `audience`.
    pub fn new(issuer: impl Into<String>, audience: impl Into<String>) -> Self {
        Self {
            issuer: issuer.into(),
            audience: audience.into(),
            jwks: JwksSource::Discovery,
            algorithms: vec![Algorithm::RS256, Algorithm::ES256],
            leeway: Duration::from_secs(60),
            required_scope: Some("access_as_user".to_owned()),
            required_role: None,
            user_claim: "oid".to_owned(),
            user_claim_fallback: Some("sub".to_owned()),
            min_refresh: Duration::from_secs(60),
            max_key_age: Duration::from_secs(3600),
            fetch_timeout: Duration::from_secs(10),
        }
    }

    /// Names the claim of the app user and drops the fallback to `sub` (unless the claim
    /// is `oid`, the default, which keeps it).
    pub fn with_user_claim(mut self, claim: impl Into<String>) -> Self {
        self.user_claim = claim.into();
        if self.user_claim != "oid" {
            self.user_claim_fallback = None;
        }
        self
    }

    /// Checks the configuration as a whole.
    pub fn validate(&self) -> Result<(), JwtConfigError> {
        if self.issuer.trim().is_empty() {
            return Err(JwtConfigError::new(
                "the issuer (ACS_TOKEN_SERVICE_ISSUER) is required: tokens of any issuer are never accepted",
            ));
        }
        if self.audience.trim().is_empty() {
            return Err(JwtConfigError::new(
                "the audience (ACS_TOKEN_SERVICE_AUDIENCE) is required: tokens for any audience are never accepted",
            ));
        }
        if self.algorithms.is_empty() {
            return Err(JwtConfigError::new(
                "no signature algorithm is allowed (expected e.g. RS256, ES256)",
            ));
        }
        if let Some(hmac) = self
            .algorithms
            .iter()
            .find(|a| a.family() == AlgorithmFamily::Hmac)
        {
            return Err(JwtConfigError::new(format!(
                "the HMAC algorithm {hmac:?} is refused: a JWKS holds public keys, and a shared secret would let anyone who has it sign tokens"
            )));
        }
        if self.leeway > MAX_LEEWAY {
            return Err(JwtConfigError::new(format!(
                "the leeway for exp and nbf is {} s; at most {} s is allowed",
                self.leeway.as_secs(),
                MAX_LEEWAY.as_secs()
            )));
        }
        if self.user_claim.trim().is_empty() {
            return Err(JwtConfigError::new(
                "the user claim (ACS_TOKEN_SERVICE_USER_CLAIM) is empty (expected e.g. oid or sub)",
            ));
        }
        if self.fetch_timeout.is_zero() {
            return Err(JwtConfigError::new(
                "the key fetch timeout must be above zero",
            ));
        }
        match &self.jwks {
            JwksSource::Discovery => {
                crate::jwt::fetch::check_url(
                    &self.issuer,
                    "the issuer (for its discovery document)",
                )
                .map_err(JwtConfigError::new)?;
            }
            JwksSource::Url(url) => {
                crate::jwt::fetch::check_url(url, "the JWKS URL").map_err(JwtConfigError::new)?;
            }
            JwksSource::File(_) => {}
        }
        Ok(())
    }
}

/// Parses a comma- or space-separated list of algorithm names (`RS256,ES256`). `none`
/// and the HMAC algorithms are refused.
pub fn parse_algorithms(value: &str) -> Result<Vec<Algorithm>, JwtConfigError> {
    let mut out = Vec::new();
    for name in value.split([',', ' ']).filter(|s| !s.is_empty()) {
        if name.eq_ignore_ascii_case("none") {
            return Err(JwtConfigError::new(
                "the algorithm `none` (unsigned tokens) is refused",
            ));
        }
        let alg: Algorithm = name.parse().map_err(|_| {
            JwtConfigError::new(format!(
                "unknown signature algorithm `{name}` (expected RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384 or EdDSA)"
            ))
        })?;
        if alg.family() == AlgorithmFamily::Hmac {
            return Err(JwtConfigError::new(format!(
                "the HMAC algorithm {name} is refused (expected a public-key algorithm such as RS256 or ES256)"
            )));
        }
        if !out.contains(&alg) {
            out.push(alg);
        }
    }
    if out.is_empty() {
        return Err(JwtConfigError::new(
            "no signature algorithm given (expected e.g. RS256,ES256)",
        ));
    }
    Ok(out)
}

/// A JWT configuration that cannot be used: what is wrong and what is expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JwtConfigError {
    message: String,
}

impl JwtConfigError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for JwtConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "JWT configuration: {}", self.message)
    }
}

impl std::error::Error for JwtConfigError {}
