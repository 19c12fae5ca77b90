//! Entra assignments (`/access/entra/assignments`): in memory ordered by objectId (the order
//! of the list and its pages), and with a data directory in the `entra_assignments` table,
//! under the store's rule: committed first, visible second, nothing changed when the write
//! fails. A bulk update is one SQLite transaction, then one step in memory.

use super::record::{AssignmentRecord, PrincipalType};
use super::{PutOutcome, Store, StoreError};
use rusqlite::{params, Connection};
use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::{Mutex, MutexGuard};

/// The assignments in memory, by object id.
#[derive(Debug, Default)]
pub(super) struct EntraTable {
    map: Mutex<BTreeMap<String, AssignmentRecord>>,
}

/// One change of a bulk update: the object id and its new assignment (`None`: remove it).
pub(crate) type EntraChange = (String, Option<AssignmentRecord>);

impl EntraTable {
    fn lock(&self) -> MutexGuard<'_, BTreeMap<String, AssignmentRecord>> {
        self.map.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Everything in the table (at start).
    pub(super) fn load(conn: &Connection) -> rusqlite::Result<Self> {
        let mut stmt = conn.prepare(
            "SELECT object_id, tenant_id, principal_type, client_ids FROM entra_assignments",
        )?;
        let rows = stmt.query_map([], |r| {
            let principal: String = r.get(2)?;
            let client_ids: String = r.get(3)?;
            Ok(AssignmentRecord {
                object_id: r.get(0)?,
                tenant_id: r.get(1)?,
                principal: PrincipalType::parse(&principal, PrincipalType::ENTRA)
                    .unwrap_or(PrincipalType::User),
                client_ids: serde_json::from_str(&client_ids).unwrap_or_default(),
            })
        })?;
        let mut map = BTreeMap::new();
        for r in rows {
            let r = r?;
            map.insert(r.object_id.clone(), r);
        }
        Ok(EntraTable {
            map: Mutex::new(map),
        })
    }
}

/// Creates the table if this database has none yet (a data directory of an older emulator
/// gains it when opened).
pub(super) fn create_table(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS entra_assignments (
            object_id TEXT PRIMARY KEY NOT NULL,
            tenant_id TEXT NOT NULL,
            principal_type TEXT NOT NULL,
            client_ids TEXT NOT NULL
        );",
    )
}

fn write(
    conn: &Connection,
    object_id: &str,
    rec: Option<&AssignmentRecord>,
) -> rusqlite::Result<()> {
    match rec {
        Some(r) => {
            let client_ids = serde_json::to_string(&r.client_ids).unwrap_or_default();
            conn.prepare_cached(
                "INSERT INTO entra_assignments (object_id, tenant_id, principal_type, client_ids)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(object_id) DO UPDATE SET
                    tenant_id = excluded.tenant_id,
                    principal_type = excluded.principal_type,
                    client_ids = excluded.client_ids",
            )?
            .execute(params![
                object_id,
                r.tenant_id,
                r.principal.as_str(),
                client_ids
            ])?;
        }
        None => {
            conn.prepare_cached("DELETE FROM entra_assignments WHERE object_id = ?1")?
                .execute([object_id])?;
        }
    }
    Ok(())
}

impl Store {
    /// The Entra assignment of `object_id` (a lower-case GUID).
    pub(crate) fn entra_assignment(&self, object_id: &str) -> Option<AssignmentRecord> {
        self.inner.entra.lock().get(object_id).cloned()
    }

    /// Up to `size` assignments in objectId order, starting after `after` (exclusive) when
    /// given, and whether more follow.
    pub(crate) fn entra_page(
        &self,
        after: Option<&str>,
        size: usize,
    ) -> (Vec<AssignmentRecord>, bool) {
        let map = self.inner.entra.lock();
        let start = after.map_or(Bound::Unbounded, |a| Bound::Excluded(a.to_owned()));
        let mut it = map.range((start, Bound::Unbounded)).map(|(_, r)| r);
        let page: Vec<AssignmentRecord> = it.by_ref().take(size).cloned().collect();
        let more = it.next().is_some();
        (page, more)
    }

    /// Creates or replaces an Entra assignment.
    pub(crate) async fn put_entra_assignment(
        &self,
        rec: AssignmentRecord,
    ) -> Result<PutOutcome, StoreError> {
        self.run(move |inner| {
            let conn = inner.db.as_ref().map(|db| db.conn());
            if let Some(conn) = &conn {
                write(conn, &rec.object_id, Some(&rec)).map_err(|e| StoreError(e.to_string()))?;
            }
            Ok(
                match inner.entra.lock().insert(rec.object_id.clone(), rec) {
                    Some(_) => PutOutcome::Replaced,
                    None => PutOutcome::Created,
                },
            )
        })
        .await
    }

    /// Deletes an Entra assignment; `false` when there was none.
    pub(crate) async fn delete_entra_assignment(
        &self,
        object_id: &str,
    ) -> Result<bool, StoreError> {
        let object_id = object_id.to_owned();
        self.run(move |inner| {
            let conn = inner.db.as_ref().map(|db| db.conn());
            if !inner.entra.lock().contains_key(&object_id) {
                return Ok(false);
            }
            if let Some(conn) = &conn {
                write(conn, &object_id, None).map_err(|e| StoreError(e.to_string()))?;
            }
            Ok(inner.entra.lock().remove(&object_id).is_some())
        })
        .await
    }

    /// Applies every change or none: one transaction on disk, then one step in memory.
    pub(crate) async fn patch_entra_assignments(
        &self,
        changes: Vec<EntraChange>,
    ) -> Result<(), StoreError> {
        self.run(move |inner| {
            let mut conn = inner.db.as_ref().map(|db| db.conn());
            if let Some(conn) = conn.as_mut() {
                let tx = conn.transaction().map_err(|e| StoreError(e.to_string()))?;
                for (object_id, rec) in &changes {
                    write(&tx, object_id, rec.as_ref()).map_err(|e| StoreError(e.to_string()))?;
                }
                tx.commit().map_err(|e| StoreError(e.to_string()))?;
            }
            let mut map = inner.entra.lock();
            for (object_id, rec) in changes {
                match rec {
                    Some(r) => map.insert(object_id, r),
                    None => map.remove(&object_id),
                };
            }
            Ok(())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(object_id: &str) -> AssignmentRecord {
        AssignmentRecord {
            object_id: object_id.into(),
            tenant_id: "00000000-0000-0000-0000-0000000000a1".into(),
            principal: PrincipalType::Group,
            client_ids: vec!["00000000-0000-0000-0000-0000000000c3".into()],
        }
    }

    #[tokio::test]
    async fn put_patch_delete_survive_a_reopen_and_pages_follow_the_order() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = Store::open(dir.path(), b"s").unwrap();
        for id in ["c", "a", "b"] {
            assert_eq!(
                store.put_entra_assignment(rec(id)).await.unwrap(),
                PutOutcome::Created
            );
        }
        assert_eq!(
            store.put_entra_assignment(rec("a")).await.unwrap(),
            PutOutcome::Replaced
        );
        let (page, more) = store.entra_page(None, 2);
        assert_eq!(
            page.iter()
                .map(|r| r.object_id.as_str())
                .collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert!(more);
        let (page, more) = store.entra_page(Some("b"), 2);
        assert_eq!(page, [rec("c")]);
        assert!(!more);
        store
            .patch_entra_assignments(vec![("a".into(), None), ("d".into(), Some(rec("d")))])
            .await
            .unwrap();
        assert!(store.delete_entra_assignment("b").await.unwrap());
        assert!(!store.delete_entra_assignment("b").await.unwrap());
        let (store, _) = Store::open(dir.path(), b"s").unwrap();
        let (page, more) = store.entra_page(None, 10);
        assert_eq!(page, [rec("c"), rec("d")]);
        assert!(!more);
    }

    #[tokio::test]
    async fn a_failed_bulk_update_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = Store::open(dir.path(), b"s").unwrap();
        store.put_entra_assignment(rec("a")).await.unwrap();
        let conn = Connection::open(dir.path().join("identities.db")).unwrap();
        // The second insert of the transaction fails: the first must not stay.
        conn.execute_batch(
            "CREATE TRIGGER fail BEFORE INSERT ON entra_assignments WHEN NEW.object_id = 'z'
             BEGIN SELECT RAISE(ABORT, 'injected write failure'); END;",
        )
        .unwrap();
        let changes = vec![
            ("a".into(), None),
            ("b".into(), Some(rec("b"))),
            ("z".into(), Some(rec("z"))),
        ];
        assert!(store.patch_entra_assignments(changes).await.is_err());
        assert_eq!(store.entra_page(None, 10).0, [rec("a")], "memory unchanged");
        let (reopened, _) = Store::open(dir.path(), b"s").unwrap();
        assert_eq!(
            reopened.entra_page(None, 10).0,
            [rec("a")],
            "disk unchanged"
        );
        assert!(store.put_entra_assignment(rec("z")).await.is_err());
        assert_eq!(store.entra_assignment("z"), None);
    }
}
