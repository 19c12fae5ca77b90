//! The schema's versions, embedded in the binary and applied at open: each in one
//! transaction with its row in `acs_token_service_migrations`. The same SQL on SQLite and
//! PostgreSQL.

use super::StoreError;
use time::{format_description::well_known::Rfc3339, OffsetDateTime};

/// One schema version.
pub(crate) struct Migration {
    pub(crate) version: i64,
    pub(crate) description: &'static str,
    pub(crate) sql: &'static str,
}

/// Every schema version, oldest first.
pub(crate) const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    description: "mappings and pending deletions",
    sql: include_str!("../../migrations/0001_mappings.sql"),
}];

/// The table that records the applied versions.
pub(crate) const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS acs_token_service_migrations (
    version BIGINT NOT NULL PRIMARY KEY,
    description TEXT NOT NULL,
    applied_at TEXT NOT NULL
)";

/// The versions of [`MIGRATIONS`] not in `applied`, or an error when the database is at a
/// version this build does not know (made by a newer build).
pub(crate) fn pending(applied: &[i64]) -> Result<Vec<&'static Migration>, StoreError> {
    let newest = MIGRATIONS.last().map_or(0, |m| m.version);
    if let Some(v) = applied.iter().copied().find(|v| *v > newest) {
        return Err(StoreError::new(format!(
            "the database's schema is at version {v}, newer than this build knows ({newest}); run a newer acs-token-service"
        )));
    }
    Ok(MIGRATIONS
        .iter()
        .filter(|m| !applied.contains(&m.version))
        .collect())
}

/// Now, as stored (RFC 3339).
pub(crate) fn now_text() -> Result<String, StoreError> {
    format_time(OffsetDateTime::now_utc())
}

/// A timestamp as stored: RFC 3339 in UTC, exact to the nanosecond.
pub(crate) fn format_time(at: OffsetDateTime) -> Result<String, StoreError> {
    at.to_offset(time::UtcOffset::UTC)
        .format(&Rfc3339)
        .map_err(|_| StoreError::new("a timestamp outside the years 0000-9999 cannot be stored"))
}

/// A stored timestamp.
pub(crate) fn parse_time(text: &str) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::parse(text, &Rfc3339)
        .map_err(|_| StoreError::new("a stored timestamp is not RFC 3339"))
}
