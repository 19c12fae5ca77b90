//! `acs-identity-emulator`: run the emulator from the command line.

use acs_identity_emulator::{BearerPolicy, Emulator, FaultStatus, ThrottleConfig};
use clap::Parser;
use std::path::PathBuf;
use std::time::Duration;

/// A local emulator of the Azure Communication Services Identity service.
///
/// On start it prints ENDPOINT=, CONNECTION_STRING= and (with --tls) CA_CERT= lines on stdout;
/// logs go to stderr (set RUST_LOG, e.g. RUST_LOG=acs_identity_emulator=debug).
#[derive(Debug, Parser)]
#[command(name = "acs-identity-emulator", version, about)]
struct Args {
    /// Address or host name to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,

    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,

    /// Access key (base64) that HMAC-signed requests must use.
    #[arg(long, env = "ACS_EMULATOR_ACCESS_KEY", default_value = acs_identity_emulator::DEFAULT_ACCESS_KEY, hide_env_values = true)]
    access_key: String,

    /// Resource id (GUID) that identity ids are minted under.
    #[arg(long, default_value = acs_identity_emulator::DEFAULT_RESOURCE_ID)]
    resource_id: String,

    /// `resourceLocation` claim of issued tokens.
    #[arg(long, default_value = "unitedstates")]
    resource_location: String,

    /// Keep identities, revocations and deletions in SQLite in this directory (survive restarts).
    #[arg(long)]
    data_dir: Option<PathBuf>,

    /// Serve HTTPS with a CA generated at start.
    #[arg(long)]
    tls: bool,

    /// Where to write the CA certificate (PEM) with --tls. Default: <data-dir>/ca.pem, or
    /// acs-identity-emulator-ca-<pid>.pem in the temporary directory (<pid>: this process's id).
    #[arg(long)]
    ca_cert_out: Option<PathBuf>,

    /// Allowed distance between an HMAC request's date and the emulator's clock, e.g. 900, 900s, 15m, 1h.
    #[arg(long, default_value = "15m", value_parser = parse_duration)]
    max_clock_skew: Duration,

    /// Accept only these bearer tokens (repeatable). Default: any non-empty bearer token.
    #[arg(long = "bearer-token", value_name = "TOKEN")]
    bearer_tokens: Vec<String>,

    /// Reject every bearer token (HMAC only).
    #[arg(long, conflicts_with = "bearer_tokens")]
    no_bearer: bool,

    /// Fail this share of ACS requests (0.0 to 1.0).
    #[arg(long, default_value_t = 0.0)]
    fault_rate: f64,

    /// Fail every Nth ACS request (0 = off).
    #[arg(long, default_value_t = 0)]
    fault_every: u64,

    /// Status of injected faults: 429, 503 or 500.
    #[arg(long, default_value = "429", value_parser = parse_fault_status)]
    fault_status: FaultStatus,

    /// Retry-After of injected 429/503 answers, e.g. 1, 5s, 1m.
    #[arg(long, default_value = "1s", value_parser = parse_duration)]
    fault_retry_after: Duration,

    /// Seed of the --fault-rate choice, for reproducible runs.
    #[arg(long)]
    fault_seed: Option<u64>,

    /// Largest request body accepted, in bytes (larger: 413).
    #[arg(long, default_value_t = acs_identity_emulator::DEFAULT_MAX_BODY_BYTES)]
    max_body_bytes: usize,

    /// Entra assignments per page of GET /access/entra/assignments (at least 1).
    #[arg(long, default_value_t = acs_identity_emulator::DEFAULT_ENTRA_ASSIGNMENTS_PAGE_SIZE)]
    entra_assignments_page_size: usize,

    /// Deleted identities remembered (their tokens validate as identityDeleted); older ones are
    /// forgotten and answer as unknown identities.
    #[arg(long, default_value_t = acs_identity_emulator::DEFAULT_DELETED_HISTORY)]
    deleted_history: usize,

    /// Hold back every ACS answer by this long (not /_emulator/*), e.g. 10ms, 1s: a network
    /// round trip, to test clients' timeouts.
    #[arg(long, default_value = "0", value_parser = parse_duration, value_name = "DURATION")]
    latency: Duration,

    /// Throttle like the service: per operation at most N requests in any window, then 429
    /// with Retry-After. Alone: the service's limits (create, issue, createUserAndToken
    /// 1000/30s; delete, revoke, exchange 500/30s). With OP=N/WINDOW (repeatable or
    /// comma-separated), e.g. issue=50/5s: those changed. Off by default.
    #[arg(long, value_name = "OP=N/WINDOW", num_args = 0..=1, default_missing_value = "", value_parser = parse_throttle)]
    throttle: Vec<String>,
}

fn parse_fault_status(s: &str) -> Result<FaultStatus, String> {
    s.trim()
        .parse::<u16>()
        .ok()
        .and_then(FaultStatus::from_code)
        .ok_or_else(|| format!("'{s}' is not one of 429, 503, 500"))
}

/// Checks one `--throttle` value (applied in `main`, all together).
fn parse_throttle(s: &str) -> Result<String, String> {
    ThrottleConfig::default()
        .apply(s)
        .map(|_| s.to_owned())
        .map_err(|e| e.to_string())
}

/// A whole number of milliseconds (`ms`), seconds (no unit or `s`), minutes (`m`) or hours (`h`).
fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (digits, unit) = s
        .find(|c: char| !c.is_ascii_digit())
        .map_or((s, ""), |i| s.split_at(i));
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("'{s}' is not a duration such as 250ms, 900, 900s, 15m or 1h"))?;
    let secs = match unit {
        "ms" => return Ok(Duration::from_millis(n)),
        "" | "s" => n,
        "m" => n.saturating_mul(60),
        "h" => n.saturating_mul(3600),
        _ => return Err(format!("unknown unit in '{s}': use ms, s, m or h")),
    };
    Ok(Duration::from_secs(secs))
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
                tracing_subscriber::EnvFilter::new("acs_identity_emulator=info")
            }),
        )
        .init();
    let args = Args::parse();

    let bearer = if args.no_bearer {
        BearerPolicy::Reject
    } else if args.bearer_tokens.is_empty() {
        BearerPolicy::AnyNonEmpty
    } else {
        BearerPolicy::Only(args.bearer_tokens.clone())
    };
    let mut builder = Emulator::builder()
        .host(&args.host)
        .port(args.port)
        .access_key(&args.access_key)
        .resource_id(&args.resource_id)
        .resource_location(&args.resource_location)
        .tls(args.tls)
        .max_clock_skew(args.max_clock_skew)
        .bearer_policy(bearer)
        .faults(acs_identity_emulator::FaultConfig {
            rate: args.fault_rate,
            every: args.fault_every,
            status: args.fault_status,
            retry_after_secs: u32::try_from(args.fault_retry_after.as_secs()).unwrap_or(u32::MAX),
            seed: args.fault_seed,
        })
        .max_body_bytes(args.max_body_bytes)
        .entra_assignments_page_size(args.entra_assignments_page_size)
        .deleted_history(args.deleted_history)
        .latency(args.latency);
    if let Some(dir) = &args.data_dir {
        builder = builder.data_dir(dir);
    }
    if !args.throttle.is_empty() {
        match ThrottleConfig::default().apply(&args.throttle.join(",")) {
            Ok(config) => builder = builder.throttle(config),
            Err(e) => {
                eprintln!("acs-identity-emulator: {e}");
                return std::process::ExitCode::from(2);
            }
        }
    }
    if args.tls {
        let path = match (&args.ca_cert_out, &args.data_dir) {
            (Some(p), _) => Some(p.clone()),
            (None, Some(_)) => None, // the library writes <data-dir>/ca.pem
            (None, None) => Some(std::env::temp_dir().join(format!(
                "acs-identity-emulator-ca-{}.pem",
                std::process::id()
            ))),
        };
        if let Some(p) = path {
            builder = builder.ca_certificate_path(p);
        }
    }

    let emulator = match builder.start().await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("acs-identity-emulator: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    if let Some(warning) = emulator.well_known_key_warning() {
        // Also logged (the first log line), but logs can be filtered out: say it plainly too.
        eprintln!("acs-identity-emulator: WARNING: {warning}");
    }
    {
        // Errors ignored: whoever started us may have stopped reading stdout.
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "ENDPOINT={}", emulator.endpoint());
        let _ = writeln!(out, "CONNECTION_STRING={}", emulator.connection_string());
        if let Some(p) = emulator.ca_certificate_path() {
            let _ = writeln!(out, "CA_CERT={}", p.display());
        }
        let _ = writeln!(out, "RESOURCE_ID={}", emulator.resource_id());
        let _ = out.flush();
    }

    wait_for_signal().await;
    tracing::info!("shutting down");
    emulator.shutdown().await;
    std::process::ExitCode::SUCCESS
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
