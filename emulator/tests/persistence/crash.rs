//! Crash: the emulator binary with `--data-dir` is killed with SIGKILL in the
//! middle of a load of creates and deletes, restarted on the same directory,
//! and checked: every identity whose create was acknowledged (201) exists, and
//! every identity whose delete was acknowledged (204) stays deleted. Operations
//! in flight at the kill were never acknowledged and may go either way.
//! Bounded by count: the kill comes after 300 acknowledged creates.

use crate::support;
use std::{
    collections::HashSet,
    io::{BufRead, BufReader},
    net::SocketAddr,
    process::{Child, ChildStdout, Command, Stdio},
    sync::{
        atomic::{AtomicBool, AtomicUsize, Ordering},
        Arc, Mutex,
    },
};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
    sync::Notify,
};

const WORKERS: usize = 16;
const KILL_AFTER_CREATES: usize = 300;

/// Starts the binary; returns it, its stdout (kept open) and its connection string.
fn start(dir: &std::path::Path) -> (Child, BufReader<ChildStdout>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_acs-identity-emulator"))
        .args(["--port", "0", "--data-dir"])
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut connection_string = None;
    for _ in 0..4 {
        let mut line = String::new();
        if stdout.read_line(&mut line).unwrap() == 0 {
            break;
        }
        if let Some(cs) = line.trim().strip_prefix("CONNECTION_STRING=") {
            connection_string = Some(cs.to_owned());
            break;
        }
    }
    (
        child,
        stdout,
        connection_string.expect("CONNECTION_STRING= line"),
    )
}

/// The emulator's address, from its connection string.
fn address(connection_string: &str) -> SocketAddr {
    let endpoint = connection_string
        .split(';')
        .find_map(|part| part.strip_prefix("endpoint="))
        .expect("endpoint= in the connection string");
    endpoint
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .expect("a loopback address")
}

/// Sends one HMAC-signed request and returns the status and body; `None` when the
/// server is gone (connection refused or reset, or no complete answer).
async fn send(addr: SocketAddr, method: &str, path: &str, body: &[u8]) -> Option<(u16, Vec<u8>)> {
    let mut head = format!("{method} {path} HTTP/1.1\r\n");
    for (name, value) in support::hmac_now(addr, method, path, body) {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let mut stream = TcpStream::connect(addr).await.ok()?;
    stream.write_all(head.as_bytes()).await.ok()?;
    stream.write_all(body).await.ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.ok()?;
    let end = answer.windows(4).position(|w| w == b"\r\n\r\n")?;
    let status = std::str::from_utf8(&answer[..end])
        .ok()?
        .split(' ')
        .nth(1)?
        .parse()
        .ok()?;
    Some((status, answer[end + 4..].to_vec()))
}

const CREATE: &str = "/identities?api-version=2023-10-01";

fn identity_path(id: &str, verb: &str) -> String {
    format!(
        "/identities/{}{verb}?api-version=2023-10-01",
        support::encode_id(id)
    )
}

/// Creates an identity; its id on a 201, `None` otherwise.
async fn create(addr: SocketAddr) -> Option<String> {
    let (status, body) = send(addr, "POST", CREATE, b"{}").await?;
    if status != 201 {
        return None;
    }
    let body: serde_json::Value = serde_json::from_slice(&body).ok()?;
    body["identity"]["id"].as_str().map(str::to_owned)
}

#[derive(Default)]
struct Ledger {
    created: Vec<String>,
    deleted: Vec<String>,
    /// A delete was sent but not acknowledged: the identity may or may not exist.
    uncertain: Vec<String>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_creates_and_deletes_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, _stdout, connection_string) = start(dir.path());

    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let creates = Arc::new(AtomicUsize::new(0));
    let reached = Arc::new(Notify::new());
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..WORKERS)
        .map(|w| {
            let addr = address(&connection_string);
            let (ledger, creates, reached, stop) = (
                ledger.clone(),
                creates.clone(),
                reached.clone(),
                stop.clone(),
            );
            tokio::spawn(async move {
                let mut i = 0usize;
                // Ends at the first error: the server is gone.
                while !stop.load(Ordering::SeqCst) {
                    let Some(user) = create(addr).await else {
                        return;
                    };
                    ledger.lock().unwrap().created.push(user.clone());
                    if creates.fetch_add(1, Ordering::SeqCst) + 1 == KILL_AFTER_CREATES {
                        reached.notify_one();
                    }
                    i += 1;
                    if (w + i).is_multiple_of(3) {
                        match send(addr, "DELETE", &identity_path(&user, ""), b"").await {
                            Some((204, _)) => ledger.lock().unwrap().deleted.push(user),
                            _ => {
                                ledger.lock().unwrap().uncertain.push(user);
                                return;
                            }
                        }
                    }
                }
            })
        })
        .collect();

    reached.notified().await;
    child.kill().unwrap(); // SIGKILL, mid-load
    child.wait().unwrap();
    stop.store(true, Ordering::SeqCst);
    for worker in workers {
        worker.await.unwrap();
    }

    let ledger = std::mem::take(&mut *ledger.lock().unwrap());
    assert!(ledger.created.len() >= KILL_AFTER_CREATES);
    assert!(!ledger.deleted.is_empty());
    let deleted: HashSet<&str> = ledger.deleted.iter().map(String::as_str).collect();
    let uncertain: HashSet<&str> = ledger.uncertain.iter().map(String::as_str).collect();

    let (mut child, _stdout, connection_string) = start(dir.path());
    let addr = address(&connection_string);
    let (mut alive, mut gone) = (0, 0);
    for id in &ledger.created {
        if uncertain.contains(id.as_str()) {
            continue;
        }
        let path = identity_path(id, "/:issueAccessToken");
        let (status, body) = send(addr, "POST", &path, br#"{"scopes":["chat"]}"#)
            .await
            .expect("the restarted emulator answers");
        let body = String::from_utf8_lossy(&body);
        if deleted.contains(id.as_str()) {
            assert_eq!(
                status, 404,
                "an acknowledged delete came back: {id}: {body}"
            );
            let error: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert_eq!(error["error"]["code"], "IdentityNotFound", "{body}");
            gone += 1;
        } else {
            assert_eq!(status, 200, "acknowledged create {id} lost: {body}");
            alive += 1;
        }
    }
    eprintln!(
        "acknowledged: {} creates, {} deletes; unacknowledged deletes: {}; after restart: {alive} alive, {gone} deleted",
        ledger.created.len(),
        ledger.deleted.len(),
        ledger.uncertain.len()
    );
    child.kill().unwrap();
    child.wait().unwrap();
}
