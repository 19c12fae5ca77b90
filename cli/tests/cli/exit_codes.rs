//! Exit status 1 (the service refused), 2 (usage or configuration) and 3 (network).

use crate::support::{run_bin, Emu};
use std::net::TcpListener;

fn unknown_identity(emu: &Emu) -> String {
    format!(
        "8:acs:{}_00000000-0000-0000-0000-000000000000",
        emu.emulator.resource_id()
    )
}

#[test]
fn the_service_refusing_is_1_with_code_and_status() {
    let emu = Emu::start();
    let unknown = unknown_identity(&emu);

    let run = emu.run_v2023(&["user", "delete", &unknown]);
    run.assert_code(1)
        .assert_stderr_has("IdentityNotFound")
        .assert_stderr_has("(HTTP 404)");
    assert_eq!(run.stdout, "");

    let run = emu.run_v2023(&[
        "--output", "json", "token", "issue", &unknown, "--scope", "chat",
    ]);
    run.assert_code(1).assert_stderr_has("IdentityNotFound");
    let error = &run.json()["error"];
    assert_eq!(error["kind"], "service");
    assert_eq!(error["code"], "IdentityNotFound");
    assert_eq!(error["status"], 404);
    assert!(error["message"].as_str().unwrap().contains("(HTTP 404)"));

    let run = emu.run_v2023(&["token", "revoke", &unknown]);
    run.assert_code(1).assert_stderr_has("(HTTP 404)");
}

#[test]
fn no_authentication_is_2_and_says_what_to_set() {
    let id = "8:acs:r_u";
    for args in [
        vec!["user", "create"],
        vec!["user", "delete", id],
        vec!["user", "show", id],
        vec!["token", "issue", id, "--scope", "chat"],
        vec!["token", "revoke", id],
        vec![
            "token",
            "teams-user",
            "--aad-token",
            "t",
            "--client-id",
            "c",
            "--user-object-id",
            "o",
        ],
        vec![
            "assignment",
            "teams-extension",
            "get",
            "--tenant-id",
            "t",
            "--object-id",
            "o",
        ],
    ] {
        let run = run_bin(&args, &[], None);
        run.assert_code(2)
            .assert_stderr_has("COMMUNICATION_SERVICES_CONNECTION_STRING")
            .assert_stderr_has("COMMUNICATION_SERVICES_ENDPOINT");
    }
    let run = run_bin(
        &["--output", "json", "user", "create"],
        &[("COMMUNICATION_SERVICES_ENDPOINT", "")],
        None,
    );
    run.assert_code(2);
    assert_eq!(run.json()["error"]["kind"], "usage");
}

#[test]
fn bad_input_is_2_and_says_what_is_expected() {
    let emu = Emu::start();
    let id = emu.create_user();
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "token",
                "issue",
                &id,
                "--scope",
                "chat",
                "--expires-in",
                "1d",
            ],
            "`90m`, `1h`, `1h30m`, `3600s`",
        ),
        (
            &[
                "token",
                "issue",
                &id,
                "--scope",
                "chat",
                "--expires-in",
                "60",
            ],
            "`90m`, `1h`, `1h30m`, `3600s`",
        ),
        (
            &["token", "issue", &id, "--scope", "caht"],
            "expected one of chat, voip, chat.join, chat.join.limited, voip.join",
        ),
        (
            &["token", "issue", &id, "--scope", ""],
            "the scope is empty",
        ),
        (&["token", "issue", &id], "--scope"),
        (&["user", "create", "--expires-in", "1h"], "--scope"),
        // The client's own checks: 1h to 24h, whole minutes.
        (
            &[
                "token",
                "issue",
                &id,
                "--scope",
                "chat",
                "--expires-in",
                "30m",
            ],
            "60..=1440",
        ),
        (
            &["user", "create", "--scope", "chat", "--expires-in", "25h"],
            "60..=1440",
        ),
        (
            &[
                "token",
                "issue",
                &id,
                "--scope",
                "chat",
                "--expires-in",
                "1h30s",
            ],
            "whole number of minutes",
        ),
        (
            &["token", "issue", "", "--scope", "chat"],
            "the user id is empty",
        ),
    ];
    for (args, says) in cases {
        let run = emu.run_v2023(args);
        run.assert_code(2).assert_stderr_has(says);
    }

    // A malformed connection string: named, the key not quoted.
    let run = run_bin(
        &["user", "create"],
        &[(
            "COMMUNICATION_SERVICES_CONNECTION_STRING",
            "accesskey=c2VjcmV0LWtleQ==",
        )],
        None,
    );
    run.assert_code(2).assert_stderr_lacks("c2VjcmV0LWtleQ==");

    // Entra ID needs https: refused before anything is sent.
    let run = run_bin(
        &["--endpoint", emu.emulator.endpoint(), "user", "create"],
        &[],
        None,
    );
    run.assert_code(2).assert_stderr_has("https");

    // The client's InvalidArgument as JSON.
    let run = emu.run_v2023(&[
        "--output",
        "json",
        "token",
        "issue",
        &id,
        "--scope",
        "chat",
        "--expires-in",
        "30m",
    ]);
    run.assert_code(2);
    let error = &run.json()["error"];
    assert_eq!(error["kind"], "usage");
    assert!(
        error["message"].as_str().unwrap().contains("60..=1440"),
        "{error}"
    );
}

#[test]
fn a_closed_port_is_3() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let key = acs_identity_emulator::DEFAULT_ACCESS_KEY;
    let cs = format!("endpoint=http://127.0.0.1:{port}/;accesskey={key}");
    let run = run_bin(
        &[
            "--retries",
            "0",
            "--connection-string",
            &cs,
            "--api-version",
            "2023-10-01",
            "user",
            "create",
        ],
        &[],
        None,
    );
    run.assert_code(3)
        .assert_stderr_lacks(key)
        .assert_stderr_lacks(&cs);
    let run = crate::support::run_bin(
        &[
            "--retries",
            "0",
            "--output",
            "json",
            "token",
            "issue",
            "8:acs:r_u",
            "--scope",
            "chat",
        ],
        &[("COMMUNICATION_SERVICES_CONNECTION_STRING", &cs)],
        None,
    );
    run.assert_code(3).assert_stderr_lacks(key);
    assert_eq!(run.json()["error"]["kind"], "other");
}
