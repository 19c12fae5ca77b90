//! Retries of queued identity deletions: the store's durable to-do list, worked through at
//! start and then every [`deletion_retry_interval`](crate::ServiceConfig), a bounded batch
//! at a time, each identity backing off after failures.

use crate::{identity::delete_queued, state::Shared};
use std::{collections::HashMap, time::Duration};
use tokio::time::Instant;

/// Identities tried per round.
const BATCH: u32 = 100;

/// Longest back-off between two attempts at one identity.
const MAX_BACKOFF: Duration = Duration::from_secs(60 * 60);

/// When each identity that failed may be tried again.
#[derive(Default)]
pub(crate) struct Backoff {
    next: HashMap<String, Instant>,
}

/// One round: tries up to [`BATCH`] queued deletions whose back-off has passed. Returns
/// how many were done.
pub(crate) async fn run_once(shared: &Shared, backoff: &mut Backoff) -> usize {
    let pending = match shared.store.pending_deletions(BATCH).await {
        Ok(pending) => pending,
        Err(err) => {
            tracing::warn!(%err, "could not read the queued identity deletions");
            return 0;
        }
    };
    let now = Instant::now();
    let mut done = 0;
    for deletion in pending {
        if backoff
            .next
            .get(&deletion.acs_user_id)
            .is_some_and(|at| *at > now)
        {
            continue;
        }
        if delete_queued(shared, &deletion.acs_user_id).await {
            backoff.next.remove(&deletion.acs_user_id);
            done += 1;
        } else {
            let exp = deletion.attempts.min(12);
            let wait = shared
                .config
                .deletion_retry_interval
                .checked_mul(2u32.pow(exp))
                .map_or(MAX_BACKOFF, |w| w.min(MAX_BACKOFF));
            backoff.next.insert(deletion.acs_user_id, now + wait);
        }
    }
    done
}
