//! The Entra user credential and the assignments, client against emulator: the
//! Teams Extension and Entra exchanges after assignments made with the identity
//! client, each refusal reaching the caller with its ACS code, and listing Entra
//! assignments through several pages.

use crate::support::{entra_token, from_connection_string};
use acs_identity::{
    credential::EntraCommunicationTokenCredentialOptions, models::api_version,
    CommunicationIdentifier, CommunicationTokenCredential, EntraAssignment, EntraPrincipalType,
    TeamsExtensionAssignment, TeamsExtensionPrincipalType,
};
use acs_identity_emulator::{Emulator, TokenStatus};
use acs_testing::FakeCredential;
use futures::TryStreamExt;

const TENANT: &str = "45ab2481-1c1c-4005-be24-0ffb879b1130";
const USER: &str = "207ffef6-9444-41fb-92ab-20eacaae2768";
const APP: &str = "1fd5d3a1-8f0b-4a7c-9e2d-6b5a4c3d2e1f";
const OTHER_APP: &str = "9a3c1e7d-2b4f-4c6a-8d0e-1f2a3b4c5d6e";
const TEAMS_PHONE: &str = "https://auth.msft.communication.azure.com/TeamsExtension.ManageCalls";

/// The user's Entra token: tenant, user, application, an hour of life.
fn user_token(app: &str) -> String {
    let exp = (time::OffsetDateTime::now_utc() + time::Duration::hours(1)).unix_timestamp();
    entra_token(serde_json::json!({"tid": TENANT, "oid": USER, "appid": app, "exp": exp}))
}

fn credential(emu: &Emulator, scopes: &[&str], app: &str) -> CommunicationTokenCredential {
    CommunicationTokenCredential::from_entra(EntraCommunicationTokenCredentialOptions {
        scopes: scopes.iter().map(|s| s.to_string()).collect(),
        ..EntraCommunicationTokenCredentialOptions::new(
            emu.endpoint(),
            FakeCredential::new(user_token(app)),
        )
    })
    .unwrap()
}

#[tokio::test]
async fn teams_extension_user_gets_a_token_after_an_assignment() {
    let emu = Emulator::builder().start().await.unwrap();
    let admin = from_connection_string(&emu, api_version::V2025_06_30);

    // No assignment yet: the service's refusal, with its code and status.
    let err = credential(&emu, &[TEAMS_PHONE], APP)
        .get_token()
        .await
        .unwrap_err();
    assert!(
        err.to_string().starts_with("AssignmentNotFound: ")
            && err.to_string().ends_with("(HTTP 401)"),
        "{err}"
    );

    admin
        .create_or_replace_teams_extension_assignment(
            &TeamsExtensionAssignment {
                tenant_id: TENANT.to_owned(),
                object_id: USER.to_owned(),
                principal_type: TeamsExtensionPrincipalType::User,
                client_ids: vec![APP.to_owned()],
            },
            None,
        )
        .await
        .unwrap();
    let user = credential(&emu, &[TEAMS_PHONE], APP);
    let token = user.get_token().await.unwrap();
    assert_eq!(
        emu.validate_token(token.token.secret()).status,
        TokenStatus::Valid
    );
    match user.communication_identifier() {
        Some(CommunicationIdentifier::TeamsExtensionUser(id)) => {
            assert_eq!((id.tenant_id(), id.user_id()), (TENANT, USER));
            assert_eq!(id.resource_id(), emu.resource_id());
        }
        other => panic!("expected a Teams Extension user, got {other:?}"),
    }

    // Another application than the assignment allows.
    let err = credential(&emu, &[TEAMS_PHONE], OTHER_APP)
        .get_token()
        .await
        .unwrap_err();
    assert!(err.to_string().starts_with("ClientNotAllowed: "), "{err}");
    emu.shutdown().await;
}

#[tokio::test]
async fn entra_user_gets_a_token_through_an_entra_assignment() {
    let emu = Emulator::builder().start().await.unwrap();
    let admin = from_connection_string(&emu, api_version::V2025_03_02_PREVIEW);
    admin
        .create_or_replace_entra_assignment(
            &EntraAssignment {
                object_id: USER.to_owned(),
                tenant_id: TENANT.to_owned(),
                principal_type: EntraPrincipalType::User,
                client_ids: vec![APP.to_owned()],
            },
            None,
        )
        .await
        .unwrap();
    let user = credential(
        &emu,
        &["https://communication.azure.com/clients/.default"],
        APP,
    );
    let token = user.get_token().await.unwrap();
    assert_eq!(
        emu.validate_token(token.token.secret()).status,
        TokenStatus::Valid
    );
    let id = user.communication_identifier().unwrap();
    assert_eq!(
        id.raw_id(),
        format!("8:acs:{}_wf_{TENANT}_{USER}", emu.resource_id())
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn entra_assignments_page_through_next_links() {
    let emu = Emulator::builder()
        .entra_assignments_page_size(2)
        .start()
        .await
        .unwrap();
    let admin = from_connection_string(&emu, api_version::V2025_03_02_PREVIEW);
    let ids: Vec<String> = (1..=5)
        .map(|i| format!("00000000-0000-4000-8000-00000000000{i}"))
        .collect();
    let changes: Vec<(String, Option<EntraAssignment>)> = ids
        .iter()
        .map(|id| {
            (
                id.clone(),
                Some(EntraAssignment {
                    object_id: id.clone(),
                    tenant_id: TENANT.to_owned(),
                    principal_type: EntraPrincipalType::User,
                    client_ids: vec![APP.to_owned()],
                }),
            )
        })
        .collect();
    let changed = admin
        .update_entra_assignments(&changes, None)
        .await
        .unwrap();
    assert_eq!(changed.len(), 5);

    let listed: Vec<String> = admin
        .list_entra_assignments(None)
        .unwrap()
        .map_ok(|a| a.object_id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed, ids, "five assignments over three pages of two");
    let pages: Vec<usize> = admin
        .list_entra_assignments(None)
        .unwrap()
        .into_pages()
        .and_then(|page| async move { Ok(page.into_model()?.value.len()) })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages, [2, 2, 1]);

    // Remove two in one patch, then one by one.
    admin
        .update_entra_assignments(&[(ids[0].clone(), None), (ids[1].clone(), None)], None)
        .await
        .unwrap();
    admin.delete_entra_assignment(&ids[2], None).await.unwrap();
    let err = admin.get_entra_assignment(&ids[2], None).await.unwrap_err();
    assert!(err.to_string().starts_with("AssignmentNotFound: "), "{err}");
    let left: Vec<EntraAssignment> = admin
        .list_entra_assignments(None)
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(left.len(), 2);
    emu.shutdown().await;
}
