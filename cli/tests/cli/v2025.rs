//! Commands of api-versions 2025-03-02-preview and 2025-06-30: custom ids, `user show`,
//! Teams Extension assignments. The tests that talk to the emulator need it to serve those
//! versions; the refusals before sending pass against any emulator.

use crate::support::{line, Emu};
use serde_json::json;

const TENANT: &str = "2dee53b4-368b-45b4-ab52-8493fb117652";
const OBJECT: &str = "0c5b0c7e-1234-4d2f-9a7b-3f1e2d4c5b6a";
const APP: &str = "1fd5d3a1-8f0b-4a7c-9e2d-6b5a4c3d2e1f";

#[test]
fn the_ga_version_refuses_custom_ids_and_user_show_with_2() {
    let emu = Emu::start();
    let run = emu.run(&[
        "--api-version",
        "2025-06-30",
        "user",
        "create",
        "--custom-id",
        "alice",
    ]);
    run.assert_code(2).assert_stderr_has(
        "custom ids need api-version 2025-03-02-preview; the client uses 2025-06-30",
    );
    let run = emu.run(&["--api-version", "2025-06-30", "user", "show", "8:acs:r_u"]);
    run.assert_code(2)
        .assert_stderr_has("get_user_detail needs api-version 2025-03-02-preview");
    let run = emu.run(&[
        "--api-version",
        "2023-10-01",
        "assignment",
        "teams-extension",
        "get",
        "--tenant-id",
        TENANT,
        "--object-id",
        OBJECT,
    ]);
    run.assert_code(2)
        .assert_stderr_has("Teams Extension assignments need api-version");
    let run = emu.run(&[
        "assignment",
        "teams-extension",
        "get",
        "--tenant-id",
        "not-a-guid",
        "--object-id",
        OBJECT,
    ]);
    run.assert_code(2).assert_stderr_has("tenant");
}

/// Needs the emulator to serve 2025-03-02-preview (chosen by the CLI for --custom-id and
/// `user show` when --api-version is not given).
#[test]
fn custom_id_and_user_show() {
    let emu = Emu::start();
    let run = emu.run(&[
        "--output",
        "json",
        "user",
        "create",
        "--custom-id",
        "alice@contoso.com",
    ]);
    run.assert_code(0);
    let json = run.json();
    assert_eq!(json["customId"], "alice@contoso.com");
    let id = json["id"].as_str().unwrap().to_owned();

    // The same custom id, the same identity, now with a token.
    let run = emu.run(&[
        "user",
        "create",
        "--custom-id",
        "alice@contoso.com",
        "--scope",
        "chat",
    ]);
    run.assert_code(0);
    assert_eq!(line(&run.stdout, "identity"), id);
    assert_eq!(line(&run.stdout, "custom id"), "alice@contoso.com");
    run.assert_stderr_lacks(line(&run.stdout, "token"));

    let run = emu.run(&["user", "show", &id]);
    run.assert_code(0);
    assert_eq!(line(&run.stdout, "identity"), id);
    assert_eq!(line(&run.stdout, "custom id"), "alice@contoso.com");
    assert_ne!(line(&run.stdout, "last token issued"), "never");

    let run = emu.run(&["--output", "json", "user", "show", &id]);
    run.assert_code(0);
    let json = run.json();
    assert_eq!(json["id"], id);
    assert_eq!(json["customId"], "alice@contoso.com");
    assert!(json["lastTokenIssuedAt"].is_string(), "{json}");
}

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
