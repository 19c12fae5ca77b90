//! [`Shared`]: what every handler reaches through the router's state.

use crate::{
    acs::Acs, cache::TokenCache, caller::CallerAuthenticator, config::ServiceConfig,
    metrics::Metrics, single_flight::KeyedLocks, store::MappingStore,
};
use std::sync::Arc;

/// The service's parts, shared by its handlers and background task.
pub(crate) struct Shared {
    pub config: ServiceConfig,
    pub acs: Acs,
    pub store: Arc<dyn MappingStore>,
    pub authenticator: Arc<dyn CallerAuthenticator>,
    pub cache: TokenCache,
    pub metrics: Arc<Metrics>,
    /// One get-or-create at a time per app user in this instance.
    pub creating: KeyedLocks,
}

/// The router's state.
pub(crate) type AppState = Arc<Shared>;
