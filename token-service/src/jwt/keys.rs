//! The issuer's signing keys: the cache of the parsed JWKS ([`KeySet`]) that refetches it
//! when an unknown `kid` arrives, at most once per configured interval.

use super::{
    clock::Clock,
    fetch::Fetcher,
    key_set::{CachedKey, KeySet},
};
use std::{
    sync::{Arc, RwLock},
    time::{Duration, Instant},
};

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
