//! End to end, black box: app users asking the token service for ACS tokens, against the
//! emulator throttled at the service's documented limits with 10 ms of latency per call; once
//! with the token cache on and once off (every request mints a fresh token, as the
//! "authentication hero" samples do). See the "Benchmark" section of `token-service/README.md`.
//!
//! ```text
//! cargo bench -p acs-token-service --bench tokens
//! ACS_TOKEN_BENCH_USERS=200 ACS_TOKEN_BENCH_SPREAD_SECS=12 cargo bench -p acs-token-service --bench tokens
//! ```
//!
//! Processes: `acs-identity-emulator` and `acs-token-service`, their release binaries (built
//! first with `cargo build --release -p ...`), each in a process of its own; in this process a
//! counting reverse proxy between the two (the ACS calls per operation, counted independently
//! of the service's `/metrics`) and the users. The service is configured only through issue
//! 20's environment variables (a fresh SQLite file per run, the callers' JWKS in a file); other
//! `ACS_TOKEN_SERVICE_*` variables of this process's environment pass through to it.
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `ACS_TOKEN_BENCH_USERS` | 2000 | app users, one bearer JWT each |
//! | `ACS_TOKEN_BENCH_REQUESTS` | 10 | `GET /api/token` per user |
//! | `ACS_TOKEN_BENCH_SPREAD_SECS` | 120 | the users' first requests are spread evenly over this |
//! | `ACS_TOKEN_BENCH_PAUSE_MIN_SECS`, `..._MAX_SECS` | 1, 3 | pause after an answer before the user's next request (uniform) |
//! | `ACS_TOKEN_BENCH_CACHE` | `on,off` | the runs, in order (`ACS_TOKEN_SERVICE_CACHE` of each) |
//! | `ACS_TOKEN_BENCH_THROTTLE` | `default` | the emulator's `--throttle` value (`none`: no `--throttle`) |
//! | `ACS_TOKEN_BENCH_LATENCY` | `10ms` | the emulator's `--latency` |
//! | `ACS_TOKEN_BENCH_OUT` | `<target>/acs-token-service-bench.md` | where the markdown is written too |
//! | `ACS_EMULATOR_BIN`, `ACS_TOKEN_SERVICE_BIN` | built by the bench | the binaries to run |
//!
//! Linux only (`/proc`). Traffic goes to 127.0.0.1 only.

#[path = "../../benches/support/mod.rs"]
mod support;
mod tokens_bench;

use std::{path::PathBuf, process::Command, time::Duration};
use support::{env_or, machine_line, run_by_cargo_bench};
use tokens_bench::{
    caller::Issuer,
    load::Plan,
    processes::release_binary,
    report::{self, Header},
    run::{self, Setup},
};

fn env_string(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

fn secs(name: &str, default: f64) -> Duration {
    Duration::from_secs_f64(env_or(name, default).max(0.0))
}

fn rustc_version() -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map_or_else(|| "rustc ?".into(), |s| s.trim().to_owned())
}

fn utc_now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn main() {
    if !run_by_cargo_bench("tokens") {
        return;
    }
    let plan = Plan {
        users: env_or("ACS_TOKEN_BENCH_USERS", 2000usize).max(1),
        requests: env_or("ACS_TOKEN_BENCH_REQUESTS", 10usize).max(1),
        spread: secs("ACS_TOKEN_BENCH_SPREAD_SECS", 120.0),
        pause_min: secs("ACS_TOKEN_BENCH_PAUSE_MIN_SECS", 1.0),
        pause_max: secs("ACS_TOKEN_BENCH_PAUSE_MAX_SECS", 3.0),
    };
    let modes: Vec<bool> = env_string("ACS_TOKEN_BENCH_CACHE", "on,off")
        .split(',')
        .filter_map(|m| match m.trim() {
            "on" => Some(true),
            "off" => Some(false),
            "" => None,
            other => panic!("ACS_TOKEN_BENCH_CACHE: `{other}` is neither `on` nor `off`"),
        })
        .collect();
    let throttle = env_string("ACS_TOKEN_BENCH_THROTTLE", "default");
    let latency = env_string("ACS_TOKEN_BENCH_LATENCY", "10ms");
    let mut emulator_args = Vec::new();
    if throttle != "none" {
        emulator_args.push("--throttle".to_owned());
        if throttle != "default" {
            emulator_args.push(throttle.clone());
        }
    }
    emulator_args.extend(["--latency".to_owned(), latency.clone()]);

    let emulator_bin = release_binary(
        "acs-identity-emulator",
        "acs-identity-emulator",
        "ACS_EMULATOR_BIN",
    );
    let service_bin = release_binary(
        "acs-token-service",
        "acs-token-service",
        "ACS_TOKEN_SERVICE_BIN",
    );

    let dir = std::env::temp_dir().join(format!("acs-token-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create the bench's temp dir");
    let issuer = Issuer::generate();
    let jwks_path = dir.join("jwks.json");
    std::fs::write(&jwks_path, issuer.jwks_json()).expect("write the JWKS");
    let jwts: Vec<String> = (0..plan.users).map(|n| issuer.user_jwt(n)).collect();

    let header = Header {
        machine: machine_line(),
        rustc: rustc_version(),
        date: utc_now(),
        setup: format!(
            "{} app users × {} `GET /api/token` (one bearer JWT each); first requests spread evenly over {:?}, then a pause of {:?}–{:?} after each answer; emulator `{}`; service on SQLite, configured by environment only.",
            plan.users,
            plan.requests,
            plan.spread,
            plan.pause_min,
            plan.pause_max,
            emulator_args.join(" "),
        ),
    };
    let setup = Setup {
        emulator_bin,
        service_bin,
        emulator_args,
        jwks_path,
        dir: dir.clone(),
        plan: plan.clone(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let mut runs = Vec::new();
    for cache in modes {
        runs.push(runtime.block_on(run::run(&setup, cache, jwts.clone())));
    }

    let markdown = report::markdown(&header, &runs, plan.users);
    println!("\n{markdown}");
    for r in &runs {
        let mode = if r.cache { "on" } else { "off" };
        match &r.metrics {
            Some(text) => {
                println!("The service's own /metrics (cache {mode}), excerpt:\n```");
                for line in report::metrics_excerpt(text) {
                    println!("{line}");
                }
                println!("```");
            }
            None => println!("The service's /metrics (cache {mode}) did not answer 200."),
        }
    }
    let out = std::env::var("ACS_TOKEN_BENCH_OUT").map_or_else(
        |_| {
            let exe = std::env::current_exe().expect("current_exe");
            // <target>/release/deps/tokens-* -> <target>
            exe.ancestors()
                .nth(3)
                .map_or_else(|| PathBuf::from("."), PathBuf::from)
                .join("acs-token-service-bench.md")
        },
        PathBuf::from,
    );
    match std::fs::write(&out, &markdown) {
        Ok(()) => eprintln!("written to {}", out.display()),
        Err(e) => eprintln!("could not write {}: {e}", out.display()),
    }
    eprintln!("the service's logs and /metrics are in {}", dir.display());
}
