//! The api-versions the client knows, and its default.

use acs_identity::models::api_version;

#[test]
fn the_default_is_the_newest_ga_version() {
    assert_eq!(api_version::DEFAULT, "2026-09-23");
    assert_eq!(api_version::V2026_09_23, "2026-09-23");
    assert_eq!(api_version::V2025_06_30, "2025-06-30");
    assert_eq!(api_version::V2025_03_02_PREVIEW, "2025-03-02-preview");
}

#[test]
fn debug_of_the_client_options_shows_every_field() {
    let options = acs_identity::CommunicationIdentityClientOptions {
        signing_host: Some("contoso.communication.azure.com".to_owned()),
        ..Default::default()
    };
    let debug = format!("{options:?}");
    for field in [
        "api_version: \"2026-09-23\"",
        "client_options: ",
        "signing_host: Some(\"contoso.communication.azure.com\")",
        "request_timeout: ",
        "max_retry_after: ",
    ] {
        assert!(debug.contains(field), "{field} in {debug}");
    }
}
