use crate::models::api_version;
use azure_core::{
    fmt::SafeDebug,
    http::{pager::PagerOptions, ClientMethodOptions, ClientOptions},
};
use std::time::Duration;

/// How long one attempt may wait for a response before it is abandoned (and,
/// like a connection error, retried by the retry policy).
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The longest wait a 429 or 503 `Retry-After` (or `retry-after-ms`) is honoured
/// for; a longer one fails the call at once instead of sleeping.
pub const DEFAULT_MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Options for [`CommunicationIdentityClient`](crate::CommunicationIdentityClient).
///
/// ```
/// use acs_identity::{models::api_version, CommunicationIdentityClientOptions};
/// use azure_core::http::{ClientOptions, ExponentialRetryOptions, RetryOptions};
///
/// let options = CommunicationIdentityClientOptions {
///     api_version: api_version::V2022_10_01.to_owned(),
///     client_options: ClientOptions {
///         retry: RetryOptions::exponential(ExponentialRetryOptions {
///             max_retries: 3,
///             ..Default::default()
///         }),
///         ..Default::default()
///     },
///     ..Default::default()
/// };
/// assert_eq!(options.api_version, "2022-10-01");
/// ```
#[derive(Clone, SafeDebug)]
#[safe(true)]
pub struct CommunicationIdentityClientOptions {
    /// The service API version, [`api_version::DEFAULT`] (`2026-09-23`) unless set.
    /// Any string is sent as given; see [`api_version`](crate::models::api_version).
    pub api_version: String,
    /// azure_core pipeline options: retry, transport, per-call and per-try
    /// policies, user agent, logging, instrumentation.
    pub client_options: ClientOptions,
    /// With access-key authentication, sign for this host instead of the
    /// endpoint's, for a gateway or proxy in front of the service (as .NET's and
    /// Java's HMAC policies allow). Host as the service sees it, with `:port`
    /// only for a non-default port.
    pub signing_host: Option<String>,
    /// The longest one attempt waits for a response; `None` means the default,
    /// [`DEFAULT_REQUEST_TIMEOUT`] (30 s). A timed-out attempt is retried like a
    /// connection error. `Some(Duration::MAX)` turns the limit off: an attempt
    /// then waits as long as the transport does.
    pub request_timeout: Option<Duration>,
    /// The longest wait a throttled (429) or unavailable (503) answer's
    /// `Retry-After` / `retry-after-ms` / `x-ms-retry-after-ms` is honoured for
    /// ([`DEFAULT_MAX_RETRY_AFTER`]). When the service asks for longer, the call
    /// fails at once with that 429/503 (its message says how long the service
    /// asked to wait) instead of sleeping. `None` means the default,
    /// [`DEFAULT_MAX_RETRY_AFTER`] (60 s); `Some(Duration::MAX)` honours any wait,
    /// as azure_core does on its own.
    pub max_retry_after: Option<Duration>,
}

impl Default for CommunicationIdentityClientOptions {
    fn default() -> Self {
        Self {
            api_version: api_version::DEFAULT.to_owned(),
            client_options: ClientOptions::default(),
            signing_host: None,
            request_timeout: None,
            max_retry_after: None,
        }
    }
}

/// Options for [`create_user`](crate::CommunicationIdentityClient::create_user).
///
/// ```
/// use acs_identity::CreateUserOptions;
///
/// // Map your app's user id to one ACS identity (api-version 2025-03-02-preview).
/// let options = CreateUserOptions {
///     custom_id: Some("alice@contoso.com".to_owned()),
///     ..Default::default()
/// };
/// # let _ = options;
/// ```
#[derive(Clone, Default, SafeDebug)]
#[safe(true)]
pub struct CreateUserOptions<'a> {
    /// Per-call options: the azure_core `Context` (tracing, custom values).
    pub method_options: ClientMethodOptions<'a>,
    /// Your own id for the identity (1 to 256 characters), e.g. your app's user
    /// id. Creating again with the same custom id returns the same identity
    /// while it exists (so a retried create makes no second identity), and
    /// [`get_user_detail`](crate::CommunicationIdentityClient::get_user_detail)
    /// reads it back. Needs api-version `2025-03-02-preview`. Left out of
    /// `Debug` (it may be an e-mail address; azure_core's `SafeDebug`).
    #[safe(false)]
    pub custom_id: Option<String>,
}

/// Options for [`create_user_and_token`](crate::CommunicationIdentityClient::create_user_and_token).
#[derive(Clone, Default, SafeDebug)]
#[safe(true)]
pub struct CreateUserAndTokenOptions<'a> {
    /// Per-call options: the azure_core `Context` (tracing, custom values).
    pub method_options: ClientMethodOptions<'a>,
    /// The token's lifetime: whole minutes from 1 hour to 24 hours (checked
    /// before sending on the api-versions this crate knows; on another version
    /// the service judges it). The service's default (24 hours) when `None`.
    /// Needs api-version 2022-10-01 or later.
    pub token_expires_in: Option<Duration>,
    /// Your own id for the identity, as [`CreateUserOptions::custom_id`]: the same
    /// custom id returns the same identity (with a new token). Needs api-version
    /// `2025-03-02-preview`. Left out of `Debug`, as there.
    #[safe(false)]
    pub custom_id: Option<String>,
}

/// Options for [`get_token`](crate::CommunicationIdentityClient::get_token).
#[derive(Clone, Default, SafeDebug)]
#[safe(true)]
pub struct GetTokenOptions<'a> {
    /// Per-call options: the azure_core `Context` (tracing, custom values).
    pub method_options: ClientMethodOptions<'a>,
    /// The token's lifetime: whole minutes from 1 hour to 24 hours (checked
    /// before sending on the api-versions this crate knows; on another version
    /// the service judges it). The service's default (24 hours) when `None`.
    /// Needs api-version 2022-10-01 or later.
    pub token_expires_in: Option<Duration>,
}

/// Options for [`revoke_tokens`](crate::CommunicationIdentityClient::revoke_tokens).
#[derive(Clone, Default, SafeDebug)]
#[safe(true)]
pub struct RevokeTokensOptions<'a> {
    /// Per-call options: the azure_core `Context` (tracing, custom values).
    pub method_options: ClientMethodOptions<'a>,
}

/// Options for [`delete_user`](crate::CommunicationIdentityClient::delete_user).
#[derive(Clone, Default, SafeDebug)]
#[safe(true)]
pub struct DeleteUserOptions<'a> {
    /// Per-call options: the azure_core `Context` (tracing, custom values).
    pub method_options: ClientMethodOptions<'a>,
}

/// Options for [`get_token_for_teams_user`](crate::CommunicationIdentityClient::get_token_for_teams_user).
#[derive(Clone, Default, SafeDebug)]
#[safe(true)]
pub struct GetTokenForTeamsUserOptions<'a> {
    /// Per-call options: the azure_core `Context` (tracing, custom values).
    pub method_options: ClientMethodOptions<'a>,
}

/// Options for [`get_user_detail`](crate::CommunicationIdentityClient::get_user_detail).
#[derive(Clone, Default, SafeDebug)]
#[safe(true)]
pub struct GetUserDetailOptions<'a> {
    /// Per-call options: the azure_core `Context` (tracing, custom values).
    pub method_options: ClientMethodOptions<'a>,
}

/// Options for [`create_or_replace_teams_extension_assignment`](crate::CommunicationIdentityClient::create_or_replace_teams_extension_assignment).
#[derive(Clone, Default, SafeDebug)]
#[safe(true)]
pub struct CreateOrReplaceTeamsExtensionAssignmentOptions<'a> {
    /// Per-call options: the azure_core `Context` (tracing, custom values).
    pub method_options: ClientMethodOptions<'a>,
}

/// Options for [`get_teams_extension_assignment`](crate::CommunicationIdentityClient::get_teams_extension_assignment).
#[derive(Clone, Default, SafeDebug)]
#[safe(true)]
pub struct GetTeamsExtensionAssignmentOptions<'a> {
    /// Per-call options: the azure_core `Context` (tracing, custom values).
    pub method_options: ClientMethodOptions<'a>,
}

/// Options for [`delete_teams_extension_assignment`](crate::CommunicationIdentityClient::delete_teams_extension_assignment).
#[derive(Clone, Default, SafeDebug)]
#[safe(true)]
pub struct DeleteTeamsExtensionAssignmentOptions<'a> {
    /// Per-call options: the azure_core `Context` (tracing, custom values).
    pub method_options: ClientMethodOptions<'a>,
}

/// Options for [`list_entra_assignments`](crate::CommunicationIdentityClient::list_entra_assignments).
///
/// A list takes azure_core's `PagerOptions` (its `Context`, and a `continuation`
/// to resume from a pager's [`into_continuation`](azure_core::http::Pager::into_continuation)),
/// as the Azure SDK for Rust's list operations do.
#[derive(Clone, Default, SafeDebug)]
#[safe(true)]
pub struct ListEntraAssignmentsOptions<'a> {
    /// Per-call options: the `Context`, and where to resume.
    pub method_options: PagerOptions<'a>,
}

/// Options for [`get_entra_assignment`](crate::CommunicationIdentityClient::get_entra_assignment).
#[derive(Clone, Default, SafeDebug)]
#[safe(true)]
pub struct GetEntraAssignmentOptions<'a> {
    /// Per-call options: the azure_core `Context` (tracing, custom values).
    pub method_options: ClientMethodOptions<'a>,
}

/// Options for [`create_or_replace_entra_assignment`](crate::CommunicationIdentityClient::create_or_replace_entra_assignment).
#[derive(Clone, Default, SafeDebug)]
#[safe(true)]
pub struct CreateOrReplaceEntraAssignmentOptions<'a> {
    /// Per-call options: the azure_core `Context` (tracing, custom values).
    pub method_options: ClientMethodOptions<'a>,
}

/// Options for [`delete_entra_assignment`](crate::CommunicationIdentityClient::delete_entra_assignment).
#[derive(Clone, Default, SafeDebug)]
#[safe(true)]
pub struct DeleteEntraAssignmentOptions<'a> {
    /// Per-call options: the azure_core `Context` (tracing, custom values).
    pub method_options: ClientMethodOptions<'a>,
}

/// Options for [`update_entra_assignments`](crate::CommunicationIdentityClient::update_entra_assignments).
#[derive(Clone, Default, SafeDebug)]
#[safe(true)]
pub struct UpdateEntraAssignmentsOptions<'a> {
    /// Per-call options: the azure_core `Context` (tracing, custom values).
    pub method_options: ClientMethodOptions<'a>,
}
