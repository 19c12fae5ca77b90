//! One run: a fresh emulator (throttled, with latency), the counting proxy, a fresh token
//! service on a fresh SQLite file, the users; then what each side counted.

use super::{
    caller::{AUDIENCE, ISSUER},
    load::{self, Outcome, Plan},
    processes::{connection_string_for, TokenService},
    proxy::{CountingProxy, Counts},
};
use crate::support::EmulatorProcess;
use std::{
    path::{Path, PathBuf},
    time::Duration,
};

pub struct Setup {
    pub emulator_bin: PathBuf,
    pub service_bin: PathBuf,
    /// The emulator's flags beyond `--host`/`--port` (`--throttle ...`, `--latency ...`).
    pub emulator_args: Vec<String>,
    pub jwks_path: PathBuf,
    pub dir: PathBuf,
    pub plan: Plan,
}

pub struct RunResult {
    pub cache: bool,
    pub outcome: Outcome,
    pub counts: Counts,
    /// The service's own `GET /metrics` after the run, if it answered 200.
    pub metrics: Option<String>,
    pub load_before: String,
    pub load_after: String,
    pub service_ready_after: Duration,
}

pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

pub async fn run(setup: &Setup, cache: bool, jwts: Vec<String>) -> RunResult {
    let mode = if cache { "on" } else { "off" };
    let load_before = loadavg();
    let args: Vec<&str> = setup.emulator_args.iter().map(String::as_str).collect();
    let emulator = EmulatorProcess::start(&setup.emulator_bin, &args);
    let proxy = CountingProxy::start(&emulator.endpoint).await;
    let connection_string = connection_string_for(
        &emulator.connection_string,
        &format!("http://{}/", proxy.addr),
    );
    let db = setup.dir.join(format!("bench-cache-{mode}.db"));
    remove_database(&db);
    let env = [
        (
            "COMMUNICATION_SERVICES_CONNECTION_STRING",
            connection_string,
        ),
        ("ACS_TOKEN_SERVICE_LISTEN", "127.0.0.1:0".to_owned()),
        (
            "ACS_TOKEN_SERVICE_DATABASE_URL",
            format!("sqlite://{}", db.display()),
        ),
        ("ACS_TOKEN_SERVICE_ISSUER", ISSUER.to_owned()),
        (
            "ACS_TOKEN_SERVICE_JWKS_URL",
            format!("file://{}", setup.jwks_path.display()),
        ),
        ("ACS_TOKEN_SERVICE_AUDIENCE", AUDIENCE.to_owned()),
        ("ACS_TOKEN_SERVICE_CACHE", mode.to_owned()),
    ];
    let (bin, log) = (
        setup.service_bin.clone(),
        setup.dir.join(format!("service-cache-{mode}.log")),
    );
    let service = tokio::task::spawn_blocking(move || {
        let env: Vec<(&str, String)> = env.iter().map(|(k, v)| (*k, v.clone())).collect();
        TokenService::start(&bin, &env, &log)
    })
    .await
    .expect("the service starts");
    eprintln!(
        "cache {mode}: emulator {} (ready in {:?}), proxy {}, service {} (pid {}, ready in {:?}); {} users x {} requests over {:?} ...",
        emulator.endpoint,
        emulator.ready_after,
        proxy.addr,
        service.base_url,
        service.pid(),
        service.ready_after,
        setup.plan.users,
        setup.plan.requests,
        setup.plan.spread,
    );

    let outcome = load::run(&setup.plan, &service.base_url, jwts).await;

    let metrics = load::get_text(&format!("{}/metrics", service.base_url)).await;
    if let Some(text) = &metrics {
        let _ = std::fs::write(setup.dir.join(format!("metrics-cache-{mode}.txt")), text);
    }
    let counts = proxy.take_counts();
    let service_ready_after = service.ready_after;
    tokio::task::spawn_blocking(move || {
        service.stop();
        emulator.stop();
    })
    .await
    .expect("stop the processes");
    RunResult {
        cache,
        outcome,
        counts,
        metrics,
        load_before,
        load_after: loadavg(),
        service_ready_after,
    }
}

fn remove_database(db: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
}
