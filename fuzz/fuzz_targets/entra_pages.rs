//! cargo-fuzz target; the body is [`acs_identity_fuzz::entra_pages`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| acs_identity_fuzz::entra_pages(data));
