//! The identity client against the bundled emulator: every operation over HMAC and
//! bearer auth, plain HTTP and TLS, and a concurrent load.

mod bearer_tls;
mod custom_id;
mod data_dir;
mod entra;
mod hmac;
mod load;
mod support;
mod teams_extension_assignments;
mod version_gates;
