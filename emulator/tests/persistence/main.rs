//! The data directory across restarts, and the binary (its output, `--help`, `kill -9`,
//! and SIGKILL in the middle of a create/delete load).

#[path = "../support/mod.rs"]
mod support;

mod assignments;
mod binary;
mod crash;
mod custom_id;
mod older_database;
mod restart;

use acs_identity_emulator::{Emulator, ManualClock};
use std::path::Path;
use std::sync::Arc;

/// An emulator on `dir` with `clock`.
async fn start(dir: &Path, clock: &ManualClock) -> Emulator {
    Emulator::builder()
        .data_dir(dir)
        .clock(Arc::new(clock.clone()))
        .start()
        .await
        .unwrap()
}

/// The id of a created identity (asserting the 201).
fn id_of(r: &support::RawResponse) -> String {
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()["identity"]["id"].as_str().unwrap().to_owned()
}
