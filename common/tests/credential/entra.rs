//! The Entra user credential on a mock transport: both exchange paths (exact
//! method, URL, headers, body; the bearer is the Entra token the credential
//! returned), who the user became, the scope and endpoint rules, refresh on
//! tokio's paused clock, and a failing exchange that makes a bounded number of
//! attempts.

use acs_common::{
    credential::{
        CommunicationTokenCredential, EntraCommunicationTokenCredentialOptions, ENTRA_CLIENTS_SCOPE,
    },
    CommunicationIdentifier, InvalidArgument,
};
use acs_testing::{FakeCredential, MockResponse, MockTransport, RecordedRequest};
use azure_core::{
    http::{ClientOptions, FixedRetryOptions, RetryOptions},
    time::{Duration, OffsetDateTime},
};
use std::{sync::Arc, time::Duration as StdDuration};

const ENDPOINT: &str = "https://contoso.communication.azure.com";
const TEAMS_SCOPE: &str = "https://auth.msft.communication.azure.com/TeamsExtension.ManageCalls";
const ENTRA_TOKEN: &str = "entra-token-of-the-user";
const TEAMS_USER: &str = "8:acs:2dee53b4-368b-45b4-ab52-8493fb117652_45ab2481-1c1c-4005-be24-0ffb879b1130_207ffef6-9444-41fb-92ab-20eacaae2768";
const ENTRA_USER: &str = "8:acs:2dee53b4-368b-45b4-ab52-8493fb117652_wf_45ab2481-1c1c-4005-be24-0ffb879b1130_207ffef6-9444-41fb-92ab-20eacaae2768";

/// A 200 exchange answer for `id`, valid for `minutes` from the wall clock.
fn answer(id: &'static str, minutes: i64) -> MockResponse {
    let expires_on =
        azure_core::time::to_rfc3339(&(OffsetDateTime::now_utc() + Duration::minutes(minutes)));
    MockResponse::json(
        200,
        serde_json::json!({
            "identity": {"id": id},
            "accessToken": {"token": format!("acs-token-for-{id}"), "expiresOn": expires_on},
        })
        .to_string(),
    )
}

fn options(
    scopes: &[&str],
    transport: &Arc<MockTransport>,
    entra: &Arc<FakeCredential>,
) -> EntraCommunicationTokenCredentialOptions {
    EntraCommunicationTokenCredentialOptions {
        scopes: scopes.iter().map(|s| s.to_string()).collect(),
        client_options: ClientOptions {
            transport: Some(transport.transport()),
            retry: RetryOptions::none(),
            ..Default::default()
        },
        ..EntraCommunicationTokenCredentialOptions::new(ENDPOINT, entra.clone())
    }
}

fn assert_exchange(request: &RecordedRequest, url: &str) {
    assert_eq!(request.method, "POST");
    assert_eq!(request.url, url);
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {ENTRA_TOKEN}").as_str())
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_eq!(request.body, b"{}");
}

fn invalid(err: &azure_core::Error) -> &InvalidArgument {
    err.downcast_ref::<InvalidArgument>()
        .unwrap_or_else(|| panic!("expected an InvalidArgument, got {err:?}"))
}

#[tokio::test]
async fn teams_extension_scopes_exchange_at_2025_06_30() {
    let transport = MockTransport::always(answer(TEAMS_USER, 60));
    let entra = FakeCredential::new(ENTRA_TOKEN);
    let credential =
        CommunicationTokenCredential::from_entra(options(&[TEAMS_SCOPE], &transport, &entra))
            .unwrap();
    assert_eq!(
        credential.communication_identifier(),
        None,
        "no exchange yet"
    );

    let token = credential.get_token().await.unwrap();
    assert_eq!(token.token.secret(), format!("acs-token-for-{TEAMS_USER}"));
    let requests = transport.requests();
    assert_eq!(requests.len(), 1);
    assert_exchange(
        &requests[0],
        "https://contoso.communication.azure.com/access/teamsExtension/:exchangeAccessToken?api-version=2025-06-30",
    );
    assert_eq!(entra.scopes_requested(), vec![vec![TEAMS_SCOPE.to_owned()]]);
    match credential.communication_identifier() {
        Some(CommunicationIdentifier::TeamsExtensionUser(user)) => {
            assert_eq!(user.tenant_id(), "45ab2481-1c1c-4005-be24-0ffb879b1130");
            assert_eq!(user.user_id(), "207ffef6-9444-41fb-92ab-20eacaae2768");
        }
        other => panic!("expected a Teams Extension user, got {other:?}"),
    }
    // Neither token shows in Debug.
    let debug = format!("{credential:?}");
    assert!(
        !debug.contains(ENTRA_TOKEN) && !debug.contains("acs-token"),
        "{debug}"
    );
}

#[tokio::test]
async fn the_default_scope_exchanges_at_the_entra_endpoint() {
    let transport = MockTransport::always(answer(ENTRA_USER, 60));
    let entra = FakeCredential::new(ENTRA_TOKEN);
    let defaults = EntraCommunicationTokenCredentialOptions::new(
        "https://contoso.communication.azure.com/",
        entra.clone(),
    );
    assert_eq!(defaults.scopes, vec![ENTRA_CLIENTS_SCOPE.to_owned()]);
    let credential =
        CommunicationTokenCredential::from_entra(EntraCommunicationTokenCredentialOptions {
            client_options: ClientOptions {
                transport: Some(transport.transport()),
                ..Default::default()
            },
            ..defaults
        })
        .unwrap();
    credential.get_token().await.unwrap();
    assert_exchange(
        &transport.requests()[0],
        "https://contoso.communication.azure.com/access/entra/:exchangeAccessToken?api-version=2025-03-02-preview",
    );
    assert_eq!(
        entra.scopes_requested(),
        vec![vec![
            "https://communication.azure.com/clients/.default".to_owned()
        ]]
    );
    // The `_wf_` form has four parts: an ACS user.
    assert_eq!(
        credential.communication_identifier(),
        Some(CommunicationIdentifier::from_raw_id(ENTRA_USER))
    );
    assert_eq!(
        credential.communication_identifier().unwrap().kind(),
        "communicationUser"
    );
}

#[tokio::test]
async fn construction_errors_name_what_is_wrong() {
    let transport = MockTransport::always(answer(TEAMS_USER, 60));
    let entra = FakeCredential::new(ENTRA_TOKEN);
    for scopes in [
        vec![],
        vec![TEAMS_SCOPE, ENTRA_CLIENTS_SCOPE],
        vec!["https://communication.azure.com//.default"],
        vec!["https://graph.microsoft.com/User.Read"],
    ] {
        let err = CommunicationTokenCredential::from_entra(options(&scopes, &transport, &entra))
            .unwrap_err();
        assert_eq!(invalid(&err).argument(), "scopes", "{scopes:?}");
    }
    for (endpoint, argument) in [
        (
            "http://contoso.communication.azure.com",
            "resource_endpoint",
        ),
        ("http://10.0.0.1:8080", "resource_endpoint"),
        ("not a url", "endpoint"),
        ("", "endpoint"),
    ] {
        let err =
            CommunicationTokenCredential::from_entra(EntraCommunicationTokenCredentialOptions {
                resource_endpoint: endpoint.to_owned(),
                ..options(&[TEAMS_SCOPE], &transport, &entra)
            })
            .unwrap_err();
        assert_eq!(invalid(&err).argument(), argument, "{endpoint}");
    }
    // Plain http to loopback is allowed, for the emulator.
    for endpoint in [
        "http://127.0.0.1:8080",
        "http://localhost:8080/",
        "http://[::1]:8080",
    ] {
        CommunicationTokenCredential::from_entra(EntraCommunicationTokenCredentialOptions {
            resource_endpoint: endpoint.to_owned(),
            ..options(&[TEAMS_SCOPE], &transport, &entra)
        })
        .unwrap_or_else(|e| panic!("{endpoint}: {e}"));
    }
    assert!(transport.requests().is_empty(), "nothing was sent");
}

#[tokio::test(start_paused = true)]
async fn it_re_exchanges_with_a_new_entra_token_when_the_acs_token_runs_out() {
    let transport = MockTransport::always(answer(TEAMS_USER, 60));
    let entra = FakeCredential::new(ENTRA_TOKEN);
    let credential =
        CommunicationTokenCredential::from_entra(options(&[TEAMS_SCOPE], &transport, &entra))
            .unwrap();
    credential.get_token().await.unwrap();
    credential.get_token().await.unwrap();
    assert_eq!(transport.requests().len(), 1, "cached while fresh");

    // Inside the 2-minute on-demand window: one new exchange, one new Entra token.
    tokio::time::advance(StdDuration::from_secs(59 * 60)).await;
    credential.get_token().await.unwrap();
    assert_eq!(transport.requests().len(), 2);
    assert_eq!(entra.scopes_requested().len(), 2);
    credential.close();
    assert!(credential.get_token().await.is_err());
    assert_eq!(transport.requests().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_failing_exchange_is_an_error_with_the_acs_code_and_a_bounded_number_of_attempts() {
    let transport = MockTransport::always(MockResponse::json(
        503,
        r#"{"error":{"code":"ServiceUnavailable","message":"Try later."}}"#,
    ));
    let entra = FakeCredential::new(ENTRA_TOKEN);
    let credential =
        CommunicationTokenCredential::from_entra(EntraCommunicationTokenCredentialOptions {
            client_options: ClientOptions {
                transport: Some(transport.transport()),
                retry: RetryOptions::fixed(FixedRetryOptions {
                    delay: Duration::milliseconds(10),
                    max_retries: 3,
                    ..Default::default()
                }),
                ..Default::default()
            },
            ..options(&[TEAMS_SCOPE], &transport, &entra)
        })
        .unwrap();
    let err = credential.get_token().await.unwrap_err();
    assert_eq!(err.to_string(), "ServiceUnavailable: Try later. (HTTP 503)");
    assert_eq!(transport.requests().len(), 4, "one try and three retries");
    // The next call tries again, as boundedly; nothing runs in between.
    tokio::time::advance(StdDuration::from_secs(3600)).await;
    assert_eq!(transport.requests().len(), 4);
    assert!(credential.get_token().await.is_err());
    assert_eq!(transport.requests().len(), 8);

    // A refused Entra token (401) is not retried, and its message never holds it.
    let transport = MockTransport::always(MockResponse::json(
        401,
        r#"{"error":{"code":"InvalidAccessToken","message":"Provided access token is not valid."}}"#,
    ));
    let credential =
        CommunicationTokenCredential::from_entra(EntraCommunicationTokenCredentialOptions {
            client_options: ClientOptions {
                transport: Some(transport.transport()),
                ..Default::default()
            },
            ..options(&[TEAMS_SCOPE], &transport, &entra)
        })
        .unwrap();
    let err = credential.get_token().await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "InvalidAccessToken: Provided access token is not valid. (HTTP 401)"
    );
    assert!(!format!("{err:?}").contains(ENTRA_TOKEN));
    assert_eq!(transport.requests().len(), 1);
    assert_eq!(credential.communication_identifier(), None);
}
