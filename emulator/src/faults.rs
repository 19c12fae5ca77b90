//! Fault injection for resilience tests: answer a share of requests, or every Nth one, with
//! 429 + `Retry-After`, 503 + `Retry-After`, or 500.

use crate::errors::AcsError;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::atomic::{AtomicU64, Ordering};

/// The status an injected fault answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FaultStatus {
    /// 429 Too Many Requests, with `Retry-After` (the default).
    #[default]
    TooManyRequests,
    /// 503 Service Unavailable, with `Retry-After`.
    ServiceUnavailable,
    /// 500 Internal Server Error (no `Retry-After`); Python's SDK retries POSTs on it.
    InternalServerError,
}

impl FaultStatus {
    /// From a status code: 429, 503 or 500.
    pub fn from_code(code: u16) -> Option<FaultStatus> {
        match code {
            429 => Some(FaultStatus::TooManyRequests),
            503 => Some(FaultStatus::ServiceUnavailable),
            500 => Some(FaultStatus::InternalServerError),
            _ => None,
        }
    }
}

/// Which requests to fail and how. Faults apply to the ACS API only (not to `/_emulator/*`)
/// and are decided before authentication.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultConfig {
    /// Share of requests to fail, 0.0 to 1.0 (default 0).
    pub rate: f64,
    /// Fail every Nth request (the Nth, 2Nth, ...); 0 = off (default).
    pub every: u64,
    /// The answer (default 429).
    pub status: FaultStatus,
    /// `Retry-After` in seconds for 429 and 503 (default 1).
    pub retry_after_secs: u32,
    /// Seed of the random choice for `rate`, for reproducible runs (default: random).
    pub seed: Option<u64>,
}

impl Default for FaultConfig {
    fn default() -> Self {
        FaultConfig {
            rate: 0.0,
            every: 0,
            status: FaultStatus::TooManyRequests,
            retry_after_secs: 1,
            seed: None,
        }
    }
}

impl FaultConfig {
    /// True when some request can be failed.
    pub fn is_active(&self) -> bool {
        self.rate > 0.0 || self.every > 0
    }
}

pub(crate) struct FaultInjector {
    every: u64,
    /// `rate` scaled to u64: fail when a random u64 is below it.
    threshold: u64,
    always: bool,
    status: FaultStatus,
    retry_after: HeaderValue,
    retry_after_secs: u32,
    counter: AtomicU64,
    rng: AtomicU64,
}

impl FaultInjector {
    pub(crate) fn new(cfg: &FaultConfig, seed: u64) -> Option<Self> {
        if !cfg.is_active() {
            return None;
        }
        let rate = if cfg.rate.is_nan() {
            0.0
        } else {
            cfg.rate.clamp(0.0, 1.0)
        };
        Some(FaultInjector {
            every: cfg.every,
            threshold: (rate * u64::MAX as f64) as u64,
            always: rate >= 1.0,
            status: cfg.status,
            retry_after: HeaderValue::from(cfg.retry_after_secs),
            retry_after_secs: cfg.retry_after_secs,
            counter: AtomicU64::new(0),
            rng: AtomicU64::new(cfg.seed.unwrap_or(seed)),
        })
    }

    /// Decides for one request; `Some(response)` to fail it.
    pub(crate) fn check(&self) -> Option<Response> {
        let n = self.counter.fetch_add(1, Ordering::Relaxed) + 1;
        let by_count = self.every > 0 && n.is_multiple_of(self.every);
        let by_rate = self.always
            || (self.threshold > 0 && {
                // splitmix64 over an atomic counter: cheap, lock-free, good enough for sampling.
                let mut z = self
                    .rng
                    .fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed)
                    .wrapping_add(0x9E37_79B9_7F4A_7C15);
                z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                z ^= z >> 31;
                z < self.threshold
            });
        if !(by_count || by_rate) {
            return None;
        }
        let secs = self.retry_after_secs;
        let (err, retry) = match self.status {
            FaultStatus::TooManyRequests => (
                AcsError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "TooManyRequests",
                    format!("Rate limit is exceeded. Try again in {secs} seconds. (injected by acs-identity-emulator)"),
                ),
                true,
            ),
            FaultStatus::ServiceUnavailable => (
                AcsError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "ServiceUnavailable",
                    format!("The service is temporarily unavailable. Try again in {secs} seconds. (injected by acs-identity-emulator)"),
                ),
                true,
            ),
            FaultStatus::InternalServerError => (
                AcsError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "InternalServerError",
                    "An internal error occurred. (injected by acs-identity-emulator)",
                ),
                false,
            ),
        };
        let mut resp = err.into_response();
        if retry {
            resp.headers_mut()
                .insert("retry-after", self.retry_after.clone());
        }
        Some(resp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_nth() {
        let f = FaultInjector::new(
            &FaultConfig {
                every: 3,
                ..Default::default()
            },
            1,
        )
        .unwrap();
        let hits: Vec<bool> = (0..9).map(|_| f.check().is_some()).collect();
        assert_eq!(
            hits,
            [false, false, true, false, false, true, false, false, true]
        );
    }

    #[test]
    fn rate_is_roughly_respected_and_seeded() {
        let cfg = FaultConfig {
            rate: 0.25,
            seed: Some(42),
            ..Default::default()
        };
        let f = FaultInjector::new(&cfg, 0).unwrap();
        let n = (0..10_000).filter(|_| f.check().is_some()).count();
        assert!((2_000..3_000).contains(&n), "{n}");
        let g = FaultInjector::new(&cfg, 7).unwrap();
        let m = (0..10_000).filter(|_| g.check().is_some()).count();
        assert_eq!(n, m, "same seed, same choices");
    }

    #[test]
    fn inactive_and_full() {
        assert!(FaultInjector::new(&FaultConfig::default(), 0).is_none());
        let f = FaultInjector::new(
            &FaultConfig {
                rate: 1.0,
                status: FaultStatus::ServiceUnavailable,
                retry_after_secs: 7,
                ..Default::default()
            },
            0,
        )
        .unwrap();
        let r = f.check().unwrap();
        assert_eq!(r.status(), 503);
        assert_eq!(r.headers()["retry-after"], "7");
    }
}
