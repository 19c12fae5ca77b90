//! Scale: the emulator binary (its own process) holding 10^4, 10^5 and 10^6 identities, in
//! memory and with `--data-dir`.
//!
//! ```text
//! cargo bench --bench scale
//! ACS_SCALE_COUNTS=10000,100000 ACS_SCALE_MODES=data-dir cargo bench --bench scale
//! ```
//!
//! For each store and count it starts a fresh emulator, creates the identities through HTTP
//! (`create_user` from one shared client in this process, `ACS_SCALE_CONCURRENCY` tasks), and
//! measures:
//!
//! * how long populating took (creates/s);
//! * the emulator's RSS (`VmRSS`) before and after, and the RSS per identity;
//! * `get_token` latency, p50 / p99 over `ACS_SCALE_CALLS` sequential calls, each to an
//!   identity picked evenly from the whole population;
//! * with `--data-dir`: the directory's size after a graceful stop (SIGTERM), the restart time
//!   (spawn to the `RESOURCE_ID=` line, which the emulator prints once it has loaded its
//!   data and listens), RSS after the restart, and `get_token` latency again.
//!
//! Before a count it projects the populating time from the previous count's creates/s; a count
//! projected to take more than `ACS_SCALE_MAX_POPULATE_SECS` is reported as not run.
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `ACS_SCALE_COUNTS` | `10000,100000,1000000` | identity counts |
//! | `ACS_SCALE_MODES` | `memory,data-dir` | stores |
//! | `ACS_SCALE_CONCURRENCY` | 64 | concurrent creates while populating |
//! | `ACS_SCALE_CALLS` | 1000 | `get_token` calls per latency measurement |
//! | `ACS_SCALE_MAX_POPULATE_SECS` | 300 | longest projected populating time to run a count |
//! | `ACS_SCALE_DIR` | the temporary directory | where data directories are made (and removed) |
//! | `ACS_EMULATOR_BIN` | built by the bench | the `acs-identity-emulator` binary to run |
//!
//! Linux only (`/proc`). Traffic goes to 127.0.0.1 only.

mod support;

use acs_identity::{CommunicationIdentityClient, CommunicationTokenScope};
use std::{
    path::Path,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};
use support::{emulator_binary, env_or, rss_mb, EmulatorProcess, Histogram};

struct Row {
    mode: String,
    count: u64,
    /// `None`: not run (projected too long).
    run: Option<Measured>,
    projected_s: f64,
}

struct Measured {
    populate_s: f64,
    create_errors: u64,
    rss_idle: f64,
    rss_full: f64,
    token: Latency,
    data_dir_bytes: Option<u64>,
    restart_s: Option<f64>,
    rss_restarted: Option<f64>,
    token_restarted: Option<Latency>,
    remembered: Option<u64>,
}

#[derive(Clone, Copy)]
struct Latency {
    p50: f64,
    p99: f64,
    errors: u64,
}

fn main() {
    if !support::run_by_cargo_bench("scale") {
        return;
    }
    let counts: Vec<u64> = std::env::var("ACS_SCALE_COUNTS")
        .unwrap_or_else(|_| "10000,100000,1000000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .filter(|&n| n > 0)
        .collect();
    let modes: Vec<String> = std::env::var("ACS_SCALE_MODES")
        .unwrap_or_else(|_| "memory,data-dir".into())
        .split(',')
        .map(|s| s.trim().to_owned())
        .filter(|s| s == "memory" || s == "data-dir")
        .collect();
    let concurrency: usize = env_or("ACS_SCALE_CONCURRENCY", 64usize).clamp(1, 1024);
    let calls: usize = env_or("ACS_SCALE_CALLS", 1000usize).clamp(10, 1_000_000);
    let max_populate: f64 = env_or("ACS_SCALE_MAX_POPULATE_SECS", 300.0);
    let base_dir = std::env::var("ACS_SCALE_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| std::env::temp_dir());
    let bin = emulator_binary();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");

    let mut rows = Vec::new();
    for mode in &modes {
        let mut rate: Option<f64> = None; // creates/s of the previous count
        for &count in &counts {
            let projected_s = rate.map_or(0.0, |r| count as f64 / r);
            if projected_s > max_populate {
                eprintln!(
                    "scale: {mode} {count}: not run, populating projected at {projected_s:.0} s (> {max_populate} s)"
                );
                rows.push(Row {
                    mode: mode.clone(),
                    count,
                    run: None,
                    projected_s,
                });
                continue;
            }
            let dir = (mode == "data-dir").then(|| {
                tempfile::Builder::new()
                    .prefix("acs-scale-")
                    .tempdir_in(&base_dir)
                    .expect("a data directory")
            });
            let m = rt.block_on(measure(
                &bin,
                dir.as_ref().map(|d| d.path()),
                count,
                concurrency,
                calls,
            ));
            rate = Some(count as f64 / m.populate_s);
            eprintln!(
                "scale: {mode} {count}: populated in {:.1} s ({:.0}/s), RSS {:.1} → {:.1} MB, get_token p50 {:.3} ms p99 {:.3} ms{}",
                m.populate_s,
                count as f64 / m.populate_s,
                m.rss_idle,
                m.rss_full,
                m.token.p50,
                m.token.p99,
                m.restart_s
                    .map_or(String::new(), |s| format!(", restart {s:.2} s"))
            );
            rows.push(Row {
                mode: mode.clone(),
                count,
                run: Some(m),
                projected_s,
            });
        }
    }
    print_table(&rows, concurrency, calls);
}

async fn measure(
    bin: &Path,
    dir: Option<&Path>,
    count: u64,
    concurrency: usize,
    calls: usize,
) -> Measured {
    let dir_arg = dir.map(|d| d.to_str().expect("a UTF-8 data directory").to_owned());
    let args: Vec<&str> = match &dir_arg {
        Some(d) => vec!["--data-dir", d.as_str()],
        None => vec![],
    };
    let emulator = EmulatorProcess::start(bin, &args);
    let pid = emulator.pid().to_string();
    // Let the runtime settle before the idle reading.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let rss_idle = rss_mb(&pid).unwrap_or(0.0);
    let client = Arc::new(
        CommunicationIdentityClient::from_connection_string(&emulator.connection_string, None)
            .expect("client"),
    );

    // Populate: `concurrency` tasks take indices from one counter until `count`.
    let stride = (count / calls as u64).max(1);
    let picked = Arc::new(Mutex::new(Vec::with_capacity(calls + 1)));
    let next = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let t0 = Instant::now();
    // Far more than any populating here takes; a stuck run ends.
    let deadline = t0 + Duration::from_secs(1800);
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (client, picked, next, errors) = (
                Arc::clone(&client),
                Arc::clone(&picked),
                Arc::clone(&next),
                Arc::clone(&errors),
            );
            tokio::spawn(async move {
                // Bounded: each pass takes an index or stops; failures do not take one, and
                // more than 1000 of them stop everything.
                while Instant::now() < deadline && errors.load(Ordering::Relaxed) < 1000 {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count {
                        break;
                    }
                    match client.create_user(None).await {
                        Ok(user) => {
                            if i % stride == 0 {
                                picked.lock().unwrap().push(user);
                            }
                        }
                        Err(e) => {
                            if errors.fetch_add(1, Ordering::Relaxed) == 0 {
                                eprintln!("create_user: {e}");
                            }
                            next.fetch_sub(1, Ordering::Relaxed);
                        }
                    }
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let populate_s = t0.elapsed().as_secs_f64();
    let remembered = support::emulator_identities(&emulator.endpoint);
    let rss_full = rss_mb(&pid).unwrap_or(0.0);
    let users = std::mem::take(&mut *picked.lock().unwrap());
    let token = token_latency(&client, &users, calls).await;

    let (mut data_dir_bytes, mut restart_s, mut rss_restarted, mut token_restarted) =
        (None, None, None, None);
    if let Some(dir) = dir {
        drop(client);
        emulator.stop(); // SIGTERM: SQLite checkpoints its WAL into the database on close
        data_dir_bytes = Some(support::dir_bytes(dir));
        let emulator = EmulatorProcess::start(bin, &args);
        restart_s = Some(emulator.ready_after.as_secs_f64());
        let pid = emulator.pid().to_string();
        let after = support::emulator_identities(&emulator.endpoint);
        assert_eq!(
            after, remembered,
            "the restarted emulator has every identity"
        );
        rss_restarted = rss_mb(&pid);
        let client =
            CommunicationIdentityClient::from_connection_string(&emulator.connection_string, None)
                .expect("client");
        token_restarted = Some(token_latency(&client, &users, calls).await);
        emulator.stop();
    } else {
        emulator.stop();
    }
    Measured {
        populate_s,
        create_errors: errors.load(Ordering::Relaxed),
        rss_idle,
        rss_full,
        token,
        data_dir_bytes,
        restart_s,
        rss_restarted,
        token_restarted,
        remembered,
    }
}

/// `calls` sequential `get_token`s over `users` (round robin), after 50 unmeasured ones.
async fn token_latency(
    client: &CommunicationIdentityClient,
    users: &[acs_identity::CommunicationUserIdentifier],
    calls: usize,
) -> Latency {
    let scopes = [CommunicationTokenScope::Chat, CommunicationTokenScope::VoIP];
    let histogram = Histogram::new();
    let mut errors = 0;
    if users.is_empty() {
        return Latency {
            p50: 0.0,
            p99: 0.0,
            errors: calls as u64,
        };
    }
    for i in 0..50 + calls {
        let user = &users[i % users.len()];
        let t0 = Instant::now();
        let ok = client.get_token(user, &scopes, None).await.is_ok();
        if i >= 50 {
            if ok {
                histogram.record(t0.elapsed());
            } else {
                errors += 1;
            }
        }
    }
    Latency {
        p50: histogram.quantile_ms(0.50),
        p99: histogram.quantile_ms(0.99),
        errors,
    }
}

fn print_table(rows: &[Row], concurrency: usize, calls: usize) {
    println!();
    println!(
        "scale: identities created through HTTP at concurrency {concurrency}; get_token p50/p99 over {calls} sequential calls ({})",
        support::machine_line()
    );
    println!("| store | identities | populate s | creates/s | emulator RSS MB (empty → full) | RSS bytes/identity | data-dir MB | restart s | RSS after restart MB | get_token p50 / p99 ms | after restart p50 / p99 ms | errors |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let opt = |v: Option<f64>, prec: usize| v.map_or("".to_owned(), |v| format!("{v:.prec$}"));
    for r in rows {
        let Some(m) = &r.run else {
            println!(
                "| {} | {} | not run (projected {:.0} s) | | | | | | | | | |",
                r.mode, r.count, r.projected_s
            );
            continue;
        };
        let per_identity = (m.rss_full - m.rss_idle) * 1024.0 * 1024.0 / r.count as f64;
        let errors = m.create_errors
            + m.token.errors
            + m.token_restarted.map_or(0, |t| t.errors)
            + u64::from(m.remembered != Some(r.count));
        println!(
            "| {} | {} | {:.1} | {:.0} | {:.1} → {:.1} | {:.0} | {} | {} | {} | {:.3} / {:.3} | {} | {} |",
            r.mode,
            r.count,
            m.populate_s,
            r.count as f64 / m.populate_s,
            m.rss_idle,
            m.rss_full,
            per_identity,
            opt(m.data_dir_bytes.map(|b| b as f64 / 1e6), 1),
            opt(m.restart_s, 2),
            opt(m.rss_restarted, 1),
            m.token.p50,
            m.token.p99,
            m.token_restarted
                .map_or(String::new(), |t| format!("{:.3} / {:.3}", t.p50, t.p99)),
            errors,
        );
    }
    println!("(errors: failed creates + failed get_token calls + 1 if the emulator's identity count was not the count created)");
}
