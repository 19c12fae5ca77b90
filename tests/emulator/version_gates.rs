//! Each version gate, client against emulator: an operation or option the
//! api-version lacks is refused before anything is sent.

use crate::support::from_connection_string;
use crate::{
    custom_id::custom,
    teams_extension_assignments::{OBJECT, TENANT},
};
use acs_identity::{
    models::api_version, CommunicationErrorExt, CommunicationIdentityClient,
    CommunicationUserIdentifier, InvalidArgument,
};
use acs_identity_emulator::Emulator;

fn invalid(err: &azure_core::Error) -> &InvalidArgument {
    err.downcast_ref::<InvalidArgument>()
        .unwrap_or_else(|| panic!("expected an InvalidArgument, got {err:?}"))
}

#[tokio::test]
async fn version_gates_send_nothing_the_version_lacks() {
    let emu = Emulator::builder().start().await.unwrap();
    let ga = from_connection_string(&emu, api_version::V2025_06_30);
    let user = ga.create_user(None).await.unwrap();
    let err = ga.create_user(custom("alice")).await.unwrap_err();
    assert_eq!(invalid(&err).argument(), "custom_id");
    let err = ga.get_user_detail(&user, None).await.unwrap_err();
    assert!(
        invalid(&err).message().contains("2025-03-02-preview"),
        "{err}"
    );
    let old = from_connection_string(&emu, api_version::V2023_10_01);
    let err = old
        .get_teams_extension_assignment(TENANT, OBJECT, None)
        .await
        .unwrap_err();
    assert!(
        invalid(&err)
            .message()
            .contains("2025-03-02-preview or 2025-06-30"),
        "{err}"
    );
    assert_eq!(
        emu.identity_with_custom_id("alice"),
        None,
        "nothing was sent"
    );
    emu.shutdown().await;
}

/// The default api-version (2026-09-23) has no custom ids, user detail or Entra
/// assignments: refused before sending, against any emulator.
#[tokio::test]
async fn the_default_refuses_custom_ids_user_detail_and_entra_assignments() {
    let emu = Emulator::builder().start().await.unwrap();
    let client =
        CommunicationIdentityClient::from_connection_string(emu.connection_string(), None).unwrap();
    let err = client.create_user(custom("alice")).await.unwrap_err();
    assert_eq!(err.invalid_argument().unwrap().argument(), "custom_id");
    assert_eq!(
        err.invalid_argument().unwrap().message(),
        "custom ids need api-version 2025-03-02-preview; the client uses 2026-09-23"
    );
    let user = CommunicationUserIdentifier::new("8:acs:r_u");
    let err = client.get_user_detail(&user, None).await.unwrap_err();
    assert!(
        invalid(&err).message().contains("2025-03-02-preview"),
        "{err}"
    );
    let err = client.list_entra_assignments(None).err().unwrap();
    assert!(
        invalid(&err).message().contains("2025-03-02-preview"),
        "{err}"
    );
    assert_eq!(
        emu.identity_with_custom_id("alice"),
        None,
        "nothing was sent"
    );
    emu.shutdown().await;
}
