//! The markdown tables: machine, app-facing figures, responses by status, ACS calls per user
//! by operation (the proxy's count), the targets met or missed, and a timeline.

use super::{
    load::{Outcome, WINDOW_SECS},
    proxy::{Counts, Op},
    run::RunResult,
};
use std::{collections::BTreeSet, fmt::Write as _};

/// The service's documented limit for issue, create and createUserAndToken (anchors §2).
pub const MINT_LIMIT_PER_30S: u64 = 1000;
/// The cached-token latency target.
const CACHED_P99_TARGET_MS: f64 = 5.0;

pub struct Header {
    pub machine: String,
    pub rustc: String,
    pub date: String,
    pub setup: String,
}

fn mode(r: &RunResult) -> &'static str {
    if r.cache {
        "cache on"
    } else {
        "cache off (hero samples)"
    }
}

fn row(out: &mut String, label: &str, cells: impl IntoIterator<Item = String>) {
    let cells: Vec<String> = cells.into_iter().collect();
    let _ = writeln!(out, "| {label} | {} |", cells.join(" | "));
}

fn head(out: &mut String, first: &str, runs: &[RunResult]) {
    row(out, first, runs.iter().map(|r| mode(r).to_owned()));
    row(out, "---", runs.iter().map(|_| "---:".to_owned()));
}

fn ms(x: f64) -> String {
    if x < 10.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.0}")
    }
}

pub fn markdown(header: &Header, runs: &[RunResult], users: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Machine: {}; {}; {}.\n\n{}\n",
        header.machine, header.rustc, header.date, header.setup
    );
    app_facing(&mut out, runs);
    statuses(&mut out, runs);
    acs_calls(&mut out, runs, users);
    targets(&mut out, runs);
    timeline(&mut out, runs);
    out
}

fn requests(o: &Outcome) -> u64 {
    o.statuses.values().sum()
}

fn ok(o: &Outcome) -> u64 {
    o.statuses.get("200").copied().unwrap_or(0)
}

fn app_facing(out: &mut String, runs: &[RunResult]) {
    let _ = writeln!(
        out,
        "**App-facing** (`GET /api/token`, as the users saw it)\n"
    );
    head(out, "", runs);
    row(
        out,
        "requests answered",
        runs.iter().map(|r| requests(&r.outcome).to_string()),
    );
    row(
        out,
        "tokens (200)",
        runs.iter().map(|r| ok(&r.outcome).to_string()),
    );
    row(
        out,
        "wall time, s",
        runs.iter()
            .map(|r| format!("{:.1}", r.outcome.wall.as_secs_f64())),
    );
    row(
        out,
        "tokens/s (200s / wall time)",
        runs.iter().map(|r| {
            format!(
                "{:.1}",
                ok(&r.outcome) as f64 / r.outcome.wall.as_secs_f64().max(1e-9)
            )
        }),
    );
    row(
        out,
        "first request (any status) p50 / p99, ms",
        runs.iter().map(|r| {
            format!(
                "{} / {}",
                ms(r.outcome.first.quantile_ms(0.5)),
                ms(r.outcome.first.quantile_ms(0.99))
            )
        }),
    );
    row(
        out,
        "repeated requests (any status) p50 / p99, ms",
        runs.iter().map(|r| {
            format!(
                "{} / {}",
                ms(r.outcome.repeated.quantile_ms(0.5)),
                ms(r.outcome.repeated.quantile_ms(0.99))
            )
        }),
    );
    row(
        out,
        "repeated requests answered 200: p50 / p99, ms",
        runs.iter().map(|r| {
            format!(
                "{} / {}",
                ms(r.outcome.repeated_ok.quantile_ms(0.5)),
                ms(r.outcome.repeated_ok.quantile_ms(0.99))
            )
        }),
    );
    row(
        out,
        "service ready after, ms",
        runs.iter()
            .map(|r| format!("{:.0}", r.service_ready_after.as_secs_f64() * 1e3)),
    );
    row(
        out,
        "load average before → after",
        runs.iter()
            .map(|r| format!("{} → {}", r.load_before, r.load_after)),
    );
    out.push('\n');
}

fn statuses(out: &mut String, runs: &[RunResult]) {
    let _ = writeln!(out, "**Responses by status**\n");
    head(out, "status", runs);
    let keys: BTreeSet<&String> = runs
        .iter()
        .flat_map(|r| r.outcome.statuses.keys())
        .collect();
    for key in keys {
        row(
            out,
            key,
            runs.iter().map(|r| {
                r.outcome
                    .statuses
                    .get(key)
                    .copied()
                    .unwrap_or(0)
                    .to_string()
            }),
        );
    }
    row(
        out,
        "503 with `Retry-After`",
        runs.iter()
            .map(|r| r.outcome.with_retry_after_503.to_string()),
    );
    row(
        out,
        "limiter waits / refusals (the service's `/metrics`)",
        runs.iter().map(|r| {
            let text = r.metrics.as_deref().unwrap_or("");
            let get =
                |name| metric_sum(text, name).map_or_else(|| "?".to_owned(), |v| format!("{v:.0}"));
            format!(
                "{} / {}",
                get("acs_token_service_limiter_waits_total"),
                get("acs_token_service_limiter_refusals_total")
            )
        }),
    );
    row(
        out,
        "200 without token/expiresOn/user",
        runs.iter().map(|r| r.outcome.malformed_200.to_string()),
    );
    let codes: BTreeSet<&(u16, String)> = runs
        .iter()
        .flat_map(|r| r.outcome.error_codes.keys())
        .collect();
    for code in codes {
        row(
            out,
            &format!("{} `{}`", code.0, code.1),
            runs.iter().map(|r| {
                r.outcome
                    .error_codes
                    .get(code)
                    .copied()
                    .unwrap_or(0)
                    .to_string()
            }),
        );
    }
    out.push('\n');
}

/// Per user: token-minting ACS calls (successful, attempts) for the identities it was given.
fn mints_per_user(outcome: &Outcome, counts: &Counts) -> Vec<(u64, u64)> {
    outcome
        .identities
        .iter()
        .map(|ids| {
            ids.iter().fold((0, 0), |(ok, all), id| {
                (
                    ok + counts.tokens_minted.get(id).copied().unwrap_or(0),
                    all + counts.mint_attempts.get(id).copied().unwrap_or(0),
                )
            })
        })
        .collect()
}

fn status_breakdown(counts: &Counts, op: Op) -> String {
    counts
        .calls
        .iter()
        .filter(|((o, _), _)| *o == op)
        .map(|((_, status), n)| match status {
            0 => format!("no answer×{n}"),
            s => format!("{s}×{n}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn acs_calls(out: &mut String, runs: &[RunResult], users: usize) {
    let _ = writeln!(
        out,
        "**ACS calls** (counted by the bench's proxy between the service and the emulator): total, per app user, by status\n"
    );
    head(out, "operation", runs);
    for op in Op::ALL {
        if runs.iter().all(|r| r.counts.total(op) == 0) {
            continue;
        }
        row(
            out,
            op.name(),
            runs.iter().map(|r| {
                let n = r.counts.total(op);
                if n == 0 {
                    return "0".to_owned();
                }
                format!(
                    "{n} ({:.2}/user): {}",
                    n as f64 / users as f64,
                    status_breakdown(&r.counts, op)
                )
            }),
        );
    }
    row(
        out,
        "identities created − deleted",
        runs.iter().map(|r| {
            format!(
                "{} − {} = {}",
                r.counts.identities_created,
                r.counts.identities_deleted,
                r.counts.identities_created as i64 - r.counts.identities_deleted as i64
            )
        }),
    );
    row(
        out,
        "users given exactly one identity",
        runs.iter().map(|r| {
            let one = r.outcome.identities.iter().filter(|s| s.len() == 1).count();
            let more = r.outcome.identities.iter().filter(|s| s.len() > 1).count();
            format!("{one} of {users} (more than one: {more})")
        }),
    );
    row(
        out,
        "tokens minted per user: mean / max",
        runs.iter().map(|r| {
            let per_user = mints_per_user(&r.outcome, &r.counts);
            let max = per_user.iter().map(|p| p.0).max().unwrap_or(0);
            let sum: u64 = per_user.iter().map(|p| p.0).sum();
            format!("{:.2} / {max}", sum as f64 / users as f64)
        }),
    );
    out.push('\n');
}

/// The most requests of one kind sent in any 30 s (three consecutive 10 s windows).
fn peak_per_30s(outcome: &Outcome, pick: impl Fn(&super::load::Window) -> u64) -> u64 {
    let last = outcome.windows.keys().max().copied().unwrap_or(0);
    let per: Vec<u64> = (0..=last)
        .map(|w| outcome.windows.get(&w).map_or(0, &pick))
        .collect();
    let span = (30 / WINDOW_SECS) as usize;
    per.windows(span.min(per.len()).max(1))
        .map(|w| w.iter().sum())
        .max()
        .unwrap_or(0)
}

fn verdict(met: bool, detail: String) -> String {
    format!("{} ({detail})", if met { "met" } else { "**missed**" })
}

fn targets(out: &mut String, runs: &[RunResult]) {
    let _ = writeln!(out, "**Targets**\n");
    head(out, "target", runs);
    row(
        out,
        "≤ 1 ACS token mint per user per token lifetime (the run is shorter than one)",
        runs.iter().map(|r| {
            let per_user = mints_per_user(&r.outcome, &r.counts);
            let max_ok = per_user.iter().map(|p| p.0).max().unwrap_or(0);
            let max_all = per_user.iter().map(|p| p.1).max().unwrap_or(0);
            let over = per_user.iter().filter(|p| p.0 > 1).count();
            let detail = format!("max {max_ok} minted, {max_all} attempted; {over} users over 1");
            if r.cache {
                verdict(max_ok <= 1, detail)
            } else {
                format!("not a goal without a cache ({detail})")
            }
        }),
    );
    row(
        out,
        "no 500 ever (any 5xx but 503, timeouts, connection errors)",
        runs.iter().map(|r| {
            let bad: u64 = r
                .outcome
                .statuses
                .iter()
                .filter(|(k, _)| {
                    k.as_str() != "503"
                        && (k.starts_with('5') || !k.chars().all(|c| c.is_ascii_digit()))
                })
                .map(|(_, n)| n)
                .sum();
            verdict(bad == 0, format!("{bad}"))
        }),
    );
    row(
        out,
        "503 only with `Retry-After`, only where arrivals exceed the limits",
        runs.iter().map(|r| {
            let o = &r.outcome;
            let unavailable = o.statuses.get("503").copied().unwrap_or(0);
            // Arrivals that need a token minted: first requests with the cache on, all without.
            let peak = if r.cache {
                peak_per_30s(o, |w| w.first)
            } else {
                peak_per_30s(o, |w| w.first + w.repeated)
            };
            let over = peak > MINT_LIMIT_PER_30S;
            let met = o.with_retry_after_503 == unavailable && (unavailable == 0 || over);
            verdict(
                met,
                format!(
                    "{unavailable} × 503, {} with Retry-After; peak {peak} mint-needing arrivals per 30 s vs limit {MINT_LIMIT_PER_30S}",
                    o.with_retry_after_503
                ),
            )
        }),
    );
    row(
        out,
        "p99 of a cached token < 5 ms (repeated requests, cache on)",
        runs.iter().map(|r| {
            if !r.cache {
                return "n/a (no cache)".to_owned();
            }
            let p99 = r.outcome.repeated.quantile_ms(0.99);
            verdict(p99 < CACHED_P99_TARGET_MS, format!("p99 {} ms", ms(p99)))
        }),
    );
    out.push('\n');
}

fn timeline(out: &mut String, runs: &[RunResult]) {
    let _ = writeln!(
        out,
        "**Timeline**: requests by the {WINDOW_SECS} s window they were sent in — sent (first + repeated) / 200 / 503 / other\n"
    );
    head(out, "sent at, s", runs);
    let last = runs
        .iter()
        .filter_map(|r| r.outcome.windows.keys().max().copied())
        .max()
        .unwrap_or(0);
    for w in 0..=last {
        row(
            out,
            &format!("{}–{}", w * WINDOW_SECS, (w + 1) * WINDOW_SECS),
            runs.iter().map(|r| {
                let x = r.outcome.windows.get(&w).copied().unwrap_or_default();
                format!(
                    "{}+{} / {} / {} / {}",
                    x.first, x.repeated, x.ok, x.unavailable, x.other
                )
            }),
        );
    }
    out.push('\n');
}

/// Lines of the service's `/metrics` about the cache, the limiter and ACS calls (not
/// histograms), for a cross-check against the proxy's count.
pub fn metrics_excerpt(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| {
            let name = l.split(['{', ' ']).next().unwrap_or("");
            !l.starts_with('#')
                && ["token_cache", "limiter", "acs_calls_total"]
                    .iter()
                    .any(|k| name.contains(k))
        })
        .take(60)
        .collect()
}

/// The sum of the samples of metric `name` (every label set), if it has any.
fn metric_sum(text: &str, name: &str) -> Option<f64> {
    let values: Vec<f64> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter(|l| l.split(['{', ' ']).next() == Some(name))
        .filter_map(|l| l.rsplit(' ').next()?.parse().ok())
        .collect();
    // A counter with no samples yet is declared (`# TYPE`) but has no lines: 0.
    let declared = text.contains(&format!("# TYPE {name} "));
    (declared || !values.is_empty()).then(|| values.iter().fold(0.0, |a, b| a + b))
}
