//! The Identity client: [`CommunicationIdentityClient`], its options and operations.

mod clock_skew;
mod custom_id;
mod duration_text;
mod entra_assignments;
mod guid;
mod identities;
mod options;
mod per_try_timeout;
mod request;
mod retry_after_limit;
mod retry_error;
mod teams_extension;

pub use custom_id::{CustomIdIgnored, MAX_CUSTOM_ID_CHARS};
pub use entra_assignments::EntraAssignmentsPage;
pub use options::{
    CommunicationIdentityClientOptions, CreateOrReplaceEntraAssignmentOptions,
    CreateOrReplaceTeamsExtensionAssignmentOptions, CreateUserAndTokenOptions, CreateUserOptions,
    DeleteEntraAssignmentOptions, DeleteTeamsExtensionAssignmentOptions, DeleteUserOptions,
    GetEntraAssignmentOptions, GetTeamsExtensionAssignmentOptions, GetTokenForTeamsUserOptions,
    GetTokenOptions, GetUserDetailOptions, ListEntraAssignmentsOptions, RevokeTokensOptions,
    UpdateEntraAssignmentsOptions, DEFAULT_MAX_RETRY_AFTER, DEFAULT_REQUEST_TIMEOUT,
};

use crate::{
    auth::{
        parse_endpoint, AzureKeyCredential, ConnectionString, HmacAuthenticationPolicy,
        COMMUNICATION_SCOPE,
    },
    InvalidArgument,
};
use azure_core::{
    credentials::TokenCredential,
    http::{
        policies::{auth::BearerTokenAuthorizationPolicy, Policy},
        Pipeline, Url,
    },
};
use per_try_timeout::PerTryTimeoutPolicy;
use retry_after_limit::RetryAfterLimitPolicy;
use std::{fmt, sync::Arc};

/// A client for the Azure Communication Services Identity service: create and
/// delete identities, issue and revoke their access tokens, and exchange a Teams
/// user's Entra ID token for an ACS token.
///
/// The client is cheap to clone (an `Arc` inside) and `Send + Sync`: build one and
/// share it. It sits on the azure_core pipeline, so retries, the
/// `x-ms-client-request-id` and `User-Agent` headers, logging and tracing come
/// from [`ClientOptions`](azure_core::http::ClientOptions).
///
/// ```no_run
/// use acs_identity::{CommunicationIdentityClient, CommunicationTokenScope};
///
/// # async fn example() -> azure_core::Result<()> {
/// let connection_string = std::env::var("COMMUNICATION_SERVICES_CONNECTION_STRING").unwrap();
/// let client = CommunicationIdentityClient::from_connection_string(&connection_string, None)?;
/// let user = client.create_user(None).await?;
/// let token = client.get_token(&user, &[CommunicationTokenScope::Chat], None).await?;
/// println!("{user} gets a token expiring at {}", token.expires_on);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct CommunicationIdentityClient {
    inner: Arc<Inner>,
}

struct Inner {
    endpoint: Url,
    api_version: String,
    /// `api-version=<form-encoded version>`: the same for every request, built once.
    query: String,
    pipeline: Pipeline,
    auth: AuthKind,
    /// Whether a tracer provider is configured (public-API spans are created).
    traced: bool,
}

impl CommunicationIdentityClient {
    /// A client authenticated with the access key in a connection string
    /// (`endpoint=https://<resource>.communication.azure.com/;accesskey=<key>`).
    ///
    /// See [`ConnectionString`] for the accepted syntax. The error for a malformed
    /// string names the problem and never contains the key.
    pub fn from_connection_string(
        connection_string: &str,
        options: Option<CommunicationIdentityClientOptions>,
    ) -> azure_core::Result<Self> {
        let (endpoint, credential) = ConnectionString::parse(connection_string)?.into_parts();
        Self::with_key(endpoint, credential, options)
    }

    /// A client authenticated with Entra ID: any azure_core [`TokenCredential`], e.g.
    /// `azure_identity::DeveloperToolsCredential` or a managed identity. Tokens are
    /// requested for [`COMMUNICATION_SCOPE`]. The endpoint must be `https`.
    ///
    /// ```no_run
    /// use acs_identity::CommunicationIdentityClient;
    ///
    /// # fn example() -> azure_core::Result<()> {
    /// let credential = azure_identity::DeveloperToolsCredential::new(None)?;
    /// let client = CommunicationIdentityClient::new(
    ///     "https://my-resource.communication.azure.com",
    ///     credential,
    ///     None,
    /// )?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn new(
        endpoint: &str,
        credential: Arc<dyn TokenCredential>,
        options: Option<CommunicationIdentityClientOptions>,
    ) -> azure_core::Result<Self> {
        let endpoint = parse_endpoint(endpoint)?;
        if endpoint.scheme() != "https" {
            return Err(InvalidArgument::new(
                "endpoint",
                "Entra ID (bearer token) authentication needs an https endpoint; \
                 use https:// or authenticate with an access key",
            )
            .into());
        }
        let auth: Arc<dyn Policy> = Arc::new(BearerTokenAuthorizationPolicy::new(
            credential,
            [COMMUNICATION_SCOPE],
        ));
        Self::build(
            endpoint,
            auth,
            AuthKind::EntraId,
            options.unwrap_or_default(),
        )
    }

    /// A client authenticated with an access key.
    ///
    /// ```
    /// use acs_identity::{AzureKeyCredential, CommunicationIdentityClient};
    ///
    /// let client = CommunicationIdentityClient::with_key_credential(
    ///     "https://my-resource.communication.azure.com",
    ///     AzureKeyCredential::new("cHc9PQ=="),
    ///     None,
    /// )?;
    /// assert_eq!(client.endpoint().as_str(), "https://my-resource.communication.azure.com/");
    /// # Ok::<(), azure_core::Error>(())
    /// ```
    pub fn with_key_credential(
        endpoint: &str,
        credential: AzureKeyCredential,
        options: Option<CommunicationIdentityClientOptions>,
    ) -> azure_core::Result<Self> {
        let endpoint = parse_endpoint(endpoint)?;
        Self::with_key(endpoint, credential, options)
    }

    fn with_key(
        endpoint: Url,
        credential: AzureKeyCredential,
        options: Option<CommunicationIdentityClientOptions>,
    ) -> azure_core::Result<Self> {
        credential.validate()?;
        let options = options.unwrap_or_default();
        let mut policy = HmacAuthenticationPolicy::new(credential);
        if let Some(host) = &options.signing_host {
            if host.trim().is_empty() || host.contains(['/', ' ', ';']) {
                return Err(InvalidArgument::new(
                    "signing_host",
                    "expected a host name with an optional :port, e.g. `my-resource.communication.azure.com`",
                )
                .into());
            }
            policy = policy.with_signing_host(host.clone());
        }
        Self::build(endpoint, Arc::new(policy), AuthKind::AccessKey, options)
    }

    fn build(
        endpoint: Url,
        auth: Arc<dyn Policy>,
        auth_kind: AuthKind,
        options: CommunicationIdentityClientOptions,
    ) -> azure_core::Result<Self> {
        let api_version = options.api_version.trim().to_owned();
        if api_version.is_empty() {
            return Err(InvalidArgument::new(
                "api_version",
                "the api-version is empty; expected e.g. `2023-10-01` (the default)",
            )
            .into());
        }
        // With `client_options.transport` unset the pipeline uses azure_core's
        // default HttpClient (reqwest). Without the `reqwest` feature azure_core
        // has none, and it panics when asked for one: say so as an error instead.
        #[cfg(not(feature = "reqwest"))]
        if options.client_options.transport.is_none() {
            return Err(InvalidArgument::new(
                "client_options.transport",
                "no HTTP transport: set client_options.transport to an azure_core HttpClient \
                 (e.g. a reqwest::Client), or enable acs-identity's `reqwest` feature \
                 (a default feature: azure_core's reqwest transport)",
            )
            .into());
        }
        // Per try, inside azure_core's retry policy, outermost first, one policy
        // per concern (docs/reliability.md): refuse over-long Retry-After waits,
        // end an attempt after `request_timeout`, then authenticate (HMAC
        // signature or bearer token) next to the transport, as azure_core places
        // an authorization policy. Per call, azure_core's own policies
        // (request id, user agent, instrumentation) come from `Pipeline::new`;
        // what is per call about the result (the retry policy's wrapped errors
        // given back, the clock-skew hint on a 401) is the error mapping in
        // `request.rs`.
        let mut per_try: Vec<Arc<dyn Policy>> = Vec::with_capacity(3);
        if let Some(max) = options.max_retry_after {
            per_try.push(Arc::new(RetryAfterLimitPolicy { max }));
        }
        if let Some(timeout) = options.request_timeout {
            per_try.push(Arc::new(PerTryTimeoutPolicy { timeout }));
        }
        per_try.push(auth);
        let traced = options
            .client_options
            .instrumentation
            .tracer_provider
            .is_some();
        let pipeline = Pipeline::new(
            option_env!("CARGO_PKG_NAME"),
            option_env!("CARGO_PKG_VERSION"),
            options.client_options,
            Vec::new(),
            per_try,
            None,
        );
        let query = {
            let mut scratch = endpoint.clone();
            scratch
                .query_pairs_mut()
                .clear()
                .append_pair("api-version", &api_version);
            scratch.query().unwrap_or_default().to_owned()
        };
        Ok(Self {
            inner: Arc::new(Inner {
                endpoint,
                api_version,
                query,
                pipeline,
                auth: auth_kind,
                traced,
            }),
        })
    }

    /// The resource endpoint requests go to.
    pub fn endpoint(&self) -> &Url {
        &self.inner.endpoint
    }

    /// The api-version sent with every request.
    pub fn api_version(&self) -> &str {
        &self.inner.api_version
    }
}

/// How the client authenticates: its auth policy, and whether a 401 gets the clock-skew hint.
#[derive(Clone, Copy, PartialEq, Eq)]
enum AuthKind {
    AccessKey,
    EntraId,
}

impl fmt::Debug for AuthKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::AccessKey => "access key",
            Self::EntraId => "Entra ID",
        })
    }
}

impl fmt::Debug for CommunicationIdentityClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CommunicationIdentityClient")
            .field("endpoint", &self.inner.endpoint.as_str())
            .field("api_version", &self.inner.api_version)
            .field("auth", &self.inner.auth)
            .finish_non_exhaustive()
    }
}
