use super::CommunicationToken;
use async_trait::async_trait;
use azure_core::Result;
use std::{fmt, future::Future, sync::Arc};

/// Fetches a fresh user access token, typically from your own server (which
/// issues it with the Identity client).
///
/// Closures `Fn() -> impl Future<Output = azure_core::Result<T>>` (where `T`
/// converts into a [`CommunicationToken`]: a `String` JWT or an `AccessToken`)
/// are accepted directly by [`CommunicationTokenRefreshOptions::new`];
/// implement this trait for anything else.
///
/// The credential calls the refresher without holding any lock, at most once at
/// a time, and may drop the returned future before it completes (a caller of
/// [`get_token`](super::CommunicationTokenCredential::get_token) was cancelled):
/// refreshers must be cancellation-safe.
#[async_trait]
pub trait TokenRefresher: Send + Sync {
    /// Returns a new token. Returning an already-expired token is an error.
    async fn refresh(&self) -> Result<CommunicationToken>;
}

struct FnRefresher<F>(F);

#[async_trait]
impl<F, Fut, T> TokenRefresher for FnRefresher<F>
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<T>> + Send + 'static,
    T: Into<CommunicationToken>,
{
    async fn refresh(&self) -> Result<CommunicationToken> {
        (self.0)().await.map(Into::into)
    }
}

/// How a refreshing [`CommunicationTokenCredential`](super::CommunicationTokenCredential)
/// gets its tokens: a refresher, an optional initial token, and whether to
/// refresh proactively in the background.
///
/// ```
/// use acs_common::credential::{CommunicationTokenCredential, CommunicationTokenRefreshOptions};
///
/// # async fn fetch_token_from_my_server() -> azure_core::Result<String> { unimplemented!() }
/// # async fn example() -> azure_core::Result<()> {
/// let options = CommunicationTokenRefreshOptions::new(|| async { fetch_token_from_my_server().await })
///     .with_refresh_proactively(true);
/// let credential = CommunicationTokenCredential::with_options(options)?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct CommunicationTokenRefreshOptions {
    pub(crate) refresher: Arc<dyn TokenRefresher>,
    pub(crate) initial_token: Option<CommunicationToken>,
    pub(crate) refresh_proactively: bool,
}

impl CommunicationTokenRefreshOptions {
    /// Options with an async closure as the refresher. The closure's future
    /// resolves to a `String` JWT, an `AccessToken` (explicit expiry) or a
    /// [`CommunicationToken`].
    pub fn new<F, Fut, T>(refresher: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<T>> + Send + 'static,
        T: Into<CommunicationToken> + 'static,
    {
        Self::from_refresher(Arc::new(FnRefresher(refresher)))
    }

    /// Options with a [`TokenRefresher`] implementation as the refresher.
    pub fn from_refresher(refresher: Arc<dyn TokenRefresher>) -> Self {
        Self {
            refresher,
            initial_token: None,
            refresh_proactively: false,
        }
    }

    /// A token to use until it needs refreshing (default: none, so the first
    /// `get_token` calls the refresher).
    pub fn with_initial_token(mut self, token: impl Into<CommunicationToken>) -> Self {
        self.initial_token = Some(token.into());
        self
    }

    /// Whether to refresh in the background 10 minutes before expiry (default
    /// false: refresh on demand, when less than 2 minutes are left). Requires a
    /// Tokio runtime when the credential is created.
    pub fn with_refresh_proactively(mut self, refresh_proactively: bool) -> Self {
        self.refresh_proactively = refresh_proactively;
        self
    }
}

impl fmt::Debug for CommunicationTokenRefreshOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CommunicationTokenRefreshOptions")
            .field(
                "initial_token",
                &self.initial_token.as_ref().map(|_| "<redacted>"),
            )
            .field("refresh_proactively", &self.refresh_proactively)
            .finish_non_exhaustive()
    }
}
