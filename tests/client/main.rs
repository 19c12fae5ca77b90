//! The identity client against a wiremock server or an in-memory transport: each
//! operation's exact request, errors, bearer auth, request ids, tracing, clock
//! skew, faults and property tests.

mod bearer;
#[cfg(feature = "blocking")]
mod blocking;
mod clock_skew;
mod entra_assignments;
mod errors;
mod faults;
mod operations;
mod properties;
mod request_id;
mod support;
mod surface_2025;
mod tracing_spans;
