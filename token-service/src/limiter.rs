//! [`Limiter`]: keeps the service's ACS calls within [`Limits`], waiting a bounded time
//! for a free slot, else refusing with the time until one frees.

use crate::limits::{Limits, Operation};
use std::{
    collections::{HashMap, VecDeque},
    sync::Mutex,
    time::Duration,
};
use tokio::time::Instant;

/// A request that would have had to wait longer than the bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Throttled {
    /// When a slot frees.
    pub retry_after: Duration,
}

/// A sliding-window limiter per operation. Time is tokio's, so tests run it on the
/// paused clock.
#[derive(Debug)]
pub struct Limiter {
    windows: HashMap<Operation, Mutex<Window>>,
    max_wait: Duration,
}

#[derive(Debug)]
struct Window {
    max: usize,
    period: Duration,
    /// When each of the last `max` calls was (or is reserved to be) let through, oldest
    /// first.
    grants: VecDeque<Instant>,
}

impl Limiter {
    /// A limiter enforcing `limits`, letting a request wait at most `max_wait`.
    pub fn new(limits: &Limits, max_wait: Duration) -> Self {
        let windows = Operation::ALL
            .into_iter()
            .filter_map(|op| {
                limits.get(op).map(|limit| {
                    (
                        op,
                        Mutex::new(Window {
                            // A limit of 0 would never let a call through: read as 1.
                            max: limit.max.max(1) as usize,
                            period: limit.window,
                            grants: VecDeque::with_capacity(limit.max.min(4096) as usize),
                        }),
                    )
                })
            })
            .collect();
        Self { windows, max_wait }
    }

    /// Reserves a slot for `op`: `Ok(wait)` with how long the caller must sleep first
    /// (zero when a slot is free), or `Err` when that would exceed the bound.
    pub fn reserve(&self, op: Operation) -> Result<Duration, Throttled> {
        let Some(window) = self.windows.get(&op) else {
            return Ok(Duration::ZERO);
        };
        let mut w = window
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = Instant::now();
        while w.grants.front().is_some_and(|t| *t + w.period <= now) {
            w.grants.pop_front();
        }
        if w.grants.len() < w.max {
            w.grants.push_back(now);
            return Ok(Duration::ZERO);
        }
        // Full: the next slot frees when the oldest grant leaves the window.
        let Some(oldest) = w.grants.front().copied() else {
            return Ok(Duration::ZERO);
        };
        let at = oldest + w.period;
        let wait = at - now;
        if wait > self.max_wait {
            return Err(Throttled { retry_after: wait });
        }
        w.grants.pop_front();
        w.grants.push_back(at);
        Ok(wait)
    }

    /// Waits for a slot for `op` (at most the bound); returns how long it waited.
    pub async fn acquire(&self, op: Operation) -> Result<Duration, Throttled> {
        let wait = self.reserve(op)?;
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        Ok(wait)
    }
}
