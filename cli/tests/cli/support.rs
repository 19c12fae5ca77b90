//! An emulator on 127.0.0.1 and a runner for the binary.

use acs_identity_emulator::Emulator;
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output, Stdio};

/// The api-version the tree's emulator serves for the basic commands.
pub const V2023: &str = "2023-10-01";

/// A running emulator and the runtime that serves it (on its own worker thread, so the
/// test thread can block on the child process).
pub struct Emu {
    pub emulator: Emulator,
    _runtime: tokio::runtime::Runtime,
}

impl Emu {
    pub fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let emulator = runtime
            .block_on(Emulator::builder().start())
            .expect("the emulator starts");
        Self {
            emulator,
            _runtime: runtime,
        }
    }

    pub fn connection_string(&self) -> &str {
        self.emulator.connection_string()
    }

    /// Runs the binary with `--connection-string` and `args`.
    pub fn run(&self, args: &[&str]) -> Run {
        let mut all = vec!["--connection-string", self.connection_string()];
        all.extend_from_slice(args);
        self.check(run_bin(&all, &[], None))
    }

    /// Runs with `--api-version 2023-10-01` (what this tree's emulator serves) and `args`.
    pub fn run_v2023(&self, args: &[&str]) -> Run {
        let mut all = vec!["--api-version", V2023];
        all.extend_from_slice(args);
        self.run(&all)
    }

    /// Asserts stderr holds neither the access key nor the connection string.
    pub fn check(&self, run: Run) -> Run {
        run.assert_stderr_lacks(self.emulator.access_key());
        run.assert_stderr_lacks(self.connection_string());
        run
    }

    /// Creates an identity through the binary and returns its id.
    pub fn create_user(&self) -> String {
        let run = self.run_v2023(&["--output", "json", "user", "create"]);
        run.assert_code(0);
        run.json()["id"].as_str().unwrap().to_owned()
    }
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "exit status\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self
    }

    /// stdout as exactly one JSON object.
    pub fn json(&self) -> Value {
        let mut lines = self.stdout.lines();
        let value: Value = serde_json::from_str(lines.next().expect("a line on stdout"))
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout));
        assert!(value.is_object(), "{value}");
        assert_eq!(lines.next(), None, "one line: {}", self.stdout);
        value
    }

    pub fn assert_stderr_lacks(&self, secret: &str) -> &Self {
        assert!(!secret.is_empty());
        assert!(
            !self.stderr.contains(secret),
            "a secret on stderr: {}",
            self.stderr
        );
        self
    }

    pub fn assert_stderr_has(&self, text: &str) -> &Self {
        assert!(
            self.stderr.contains(text),
            "`{text}` not on stderr: {}",
            self.stderr
        );
        self
    }
}

/// Runs the binary with `args` and `env` only (the authentication variables, proxies and
/// logging settings of the test's environment removed), feeding it `stdin`.
pub fn run_bin(args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_acs-identity"));
    command.args(args);
    for var in [
        "COMMUNICATION_SERVICES_CONNECTION_STRING",
        "COMMUNICATION_SERVICES_ENDPOINT",
        "RUST_LOG",
    ] {
        command.env_remove(var);
    }
    // Every proxy setting (`*_proxy`, any case: reqwest, the default transport,
    // reads them), so requests to the loopback emulator go straight to it.
    for (var, _) in std::env::vars_os() {
        if var
            .to_str()
            .is_some_and(|v| v.to_ascii_lowercase().ends_with("_proxy"))
        {
            command.env_remove(var);
        }
    }
    command.envs(env.iter().copied());
    command.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().expect("the binary runs");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().unwrap();
    Run {
        code: status.code().expect("exited, not killed"),
        stdout: String::from_utf8(stdout).unwrap(),
        stderr: String::from_utf8(stderr).unwrap(),
    }
}

/// An Entra ID token the emulator accepts for the Teams user exchange (it checks the
/// claims, not the signature).
pub fn entra_token(app: &str, oid: &str) -> String {
    let exp = azure_core::time::OffsetDateTime::now_utc().unix_timestamp() + 3600;
    let claims = serde_json::json!({"exp": exp, "appid": app, "oid": oid});
    let b64 = |bytes: &[u8]| azure_core::base64::encode_url_safe(bytes);
    format!(
        "{}.{}.{}",
        b64(br#"{"alg":"RS256","typ":"JWT"}"#),
        b64(claims.to_string().as_bytes()),
        b64(b"not-checked")
    )
}

/// The value of the `label:` line of text output.
pub fn line<'a>(text: &'a str, label: &str) -> &'a str {
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{label}:")))
        .unwrap_or_else(|| panic!("no `{label}:` line in {text}"))
        .trim()
}
