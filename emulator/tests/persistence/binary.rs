//! The binary: prints its endpoint and connection string, and an identity whose create was
//! answered 201 survives `kill -9` with `--data-dir`.

use crate::support::*;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

fn start(dir: &std::path::Path) -> (Child, SocketAddr, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_acs-identity-emulator"))
        .args(["--port", "0", "--data-dir"])
        .arg(dir)
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
    ] {
        assert!(help.contains(flag), "{flag} missing from --help");
    }
    let bad = Command::new(env!("CARGO_BIN_EXE_acs-identity-emulator"))
        .args(["--fault-status", "418"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
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
