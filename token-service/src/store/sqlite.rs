//! [`SqliteStore`]: the mapping store in a SQLite file (the embedded default), created on
//! first start, in WAL mode with a busy timeout so concurrent writers (in this process or
//! another on the same file) wait instead of failing with "database is locked".

use super::{
    db_error::db_error,
    migrations::{self, format_time, now_text, parse_time},
    Mapping, MappingStore, PendingDeletion, StoreError,
};
use async_trait::async_trait;
use sqlx::{
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    Row, SqlitePool,
};
use std::{path::Path, time::Duration};
use time::OffsetDateTime;

/// How long a writer waits for another's lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// A [`MappingStore`] in a SQLite file. Several instances may share the file on one machine
/// (writes are serialized by SQLite); for several machines use PostgreSQL.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

fn err(what: &str, e: sqlx::Error) -> StoreError {
    db_error(what, e, None)
}

impl SqliteStore {
    /// Opens (creating when missing) the SQLite file at `path` and brings its schema up to date.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref();
        if path.as_os_str().is_empty() {
            return Err(StoreError::new(
                "the SQLite URL names no file (expected sqlite://PATH)",
            ));
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(BUSY_TIMEOUT)
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .acquire_timeout(BUSY_TIMEOUT)
            .connect_with(options)
            .await
            .map_err(|e| {
                StoreError::new(format!(
                    "cannot open the SQLite file {}: {}",
                    path.display(),
                    err("open", e).message()
                ))
            })?;
        let store = Self { pool };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        // BEGIN IMMEDIATE takes the write lock at once: two processes opening a new file
        // apply the migrations one after the other.
        let mut tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(|e| err("migrations: begin", e))?;
        sqlx::query(migrations::CREATE_TABLE)
            .execute(&mut *tx)
            .await
            .map_err(|e| err("migrations: create the versions table", e))?;
        let applied: Vec<i64> =
            sqlx::query_scalar("SELECT version FROM acs_token_service_migrations")
                .fetch_all(&mut *tx)
                .await
                .map_err(|e| err("migrations: read the versions", e))?;
        for m in migrations::pending(&applied)? {
            sqlx::raw_sql(m.sql)
                .execute(&mut *tx)
                .await
                .map_err(|e| err(&format!("migration {}", m.version), e))?;
            sqlx::query(
                "INSERT INTO acs_token_service_migrations (version, description, applied_at) VALUES (?, ?, ?)",
            )
            .bind(m.version)
            .bind(m.description)
            .bind(now_text()?)
            .execute(&mut *tx)
            .await
            .map_err(|e| err(&format!("migration {}: record", m.version), e))?;
        }
        tx.commit().await.map_err(|e| err("migrations: commit", e))
    }
}

fn mapping(row: &sqlx::sqlite::SqliteRow) -> Result<Mapping, StoreError> {
    let revoked: Option<String> = row.try_get(1).map_err(|e| err("read a mapping", e))?;
    Ok(Mapping {
        acs_user_id: row.try_get(0).map_err(|e| err("read a mapping", e))?,
        tokens_revoked_at: revoked.as_deref().map(parse_time).transpose()?,
        revocations: row.try_get(2).map_err(|e| err("read a mapping", e))?,
    })
}

const SELECT_MAPPING: &str =
    "SELECT acs_user_id, tokens_revoked_at, revocations FROM acs_mappings WHERE app_user = ?";

#[async_trait]
impl MappingStore for SqliteStore {
    async fn get(&self, app_user: &str) -> Result<Option<Mapping>, StoreError> {
        let row = sqlx::query(SELECT_MAPPING)
            .bind(app_user)
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| err("get a mapping", e))?;
        row.as_ref().map(mapping).transpose()
    }

    async fn insert_if_absent(
        &self,
        app_user: &str,
        acs_user_id: &str,
    ) -> Result<(Mapping, bool), StoreError> {
        let mut tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(|e| err("insert a mapping: begin", e))?;
        let inserted = sqlx::query(
            "INSERT INTO acs_mappings (app_user, acs_user_id, revocations, created_at) VALUES (?, ?, 0, ?) ON CONFLICT (app_user) DO NOTHING",
        )
        .bind(app_user)
        .bind(acs_user_id)
        .bind(now_text()?)
        .execute(&mut *tx)
        .await
        .map_err(|e| err("insert a mapping", e))?
        .rows_affected()
            == 1;
        let row = sqlx::query(SELECT_MAPPING)
            .bind(app_user)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| err("insert a mapping: read it back", e))?;
        let found = mapping(&row)?;
        tx.commit()
            .await
            .map_err(|e| err("insert a mapping: commit", e))?;
        Ok((found, inserted))
    }

    async fn remove(&self, app_user: &str) -> Result<Option<String>, StoreError> {
        let mut tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(|e| err("remove a mapping: begin", e))?;
        let removed: Option<String> =
            sqlx::query_scalar("DELETE FROM acs_mappings WHERE app_user = ? RETURNING acs_user_id")
                .bind(app_user)
                .fetch_optional(&mut *tx)
                .await
                .map_err(|e| err("remove a mapping", e))?;
        if let Some(id) = &removed {
            sqlx::query(
                "INSERT INTO acs_pending_deletions (acs_user_id, attempts, queued_at) VALUES (?, 0, ?) ON CONFLICT (acs_user_id) DO NOTHING",
            )
            .bind(id)
            .bind(now_text()?)
            .execute(&mut *tx)
            .await
            .map_err(|e| err("remove a mapping: queue its deletion", e))?;
        }
        tx.commit()
            .await
            .map_err(|e| err("remove a mapping: commit", e))?;
        Ok(removed)
    }

    async fn queue_deletion(&self, acs_user_id: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO acs_pending_deletions (acs_user_id, attempts, queued_at) VALUES (?, 0, ?) ON CONFLICT (acs_user_id) DO NOTHING",
        )
        .bind(acs_user_id)
        .bind(now_text()?)
        .execute(&self.pool)
        .await
        .map_err(|e| err("queue a deletion", e))?;
        Ok(())
    }

    async fn pending_deletions(&self, limit: u32) -> Result<Vec<PendingDeletion>, StoreError> {
        let rows = sqlx::query(
            "SELECT acs_user_id, attempts, last_error FROM acs_pending_deletions ORDER BY attempts, acs_user_id LIMIT ?",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(|e| err("list pending deletions", e))?;
        rows.iter()
            .map(|row| {
                let attempts: i64 = row.try_get(1).map_err(|e| err("read a deletion", e))?;
                Ok(PendingDeletion {
                    acs_user_id: row.try_get(0).map_err(|e| err("read a deletion", e))?,
                    attempts: u32::try_from(attempts.max(0)).unwrap_or(u32::MAX),
                    last_error: row.try_get(2).map_err(|e| err("read a deletion", e))?,
                })
            })
            .collect()
    }

    async fn deletion_done(&self, acs_user_id: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM acs_pending_deletions WHERE acs_user_id = ?")
            .bind(acs_user_id)
            .execute(&self.pool)
            .await
            .map_err(|e| err("drop a done deletion", e))?;
        Ok(())
    }

    async fn deletion_failed(&self, acs_user_id: &str, error: &str) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE acs_pending_deletions SET attempts = MIN(attempts + 1, 4294967295), last_error = ? WHERE acs_user_id = ?",
        )
        .bind(error)
        .bind(acs_user_id)
        .execute(&self.pool)
        .await
        .map_err(|e| err("count a failed deletion", e))?;
        Ok(())
    }

    async fn record_revocation(
        &self,
        acs_user_id: &str,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE acs_mappings SET tokens_revoked_at = ?, revocations = revocations + 1 WHERE acs_user_id = ?",
        )
        .bind(format_time(at)?)
        .bind(acs_user_id)
        .execute(&self.pool)
        .await
        .map_err(|e| err("record a revocation", e))?;
        Ok(())
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(|e| err("ping", e))?;
        Ok(())
    }
}
