//! Wall-clock "now" derived from Tokio's clock.
//!
//! Token expiry is wall-clock time (`exp`, an [`OffsetDateTime`]) while timers
//! run on [`tokio::time::Instant`]. The clock captures both once, at creation,
//! and afterwards computes `now = base wall time + Tokio time elapsed`. Under a
//! paused Tokio clock (`#[tokio::test(start_paused = true)]`) "now" therefore
//! moves exactly with `tokio::time::advance` / auto-advance, and a wall-clock
//! deadline maps to the Tokio instant that the timer sleeps until.
//!
//! "now" is never earlier than the system's wall clock: Tokio's monotonic clock
//! stops while the machine is suspended, and a token must not be served as
//! valid after a laptop wakes up past its expiry. (Under a paused Tokio clock
//! the simulated time runs ahead of the real one, so tests are unaffected.)

use azure_core::time::OffsetDateTime;
use tokio::time::Instant;

#[derive(Clone, Copy, Debug)]
pub(crate) struct Clock {
    wall: OffsetDateTime,
    instant: Instant,
}

impl Clock {
    pub(crate) fn new() -> Self {
        Self {
            wall: OffsetDateTime::now_utc(),
            instant: Instant::now(),
        }
    }

    /// The current wall-clock time on this clock.
    pub(crate) fn now(&self) -> OffsetDateTime {
        let elapsed = self
            .wall
            .checked_add(time_duration(self.instant.elapsed()))
            .unwrap_or(self.wall);
        std::cmp::max(elapsed, OffsetDateTime::now_utc())
    }

    /// The Tokio instant at which this clock reads `at` (now, if `at` is past).
    pub(crate) fn instant_at(&self, at: OffsetDateTime) -> Instant {
        let now = Instant::now();
        let offset = at - self.now();
        if offset.is_negative() {
            return now;
        }
        now.checked_add(offset.unsigned_abs())
            .unwrap_or_else(|| now + std::time::Duration::from_secs(86_400))
    }
}

fn time_duration(duration: std::time::Duration) -> azure_core::time::Duration {
    azure_core::time::Duration::try_from(duration).unwrap_or(azure_core::time::Duration::MAX)
}
