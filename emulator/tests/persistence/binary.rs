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
