//! The api-versions the client knows, and its default.

use acs_identity::models::api_version;

#[test]
fn the_default_is_the_newest_ga_version() {
    assert_eq!(api_version::DEFAULT, "2026-09-23");
    assert_eq!(api_version::V2026_09_23, "2026-09-23");
    assert_eq!(api_version::V2025_06_30, "2025-06-30");
    assert_eq!(api_version::V2025_03_02_PREVIEW, "2025-03-02-preview");
}
