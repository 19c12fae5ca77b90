//! The issuer's signing keys: a parsed JWKS ([`KeySet`]) and the cache that refetches it
//! when an unknown `kid` arrives, at most once per configured interval.

use super::{clock::Clock, fetch::Fetcher};
use jsonwebtoken::{jwk::Jwk, Algorithm, AlgorithmFamily, DecodingKey};
use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
    time::{Duration, Instant},
};

/// One usable verification key of a JWKS.
pub(crate) struct CachedKey {
    pub(crate) key: DecodingKey,
    /// The algorithm the JWK is restricted to (`alg`), if it names one.
    pub(crate) alg: Option<Algorithm>,
}

impl CachedKey {
    /// Whether this key may check a signature made with `alg`.
    pub(crate) fn fits(&self, alg: Algorithm) -> bool {
        self.key.family() == alg.family() && self.alg.is_none_or(|a| a == alg)
    }
}

/// The verification keys of one JWKS, by `kid`.
#[derive(Default)]
pub(crate) struct KeySet {
    by_kid: HashMap<String, Arc<CachedKey>>,
    /// Keys without a `kid`: used only by tokens without one.
    anonymous: Vec<Arc<CachedKey>>,
}

impl KeySet {
    /// Parses a JWKS document. Keys that are not for signatures, of unknown types, or
    /// symmetric (`kty: oct`) are skipped; a JWKS with no usable key is an error.
    pub(crate) fn parse(body: &[u8]) -> Result<Self, String> {
        let doc: serde_json::Value =
            serde_json::from_slice(body).map_err(|_| "the JWKS is not JSON".to_owned())?;
        let keys = doc
            .get("keys")
            .and_then(|k| k.as_array())
            .ok_or_else(|| "the JWKS has no `keys` array".to_owned())?;
        let mut set = KeySet::default();
        for raw in keys {
            if raw
                .get("use")
                .and_then(|u| u.as_str())
                .is_some_and(|u| u != "sig")
            {
                continue;
            }
            if raw.get("kty").and_then(|k| k.as_str()) == Some("oct") {
                continue;
            }
            let Ok(jwk) = serde_json::from_value::<Jwk>(raw.clone()) else {
                continue;
            };
            let alg = match jwk.common.key_algorithm {
                None => None,
                Some(ka) => match ka.to_string().parse::<Algorithm>() {
                    Ok(a) if a.family() != AlgorithmFamily::Hmac => Some(a),
                    // An encryption key or an HMAC one: not for checking signatures here.
                    _ => continue,
                },
            };
            let Ok(key) = DecodingKey::from_jwk(&jwk) else {
                continue;
            };
            if key.family() == AlgorithmFamily::Hmac {
                continue;
            }
            let cached = Arc::new(CachedKey { key, alg });
            match jwk.common.key_id {
                Some(kid) => {
                    set.by_kid.insert(kid, cached);
                }
                None => set.anonymous.push(cached),
            }
        }
        if set.is_empty() {
            return Err("the JWKS has no usable signing key".to_owned());
        }
        Ok(set)
    }

    fn is_empty(&self) -> bool {
        self.by_kid.is_empty() && self.anonymous.is_empty()
    }

    fn find(&self, kid: Option<&str>) -> Option<Arc<CachedKey>> {
        match kid {
            Some(kid) => self.by_kid.get(kid).cloned(),
            // A token without `kid`: only when the JWKS leaves no choice.
            None => match (self.anonymous.as_slice(), self.by_kid.len()) {
                ([only], 0) => Some(only.clone()),
                ([], 1) => self.by_kid.values().next().cloned(),
                _ => None,
            },
        }
    }
}

/// Why no key could be found for a token.
pub(crate) enum LookupError {
    /// The JWKS was had, and has no key with this `kid`.
    UnknownKid,
    /// The keys could not be fetched (the message says why; no secret in it).
    Unavailable(String),
}

struct Cached {
    keys: Arc<KeySet>,
    fetched_at: Option<Instant>,
}

struct FetchState {
    last_attempt: Option<Instant>,
    last_failed: bool,
}

/// The key cache. Fetches are single-flight (one at a time) and, past the first, at most
/// one per `min_refresh` (failed fetches with no keys at all: at most one per
/// `min(min_refresh, 10 s)`).
pub(crate) struct KeyCache {
    fetcher: Fetcher,
    clock: Arc<dyn Clock>,
    min_refresh: Duration,
    max_age: Duration,
    cached: RwLock<Cached>,
    fetch: tokio::sync::Mutex<FetchState>,
}

impl KeyCache {
    pub(crate) fn new(
        fetcher: Fetcher,
        clock: Arc<dyn Clock>,
        min_refresh: Duration,
        max_age: Duration,
    ) -> Self {
        Self {
            fetcher,
            clock,
            min_refresh,
            max_age,
            cached: RwLock::new(Cached {
                keys: Arc::new(KeySet::default()),
                fetched_at: None,
            }),
            fetch: tokio::sync::Mutex::new(FetchState {
                last_attempt: None,
                last_failed: false,
            }),
        }
    }

    fn snapshot(&self) -> (Arc<KeySet>, Option<Instant>) {
        let c = self.cached.read().unwrap_or_else(|p| p.into_inner());
        (c.keys.clone(), c.fetched_at)
    }

    /// The key for a token's `kid`, fetching the JWKS when the kid is unknown (rate-limited).
    pub(crate) async fn find(&self, kid: Option<&str>) -> Result<Arc<CachedKey>, LookupError> {
        let (keys, fetched_at) = self.snapshot();
        if let Some(key) = keys.find(kid) {
            let stale =
                fetched_at.is_some_and(|t| self.clock.now().duration_since(t) >= self.max_age);
            if stale {
                // Refresh old keys when nobody else is fetching; keep using them if it fails.
                if let Ok(mut state) = self.fetch.try_lock() {
                    if self.may_fetch(&state, false) {
                        let _ = self.refetch(&mut state).await;
                    }
                }
                if let Some(fresh) = self.snapshot().0.find(kid) {
                    return Ok(fresh);
                }
                // The refreshed JWKS dropped the key: fall through as an unknown kid.
            } else {
                return Ok(key);
            }
        }
        let mut state = self.fetch.lock().await;
        // Another request may have fetched while this one waited.
        let (keys, _) = self.snapshot();
        if let Some(key) = keys.find(kid) {
            return Ok(key);
        }
        if !self.may_fetch(&state, keys.is_empty()) {
            return Err(if keys.is_empty() {
                LookupError::Unavailable(
                    "the issuer's keys could not be fetched; retrying later".to_owned(),
                )
            } else {
                LookupError::UnknownKid
            });
        }
        self.refetch(&mut state)
            .await
            .map_err(LookupError::Unavailable)?;
        self.snapshot().0.find(kid).ok_or(LookupError::UnknownKid)
    }

    /// Fetches now (e.g. at start), whatever the interval says.
    pub(crate) async fn fetch_now(&self) -> Result<(), String> {
        let mut state = self.fetch.lock().await;
        self.refetch(&mut state).await
    }

    fn may_fetch(&self, state: &FetchState, no_keys: bool) -> bool {
        let Some(last) = state.last_attempt else {
            return true;
        };
        let interval = if no_keys && state.last_failed {
            self.min_refresh.min(Duration::from_secs(10))
        } else {
            self.min_refresh
        };
        self.clock.now().duration_since(last) >= interval
    }

    async fn refetch(&self, state: &mut FetchState) -> Result<(), String> {
        state.last_attempt = Some(self.clock.now());
        match self.fetcher.fetch().await {
            Ok(keys) => {
                state.last_failed = false;
                let mut c = self.cached.write().unwrap_or_else(|p| p.into_inner());
                c.keys = Arc::new(keys);
                c.fetched_at = Some(self.clock.now());
                Ok(())
            }
            Err(e) => {
                state.last_failed = true;
                tracing::warn!(error = %e, "fetching the issuer's signing keys failed");
                Err(e)
            }
        }
    }
}
