//! Runs the built `acs-identity` binary against an emulator started in this process.

mod exit_codes;
mod identities;
mod support;
mod tokens;
mod v2025;
