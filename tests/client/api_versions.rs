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

/// Service rules (token lifetime range, scopes, custom-id length) are checked
/// before sending on a known api-version only; another version is sent as given
/// and the service judges it.
#[tokio::test]
async fn service_rules_are_checked_on_known_versions_only() {
    use crate::support::*;
    use acs_identity::{CommunicationTokenScope, CommunicationUserIdentifier, GetTokenOptions};
    use std::time::Duration;
    use wiremock::ResponseTemplate;

    let half_hour = || {
        Some(GetTokenOptions {
            token_expires_in: Some(Duration::from_secs(30 * 60)),
            ..Default::default()
        })
    };
    let user = CommunicationUserIdentifier::new(USER_ID);
    let server =
        answering(ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"token": TOKEN, "expiresOn": "2030-01-01T00:00:00Z"}),
        ))
        .await;
    for version in [api_version::V2026_09_23, api_version::V2023_10_01] {
        let err = client_at(&server, version)
            .get_token(&user, &[CommunicationTokenScope::Chat], half_hour())
            .await
            .unwrap_err();
        assert_eq!(invalid(&err).argument(), "token_expires_in");
        assert!(invalid(&err).message().contains("60..=1440"), "{err}");
    }
    let err = client_at(&server, api_version::V2022_06_01)
        .get_token(&user, &[CommunicationTokenScope::ChatJoin], None)
        .await
        .unwrap_err();
    assert_eq!(invalid(&err).argument(), "scopes");
    nothing_sent(&server).await;

    // Another version: sent as given.
    let unknown = client_at(&server, "2099-01-01");
    unknown
        .get_token(&user, &[CommunicationTokenScope::Chat], half_hour())
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.url.query(), Some("api-version=2099-01-01"));
    assert_eq!(
        request.body,
        br#"{"scopes":["chat"],"expiresInMinutes":30}"#
    );
}
