//! [`MemoryStore`]: the mapping store in this process's memory, for tests and demos.

use super::{Mapping, MappingStore, PendingDeletion, StoreError};
use async_trait::async_trait;
use std::{
    collections::{BTreeMap, HashMap},
    sync::Mutex,
};
use time::OffsetDateTime;

/// A [`MappingStore`] in memory: lost on exit, not shared between instances.
#[derive(Debug, Default)]
pub struct MemoryStore {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    mappings: HashMap<String, Mapping>,
    deletions: BTreeMap<String, PendingDeletion>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave the maps half-changed (each change
        // is one insert or remove), so a poisoned lock is still usable.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[async_trait]
impl MappingStore for MemoryStore {
    async fn get(&self, app_user: &str) -> Result<Option<Mapping>, StoreError> {
        Ok(self.lock().mappings.get(app_user).cloned())
    }

    async fn insert_if_absent(
        &self,
        app_user: &str,
        acs_user_id: &str,
    ) -> Result<(Mapping, bool), StoreError> {
        let mut inner = self.lock();
        if let Some(existing) = inner.mappings.get(app_user) {
            return Ok((existing.clone(), false));
        }
        let mapping = Mapping {
            acs_user_id: acs_user_id.to_owned(),
            tokens_revoked_at: None,
            revocations: 0,
        };
        inner.mappings.insert(app_user.to_owned(), mapping.clone());
        Ok((mapping, true))
    }

    async fn remove(&self, app_user: &str) -> Result<Option<String>, StoreError> {
        let mut inner = self.lock();
        let Some(mapping) = inner.mappings.remove(app_user) else {
            return Ok(None);
        };
        inner
            .deletions
            .entry(mapping.acs_user_id.clone())
            .or_insert_with(|| PendingDeletion {
                acs_user_id: mapping.acs_user_id.clone(),
                attempts: 0,
                last_error: None,
            });
        Ok(Some(mapping.acs_user_id))
    }

    async fn queue_deletion(&self, acs_user_id: &str) -> Result<(), StoreError> {
        self.lock()
            .deletions
            .entry(acs_user_id.to_owned())
            .or_insert_with(|| PendingDeletion {
                acs_user_id: acs_user_id.to_owned(),
                attempts: 0,
                last_error: None,
            });
        Ok(())
    }

    async fn pending_deletions(&self, limit: u32) -> Result<Vec<PendingDeletion>, StoreError> {
        let mut all: Vec<_> = self.lock().deletions.values().cloned().collect();
        all.sort_by_key(|d| d.attempts);
        all.truncate(limit as usize);
        Ok(all)
    }

    async fn deletion_done(&self, acs_user_id: &str) -> Result<(), StoreError> {
        self.lock().deletions.remove(acs_user_id);
        Ok(())
    }

    async fn deletion_failed(&self, acs_user_id: &str, error: &str) -> Result<(), StoreError> {
        if let Some(d) = self.lock().deletions.get_mut(acs_user_id) {
            d.attempts = d.attempts.saturating_add(1);
            d.last_error = Some(error.to_owned());
        }
        Ok(())
    }

    async fn record_revocation(
        &self,
        acs_user_id: &str,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut inner = self.lock();
        if let Some(m) = inner
            .mappings
            .values_mut()
            .find(|m| m.acs_user_id == acs_user_id)
        {
            m.tokens_revoked_at = Some(at);
            m.revocations += 1;
        }
        Ok(())
    }

    async fn ping(&self) -> Result<(), StoreError> {
        Ok(())
    }
}
