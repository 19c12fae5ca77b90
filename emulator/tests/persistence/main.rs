//! The data directory across restarts, and the binary (its output, `--help`, `kill -9`).

#[path = "../support/mod.rs"]
mod support;

mod binary;
mod restart;
