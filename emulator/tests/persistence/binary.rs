//! The binary: prints its endpoint and connection string, an identity whose create was
//! answered 201 survives `kill -9` with `--data-dir`, and `--entra-assignments-page-size`.

use crate::support::*;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

fn start(dir: &std::path::Path) -> (Child, SocketAddr, String) {
    start_with(dir, &[])
}

fn start_with(dir: &std::path::Path, extra: &[&str]) -> (Child, SocketAddr, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_acs-identity-emulator"))
        .args(["--port", "0", "--data-dir"])
        .arg(dir)
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let endpoint = lines.next().unwrap().unwrap();
    let conn = lines.next().unwrap().unwrap();
    let endpoint = endpoint.strip_prefix("ENDPOINT=").unwrap().to_owned();
    let conn = conn.strip_prefix("CONNECTION_STRING=").unwrap().to_owned();
    assert_eq!(conn, format!("endpoint={endpoint}/;accesskey={KEY}"));
    let addr: SocketAddr = endpoint.strip_prefix("http://").unwrap().parse().unwrap();
    (child, addr, conn)
}

#[tokio::test]
async fn created_identity_survives_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, addr, _) = start(dir.path());
    let id = create_user(addr).await;
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let (mut child, addr, _) = start(dir.path());
    let p = format!("/identities/{}?api-version=2023-10-01", encode_id(&id));
    let r = raw(addr, "DELETE", &p, &hmac_now(addr, "DELETE", &p, b""), b"").await;
    assert_eq!(r.status, 204, "{}", r.text());
    child.kill().unwrap();
    child.wait().unwrap();
}

#[tokio::test]
async fn the_entra_assignments_page_size_flag() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, addr, _) = start_with(dir.path(), &["--entra-assignments-page-size", "1"]);
    let body = r#"{"tenantId":"45ab2481-1c1c-4005-be24-0ffb879b1130","principalType":"user","clientIds":[]}"#;
    for object in [
        "207ffef6-9444-41fb-92ab-20eacaae2768",
        "1fd5118e-2576-4263-8130-9503064c837a",
    ] {
        let r = entra_assignment(addr, "PUT", object, PREVIEW, body.as_bytes()).await;
        assert_eq!(r.status, 201, "{}", r.text());
    }
    let list = format!("/access/entra/assignments?api-version={PREVIEW}");
    let j = raw(addr, "GET", &list, &bearer(), b"").await.json();
    assert_eq!(j["value"].as_array().unwrap().len(), 1);
    assert_eq!(
        j["value"][0]["objectId"],
        "1fd5118e-2576-4263-8130-9503064c837a"
    );
    assert!(j["nextLink"]
        .as_str()
        .unwrap()
        .contains("continuationToken="));
    child.kill().unwrap();
    child.wait().unwrap();

    let bad = Command::new(env!("CARGO_BIN_EXE_acs-identity-emulator"))
        .args(["--port", "0", "--entra-assignments-page-size", "0"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("page size must be at least 1"));
}

#[test]
fn help_lists_the_flags() {
    let out = Command::new(env!("CARGO_BIN_EXE_acs-identity-emulator"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--host",
        "--port",
        "--access-key",
        "--resource-id",
        "--data-dir",
        "--tls",
        "--max-clock-skew",
        "--fault-rate",
        "--fault-every",
        "--fault-status",
        "--fault-retry-after",
        "--bearer-token",
        "--ca-cert-out",
        "--entra-assignments-page-size",
        "--latency",
        "--throttle",
    ] {
        assert!(help.contains(flag), "{flag} missing from --help");
    }
    let bad = Command::new(env!("CARGO_BIN_EXE_acs-identity-emulator"))
        .args(["--fault-status", "418"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
}

#[tokio::test]
async fn the_throttle_and_latency_flags() {
    let dir = tempfile::tempdir().unwrap();
    // `--throttle` alone (the service's limits) and with an override, and `--latency` in ms.
    let (mut child, addr, _) = start_with(
        dir.path(),
        &["--throttle", "--throttle", "issue=1/1h", "--latency", "0ms"],
    );
    let id = create_user(addr).await;
    issue_chat_token(addr, &id).await;
    let p = format!(
        "/identities/{}/:issueAccessToken?api-version=2023-10-01",
        encode_id(&id)
    );
    let r = raw(addr, "POST", &p, &bearer(), br#"{"scopes":["chat"]}"#).await;
    r.error(429, "TooManyRequests");
    assert_eq!(r.header("retry-after"), Some("3600"));
    // Create has its own window (the service's 1000 per 30 s).
    create_user(addr).await;
    child.kill().unwrap();
    child.wait().unwrap();

    for bad in [
        &["--throttle", "issue=lots/1s"][..],
        &["--throttle", "refresh=1/1s"],
        &["--latency", "10 parsecs"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_acs-identity-emulator"))
            .args(["--port", "0"])
            .args(bad)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(bad[1]), "{bad:?}: {stderr}");
    }
}

/// Starts the binary with `args` (and `env`), waits for its `ENDPOINT=` line, kills it at once
/// and returns what it wrote on stderr.
fn stderr_of(args: &[&str], env: &[(&str, &str)]) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_acs-identity-emulator"));
    command
        .args(args)
        .env_remove("ACS_EMULATOR_ACCESS_KEY")
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        command.env(k, v);
    }
    let mut child = command.spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(first.starts_with("ENDPOINT="), "{first}");
    child.kill().unwrap();
    child.wait().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    stderr
}

#[test]
fn warns_when_listening_beyond_loopback_with_the_well_known_key() {
    // 0.0.0.0 listens on every interface of the machine; the test sends no traffic at all
    // and kills the process as soon as it has printed its endpoint.
    let stderr = stderr_of(&["--host", "0.0.0.0", "--port", "0"], &[]);
    let first_log_line = stderr.lines().next().unwrap_or_default();
    assert!(
        first_log_line.contains("WARN") && first_log_line.contains("anyone who can reach"),
        "{stderr}"
    );
    assert!(
        stderr.contains("acs-identity-emulator: WARNING: listening on 0.0.0.0:"),
        "{stderr}"
    );

    let own_key = "bXktb3duLWtleQ==";
    let stderr = stderr_of(
        &["--host", "0.0.0.0", "--port", "0", "--access-key", own_key],
        &[],
    );
    assert!(!stderr.contains("anyone who can reach"), "{stderr}");
    let stderr = stderr_of(
        &["--host", "0.0.0.0", "--port", "0"],
        &[("ACS_EMULATOR_ACCESS_KEY", own_key)],
    );
    assert!(!stderr.contains("anyone who can reach"), "{stderr}");
    let stderr = stderr_of(&["--port", "0"], &[]);
    assert!(!stderr.contains("anyone who can reach"), "{stderr}");
}
