//! Each app user's one ACS identity: get-or-create (single-flight in this instance,
//! `insert_if_absent` across instances, the loser's identity deleted), and removal.
//!
//! In the `acs-custom-id` mode the store is this instance's memory only, and ACS itself
//! keeps the mapping: the identity is created with the app user's custom id
//! ([`custom_id_for`]), which gives every instance the same identity. An identity found
//! that way is never deleted as a race's loser (it is the app user's, in every instance).

use crate::{
    cache::{CacheKey, CachedToken},
    custom_ids::custom_id_for,
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
    let custom_id = shared.custom_ids.then(|| custom_id_for(app_user));
    let (acs_user_id, token) = match &with_token {
        Some(w) => {
            let (user, token) = shared
                .acs
                .create_user_and_token(w.scopes, w.lifetime, custom_id)
                .await
                .map_err(|f| f.error)?;
            (user.id().to_owned(), Some(token))
        }
        None => (
            shared
                .acs
                .create_user(custom_id)
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
            // Not mapped: never leave it behind (a custom id's identity is the app user's
            // in ACS itself: kept).
            if !shared.custom_ids {
                discard(shared, &acs_user_id).await;
            }
            return Err(err.into());
        }
    };
    if !won && shared.custom_ids {
        // Only a removal racing this creation gets here: the memory map has another
        // identity for the custom id. Nothing to discard (ACS keeps at most one live
        // identity per custom id).
        return Ok(Ensured {
            mapping,
            created: false,
            token: None,
        });
    }
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

/// The mapping of `app_user`, if it has one. In the `acs-custom-id` mode ACS cannot be
/// asked about a custom id without creating it: the identity is created when this instance
/// does not know it (so there is always one).
pub(crate) async fn find(shared: &Shared, app_user: &str) -> Result<Option<Mapping>, ApiError> {
    if shared.custom_ids {
        return Ok(Some(get_or_create(shared, app_user, None).await?.mapping));
    }
    Ok(shared.store.get(app_user).await?)
}

/// The `acs-custom-id` mode: `acs_user_id`, which this instance remembered for `app_user`,
/// is gone in ACS (deleted through another instance); forgets it and its cached tokens, so
/// the next lookup finds the custom id's current identity.
pub(crate) async fn forget(
    shared: &Shared,
    app_user: &str,
    acs_user_id: &str,
) -> Result<(), ApiError> {
    shared.cache.drop_identity(acs_user_id);
    let _held = shared.creating.lock(app_user).await;
    if shared
        .store
        .get(app_user)
        .await?
        .is_some_and(|m| m.acs_user_id == acs_user_id)
    {
        // The memory store queues a deletion on remove: the identity is gone already.
        shared.store.remove(app_user).await?;
        shared.store.deletion_done(acs_user_id).await?;
    }
    tracing::info!(
        "an identity this instance remembered is gone in ACS; looking up the current one"
    );
    Ok(())
}

/// Removes `app_user`'s mapping (which queues its identity's deletion), then deletes the
/// identity. `Ok(false)`: the app user had none. In the `acs-custom-id` mode an identity this
/// instance does not know is first looked up by creating it (there is always one to delete).
pub(crate) async fn remove(shared: &Shared, app_user: &str) -> Result<bool, ApiError> {
    if shared.custom_ids {
        find(shared, app_user).await?;
    }
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
