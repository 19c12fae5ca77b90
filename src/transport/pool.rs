//! Idle HTTP/1.1 connections, per origin, reused most-recently-used first.
//!
//! A connection is either carrying one request (owned by that request's future) or
//! idle here. A request takes an idle connection when there is one and opens a new
//! one only when there is none, so a client never holds more connections to an
//! origin than it has had requests in flight at once.

use super::connect::Origin;
use azure_core::Bytes;
use http_body_util::Full;
use hyper::client::conn::http1::SendRequest;
use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

/// The sending half of one HTTP/1.1 connection; the connection itself runs in its
/// own task and ends when this is dropped (after any response in flight).
pub(super) type Sender = SendRequest<Full<Bytes>>;

struct Idle {
    sender: Sender,
    since: Instant,
}

struct Entry {
    origin: Arc<Origin>,
    idle: Vec<Idle>,
}

/// Idle connections of every origin one transport has talked to. Clients talk to
/// one or two origins, so a short list beats a map (and needs no key allocation).
pub(super) struct Pool {
    entries: Mutex<Vec<Entry>>,
    idle_timeout: Duration,
    max_idle_per_origin: usize,
}

impl Pool {
    pub(super) fn new(idle_timeout: Duration, max_idle_per_origin: usize) -> Self {
        Self {
            entries: Mutex::new(Vec::new()),
            idle_timeout,
            max_idle_per_origin,
        }
    }

    /// The origin's shared key, made on first use.
    pub(super) fn origin(&self, https: bool, host: &str, port: u16) -> Arc<Origin> {
        let mut entries = self.lock();
        if let Some(entry) = entries.iter().find(|e| e.origin.is(https, host, port)) {
            return Arc::clone(&entry.origin);
        }
        let origin = Arc::new(Origin::new(https, host, port));
        entries.push(Entry {
            origin: Arc::clone(&origin),
            idle: Vec::new(),
        });
        origin
    }

    /// The origin's most recently used idle connection that is still open, if
    /// any; connections idle longer than the idle timeout are closed on the way.
    pub(super) fn checkout(&self, origin: &Arc<Origin>) -> Option<Sender> {
        let now = Instant::now();
        let mut entries = self.lock();
        let entry = entries
            .iter_mut()
            .find(|e| Arc::ptr_eq(&e.origin, origin))?;
        // Oldest first: drop the expired ones (dropping a sender closes it).
        let expired = entry
            .idle
            .iter()
            .take_while(|i| now.saturating_duration_since(i.since) >= self.idle_timeout)
            .count();
        if expired > 0 {
            entry.idle.drain(..expired);
        }
        while let Some(idle) = entry.idle.pop() {
            if !idle.sender.is_closed() {
                return Some(idle.sender);
            }
        }
        None
    }

    /// Returns a connection whose last response was read to the end.
    pub(super) fn put(&self, origin: &Arc<Origin>, sender: Sender) {
        if sender.is_closed() {
            return;
        }
        let mut entries = self.lock();
        if let Some(entry) = entries.iter_mut().find(|e| Arc::ptr_eq(&e.origin, origin)) {
            if entry.idle.len() < self.max_idle_per_origin {
                entry.idle.push(Idle {
                    sender,
                    since: Instant::now(),
                });
            }
        }
    }

    /// Idle connections to every origin (for tests and diagnostics).
    pub(super) fn idle_count(&self) -> usize {
        self.lock().iter().map(|e| e.idle.len()).sum()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Entry>> {
        // A panic while holding the lock cannot leave the list inconsistent
        // (every mutation is a single push, pop or drain), so poisoning is ignored.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}
