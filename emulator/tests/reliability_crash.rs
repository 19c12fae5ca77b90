//! Crash: the emulator binary with `--data-dir` is killed with SIGKILL in the
//! middle of a load of creates and deletes, restarted on the same directory,
//! and checked: every identity whose create was acknowledged (201) exists, and
//! every identity whose delete was acknowledged (204) stays deleted. Operations
//! in flight at the kill were never acknowledged and may go either way.
//! Bounded by count: the kill comes after 300 acknowledged creates.

use acs_identity::{
    CommunicationError, CommunicationIdentityClient, CommunicationIdentityClientOptions,
    CommunicationTokenScope, CommunicationUserIdentifier,
};
use azure_core::http::{ClientOptions, RetryOptions, StatusCode};
use std::{
    collections::HashSet,
    io::{BufRead, BufReader},
    process::{Child, ChildStdout, Command, Stdio},
    sync::{
        atomic::{AtomicBool, AtomicUsize, Ordering},
        Arc, Mutex,
    },
};
use tokio::sync::Notify;

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

fn client(connection_string: &str) -> CommunicationIdentityClient {
    CommunicationIdentityClient::from_connection_string(
        connection_string,
        Some(CommunicationIdentityClientOptions {
            client_options: ClientOptions {
                retry: RetryOptions::none(),
                ..Default::default()
            },
            ..Default::default()
        }),
    )
    .unwrap()
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
            let client = client(&connection_string);
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
                    let Ok(user) = client.create_user(None).await else {
                        return;
                    };
                    ledger.lock().unwrap().created.push(user.id().to_owned());
                    if creates.fetch_add(1, Ordering::SeqCst) + 1 == KILL_AFTER_CREATES {
                        reached.notify_one();
                    }
                    i += 1;
                    if (w + i).is_multiple_of(3) {
                        match client.delete_user(&user, None).await {
                            Ok(()) => ledger.lock().unwrap().deleted.push(user.id().to_owned()),
                            Err(_) => {
                                ledger.lock().unwrap().uncertain.push(user.id().to_owned());
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
    let checker = client(&connection_string);
    let chat = [CommunicationTokenScope::Chat];
    let (mut alive, mut gone) = (0, 0);
    for id in &ledger.created {
        let user = CommunicationUserIdentifier::new(id.clone());
        let result = checker.get_token(&user, &chat, None).await;
        if uncertain.contains(id.as_str()) {
            continue;
        }
        if deleted.contains(id.as_str()) {
            let err = result.expect_err("an acknowledged delete came back");
            assert_eq!(err.http_status(), Some(StatusCode::NotFound), "{id}: {err}");
            assert_eq!(
                CommunicationError::from_error(&err).unwrap().code,
                "IdentityNotFound"
            );
            gone += 1;
        } else {
            result.unwrap_or_else(|e| panic!("acknowledged create {id} lost: {e}"));
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
