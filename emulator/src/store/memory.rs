//! The in-memory identity table: sharded, each shard behind a short-lived `RwLock` (never held
//! across an await).

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, RwLock};

/// What the emulator knows of one identity. Times are Unix milliseconds, except
/// `last_token_issued_at` (Unix nanoseconds, shown with 7 fractional digits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IdentityRecord {
    pub(crate) created_at: i64,
    /// Bumped by every revoke and by delete; tokens carry the value they were issued under.
    pub(crate) generation: u32,
    pub(crate) revoked_at: Option<i64>,
    pub(crate) deleted_at: Option<i64>,
    /// The `customId` it was created with (api-version 2025-03-02-preview).
    pub(crate) custom_id: Option<Arc<str>>,
    /// When its latest token was issued, in Unix nanoseconds.
    pub(crate) last_token_issued_at: Option<i64>,
}

impl IdentityRecord {
    pub(crate) fn new(created_at: i64) -> Self {
        IdentityRecord {
            created_at,
            generation: 0,
            revoked_at: None,
            deleted_at: None,
            custom_id: None,
            last_token_issued_at: None,
        }
    }
}

const SHARDS: usize = 16;

type Shard = RwLock<HashMap<Box<str>, IdentityRecord>>;

pub(crate) struct MemoryStore {
    shards: Vec<Shard>,
    hasher: RandomState,
}

impl MemoryStore {
    pub(crate) fn new() -> Self {
        MemoryStore {
            shards: (0..SHARDS).map(|_| RwLock::new(HashMap::new())).collect(),
            hasher: RandomState::new(),
        }
    }

    fn shard(&self, id: &str) -> &Shard {
        let h = self.hasher.hash_one(id) as usize;
        &self.shards[h % SHARDS]
    }

    pub(crate) fn get(&self, id: &str) -> Option<IdentityRecord> {
        let shard = self.shard(id).read().unwrap_or_else(|e| e.into_inner());
        shard.get(id).cloned()
    }

    pub(crate) fn insert(&self, id: &str, rec: IdentityRecord) {
        let mut shard = self.shard(id).write().unwrap_or_else(|e| e.into_inner());
        shard.insert(id.into(), rec);
    }

    /// Replaces the record of `id` with `f(current)` in one step (under the shard's lock);
    /// `f` answering `None` leaves it alone. Returns the new record.
    pub(crate) fn update(
        &self,
        id: &str,
        f: impl FnOnce(Option<IdentityRecord>) -> Option<IdentityRecord>,
    ) -> Option<IdentityRecord> {
        let mut shard = self.shard(id).write().unwrap_or_else(|e| e.into_inner());
        let next = f(shard.get(id).cloned())?;
        shard.insert(id.into(), next.clone());
        Some(next)
    }

    /// Removes `id` when it is a deleted identity; returns its record.
    pub(crate) fn remove_deleted(&self, id: &str) -> Option<IdentityRecord> {
        let mut shard = self.shard(id).write().unwrap_or_else(|e| e.into_inner());
        shard.get(id)?.deleted_at?;
        shard.remove(id)
    }

    pub(crate) fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.read().unwrap_or_else(|e| e.into_inner()).len())
            .sum()
    }
}
