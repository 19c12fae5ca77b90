//! The user credential for chat, calling and other ACS clients:
//! [`CommunicationTokenCredential`].
//!
//! A user access token (issued by the Identity service, e.g. with
//! `acs_identity::CommunicationIdentityClient::get_token`)
//! is what an end user's app authenticates with. The credential hands that
//! token out and keeps it fresh:
//!
//! | rule | behaviour |
//! |---|---|
//! | static token ([`CommunicationTokenCredential::new`]) | always returned, even when expired (like every official SDK) |
//! | on-demand refresh | `get_token` calls the refresher (and waits) when less than **2 minutes** of the token's life are left |
//! | proactive refresh (`with_refresh_proactively(true)`) | a background Tokio task calls the refresher **10 minutes** before expiry |
//! | refresher returns a token already inside the window | the next refresh happens after **half its remaining life** (at least 1 s), so short-lived tokens cannot cause a refresh loop |
//! | refresher returns an expired token | error (`ErrorKind::Credential`) |
//! | refresher fails | on demand: the error is returned, the next call retries; proactive: logged, retried after half the remaining life |
//! | concurrent callers | share one refresher call (single flight); no lock is held while it runs |
//! | cancellation | dropping a `get_token` future is safe: the next caller refreshes |
//! | [`close`](CommunicationTokenCredential::close) / dropping the last clone | stops the background timer; calls after `close` are errors |
//!
//! Expiry is read from the JWT `exp` claim; opaque tokens need an explicit
//! expiry ([`CommunicationToken::with_expiry`] or an `AccessToken`).
//!
//! ```
//! use acs_common::CommunicationTokenCredential;
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> azure_core::Result<()> {
//! // A JWT whose exp is 3000-01-01.
//! let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjMyNTAzNjgwMDAwfQ.9i7FNNHHJT8cOzo-yrAUJyBSfJ-tPPk2emcHavOEpWc";
//! let credential = CommunicationTokenCredential::new(jwt)?;
//! let token = credential.get_token().await?;
//! assert_eq!(token.token.secret(), jwt);
//! assert_eq!(token.expires_on.year(), 3000);
//! assert!(!format!("{credential:?}").contains(jwt));
//! # Ok(()) }
//! ```

mod clock;
mod entra;
mod jwt;
mod options;
mod refresh;
mod token;

pub use entra::{EntraCommunicationTokenCredentialOptions, ENTRA_CLIENTS_SCOPE};
pub use options::{CommunicationTokenRefreshOptions, TokenRefresher};
pub use token::CommunicationToken;

use crate::CommunicationIdentifier;
use async_trait::async_trait;
use azure_core::{
    credentials::{AccessToken, TokenCredential, TokenRequestOptions},
    Result,
};
use entra::EntraExchange;
use refresh::Engine;
use std::{fmt, sync::Arc};

/// A user access-token credential for ACS clients (chat, calling, rooms, …).
///
/// Create it from a static token with [`new`](Self::new), or from
/// [`CommunicationTokenRefreshOptions`] (a refresher, an optional initial
/// token, and proactive refresh) with [`with_options`](Self::with_options).
/// See the [module docs](self) for the refresh rules.
///
/// It implements [`TokenCredential`] (scopes are ignored: an ACS user token
/// has none), so it plugs into any azure_core pipeline's bearer policy.
/// Clones are cheap and share one token cache; it is `Send + Sync`. `Debug`
/// never shows the token.
///
/// ```no_run
/// use acs_common::credential::{CommunicationTokenCredential, CommunicationTokenRefreshOptions};
/// use azure_core::credentials::TokenCredential;
/// use std::sync::Arc;
///
/// # async fn fetch_token_for_user() -> azure_core::Result<String> { unimplemented!() }
/// # async fn example() -> azure_core::Result<()> {
/// let credential = CommunicationTokenCredential::with_options(
///     CommunicationTokenRefreshOptions::new(|| fetch_token_for_user())
///         .with_refresh_proactively(true),
/// )?;
/// let for_a_pipeline: Arc<dyn TokenCredential> = Arc::new(credential.clone());
/// let token = credential.get_token().await?;
/// # let _ = (for_a_pipeline, token);
/// credential.close();
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct CommunicationTokenCredential {
    engine: Arc<Engine>,
    /// The exchange behind an Entra credential.
    entra: Option<Arc<EntraExchange>>,
}

impl CommunicationTokenCredential {
    /// A credential that always returns `token` (a JWT string, or an
    /// `AccessToken` / [`CommunicationToken::with_expiry`] for opaque tokens).
    ///
    /// The token is returned even after it expires. Fails when the expiry of a
    /// JWT cannot be decoded.
    ///
    /// ```
    /// use acs_common::CommunicationTokenCredential;
    ///
    /// let error = CommunicationTokenCredential::new("not-a-jwt").unwrap_err();
    /// assert!(error.to_string().contains("expiry explicitly"));
    /// ```
    pub fn new(token: impl Into<CommunicationToken>) -> Result<Self> {
        let token = token.into().into_access_token()?;
        Ok(Self {
            engine: Arc::new(Engine::fixed(token)),
            entra: None,
        })
    }

    /// A refreshing credential. Fails when the initial token's expiry cannot
    /// be decoded, or when proactive refresh is requested outside a Tokio runtime.
    pub fn with_options(options: CommunicationTokenRefreshOptions) -> Result<Self> {
        let initial = options
            .initial_token
            .map(CommunicationToken::into_access_token)
            .transpose()?;
        let engine = Engine::refreshing(options.refresher, initial, options.refresh_proactively)?;
        Ok(Self {
            engine,
            entra: None,
        })
    }

    /// A credential for a Teams Phone (Teams Extension) or Entra user who signed in
    /// with Entra ID: each refresh asks `options.token_credential` for an Entra
    /// token and exchanges it for an ACS token (see
    /// [`EntraCommunicationTokenCredentialOptions`] for which exchange the scopes
    /// select). The usual refresh rules apply (on demand when less than 2 minutes
    /// are left, fractional backoff, single flight, [`close`](Self::close)).
    ///
    /// Errors at construction, before anything is sent: scopes that are empty,
    /// mixed or of neither kind, an endpoint that is not a URL, or one that is
    /// not `https` (plain `http` only to 127.0.0.1, localhost or `[::1]`). A failed
    /// exchange is an error with the service's status and ACS code, returned to
    /// the caller of `get_token`; the next call tries again (no loop).
    ///
    /// ```no_run
    /// use acs_common::credential::{CommunicationTokenCredential, EntraCommunicationTokenCredentialOptions};
    ///
    /// # async fn example(entra: std::sync::Arc<dyn azure_core::credentials::TokenCredential>) -> azure_core::Result<()> {
    /// let credential = CommunicationTokenCredential::from_entra(
    ///     EntraCommunicationTokenCredentialOptions::new("https://my-resource.communication.azure.com", entra),
    /// )?;
    /// let token = credential.get_token().await?;
    /// println!("{:?} until {}", credential.communication_identifier(), token.expires_on);
    /// # Ok(()) }
    /// ```
    pub fn from_entra(options: EntraCommunicationTokenCredentialOptions) -> Result<Self> {
        let exchange = Arc::new(EntraExchange::new(options)?);
        let refresher: Arc<dyn TokenRefresher> = exchange.clone();
        let engine = Engine::refreshing(refresher, None, false)?;
        Ok(Self {
            engine,
            entra: Some(exchange),
        })
    }

    /// Who the user became: for an Entra credential, after its first exchange, the
    /// identity the service named (a [`TeamsExtensionUser`](CommunicationIdentifier::TeamsExtensionUser)
    /// for Teams Phone, the ACS identity of an Entra user); `None` before the first
    /// exchange and for static and refresher credentials.
    pub fn communication_identifier(&self) -> Option<CommunicationIdentifier> {
        self.entra.as_ref().and_then(|exchange| exchange.identity())
    }

    /// Returns a token valid for at least 2 more minutes when a refresher is
    /// configured (refreshing first if needed), or the static token.
    ///
    /// Cancellation-safe: dropping the future never blocks later calls.
    /// Errors after [`close`](Self::close), when the refresher fails, or when it
    /// returns an expired or undecodable token.
    pub async fn get_token(&self) -> Result<AccessToken> {
        self.engine.get_token().await
    }

    /// Stops the background refresh and makes every later `get_token` an error.
    /// Affects all clones. Idempotent.
    pub fn close(&self) {
        self.engine.close();
    }

    /// Whether [`close`](Self::close) has been called.
    pub fn is_closed(&self) -> bool {
        self.engine.is_closed()
    }
}

impl fmt::Debug for CommunicationTokenCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CommunicationTokenCredential")
            .field("refreshing", &self.engine.is_refreshing())
            .field("entra", &self.entra.is_some())
            .field("refresh_proactively", &self.engine.is_proactive())
            .field("expires_on", &self.engine.expires_on())
            .field("closed", &self.engine.is_closed())
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl TokenCredential for CommunicationTokenCredential {
    /// Same as [`CommunicationTokenCredential::get_token`]; `scopes` and
    /// `options` are ignored (ACS user tokens carry their own scopes).
    async fn get_token(
        &self,
        _scopes: &[&str],
        _options: Option<TokenRequestOptions<'_>>,
    ) -> Result<AccessToken> {
        self.engine.get_token().await
    }
}
