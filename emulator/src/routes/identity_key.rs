//! The `{id}` of `/identities/{id}...`, as an extractor: percent-decoded (or not: both forms
//! arrive) and checked to belong to this resource.

use crate::errors::AcsError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use std::sync::Arc;

/// The store key (lower-case id) of an identity of this resource; 401 `IdentityNotOwned` for a
/// foreign or malformed id.
pub(super) struct IdentityKey(pub(super) String);

impl FromRequestParts<Arc<AppState>> for IdentityKey {
    type Rejection = AcsError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, AcsError> {
        // The path is `/identities/{id}[/:verb]` with the id segment as it arrived; axum's
        // `Path` would refuse an id that is not UTF-8 once decoded with its own 400.
        let raw = parts.uri.path().split('/').nth(2).unwrap_or_default();
        let id = crate::ids::decode_segment(raw).ok_or_else(AcsError::identity_not_owned)?;
        crate::ids::owned_key(&id, &state.owned_prefix)
            .map(IdentityKey)
            .ok_or_else(AcsError::identity_not_owned)
    }
}
