//! Stores for the conformance tests: in memory, SQLite in a temp dir, and PostgreSQL in a
//! schema of its own (when `ACS_TOKEN_SERVICE_TEST_DATABASE_URL` is set).

use acs_token_service::store::{self, MappingStore, MemoryStore};
use sqlx::Connection;
use std::sync::{
    atomic::{AtomicU32, Ordering},
    Arc,
};

/// The variable `.ci/run` sets to its PostgreSQL server's URL.
pub const PG_ENV: &str = "ACS_TOKEN_SERVICE_TEST_DATABASE_URL";

/// A store under test, and what keeps it alive (its temp dir, its schema).
pub struct TestStore {
    pub store: Arc<dyn MappingStore>,
    /// The URL to open the same database again (a second pool, "another instance").
    pub url: Option<String>,
    _dir: Option<tempfile::TempDir>,
    pg: Option<PgSchema>,
}

impl TestStore {
    /// Drops the PostgreSQL schema (best effort; the CI cluster is thrown away anyway).
    pub async fn cleanup(self) {
        if let Some(pg) = self.pg {
            pg.drop().await;
        }
    }
}

pub fn memory() -> TestStore {
    TestStore {
        store: Arc::new(MemoryStore::new()),
        url: None,
        _dir: None,
        pg: None,
    }
}

pub async fn sqlite() -> TestStore {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("store.db").display());
    let store = store::open(&url).await.expect("open SQLite");
    TestStore {
        store,
        url: Some(url),
        _dir: Some(dir),
        pg: None,
    }
}

/// PostgreSQL in a fresh schema, or `None` (with the reason printed) when the variable is
/// unset. When it is set, failing to connect fails the test.
pub async fn postgres() -> Option<TestStore> {
    let pg = postgres_schema().await?;
    let store = store::open(&pg.url)
        .await
        .unwrap_or_else(|e| panic!("open PostgreSQL ({PG_ENV}): {e}"));
    Some(TestStore {
        store,
        url: Some(pg.url.clone()),
        _dir: None,
        pg: Some(pg),
    })
}

/// A fresh, empty PostgreSQL schema (no store opened yet), or `None` as for [`postgres`].
pub async fn postgres_schema() -> Option<PgSchema> {
    let Ok(base) = std::env::var(PG_ENV) else {
        eprintln!("skipped: {PG_ENV} is not set (no PostgreSQL server; .ci/run starts one)");
        return None;
    };
    Some(PgSchema::create(&base).await)
}

/// A schema of its own in the test database; `url` works in it.
pub struct PgSchema {
    base: String,
    name: String,
    pub url: String,
}

impl PgSchema {
    async fn create(base: &str) -> Self {
        static N: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let name = format!(
            "acs_test_{}_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed),
            nanos
        );
        let mut conn = sqlx::PgConnection::connect(base)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to PostgreSQL ({PG_ENV} is set): {e}"));
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {name}")))
            .execute(&mut conn)
            .await
            .expect("create schema");
        let _ = conn.close().await;
        // Every connection of the store's pool works in the schema: libpq's `options`.
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-c%20search_path%3D{name}");
        Self {
            base: base.to_owned(),
            name,
            url,
        }
    }

    /// Drops the schema (best effort).
    pub async fn drop(self) {
        if let Ok(mut conn) = sqlx::PgConnection::connect(&self.base).await {
            let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "DROP SCHEMA {} CASCADE",
                self.name
            )))
            .execute(&mut conn)
            .await;
            let _ = conn.close().await;
        }
    }
}
