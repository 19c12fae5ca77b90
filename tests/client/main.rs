//! The identity client against a wiremock server or an in-memory transport: each
//! operation's exact request, errors, bearer auth, request ids, tracing, clock
//! skew, faults and property tests.

mod api_versions;
mod bearer;
#[cfg(feature = "blocking")]
mod blocking;
mod clock_skew;
mod custom_id;
mod entra_assignments;
mod error_ext;
mod errors;
mod faults;
mod operations;
mod properties;
mod request_id;
mod support;
mod teams_extension_assignments;
mod tracing_spans;
mod user_detail;
