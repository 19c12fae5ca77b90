//! The `acs-custom-id` mode: no database; each app user's identity is the ACS identity
//! created with a custom id derived from the app user (api-version `2025-03-02-preview`
//! only: the GA versions have no custom ids).

use acs_identity::models::api_version::V2025_03_02_PREVIEW;
use sha2::{Digest, Sha256};

/// The api-version the `acs-custom-id` mode needs (the only one with custom ids).
pub const CUSTOM_ID_API_VERSION: &str = V2025_03_02_PREVIEW;

/// The ACS custom id of an app user in the `acs-custom-id` mode: `ats1:` and the SHA-256 of
/// the app-user key (`iss|tid|user`, as [`Caller::app_user`](crate::Caller)) in lower-case
/// hex, 69 characters. Hashed so that any key fits ACS's 256 characters, and no issuer URL
/// or user id is stored in ACS in the clear.
///
/// ```
/// let id = acs_token_service::custom_id_for("https://login.example/t|t|alice");
/// assert!(id.starts_with("ats1:") && id.len() == 69);
/// ```
pub fn custom_id_for(app_user: &str) -> String {
    let digest = Sha256::digest(app_user.as_bytes());
    let mut id = String::with_capacity(69);
    id.push_str("ats1:");
    for byte in digest {
        id.push_str(&format!("{byte:02x}"));
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_ids_are_fixed_length_and_distinct() {
        let a = custom_id_for("iss|tid|alice");
        let b = custom_id_for("iss|tid|bob");
        assert_ne!(a, b);
        assert_eq!(a, custom_id_for("iss|tid|alice"));
        assert_eq!(custom_id_for(&"x".repeat(10_000)).len(), 69);
        assert!(a.len() <= acs_identity::MAX_CUSTOM_ID_CHARS);
        assert_eq!(
            custom_id_for(""),
            "ats1:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
