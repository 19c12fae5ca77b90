//! The mapping store's contract, checked on every implementation: in memory, SQLite in a
//! temp dir, and PostgreSQL when `ACS_TOKEN_SERVICE_TEST_DATABASE_URL` is set (`.ci/run`
//! starts a server; without it the PostgreSQL tests print why they skip).

mod store_support;

use acs_token_service::store::{self, MappingStore};
use std::sync::Arc;
use store_support::TestStore;
use time::macros::datetime;

async fn get_of_unknown_user_is_none(s: &dyn MappingStore) {
    assert_eq!(s.get("iss|t|nobody").await.unwrap(), None);
}

async fn first_insert_wins_and_later_ones_get_it(s: &dyn MappingStore) {
    let (m, created) = s
        .insert_if_absent("iss|t|alice", "8:acs:one")
        .await
        .unwrap();
    assert!(created);
    assert_eq!(m.acs_user_id, "8:acs:one");
    assert_eq!((m.tokens_revoked_at, m.revocations), (None, 0));
    let (again, created) = s
        .insert_if_absent("iss|t|alice", "8:acs:two")
        .await
        .unwrap();
    assert!(!created, "a second identity must lose");
    assert_eq!(again, m);
    assert_eq!(s.get("iss|t|alice").await.unwrap(), Some(m));
    // Another app user is independent.
    let (other, created) = s
        .insert_if_absent("iss|t2|alice", "8:acs:two")
        .await
        .unwrap();
    assert!(created);
    assert_eq!(other.acs_user_id, "8:acs:two");
}

async fn remove_queues_the_deletion_in_one_step(s: &dyn MappingStore) {
    s.insert_if_absent("u1", "8:acs:gone").await.unwrap();
    assert_eq!(s.remove("u1").await.unwrap().as_deref(), Some("8:acs:gone"));
    assert_eq!(s.get("u1").await.unwrap(), None);
    let pending = s.pending_deletions(10).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].acs_user_id, "8:acs:gone");
    assert_eq!(
        (pending[0].attempts, pending[0].last_error.clone()),
        (0, None)
    );
    assert_eq!(
        s.remove("u1").await.unwrap(),
        None,
        "nothing left to remove"
    );
    // The app user can get a new identity afterwards, with a fresh revocation count.
    let (m, created) = s.insert_if_absent("u1", "8:acs:new").await.unwrap();
    assert!(created);
    assert_eq!(m.revocations, 0);
}

async fn deletion_queue_counts_failures_and_drops_done_ones(s: &dyn MappingStore) {
    s.queue_deletion("8:acs:b").await.unwrap();
    s.queue_deletion("8:acs:a").await.unwrap();
    s.queue_deletion("8:acs:c").await.unwrap();
    s.queue_deletion("8:acs:a").await.unwrap(); // again: not an error, not doubled
    let ids = |v: Vec<store::PendingDeletion>| -> Vec<String> {
        v.into_iter().map(|d| d.acs_user_id).collect()
    };
    assert_eq!(
        ids(s.pending_deletions(10).await.unwrap()),
        ["8:acs:a", "8:acs:b", "8:acs:c"]
    );
    s.deletion_failed("8:acs:a", "ACS answered 503")
        .await
        .unwrap();
    s.deletion_failed("8:acs:a", "timed out").await.unwrap();
    s.deletion_failed("8:acs:unknown", "x").await.unwrap(); // not queued: no error
    let pending = s.pending_deletions(10).await.unwrap();
    assert_eq!(
        ids(pending.clone()),
        ["8:acs:b", "8:acs:c", "8:acs:a"],
        "fewest attempts first"
    );
    assert_eq!(pending[2].attempts, 2);
    assert_eq!(pending[2].last_error.as_deref(), Some("timed out"));
    assert_eq!(
        ids(s.pending_deletions(2).await.unwrap()),
        ["8:acs:b", "8:acs:c"]
    );
    s.deletion_done("8:acs:b").await.unwrap();
    s.deletion_done("8:acs:b").await.unwrap(); // twice: not an error
    assert_eq!(
        ids(s.pending_deletions(10).await.unwrap()),
        ["8:acs:c", "8:acs:a"]
    );
    // Queuing again keeps the count of one still queued.
    s.queue_deletion("8:acs:a").await.unwrap();
    let a = s.pending_deletions(10).await.unwrap().pop().unwrap();
    assert_eq!((a.acs_user_id.as_str(), a.attempts), ("8:acs:a", 2));
}

async fn revocations_are_counted_on_the_mapping(s: &dyn MappingStore) {
    s.insert_if_absent("r", "8:acs:r").await.unwrap();
    let first = datetime!(2026-12-07 10:00:00.123456789 UTC);
    s.record_revocation("8:acs:r", first).await.unwrap();
    let m = s.get("r").await.unwrap().unwrap();
    assert_eq!((m.tokens_revoked_at, m.revocations), (Some(first), 1));
    // Another offset is the same instant.
    let second = datetime!(2026-12-07 12:30:00.5 +01:00);
    s.record_revocation("8:acs:r", second).await.unwrap();
    let m = s.get("r").await.unwrap().unwrap();
    assert_eq!((m.tokens_revoked_at, m.revocations), (Some(second), 2));
    // No mapping holds this identity: not an error.
    s.record_revocation("8:acs:nobody", first).await.unwrap();
}

async fn ping_answers(s: &dyn MappingStore) {
    s.ping().await.unwrap();
}

/// 50 concurrent first inserts for one app user with 50 identities: one wins, and every
/// caller gets the winner's mapping. `other`: a second store on the same database (another
/// instance), which takes every other insert.
async fn concurrent_inserts_map_one_identity(
    s: Arc<dyn MappingStore>,
    other: Option<Arc<dyn MappingStore>>,
) {
    let mut tasks = Vec::new();
    for i in 0..50 {
        let store = match (&other, i % 2) {
            (Some(o), 1) => o.clone(),
            _ => s.clone(),
        };
        tasks.push(tokio::spawn(async move {
            store
                .insert_if_absent("iss|t|racer", &format!("8:acs:candidate-{i}"))
                .await
                .unwrap()
        }));
    }
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.unwrap());
    }
    let winners: Vec<_> = results.iter().filter(|(_, created)| *created).collect();
    assert_eq!(winners.len(), 1, "exactly one insert creates the mapping");
    let winner = &winners[0].0;
    assert!(
        results.iter().all(|(m, _)| m == winner),
        "all see the winner"
    );
    assert_eq!(s.get("iss|t|racer").await.unwrap().as_ref(), Some(winner));
}

macro_rules! conformance {
    ($name:ident, $make:expr) => {
        mod $name {
            use super::*;

            macro_rules! case {
                ($test:ident) => {
                    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                    async fn $test() {
                        let Some(t): Option<TestStore> = $make else {
                            return;
                        };
                        super::$test(&*t.store).await;
                        t.cleanup().await;
                    }
                };
            }

            case!(get_of_unknown_user_is_none);
            case!(first_insert_wins_and_later_ones_get_it);
            case!(remove_queues_the_deletion_in_one_step);
            case!(deletion_queue_counts_failures_and_drops_done_ones);
            case!(revocations_are_counted_on_the_mapping);
            case!(ping_answers);

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn concurrent_inserts_map_one_identity() {
                let Some(t): Option<TestStore> = $make else {
                    return;
                };
                super::concurrent_inserts_map_one_identity(t.store.clone(), None).await;
                t.cleanup().await;
            }
        }
    };
}

conformance!(memory, Some(store_support::memory()));
conformance!(sqlite, Some(store_support::sqlite().await));
conformance!(postgres, store_support::postgres().await);

/// Two SQLite stores (two pools, as two processes would have) on one file: concurrent
/// writers wait for each other instead of failing with "database is locked".
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_two_pools_on_one_file_map_one_identity() {
    let t = store_support::sqlite().await;
    let other = store::open(t.url.as_deref().unwrap()).await.unwrap();
    concurrent_inserts_map_one_identity(t.store.clone(), Some(other)).await;
}

/// Two PostgreSQL pools (two service instances) on one database.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_two_pools_map_one_identity() {
    let Some(t) = store_support::postgres().await else {
        return;
    };
    let other = store::open(t.url.as_deref().unwrap()).await.unwrap();
    concurrent_inserts_map_one_identity(t.store.clone(), Some(other)).await;
    t.cleanup().await;
}

/// The SQLite file is created on first start, keeps its data, and opening it again
/// applies no migration twice.
#[tokio::test]
async fn sqlite_file_is_created_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    assert!(!path.exists());
    let url = format!("sqlite://{}", path.display());
    let s = store::open(&url).await.unwrap();
    assert!(path.exists(), "created on first start");
    s.insert_if_absent("kept", "8:acs:kept").await.unwrap();
    drop(s);
    let s = store::open(&url).await.unwrap();
    assert_eq!(
        s.get("kept")
            .await
            .unwrap()
            .map(|m| m.acs_user_id)
            .as_deref(),
        Some("8:acs:kept")
    );
    // WAL journal, as set at open.
    let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap();
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    let versions: Vec<i64> = sqlx::query_scalar("SELECT version FROM acs_token_service_migrations")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    assert_eq!(versions, [1]);
}

/// A database whose schema is newer than this build knows is refused, not altered.
#[tokio::test]
async fn sqlite_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("newer.db").display());
    drop(store::open(&url).await.unwrap());
    let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap();
    sqlx::query("INSERT INTO acs_token_service_migrations VALUES (999, 'future', 'x')")
        .execute(&mut conn)
        .await
        .unwrap();
    let err = store::open(&url).await.err().expect("refused").to_string();
    assert!(err.contains("version 999"), "{err}");
}

#[tokio::test]
async fn open_refuses_unknown_schemes_clearly() {
    let err = store::open("mysql://root:hunter2@127.0.0.1/db")
        .await
        .err()
        .expect("refused")
        .to_string();
    assert!(err.contains("unknown database URL scheme `mysql`"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");
    let err = store::open("no-scheme-at-all")
        .await
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("expected sqlite://PATH"), "{err}");
    let err = store::open("sqlite://").await.err().unwrap().to_string();
    assert!(err.contains("names no file"), "{err}");
}

/// A PostgreSQL URL whose server is not there: the error names the failure, never the
/// password (port 1 on loopback refuses at once).
#[tokio::test]
async fn postgres_errors_never_show_the_password() {
    for url in [
        "postgres://svc:s3cr%21t-pw@127.0.0.1:1/acs",
        "postgresql://svc:plainsecret@127.0.0.1:1/acs",
        "postgres://svc:plainsecret@127.0.0.1:notaport/acs",
    ] {
        let err = store::open(url)
            .await
            .err()
            .expect("cannot connect")
            .to_string();
        assert!(
            !err.contains("s3cr") && !err.contains("plainsecret"),
            "{err}"
        );
        assert!(err.contains("PostgreSQL"), "{err}");
    }
}

/// Instances starting together on a new database apply the migrations once (SQLite:
/// `BEGIN IMMEDIATE`; PostgreSQL: an advisory lock), and all open.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn instances_starting_together_migrate_once() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = format!("sqlite://{}", dir.path().join("together.db").display());
    let pg = store_support::postgres_schema().await;
    let mut urls = vec![sqlite];
    urls.extend(pg.as_ref().map(|p| p.url.clone()));
    for url in urls {
        let opens: Vec<_> = (0..4)
            .map(|_| {
                let url = url.clone();
                tokio::spawn(async move { store::open(&url).await })
            })
            .collect();
        let mut stores = Vec::new();
        for o in opens {
            stores.push(o.await.unwrap().expect("every instance opens"));
        }
        let (_, created) = stores[0].insert_if_absent("u", "8:acs:1").await.unwrap();
        assert!(created);
        let (m, created) = stores[3].insert_if_absent("u", "8:acs:2").await.unwrap();
        assert!(!created);
        assert_eq!(m.acs_user_id, "8:acs:1");
    }
    if let Some(pg) = pg {
        pg.drop().await;
    }
}
