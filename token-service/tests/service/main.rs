//! The token service against the in-process emulator: one test binary, one module per area.

mod cache;
mod common;
mod concurrency;
mod endpoints;
mod http_layers;
mod jwt_e2e;
mod limiter;
mod postgres;
mod settings;
