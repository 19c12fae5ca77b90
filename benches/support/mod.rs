//! What the throughput, soak and scale benches share: the emulator binary in a process of its own, `/proc`
//! readings, a fixed-size latency histogram and the
//! machine line printed above a table. Linux only (`/proc`).

// Each bench target compiles this module and uses part of it.
#![allow(dead_code)]

use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Child, ChildStdout, Command, Stdio},
    sync::atomic::{AtomicU64, Ordering},
    time::{Duration, Instant},
};

pub fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// `cargo bench` passes `--bench`; `cargo test --all-targets` / `--benches` runs bench targets
/// without it: never benchmark from a test run (as `benches/throughput.rs` does).
pub fn run_by_cargo_bench(name: &str) -> bool {
    if std::env::args().any(|a| a == "--bench") {
        return true;
    }
    eprintln!("{name}: skipped (run it with `cargo bench --bench {name}`)");
    false
}

// ---------------------------------------------------------------------------
// The emulator binary

/// The `acs-identity-emulator` binary: `ACS_EMULATOR_BIN`, else the one beside this bench's
/// profile directory (`<target>/release/acs-identity-emulator` under `cargo bench`), built
/// first with `cargo build -p acs-identity-emulator` of the same profile when cargo runs us
/// (a no-op when it is up to date).
pub fn emulator_binary() -> PathBuf {
    if let Ok(path) = std::env::var("ACS_EMULATOR_BIN") {
        return PathBuf::from(path);
    }
    let exe = std::env::current_exe().expect("current_exe");
    // <target>/<profile>/deps/<bench>-<hash>
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("the bench runs from <target>/<profile>/deps");
    let bin = profile_dir.join(format!(
        "acs-identity-emulator{}",
        std::env::consts::EXE_SUFFIX
    ));
    if let (Ok(cargo), Some(profile)) = (
        std::env::var("CARGO"),
        profile_dir.file_name().and_then(|p| p.to_str()),
    ) {
        let profile = if profile == "debug" { "dev" } else { profile };
        let status = Command::new(cargo)
            .args([
                "build",
                "--quiet",
                "--profile",
                profile,
                "-p",
                "acs-identity-emulator",
                "--bin",
                "acs-identity-emulator",
            ])
            .env(
                "CARGO_TARGET_DIR",
                profile_dir.parent().expect("<target>/<profile>"),
            )
            .status();
        if !matches!(status, Ok(s) if s.success()) {
            eprintln!(
                "warning: could not build the emulator binary ({status:?}); using {bin:?} as it is"
            );
        }
    }
    assert!(
        bin.exists(),
        "no emulator binary at {bin:?}: `cargo build --release -p acs-identity-emulator`, or set ACS_EMULATOR_BIN"
    );
    bin
}

/// A running `acs-identity-emulator` (`--port 0`, plus the given flags), stopped with SIGTERM
/// when dropped.
pub struct EmulatorProcess {
    child: Child,
    pub connection_string: String,
    pub endpoint: String,
    /// From spawn to the `RESOURCE_ID=` line (the last line it prints when ready).
    pub ready_after: Duration,
    // Kept open: the emulator's writes to stdout must not fail.
    _stdout: BufReader<ChildStdout>,
}

impl EmulatorProcess {
    pub fn start(bin: &Path, extra_args: &[&str]) -> Self {
        let t0 = Instant::now();
        let mut child = Command::new(bin)
            .args(["--host", "127.0.0.1", "--port", "0"])
            .args(extra_args)
            .env("RUST_LOG", "acs_identity_emulator=warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("spawn {bin:?}: {e}"));
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (mut connection_string, mut endpoint) = (String::new(), String::new());
        // Bounded: the emulator prints at most 4 lines when ready; EOF ends it too.
        for _ in 0..16 {
            let mut line = String::new();
            if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                panic!("the emulator exited before it was ready");
            }
            let line = line.trim_end();
            if let Some(v) = line.strip_prefix("CONNECTION_STRING=") {
                connection_string = v.to_owned();
            } else if let Some(v) = line.strip_prefix("ENDPOINT=") {
                endpoint = v.to_owned();
            } else if line.starts_with("RESOURCE_ID=") {
                break;
            }
        }
        let ready_after = t0.elapsed();
        assert!(
            !connection_string.is_empty(),
            "the emulator printed no CONNECTION_STRING= line"
        );
        assert!(
            endpoint.starts_with("http://127.0.0.1:"),
            "loopback only: {endpoint}"
        );
        EmulatorProcess {
            child,
            connection_string,
            endpoint,
            ready_after,
            _stdout: stdout,
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
        stop_gracefully(&mut self.child);
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        self.stop_inner();
    }
}

/// Stops `child`: SIGTERM (a graceful shutdown), then SIGKILL after 10 s. Nothing when it
/// has already exited.
pub fn stop_gracefully(child: &mut std::process::Child) {
    if let Ok(Some(_)) = child.try_wait() {
        return;
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

// ---------------------------------------------------------------------------
// /proc

/// A `kB` field of `/proc/<pid>/status` (`VmRSS`, `VmHWM`), in MB.
pub fn status_mb(pid: &str, field: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
}

pub fn rss_mb(pid: &str) -> Option<f64> {
    status_mb(pid, "VmRSS")
}

/// utime + stime of a process, in seconds.
pub fn cpu_seconds(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut f = rest.split_whitespace().skip(11);
    let utime: f64 = f.next()?.parse().ok()?;
    let stime: f64 = f.next()?.parse().ok()?;
    Some((utime + stime) / 100.0) // USER_HZ is 100 on Linux
}

/// Bytes of the files directly in `dir` (the emulator's data directory has no subdirectories).
pub fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// "N cores, CPU model; loadavg a b c".
pub fn machine_line() -> String {
    let cpu_model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_else(|| "?".into());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!(
        "{cores} cores, {cpu_model}; loadavg {}",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    )
}

// ---------------------------------------------------------------------------
// Latency histogram

/// Log-linear latency histogram in nanoseconds: 64 sub-buckets per power of two (values are
/// reported within 1.6%); fixed size (32 KB), so recording allocates nothing. The same as in
/// `benches/throughput.rs`, plus `reset`.
pub struct Histogram {
    buckets: Vec<AtomicU64>,
}

impl Histogram {
    const SUB: u64 = 64;

    pub fn new() -> Self {
        Histogram {
            buckets: (0..64 * 64).map(|_| AtomicU64::new(0)).collect(),
        }
    }

    fn index(ns: u64) -> usize {
        if ns < Self::SUB {
            return ns as usize;
        }
        let e = 63 - u64::from(ns.leading_zeros()); // >= 6
        let sub = (ns >> (e - 6)) & (Self::SUB - 1);
        ((e - 5) * Self::SUB + sub) as usize
    }

    /// The middle of bucket `i`.
    fn value(i: usize) -> u64 {
        let i = i as u64;
        if i < Self::SUB {
            return i;
        }
        let e = i / Self::SUB + 5;
        let lower = (Self::SUB + i % Self::SUB) << (e - 6);
        lower + (1u64 << (e - 6)) / 2
    }

    pub fn record(&self, d: Duration) {
        let ns = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        let i = Self::index(ns).min(self.buckets.len() - 1);
        self.buckets[i].fetch_add(1, Ordering::Relaxed);
    }

    pub fn count(&self) -> u64 {
        self.buckets.iter().map(|b| b.load(Ordering::Relaxed)).sum()
    }

    pub fn reset(&self) {
        for b in &self.buckets {
            b.store(0, Ordering::Relaxed);
        }
    }

    /// The `q` quantile, in milliseconds (0 when empty).
    pub fn quantile_ms(&self, q: f64) -> f64 {
        let total = self.count();
        if total == 0 {
            return 0.0;
        }
        let rank = ((total as f64 * q).ceil() as u64).clamp(1, total);
        let mut seen = 0;
        for (i, b) in self.buckets.iter().enumerate() {
            seen += b.load(Ordering::Relaxed);
            if seen >= rank {
                return Self::value(i) as f64 / 1e6;
            }
        }
        0.0
    }
}

// ---------------------------------------------------------------------------
// The emulator's own health endpoint

/// `identities` of `GET /_emulator/health` (emulator-only, no authentication; see
/// `emulator/src/routes/emulator.rs`): every identity the emulator remembers, deleted ones
/// included. One HTTP/1.0 request over loopback, with 5 s timeouts.
pub fn emulator_identities(endpoint: &str) -> Option<u64> {
    use std::io::{Read, Write};
    let addr = endpoint.strip_prefix("http://")?.trim_end_matches('/');
    let mut stream = std::net::TcpStream::connect(addr).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    stream
        .set_write_timeout(Some(Duration::from_secs(5)))
        .ok()?;
    write!(
        stream,
        "GET /_emulator/health HTTP/1.0\r\nHost: {addr}\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.take(64 * 1024).read_to_string(&mut response).ok()?;
    let body = response.split_once("\r\n\r\n")?.1;
    serde_json::from_str::<serde_json::Value>(body)
        .ok()?
        .get("identities")?
        .as_u64()
}
