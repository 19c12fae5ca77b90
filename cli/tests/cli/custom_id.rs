//! `user create --custom-id` and `user show` (api-version 2025-03-02-preview,
//! chosen by the CLI when --api-version is not given).

use crate::support::{line, Emu};

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
