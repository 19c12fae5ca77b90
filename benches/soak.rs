//! Soak: the emulator binary in its own process and ONE shared client in this process, at
//! concurrency 64 for a minute (by default) of mixed operations, sampling both processes' RSS
//! every second.
//!
//! ```text
//! cargo bench --bench soak                                 # 60 s at concurrency 64
//! ACS_SOAK_SECS=600 ACS_SOAK_CONCURRENCY=16 cargo bench --bench soak
//! ```
//!
//! Each task runs a cycle, over and over until the time is up (it finishes the cycle it is in,
//! so everything it created is deleted):
//!
//! 1. `create_user`, every other cycle with a `custom_id` (from a pool of 4 per task);
//! 2. `get_token` × 8;
//! 3. `get_user_detail` (its `custom_id` must be the one created with);
//! 4. `revoke_tokens`, then `get_token` once more;
//! 5. Teams Extension assignment `PUT`, `GET`, `DELETE` (one object id per task);
//! 6. `delete_user`.
//!
//! The client uses api-version `2025-03-02-preview`, the one that has all of these. At most
//! `concurrency` identities and assignments are live at a time. The emulator remembers deleted
//! identities (so that their tokens validate as `identityDeleted`), so its table grows by one
//! small record per create: the bench prints that count (`GET /_emulator/health`) before and
//! after.
//!
//! It prints a table per 10 s window (calls/s, p50 and p99 of every call in the window,
//! errors, RSS at the window's end, CPU) and one per operation, and draws RSS of both
//! processes and p99 (per second and per window) over time as an SVG.
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `ACS_SOAK_SECS` | 60 | length of the run, in seconds (at least 10) |
//! | `ACS_SOAK_CONCURRENCY` | 64 | tasks sharing the one client |
//! | `ACS_SOAK_SVG` | `benches/soak.svg` | where to write the chart (`-` for none) |
//! | `ACS_EMULATOR_BIN` | built by the bench | the `acs-identity-emulator` binary to run |
//!
//! Linux only (`/proc`). Traffic goes to 127.0.0.1 only.

mod support;

use acs_identity::{
    models::api_version, CommunicationIdentityClient, CommunicationIdentityClientOptions,
    CommunicationTokenScope, CommunicationUserIdentifier, CreateUserOptions,
    TeamsExtensionAssignment, TeamsExtensionPrincipalType,
};
use std::{
    fmt::Write as _,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};
use support::{cpu_seconds, emulator_binary, env_or, rss_mb, EmulatorProcess, Histogram};

const WINDOW_SECS: u64 = 10;
const TOKENS_PER_CYCLE: usize = 8;
const TENANT_ID: &str = "7a5f3c2e-9d41-4b8a-a6e0-50a450a450a4";
const CLIENT_ID: &str = "1fd5d3a1-8f0b-4a7c-9e2d-6b5a4c3d2e1f";
/// Errors kept verbatim (the first of each operation, up to this many in all).
const MAX_ERROR_TEXTS: usize = 16;

#[derive(Clone, Copy)]
#[repr(usize)]
enum Op {
    CreateUser,
    CreateUserCustomId,
    GetToken,
    GetUserDetail,
    RevokeTokens,
    PutAssignment,
    GetAssignment,
    DeleteAssignment,
    DeleteUser,
}

const OP_NAMES: [&str; 9] = [
    "create_user",
    "create_user (custom_id)",
    "get_token",
    "get_user_detail",
    "revoke_tokens",
    "create_or_replace_teams_extension_assignment",
    "get_teams_extension_assignment",
    "delete_teams_extension_assignment",
    "delete_user",
];

/// Counters that calls write into and the sampler reads. Per-second and per-window
/// histograms rotate through 3 slots: while calls finish into slot `k % 3`, the sampler reads
/// and clears slot `(k - 1) % 3`, which is next written at `k + 2`.
struct Stats {
    start: Instant,
    end: Instant,
    second: [Histogram; 3],
    window: [Histogram; 3],
    window_errors: [AtomicU64; 3],
    op: Vec<Histogram>,
    op_errors: Vec<AtomicU64>,
    error_texts: Mutex<Vec<String>>,
}

impl Stats {
    fn new(secs: u64) -> Self {
        let start = Instant::now();
        Stats {
            start,
            end: start + Duration::from_secs(secs),
            second: [Histogram::new(), Histogram::new(), Histogram::new()],
            window: [Histogram::new(), Histogram::new(), Histogram::new()],
            window_errors: Default::default(),
            op: OP_NAMES.iter().map(|_| Histogram::new()).collect(),
            op_errors: OP_NAMES.iter().map(|_| AtomicU64::new(0)).collect(),
            error_texts: Mutex::new(Vec::with_capacity(MAX_ERROR_TEXTS)),
        }
    }

    /// Records one call that started at `t0` and ended now; calls that end after the run
    /// (a task finishing its cycle) are not counted.
    fn record<T>(&self, op: Op, t0: Instant, result: &Result<T, String>) {
        let t1 = Instant::now();
        if t1 > self.end {
            return;
        }
        let s = t1.duration_since(self.start).as_secs();
        let w = s / WINDOW_SECS;
        match result {
            Ok(_) => {
                let d = t1.duration_since(t0);
                self.second[(s % 3) as usize].record(d);
                self.window[(w % 3) as usize].record(d);
                self.op[op as usize].record(d);
            }
            Err(e) => {
                self.window_errors[(w % 3) as usize].fetch_add(1, Ordering::Relaxed);
                if self.op_errors[op as usize].fetch_add(1, Ordering::Relaxed) == 0 {
                    let mut texts = self.error_texts.lock().unwrap();
                    if texts.len() < MAX_ERROR_TEXTS {
                        texts.push(format!("{}: {e}", OP_NAMES[op as usize]));
                    }
                }
            }
        }
    }
}

async fn timed<T, E: std::fmt::Display>(
    stats: &Stats,
    op: Op,
    call: impl std::future::Future<Output = Result<T, E>>,
) -> Option<T> {
    let t0 = Instant::now();
    let result = call.await.map_err(|e| e.to_string());
    stats.record(op, t0, &result);
    result.ok()
}

/// One task: cycles until the run's end, each bounded (15 calls), at most `max_cycles`.
async fn task(n: usize, client: Arc<CommunicationIdentityClient>, stats: Arc<Stats>) {
    let scopes = [CommunicationTokenScope::Chat, CommunicationTokenScope::VoIP];
    let assignment = TeamsExtensionAssignment {
        tenant_id: TENANT_ID.to_owned(),
        object_id: format!("{:08x}-50a4-4000-8000-{n:012x}", 0x0b1e_0000 + n),
        principal_type: TeamsExtensionPrincipalType::User,
        client_ids: vec![CLIENT_ID.to_owned()],
    };
    // More cycles than a task can run at ~10 µs per call: only the clock stops it.
    let max_cycles = (stats.end - stats.start).as_secs() * 10_000;
    for cycle in 0..max_cycles {
        if Instant::now() >= stats.end {
            break;
        }
        let custom_id = (cycle % 2 == 1).then(|| format!("soak-{n}-{}", cycle % 8));
        let (op, options) = match &custom_id {
            Some(c) => (
                Op::CreateUserCustomId,
                CreateUserOptions {
                    custom_id: Some(c.clone()),
                    ..Default::default()
                },
            ),
            None => (Op::CreateUser, CreateUserOptions::default()),
        };
        let Some(user) = timed(&stats, op, client.create_user(Some(options))).await else {
            // Do not spin on a failing create.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        cycle_calls(
            &client,
            &stats,
            &user,
            custom_id.as_deref(),
            &scopes,
            &assignment,
        )
        .await;
        timed(&stats, Op::DeleteUser, client.delete_user(&user, None)).await;
    }
}

async fn cycle_calls(
    client: &CommunicationIdentityClient,
    stats: &Stats,
    user: &CommunicationUserIdentifier,
    custom_id: Option<&str>,
    scopes: &[CommunicationTokenScope],
    assignment: &TeamsExtensionAssignment,
) {
    for _ in 0..TOKENS_PER_CYCLE {
        timed(stats, Op::GetToken, client.get_token(user, scopes, None)).await;
    }
    timed(stats, Op::GetUserDetail, async {
        let detail = client
            .get_user_detail(user, None)
            .await
            .map_err(|e| e.to_string())?;
        if detail.custom_id.as_deref() != custom_id || detail.last_token_issued_at.is_none() {
            return Err(format!(
                "get_user_detail answered custom_id {:?} (expected {custom_id:?}), last_token_issued_at {:?}",
                detail.custom_id, detail.last_token_issued_at
            ));
        }
        Ok::<(), String>(())
    })
    .await;
    timed(stats, Op::RevokeTokens, client.revoke_tokens(user, None)).await;
    timed(stats, Op::GetToken, client.get_token(user, scopes, None)).await;
    timed(
        stats,
        Op::PutAssignment,
        client.create_or_replace_teams_extension_assignment(assignment, None),
    )
    .await;
    timed(stats, Op::GetAssignment, async {
        let got = client
            .get_teams_extension_assignment(&assignment.tenant_id, &assignment.object_id, None)
            .await
            .map_err(|e| e.to_string())?;
        if &got != assignment {
            return Err(format!("got {got:?}, expected {assignment:?}"));
        }
        Ok::<(), String>(())
    })
    .await;
    timed(
        stats,
        Op::DeleteAssignment,
        client.delete_teams_extension_assignment(
            &assignment.tenant_id,
            &assignment.object_id,
            None,
        ),
    )
    .await;
}

/// One sample per second: RSS of both processes, p99 and count of the calls of that second.
#[derive(Clone, Copy)]
struct Sample {
    t: f64,
    client_rss: f64,
    emulator_rss: f64,
    p99_ms: f64,
    calls: u64,
}

/// One row per 10 s window.
struct Window {
    end_s: u64,
    calls: u64,
    errors: u64,
    p50_ms: f64,
    p99_ms: f64,
    client_rss: f64,
    emulator_rss: f64,
    client_cpu: f64,
    emulator_cpu: f64,
}

/// Sleeps until each second of the run has passed and reads it; returns after the last one.
fn sample(stats: &Stats, emulator_pid: &str) -> (Vec<Sample>, Vec<Window>) {
    let secs = (stats.end - stats.start).as_secs();
    let mut samples = Vec::with_capacity(secs as usize + 1);
    let mut windows = Vec::with_capacity((secs / WINDOW_SECS) as usize + 1);
    let cpu = || {
        (
            cpu_seconds("self").unwrap_or(0.0),
            cpu_seconds(emulator_pid).unwrap_or(0.0),
        )
    };
    let mut cpu_at_window_start = cpu();
    samples.push(Sample {
        t: 0.0,
        client_rss: rss_mb("self").unwrap_or(0.0),
        emulator_rss: rss_mb(emulator_pid).unwrap_or(0.0),
        p99_ms: 0.0,
        calls: 0,
    });
    for s in 1..=secs {
        // A little after second `s` ended, so the calls of second s - 1 are all in.
        let at = stats.start + Duration::from_secs(s) + Duration::from_millis(20);
        std::thread::sleep(at.saturating_duration_since(Instant::now()));
        let h = &stats.second[((s - 1) % 3) as usize];
        let sample = Sample {
            t: s as f64,
            client_rss: rss_mb("self").unwrap_or(0.0),
            emulator_rss: rss_mb(emulator_pid).unwrap_or(0.0),
            p99_ms: h.quantile_ms(0.99),
            calls: h.count(),
        };
        h.reset();
        samples.push(sample);
        if s % WINDOW_SECS == 0 || s == secs {
            let w = ((s - 1) / WINDOW_SECS) % 3;
            let h = &stats.window[w as usize];
            let (c, e) = cpu();
            windows.push(Window {
                end_s: s,
                calls: h.count(),
                errors: stats.window_errors[w as usize].swap(0, Ordering::Relaxed),
                p50_ms: h.quantile_ms(0.50),
                p99_ms: h.quantile_ms(0.99),
                client_rss: sample.client_rss,
                emulator_rss: sample.emulator_rss,
                client_cpu: c - cpu_at_window_start.0,
                emulator_cpu: e - cpu_at_window_start.1,
            });
            h.reset();
            cpu_at_window_start = (c, e);
        }
        eprint!(
            "\rsoak: {s:>4}/{secs} s  {:>6} calls/s  p99 {:>6.2} ms  client {:>5.1} MB  emulator {:>5.1} MB ",
            sample.calls, sample.p99_ms, sample.client_rss, sample.emulator_rss
        );
    }
    eprintln!();
    (samples, windows)
}

fn main() {
    if !support::run_by_cargo_bench("soak") {
        return;
    }
    let secs: u64 = env_or("ACS_SOAK_SECS", 60u64).max(WINDOW_SECS);
    let concurrency: usize = env_or("ACS_SOAK_CONCURRENCY", 64usize).clamp(1, 4096);
    let svg_path = std::env::var("ACS_SOAK_SVG")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/benches/soak.svg").into());

    let emulator = EmulatorProcess::start(&emulator_binary(), &[]);
    let emulator_pid = emulator.pid().to_string();
    let identities_before = support::emulator_identities(&emulator.endpoint);
    eprintln!(
        "soak: {secs} s at concurrency {concurrency}, emulator pid {emulator_pid} at {}",
        emulator.endpoint
    );

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let client = Arc::new(
        CommunicationIdentityClient::from_connection_string(
            &emulator.connection_string,
            Some(CommunicationIdentityClientOptions {
                api_version: api_version::V2025_03_02_PREVIEW.to_owned(),
                ..Default::default()
            }),
        )
        .expect("client"),
    );
    let stats = Arc::new(Stats::new(secs));
    let tasks: Vec<_> = (0..concurrency)
        .map(|n| rt.spawn(task(n, Arc::clone(&client), Arc::clone(&stats))))
        .collect();
    let (samples, windows) = sample(&stats, &emulator_pid);
    rt.block_on(async {
        // Each task finishes the cycle it is in (at most 15 calls) after the end.
        let deadline = Instant::now() + Duration::from_secs(60);
        for t in tasks {
            let left = deadline.saturating_duration_since(Instant::now());
            if tokio::time::timeout(left, t).await.is_err() {
                eprintln!("soak: a task did not finish its last cycle within 60 s");
            }
        }
    });
    let identities_after = support::emulator_identities(&emulator.endpoint);
    let client_hwm = support::status_mb("self", "VmHWM").unwrap_or(0.0);
    let emulator_hwm = support::status_mb(&emulator_pid, "VmHWM").unwrap_or(0.0);
    drop(rt);
    emulator.stop();

    let total_errors: u64 = stats
        .op_errors
        .iter()
        .map(|e| e.load(Ordering::Relaxed))
        .sum();
    print_report(
        secs,
        concurrency,
        &samples,
        &windows,
        &stats,
        (identities_before, identities_after),
        (client_hwm, emulator_hwm),
    );
    if svg_path != "-" {
        std::fs::write(&svg_path, svg(&samples, &windows, secs, concurrency))
            .unwrap_or_else(|e| panic!("write {svg_path}: {e}"));
        println!("chart: {svg_path}");
    }
    if total_errors > 0 {
        eprintln!("soak: {total_errors} error(s)");
        std::process::exit(1);
    }
}

fn print_report(
    secs: u64,
    concurrency: usize,
    samples: &[Sample],
    windows: &[Window],
    stats: &Stats,
    identities: (Option<u64>, Option<u64>),
    hwm: (f64, f64),
) {
    println!();
    println!(
        "soak: {secs} s, concurrency {concurrency}, one client, mixed operations ({})",
        support::machine_line()
    );
    println!("| window | calls | calls/s | p50 ms | p99 ms | errors | client RSS MB | emulator RSS MB | client CPU | emulator CPU |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut from = 0;
    for w in windows {
        let len = (w.end_s - from) as f64;
        println!(
            "| {from}–{} s | {} | {:.0} | {:.3} | {:.3} | {} | {:.1} | {:.1} | {:.0}% | {:.0}% |",
            w.end_s,
            w.calls,
            w.calls as f64 / len,
            w.p50_ms,
            w.p99_ms,
            w.errors,
            w.client_rss,
            w.emulator_rss,
            100.0 * w.client_cpu / len,
            100.0 * w.emulator_cpu / len,
        );
        from = w.end_s;
    }
    println!();
    println!("| operation | calls | p50 ms | p99 ms | errors |");
    println!("|---|---:|---:|---:|---:|");
    for (i, name) in OP_NAMES.iter().enumerate() {
        let h = &stats.op[i];
        println!(
            "| {name} | {} | {:.3} | {:.3} | {} |",
            h.count(),
            h.quantile_ms(0.50),
            h.quantile_ms(0.99),
            stats.op_errors[i].load(Ordering::Relaxed)
        );
    }
    println!();
    let at = |t: f64| samples.iter().find(|s| s.t >= t).or(samples.last());
    if let (Some(first), Some(warm), Some(last)) = (at(1.0), at(WINDOW_SECS as f64), samples.last())
    {
        println!(
            "RSS growth after warm-up ({} s → {} s): client {:+.2} MB ({:.1} → {:.1}), emulator {:+.2} MB ({:.1} → {:.1}); from 1 s: client {:+.2} MB, emulator {:+.2} MB; peak (VmHWM): client {:.1} MB, emulator {:.1} MB",
            warm.t,
            last.t,
            last.client_rss - warm.client_rss,
            warm.client_rss,
            last.client_rss,
            last.emulator_rss - warm.emulator_rss,
            warm.emulator_rss,
            last.emulator_rss,
            last.client_rss - first.client_rss,
            last.emulator_rss - first.emulator_rss,
            hwm.0,
            hwm.1,
        );
    }
    let fmt = |v: Option<u64>| v.map_or("?".into(), |v| v.to_string());
    println!(
        "identities the emulator remembers (live + deleted, GET /_emulator/health): {} before, {} after",
        fmt(identities.0),
        fmt(identities.1)
    );
    let texts = stats.error_texts.lock().unwrap();
    let total: u64 = stats
        .op_errors
        .iter()
        .map(|e| e.load(Ordering::Relaxed))
        .sum();
    println!("errors: {total}");
    for t in texts.iter() {
        println!("  {t}");
    }
}

// ---------------------------------------------------------------------------
// The chart, as hand-written SVG: two panels (RSS; p99), a few dozen elements.

fn svg(samples: &[Sample], windows: &[Window], secs: u64, concurrency: usize) -> String {
    const W: f64 = 820.0;
    const LEFT: f64 = 64.0;
    const RIGHT: f64 = 190.0;
    const PANEL_H: f64 = 190.0;
    const TOP1: f64 = 44.0;
    const TOP2: f64 = TOP1 + PANEL_H + 56.0;
    const H: f64 = TOP2 + PANEL_H + 44.0;
    let plot_w = W - LEFT - RIGHT;
    let x = |t: f64| LEFT + plot_w * t / secs as f64;
    let mut out = String::new();
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="{LEFT}" y="22" font-size="15" font-weight="bold">Soak: {secs} s, {concurrency} tasks, one client, mixed operations against the emulator</text>
"##
    );
    let nice_max = |v: f64| {
        let v = v.max(1e-9) * 1.15;
        let step = 10f64.powf(v.log10().floor());
        (v / step).ceil() * step
    };
    // A panel: frame, y grid with labels, x ticks every 10 s.
    let panel = |out: &mut String, top: f64, y_max: f64, y_label: &str| {
        let _ = writeln!(
            out,
            r##"<rect x="{LEFT}" y="{top}" width="{plot_w}" height="{PANEL_H}" fill="none" stroke="#444"/>"##
        );
        for i in 0..=4 {
            let v = y_max * i as f64 / 4.0;
            let y = top + PANEL_H - PANEL_H * i as f64 / 4.0;
            let _ = writeln!(
                out,
                r##"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
                LEFT + plot_w,
                LEFT - 6.0,
                y + 4.0,
                trim(v)
            );
        }
        let step = if secs <= 120 {
            10
        } else {
            (secs / 12).div_ceil(10) * 10
        };
        let mut t = 0;
        while t <= secs {
            let xt = x(t as f64);
            let _ = writeln!(
                out,
                r##"<line x1="{xt:.1}" y1="{:.1}" x2="{xt:.1}" y2="{:.1}" stroke="#444"/><text x="{xt:.1}" y="{:.1}" text-anchor="middle">{t}</text>"##,
                top + PANEL_H,
                top + PANEL_H + 4.0,
                top + PANEL_H + 17.0
            );
            t += step;
        }
        let _ = writeln!(
            out,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle">seconds</text><text transform="translate(16 {:.1}) rotate(-90)" text-anchor="middle">{y_label}</text>"##,
            LEFT + plot_w / 2.0,
            top + PANEL_H + 32.0,
            top + PANEL_H / 2.0
        );
    };
    let polyline = |out: &mut String,
                    points: &mut dyn Iterator<Item = (f64, f64)>,
                    top: f64,
                    y_max: f64,
                    style: &str| {
        let pts: Vec<String> = points
            .map(|(t, v)| {
                format!(
                    "{:.1},{:.1}",
                    x(t),
                    top + PANEL_H - PANEL_H * (v / y_max).min(1.0)
                )
            })
            .collect();
        let _ = writeln!(
            out,
            r##"<polyline fill="none" {style} points="{}"/>"##,
            pts.join(" ")
        );
    };
    let legend = |out: &mut String, top: f64, i: usize, color: &str, dash: &str, text: &str| {
        let lx = LEFT + plot_w + 14.0;
        let ly = top + 14.0 + 20.0 * i as f64;
        let _ = writeln!(
            out,
            r##"<line x1="{lx:.1}" y1="{ly:.1}" x2="{:.1}" y2="{ly:.1}" stroke="{color}" stroke-width="2.5" {dash}/><text x="{:.1}" y="{:.1}">{text}</text>"##,
            lx + 22.0,
            lx + 28.0,
            ly + 4.0
        );
    };

    // Panel 1: RSS. The first sample (before any call) is left out of the scale but drawn.
    let rss_max = nice_max(
        samples
            .iter()
            .map(|s| s.client_rss.max(s.emulator_rss))
            .fold(0.0, f64::max),
    );
    let _ = writeln!(
        out,
        r##"<text x="{LEFT}" y="{:.1}" font-weight="bold">RSS (VmRSS, sampled every second)</text>"##,
        TOP1 - 8.0
    );
    panel(&mut out, TOP1, rss_max, "MB");
    polyline(
        &mut out,
        &mut samples.iter().map(|s| (s.t, s.emulator_rss)),
        TOP1,
        rss_max,
        r##"stroke="#d9480f" stroke-width="2.5""##,
    );
    polyline(
        &mut out,
        &mut samples.iter().map(|s| (s.t, s.client_rss)),
        TOP1,
        rss_max,
        r##"stroke="#1c7ed6" stroke-width="2.5""##,
    );
    let last = samples.last().copied();
    let label = |name: &str, v: Option<f64>| format!("{name} {:.1} MB", v.unwrap_or(0.0));
    legend(
        &mut out,
        TOP1,
        0,
        "#d9480f",
        "",
        &label("emulator", last.map(|s| s.emulator_rss)),
    );
    legend(
        &mut out,
        TOP1,
        1,
        "#1c7ed6",
        "",
        &label("client", last.map(|s| s.client_rss)),
    );

    // Panel 2: p99 per second and per window.
    let p99_max = nice_max(
        samples
            .iter()
            .skip(1)
            .map(|s| s.p99_ms)
            .chain(windows.iter().map(|w| w.p99_ms))
            .fold(0.0, f64::max),
    );
    let _ = writeln!(
        out,
        r##"<text x="{LEFT}" y="{:.1}" font-weight="bold">p99 latency of all calls</text>"##,
        TOP2 - 8.0
    );
    panel(&mut out, TOP2, p99_max, "ms");
    polyline(
        &mut out,
        &mut samples
            .iter()
            .skip(1)
            .filter(|s| s.calls > 0)
            .map(|s| (s.t - 0.5, s.p99_ms)),
        TOP2,
        p99_max,
        r##"stroke="#868e96" stroke-width="1.2""##,
    );
    let mut from = 0.0;
    let mut steps = Vec::new();
    for w in windows {
        steps.push((from, w.p99_ms));
        steps.push((w.end_s as f64, w.p99_ms));
        from = w.end_s as f64;
    }
    polyline(
        &mut out,
        &mut steps.into_iter(),
        TOP2,
        p99_max,
        r##"stroke="#2b8a3e" stroke-width="2.5""##,
    );
    legend(&mut out, TOP2, 0, "#868e96", "", "per second");
    legend(&mut out, TOP2, 1, "#2b8a3e", "", "per 10 s window");
    out.push_str("</svg>\n");
    out
}

/// A tick label: no trailing zeros.
fn trim(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}
