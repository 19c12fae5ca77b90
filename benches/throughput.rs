//! End-to-end throughput of `get_token` against the emulator on loopback: our SDK
//! next to a minimal hyper client (the "floor") that builds the same request and
//! HMAC-signs it per request, measured in the same run.
//!
//! ```text
//! cargo bench --bench throughput
//! ```
//!
//! The bench is its own harness. The parent process starts the emulator in a
//! child process (this same executable, `ACS_BENCH_ROLE=emulator`), creates one
//! identity, then runs every row in a fresh child process
//! (`ACS_BENCH_ROLE=client`), so that a row's peak RSS and CPU are its own and the
//! emulator's CPU is separable. Each row shares ONE client between `concurrency`
//! tokio tasks that call `get_token` in a loop for a warm-up and then a measured
//! window, and reports:
//!
//! * calls/s over the window, p50 / p99 latency;
//! * the client process's peak RSS (`VmHWM`) and CPU time;
//! * TCP connections opened to the emulator over the whole row (warm-up included),
//!   counted from `/proc/net/tcp`: sockets to or from the emulator's port, keyed
//!   by client port and inode, that were not there before the row (closed
//!   connections stay visible in TIME_WAIT for 60 s, so none is missed);
//! * the emulator's CPU time over the window (`/proc/<pid>/stat`).
//!
//! Rows run floor, SDK, floor, SDK, ... for each concurrency, `ACS_BENCH_REPEAT`
//! times; the table shows the median run (by calls/s) of each. Environment:
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `ACS_BENCH_SECS` | 2 | measured seconds per row (after 0.5 s of warm-up) |
//! | `ACS_BENCH_REPEAT` | 3 | runs of each row; the median is reported |
//! | `ACS_BENCH_CONCURRENCY` | `1,16,64` | concurrency levels |
//! | `ACS_BENCH_CONNECTION_STRING` | (start one) | use an already running emulator |
//! | `ACS_BENCH_EMULATOR_PID` | | its pid, for its CPU share |
//! | `ACS_BENCH_USER_ID` | (create one) | the identity to issue tokens to |
//! | `ACS_BENCH_KINDS` | `floor,sdk` | the clients, see `subject` |
//! | `ACS_BENCH_EXACT` | 0 | 1: p50 / p99 from every latency (sorted), not the histogram |
//! | `ACS_BENCH_PAUSE_US` | 0 | N: each task pauses a random 0..N µs before each call (unmeasured) |
//! | `ACS_BENCH_RESULTS` | | append every run of every row as a JSON line to this file |
//!
//! The histogram reports latencies within 1.6%; `ACS_BENCH_EXACT=1` keeps every latency
//! instead (8 bytes per call, so the client's peak RSS grows with the calls), for
//! comparisons finer than that, such as p50 at a 10 ms round trip
//! (`benches/user_facing.sh`).
//!
//! `ACS_BENCH_PAUSE_US` is for an emulator started with `--latency`: it holds each answer
//! back on tokio's timer, which fires on 1 ms ticks. Back-to-back calls then arrive at the
//! same phase of a tick every time and the tick swallows whatever the client spent between
//! two calls: each takes about `latency` + 1 ms, and two clients of different cost measure
//! alike. A random pause of up to 1 ms (a thread's sleep, not tokio's timer) spreads
//! the arrivals over the tick, so the client's own time shows in the latency again, plus
//! 0.5 ms on average from the tick.
//!
//! Linux only (`/proc`).

mod support;

use acs_identity::{
    CommunicationIdentityClient, CommunicationTokenScope, CommunicationUserIdentifier,
    ConnectionString,
};
use bytes::Bytes;
use hmac::{Hmac, Mac};
use http_body_util::{BodyExt, Full};
use hyper_util::{
    client::legacy::{connect::HttpConnector, Client},
    rt::TokioExecutor,
};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::{
    collections::HashSet,
    io::{BufRead, BufReader, Read, Write},
    process::{Child, Command, Stdio},
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};
use support::{cpu_seconds, env_or, Histogram};

const WARM_UP: Duration = Duration::from_millis(500);
/// The request body every client sends: `get_token(user, [chat, voip])`.
const BODY: &[u8] = br#"{"scopes":["chat","voip"]}"#;

fn main() {
    // Child processes get their role from the environment.
    match std::env::var("ACS_BENCH_ROLE").as_deref() {
        Ok("emulator") => emulator_role(),
        Ok("client") => client_role(),
        Ok("sequential") => sequential_role(),
        Ok("create-user") => {
            let cs = std::env::var("ACS_BENCH_CONNECTION_STRING").unwrap();
            println!("{}", create_user(&cs));
        }
        _ => {
            // `cargo bench` passes `--bench`; `cargo test --all-targets` / `--benches`
            // runs bench targets without it: never benchmark from a test run.
            if !std::env::args().any(|a| a == "--bench") {
                eprintln!("throughput: skipped (run it with `cargo bench --bench throughput`)");
                return;
            }
            orchestrate()
        }
    }
}

// ---------------------------------------------------------------------------
// Emulator process

fn emulator_role() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    rt.block_on(async {
        let handle = acs_identity_emulator::Emulator::builder()
            .start()
            .await
            .expect("start the emulator");
        println!("CONNECTION_STRING={}", handle.connection_string());
        std::io::stdout().flush().unwrap();
        // Run until the parent closes our stdin.
        tokio::task::spawn_blocking(|| {
            let mut sink = Vec::new();
            let _ = std::io::stdin().read_to_end(&mut sink);
        })
        .await
        .unwrap();
        handle.shutdown().await;
    });
}

// ---------------------------------------------------------------------------
// Orchestrator

struct Emulator {
    child: Option<Child>,
    connection_string: String,
    pid: Option<u32>,
}

impl Emulator {
    fn start_or_attach() -> Self {
        if let Ok(cs) = std::env::var("ACS_BENCH_CONNECTION_STRING") {
            return Emulator {
                child: None,
                connection_string: cs,
                pid: std::env::var("ACS_BENCH_EMULATOR_PID")
                    .ok()
                    .and_then(|p| p.trim().parse().ok()),
            };
        }
        let mut child = Command::new(std::env::current_exe().unwrap())
            .env("ACS_BENCH_ROLE", "emulator")
            .env_remove("RUST_LOG")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn the emulator process");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let connection_string = loop {
            let line = lines
                .next()
                .expect("the emulator exited before printing its connection string")
                .unwrap();
            if let Some(cs) = line.strip_prefix("CONNECTION_STRING=") {
                break cs.to_owned();
            }
        };
        let pid = child.id();
        Emulator {
            child: Some(child),
            connection_string,
            pid: Some(pid),
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            drop(child.stdin.take()); // EOF: the emulator shuts down
            let deadline = Instant::now() + Duration::from_secs(6);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// One reported row, also the JSON line a client process prints.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
struct RowResult {
    client: String,
    concurrency: usize,
    calls: u64,
    errors: u64,
    secs: f64,
    calls_per_s: f64,
    p50_ms: f64,
    p99_ms: f64,
    rss_mb: f64,
    conns: u64,
    client_cpu_s: f64,
    emu_cpu_s: Option<f64>,
    /// Which run of the row this is (0-based), in `ACS_BENCH_RESULTS`.
    #[serde(default)]
    run: usize,
    /// p50 / p99 are exact (`ACS_BENCH_EXACT=1`), not from the histogram.
    #[serde(default)]
    exact: bool,
}

fn orchestrate() {
    let secs: f64 = env_or("ACS_BENCH_SECS", 2.0);
    let repeat: usize = env_or("ACS_BENCH_REPEAT", 3).max(1);
    let levels: Vec<usize> = std::env::var("ACS_BENCH_CONCURRENCY")
        .unwrap_or_else(|_| "1,16,64".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();

    // Kinds: `floor`, `sdk` (the client as built by default: azure_core's
    // reqwest transport); diagnostics: `sdk-hyper` (over the floor's hyper-util
    // client), `sdk-no-timeout` (request_timeout off, `Some(Duration::MAX)`).
    let kinds: Vec<String> = std::env::var("ACS_BENCH_KINDS")
        .unwrap_or_else(|_| "floor,sdk".into())
        .split(',')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    let emulator = Emulator::start_or_attach();
    let user_id = match std::env::var("ACS_BENCH_USER_ID") {
        Ok(id) => id,
        Err(_) => create_user(&emulator.connection_string),
    };
    eprintln!(
        "throughput: {} s per row after {} ms warm-up, {repeat} run(s) each, concurrency {levels:?}, emulator pid {:?}",
        secs,
        WARM_UP.as_millis(),
        emulator.pid
    );

    let mut rows = Vec::new();
    let mut all_runs = Vec::new();
    let mut paired = Vec::new();
    for &concurrency in &levels {
        let mut runs: Vec<Vec<RowResult>> = vec![Vec::new(); kinds.len()];
        for run in 0..repeat {
            for (i, kind) in kinds.iter().map(String::as_str).enumerate() {
                let mut r = run_client(kind, concurrency, secs, &emulator, &user_id);
                r.run = run;
                all_runs.push(r.clone());
                eprintln!(
                    "  {kind:5} c={concurrency:<3} {:>9.0} calls/s  p50 {:.3} ms  p99 {:.3} ms  rss {:.1} MB  conns {}  errors {}",
                    r.calls_per_s, r.p50_ms, r.p99_ms, r.rss_mb, r.conns, r.errors
                );
                runs[i].push(r);
            }
        }
        paired.extend(paired_ratios(&kinds, &runs, concurrency));
        for mut r in runs {
            r.sort_by(|a, b| a.calls_per_s.total_cmp(&b.calls_per_s));
            rows.push(r[r.len() / 2].clone());
        }
    }

    if let Ok(path) = std::env::var("ACS_BENCH_RESULTS") {
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .expect("open ACS_BENCH_RESULTS");
        for r in &all_runs {
            writeln!(f, "{}", serde_json::to_string(r).unwrap()).unwrap();
        }
    }
    print_table(&rows);
    print_paired(&paired);
}

/// One kind's runs against the floor's runs of the same repeat at one
/// concurrency: the rows of a pair ran back to back, so slow drift of a shared
/// machine affects both alike and their ratio is steadier than the ratio of the
/// two medians.
struct Paired {
    client: String,
    concurrency: usize,
    /// `calls/s(kind) / calls/s(floor)` of each repeat, sorted.
    ratios: Vec<f64>,
    /// `p50(kind) / p50(floor)` of each repeat, sorted.
    p50_ratios: Vec<f64>,
    /// Client CPU µs per call, median over the repeats: (floor, kind).
    cpu_us: (f64, f64),
}

fn paired_ratios(kinds: &[String], runs: &[Vec<RowResult>], concurrency: usize) -> Vec<Paired> {
    let Some(floor) = kinds.iter().position(|k| k == "floor") else {
        return Vec::new();
    };
    let cpu_per_call = |rs: &[RowResult]| {
        let mut v: Vec<f64> = rs
            .iter()
            .map(|r| 1e6 * r.client_cpu_s / r.calls.max(1) as f64)
            .collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let floor_cpu = cpu_per_call(&runs[floor]);
    (0..kinds.len())
        .filter(|&i| i != floor)
        .map(|i| {
            let mut ratios: Vec<f64> = runs[i]
                .iter()
                .zip(&runs[floor])
                .map(|(r, f)| r.calls_per_s / f.calls_per_s.max(f64::MIN_POSITIVE))
                .collect();
            ratios.sort_by(f64::total_cmp);
            let mut p50_ratios: Vec<f64> = runs[i]
                .iter()
                .zip(&runs[floor])
                .map(|(r, f)| r.p50_ms / f.p50_ms.max(f64::MIN_POSITIVE))
                .collect();
            p50_ratios.sort_by(f64::total_cmp);
            Paired {
                client: runs[i][0].client.clone(),
                concurrency,
                ratios,
                p50_ratios,
                cpu_us: (floor_cpu, cpu_per_call(&runs[i])),
            }
        })
        .collect()
}

fn print_paired(paired: &[Paired]) {
    if paired.is_empty() {
        return;
    }
    println!();
    println!("| client | concurrency | pairs | median of paired ratios | min | max | median of paired p50 ratios | client CPU µs/call: floor | this |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let median = |v: &[f64]| {
        let n = v.len();
        if n % 2 == 1 {
            v[n / 2]
        } else {
            (v[n / 2 - 1] + v[n / 2]) / 2.0
        }
    };
    for p in paired {
        let n = p.ratios.len();
        println!(
            "| {} | {} | {n} | {:.2} | {:.2} | {:.2} | {:.4} | {:.1} | {:.1} |",
            p.client,
            p.concurrency,
            median(&p.ratios),
            p.ratios[0],
            p.ratios[n - 1],
            median(&p.p50_ratios),
            p.cpu_us.0,
            p.cpu_us.1
        );
    }
    println!("(paired ratio: calls/s, or p50, of the row / that of the floor row run just before it, one per repeat)");
}

fn create_user(connection_string: &str) -> String {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let client = CommunicationIdentityClient::from_connection_string(connection_string, None)
            .expect("client");
        client
            .create_user(None)
            .await
            .expect("create_user")
            .id()
            .to_owned()
    })
}

fn run_client(
    kind: &str,
    concurrency: usize,
    secs: f64,
    emulator: &Emulator,
    user_id: &str,
) -> RowResult {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.env("ACS_BENCH_ROLE", "client")
        .env("ACS_BENCH_KIND", kind)
        .env("ACS_BENCH_CONC", concurrency.to_string())
        .env("ACS_BENCH_SECS", secs.to_string())
        .env("ACS_BENCH_CONNECTION_STRING", &emulator.connection_string)
        .env("ACS_BENCH_USER_ID", user_id)
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stderr(Stdio::inherit());
    match emulator.pid {
        Some(pid) => cmd.env("ACS_BENCH_EMULATOR_PID", pid.to_string()),
        None => cmd.env_remove("ACS_BENCH_EMULATOR_PID"),
    };
    let out = cmd.output().expect("run a client process");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .unwrap_or_else(|| panic!("client {kind} c={concurrency} printed no RESULT: {stdout}"));
    serde_json::from_str(line).expect("RESULT json")
}

fn print_table(rows: &[RowResult]) {
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
    println!();
    println!(
        "get_token against the emulator on loopback ({cores} cores, {cpu_model}; loadavg {})",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!(
        "| client | concurrency | calls/s | vs floor | p50 ms | p99 ms | peak RSS MB | TCP conns | client CPU | emulator CPU | emulator µs/call | errors |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in rows {
        let floor = rows
            .iter()
            .find(|f| f.client == "floor (hyper)" && f.concurrency == r.concurrency);
        let ratio = floor.map_or("".into(), |f| {
            format!("{:.2}", r.calls_per_s / f.calls_per_s)
        });
        let emu = r
            .emu_cpu_s
            .map_or("n/a".into(), |e| format!("{:.0}%", 100.0 * e / r.secs));
        let emu_per_call = r.emu_cpu_s.map_or("n/a".into(), |e| {
            format!("{:.1}", 1e6 * e / r.calls.max(1) as f64)
        });
        println!(
            "| {} | {} | {:.0} | {} | {:.3} | {:.3} | {:.1} | {} | {:.0}% | {} | {} | {} |",
            r.client,
            r.concurrency,
            r.calls_per_s,
            ratio,
            r.p50_ms,
            r.p99_ms,
            r.rss_mb,
            r.conns,
            100.0 * r.client_cpu_s / r.secs,
            emu,
            emu_per_call,
            r.errors
        );
    }
    println!("(CPU columns: share of one core over the measured window; vs floor: calls/s ratio to the hyper floor at the same concurrency, same run)");
}

// ---------------------------------------------------------------------------
// Client process

/// The emulator's port, from the connection string.
fn emulator_port(connection_string: &str) -> u16 {
    let cs = ConnectionString::parse(connection_string).expect("connection string");
    cs.endpoint()
        .port_or_known_default()
        .expect("endpoint port")
}

/// One key per TCP connection to `port` visible in `/proc/net/tcp{,6}`: the
/// client-side socket as (client port, inode) — live sockets have a unique inode,
/// closed ones linger in TIME_WAIT with inode 0 — plus (client port, 0) for a
/// server-side socket that is closing (the server closed first). Keys taken
/// before and after a row differ exactly by the connections the row opened, even
/// when loopback reuses a TIME_WAIT port (`tcp_tw_reuse`), as long as the row's
/// own connections are still open at the second snapshot.
fn tcp_connection_keys(port: u16) -> HashSet<(u16, u64)> {
    let mut keys = HashSet::new();
    for file in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        for line in text.lines().skip(1) {
            let cols: Vec<&str> = line.split_whitespace().collect();
            if cols.len() < 10 {
                continue;
            }
            let port_of = |a: &str| {
                a.rsplit_once(':')
                    .and_then(|(_, p)| u16::from_str_radix(p, 16).ok())
            };
            let (Some(lp), Some(rp)) = (port_of(cols[1]), port_of(cols[2])) else {
                continue;
            };
            let state = cols[3];
            let inode: u64 = cols[9].parse().unwrap_or(0);
            if rp == port && lp != port {
                keys.insert((lp, inode)); // the client's socket
            } else if lp == port && rp != 0 && state != "01" && state != "0A" {
                keys.insert((rp, 0)); // a closing server-side socket
            }
        }
    }
    keys
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

#[derive(Deserialize)]
struct TokenBody {
    token: String,
    #[serde(rename = "expiresOn")]
    expires_on: String,
}

/// The floor: a minimal hyper client that builds the same request and HMAC-signs it.
struct Floor {
    client: Client<HttpConnector, Full<Bytes>>,
    uri: hyper::Uri,
    path_and_query: String,
    host: String,
    mac: Hmac<Sha256>,
}

impl Floor {
    fn new(connection_string: &str, user_id: &str) -> Self {
        let mut endpoint = None;
        let mut key = None;
        for part in connection_string.split(';') {
            if let Some((k, v)) = part.split_once('=') {
                match k.trim().to_ascii_lowercase().as_str() {
                    "endpoint" => endpoint = Some(v.trim().trim_end_matches('/').to_owned()),
                    "accesskey" => key = Some(v.trim().to_owned()),
                    _ => {}
                }
            }
        }
        let endpoint = endpoint.expect("endpoint=");
        let key = azure_core::base64::decode(key.expect("accesskey=")).unwrap();
        let host = endpoint
            .split_once("://")
            .map_or(endpoint.as_str(), |(_, h)| h)
            .to_owned();
        let mut encoded = String::new();
        for b in user_id.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                encoded.push(b as char);
            } else {
                encoded.push_str(&format!("%{b:02X}"));
            }
        }
        let path_and_query =
            format!("/identities/{encoded}/:issueAccessToken?api-version=2023-10-01");
        let uri: hyper::Uri = format!("{endpoint}{path_and_query}").parse().unwrap();
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        let client = Client::builder(TokioExecutor::new()).build(connector);
        Floor {
            client,
            uri,
            path_and_query,
            host,
            mac: Hmac::<Sha256>::new_from_slice(&key).unwrap(),
        }
    }

    async fn get_token(&self) -> Result<(), String> {
        let date = azure_core::time::to_rfc7231(&azure_core::time::OffsetDateTime::now_utc());
        let hash = azure_core::base64::encode(Sha256::digest(BODY));
        let string_to_sign = format!("POST\n{}\n{date};{};{hash}", self.path_and_query, self.host);
        let mut mac = self.mac.clone();
        mac.update(string_to_sign.as_bytes());
        let signature = azure_core::base64::encode(mac.finalize().into_bytes());
        let request = hyper::Request::post(self.uri.clone())
            .header("accept", "application/json")
            .header("content-type", "application/json")
            .header("x-ms-date", date)
            .header("x-ms-content-sha256", hash)
            .header(
                "authorization",
                format!("HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={signature}"),
            )
            .body(Full::new(Bytes::from_static(BODY)))
            .map_err(|e| e.to_string())?;
        let response = self
            .client
            .request(request)
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        if status != hyper::StatusCode::OK {
            return Err(format!("HTTP {status}"));
        }
        let token: TokenBody = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        azure_core::time::parse_rfc3339(&token.expires_on).map_err(|e| e.to_string())?;
        std::hint::black_box(token.token);
        Ok(())
    }
}

fn sdk_with_transport(
    cs: &str,
    transport: Arc<dyn azure_core::http::HttpClient>,
) -> CommunicationIdentityClient {
    let options = acs_identity::CommunicationIdentityClientOptions {
        client_options: azure_core::http::ClientOptions {
            transport: Some(azure_core::http::Transport::new(transport)),
            ..Default::default()
        },
        ..Default::default()
    };
    CommunicationIdentityClient::from_connection_string(cs, Some(options)).expect("client")
}

/// The floor's hyper-util client as a transport for the SDK's pipeline
/// (diagnostics: the pipeline's cost over the floor's own HTTP client).
#[derive(Debug)]
struct HyperTransport {
    client: Client<HttpConnector, Full<Bytes>>,
}

impl HyperTransport {
    fn new() -> Self {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        HyperTransport {
            client: Client::builder(TokioExecutor::new()).build(connector),
        }
    }
}

#[async_trait::async_trait]
impl azure_core::http::HttpClient for HyperTransport {
    async fn execute_request(
        &self,
        request: &azure_core::http::Request,
    ) -> azure_core::Result<azure_core::http::AsyncRawResponse> {
        use azure_core::error::{Error, ErrorKind};
        let mut builder = hyper::Request::builder()
            .method(request.method().as_ref())
            .uri(request.url().as_str());
        for (name, value) in request.headers().iter() {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let body = match request.body() {
            azure_core::http::Body::Bytes(b) => b.clone(),
            #[allow(unreachable_patterns)]
            _ => return Err(Error::with_message(ErrorKind::Other, "streamed body")),
        };
        let req = builder
            .body(Full::new(body))
            .map_err(|e| Error::new(ErrorKind::Other, e))?;
        let rsp = self
            .client
            .request(req)
            .await
            .map_err(|e| Error::new(ErrorKind::Io, e))?;
        let status = rsp.status().as_u16();
        let mut headers = azure_core::http::headers::Headers::new();
        for (name, value) in rsp.headers() {
            if let Ok(v) = value.to_str() {
                headers.insert(name.as_str().to_owned(), v.to_owned());
            }
        }
        let body = rsp
            .into_body()
            .collect()
            .await
            .map_err(|e| Error::new(ErrorKind::Io, e))?
            .to_bytes();
        Ok(azure_core::http::AsyncRawResponse::from_bytes(
            status.into(),
            headers,
            body,
        ))
    }
}

enum Subject {
    Floor(Box<Floor>),
    Sdk(CommunicationIdentityClient, CommunicationUserIdentifier),
}

impl Subject {
    async fn call(&self) -> Result<(), String> {
        match self {
            Subject::Floor(f) => f.get_token().await,
            Subject::Sdk(client, user) => client
                .get_token(
                    user,
                    &[CommunicationTokenScope::Chat, CommunicationTokenScope::VoIP],
                    None,
                )
                .await
                .map(|t| {
                    std::hint::black_box(t);
                })
                .map_err(|e| e.to_string()),
        }
    }
}

fn client_role() {
    let kind = std::env::var("ACS_BENCH_KIND").unwrap();
    let concurrency: usize = env_or("ACS_BENCH_CONC", 1);
    let secs: f64 = env_or("ACS_BENCH_SECS", 2.0);
    let cs = std::env::var("ACS_BENCH_CONNECTION_STRING").unwrap();
    let user_id = std::env::var("ACS_BENCH_USER_ID").unwrap_or_else(|_| create_user(&cs));
    let emu_pid = std::env::var("ACS_BENCH_EMULATOR_PID").ok();
    let port = emulator_port(&cs);
    let keys_before = tcp_connection_keys(port);

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let (label, subject) = subject(&kind, &cs, &user_id);
    let subject = Arc::new(subject);
    let window = Duration::from_secs_f64(secs);

    // Latencies go into one shared, fixed-size histogram (32 KB), not a growing
    // Vec, so the harness does not inflate the client's peak RSS.
    let histogram = Arc::new(Histogram::new());
    // ACS_BENCH_EXACT=1: every task also keeps its latencies (ns), for exact quantiles.
    let exact = env_or("ACS_BENCH_EXACT", 0u8) == 1;
    // ACS_BENCH_PAUSE_US=N: before each call a task sleeps a random [0, N) µs, unmeasured
    // (see the table of settings at the top).
    let pause_us: u64 = env_or("ACS_BENCH_PAUSE_US", 0);
    let errors = Arc::new(AtomicU64::new(0));
    let (client_cpu, emu_cpu, samples) = rt.block_on(async {
        let start = Instant::now();
        let measure_from = start + WARM_UP;
        let end = measure_from + window;
        let tasks: Vec<_> = (0..concurrency)
            .map(|task| {
                let subject = Arc::clone(&subject);
                let histogram = Arc::clone(&histogram);
                let errors = Arc::clone(&errors);
                let mut rng = Pcg32::new(task as u64);
                tokio::spawn(async move {
                    let mut samples: Vec<u64> = Vec::new();
                    loop {
                        if pause_us > 0 {
                            // Off the runtime's timer, whose 1 ms ticks would put every call
                            // back in phase with the emulator's.
                            let d = Duration::from_micros(u64::from(rng.next()) % pause_us);
                            tokio::task::spawn_blocking(move || std::thread::sleep(d))
                                .await
                                .unwrap();
                        }
                        let t0 = Instant::now();
                        if t0 >= end {
                            break;
                        }
                        let ok = subject.call().await;
                        let t1 = Instant::now();
                        if t0 >= measure_from && t1 <= end {
                            match ok {
                                Ok(()) => {
                                    let d = t1.duration_since(t0);
                                    histogram.record(d);
                                    if exact {
                                        samples
                                            .push(u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
                                    }
                                }
                                Err(e) => {
                                    if errors.fetch_add(1, Ordering::Relaxed) == 0 {
                                        eprintln!("error: {e}");
                                    }
                                }
                            }
                        }
                    }
                    samples
                })
            })
            .collect();
        // Sample CPU at the window's edges.
        tokio::time::sleep_until(measure_from.into()).await;
        let c0 = cpu_seconds("self");
        let e0 = emu_pid.as_deref().and_then(cpu_seconds);
        tokio::time::sleep_until(end.into()).await;
        let c1 = cpu_seconds("self");
        let e1 = emu_pid.as_deref().and_then(cpu_seconds);
        let mut samples = Vec::new();
        for t in tasks {
            samples.extend(t.await.unwrap());
        }
        let client_cpu = c1.zip(c0).map_or(0.0, |(a, b)| a - b);
        let emu_cpu = e1.zip(e0).map(|(a, b)| a - b);
        (client_cpu, emu_cpu, samples)
    });
    // The client (and its pooled connections) is still alive here.
    let keys_after = tcp_connection_keys(port);
    let conns = keys_after.difference(&keys_before).count() as u64;
    let calls = histogram.count();
    let errors = errors.load(Ordering::Relaxed);
    let (p50_ms, p99_ms) = if exact {
        (
            exact_quantile_ms(&samples, 0.50),
            exact_quantile_ms(&samples, 0.99),
        )
    } else {
        (histogram.quantile_ms(0.50), histogram.quantile_ms(0.99))
    };
    let result = RowResult {
        client: label.to_owned(),
        concurrency,
        calls,
        errors,
        secs,
        calls_per_s: calls as f64 / secs,
        p50_ms,
        p99_ms,
        rss_mb: peak_rss_mb(),
        conns,
        client_cpu_s: client_cpu,
        emu_cpu_s: emu_cpu,
        run: 0,
        exact,
    };
    println!("RESULT {}", serde_json::to_string(&result).unwrap());
}

/// PCG-XSH-RR 32 (pcg-random.org): the random pauses of `ACS_BENCH_PAUSE_US`, seeded per
/// task and by the clock. Not for anything secret.
struct Pcg32(u64);

impl Pcg32 {
    fn new(stream: u64) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        let mut rng = Pcg32(nanos ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        rng.next();
        rng
    }

    fn next(&mut self) -> u32 {
        let old = self.0;
        self.0 = old
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let xorshifted = (((old >> 18) ^ old) >> 27) as u32;
        xorshifted.rotate_right((old >> 59) as u32)
    }
}

/// The `q` quantile of latencies in ns, in ms: the sample of rank `ceil(n·q)` (as
/// `benches/official/get_token.py` computes it); 0 when empty.
fn exact_quantile_ms(samples: &[u64], q: f64) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    let rank = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1] as f64 / 1e6
}

/// The client of one kind (`ACS_BENCH_KIND`) and its label in the table.
fn subject(kind: &str, cs: &str, user_id: &str) -> (&'static str, Subject) {
    match kind {
        "floor" => (
            "floor (hyper)",
            Subject::Floor(Box::new(Floor::new(cs, user_id))),
        ),
        "sdk" => (
            "acs-identity (Rust)",
            Subject::Sdk(
                CommunicationIdentityClient::from_connection_string(cs, None).expect("client"),
                CommunicationUserIdentifier::new(user_id),
            ),
        ),
        "sdk-no-timeout" => (
            "acs-identity, request_timeout off",
            Subject::Sdk(
                CommunicationIdentityClient::from_connection_string(
                    cs,
                    Some(acs_identity::CommunicationIdentityClientOptions {
                        request_timeout: Some(std::time::Duration::MAX),
                        ..Default::default()
                    }),
                )
                .expect("client"),
                CommunicationUserIdentifier::new(user_id),
            ),
        ),
        "sdk-hyper" => (
            "acs-identity over bare hyper",
            Subject::Sdk(
                sdk_with_transport(cs, Arc::new(HyperTransport::new())),
                CommunicationUserIdentifier::new(user_id),
            ),
        ),
        other => panic!("unknown ACS_BENCH_KIND {other}"),
    }
}

/// `ACS_BENCH_ROLE=sequential`: `ACS_BENCH_CALLS` (1000) sequential `get_token`
/// calls of one kind on a current-thread runtime, for instruction counts under
/// `valgrind --tool=callgrind` (`benches/callgrind.sh`): the difference between
/// two call counts, divided by the difference in calls, is the client's
/// instructions per call, setup excluded. The server is in another process.
fn sequential_role() {
    let kind = std::env::var("ACS_BENCH_KIND").unwrap();
    let calls: u64 = env_or("ACS_BENCH_CALLS", 1000);
    // ACS_BENCH_CONC workers share the one subject and split the calls; on one
    // thread, so that callgrind counts the same work at any concurrency.
    let concurrency: u64 = env_or("ACS_BENCH_CONC", 1).max(1);
    let cs = std::env::var("ACS_BENCH_CONNECTION_STRING").unwrap();
    let user_id = std::env::var("ACS_BENCH_USER_ID").unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let (_, subject) = subject(&kind, &cs, &user_id);
    let subject = Arc::new(subject);
    rt.block_on(async {
        let workers: Vec<_> = (0..concurrency)
            .map(|w| {
                let subject = Arc::clone(&subject);
                let kind = kind.clone();
                let share = calls / concurrency + u64::from(w < calls % concurrency);
                tokio::spawn(async move {
                    for i in 0..share {
                        if let Err(e) = subject.call().await {
                            panic!("{kind}: worker {w}, call {i} failed: {e}");
                        }
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.await.expect("worker");
        }
    });
    println!("{kind}: {calls} calls, {concurrency} at a time");
}
