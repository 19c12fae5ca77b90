//! The emulator over raw HTTP/1.1 (and HTTPS with reqwest), one module per area.

#[path = "../support/mod.rs"]
mod support;

mod jwt;
mod versions;

mod bad_input;
mod custom_id;
mod entra_assignments;
mod errors;
mod faults_and_tls;
mod ga_versions;
mod hmac_auth;
mod latency;
mod operations;
mod store_failure;
mod teams_extension_assignments;
mod throttle;
mod user_exchange;
