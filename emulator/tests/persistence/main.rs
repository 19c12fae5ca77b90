//! The data directory across restarts, and the binary (its output, `--help`, `kill -9`,
//! and SIGKILL in the middle of a create/delete load).

#[path = "../support/mod.rs"]
mod support;

mod binary;
mod crash;
mod restart;
mod surface_2025;
