//! [`Metrics`]: the service's counters, rendered in the Prometheus text format
//! (<https://prometheus.io/docs/instrumenting/exposition_formats/>) by `GET /metrics`.

use crate::limits::Operation;
use std::{collections::BTreeMap, fmt::Write, sync::Mutex, time::Duration};

/// Upper bounds (seconds) of the ACS latency histogram's buckets.
const LATENCY_BUCKETS: [f64; 12] = [
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The service's counters. Cheap to update (one short lock).
#[derive(Debug, Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// (route, method, status) -> count.
    requests: BTreeMap<(String, String, u16), u64>,
    cache_hits: u64,
    cache_misses: u64,
    /// (operation, outcome) -> count.
    acs_calls: BTreeMap<(Operation, &'static str), u64>,
    /// operation -> histogram.
    acs_latency: BTreeMap<Operation, Histogram>,
    /// operation -> (waits, total seconds waited, refusals).
    limiter: BTreeMap<Operation, (u64, f64, u64)>,
}

#[derive(Debug, Default)]
struct Histogram {
    buckets: [u64; LATENCY_BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Metrics {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Counts a request answered on `route` (the route's template) with `status`.
    pub fn request(&self, route: &str, method: &str, status: u16) {
        *self
            .lock()
            .requests
            .entry((route.to_owned(), method.to_owned(), status))
            .or_default() += 1;
    }

    /// Counts a token cache lookup.
    pub fn cache(&self, hit: bool) {
        let mut inner = self.lock();
        if hit {
            inner.cache_hits += 1;
        } else {
            inner.cache_misses += 1;
        }
    }

    /// Counts an ACS call of `op` that ended with `outcome` (`ok`, or the HTTP status or
    /// `error`) after `elapsed`.
    pub fn acs_call(&self, op: Operation, outcome: &'static str, elapsed: Duration) {
        let mut inner = self.lock();
        *inner.acs_calls.entry((op, outcome)).or_default() += 1;
        let h = inner.acs_latency.entry(op).or_default();
        let secs = elapsed.as_secs_f64();
        for (bucket, bound) in h.buckets.iter_mut().zip(LATENCY_BUCKETS) {
            if secs <= bound {
                *bucket += 1;
            }
        }
        h.count += 1;
        h.sum += secs;
    }

    /// Counts a limiter wait of `waited` for `op`.
    pub fn limiter_wait(&self, op: Operation, waited: Duration) {
        let mut inner = self.lock();
        let entry = inner.limiter.entry(op).or_default();
        entry.0 += 1;
        entry.1 += waited.as_secs_f64();
    }

    /// Counts a request the limiter refused (503) for `op`.
    pub fn limiter_refusal(&self, op: Operation) {
        self.lock().limiter.entry(op).or_default().2 += 1;
    }

    /// ACS calls of `op` so far, whatever their outcome.
    pub fn acs_calls(&self, op: Operation) -> u64 {
        self.lock()
            .acs_calls
            .iter()
            .filter(|((o, _), _)| *o == op)
            .map(|(_, n)| n)
            .sum()
    }

    /// ACS calls of `op` that ended with `outcome` (`ok`, `404`, `429`, `error`...).
    pub fn acs_calls_with(&self, op: Operation, outcome: &str) -> u64 {
        self.lock()
            .acs_calls
            .iter()
            .filter(|((o, out), _)| *o == op && *out == outcome)
            .map(|(_, n)| n)
            .sum()
    }

    /// Token cache (hits, misses) so far.
    pub fn cache_counts(&self) -> (u64, u64) {
        let inner = self.lock();
        (inner.cache_hits, inner.cache_misses)
    }

    /// The metrics in the Prometheus text format.
    pub fn render(&self) -> String {
        let inner = self.lock();
        let mut out = String::new();
        let w = &mut out;
        header(
            w,
            "acs_token_service_requests_total",
            "counter",
            "HTTP requests by route, method and status.",
        );
        for ((route, method, status), n) in &inner.requests {
            let _ = writeln!(
                w,
                "acs_token_service_requests_total{{route=\"{}\",method=\"{}\",status=\"{status}\"}} {n}",
                escape(route),
                escape(method)
            );
        }
        header(
            w,
            "acs_token_service_token_cache_total",
            "counter",
            "Token cache lookups by result.",
        );
        let _ = writeln!(
            w,
            "acs_token_service_token_cache_total{{result=\"hit\"}} {}",
            inner.cache_hits
        );
        let _ = writeln!(
            w,
            "acs_token_service_token_cache_total{{result=\"miss\"}} {}",
            inner.cache_misses
        );
        header(
            w,
            "acs_token_service_acs_calls_total",
            "counter",
            "ACS calls by operation and outcome (ok, an HTTP status, or error).",
        );
        for ((op, outcome), n) in &inner.acs_calls {
            let _ = writeln!(
                w,
                "acs_token_service_acs_calls_total{{operation=\"{op}\",outcome=\"{outcome}\"}} {n}"
            );
        }
        header(
            w,
            "acs_token_service_acs_call_duration_seconds",
            "histogram",
            "ACS call latency by operation.",
        );
        for (op, h) in &inner.acs_latency {
            for (bound, n) in LATENCY_BUCKETS.iter().zip(h.buckets) {
                let _ = writeln!(
                    w,
                    "acs_token_service_acs_call_duration_seconds_bucket{{operation=\"{op}\",le=\"{bound}\"}} {n}"
                );
            }
            let _ = writeln!(
                w,
                "acs_token_service_acs_call_duration_seconds_bucket{{operation=\"{op}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                w,
                "acs_token_service_acs_call_duration_seconds_sum{{operation=\"{op}\"}} {}",
                h.sum
            );
            let _ = writeln!(
                w,
                "acs_token_service_acs_call_duration_seconds_count{{operation=\"{op}\"}} {}",
                h.count
            );
        }
        header(
            w,
            "acs_token_service_limiter_waits_total",
            "counter",
            "Requests that waited for a limiter slot, by operation.",
        );
        for (op, (waits, _, _)) in &inner.limiter {
            let _ = writeln!(
                w,
                "acs_token_service_limiter_waits_total{{operation=\"{op}\"}} {waits}"
            );
        }
        header(
            w,
            "acs_token_service_limiter_wait_seconds_total",
            "counter",
            "Time spent waiting for limiter slots, by operation.",
        );
        for (op, (_, secs, _)) in &inner.limiter {
            let _ = writeln!(
                w,
                "acs_token_service_limiter_wait_seconds_total{{operation=\"{op}\"}} {secs}"
            );
        }
        header(
            w,
            "acs_token_service_limiter_refusals_total",
            "counter",
            "Requests refused with 503 because a slot was too far away, by operation.",
        );
        for (op, (_, _, refusals)) in &inner.limiter {
            let _ = writeln!(
                w,
                "acs_token_service_limiter_refusals_total{{operation=\"{op}\"}} {refusals}"
            );
        }
        out
    }
}

fn header(w: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(w, "# HELP {name} {help}");
    let _ = writeln!(w, "# TYPE {name} {kind}");
}

/// A label value with `\`, `"` and newlines escaped.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}
