//! The custom-id and assignment flow over `--data-dir` across a restart.

use crate::support::from_connection_string;
use crate::{
    custom_id::{custom, custom_id_flow},
    teams_extension_assignments::{assignment, OBJECT, TENANT},
};
use acs_identity::{models::api_version, TeamsExtensionPrincipalType};
use acs_identity_emulator::{Emulator, ManualClock};
use std::sync::Arc;

#[tokio::test]
async fn the_same_flow_across_a_restart_with_a_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(time::OffsetDateTime::now_utc()));
    let start = || {
        Emulator::builder()
            .data_dir(dir.path())
            .clock(clock.clone())
            .start()
    };
    let emu = start().await.unwrap();
    let client = from_connection_string(&emu, api_version::V2025_03_02_PREVIEW);
    let alice = custom_id_flow(&client, &clock).await;
    let before = client.get_user_detail(&alice, None).await.unwrap();
    client
        .create_or_replace_teams_extension_assignment(
            &assignment(TeamsExtensionPrincipalType::User),
            None,
        )
        .await
        .unwrap();
    emu.shutdown().await;

    let emu = start().await.unwrap();
    let client = from_connection_string(&emu, api_version::V2025_03_02_PREVIEW);
    assert_eq!(client.create_user(custom("alice")).await.unwrap(), alice);
    assert_eq!(client.get_user_detail(&alice, None).await.unwrap(), before);
    assert_eq!(
        client
            .get_teams_extension_assignment(TENANT, OBJECT, None)
            .await
            .unwrap(),
        assignment(TeamsExtensionPrincipalType::User)
    );
    emu.shutdown().await;
}
