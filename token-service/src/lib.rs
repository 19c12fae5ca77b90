#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod acs;
mod cache;
pub mod caller;
mod config;
mod deletions;
pub mod error;
mod identity;
pub mod jwt;
pub mod limiter;
pub mod limits;
pub mod metrics;
mod routes;
mod scopes;
pub mod server;
mod service;
pub mod settings;
mod single_flight;
mod state;
pub mod store;

pub use caller::{Caller, CallerAuthenticator, Rejection, RejectionKind};
pub use config::ServiceConfig;
pub use error::ApiError;
pub use limits::{Limit, Limits, Operation};
pub use routes::TEAMS_TOKEN_HEADER;
pub use service::{BuildError, TokenService, TokenServiceBuilder};
