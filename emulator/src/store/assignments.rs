//! Teams Extension assignments (`/access/teamsExtension/tenants/{tenantId}/assignments/{objectId}`):
//! in memory, and with a data directory in the `teams_extension_assignments` table, under the
//! store's rule: committed first, visible second, nothing changed when the write fails.

use super::record::{AssignmentRecord, PrincipalType};
use super::{Store, StoreError};
use rusqlite::{params, Connection};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

/// What a PUT did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PutOutcome {
    Created,
    Replaced,
}

type Key = (String, String);

/// The assignments in memory, by (tenant id, object id).
#[derive(Debug, Default)]
pub(super) struct AssignmentTable {
    map: Mutex<HashMap<Key, AssignmentRecord>>,
}

impl AssignmentTable {
    fn lock(&self) -> MutexGuard<'_, HashMap<Key, AssignmentRecord>> {
        self.map.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Everything in the table (at start).
    pub(super) fn load(conn: &Connection) -> rusqlite::Result<Self> {
        let mut stmt = conn.prepare(
            "SELECT tenant_id, object_id, principal_type, client_ids
             FROM teams_extension_assignments",
        )?;
        let rows = stmt.query_map([], |r| {
            let principal: String = r.get(2)?;
            let client_ids: String = r.get(3)?;
            Ok(AssignmentRecord {
                tenant_id: r.get(0)?,
                object_id: r.get(1)?,
                principal: PrincipalType::parse(&principal, PrincipalType::TEAMS_EXTENSION)
                    .unwrap_or(PrincipalType::ResourceAccount),
                client_ids: serde_json::from_str(&client_ids).unwrap_or_default(),
            })
        })?;
        let mut map = HashMap::new();
        for a in rows {
            let a = a?;
            map.insert((a.tenant_id.clone(), a.object_id.clone()), a);
        }
        Ok(AssignmentTable {
            map: Mutex::new(map),
        })
    }
}

/// Creates the table if this database has none yet.
pub(super) fn create_table(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS teams_extension_assignments (
            tenant_id TEXT NOT NULL,
            object_id TEXT NOT NULL,
            principal_type TEXT NOT NULL,
            client_ids TEXT NOT NULL,
            PRIMARY KEY (tenant_id, object_id)
        );",
    )
}

impl Store {
    /// The assignment of `object_id` in `tenant_id` (both lower-case GUIDs).
    pub(crate) fn assignment(&self, tenant_id: &str, object_id: &str) -> Option<AssignmentRecord> {
        let key = (tenant_id.to_owned(), object_id.to_owned());
        self.inner.assignments.lock().get(&key).cloned()
    }

    /// Creates or replaces an assignment.
    pub(crate) async fn put_assignment(
        &self,
        a: AssignmentRecord,
    ) -> Result<PutOutcome, StoreError> {
        self.run(move |inner| {
            let key = (a.tenant_id.clone(), a.object_id.clone());
            let conn = inner.db.as_ref().map(|db| db.conn());
            if let Some(conn) = &conn {
                let client_ids = serde_json::to_string(&a.client_ids).unwrap_or_default();
                conn.prepare_cached(
                    "INSERT INTO teams_extension_assignments
                        (tenant_id, object_id, principal_type, client_ids)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT(tenant_id, object_id) DO UPDATE SET
                        principal_type = excluded.principal_type,
                        client_ids = excluded.client_ids",
                )
                .and_then(|mut s| {
                    s.execute(params![
                        a.tenant_id,
                        a.object_id,
                        a.principal.as_str(),
                        client_ids
                    ])
                })
                .map_err(|e| StoreError(e.to_string()))?;
            }
            Ok(match inner.assignments.lock().insert(key, a) {
                Some(_) => PutOutcome::Replaced,
                None => PutOutcome::Created,
            })
        })
        .await
    }

    /// Deletes an assignment; `false` when there was none.
    pub(crate) async fn delete_assignment(
        &self,
        tenant_id: &str,
        object_id: &str,
    ) -> Result<bool, StoreError> {
        let key = (tenant_id.to_owned(), object_id.to_owned());
        self.run(move |inner| {
            let conn = inner.db.as_ref().map(|db| db.conn());
            if !inner.assignments.lock().contains_key(&key) {
                return Ok(false);
            }
            if let Some(conn) = &conn {
                conn.prepare_cached(
                    "DELETE FROM teams_extension_assignments
                     WHERE tenant_id = ?1 AND object_id = ?2",
                )
                .and_then(|mut s| s.execute(params![key.0, key.1]))
                .map_err(|e| StoreError(e.to_string()))?;
            }
            Ok(inner.assignments.lock().remove(&key).is_some())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(principal: PrincipalType) -> AssignmentRecord {
        AssignmentRecord {
            tenant_id: "00000000-0000-0000-0000-0000000000a1".into(),
            object_id: "00000000-0000-0000-0000-0000000000b2".into(),
            principal,
            client_ids: vec!["00000000-0000-0000-0000-0000000000c3".into()],
        }
    }

    #[tokio::test]
    async fn put_get_delete_survive_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = Store::open(dir.path(), b"s").unwrap();
        let a = sample(PrincipalType::User);
        let (t, o) = (a.tenant_id.clone(), a.object_id.clone());
        assert_eq!(store.assignment(&t, &o), None);
        assert_eq!(store.put_assignment(a).await.unwrap(), PutOutcome::Created);
        let b = sample(PrincipalType::ResourceAccount);
        assert_eq!(
            store.put_assignment(b.clone()).await.unwrap(),
            PutOutcome::Replaced
        );
        let (store, _) = Store::open(dir.path(), b"s").unwrap();
        assert_eq!(store.assignment(&t, &o), Some(b));
        assert!(store.delete_assignment(&t, &o).await.unwrap());
        assert!(!store.delete_assignment(&t, &o).await.unwrap());
        let (store, _) = Store::open(dir.path(), b"s").unwrap();
        assert_eq!(store.assignment(&t, &o), None);
    }

    #[tokio::test]
    async fn a_failed_write_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = Store::open(dir.path(), b"s").unwrap();
        let conn = Connection::open(dir.path().join("identities.db")).unwrap();
        conn.execute_batch(
            "CREATE TRIGGER fail BEFORE INSERT ON teams_extension_assignments
             BEGIN SELECT RAISE(ABORT, 'injected write failure'); END;",
        )
        .unwrap();
        let a = sample(PrincipalType::User);
        assert!(store.put_assignment(a.clone()).await.is_err());
        assert_eq!(store.assignment(&a.tenant_id, &a.object_id), None);
    }
}
