//! The identity client against the bundled emulator: every operation over HMAC and
//! bearer auth, plain HTTP and TLS, and a concurrent load.

mod bearer_tls;
mod entra;
mod hmac;
mod load;
mod support;
mod surface_2025;
