//! Identity storage: always in memory; with a data directory, also in SQLite, loaded back at
//! start.
//!
//! Memory and disk never disagree: a change is committed to SQLite first and made visible in
//! memory second, inside one critical section (the SQLite connection's lock, held by one writer
//! at a time), on a blocking thread that finishes even if the request is abandoned. A failed
//! write leaves memory as it was, so a 500 answer means "nothing happened". Without a data
//! directory a change is one step under the memory shard's lock.

mod memory;
mod sqlite;

pub(crate) use memory::IdentityRecord;
use memory::MemoryStore;
use sqlite::SqliteStore;
use std::path::Path;
use std::sync::Arc;

/// What the store knows of an id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lookup {
    Live(IdentityRecord),
    Deleted(IdentityRecord),
    Unknown,
}

/// A failure of the durable store (never caused by request input).
#[derive(Debug)]
pub(crate) struct StoreError(pub(crate) String);

/// A change to one identity; times are Unix milliseconds.
#[derive(Debug, Clone, Copy)]
enum Change {
    Create(i64),
    Revoke(i64),
    Delete(i64),
}

impl Change {
    /// The record after the change, or `None` when it does not apply: create of a known id,
    /// revoke or delete of an unknown or deleted one.
    fn apply(self, current: Option<IdentityRecord>) -> Option<IdentityRecord> {
        match (self, current) {
            (Change::Create(now), None) => Some(IdentityRecord::new(now)),
            (Change::Create(_), Some(_)) => None,
            (_, None) => None,
            (_, Some(rec)) if rec.deleted_at.is_some() => None,
            (Change::Revoke(now), Some(mut rec)) => {
                rec.generation = rec.generation.saturating_add(1);
                rec.revoked_at = Some(now);
                Some(rec)
            }
            (Change::Delete(now), Some(mut rec)) => {
                rec.generation = rec.generation.saturating_add(1);
                rec.deleted_at = Some(now);
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
}

impl Store {
    pub(crate) fn in_memory() -> Self {
        Store {
            inner: Arc::new(Inner {
                mem: MemoryStore::new(),
                db: None,
            }),
        }
    }

    /// Opens (or creates) `<dir>/identities.db` and loads it. Returns the store and the token
    /// secret kept there (`fresh_secret` is stored on first use).
    pub(crate) fn open(dir: &Path, fresh_secret: &[u8]) -> Result<(Self, Vec<u8>), StoreError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError(format!("cannot create {}: {e}", dir.display())))?;
        let db = SqliteStore::open(dir).map_err(|e| StoreError(e.to_string()))?;
        let secret = db
            .meta_or_insert("token_secret", fresh_secret)
            .map_err(|e| StoreError(e.to_string()))?;
        let mem = MemoryStore::new();
        for (id, rec) in db.load_all().map_err(|e| StoreError(e.to_string()))? {
            mem.insert(&id, rec);
        }
        let inner = Arc::new(Inner { mem, db: Some(db) });
        Ok((Store { inner }, secret))
    }

    pub(crate) fn lookup(&self, key: &str) -> Lookup {
        match self.inner.mem.get(key) {
            Some(rec) if rec.deleted_at.is_some() => Lookup::Deleted(rec),
            Some(rec) => Lookup::Live(rec),
            None => Lookup::Unknown,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.inner.mem.len()
    }

    pub(crate) async fn create(&self, key: &str, now_ms: i64) -> Result<(), StoreError> {
        match self.change(key, Change::Create(now_ms)).await? {
            Some(_) => Ok(()),
            None => Err(StoreError(format!("the new id {key} exists already"))),
        }
    }

    /// Bumps the generation of a live identity; `None` when unknown or deleted.
    pub(crate) async fn revoke(
        &self,
        key: &str,
        now_ms: i64,
    ) -> Result<Option<IdentityRecord>, StoreError> {
        self.change(key, Change::Revoke(now_ms)).await
    }

    /// Marks a live identity deleted; `false` when unknown or already deleted.
    pub(crate) async fn delete(&self, key: &str, now_ms: i64) -> Result<bool, StoreError> {
        Ok(self.change(key, Change::Delete(now_ms)).await?.is_some())
    }

    /// Applies `change` durably, then visibly; `None` when it does not apply.
    async fn change(
        &self,
        key: &str,
        change: Change,
    ) -> Result<Option<IdentityRecord>, StoreError> {
        if self.inner.db.is_none() {
            return Ok(self.inner.mem.update(key, |cur| change.apply(cur)));
        }
        let inner = Arc::clone(&self.inner);
        let key = key.to_owned();
        tokio::task::spawn_blocking(move || inner.change_durably(&key, change))
            .await
            .map_err(|e| StoreError(e.to_string()))?
    }
}

impl Inner {
    /// With the connection locked (the only writer): reads the current record, commits the
    /// new one, and only then puts it in memory.
    fn change_durably(
        &self,
        key: &str,
        change: Change,
    ) -> Result<Option<IdentityRecord>, StoreError> {
        let Some(db) = &self.db else {
            return Err(StoreError("no database".into()));
        };
        let conn = db.conn();
        let Some(next) = change.apply(self.mem.get(key)) else {
            return Ok(None);
        };
        sqlite::upsert(&conn, key, &next).map_err(|e| StoreError(e.to_string()))?;
        self.mem.insert(key, next);
        Ok(Some(next))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "8:acs:r_00000027-0000-4000-8000-000000000001";

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

    fn reopen(dir: &Path) -> Store {
        Store::open(dir, b"secret").unwrap().0
    }

    #[tokio::test]
    async fn a_failed_write_changes_nothing_in_memory_or_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = Store::open(dir.path(), b"secret").unwrap();
        store.create(KEY, 1).await.unwrap();
        let before = store.lookup(KEY);
        assert!(matches!(before, Lookup::Live(_)));

        break_writes(dir.path(), true);
        assert!(store.create("8:acs:r_other", 2).await.is_err());
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

    #[tokio::test]
    async fn changes_that_do_not_apply() {
        let store = Store::in_memory();
        assert_eq!(store.revoke(KEY, 1).await.unwrap(), None);
        assert!(!store.delete(KEY, 1).await.unwrap());
        store.create(KEY, 1).await.unwrap();
        assert!(store.create(KEY, 2).await.is_err(), "an id is created once");
        assert!(store.delete(KEY, 3).await.unwrap());
        assert!(!store.delete(KEY, 4).await.unwrap());
        assert_eq!(store.revoke(KEY, 5).await.unwrap(), None);
    }
}
