//! Which deleted identities the emulator still remembers: the most recent ones, up to a bound.
//!
//! A deleted identity is kept as a record so that its tokens validate as `identityDeleted`
//! (`POST /_emulator/tokens:validate`) rather than `unknownIdentity`. Keeping every one would
//! grow the emulator by about 280 bytes per delete for as long as it runs (`benches/README.md`,
//! "Soak"), so only the last [`DEFAULT_DELETED_HISTORY`](crate::DEFAULT_DELETED_HISTORY) are
//! kept (`EmulatorBuilder::deleted_history`); an older one is forgotten, and its id then
//! answers as an unknown identity, which every operation already treats the same as a deleted
//! one.

use std::collections::VecDeque;
use std::sync::Mutex;

pub(super) struct DeletedHistory {
    bound: usize,
    /// Deleted identities, oldest first.
    order: Mutex<VecDeque<Box<str>>>,
}

impl DeletedHistory {
    pub(super) fn new(bound: usize) -> Self {
        DeletedHistory {
            bound,
            order: Mutex::new(VecDeque::new()),
        }
    }

    /// Remembers that `key` was deleted now; returns the identities to forget (the oldest,
    /// beyond the bound).
    pub(super) fn deleted(&self, key: &str) -> Vec<Box<str>> {
        let mut order = self.order.lock().unwrap_or_else(|e| e.into_inner());
        order.push_back(key.into());
        let excess = order.len().saturating_sub(self.bound);
        order.drain(..excess).collect()
    }

    /// Puts back `key` when forgetting it failed, as the oldest, so that it is tried again
    /// next time.
    pub(super) fn keep(&self, key: Box<str>) {
        let mut order = self.order.lock().unwrap_or_else(|e| e.into_inner());
        order.push_front(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forgets_the_oldest_beyond_the_bound() {
        let history = DeletedHistory::new(2);
        assert!(history.deleted("a").is_empty());
        assert!(history.deleted("b").is_empty());
        assert_eq!(history.deleted("c"), vec!["a".into()]);
        assert_eq!(history.deleted("d"), vec!["b".into()]);
        let none = DeletedHistory::new(0);
        assert_eq!(none.deleted("a"), vec!["a".into()]);
    }
}
