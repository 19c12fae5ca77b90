//! [`TokenCache`]: ACS tokens kept in this process's memory (never in the store or a log)
//! and reused while they have enough lifetime left and their identity's tokens were not
//! revoked since (by any instance: the store's revocation count decides).

use acs_identity::AccessToken;
use std::{
    collections::HashMap,
    fmt,
    sync::{Arc, Mutex},
    time::Duration,
};
use time::OffsetDateTime;

/// What a cached token is for: the identity, its scopes (sorted, comma-separated) and
/// the requested lifetime in minutes (`None`: ACS's default).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct CacheKey {
    pub acs_user_id: String,
    pub scopes: String,
    pub lifetime_minutes: Option<u32>,
}

/// A cached token and the identity's revocation count when it was issued.
#[derive(Clone)]
pub(crate) struct CachedToken {
    pub token: AccessToken,
    pub revocations: i64,
}

impl fmt::Debug for CachedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedToken")
            .field("expires_on", &self.token.expires_on)
            .field("revocations", &self.revocations)
            .finish_non_exhaustive()
    }
}

/// One key's slot: its lock makes concurrent misses of the key issue one token.
pub(crate) type Slot = Arc<tokio::sync::Mutex<Option<CachedToken>>>;

/// The token cache.
pub(crate) struct TokenCache {
    enabled: bool,
    min_remaining: Duration,
    slots: Mutex<HashMap<CacheKey, Slot>>,
}

impl TokenCache {
    pub(crate) fn new(enabled: bool, min_remaining: Duration) -> Self {
        Self {
            enabled,
            min_remaining,
            slots: Mutex::new(HashMap::new()),
        }
    }

    pub(crate) fn enabled(&self) -> bool {
        self.enabled
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<CacheKey, Slot>> {
        self.slots
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The slot of `key` (created empty). Its holder may read and fill it.
    pub(crate) fn slot(&self, key: &CacheKey) -> Slot {
        let mut slots = self.lock();
        if slots.len() >= 10_000 && !slots.contains_key(key) {
            self.evict(&mut slots);
        }
        slots.entry(key.clone()).or_default().clone()
    }

    /// Whether `cached` may be handed out now to a caller whose identity's revocation
    /// count is `revocations`.
    pub(crate) fn usable(&self, cached: &CachedToken, revocations: i64) -> bool {
        cached.revocations == revocations
            && cached.token.expires_on - OffsetDateTime::now_utc() > self.min_remaining
    }

    /// Fills the slot of `key` with a token issued outside it (e.g. by
    /// createUserAndToken).
    pub(crate) fn put(&self, key: &CacheKey, cached: CachedToken) {
        if !self.enabled {
            return;
        }
        let slot = self.slot(key);
        if let Ok(mut guard) = slot.try_lock() {
            *guard = Some(cached);
        };
    }

    /// Drops every cached token of `acs_user_id`.
    pub(crate) fn drop_identity(&self, acs_user_id: &str) {
        self.lock().retain(|k, _| k.acs_user_id != acs_user_id);
    }

    /// Drops slots nobody holds whose token is unusable or missing.
    fn evict(&self, slots: &mut HashMap<CacheKey, Slot>) {
        let now = OffsetDateTime::now_utc();
        slots.retain(|_, slot| {
            Arc::strong_count(slot) > 1
                || slot.try_lock().map_or(true, |guard| {
                    guard
                        .as_ref()
                        .is_some_and(|c| c.token.expires_on - now > self.min_remaining)
                })
        });
    }
}
