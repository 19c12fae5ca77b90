//! `token issue`, `token revoke`, `token teams-user`, `token decode`, `--verbose`.

use crate::support::{entra_token, line, run_bin, Emu};
use acs_identity_emulator::TokenStatus;
use serde_json::json;

#[test]
fn token_issue_text_and_json() {
    let emu = Emu::start();
    let id = emu.create_user();

    let run = emu.run_v2023(&["token", "issue", &id, "--scope", "chat", "--scope", "VoIP"]);
    run.assert_code(0);
    assert_eq!(line(&run.stdout, "identity"), id);
    assert_eq!(line(&run.stdout, "scopes"), "chat, voip");
    let token = line(&run.stdout, "token");
    assert_eq!(
        emu.emulator.validate_token(token).status,
        TokenStatus::Valid
    );
    run.assert_stderr_lacks(token);

    let run = emu.run_v2023(&[
        "--output",
        "json",
        "token",
        "issue",
        &id,
        "--scope",
        "voip.join",
        "--expires-in",
        "3600s",
    ]);
    run.assert_code(0);
    let json = run.json();
    assert_eq!(json["id"], id);
    assert_eq!(json["scopes"], json!(["voip.join"]));
    let token = json["token"].as_str().unwrap();
    assert_eq!(
        emu.emulator.validate_token(token).status,
        TokenStatus::Valid
    );
    assert!(json["expiresOn"].as_str().unwrap().ends_with('Z'), "{json}");
    run.assert_stderr_lacks(token);
}

#[test]
fn token_revoke_invalidates_earlier_tokens() {
    let emu = Emu::start();
    let id = emu.create_user();
    let issued = emu.run_v2023(&["--output", "json", "token", "issue", &id, "--scope", "chat"]);
    let token = issued.json()["token"].as_str().unwrap().to_owned();

    let run = emu.run_v2023(&["token", "revoke", &id]);
    run.assert_code(0);
    assert_eq!(line(&run.stdout, "revoked tokens of"), id);
    assert_eq!(
        emu.emulator.validate_token(&token).status,
        TokenStatus::Revoked
    );

    let run = emu.run_v2023(&["--output", "json", "token", "revoke", &id]);
    run.assert_code(0);
    assert_eq!(run.json(), json!({"id": id, "revoked": true}));
}

#[test]
fn token_teams_user_exchanges_an_entra_token() {
    let emu = Emu::start();
    let app = "00000000-0000-0000-0000-000000000001";
    let oid = "00000000-0000-0000-0000-000000000002";
    let aad = entra_token(app, oid);
    let args = [
        "token",
        "teams-user",
        "--aad-token",
        &aad,
        "--client-id",
        app,
        "--user-object-id",
        oid,
    ];

    let run = emu.run_v2023(&args);
    run.assert_code(0);
    let token = line(&run.stdout, "token");
    assert_eq!(
        emu.emulator.validate_token(token).status,
        TokenStatus::Valid
    );
    line(&run.stdout, "expires");
    run.assert_stderr_lacks(token).assert_stderr_lacks(&aad);

    let mut json_args = vec!["--output", "json"];
    json_args.extend_from_slice(&args);
    let run = emu.run_v2023(&json_args);
    run.assert_code(0);
    let json = run.json();
    assert_eq!(
        emu.emulator
            .validate_token(json["token"].as_str().unwrap())
            .status,
        TokenStatus::Valid
    );
    let decoded = emu.run(&[
        "--output",
        "json",
        "token",
        "decode",
        json["token"].as_str().unwrap(),
    ]);
    assert_eq!(decoded.json()["identity"], format!("8:orgid:{oid}"));

    // A mismatched user object id: the service refuses.
    let other = "00000000-0000-0000-0000-00000000000f";
    let run = emu.run_v2023(&[
        "token",
        "teams-user",
        "--aad-token",
        &aad,
        "--client-id",
        app,
        "--user-object-id",
        other,
    ]);
    run.assert_code(1).assert_stderr_lacks(&aad);
}

#[test]
fn token_decode_needs_no_authentication_and_reads_stdin() {
    let emu = Emu::start();
    let id = emu.create_user();
    let issued = emu.run_v2023(&[
        "--output",
        "json",
        "token",
        "issue",
        &id,
        "--scope",
        "chat",
        "--scope",
        "voip",
        "--expires-in",
        "90m",
    ]);
    let issued = issued.json();
    let token = issued["token"].as_str().unwrap();

    // No connection string, no environment: decoding is offline.
    let decoded = run_bin(&["--output", "json", "token", "decode", token], &[], None);
    decoded.assert_code(0).assert_stderr_lacks(token);
    let json = decoded.json();
    assert_eq!(json["identity"], id);
    assert_eq!(json["resourceId"], emu.emulator.resource_id());
    assert_eq!(json["scopes"], json!(["chat", "voip"]));
    assert_eq!(json["expiresOn"], issued["expiresOn"]);
    assert_eq!(json["expired"], false);
    assert!(json["secondsLeft"].as_i64().unwrap() > 0, "{json}");
    assert!(json["issuedAt"].is_string(), "{json}");
    assert_eq!(json["header"]["typ"], "JWT");
    assert_eq!(json["claims"]["acsScope"], "chat,voip");
    // The 90 minutes asked for, as the claims say.
    assert_eq!(
        json["claims"]["exp"].as_i64().unwrap() - json["claims"]["iat"].as_i64().unwrap(),
        90 * 60
    );

    let from_stdin = run_bin(&["token", "decode", "-"], &[], Some(&format!("{token}\n")));
    from_stdin.assert_code(0).assert_stderr_lacks(token);
    assert_eq!(line(&from_stdin.stdout, "identity"), id);
    assert_eq!(line(&from_stdin.stdout, "scopes"), "chat, voip");
    assert!(
        line(&from_stdin.stdout, "expires").contains("(in "),
        "{}",
        from_stdin.stdout
    );
    line(&from_stdin.stdout, "issued");
    line(&from_stdin.stdout, "claims");
    assert!(
        !from_stdin.stdout.contains(token),
        "the token itself is not printed"
    );

    for bad in ["not-a-token", "a.b", "e30.!!!.x"] {
        let run = run_bin(&["token", "decode", bad], &[], None);
        run.assert_code(2).assert_stderr_lacks(bad);
    }
    let run = run_bin(&["--output", "json", "token", "decode", "-"], &[], Some(""));
    run.assert_code(2).assert_stderr_has("the token is empty");
    assert_eq!(run.json()["error"]["kind"], "usage");
}

#[test]
fn verbose_logs_requests_without_secrets() {
    let emu = Emu::start();
    let id = emu.create_user();
    let run = emu.run_v2023(&["--verbose", "token", "issue", &id, "--scope", "chat"]);
    run.assert_code(0);
    let token = line(&run.stdout, "token");
    run.assert_stderr_lacks(token)
        .assert_stderr_has("acs-identity: POST /identities/8%3Aacs%3A")
        .assert_stderr_has("/:issueAccessToken -> 200 (");
    for secret_ish in [
        "HMAC-SHA256",
        "Signature=",
        "api-version",
        "x-ms-content-sha256",
    ] {
        run.assert_stderr_lacks(secret_ish);
    }

    let run = emu.run_v2023(&[
        "-v",
        "user",
        "delete",
        &format!(
            "8:acs:{}_00000000-0000-0000-0000-000000000000",
            emu.emulator.resource_id()
        ),
    ]);
    run.assert_code(1).assert_stderr_has("-> 404 (");
}
