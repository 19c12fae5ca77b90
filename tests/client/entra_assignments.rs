//! Entra assignments against wiremock: paging through three pages by `nextLink`
//! (each signed, as given), a foreign `nextLink`, one with userinfo and one that is
//! not a URL refused after their page, get/put/delete, the
//! bulk merge patch body, and every client-side rejection (nothing sent).

use crate::support::*;
use acs_identity::{models::api_version, EntraAssignment, EntraPrincipalType};
use futures::TryStreamExt;
use wiremock::{
    matchers::{any, header as header_is, method, path, query_param, query_param_is_missing},
    Mock, MockServer, ResponseTemplate,
};

const TENANT: &str = "45ab2481-1c1c-4005-be24-0ffb879b1130";
const ALICE: &str = "207ffef6-9444-41fb-92ab-20eacaae2768";
const BOB: &str = "0c5b0c7e-1234-4d2f-9a7b-3f1e2d4c5b6a";
const GROUP: &str = "9a3c1e7d-2b4f-4c6a-8d0e-1f2a3b4c5d6e";
const APP: &str = "1fd5d3a1-8f0b-4a7c-9e2d-6b5a4c3d2e1f";

fn assignment(object_id: &str, principal_type: EntraPrincipalType) -> EntraAssignment {
    EntraAssignment {
        object_id: object_id.to_owned(),
        tenant_id: TENANT.to_owned(),
        principal_type,
        client_ids: vec![APP.to_owned()],
    }
}

fn wire(object_id: &str, principal_type: &str) -> serde_json::Value {
    serde_json::json!({
        "objectId": object_id, "tenantId": TENANT, "principalType": principal_type, "clientIds": [APP]
    })
}

#[tokio::test]
async fn list_follows_next_links_through_three_pages() {
    let server = MockServer::start().await;
    let next = |skip: u32| {
        format!(
            "{}/access/entra/assignments?api-version=2025-03-02-preview&skip={skip}",
            server.uri()
        )
    };
    Mock::given(method("GET"))
        .and(path("/access/entra/assignments"))
        .and(query_param_is_missing("skip"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"value": [wire(ALICE, "user")], "nextLink": next(1)}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("skip", "1"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                serde_json::json!({"value": [wire(BOB, "user")], "nextLink": next(2)}),
            ),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("skip", "2"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"value": [wire(GROUP, "group")]})),
        )
        .mount(&server)
        .await;

    let pager = client_at(&server, api_version::V2025_03_02_PREVIEW)
        .list_entra_assignments(None)
        .unwrap();
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "pages are fetched lazily"
    );
    let all: Vec<EntraAssignment> = pager.try_collect().await.unwrap();
    assert_eq!(
        all,
        vec![
            assignment(ALICE, EntraPrincipalType::User),
            assignment(BOB, EntraPrincipalType::User),
            assignment(GROUP, EntraPrincipalType::Group),
        ]
    );
    let requests = server.received_requests().await.unwrap();
    let queries: Vec<&str> = requests.iter().map(|r| r.url.query().unwrap()).collect();
    assert_eq!(
        queries,
        [
            "api-version=2025-03-02-preview",
            "api-version=2025-03-02-preview&skip=1",
            "api-version=2025-03-02-preview&skip=2",
        ]
    );
    for request in &requests {
        assert_eq!(request.method.as_str(), "GET");
        assert_common_headers(request);
        assert_signed(request, KEY);
    }
}

/// One page (ALICE) whose `nextLink` is `next`: the page is yielded, asking for
/// the next is the error returned here, and only the first page was requested.
async fn refused_next_link(server: &MockServer, next: &str) -> azure_core::Error {
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                serde_json::json!({"value": [wire(ALICE, "user")], "nextLink": next}),
            ),
        )
        .mount(server)
        .await;
    let mut pager = client_at(server, api_version::V2025_03_02_PREVIEW)
        .list_entra_assignments(None)
        .unwrap();
    assert_eq!(pager.try_next().await.unwrap().unwrap().object_id, ALICE);
    let err = pager.try_next().await.unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    err
}

#[tokio::test]
async fn a_next_link_to_another_host_is_not_followed() {
    let server = MockServer::start().await;
    let err = refused_next_link(
        &server,
        "https://elsewhere.example/access/entra/assignments?skip=1",
    )
    .await;
    assert!(err.to_string().contains("not following it"), "{err}");
}

/// The refusal names the port of a link to another port (found by the
/// `entra_pages` fuzz target: it read like the endpoint's own origin).
#[tokio::test]
async fn a_next_link_to_another_port_names_that_port() {
    let server = MockServer::start().await;
    let next = format!(
        "http://{}:1/access/entra/assignments?skip=1",
        server.address().ip()
    );
    let err = refused_next_link(&server, &next).await;
    let want = format!("points at http://{}:1, not at", server.address().ip());
    assert!(err.to_string().contains(&want), "{err}");
}

/// Found by the `entra_pages` fuzz target: a `nextLink` on the endpoint's host and
/// port but with userinfo was followed (reqwest would add the userinfo as a second,
/// Basic, Authorization header).
#[tokio::test]
async fn a_next_link_with_userinfo_is_not_followed() {
    let server = MockServer::start().await;
    let next = format!(
        "http://user:hunter2@{}/access/entra/assignments?skip=1",
        server.address()
    );
    let message = refused_next_link(&server, &next).await.to_string();
    assert!(message.contains("user credentials"), "{message}");
    assert!(!message.contains("hunter2"), "{message}");
}

/// Found by the `entra_pages` fuzz target: a `nextLink` that is not a URL (here a
/// relative one) failed the page that carried it, so its assignments were lost;
/// now they are yielded and the next page is the error.
#[tokio::test]
async fn a_next_link_that_is_not_a_url_ends_the_list_after_its_page() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "value": [wire(ALICE, "user"), wire(BOB, "user")],
            "nextLink": "/access/entra/assignments?skip=2",
        })))
        .mount(&server)
        .await;
    let mut pager = client_at(&server, api_version::V2025_03_02_PREVIEW)
        .list_entra_assignments(None)
        .unwrap();
    assert_eq!(pager.try_next().await.unwrap().unwrap().object_id, ALICE);
    assert_eq!(pager.try_next().await.unwrap().unwrap().object_id, BOB);
    let err = pager.try_next().await.unwrap_err();
    assert!(err.to_string().contains("not a URL"), "{err}");
    assert!(pager.try_next().await.unwrap().is_none(), "the list ends");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn get_put_and_delete_one_assignment() {
    let server = MockServer::start().await;
    let one = format!("/access/entra/assignments/{ALICE}");
    Mock::given(method("GET"))
        .and(path(one.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(wire(ALICE, "user")))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(one.as_str()))
        .and(header_is("content-type", "application/json"))
        .respond_with(ResponseTemplate::new(201).set_body_json(wire(ALICE, "user")))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(one.as_str()))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client_at(&server, api_version::V2025_03_02_PREVIEW);
    let alice = assignment(ALICE, EntraPrincipalType::User);
    assert_eq!(
        client
            .create_or_replace_entra_assignment(&alice, None)
            .await
            .unwrap(),
        alice
    );
    assert_eq!(
        client.get_entra_assignment(ALICE, None).await.unwrap(),
        alice
    );
    client.delete_entra_assignment(ALICE, None).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    assert_eq!(
        requests[0].body,
        format!(r#"{{"tenantId":"{TENANT}","principalType":"user","clientIds":["{APP}"]}}"#)
            .as_bytes()
    );
    for request in &requests {
        assert_eq!(request.url.query(), Some("api-version=2025-03-02-preview"));
        assert_signed(request, KEY);
    }
}

#[tokio::test]
async fn bulk_update_is_one_merge_patch() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/access/entra/assignments"))
        .and(header_is("content-type", "application/merge-patch+json"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"value": [wire(ALICE, "user")]})),
        )
        .mount(&server)
        .await;
    let client = client_at(&server, api_version::V2025_03_02_PREVIEW);
    let changed = client
        .update_entra_assignments(
            &[
                (
                    ALICE.to_owned(),
                    Some(assignment(ALICE, EntraPrincipalType::User)),
                ),
                (BOB.to_owned(), None),
            ],
            None,
        )
        .await
        .unwrap();
    assert_eq!(changed, vec![assignment(ALICE, EntraPrincipalType::User)]);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let body: serde_json::Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            ALICE: {"tenantId": TENANT, "principalType": "user", "clientIds": [APP]},
            BOB: null,
        })
    );
    assert_signed(&requests[0], KEY);

    // A 204 answer: nothing to return.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let changed = client_at(&server, api_version::V2025_03_02_PREVIEW)
        .update_entra_assignments(&[(BOB.to_owned(), None)], None)
        .await
        .unwrap();
    assert!(changed.is_empty());
}

#[tokio::test]
async fn rejections_name_the_field_and_send_nothing() {
    let server = MockServer::start().await;
    let client = client_at(&server, api_version::V2025_03_02_PREVIEW);
    let err = client
        .get_entra_assignment("alice", None)
        .await
        .unwrap_err();
    assert_eq!(invalid(&err).argument(), "object_id");
    let err = client.delete_entra_assignment("", None).await.unwrap_err();
    assert_eq!(invalid(&err).argument(), "object_id");
    let bad_tenant = EntraAssignment {
        tenant_id: "contoso.onmicrosoft.com".to_owned(),
        ..assignment(ALICE, EntraPrincipalType::User)
    };
    let err = client
        .create_or_replace_entra_assignment(&bad_tenant, None)
        .await
        .unwrap_err();
    assert_eq!(invalid(&err).argument(), "tenant_id");
    let bad_client = EntraAssignment {
        client_ids: vec!["app".to_owned()],
        ..assignment(ALICE, EntraPrincipalType::User)
    };
    let err = client
        .update_entra_assignments(&[(ALICE.to_owned(), Some(bad_client))], None)
        .await
        .unwrap_err();
    assert_eq!(invalid(&err).argument(), "client_ids");
    for changes in [
        vec![],
        vec![(BOB.to_owned(), None), (BOB.to_owned(), None)],
        vec![(
            BOB.to_owned(),
            Some(assignment(ALICE, EntraPrincipalType::User)),
        )],
    ] {
        let err = client
            .update_entra_assignments(&changes, None)
            .await
            .unwrap_err();
        assert_eq!(invalid(&err).argument(), "changes", "{changes:?}");
    }

    // Entra assignments exist in the preview only.
    let ga = client_at(&server, api_version::V2025_06_30);
    let expected =
        "Entra assignments need api-version 2025-03-02-preview; the client uses 2025-06-30";
    let err = ga.list_entra_assignments(None).unwrap_err();
    assert_eq!(invalid(&err).message(), expected);
    let err = ga.get_entra_assignment(ALICE, None).await.unwrap_err();
    assert_eq!(invalid(&err).message(), expected);
    let err = ga
        .update_entra_assignments(&[(BOB.to_owned(), None)], None)
        .await
        .unwrap_err();
    assert_eq!(invalid(&err).message(), expected);
    // And on the default, 2026-09-23.
    let default = crate::support::client(&server);
    let err = default.list_entra_assignments(None).unwrap_err();
    assert_eq!(
        invalid(&err).message(),
        "Entra assignments need api-version 2025-03-02-preview; the client uses 2026-09-23"
    );
    let err = default
        .delete_entra_assignment(ALICE, None)
        .await
        .unwrap_err();
    assert_eq!(invalid(&err).argument(), "api_version");
    assert!(server.received_requests().await.unwrap().is_empty());
}
