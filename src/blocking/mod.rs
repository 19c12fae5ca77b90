//! A blocking (synchronous) Identity client, for code without an async runtime: a
//! command-line tool, a build script, a test harness.
//!
//! [`CommunicationIdentityClient`] here has the async client's three constructors and
//! every operation, with the same names, parameters and option types, returning the
//! result instead of a future. It runs the async client on one runtime thread of its
//! own (as `reqwest::blocking` does), which stops when the last clone is dropped.
//! Called from inside an async runtime (any thread where
//! `tokio::runtime::Handle::try_current()` succeeds, `spawn_blocking` threads
//! included), a method returns an error that says to use the async client instead:
//! it never blocks that runtime, deadlocks or panics.
//!
//! Needs the `blocking` feature (off by default).
//!
//! ```no_run
//! use acs_identity::{blocking::CommunicationIdentityClient, CommunicationTokenScope};
//!
//! fn main() -> azure_core::Result<()> {
//!     let connection_string = std::env::var("COMMUNICATION_SERVICES_CONNECTION_STRING").unwrap();
//!     let client = CommunicationIdentityClient::from_connection_string(&connection_string, None)?;
//!     let user = client.create_user(None)?;
//!     let token = client.get_token(&user, &[CommunicationTokenScope::Chat], None)?;
//!     println!("{user}: token expires at {}", token.expires_on);
//!     client.delete_user(&user, None)?;
//!     Ok(())
//! }
//! ```

mod worker;

use crate::{
    AccessToken, AzureKeyCredential, CommunicationIdentityClientOptions, CommunicationTokenScope,
    CommunicationUserDetail, CommunicationUserIdentifier, CreateOrReplaceEntraAssignmentOptions,
    CreateOrReplaceTeamsExtensionAssignmentOptions, CreateUserAndTokenOptions, CreateUserOptions,
    DeleteEntraAssignmentOptions, DeleteTeamsExtensionAssignmentOptions, DeleteUserOptions,
    EntraAssignment, EntraAssignmentsPage, GetEntraAssignmentOptions,
    GetTeamsExtensionAssignmentOptions, GetTokenForTeamsUserOptions, GetTokenOptions,
    GetUserDetailOptions, ListEntraAssignmentsOptions, RevokeTokensOptions,
    TeamsExtensionAssignment, UpdateEntraAssignmentsOptions,
};
use azure_core::{
    credentials::TokenCredential,
    http::{pager::PagerOptions, ClientMethodOptions, Pager, Url},
};
use futures::TryStreamExt;
use std::{fmt, sync::Arc};
use worker::Worker;

/// The blocking twin of [`crate::CommunicationIdentityClient`]. Cheap to clone,
/// `Send + Sync`; see the [module docs](self).
#[derive(Clone)]
pub struct CommunicationIdentityClient {
    inner: Arc<Inner>,
}

struct Inner {
    client: crate::CommunicationIdentityClient,
    // Dropped after `client` (fields drop in order): the last request has ended.
    worker: Worker,
}

/// Method options with their `Context` made `'static`, so that a call can move
/// them to the runtime thread.
trait IntoOwned {
    type Owned: Send + 'static;
    fn into_owned(self) -> Self::Owned;
}

fn owned_method_options(options: ClientMethodOptions<'_>) -> ClientMethodOptions<'static> {
    ClientMethodOptions {
        context: options.context.into_owned(),
    }
}

macro_rules! into_owned {
    ($($ty:ident { $($field:ident),* }),* $(,)?) => {$(
        impl IntoOwned for $ty<'_> {
            type Owned = $ty<'static>;
            fn into_owned(self) -> $ty<'static> {
                $ty {
                    method_options: owned_method_options(self.method_options),
                    $($field: self.$field,)*
                }
            }
        }
    )*};
}

into_owned!(
    CreateUserOptions { custom_id },
    CreateUserAndTokenOptions {
        token_expires_in,
        custom_id
    },
    GetTokenOptions { token_expires_in },
    GetUserDetailOptions {},
    RevokeTokensOptions {},
    DeleteUserOptions {},
    GetTokenForTeamsUserOptions {},
    CreateOrReplaceTeamsExtensionAssignmentOptions {},
    GetTeamsExtensionAssignmentOptions {},
    DeleteTeamsExtensionAssignmentOptions {},
    GetEntraAssignmentOptions {},
    CreateOrReplaceEntraAssignmentOptions {},
    DeleteEntraAssignmentOptions {},
    UpdateEntraAssignmentsOptions {},
);

impl IntoOwned for ListEntraAssignmentsOptions<'_> {
    type Owned = ListEntraAssignmentsOptions<'static>;
    fn into_owned(self) -> ListEntraAssignmentsOptions<'static> {
        ListEntraAssignmentsOptions {
            method_options: PagerOptions {
                context: self.method_options.context.into_owned(),
                continuation: self.method_options.continuation,
            },
        }
    }
}

fn owned<T: IntoOwned>(options: Option<T>) -> Option<T::Owned> {
    options.map(IntoOwned::into_owned)
}

impl CommunicationIdentityClient {
    /// As [`crate::CommunicationIdentityClient::from_connection_string`].
    pub fn from_connection_string(
        connection_string: &str,
        options: Option<CommunicationIdentityClientOptions>,
    ) -> azure_core::Result<Self> {
        Self::wrap(crate::CommunicationIdentityClient::from_connection_string(
            connection_string,
            options,
        )?)
    }

    /// As [`crate::CommunicationIdentityClient::new`] (Entra ID).
    pub fn new(
        endpoint: &str,
        credential: Arc<dyn TokenCredential>,
        options: Option<CommunicationIdentityClientOptions>,
    ) -> azure_core::Result<Self> {
        Self::wrap(crate::CommunicationIdentityClient::new(
            endpoint, credential, options,
        )?)
    }

    /// As [`crate::CommunicationIdentityClient::with_key_credential`].
    pub fn with_key_credential(
        endpoint: &str,
        credential: AzureKeyCredential,
        options: Option<CommunicationIdentityClientOptions>,
    ) -> azure_core::Result<Self> {
        Self::wrap(crate::CommunicationIdentityClient::with_key_credential(
            endpoint, credential, options,
        )?)
    }

    fn wrap(client: crate::CommunicationIdentityClient) -> azure_core::Result<Self> {
        Ok(Self {
            inner: Arc::new(Inner {
                client,
                worker: Worker::start()?,
            }),
        })
    }

    /// The resource endpoint requests go to.
    pub fn endpoint(&self) -> &Url {
        self.inner.client.endpoint()
    }

    /// The api-version sent with every request.
    pub fn api_version(&self) -> &str {
        self.inner.client.api_version()
    }

    /// As [`crate::CommunicationIdentityClient::create_user`].
    pub fn create_user(
        &self,
        options: Option<CreateUserOptions<'_>>,
    ) -> azure_core::Result<CommunicationUserIdentifier> {
        let (client, options) = (self.inner.client.clone(), owned(options));
        self.inner
            .worker
            .run(async move { client.create_user(options).await })
    }

    /// As [`crate::CommunicationIdentityClient::create_user_and_token`].
    pub fn create_user_and_token(
        &self,
        scopes: &[CommunicationTokenScope],
        options: Option<CreateUserAndTokenOptions<'_>>,
    ) -> azure_core::Result<(CommunicationUserIdentifier, AccessToken)> {
        let (client, options, scopes) =
            (self.inner.client.clone(), owned(options), scopes.to_vec());
        self.inner
            .worker
            .run(async move { client.create_user_and_token(&scopes, options).await })
    }

    /// As [`crate::CommunicationIdentityClient::get_token`].
    pub fn get_token(
        &self,
        user: &CommunicationUserIdentifier,
        scopes: &[CommunicationTokenScope],
        options: Option<GetTokenOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        let (client, options) = (self.inner.client.clone(), owned(options));
        let (user, scopes) = (user.clone(), scopes.to_vec());
        self.inner
            .worker
            .run(async move { client.get_token(&user, &scopes, options).await })
    }

    /// As [`crate::CommunicationIdentityClient::get_user_detail`].
    pub fn get_user_detail(
        &self,
        user: &CommunicationUserIdentifier,
        options: Option<GetUserDetailOptions<'_>>,
    ) -> azure_core::Result<CommunicationUserDetail> {
        let (client, options, user) = (self.inner.client.clone(), owned(options), user.clone());
        self.inner
            .worker
            .run(async move { client.get_user_detail(&user, options).await })
    }

    /// As [`crate::CommunicationIdentityClient::revoke_tokens`].
    pub fn revoke_tokens(
        &self,
        user: &CommunicationUserIdentifier,
        options: Option<RevokeTokensOptions<'_>>,
    ) -> azure_core::Result<()> {
        let (client, options, user) = (self.inner.client.clone(), owned(options), user.clone());
        self.inner
            .worker
            .run(async move { client.revoke_tokens(&user, options).await })
    }

    /// As [`crate::CommunicationIdentityClient::delete_user`].
    pub fn delete_user(
        &self,
        user: &CommunicationUserIdentifier,
        options: Option<DeleteUserOptions<'_>>,
    ) -> azure_core::Result<()> {
        let (client, options, user) = (self.inner.client.clone(), owned(options), user.clone());
        self.inner
            .worker
            .run(async move { client.delete_user(&user, options).await })
    }

    /// As [`crate::CommunicationIdentityClient::get_token_for_teams_user`].
    pub fn get_token_for_teams_user(
        &self,
        aad_token: &str,
        client_id: &str,
        user_object_id: &str,
        options: Option<GetTokenForTeamsUserOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        let (client, options) = (self.inner.client.clone(), owned(options));
        let (aad_token, client_id, user_object_id) = (
            aad_token.to_owned(),
            client_id.to_owned(),
            user_object_id.to_owned(),
        );
        self.inner.worker.run(async move {
            client
                .get_token_for_teams_user(&aad_token, &client_id, &user_object_id, options)
                .await
        })
    }

    /// As [`crate::CommunicationIdentityClient::create_or_replace_teams_extension_assignment`].
    pub fn create_or_replace_teams_extension_assignment(
        &self,
        assignment: &TeamsExtensionAssignment,
        options: Option<CreateOrReplaceTeamsExtensionAssignmentOptions<'_>>,
    ) -> azure_core::Result<TeamsExtensionAssignment> {
        let (client, options) = (self.inner.client.clone(), owned(options));
        let assignment = assignment.clone();
        self.inner.worker.run(async move {
            client
                .create_or_replace_teams_extension_assignment(&assignment, options)
                .await
        })
    }

    /// As [`crate::CommunicationIdentityClient::get_teams_extension_assignment`].
    pub fn get_teams_extension_assignment(
        &self,
        tenant_id: &str,
        object_id: &str,
        options: Option<GetTeamsExtensionAssignmentOptions<'_>>,
    ) -> azure_core::Result<TeamsExtensionAssignment> {
        let (client, options) = (self.inner.client.clone(), owned(options));
        let (tenant_id, object_id) = (tenant_id.to_owned(), object_id.to_owned());
        self.inner.worker.run(async move {
            client
                .get_teams_extension_assignment(&tenant_id, &object_id, options)
                .await
        })
    }

    /// As [`crate::CommunicationIdentityClient::delete_teams_extension_assignment`].
    pub fn delete_teams_extension_assignment(
        &self,
        tenant_id: &str,
        object_id: &str,
        options: Option<DeleteTeamsExtensionAssignmentOptions<'_>>,
    ) -> azure_core::Result<()> {
        let (client, options) = (self.inner.client.clone(), owned(options));
        let (tenant_id, object_id) = (tenant_id.to_owned(), object_id.to_owned());
        self.inner.worker.run(async move {
            client
                .delete_teams_extension_assignment(&tenant_id, &object_id, options)
                .await
        })
    }
}

impl CommunicationIdentityClient {
    /// As [`crate::CommunicationIdentityClient::list_entra_assignments`]: an
    /// iterator that fetches each page when it runs out of items.
    pub fn list_entra_assignments(
        &self,
        options: Option<ListEntraAssignmentsOptions<'_>>,
    ) -> azure_core::Result<EntraAssignments> {
        let pager = self.inner.client.list_entra_assignments(owned(options))?;
        Ok(EntraAssignments {
            client: self.clone(),
            pager: Some(pager),
        })
    }

    /// As [`crate::CommunicationIdentityClient::get_entra_assignment`].
    pub fn get_entra_assignment(
        &self,
        object_id: &str,
        options: Option<GetEntraAssignmentOptions<'_>>,
    ) -> azure_core::Result<EntraAssignment> {
        let (client, options, object_id) = (
            self.inner.client.clone(),
            owned(options),
            object_id.to_owned(),
        );
        self.inner
            .worker
            .run(async move { client.get_entra_assignment(&object_id, options).await })
    }

    /// As [`crate::CommunicationIdentityClient::create_or_replace_entra_assignment`].
    pub fn create_or_replace_entra_assignment(
        &self,
        assignment: &EntraAssignment,
        options: Option<CreateOrReplaceEntraAssignmentOptions<'_>>,
    ) -> azure_core::Result<EntraAssignment> {
        let (client, options, assignment) = (
            self.inner.client.clone(),
            owned(options),
            assignment.clone(),
        );
        self.inner.worker.run(async move {
            client
                .create_or_replace_entra_assignment(&assignment, options)
                .await
        })
    }

    /// As [`crate::CommunicationIdentityClient::delete_entra_assignment`].
    pub fn delete_entra_assignment(
        &self,
        object_id: &str,
        options: Option<DeleteEntraAssignmentOptions<'_>>,
    ) -> azure_core::Result<()> {
        let (client, options, object_id) = (
            self.inner.client.clone(),
            owned(options),
            object_id.to_owned(),
        );
        self.inner
            .worker
            .run(async move { client.delete_entra_assignment(&object_id, options).await })
    }

    /// As [`crate::CommunicationIdentityClient::update_entra_assignments`].
    pub fn update_entra_assignments(
        &self,
        changes: &[(String, Option<EntraAssignment>)],
        options: Option<UpdateEntraAssignmentsOptions<'_>>,
    ) -> azure_core::Result<Vec<EntraAssignment>> {
        let (client, options, changes) =
            (self.inner.client.clone(), owned(options), changes.to_vec());
        self.inner
            .worker
            .run(async move { client.update_entra_assignments(&changes, options).await })
    }
}

/// The blocking [`list_entra_assignments`](CommunicationIdentityClient::list_entra_assignments):
/// an iterator of assignments that fetches pages on the client's runtime thread
/// as it goes. It ends after the first error.
pub struct EntraAssignments {
    client: CommunicationIdentityClient,
    pager: Option<Pager<EntraAssignmentsPage>>,
}

impl Iterator for EntraAssignments {
    type Item = azure_core::Result<EntraAssignment>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut pager = self.pager.take()?;
        let result = self.client.inner.worker.run(async move {
            let next = pager.try_next().await;
            Ok((pager, next))
        });
        match result {
            Ok((pager, Ok(Some(assignment)))) => {
                self.pager = Some(pager);
                Some(Ok(assignment))
            }
            Ok((_, Ok(None))) => None,
            Ok((_, Err(err))) | Err(err) => Some(Err(err)),
        }
    }
}

impl fmt::Debug for EntraAssignments {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EntraAssignments")
            .field("done", &self.pager.is_none())
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for CommunicationIdentityClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("blocking::CommunicationIdentityClient")
            .field(&self.inner.client)
            .finish()
    }
}
