//! A local emulator of the Azure Communication Services (ACS) Identity REST service.
//!
//! It speaks the data-plane protocol of api-versions `2021-03-07`, `2022-06-01`, `2022-10-01`,
//! `2023-10-01`, `2025-03-02-preview`, `2025-06-30` and `2026-09-23`: create identity (with a
//! `customId` in `2025-03-02-preview`), get identity (`2025-03-02-preview`), delete identity,
//! issue and revoke access tokens, exchange a Teams user's Entra ID token, Teams Extension
//! assignments and the Teams Extension token exchange (`2025-03-02-preview` and the GA
//! `2025-06-30` and `2026-09-23`), and Entra assignments and the Entra ID user token exchange
//! (`2025-03-02-preview`). Requests are authenticated the way the service does it
//! (HMAC-SHA256 with the resource's access key, or `Authorization: Bearer`), tokens are JWTs signed
//! by the emulator, and identities can be kept in SQLite so that a restart keeps them.
//!
//! ```no_run
//! # async fn run() -> Result<(), acs_identity_emulator::StartError> {
//! let emulator = acs_identity_emulator::Emulator::builder().start().await?;
//! println!("connection string: {}", emulator.connection_string());
//! // ... point a client at it ...
//! emulator.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! See the crate's README for what is faithful to the real service and what is approximated.
#![deny(missing_docs)]

mod api_version;
mod assignment;
mod auth;
mod body;
mod builder;
mod clock;
mod custom_id;
mod emulator;
mod entra_token;
mod errors;
mod exposure;
mod faults;
mod ids;
mod layers;
mod paths;
mod routes;
mod server;
mod state;
mod store;
mod throttle;
mod timefmt;
mod tls;
mod token;

pub use assignment::{Assignment, EntraAssignment, TeamsExtensionAssignment};
pub use auth::bearer::BearerPolicy;
pub use builder::{EmulatorBuilder, StartError};
pub use clock::{Clock, ManualClock, SystemClock};
pub use emulator::Emulator;
pub use faults::{FaultConfig, FaultStatus};
pub use throttle::{ThrottleConfig, ThrottleConfigError, ThrottleLimit, ThrottledOperation};
pub use token::{TokenStatus, TokenValidation};

/// The access key used when none is configured: the base64 encoding of
/// `acs-identity-emulator-well-known-key!` (a development key, not a secret).
pub const DEFAULT_ACCESS_KEY: &str = "YWNzLWlkZW50aXR5LWVtdWxhdG9yLXdlbGwta25vd24ta2V5IQ==";

/// The ACS resource id (a GUID) used when none is configured. Identity ids look like
/// `8:acs:<resource id>_<36-character id>`.
pub const DEFAULT_RESOURCE_ID: &str = "2dee53b4-368b-45b4-ab52-8493fb117652";

/// The default window, in seconds, within which an HMAC request's `x-ms-date` must lie
/// around the emulator's clock (15 minutes, either way).
pub const DEFAULT_MAX_CLOCK_SKEW_SECS: u64 = 900;

/// The default number of Entra assignments per page of `GET /access/entra/assignments`.
pub const DEFAULT_ENTRA_ASSIGNMENTS_PAGE_SIZE: usize = 100;

/// How many deleted identities the emulator remembers by default
/// ([`EmulatorBuilder::deleted_history`]): about 3 MB of records.
pub const DEFAULT_DELETED_HISTORY: usize = 10_000;

/// The default largest request body accepted (64 KiB); larger bodies get `413`.
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024;
