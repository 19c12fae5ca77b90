//! Version gates: an operation or option the api-version lacks is refused before
//! anything is sent (exit 2, against any emulator), and the default api-version.

use crate::support::{Emu, OBJECT, TENANT};

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

/// The default, 2026-09-23, has no custom ids, `user show` or Entra assignments;
/// asked for explicitly, the client refuses before sending.
#[test]
fn the_default_version_2026_09_23_refuses_custom_ids_and_user_show_with_2() {
    let emu = Emu::start();
    let run = emu.run(&[
        "--api-version",
        "2026-09-23",
        "user",
        "create",
        "--custom-id",
        "alice",
    ]);
    run.assert_code(2).assert_stderr_has(
        "custom ids need api-version 2025-03-02-preview; the client uses 2026-09-23",
    );
    let run = emu.run(&["--api-version", "2026-09-23", "user", "show", "8:acs:r_u"]);
    run.assert_code(2)
        .assert_stderr_has("get_user_detail needs api-version 2025-03-02-preview");
    let run = emu.run(&["--api-version", "2026-09-23", "assignment", "entra", "list"]);
    run.assert_code(2)
        .assert_stderr_has("Entra assignments need api-version 2025-03-02-preview");
}

/// Without --api-version the CLI sends the client's default, 2026-09-23 (needs an
/// emulator that serves it).
#[test]
fn user_create_on_the_default_version() {
    let emu = Emu::start();
    let run = emu.run(&["--output", "json", "user", "create"]);
    run.assert_code(0);
    assert!(run.json()["id"].as_str().unwrap().starts_with("8:acs:"));
}
