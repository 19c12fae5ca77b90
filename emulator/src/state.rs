//! Everything a request handler needs, built once at start and shared through an `Arc`.

use crate::auth::Authenticator;
use crate::clock::Clock;
use crate::faults::FaultInjector;
use crate::store::{Lookup, Store};
use crate::token::{Claims, DecodeError, TokenSigner, TokenStatus, TokenValidation, SCP};
use std::sync::Arc;
use time::OffsetDateTime;

pub(crate) struct AppState {
    pub(crate) auth: Authenticator,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) store: Store,
    pub(crate) signer: TokenSigner,
    pub(crate) faults: Option<FaultInjector>,
    /// Lower-case resource GUID.
    pub(crate) resource_id: String,
    /// `8:acs:<resource id>_`
    pub(crate) owned_prefix: String,
    pub(crate) resource_location: String,
    pub(crate) max_body_bytes: usize,
    /// `http` or `https`, for messages that quote the request URL and for `nextLink`s.
    pub(crate) scheme: &'static str,
    /// How many Entra assignments one page of `GET /access/entra/assignments` holds (≥ 1).
    pub(crate) entra_page_size: usize,
    /// How long every ACS answer is held back (`--latency`; zero: not at all).
    pub(crate) latency: std::time::Duration,
    /// The per-operation limits (`--throttle`); `None`: off.
    pub(crate) throttle: Option<crate::throttle::Throttle>,
}

/// A freshly issued token and its expiry (Unix seconds).
pub(crate) struct Issued {
    pub(crate) token: String,
    pub(crate) exp: i64,
}

impl AppState {
    pub(crate) fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    /// [`now`](Self::now) in Unix milliseconds, as the store keeps times.
    pub(crate) fn now_ms(&self) -> i64 {
        unix_ms(self.now())
    }

    /// Signs a token for `raw_id` (`8:...`), issued at `iat` and valid until `exp` (Unix seconds).
    pub(crate) fn issue(
        &self,
        raw_id: &str,
        scopes: String,
        iat: i64,
        exp: i64,
        gen: u32,
    ) -> Issued {
        let claims = Claims {
            skypeid: raw_id.strip_prefix("8:").unwrap_or(raw_id).to_owned(),
            scp: SCP,
            csi: iat.to_string(),
            iat,
            exp,
            acs_scope: scopes,
            resource_id: self.resource_id.clone(),
            resource_location: self.resource_location.clone(),
            gen,
        };
        Issued {
            token: self.signer.sign(&claims),
            exp,
        }
    }

    /// Tells whether a token issued by this emulator is still good, and why not.
    pub(crate) fn validate_token(&self, token: &str) -> TokenValidation {
        let claims = match self.signer.decode(token) {
            Ok(c) => c,
            Err(e) => {
                return TokenValidation {
                    status: match e {
                        DecodeError::Malformed => TokenStatus::Malformed,
                        DecodeError::BadSignature => TokenStatus::BadSignature,
                    },
                    identity: None,
                    scopes: Vec::new(),
                    issued_at: None,
                    expires_on: None,
                }
            }
        };
        let identity = format!("8:{}", claims.skypeid);
        let mut status = TokenStatus::Valid;
        // The identities of the Teams Extension and Entra exchanges are not in the store (as
        // `8:orgid:` ones of the Teams user exchange are not): their tokens are good until `exp`.
        if identity.starts_with("8:acs:")
            && !crate::ids::is_exchanged(&identity, &self.owned_prefix)
        {
            match self.store.lookup(&identity.to_ascii_lowercase()) {
                Lookup::Unknown => status = TokenStatus::UnknownIdentity,
                Lookup::Deleted(_) => status = TokenStatus::IdentityDeleted,
                Lookup::Live(rec) if claims.gen < rec.generation => status = TokenStatus::Revoked,
                Lookup::Live(_) => {}
            }
        }
        if status == TokenStatus::Valid && self.now().unix_timestamp() >= claims.exp {
            status = TokenStatus::Expired;
        }
        TokenValidation {
            status,
            identity: Some(identity),
            scopes: claims
                .acs_scope
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            issued_at: OffsetDateTime::from_unix_timestamp(claims.iat).ok(),
            expires_on: OffsetDateTime::from_unix_timestamp(claims.exp).ok(),
        }
    }
}

/// A time in Unix milliseconds.
pub(crate) fn unix_ms(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

/// A time in Unix nanoseconds (as the store keeps token times).
pub(crate) fn unix_ns(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos()).unwrap_or(i64::MAX)
}
