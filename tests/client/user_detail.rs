//! `get_user_detail` against wiremock: the exact request on `2025-03-02-preview`,
//! the answer's shapes, and the client-side rejections (which send nothing).

use crate::support::*;
use acs_identity::{models::api_version, CommunicationUserIdentifier};
use wiremock::{
    matchers::{method, path, query_param},
    Mock, MockServer, ResponseTemplate,
};

#[tokio::test]
async fn get_user_detail() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/identities/{USER_ID_ENCODED}")))
        .and(query_param("api-version", "2025-03-02-preview"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "id": USER_ID,
            "customId": "alice@contoso.com",
            "lastTokenIssuedAt": "2025-07-10T21:39:39.3244584+00:00",
        })))
        .mount(&server)
        .await;
    let user = CommunicationUserIdentifier::new(USER_ID);
    let detail = client_at(&server, api_version::V2025_03_02_PREVIEW)
        .get_user_detail(&user, None)
        .await
        .unwrap();
    assert_eq!(detail.user, user);
    assert_eq!(detail.custom_id.as_deref(), Some("alice@contoso.com"));
    let at_ = detail.last_token_issued_at.unwrap();
    assert_eq!(at_.unix_timestamp(), 1_752_183_579);
    assert_eq!(at_.nanosecond(), 324_458_400);
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert!(request.body.is_empty());
    assert_signed(&request, KEY);
}

#[tokio::test]
async fn user_detail_reads_external_id_and_absent_fields() {
    // The specification's two examples disagree on the name: `externalId` is read too.
    let server = answering(
        ResponseTemplate::new(200)
            .set_body_json(serde_json::json!({"id": USER_ID, "externalId": "alice"})),
    )
    .await;
    let user = CommunicationUserIdentifier::new(USER_ID);
    let detail = client_at(&server, api_version::V2025_03_02_PREVIEW)
        .get_user_detail(&user, None)
        .await
        .unwrap();
    assert_eq!(detail.custom_id.as_deref(), Some("alice"));
    assert_eq!(detail.last_token_issued_at, None);

    let server =
        answering(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": USER_ID})))
            .await;
    let detail = client_at(&server, api_version::V2025_03_02_PREVIEW)
        .get_user_detail(&user, None)
        .await
        .unwrap();
    assert_eq!(
        (detail.custom_id, detail.last_token_issued_at),
        (None, None)
    );

    let server = answering(
        ResponseTemplate::new(200)
            .set_body_json(serde_json::json!({"id": USER_ID, "lastTokenIssuedAt": "yesterday"})),
    )
    .await;
    let err = client_at(&server, api_version::V2025_03_02_PREVIEW)
        .get_user_detail(&user, None)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("lastTokenIssuedAt `yesterday`"),
        "{err}"
    );
}

#[tokio::test]
async fn user_detail_rejections_send_nothing() {
    let server = answering(ResponseTemplate::new(500)).await;
    let user = CommunicationUserIdentifier::new(USER_ID);
    for version in [
        api_version::V2026_09_23,
        api_version::V2025_06_30,
        api_version::V2023_10_01,
    ] {
        let err = client_at(&server, version)
            .get_user_detail(&user, None)
            .await
            .unwrap_err();
        assert_eq!(invalid(&err).argument(), "api_version");
        assert_eq!(
            invalid(&err).message(),
            format!(
                "get_user_detail needs api-version 2025-03-02-preview; the client uses {version}"
            )
        );
    }
    let err = client_at(&server, api_version::V2025_03_02_PREVIEW)
        .get_user_detail(&CommunicationUserIdentifier::new(""), None)
        .await
        .unwrap_err();
    assert_eq!(invalid(&err).argument(), "user");
    nothing_sent(&server).await;
}
