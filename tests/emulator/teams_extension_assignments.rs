//! Teams Extension assignments, client against emulator: create, replace, get and
//! delete on each api-version that has them.

use crate::support::{from_connection_string, service_error};
use acs_identity::{
    models::api_version, CommunicationIdentityClient, TeamsExtensionAssignment,
    TeamsExtensionPrincipalType,
};
use acs_identity_emulator::Emulator;

pub const TENANT: &str = "2dee53b4-368b-45b4-ab52-8493fb117652";
pub const OBJECT: &str = "0c5b0c7e-1234-4d2f-9a7b-3f1e2d4c5b6a";
pub const APP: &str = "1fd5d3a1-8f0b-4a7c-9e2d-6b5a4c3d2e1f";

pub fn assignment(principal_type: TeamsExtensionPrincipalType) -> TeamsExtensionAssignment {
    TeamsExtensionAssignment {
        tenant_id: TENANT.to_owned(),
        object_id: OBJECT.to_owned(),
        principal_type,
        client_ids: vec![APP.to_owned()],
    }
}

pub async fn assignment_flow(client: &CommunicationIdentityClient) {
    let user = assignment(TeamsExtensionPrincipalType::User);
    assert_eq!(
        client
            .create_or_replace_teams_extension_assignment(&user, None)
            .await
            .unwrap(),
        user
    );
    // Replacing it (a 200 this time) with a resource account and no client ids.
    let account = TeamsExtensionAssignment {
        client_ids: Vec::new(),
        ..assignment(TeamsExtensionPrincipalType::ResourceAccount)
    };
    assert_eq!(
        client
            .create_or_replace_teams_extension_assignment(&account, None)
            .await
            .unwrap(),
        account
    );
    assert_eq!(
        client
            .get_teams_extension_assignment(TENANT, OBJECT, None)
            .await
            .unwrap(),
        account
    );
    client
        .delete_teams_extension_assignment(TENANT, OBJECT, None)
        .await
        .unwrap();
    let err = client
        .get_teams_extension_assignment(TENANT, OBJECT, None)
        .await
        .unwrap_err();
    assert_eq!(service_error(&err), (404, "AssignmentNotFound".to_owned()));
    assert!(err.to_string().starts_with("AssignmentNotFound: "), "{err}");
}

/// On the default api-version, 2026-09-23 (needs an emulator that serves it).
#[tokio::test]
async fn assignments_on_the_default_api_version() {
    let emu = Emulator::builder().start().await.unwrap();
    let client =
        CommunicationIdentityClient::from_connection_string(emu.connection_string(), None).unwrap();
    assert_eq!(client.api_version(), api_version::V2026_09_23);
    assignment_flow(&client).await;
    let client = from_connection_string(&emu, api_version::V2026_09_23);
    assignment_flow(&client).await;
    emu.shutdown().await;
}
