//! The release binaries, and the token service in a process of its own, configured only by the
//! environment variables of issue 20's table.

use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::mpsc,
    time::{Duration, Instant},
};

/// How long the service may take to print `LISTENING` (it creates its database first).
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// Proxy settings of the environment are not inherited: all traffic stays on 127.0.0.1.
const PROXY_VARS: [&str; 6] = [
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
];

/// `<target>/release` when run by `cargo bench` (the bench is `<target>/release/deps/tokens-*`).
fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("current_exe");
    exe.parent()
        .and_then(Path::parent)
        .expect("the bench runs from <target>/<profile>/deps")
        .to_path_buf()
}

/// The binary `bin` of `package`: the path in `env_var` if set, else built first with
/// `cargo build --release -p <package> --bin <bin>` into this bench's target directory (a
/// no-op when up to date) and run from `<target>/release`.
pub fn release_binary(package: &str, bin: &str, env_var: &str) -> PathBuf {
    if let Ok(path) = std::env::var(env_var) {
        return PathBuf::from(path);
    }
    let profile_dir = profile_dir();
    let path = profile_dir.join(format!("{bin}{}", std::env::consts::EXE_SUFFIX));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    eprintln!("building {bin} (cargo build --release -p {package}) ...");
    let status = Command::new(cargo)
        .args(["build", "--quiet", "--release", "-p", package, "--bin", bin])
        .env(
            "CARGO_TARGET_DIR",
            profile_dir.parent().expect("<target>/<profile>"),
        )
        .status();
    assert!(
        matches!(status, Ok(s) if s.success()),
        "could not build {bin} ({status:?}); build it or set {env_var}"
    );
    assert!(path.exists(), "no binary at {path:?}; set {env_var}");
    path
}

/// A running `acs-token-service`, stopped with SIGTERM when dropped.
pub struct TokenService {
    child: Child,
    /// `http://127.0.0.1:PORT`, from its `LISTENING` line.
    pub base_url: String,
    pub ready_after: Duration,
}

impl TokenService {
    /// Starts `bin` with `env` (on top of this process's environment, minus proxy settings);
    /// its stderr (logs) goes to `log`.
    pub fn start(bin: &Path, env: &[(&str, String)], log: &Path) -> Self {
        let t0 = Instant::now();
        let log_file = std::fs::File::create(log).expect("create the service's log file");
        let mut command = Command::new(bin);
        for var in PROXY_VARS {
            command.env_remove(var);
        }
        command
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log_file));
        let mut child = command
            .spawn()
            .unwrap_or_else(|e| panic!("spawn {bin:?}: {e}"));
        let stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let (tx, rx) = mpsc::channel();
        // Reads the LISTENING line, then keeps draining stdout so that the service's writes to
        // it never block or fail.
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in stdout.lines() {
                let Ok(line) = line else { break };
                if let Some(url) = line.trim().strip_prefix("LISTENING ") {
                    if let Some(tx) = tx.take() {
                        let _ = tx.send(url.trim().to_owned());
                    }
                }
            }
        });
        let base_url = match rx.recv_timeout(START_TIMEOUT) {
            Ok(url) => url,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                let tail = std::fs::read_to_string(log).unwrap_or_default();
                let tail: Vec<&str> = tail.lines().rev().take(20).collect();
                panic!(
                    "the token service printed no LISTENING line within {START_TIMEOUT:?}; its log ends:\n{}",
                    tail.into_iter().rev().collect::<Vec<_>>().join("\n")
                );
            }
        };
        assert!(
            base_url.starts_with("http://127.0.0.1:"),
            "loopback only: {base_url}"
        );
        TokenService {
            child,
            base_url,
            ready_after: t0.elapsed(),
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGTERM (a graceful shutdown), then SIGKILL after 10 s.
    pub fn stop(mut self) {
        self.stop_inner();
    }

    fn stop_inner(&mut self) {
        crate::support::stop_gracefully(&mut self.child);
    }
}

impl Drop for TokenService {
    fn drop(&mut self) {
        self.stop_inner();
    }
}

/// The emulator's connection string with its endpoint replaced by `endpoint`.
pub fn connection_string_for(connection_string: &str, endpoint: &str) -> String {
    connection_string
        .split(';')
        .filter(|part| !part.trim().is_empty())
        .map(|part| {
            if part.trim().to_ascii_lowercase().starts_with("endpoint=") {
                format!("endpoint={endpoint}")
            } else {
                part.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(";")
}
