//! The mapping store: each app user's one ACS identity, the identities whose deletion
//! is still to do, and each identity's token revocations.
//!
//! [`MappingStore`] is implemented by [`MemoryStore`] (tests, one process), [`SqliteStore`]
//! (the embedded default) and [`PostgresStore`] (several instances); [`open`] picks one by URL.
//!
//! The SQLite and PostgreSQL stores share one schema, embedded in the binary
//! (`migrations/*.sql`) and applied at open, each version in one transaction recorded in
//! `acs_token_service_migrations` (PostgreSQL: under an advisory lock, so instances starting
//! together apply it once). A database at a newer version than the build knows is refused.

mod db_error;
mod memory;
mod migrations;
mod postgres;
mod sqlite;

pub use memory::MemoryStore;
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

use async_trait::async_trait;
use std::fmt;
use time::OffsetDateTime;

/// One app user's ACS identity, as the store holds it.
#[derive(Clone, PartialEq, Eq)]
pub struct Mapping {
    /// The ACS identity (`8:acs:...`).
    pub acs_user_id: String,
    /// When the identity's tokens were last revoked (by any instance), if ever.
    pub tokens_revoked_at: Option<OffsetDateTime>,
    /// How many times the identity's tokens were revoked: a token cached at another count
    /// must not be handed out (exact whatever the instances' clocks say).
    pub revocations: i64,
}

impl fmt::Debug for Mapping {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mapping")
            .field("acs_user_id", &self.acs_user_id)
            .field("tokens_revoked_at", &self.tokens_revoked_at)
            .field("revocations", &self.revocations)
            .finish()
    }
}

/// An ACS identity whose deletion is still to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingDeletion {
    /// The ACS identity (`8:acs:...`).
    pub acs_user_id: String,
    /// Failed attempts so far.
    pub attempts: u32,
    /// The last failure's message (no secret in it), if any.
    pub last_error: Option<String>,
}

/// A store failure. Its message never holds a database URL or password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreError {
    message: String,
}

impl StoreError {
    /// A store error saying `message`.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl StoreError {
    /// What failed (without the `mapping store: ` prefix of [`Display`](fmt::Display)).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "mapping store: {}", self.message)
    }
}

impl std::error::Error for StoreError {}

/// Where app users' ACS identities are kept. Every method is atomic; several service
/// instances may share one store (PostgreSQL).
#[async_trait]
pub trait MappingStore: Send + Sync + 'static {
    /// The mapping of `app_user`, if it has one.
    async fn get(&self, app_user: &str) -> Result<Option<Mapping>, StoreError>;

    /// Maps `app_user` to `acs_user_id` unless it already has a mapping. Atomic: among any
    /// number of concurrent callers, in any number of instances, one wins. Returns the
    /// mapping in the store afterwards and `true` when this call made it (`false`: another
    /// identity won, and the caller must get rid of `acs_user_id`).
    async fn insert_if_absent(
        &self,
        app_user: &str,
        acs_user_id: &str,
    ) -> Result<(Mapping, bool), StoreError>;

    /// Removes `app_user`'s mapping and, in the same transaction, queues the deletion of its
    /// ACS identity. Returns that identity; `None` when the app user had no mapping.
    async fn remove(&self, app_user: &str) -> Result<Option<String>, StoreError>;

    /// Queues the deletion of an ACS identity that no mapping holds (e.g. one created by a
    /// request that lost a create race). Queuing one already queued is not an error.
    async fn queue_deletion(&self, acs_user_id: &str) -> Result<(), StoreError>;

    /// Up to `limit` queued deletions, fewest attempts first.
    async fn pending_deletions(&self, limit: u32) -> Result<Vec<PendingDeletion>, StoreError>;

    /// The identity is deleted in ACS (or was already gone): drops it from the queue.
    async fn deletion_done(&self, acs_user_id: &str) -> Result<(), StoreError>;

    /// An attempt to delete the identity failed with `error` (no secret in it): counted,
    /// and kept in the queue.
    async fn deletion_failed(&self, acs_user_id: &str, error: &str) -> Result<(), StoreError>;

    /// Every token of `acs_user_id` issued so far is revoked, at `at`: sets
    /// `tokens_revoked_at` and adds one to `revocations` of the mapping that holds it (none
    /// holding it is not an error).
    async fn record_revocation(
        &self,
        acs_user_id: &str,
        at: OffsetDateTime,
    ) -> Result<(), StoreError>;

    /// Whether the store answers (for `/readyz`).
    async fn ping(&self) -> Result<(), StoreError>;
}

/// Opens the store a database URL names: `sqlite://PATH` (the file is created when missing;
/// `sqlite:PATH` too), or `postgres://...` / `postgresql://...`. The schema is brought up to
/// date. An unknown scheme is an error; no message shows the URL's password.
pub async fn open(url: &str) -> Result<std::sync::Arc<dyn MappingStore>, StoreError> {
    let url = url.trim();
    if let Some(path) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        return Ok(std::sync::Arc::new(SqliteStore::open(path).await?));
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(std::sync::Arc::new(PostgresStore::connect(url).await?));
    }
    if url == "acs-custom-id" {
        return Err(StoreError::new(
            "`acs-custom-id` keeps no database: it is a mode of the service, not a store URL",
        ));
    }
    Err(StoreError::new(match url.split_once("://") {
        Some((scheme, _)) if !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) => format!(
            "unknown database URL scheme `{scheme}` (expected sqlite://PATH, postgres://... or postgresql://...)"
        ),
        _ => "the database URL is not one this service knows (expected sqlite://PATH, postgres://... or postgresql://...)".to_owned(),
    }))
}
