//! Runs the built `acs-identity` binary against an emulator started in this process.

mod api_versions;
mod custom_id;
mod entra_assignments;
mod exit_codes;
mod identities;
mod support;
mod teams_extension_assignments;
mod tokens;
