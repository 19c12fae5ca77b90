//! [`Clock`]: where the key cache reads the time, so tests can move it.

use std::time::Instant;

/// A monotonic clock for the key cache's refetch interval. [`SystemClock`] unless a test
/// injects its own through
/// [`JwtAuthenticator::with_clock`](super::JwtAuthenticator::with_clock).
pub trait Clock: Send + Sync + 'static {
    /// Now.
    fn now(&self) -> Instant;
}

/// The system's monotonic clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
}
