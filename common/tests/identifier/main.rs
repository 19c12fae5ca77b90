//! Communication identifiers: raw-id parsing and building, the shared conformance
//! vectors, and property tests.

mod kinds;
mod properties;
mod vectors;
