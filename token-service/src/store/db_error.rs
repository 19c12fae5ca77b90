//! Store errors from `sqlx` errors: what failed, and never a URL or password.

use super::StoreError;

/// A [`StoreError`] for `what` failing with `e`. `sqlx` messages carry the server's words
/// or an I/O error, not the connection URL; `secret` (the password, if any) is scrubbed
/// from them all the same.
pub(crate) fn db_error(what: &str, e: sqlx::Error, secret: Option<&str>) -> StoreError {
    let detail = match &e {
        sqlx::Error::Configuration(_) => "invalid configuration".to_owned(),
        sqlx::Error::PoolTimedOut => "no database connection became free in time".to_owned(),
        sqlx::Error::PoolClosed => "the connection pool is closed".to_owned(),
        other => other.to_string(),
    };
    StoreError::new(format!("{what}: {}", scrub(&detail, secret)))
}

/// `text` without `secret` in it.
pub(crate) fn scrub(text: &str, secret: Option<&str>) -> String {
    match secret {
        Some(s) if !s.is_empty() => text.replace(s, "***"),
        _ => text.to_owned(),
    }
}
