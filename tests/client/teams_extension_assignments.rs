//! Teams Extension assignments against wiremock: the exact method, path, query,
//! headers and body of each operation, the version gate, and every client-side
//! rejection (which sends nothing).

use crate::support::*;
use acs_identity::{models::api_version, TeamsExtensionAssignment, TeamsExtensionPrincipalType};
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
