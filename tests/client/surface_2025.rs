//! The 2025 surface against wiremock: custom ids, user detail and Teams Extension
//! assignments (exact method, path, query, headers, body), their version gates, and
//! every client-side rejection (which sends nothing).

use crate::support::*;
use acs_identity::{
    models::api_version, CommunicationTokenScope, CommunicationUserIdentifier,
    CreateUserAndTokenOptions, CreateUserOptions, CustomIdIgnored, InvalidArgument,
    TeamsExtensionAssignment, TeamsExtensionPrincipalType,
};
use wiremock::{
    matchers::{method, path, query_param},
    Mock, MockServer, ResponseTemplate,
};

const TENANT: &str = "2dee53b4-368b-45b4-ab52-8493fb117652";
const OBJECT: &str = "0c5b0c7e-1234-4d2f-9a7b-3f1e2d4c5b6a";
const APP: &str = "1fd5d3a1-8f0b-4a7c-9e2d-6b5a4c3d2e1f";
const ASSIGNMENT_PATH: &str = "/access/teamsExtension/tenants/2dee53b4-368b-45b4-ab52-8493fb117652/assignments/0c5b0c7e-1234-4d2f-9a7b-3f1e2d4c5b6a";

fn assignment() -> TeamsExtensionAssignment {
    TeamsExtensionAssignment {
        tenant_id: TENANT.to_owned(),
        object_id: OBJECT.to_owned(),
        principal_type: TeamsExtensionPrincipalType::User,
        client_ids: vec![APP.to_owned()],
    }
}

fn assignment_body(principal_type: &str) -> serde_json::Value {
    serde_json::json!({
        "objectId": OBJECT, "tenantId": TENANT, "principalType": principal_type, "clientIds": [APP]
    })
}

#[test]
fn the_default_is_the_newest_ga_version() {
    assert_eq!(api_version::DEFAULT, "2026-09-23");
    assert_eq!(api_version::V2026_09_23, "2026-09-23");
    assert_eq!(api_version::V2025_06_30, "2025-06-30");
    assert_eq!(api_version::V2025_03_02_PREVIEW, "2025-03-02-preview");
}

#[tokio::test]
async fn create_user_with_a_custom_id() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/identities"))
        .and(query_param("api-version", "2025-03-02-preview"))
        .respond_with(ResponseTemplate::new(201).set_body_json(
            serde_json::json!({"identity": {"id": USER_ID, "customId": "alice@contoso.com"}}),
        ))
        .mount(&server)
        .await;
    let options = CreateUserOptions {
        custom_id: Some("alice@contoso.com".to_owned()),
        ..Default::default()
    };
    let user = client_at(&server, api_version::V2025_03_02_PREVIEW)
        .create_user(Some(options))
        .await
        .unwrap();
    assert_eq!(user.id(), USER_ID);
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.body, br#"{"customId":"alice@contoso.com"}"#);
    assert_common_headers(&request);
    assert_signed(&request, KEY);
}

#[tokio::test]
async fn create_user_and_token_with_a_custom_id() {
    let server = answering(ResponseTemplate::new(201).set_body_json(serde_json::json!({
        "identity": {"id": USER_ID, "customId": "alice"},
        "accessToken": {"token": TOKEN, "expiresOn": "2030-01-01T00:00:00.0000000+00:00"},
    })))
    .await;
    let options = CreateUserAndTokenOptions {
        custom_id: Some("alice".to_owned()),
        ..Default::default()
    };
    let (user, token) = client_at(&server, api_version::V2025_03_02_PREVIEW)
        .create_user_and_token(&[CommunicationTokenScope::Chat], Some(options))
        .await
        .unwrap();
    assert_eq!(user.id(), USER_ID);
    assert_eq!(token.token.secret(), TOKEN);
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/identities");
    assert_eq!(request.url.query(), Some("api-version=2025-03-02-preview"));
    assert_eq!(
        request.body,
        br#"{"createTokenWithScopes":["chat"],"customId":"alice"}"#
    );
    assert_signed(&request, KEY);
}

#[tokio::test]
async fn a_custom_id_the_service_ignored_is_an_error_naming_the_created_identity() {
    // A version the client does not know is sent as written; this service answers
    // without the custom id, as a version without custom ids does.
    let server = answering(
        ResponseTemplate::new(201).set_body_json(serde_json::json!({"identity": {"id": USER_ID}})),
    )
    .await;
    let options = CreateUserOptions {
        custom_id: Some("alice".to_owned()),
        ..Default::default()
    };
    let err = client_at(&server, "2099-01-01")
        .create_user(Some(options))
        .await
        .unwrap_err();
    let ignored = err
        .downcast_ref::<CustomIdIgnored>()
        .unwrap_or_else(|| panic!("expected CustomIdIgnored, got {err:?}"));
    assert_eq!(ignored.user().id(), USER_ID);
    assert_eq!(ignored.api_version(), "2099-01-01");
    let message = err.to_string();
    assert!(
        message.contains("ignored custom_id at api-version 2099-01-01")
            && message.contains(USER_ID)
            && message.contains("2025-03-02-preview"),
        "{message}"
    );
    assert_eq!(only_request(&server).await.body, br#"{"customId":"alice"}"#);

    // Same for create_user_and_token, and for a different custom id coming back.
    let server = answering(ResponseTemplate::new(201).set_body_json(serde_json::json!({
        "identity": {"id": USER_ID, "customId": "bob"},
        "accessToken": {"token": TOKEN, "expiresOn": "2030-01-01T00:00:00Z"},
    })))
    .await;
    let options = CreateUserAndTokenOptions {
        custom_id: Some("alice".to_owned()),
        ..Default::default()
    };
    let err = client_at(&server, "2099-01-01")
        .create_user_and_token(&[CommunicationTokenScope::Chat], Some(options))
        .await
        .unwrap_err();
    assert_eq!(
        err.downcast_ref::<CustomIdIgnored>().unwrap().user().id(),
        USER_ID
    );
    assert!(err.to_string().contains("\"bob\""), "{err}");
}

#[tokio::test]
async fn custom_id_rejections_send_nothing() {
    let server = answering(ResponseTemplate::new(500)).await;
    let preview = client_at(&server, api_version::V2025_03_02_PREVIEW);
    for (custom_id, expected) in [
        (String::new(), "has 0 characters; expected 1 to 256"),
        ("x".repeat(257), "has 257 characters; expected 1 to 256"),
    ] {
        let options = CreateUserOptions {
            custom_id: Some(custom_id.clone()),
            ..Default::default()
        };
        let err = preview.create_user(Some(options)).await.unwrap_err();
        assert_eq!(invalid(&err).argument(), "custom_id");
        assert!(invalid(&err).message().contains(expected), "{err}");
        let options = CreateUserAndTokenOptions {
            custom_id: Some(custom_id),
            ..Default::default()
        };
        let err = preview
            .create_user_and_token(&[CommunicationTokenScope::Chat], Some(options))
            .await
            .unwrap_err();
        assert_eq!(invalid(&err).argument(), "custom_id");
    }
    // 256 characters of two bytes each are fine (characters, not bytes, count).
    let long = "é".repeat(256);
    let options = CreateUserOptions {
        custom_id: Some(long),
        ..Default::default()
    };
    let err = preview.create_user(Some(options)).await.unwrap_err();
    assert!(err.downcast_ref::<InvalidArgument>().is_none(), "{err}");
    server.reset().await;

    // Known versions without custom ids: refused, naming the version that has them.
    for version in [api_version::V2025_06_30, api_version::V2023_10_01] {
        let options = CreateUserOptions {
            custom_id: Some("alice".to_owned()),
            ..Default::default()
        };
        let err = client_at(&server, version)
            .create_user(Some(options))
            .await
            .unwrap_err();
        assert_eq!(invalid(&err).argument(), "custom_id");
        assert_eq!(
            invalid(&err).message(),
            format!("custom ids need api-version 2025-03-02-preview; the client uses {version}")
        );
    }
    nothing_sent(&server).await;
}

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
    for version in [api_version::V2025_06_30, api_version::V2023_10_01] {
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

#[tokio::test]
async fn create_or_replace_teams_extension_assignment() {
    for (status, version) in [
        (201, api_version::V2025_06_30),
        (200, api_version::V2025_03_02_PREVIEW),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("PUT"))
            .and(path(ASSIGNMENT_PATH))
            .and(query_param("api-version", version))
            .respond_with(ResponseTemplate::new(status).set_body_json(assignment_body("user")))
            .mount(&server)
            .await;
        let stored = client_at(&server, version)
            .create_or_replace_teams_extension_assignment(&assignment(), None)
            .await
            .unwrap();
        assert_eq!(stored, assignment());
        let request = only_request(&server).await;
        assert_eq!(
            request.body,
            format!(r#"{{"principalType":"user","clientIds":["{APP}"]}}"#).as_bytes()
        );
        assert_eq!(header(&request, "content-type"), Some("application/json"));
        assert_common_headers(&request);
        assert_signed(&request, KEY);
    }

    // A resource account without client ids: `clientIds` is sent as an empty list.
    let server = answering(ResponseTemplate::new(201).set_body_json(serde_json::json!({
        "objectId": OBJECT, "tenantId": TENANT, "principalType": "resourceAccount"
    })))
    .await;
    let account = TeamsExtensionAssignment {
        principal_type: TeamsExtensionPrincipalType::ResourceAccount,
        client_ids: Vec::new(),
        ..assignment()
    };
    let stored = client(&server)
        .create_or_replace_teams_extension_assignment(&account, None)
        .await
        .unwrap();
    assert_eq!(stored, account);
    assert_eq!(
        only_request(&server).await.body,
        br#"{"principalType":"resourceAccount","clientIds":[]}"#
    );
}

#[tokio::test]
async fn get_and_delete_teams_extension_assignment() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(ASSIGNMENT_PATH))
        .and(query_param("api-version", "2026-09-23"))
        .respond_with(ResponseTemplate::new(200).set_body_json(assignment_body("resourceAccount")))
        .mount(&server)
        .await;
    let got = client(&server)
        .get_teams_extension_assignment(TENANT, OBJECT, None)
        .await
        .unwrap();
    assert_eq!(
        got.principal_type,
        TeamsExtensionPrincipalType::ResourceAccount
    );
    assert_eq!(got.client_ids, vec![APP.to_owned()]);
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_signed(&request, KEY);

    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(ASSIGNMENT_PATH))
        .and(query_param("api-version", "2026-09-23"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    client(&server)
        .delete_teams_extension_assignment(TENANT, OBJECT, None)
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_common_headers(&request);
    assert_signed(&request, KEY);

    // A missing assignment is the service's 404, code and all.
    let server = answering(ResponseTemplate::new(404).set_body_json(serde_json::json!({
        "error": {"code": "AssignmentNotFound", "message": "No assignment."}
    })))
    .await;
    let err = client(&server)
        .get_teams_extension_assignment(TENANT, OBJECT, None)
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "AssignmentNotFound: No assignment. (HTTP 404)"
    );
}

#[tokio::test]
async fn assignment_rejections_name_the_field_and_send_nothing() {
    let server = answering(ResponseTemplate::new(500)).await;
    let client = client(&server);
    let cases = [
        (
            TeamsExtensionAssignment {
                tenant_id: "contoso.onmicrosoft.com".to_owned(),
                ..assignment()
            },
            "tenant_id",
        ),
        (
            TeamsExtensionAssignment {
                object_id: "alice".to_owned(),
                ..assignment()
            },
            "object_id",
        ),
        (
            TeamsExtensionAssignment {
                client_ids: vec![APP.to_owned(), "my-app".to_owned()],
                ..assignment()
            },
            "client_ids",
        ),
        (
            TeamsExtensionAssignment {
                principal_type: TeamsExtensionPrincipalType::Other(String::new()),
                ..assignment()
            },
            "principal_type",
        ),
    ];
    for (bad, field) in cases {
        let err = client
            .create_or_replace_teams_extension_assignment(&bad, None)
            .await
            .unwrap_err();
        assert_eq!(invalid(&err).argument(), field, "{err}");
    }
    let err = client
        .get_teams_extension_assignment("", OBJECT, None)
        .await
        .unwrap_err();
    assert_eq!(invalid(&err).argument(), "tenant_id");
    let err = client
        .delete_teams_extension_assignment(TENANT, "../identities", None)
        .await
        .unwrap_err();
    assert_eq!(invalid(&err).argument(), "object_id");
    assert!(invalid(&err).message().contains("is not a GUID"), "{err}");

    // Versions before Teams Extension: refused, naming the versions that have it.
    let old = client_at(&server, api_version::V2023_10_01);
    let expected = "Teams Extension assignments need api-version 2025-03-02-preview or \
                    2025-06-30 or 2026-09-23; the client uses 2023-10-01";
    let err = old
        .create_or_replace_teams_extension_assignment(&assignment(), None)
        .await
        .unwrap_err();
    assert_eq!(invalid(&err).message(), expected);
    let err = old
        .get_teams_extension_assignment(TENANT, OBJECT, None)
        .await
        .unwrap_err();
    assert_eq!(invalid(&err).message(), expected);
    let err = old
        .delete_teams_extension_assignment(TENANT, OBJECT, None)
        .await
        .unwrap_err();
    assert_eq!(invalid(&err).argument(), "api_version");
    nothing_sent(&server).await;
}
