//! `assignment teams-extension get|set|delete` against the emulator.

use crate::support::{line, Emu, APP, OBJECT, TENANT};
use serde_json::json;

#[test]
fn teams_extension_assignments() {
    let emu = Emu::start();
    let target = ["--tenant-id", TENANT, "--object-id", OBJECT];
    let te = |verb: &str, json: bool, extra: &[&str]| {
        let mut args = vec![];
        if json {
            args.extend(["--output", "json"]);
        }
        args.extend(["assignment", "teams-extension", verb]);
        args.extend_from_slice(&target);
        args.extend_from_slice(extra);
        emu.run(&args)
    };

    let run = te(
        "set",
        true,
        &["--principal-type", "user", "--client-id", APP],
    );
    run.assert_code(0);
    assert_eq!(
        run.json(),
        json!({"tenantId": TENANT, "objectId": OBJECT, "principalType": "user", "clientIds": [APP]})
    );
    let run = te("set", false, &["--principal-type", "resourceAccount"]);
    run.assert_code(0);
    assert_eq!(line(&run.stdout, "principal type"), "resourceAccount");

    let run = te("get", false, &[]);
    run.assert_code(0);
    assert_eq!(line(&run.stdout, "object"), OBJECT);
    let run = te("get", true, &[]);
    run.assert_code(0);
    assert_eq!(run.json()["principalType"], "resourceAccount");

    let run = te("delete", true, &[]);
    run.assert_code(0);
    assert_eq!(
        run.json(),
        json!({"tenantId": TENANT, "objectId": OBJECT, "deleted": true})
    );
    let run = te("get", false, &[]);
    run.assert_code(1).assert_stderr_has("(HTTP 404)");
    // Deleting what is gone: the emulator's 404 AssignmentNotFound, exit 1.
    let run = te("delete", false, &[]);
    run.assert_code(1)
        .assert_stderr_has("AssignmentNotFound")
        .assert_stderr_has("(HTTP 404)");
}
