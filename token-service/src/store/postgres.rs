//! [`PostgresStore`]: the mapping store in PostgreSQL, for several service instances behind
//! a load balancer. Get-or-create is one `INSERT ... ON CONFLICT DO NOTHING` and a read in
//! one transaction, so concurrent first requests on any number of instances map one identity.

use super::{
    db_error::{db_error, scrub},
    migrations::{self, format_time, now_text, parse_time},
    Mapping, MappingStore, PendingDeletion, StoreError,
};
use async_trait::async_trait;
use sqlx::{
    postgres::{PgConnectOptions, PgPoolOptions},
    ConnectOptions, Connection, PgPool, Row,
};
use std::{str::FromStr, time::Duration};
use time::OffsetDateTime;

/// The advisory lock key that serializes migrations between instances starting together
/// (`acs-token-service` as a number).
const MIGRATION_LOCK: i64 = 0x4143_5354_4f4b_454e;

/// A [`MappingStore`] in PostgreSQL.
#[derive(Clone)]
pub struct PostgresStore {
    pool: PgPool,
    /// The URL's password, scrubbed from every error message.
    secret: Option<String>,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore").finish_non_exhaustive()
    }
}

/// The password of a `postgres://user:password@host/db` URL, if it has one (raw, and
/// percent-decoded when different), to scrub from messages.
fn password_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let userinfo = rest.split(['/', '?']).next()?.rsplit_once('@')?.0;
    let password = userinfo.split_once(':')?.1;
    (!password.is_empty()).then(|| password.to_owned())
}

impl PostgresStore {
    /// Connects to the PostgreSQL database at `url` (`postgres://` or `postgresql://`) and
    /// brings its schema up to date. Error messages never show the URL or its password.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let secret = password_of(url);
        let options = PgConnectOptions::from_str(url).map_err(|_| {
            StoreError::new(
                "invalid PostgreSQL URL (expected postgres://USER:PASSWORD@HOST:PORT/DATABASE)",
            )
        })?;
        // One connection first: a server that is not there fails at once, with its reason
        // (the pool would retry until its acquire timeout).
        let first = options
            .connect()
            .await
            .map_err(|e| db_error("cannot connect to PostgreSQL", e, secret.as_deref()))?;
        let _ = first.close().await;
        let pool = PgPoolOptions::new()
            .max_connections(10)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(|e| db_error("cannot connect to PostgreSQL", e, secret.as_deref()))?;
        let store = Self { pool, secret };
        store.migrate().await?;
        Ok(store)
    }

    fn err(&self, what: &str, e: sqlx::Error) -> StoreError {
        db_error(what, e, self.secret.as_deref())
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(|e| self.err("migrations: begin", e))?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(MIGRATION_LOCK)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.err("migrations: lock", e))?;
        sqlx::query(migrations::CREATE_TABLE)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.err("migrations: create the versions table", e))?;
        let applied: Vec<i64> =
            sqlx::query_scalar("SELECT version FROM acs_token_service_migrations")
                .fetch_all(&mut *tx)
                .await
                .map_err(|e| self.err("migrations: read the versions", e))?;
        for m in migrations::pending(&applied)? {
            sqlx::raw_sql(m.sql)
                .execute(&mut *tx)
                .await
                .map_err(|e| self.err(&format!("migration {}", m.version), e))?;
            sqlx::query(
                "INSERT INTO acs_token_service_migrations (version, description, applied_at) VALUES ($1, $2, $3)",
            )
            .bind(m.version)
            .bind(m.description)
            .bind(now_text()?)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.err(&format!("migration {}: record", m.version), e))?;
        }
        tx.commit()
            .await
            .map_err(|e| self.err("migrations: commit", e))
    }

    fn mapping(&self, row: &sqlx::postgres::PgRow) -> Result<Mapping, StoreError> {
        let revoked: Option<String> = row.try_get(1).map_err(|e| self.err("read a mapping", e))?;
        Ok(Mapping {
            acs_user_id: row.try_get(0).map_err(|e| self.err("read a mapping", e))?,
            tokens_revoked_at: revoked.as_deref().map(parse_time).transpose()?,
            revocations: row.try_get(2).map_err(|e| self.err("read a mapping", e))?,
        })
    }
}

const SELECT_MAPPING: &str =
    "SELECT acs_user_id, tokens_revoked_at, revocations FROM acs_mappings WHERE app_user = $1";

#[async_trait]
impl MappingStore for PostgresStore {
    async fn get(&self, app_user: &str) -> Result<Option<Mapping>, StoreError> {
        let row = sqlx::query(SELECT_MAPPING)
            .bind(app_user)
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| self.err("get a mapping", e))?;
        row.as_ref().map(|r| self.mapping(r)).transpose()
    }

    async fn insert_if_absent(
        &self,
        app_user: &str,
        acs_user_id: &str,
    ) -> Result<(Mapping, bool), StoreError> {
        // A mapping removed between our INSERT (which found it) and our SELECT leaves
        // nothing to read: try again (a few times; each round is a fresh race).
        for _ in 0..5 {
            let mut tx = self
                .pool
                .begin()
                .await
                .map_err(|e| self.err("insert a mapping: begin", e))?;
            // Under READ COMMITTED a concurrent insert of the same app user waits for the
            // other transaction, then does nothing; the SELECT (a new snapshot) sees its row.
            let inserted = sqlx::query(
                "INSERT INTO acs_mappings (app_user, acs_user_id, revocations, created_at) VALUES ($1, $2, 0, $3) ON CONFLICT (app_user) DO NOTHING",
            )
            .bind(app_user)
            .bind(acs_user_id)
            .bind(now_text()?)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.err("insert a mapping", e))?
            .rows_affected()
                == 1;
            let row = sqlx::query(SELECT_MAPPING)
                .bind(app_user)
                .fetch_optional(&mut *tx)
                .await
                .map_err(|e| self.err("insert a mapping: read it back", e))?;
            tx.commit()
                .await
                .map_err(|e| self.err("insert a mapping: commit", e))?;
            if let Some(row) = row {
                return Ok((self.mapping(&row)?, inserted));
            }
        }
        Err(StoreError::new(
            "insert a mapping: the app user's mapping kept being removed concurrently",
        ))
    }

    async fn remove(&self, app_user: &str) -> Result<Option<String>, StoreError> {
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(|e| self.err("remove a mapping: begin", e))?;
        let removed: Option<String> = sqlx::query_scalar(
            "DELETE FROM acs_mappings WHERE app_user = $1 RETURNING acs_user_id",
        )
        .bind(app_user)
        .fetch_optional(&mut *tx)
        .await
        .map_err(|e| self.err("remove a mapping", e))?;
        if let Some(id) = &removed {
            sqlx::query(
                "INSERT INTO acs_pending_deletions (acs_user_id, attempts, queued_at) VALUES ($1, 0, $2) ON CONFLICT (acs_user_id) DO NOTHING",
            )
            .bind(id)
            .bind(now_text()?)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.err("remove a mapping: queue its deletion", e))?;
        }
        tx.commit()
            .await
            .map_err(|e| self.err("remove a mapping: commit", e))?;
        Ok(removed)
    }

    async fn queue_deletion(&self, acs_user_id: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO acs_pending_deletions (acs_user_id, attempts, queued_at) VALUES ($1, 0, $2) ON CONFLICT (acs_user_id) DO NOTHING",
        )
        .bind(acs_user_id)
        .bind(now_text()?)
        .execute(&self.pool)
        .await
        .map_err(|e| self.err("queue a deletion", e))?;
        Ok(())
    }

    async fn pending_deletions(&self, limit: u32) -> Result<Vec<PendingDeletion>, StoreError> {
        // COLLATE "C": byte order, the same as SQLite's and the in-memory store's.
        let rows = sqlx::query(
            "SELECT acs_user_id, attempts, last_error FROM acs_pending_deletions ORDER BY attempts, acs_user_id COLLATE \"C\" LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(|e| self.err("list pending deletions", e))?;
        rows.iter()
            .map(|row| {
                let attempts: i64 = row.try_get(1).map_err(|e| self.err("read a deletion", e))?;
                Ok(PendingDeletion {
                    acs_user_id: row.try_get(0).map_err(|e| self.err("read a deletion", e))?,
                    attempts: u32::try_from(attempts.max(0)).unwrap_or(u32::MAX),
                    last_error: row.try_get(2).map_err(|e| self.err("read a deletion", e))?,
                })
            })
            .collect()
    }

    async fn deletion_done(&self, acs_user_id: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM acs_pending_deletions WHERE acs_user_id = $1")
            .bind(acs_user_id)
            .execute(&self.pool)
            .await
            .map_err(|e| self.err("drop a done deletion", e))?;
        Ok(())
    }

    async fn deletion_failed(&self, acs_user_id: &str, error: &str) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE acs_pending_deletions SET attempts = LEAST(attempts + 1, 4294967295), last_error = $1 WHERE acs_user_id = $2",
        )
        .bind(scrub(error, self.secret.as_deref()))
        .bind(acs_user_id)
        .execute(&self.pool)
        .await
        .map_err(|e| self.err("count a failed deletion", e))?;
        Ok(())
    }

    async fn record_revocation(
        &self,
        acs_user_id: &str,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE acs_mappings SET tokens_revoked_at = $1, revocations = revocations + 1 WHERE acs_user_id = $2",
        )
        .bind(format_time(at)?)
        .bind(acs_user_id)
        .execute(&self.pool)
        .await
        .map_err(|e| self.err("record a revocation", e))?;
        Ok(())
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(|e| self.err("ping", e))?;
        Ok(())
    }
}
