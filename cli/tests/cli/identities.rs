//! `user create` and `user delete` (api-version 2023-10-01).

use crate::support::{line, Emu};
use acs_identity_emulator::TokenStatus;

#[test]
fn user_create_prints_the_identity() {
    let emu = Emu::start();
    let prefix = format!("8:acs:{}_", emu.emulator.resource_id());

    let run = emu.run_v2023(&["user", "create"]);
    run.assert_code(0);
    assert!(
        line(&run.stdout, "identity").starts_with(&prefix),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("token"),
        "no token asked for: {}",
        run.stdout
    );

    let run = emu.run_v2023(&["--output", "json", "user", "create"]);
    run.assert_code(0);
    let json = run.json();
    assert!(json["id"].as_str().unwrap().starts_with(&prefix), "{json}");
    assert_eq!(json["customId"], serde_json::Value::Null);
    assert_eq!(json["token"], serde_json::Value::Null);
    assert_eq!(json["expiresOn"], serde_json::Value::Null);
    assert_eq!(json["scopes"], serde_json::json!([]));
}

#[test]
fn user_create_with_scopes_issues_a_token() {
    let emu = Emu::start();
    let run = emu.run_v2023(&[
        "--output",
        "json",
        "user",
        "create",
        "--scope",
        "chat",
        "--scope",
        "voip",
        "--expires-in",
        "1h30m",
    ]);
    run.assert_code(0);
    let json = run.json();
    let token = json["token"].as_str().unwrap();
    run.assert_stderr_lacks(token);
    assert_eq!(
        emu.emulator.validate_token(token).status,
        TokenStatus::Valid
    );
    assert_eq!(json["scopes"], serde_json::json!(["chat", "voip"]));
    let expires = azure_core::time::parse_rfc3339(json["expiresOn"].as_str().unwrap()).unwrap();
    let decoded = emu.run(&["--output", "json", "token", "decode", token]);
    assert_eq!(
        decoded.json()["expiresOn"].as_str().unwrap(),
        azure_core::time::to_rfc3339(&expires)
    );

    let run = emu.run_v2023(&["user", "create", "--scope", "chat.join"]);
    run.assert_code(0);
    let token = line(&run.stdout, "token");
    assert_eq!(
        emu.emulator.validate_token(token).status,
        TokenStatus::Valid
    );
    assert_eq!(line(&run.stdout, "scopes"), "chat.join");
    line(&run.stdout, "expires");
    run.assert_stderr_lacks(token);
}

#[test]
fn user_delete_then_its_tokens_are_gone() {
    let emu = Emu::start();
    let run = emu.run_v2023(&["--output", "json", "user", "create", "--scope", "voip"]);
    let json = run.json();
    let (id, token) = (
        json["id"].as_str().unwrap(),
        json["token"].as_str().unwrap(),
    );

    let run = emu.run_v2023(&["user", "delete", id]);
    run.assert_code(0);
    assert_eq!(line(&run.stdout, "deleted"), id);
    assert_eq!(
        emu.emulator.validate_token(token).status,
        TokenStatus::IdentityDeleted
    );

    let other = emu.create_user();
    let run = emu.run_v2023(&["--output", "json", "user", "delete", &other]);
    run.assert_code(0);
    assert_eq!(
        run.json(),
        serde_json::json!({"id": other, "deleted": true})
    );
}

#[test]
fn the_environment_variable_authenticates() {
    let emu = Emu::start();
    let run = crate::support::run_bin(
        &["--api-version", "2023-10-01", "user", "create"],
        &[(
            "COMMUNICATION_SERVICES_CONNECTION_STRING",
            emu.connection_string(),
        )],
        None,
    );
    emu.check(run).assert_code(0);
}
