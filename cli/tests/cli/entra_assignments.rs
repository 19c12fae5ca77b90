//! `assignment entra ...` against the emulator (api-version 2025-03-02-preview,
//! chosen by the CLI).

use crate::support::{line, Emu, APP, OBJECT, TENANT};
use serde_json::json;

#[test]
fn entra_assignments() {
    let emu = Emu::start();
    let run = emu.run(&[
        "--output",
        "json",
        "assignment",
        "entra",
        "set",
        "--object-id",
        OBJECT,
        "--tenant-id",
        TENANT,
        "--principal-type",
        "user",
        "--client-id",
        APP,
    ]);
    run.assert_code(0);
    assert_eq!(
        run.json(),
        json!({"objectId": OBJECT, "tenantId": TENANT, "principalType": "user", "clientIds": [APP]})
    );
    let run = emu.run(&[
        "assignment",
        "entra",
        "set",
        "--object-id",
        TENANT,
        "--tenant-id",
        TENANT,
        "--principal-type",
        "tenant",
        "--client-id",
        APP,
    ]);
    run.assert_code(0);
    assert_eq!(line(&run.stdout, "principal type"), "tenant");

    let run = emu.run(&["--output", "json", "assignment", "entra", "list"]);
    run.assert_code(0);
    assert_eq!(run.json()["assignments"].as_array().unwrap().len(), 2);
    let run = emu.run(&["assignment", "entra", "get", "--object-id", OBJECT]);
    run.assert_code(0);
    assert_eq!(line(&run.stdout, "tenant"), TENANT);
    emu.run(&["assignment", "entra", "delete", "--object-id", OBJECT])
        .assert_code(0);
    emu.run(&["assignment", "entra", "get", "--object-id", OBJECT])
        .assert_code(1)
        .assert_stderr_has("AssignmentNotFound");
    // A bad id is a usage error before anything is sent.
    emu.run(&["assignment", "entra", "get", "--object-id", "alice"])
        .assert_code(2)
        .assert_stderr_has("is not a GUID");
    // Entra assignments exist in the preview only.
    emu.run(&["--api-version", "2025-06-30", "assignment", "entra", "list"])
        .assert_code(2)
        .assert_stderr_has("Entra assignments need api-version 2025-03-02-preview");
}
