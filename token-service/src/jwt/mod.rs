//! The service's own caller authentication: `Authorization: Bearer <JWT>` checked against the
//! issuer's JWKS ([`JwtAuthenticator`], configured by [`JwtConfig`]).
//!
//! What a token must be to pass:
//! - signed with one of the configured algorithms (default RS256 and ES256) by a key of the
//!   issuer's JWKS, found by the header's `kid`; `alg: none` and every HMAC algorithm are
//!   refused whatever the configuration or the token says (an HS256 token "signed" with the
//!   issuer's public key is the classic forgery);
//! - `iss` equal to the configured issuer, `aud` holding the configured audience, `exp`
//!   present and not past, `nbf` (if present) not in the future, with a leeway of at most
//!   five minutes (default 60 s);
//! - the required scope in `scp` (default `access_as_user`) or the required role in `roles`;
//! - the user claim (default `oid`, else `sub`). The app user is `iss|tid|user` (each part
//!   escaped, `-` for no `tid`), so two tenants' users never share an identity.
//!
//! Keys come from the issuer's discovery document, a JWKS URL, or a local JWKS file. They
//! are fetched over HTTPS; plain HTTP is allowed only to 127.0.0.1, localhost and `[::1]`
//! (a local issuer in development and tests). They are cached: an unknown `kid` causes a
//! refetch at most once per `min_refresh` (default 60 s), so forged `kid`s cannot make the
//! service hammer the issuer, and a rotated key is picked up without a restart. Keys older
//! than `max_key_age` (default one hour) are fetched again when the issuer answers.

mod claims;
mod clock;
mod config;
pub mod dev;
pub(crate) mod fetch;
mod keys;
mod token;

pub use claims::app_user_key;
pub use clock::{Clock, SystemClock};
pub use config::{parse_algorithms, JwksSource, JwtConfig, JwtConfigError, MAX_LEEWAY};
pub use jsonwebtoken::Algorithm;

use crate::caller::{Caller, CallerAuthenticator, Rejection, RejectionKind};
use async_trait::async_trait;
use axum::http::{header::AUTHORIZATION, HeaderMap};
use jsonwebtoken::{errors::ErrorKind, Validation};
use keys::{KeyCache, LookupError};
use std::{fmt, sync::Arc};

/// Checks bearer JWTs against the issuer's keys (see the [module](self) for what passes).
pub struct JwtAuthenticator {
    config: JwtConfig,
    keys: KeyCache,
}

impl fmt::Debug for JwtAuthenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwtAuthenticator")
            .field("issuer", &self.config.issuer)
            .field("audience", &self.config.audience)
            .field("jwks", &self.config.jwks)
            .finish_non_exhaustive()
    }
}

impl JwtAuthenticator {
    /// An authenticator for `config` (checked first). Keys are fetched on the first request,
    /// or by [`fetch_keys`](Self::fetch_keys).
    pub fn new(config: JwtConfig) -> Result<Self, JwtConfigError> {
        Self::with_clock(config, Arc::new(SystemClock))
    }

    /// Like [`new`](Self::new), with the key cache reading the time from `clock` (tests).
    pub fn with_clock(config: JwtConfig, clock: Arc<dyn Clock>) -> Result<Self, JwtConfigError> {
        config.validate()?;
        let fetcher = fetch::Fetcher::new(
            config.jwks.clone(),
            config.issuer.clone(),
            config.fetch_timeout,
        )
        .map_err(JwtConfigError::new)?;
        let keys = KeyCache::new(fetcher, clock, config.min_refresh, config.max_key_age);
        Ok(Self { config, keys })
    }

    /// The configuration in use.
    pub fn config(&self) -> &JwtConfig {
        &self.config
    }

    /// Fetches the issuer's keys now (e.g. at start, to report a wrong JWKS setting early).
    /// The error says why they could not be had.
    pub async fn fetch_keys(&self) -> Result<(), Rejection> {
        self.keys
            .fetch_now()
            .await
            .map_err(|e| Rejection::new(RejectionKind::Unavailable, e))
    }

    /// Checks a bearer token (without the `Bearer ` prefix).
    pub async fn check_token(&self, token: &str) -> Result<Caller, Rejection> {
        let invalid = |m: String| Rejection::new(RejectionKind::InvalidToken, m);
        let peeked = token::peek(token, &self.config.algorithms).map_err(invalid)?;
        let key = match self.keys.find(peeked.kid.as_deref()).await {
            Ok(key) => key,
            Err(LookupError::UnknownKid) => {
                return Err(invalid(match peeked.kid {
                    Some(_) => "the token's key id (kid) is not among the issuer's keys".to_owned(),
                    None => {
                        "the token names no key id (kid) and the issuer has several keys".to_owned()
                    }
                }))
            }
            Err(LookupError::Unavailable(why)) => {
                return Err(Rejection::new(
                    RejectionKind::Unavailable,
                    format!("cannot check tokens now: {why}"),
                ))
            }
        };
        if !key.fits(peeked.alg) {
            return Err(invalid(
                "the token's algorithm does not fit the key its kid names".to_owned(),
            ));
        }
        let mut validation = Validation::new(peeked.alg);
        validation.set_issuer(&[&self.config.issuer]);
        validation.set_audience(&[&self.config.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud"]);
        validation.leeway = self.config.leeway.as_secs();
        validation.validate_exp = true;
        validation.validate_nbf = true;
        let data = jsonwebtoken::decode::<serde_json::Map<String, serde_json::Value>>(
            token,
            &key.key,
            &validation,
        )
        .map_err(|e| invalid(describe(e.kind()).to_owned()))?;
        let caller = claims::caller(
            &data.claims,
            &self.config.issuer,
            &self.config.user_claim,
            self.config.user_claim_fallback.as_deref(),
        )
        .map_err(invalid)?;
        if !claims::grants(
            &data.claims,
            self.config.required_scope.as_deref(),
            self.config.required_role.as_deref(),
        ) {
            return Err(Rejection::new(
                RejectionKind::InsufficientScope,
                self.missing_grant(),
            ));
        }
        Ok(caller)
    }

    fn missing_grant(&self) -> String {
        match (&self.config.required_scope, &self.config.required_role) {
            (Some(s), Some(r)) => {
                format!("the token has neither the scope `{s}` (scp) nor the role `{r}` (roles)")
            }
            (Some(s), None) => format!("the token lacks the scope `{s}` (scp)"),
            (None, Some(r)) => format!("the token lacks the role `{r}` (roles)"),
            (None, None) => "the token lacks the required scope".to_owned(),
        }
    }
}

fn describe(kind: &ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidSignature => "the token's signature does not verify",
        ErrorKind::ExpiredSignature => "the token has expired (exp)",
        ErrorKind::ImmatureSignature => "the token is not valid yet (nbf is in the future)",
        ErrorKind::InvalidIssuer => "the token's issuer (iss) is not the configured issuer",
        ErrorKind::InvalidAudience => {
            "the token's audience (aud) does not include the configured audience"
        }
        ErrorKind::MissingRequiredClaim(c) => match c.as_str() {
            "exp" => "the token has no expiry (exp)",
            "iss" => "the token has no issuer (iss)",
            "aud" => "the token has no audience (aud)",
            _ => "the token lacks a required claim",
        },
        ErrorKind::InvalidClaimFormat(_) => "the token has a claim of the wrong type",
        ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName => {
            "the token's signature algorithm is not allowed"
        }
        ErrorKind::Base64(_)
        | ErrorKind::Json(_)
        | ErrorKind::Utf8(_)
        | ErrorKind::InvalidToken => "malformed token",
        _ => "the token could not be checked",
    }
}

#[async_trait]
impl CallerAuthenticator for JwtAuthenticator {
    async fn authenticate(&self, headers: &HeaderMap) -> Result<Caller, Rejection> {
        let Some(value) = headers.get(AUTHORIZATION) else {
            return Err(Rejection::new(
                RejectionKind::MissingToken,
                "no Authorization header (expected `Authorization: Bearer <JWT>`)",
            ));
        };
        let bearer = value.to_str().ok().and_then(|v| {
            let (scheme, rest) = v.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
        });
        match bearer {
            None => Err(Rejection::new(
                RejectionKind::MissingToken,
                "the Authorization header is not a Bearer token (expected `Authorization: Bearer <JWT>`)",
            )),
            Some("") => Err(Rejection::new(
                RejectionKind::MissingToken,
                "the Authorization header's Bearer token is empty",
            )),
            Some(token) => self.check_token(token).await,
        }
    }
}
