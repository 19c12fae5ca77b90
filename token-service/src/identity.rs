//! Each app user's one ACS identity: get-or-create (single-flight in this instance,
//! `insert_if_absent` across instances, the loser's identity deleted), and removal.

use crate::{
    cache::{CacheKey, CachedToken},
    error::ApiError,
    state::Shared,
    store::Mapping,
};
use acs_identity::{AccessToken, CommunicationTokenScope};
use std::time::Duration;

/// A token to issue together with a new identity (one createUserAndToken call).
pub(crate) struct WithToken<'a> {
    pub scopes: &'a [CommunicationTokenScope],
    pub lifetime: Option<Duration>,
    /// The cache key's scopes part (sorted, comma-separated).
    pub scopes_key: &'a str,
    /// The cache key's lifetime part.
    pub lifetime_minutes: Option<u32>,
}

/// The mapping of `app_user`, created when it has none. `created` says whether this call
/// made it; `token` is the token issued with a new identity when `with_token` asked for
/// one.
pub(crate) struct Ensured {
    pub mapping: Mapping,
    pub created: bool,
    pub token: Option<AccessToken>,
}

pub(crate) async fn get_or_create(
    shared: &Shared,
    app_user: &str,
    with_token: Option<WithToken<'_>>,
) -> Result<Ensured, ApiError> {
    if let Some(mapping) = shared.store.get(app_user).await? {
        return Ok(Ensured {
            mapping,
            created: false,
            token: None,
        });
    }
    // One creation per app user at a time in this instance: the others wait and find it.
    let _held = shared.creating.lock(app_user).await;
    if let Some(mapping) = shared.store.get(app_user).await? {
        return Ok(Ensured {
            mapping,
            created: false,
            token: None,
        });
    }
    let (acs_user_id, token) = match &with_token {
        Some(w) => {
            let (user, token) = shared
                .acs
                .create_user_and_token(w.scopes, w.lifetime)
                .await
                .map_err(|f| f.error)?;
            (user.id().to_owned(), Some(token))
        }
        None => (
            shared
                .acs
                .create_user()
                .await
                .map_err(|f| f.error)?
                .id()
                .to_owned(),
            None,
        ),
    };
    let (mapping, won) = match shared.store.insert_if_absent(app_user, &acs_user_id).await {
        Ok(outcome) => outcome,
        Err(err) => {
            // Not mapped: never leave it behind.
            discard(shared, &acs_user_id).await;
            return Err(err.into());
        }
    };
    if !won {
        // Another instance mapped the app user first: its identity is the one.
        tracing::info!(
            "lost a create race to another instance; deleting the identity it made redundant"
        );
        discard(shared, &acs_user_id).await;
        return Ok(Ensured {
            mapping,
            created: false,
            token: None,
        });
    }
    if let (Some(w), Some(token)) = (&with_token, &token) {
        // Cached before the app user's lock is released: the requests that waited for this
        // creation find the token instead of issuing another.
        shared.cache.put(
            &CacheKey {
                acs_user_id: mapping.acs_user_id.clone(),
                scopes: w.scopes_key.to_owned(),
                lifetime_minutes: w.lifetime_minutes,
            },
            CachedToken {
                token: token.clone(),
                revocations: mapping.revocations,
            },
        );
    }
    Ok(Ensured {
        mapping,
        created: true,
        token,
    })
}

/// Deletes an identity no mapping holds; queues it in the store when that fails.
async fn discard(shared: &Shared, acs_user_id: &str) {
    if let Err(failure) = shared.acs.delete_user(acs_user_id).await {
        tracing::warn!(error = %failure.error, "deleting an unmapped identity failed; queued for retry");
        if let Err(err) = shared.store.queue_deletion(acs_user_id).await {
            tracing::error!(%err, "could not queue the deletion of an unmapped identity");
        }
    }
}

/// Removes `app_user`'s mapping (which queues its identity's deletion), then deletes the
/// identity. `Ok(false)`: the app user had none.
pub(crate) async fn remove(shared: &Shared, app_user: &str) -> Result<bool, ApiError> {
    let Some(acs_user_id) = shared.store.remove(app_user).await? else {
        return Ok(false);
    };
    shared.cache.drop_identity(&acs_user_id);
    delete_queued(shared, &acs_user_id).await;
    Ok(true)
}

/// Deletes a queued identity in ACS and settles its to-do in the store. Returns whether
/// it is gone.
pub(crate) async fn delete_queued(shared: &Shared, acs_user_id: &str) -> bool {
    match shared.acs.delete_user(acs_user_id).await {
        Ok(()) => {
            if let Err(err) = shared.store.deletion_done(acs_user_id).await {
                tracing::warn!(%err, "identity deleted, but its to-do stays queued (retried later, harmlessly)");
            }
            true
        }
        Err(failure) => {
            tracing::warn!(error = %failure.error, "deleting an identity failed; it stays queued");
            if let Err(err) = shared
                .store
                .deletion_failed(acs_user_id, failure.error.message())
                .await
            {
                tracing::error!(%err, "could not record a failed identity deletion");
            }
            false
        }
    }
}
