//! Durable storage in SQLite (`<data-dir>/identities.db`): identities (with their `customId`
//! and the time of their latest token), revocations, deletions and the token-signing secret.
//! Teams Extension assignments and Entra assignments have their own tables (see
//! `super::assignments` and `super::entra`).
//!
//! WAL journal with `synchronous=NORMAL`: every write is committed (written to the WAL file)
//! before the emulator answers, so it survives the process being killed (`kill -9`). A power
//! loss may lose the last commits; that is the documented trade-off.

use super::memory::IdentityRecord;
use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

/// Columns added after the first release, with their types: added to an older database when
/// it is opened.
const ADDED_COLUMNS: [(&str, &str); 2] =
    [("custom_id", "TEXT"), ("last_token_issued_at", "INTEGER")];

pub(crate) struct SqliteStore {
    conn: Mutex<Connection>,
}

impl SqliteStore {
    pub(crate) fn open(dir: &Path) -> rusqlite::Result<Self> {
        let conn = Connection::open(dir.join("identities.db"))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS identities (
                id TEXT PRIMARY KEY NOT NULL,
                created_at INTEGER NOT NULL,
                generation INTEGER NOT NULL DEFAULT 0,
                revoked_at INTEGER,
                deleted_at INTEGER
            );
            CREATE TABLE IF NOT EXISTS meta (
                key TEXT PRIMARY KEY NOT NULL,
                value BLOB NOT NULL
            );",
        )?;
        add_missing_columns(&conn)?;
        super::assignments::create_table(&conn)?;
        super::entra::create_table(&conn)?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
        })
    }

    /// The connection, locked: whoever holds it is the only writer.
    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn load_all(&self) -> rusqlite::Result<Vec<(String, IdentityRecord)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, created_at, generation, revoked_at, deleted_at, custom_id,
                    last_token_issued_at
             FROM identities",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                IdentityRecord {
                    created_at: r.get(1)?,
                    generation: r.get(2)?,
                    revoked_at: r.get(3)?,
                    deleted_at: r.get(4)?,
                    custom_id: r.get::<_, Option<String>>(5)?.map(Arc::from),
                    last_token_issued_at: r.get(6)?,
                },
            ))
        })?;
        rows.collect()
    }

    /// The stored value for `key`, or `default` stored now.
    pub(crate) fn meta_or_insert(&self, key: &str, default: &[u8]) -> rusqlite::Result<Vec<u8>> {
        let conn = self.conn();
        conn.execute(
            "INSERT OR IGNORE INTO meta (key, value) VALUES (?1, ?2)",
            params![key, default],
        )?;
        conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map(|v| v.unwrap_or_else(|| default.to_vec()))
    }
}

/// Adds the [`ADDED_COLUMNS`] a database written by an older emulator lacks.
fn add_missing_columns(conn: &Connection) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare("SELECT name FROM pragma_table_info('identities')")?;
    let present = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (name, ty) in ADDED_COLUMNS {
        if !present.iter().any(|p| p == name) {
            conn.execute_batch(&format!("ALTER TABLE identities ADD COLUMN {name} {ty}"))?;
        }
    }
    Ok(())
}

/// Sets when the latest token of `id` was issued (one column: an `UPDATE`), committed when
/// this returns `Ok`.
pub(crate) fn set_last_token_issued_at(
    conn: &Connection,
    id: &str,
    at_ns: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE identities SET last_token_issued_at = ?2 WHERE id = ?1")?
        .execute(params![id, at_ns])?;
    Ok(())
}

/// Writes the record of `id` as given (inserted, or every column replaced), committed when
/// this returns `Ok`.
/// Removes `id` when it is a deleted identity (the deleted history's bound, history.rs).
pub(crate) fn remove_deleted(conn: &Connection, id: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM identities WHERE id = ?1 AND deleted_at IS NOT NULL")?
        .execute(params![id])?;
    Ok(())
}

pub(crate) fn upsert(conn: &Connection, id: &str, rec: &IdentityRecord) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO identities (id, created_at, generation, revoked_at, deleted_at, custom_id,
                                 last_token_issued_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(id) DO UPDATE SET
            created_at = excluded.created_at,
            generation = excluded.generation,
            revoked_at = excluded.revoked_at,
            deleted_at = excluded.deleted_at,
            custom_id = excluded.custom_id,
            last_token_issued_at = excluded.last_token_issued_at",
    )?
    .execute(params![
        id,
        rec.created_at,
        rec.generation,
        rec.revoked_at,
        rec.deleted_at,
        rec.custom_id.as_deref(),
        rec.last_token_issued_at,
    ])?;
    Ok(())
}
