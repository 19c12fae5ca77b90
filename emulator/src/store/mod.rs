//! Identity storage: always in memory; with a data directory, every change is also committed
//! to SQLite before the emulator answers, and loaded back at start.

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

pub(crate) struct Store {
    mem: MemoryStore,
    db: Option<Arc<SqliteStore>>,
}

impl Store {
    pub(crate) fn in_memory() -> Self {
        Store {
            mem: MemoryStore::new(),
            db: None,
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
        Ok((
            Store {
                mem,
                db: Some(Arc::new(db)),
            },
            secret,
        ))
    }

    pub(crate) fn lookup(&self, key: &str) -> Lookup {
        match self.mem.get(key) {
            Some(rec) if rec.deleted_at.is_some() => Lookup::Deleted(rec),
            Some(rec) => Lookup::Live(rec),
            None => Lookup::Unknown,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.mem.len()
    }

    pub(crate) async fn create(&self, key: &str, now_ms: i64) -> Result<(), StoreError> {
        let rec = IdentityRecord::new(now_ms);
        self.persist(key, rec).await?;
        self.mem.insert(key, rec);
        Ok(())
    }

    /// Bumps the generation of a live identity; `None` when unknown or deleted.
    pub(crate) async fn revoke(
        &self,
        key: &str,
        now_ms: i64,
    ) -> Result<Option<IdentityRecord>, StoreError> {
        let Some(rec) = self.mem.update_live(key, |r| {
            r.generation = r.generation.saturating_add(1);
            r.revoked_at = Some(now_ms);
        }) else {
            return Ok(None);
        };
        self.persist(key, rec).await?;
        Ok(Some(rec))
    }

    /// Marks a live identity deleted; `false` when unknown or already deleted.
    pub(crate) async fn delete(&self, key: &str, now_ms: i64) -> Result<bool, StoreError> {
        let Some(rec) = self.mem.update_live(key, |r| {
            r.generation = r.generation.saturating_add(1);
            r.deleted_at = Some(now_ms);
        }) else {
            return Ok(false);
        };
        self.persist(key, rec).await?;
        Ok(true)
    }

    async fn persist(&self, key: &str, rec: IdentityRecord) -> Result<(), StoreError> {
        let Some(db) = &self.db else {
            return Ok(());
        };
        let db = Arc::clone(db);
        let key = key.to_owned();
        tokio::task::spawn_blocking(move || db.upsert(&key, &rec))
            .await
            .map_err(|e| StoreError(e.to_string()))?
            .map_err(|e| StoreError(e.to_string()))
    }
}
