//! The parts of the `tokens` bench (see `benches/tokens.rs`), one concern each.

pub mod caller;
pub mod load;
pub mod processes;
pub mod proxy;
pub mod report;
pub mod run;
