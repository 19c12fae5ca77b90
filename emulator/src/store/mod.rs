//! Identity storage: always in memory; with a data directory, also in SQLite, loaded back at
//! start.
//!
//! Memory and disk never disagree: a change is committed to SQLite first and made visible in
//! memory second, inside one critical section (the SQLite connection's lock, held by one writer
//! at a time), on a blocking thread that finishes even if the request is abandoned. A failed
//! write leaves memory as it was, so a 500 answer means "nothing happened". Without a data
//! directory a change is one step under the memory shard's lock.

mod assignments;
mod create;
mod entra;
mod history;
mod memory;
mod record;
mod sqlite;

pub(crate) use assignments::PutOutcome;
pub(crate) use create::NewIdentity;
pub(crate) use entra::EntraChange;
use history::DeletedHistory;
pub(crate) use memory::IdentityRecord;
use memory::MemoryStore;
pub(crate) use record::{AssignmentRecord, PrincipalType};
use sqlite::SqliteStore;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// What the store knows of an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Lookup {
    Live(IdentityRecord),
    Deleted(IdentityRecord),
    Unknown,
}

/// A failure of the durable store (never caused by request input).
#[derive(Debug)]
pub(crate) struct StoreError(pub(crate) String);

/// A change to one identity; times are Unix milliseconds, token times Unix nanoseconds.
#[derive(Debug, Clone)]
enum Change {
    Create {
        now_ms: i64,
        custom_id: Option<Arc<str>>,
        token_at_ns: Option<i64>,
    },
    TokenIssued(i64),
    Revoke(i64),
    Delete(i64),
}

impl Change {
    /// The record after the change, or `None` when it does not apply: create of a known id,
    /// anything else on an unknown or deleted one.
    fn apply(&self, current: Option<IdentityRecord>) -> Option<IdentityRecord> {
        match (self, current) {
            (
                Change::Create {
                    now_ms,
                    custom_id,
                    token_at_ns,
                },
                None,
            ) => Some(IdentityRecord {
                custom_id: custom_id.clone(),
                last_token_issued_at: *token_at_ns,
                ..IdentityRecord::new(*now_ms)
            }),
            (Change::Create { .. }, Some(_)) => None,
            (_, None) => None,
            (_, Some(rec)) if rec.deleted_at.is_some() => None,
            (Change::TokenIssued(at), Some(mut rec)) => {
                rec.last_token_issued_at = Some(*at);
                Some(rec)
            }
            (Change::Revoke(now), Some(mut rec)) => {
                rec.generation = rec.generation.saturating_add(1);
                rec.revoked_at = Some(*now);
                Some(rec)
            }
            (Change::Delete(now), Some(mut rec)) => {
                rec.generation = rec.generation.saturating_add(1);
                rec.deleted_at = Some(*now);
                Some(rec)
            }
        }
    }
}

pub(crate) struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    mem: MemoryStore,
    db: Option<SqliteStore>,
    /// `customId` → key of the identity created with it (possibly deleted since). Its lock is
    /// held for a whole create, so the lookup and the create are one step.
    custom_ids: Mutex<HashMap<Arc<str>, Box<str>>>,
    assignments: assignments::AssignmentTable,
    entra: entra::EntraTable,
    /// The deleted identities still remembered (history.rs).
    deleted: DeletedHistory,
}

impl Store {
    #[cfg(test)]
    pub(crate) fn in_memory() -> Self {
        Self::in_memory_with(crate::DEFAULT_DELETED_HISTORY)
    }

    /// In memory, remembering the last `deleted_history` deleted identities.
    pub(crate) fn in_memory_with(deleted_history: usize) -> Self {
        Store {
            inner: Arc::new(Inner {
                mem: MemoryStore::new(),
                db: None,
                custom_ids: Mutex::default(),
                assignments: assignments::AssignmentTable::default(),
                entra: entra::EntraTable::default(),
                deleted: DeletedHistory::new(deleted_history),
            }),
        }
    }

    #[cfg(test)]
    pub(crate) fn open(dir: &Path, fresh_secret: &[u8]) -> Result<(Self, Vec<u8>), StoreError> {
        Self::open_with(dir, fresh_secret, crate::DEFAULT_DELETED_HISTORY)
    }

    /// Opens (or creates) `<dir>/identities.db` and loads it, remembering the last
    /// `deleted_history` deleted identities (older ones are removed from the file too). Returns
    /// the store and the token secret kept there (`fresh_secret` is stored on first use).
    pub(crate) fn open_with(
        dir: &Path,
        fresh_secret: &[u8],
        deleted_history: usize,
    ) -> Result<(Self, Vec<u8>), StoreError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError(format!("cannot create {}: {e}", dir.display())))?;
        let db = SqliteStore::open(dir).map_err(|e| StoreError(e.to_string()))?;
        let secret = db
            .meta_or_insert("token_secret", fresh_secret)
            .map_err(|e| StoreError(e.to_string()))?;
        let mem = MemoryStore::new();
        let mut custom_ids = HashMap::new();
        let mut tombstones = Vec::new();
        for (id, rec) in db.load_all().map_err(|e| StoreError(e.to_string()))? {
            if let (Some(custom), None) = (&rec.custom_id, rec.deleted_at) {
                custom_ids.insert(Arc::clone(custom), id.clone().into_boxed_str());
            }
            if let Some(at) = rec.deleted_at {
                tombstones.push((at, id.clone()));
            }
            mem.insert(&id, rec);
        }
        // The deleted history in the order of deletion; beyond its bound, the oldest are
        // forgotten here as they would have been while running.
        tombstones.sort();
        let deleted = DeletedHistory::new(deleted_history);
        for (_, id) in tombstones {
            for old in deleted.deleted(&id) {
                sqlite::remove_deleted(&db.conn(), &old).map_err(|e| StoreError(e.to_string()))?;
                mem.remove_deleted(&old);
            }
        }
        let assignments = assignments::AssignmentTable::load(&db.conn())
            .map_err(|e| StoreError(e.to_string()))?;
        let entra = entra::EntraTable::load(&db.conn()).map_err(|e| StoreError(e.to_string()))?;
        let inner = Arc::new(Inner {
            mem,
            db: Some(db),
            custom_ids: Mutex::new(custom_ids),
            assignments,
            entra,
            deleted,
        });
        Ok((Store { inner }, secret))
    }

    pub(crate) fn lookup(&self, key: &str) -> Lookup {
        match self.inner.mem.get(key) {
            Some(rec) if rec.deleted_at.is_some() => Lookup::Deleted(rec),
            Some(rec) => Lookup::Live(rec),
            None => Lookup::Unknown,
        }
    }

    /// The key of the live identity created with `custom_id`, if any.
    pub(crate) fn find_custom_id(&self, custom_id: &str) -> Option<String> {
        let key = self.inner.lock_custom_ids().get(custom_id)?.to_string();
        matches!(self.lookup(&key), Lookup::Live(_)).then_some(key)
    }

    pub(crate) fn len(&self) -> usize {
        self.inner.mem.len()
    }

    /// Records that a token was issued to a live identity now (`at_ns`, Unix nanoseconds);
    /// `None` when unknown or deleted.
    pub(crate) async fn token_issued(
        &self,
        key: &str,
        at_ns: i64,
    ) -> Result<Option<IdentityRecord>, StoreError> {
        self.change(key, Change::TokenIssued(at_ns)).await
    }

    /// Bumps the generation of a live identity; `None` when unknown or deleted.
    pub(crate) async fn revoke(
        &self,
        key: &str,
        now_ms: i64,
    ) -> Result<Option<IdentityRecord>, StoreError> {
        self.change(key, Change::Revoke(now_ms)).await
    }

    /// Marks a live identity deleted; `false` when unknown or already deleted. Its `customId`
    /// then names nothing: the next create with it makes a new identity.
    pub(crate) async fn delete(&self, key: &str, now_ms: i64) -> Result<bool, StoreError> {
        Ok(self.change(key, Change::Delete(now_ms)).await?.is_some())
    }

    /// Applies `change` durably, then visibly; `None` when it does not apply.
    async fn change(
        &self,
        key: &str,
        change: Change,
    ) -> Result<Option<IdentityRecord>, StoreError> {
        let key = key.to_owned();
        self.run(move |inner| inner.apply(&key, &change)).await
    }

    /// Runs `f` on the store: inline without a database, on a blocking thread (which finishes
    /// even if the request is abandoned) with one.
    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Inner) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        if self.inner.db.is_none() {
            return f(&self.inner);
        }
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || f(&inner))
            .await
            .map_err(|e| StoreError(e.to_string()))?
    }
}

impl Inner {
    fn lock_custom_ids(&self) -> std::sync::MutexGuard<'_, HashMap<Arc<str>, Box<str>>> {
        self.custom_ids.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Without a database: one step under the memory shard's lock. With one, the connection
    /// locked (the only writer): reads the current record, commits the new one, and only then
    /// puts it in memory.
    fn apply(&self, key: &str, change: &Change) -> Result<Option<IdentityRecord>, StoreError> {
        let Some(db) = &self.db else {
            let next = self.mem.update(key, |cur| change.apply(cur));
            if next.is_some() && matches!(change, Change::Delete(_)) {
                for old in self.deleted.deleted(key) {
                    self.forget(&old);
                }
            }
            return Ok(next);
        };
        let conn = db.conn();
        let Some(next) = change.apply(self.mem.get(key)) else {
            return Ok(None);
        };
        let written = match change {
            Change::TokenIssued(at) => sqlite::set_last_token_issued_at(&conn, key, *at),
            _ => sqlite::upsert(&conn, key, &next),
        };
        written.map_err(|e| StoreError(e.to_string()))?;
        self.mem.insert(key, next.clone());
        if matches!(change, Change::Delete(_)) {
            for old in self.deleted.deleted(key) {
                // Durable first, as every change: a failure keeps it (in the file and in
                // memory), to be forgotten after a later delete.
                match sqlite::remove_deleted(&conn, &old) {
                    Ok(()) => self.forget(&old),
                    Err(e) => {
                        tracing::warn!(error = %e, "could not forget a deleted identity");
                        self.deleted.keep(old);
                        break;
                    }
                }
            }
        }
        Ok(Some(next))
    }

    /// Forgets a deleted identity: its record, and the custom id that still names it.
    fn forget(&self, key: &str) {
        if let Some(rec) = self.mem.remove_deleted(key) {
            if let Some(custom) = rec.custom_id {
                let mut ids = self.lock_custom_ids();
                if ids.get(&custom).is_some_and(|k| &**k == key) {
                    ids.remove(&custom);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) const KEY: &str = "8:acs:r_00000027-0000-4000-8000-000000000001";

    /// Makes every write to the identities table fail, from another connection, as a full disk
    /// or a read-only file would.
    fn break_writes(dir: &Path, broken: bool) {
        let conn = rusqlite::Connection::open(dir.join("identities.db")).unwrap();
        conn.execute_batch(if broken {
            "CREATE TRIGGER fail_writes BEFORE INSERT ON identities
             BEGIN SELECT RAISE(ABORT, 'injected write failure'); END;"
        } else {
            "DROP TRIGGER fail_writes;"
        })
        .unwrap();
    }

    pub(super) fn plain(key: &str, now_ms: i64) -> NewIdentity {
        NewIdentity {
            key: key.to_owned(),
            custom_id: None,
            now_ms,
            token_at_ns: None,
        }
    }

    pub(super) fn reopen(dir: &Path) -> Store {
        Store::open(dir, b"secret").unwrap().0
    }

    #[tokio::test]
    async fn a_failed_write_changes_nothing_in_memory_or_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = Store::open(dir.path(), b"secret").unwrap();
        store.create(plain(KEY, 1)).await.unwrap();
        let before = store.lookup(KEY);
        assert!(matches!(before, Lookup::Live(_)));

        break_writes(dir.path(), true);
        assert!(store.create(plain("8:acs:r_other", 2)).await.is_err());
        assert_eq!(store.lookup("8:acs:r_other"), Lookup::Unknown);
        assert!(store.revoke(KEY, 3).await.is_err());
        assert_eq!(store.lookup(KEY), before);
        assert!(store.delete(KEY, 4).await.is_err());
        assert_eq!(store.lookup(KEY), before);
        assert_eq!(store.len(), 1);
        assert_eq!(reopen(dir.path()).lookup(KEY), before, "disk agrees");

        break_writes(dir.path(), false);
        let revoked = store.revoke(KEY, 5).await.unwrap().unwrap();
        assert_eq!(revoked.generation, 1);
        assert!(store.delete(KEY, 6).await.unwrap());
        let after = store.lookup(KEY);
        assert!(matches!(after, Lookup::Deleted(_)));
        assert_eq!(reopen(dir.path()).lookup(KEY), after, "disk agrees");
    }

    fn key(i: usize) -> String {
        format!("8:acs:r_00000027-0000-4000-8000-{i:012}")
    }

    /// With a history of 2, deleting 4 identities forgets the first two: they answer as
    /// unknown, their custom id names nothing, and the live one is untouched.
    async fn check_bounded_history(store: &Store) {
        store.create(plain(&key(100), 1)).await.unwrap();
        for i in 0..4 {
            let mut new = plain(&key(i), 1);
            new.custom_id = Some(format!("user-{i}"));
            store.create(new).await.unwrap();
            assert!(store.delete(&key(i), 10 + i as i64).await.unwrap());
        }
        assert_eq!(store.lookup(&key(0)), Lookup::Unknown);
        assert_eq!(store.lookup(&key(1)), Lookup::Unknown);
        assert!(matches!(store.lookup(&key(2)), Lookup::Deleted(_)));
        assert!(matches!(store.lookup(&key(3)), Lookup::Deleted(_)));
        assert!(matches!(store.lookup(&key(100)), Lookup::Live(_)));
        assert_eq!(store.len(), 3);
        assert!(store.inner.lock_custom_ids().get("user-0").is_none());
        assert!(store.inner.lock_custom_ids().get("user-3").is_some());
    }

    #[tokio::test]
    async fn only_the_latest_deleted_identities_are_remembered_in_memory() {
        check_bounded_history(&Store::in_memory_with(2)).await;
    }

    #[tokio::test]
    async fn only_the_latest_deleted_identities_are_remembered_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = Store::open_with(dir.path(), b"secret", 2).unwrap();
        check_bounded_history(&store).await;
        drop(store);
        // The file forgot them too; a smaller bound at the next start forgets more.
        let (reopened, _) = Store::open_with(dir.path(), b"secret", 2).unwrap();
        assert_eq!(reopened.len(), 3);
        assert_eq!(reopened.lookup(&key(1)), Lookup::Unknown);
        assert!(matches!(reopened.lookup(&key(2)), Lookup::Deleted(_)));
        drop(reopened);
        let (smaller, _) = Store::open_with(dir.path(), b"secret", 1).unwrap();
        assert_eq!(smaller.lookup(&key(2)), Lookup::Unknown);
        assert!(matches!(smaller.lookup(&key(3)), Lookup::Deleted(_)));
        assert!(matches!(smaller.lookup(&key(100)), Lookup::Live(_)));
        drop(smaller);
        assert_eq!(reopen(dir.path()).len(), 2);
    }

    #[tokio::test]
    async fn changes_that_do_not_apply() {
        let store = Store::in_memory();
        assert_eq!(store.revoke(KEY, 1).await.unwrap(), None);
        assert!(!store.delete(KEY, 1).await.unwrap());
        store.create(plain(KEY, 1)).await.unwrap();
        assert!(
            store.create(plain(KEY, 2)).await.is_err(),
            "an id is created once"
        );
        assert!(store.delete(KEY, 3).await.unwrap());
        assert!(!store.delete(KEY, 4).await.unwrap());
        assert_eq!(store.revoke(KEY, 5).await.unwrap(), None);
    }

    #[tokio::test]
    async fn a_failed_token_time_write_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = Store::open(dir.path(), b"secret").unwrap();
        store.create(plain(KEY, 1)).await.unwrap();
        let conn = rusqlite::Connection::open(dir.path().join("identities.db")).unwrap();
        conn.execute_batch(
            "CREATE TRIGGER fail_updates BEFORE UPDATE ON identities
             BEGIN SELECT RAISE(ABORT, 'injected write failure'); END;",
        )
        .unwrap();
        let before = store.lookup(KEY);
        assert!(store.token_issued(KEY, 5).await.is_err());
        assert_eq!(store.lookup(KEY), before);
        conn.execute_batch("DROP TRIGGER fail_updates;").unwrap();
        let rec = store.token_issued(KEY, 5).await.unwrap().unwrap();
        assert_eq!(rec.last_token_issued_at, Some(5));
        assert_eq!(reopen(dir.path()).lookup(KEY), Lookup::Live(rec));
        assert_eq!(store.token_issued("8:acs:r_none", 6).await.unwrap(), None);
    }
}
