//! Service API versions (the `api-version` query parameter).
//!
//! The client sends [`DEFAULT`] unless
//! [`CommunicationIdentityClientOptions::api_version`](crate::CommunicationIdentityClientOptions::api_version)
//! says otherwise. Any string is accepted, so a version the service adds later
//! can be used without a new release of this crate; for the versions below the
//! client also checks, before sending, that an operation or option exists in
//! the chosen version.

/// First GA: create, delete, issue and revoke; scopes `chat` and `voip`.
pub const V2021_03_07: &str = "2021-03-07";
/// Adds the Teams user token exchange.
pub const V2022_06_01: &str = "2022-06-01";
/// Adds custom token lifetimes (`token_expires_in`).
pub const V2022_10_01: &str = "2022-10-01";
/// Adds the scopes `chat.join`, `chat.join.limited` and `voip.join`.
pub const V2023_10_01: &str = "2023-10-01";

/// The version sent by default: the newest GA version all official SDKs use.
pub const DEFAULT: &str = V2023_10_01;

/// The versions this crate was tested against.
pub const SUPPORTED: [&str; 4] = [V2021_03_07, V2022_06_01, V2022_10_01, V2023_10_01];

/// Whether `version` is at least `minimum` (both `YYYY-MM-DD[-suffix]`).
///
/// A version that does not start with a date is assumed to be new enough: the
/// service is the judge of versions this crate does not know.
pub(crate) fn at_least(version: &str, minimum: &str) -> bool {
    match (version.get(..10), minimum.get(..10)) {
        (Some(v), Some(m)) if looks_like_date(v) => v >= m,
        _ => true,
    }
}

fn looks_like_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_by_date() {
        assert!(at_least("2023-10-01", V2022_10_01));
        assert!(at_least("2022-10-01", V2022_10_01));
        assert!(!at_least("2022-06-01", V2022_10_01));
        assert!(at_least("2025-03-02-preview", V2022_10_01));
        assert!(!at_least("2021-10-31-preview", V2022_06_01));
        assert!(at_least("vNext", V2022_10_01));
        assert!(at_least("", V2022_10_01));
    }
}
