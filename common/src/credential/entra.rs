//! The Entra user credential: a Teams Phone (Teams Extension) or Entra user signs
//! in with Entra ID, and [`EntraCommunicationTokenCredentialOptions`] makes a
//! [`CommunicationTokenCredential`](super::CommunicationTokenCredential) that
//! exchanges that Entra token for an ACS token, and again whenever the ACS token
//! needs refreshing.

use super::{CommunicationToken, TokenRefresher};
use crate::{
    auth::parse_endpoint,
    service_error::{quoted, service_error},
    CommunicationIdentifier, InvalidArgument,
};
use async_trait::async_trait;
use azure_core::{
    credentials::TokenCredential,
    error::{Error, ErrorKind},
    http::{
        headers::{ACCEPT, AUTHORIZATION, CONTENT_TYPE},
        ClientOptions, Context, Method, Pipeline, Request, Url,
    },
    Bytes,
};
use serde::Deserialize;
use std::{
    fmt,
    sync::{Arc, Mutex},
};

/// The Entra scope of the Entra user exchange, the default.
pub const ENTRA_CLIENTS_SCOPE: &str = "https://communication.azure.com/clients/.default";

/// Scopes under these prefixes select the Teams Extension (Teams Phone) exchange.
const TEAMS_EXTENSION_PREFIXES: [&str; 2] = [
    "https://auth.msft.communication.azure.com/",
    "https://auth.msft.communication.azure.us/",
];
/// Scopes under this prefix select the Entra user exchange.
const ENTRA_PREFIX: &str = "https://communication.azure.com/clients/";

/// How an Entra user gets ACS tokens: the ACS resource endpoint, the Entra
/// credential the user signed in with (any azure_core [`TokenCredential`], e.g.
/// from `azure_identity`), the Entra scopes to ask it for, and the pipeline
/// options of the exchange requests.
///
/// The scopes decide the exchange, as in the official SDKs:
///
/// | scopes (all of them) | request |
/// |---|---|
/// | under `https://auth.msft.communication.azure.com/` or `https://auth.msft.communication.azure.us/` (e.g. `.../TeamsExtension.ManageCalls`) | `POST {endpoint}/access/teamsExtension/:exchangeAccessToken?api-version=2025-06-30` |
/// | under `https://communication.azure.com/clients/` (the default, [`ENTRA_CLIENTS_SCOPE`]) | `POST {endpoint}/access/entra/:exchangeAccessToken?api-version=2025-03-02-preview` |
///
/// Mixed, empty or other scopes are an [`InvalidArgument`] from
/// [`CommunicationTokenCredential::from_entra`](super::CommunicationTokenCredential::from_entra).
///
/// ```no_run
/// use acs_common::credential::{CommunicationTokenCredential, EntraCommunicationTokenCredentialOptions};
/// use std::sync::Arc;
///
/// # fn example(entra: Arc<dyn azure_core::credentials::TokenCredential>) -> azure_core::Result<()> {
/// let options = EntraCommunicationTokenCredentialOptions {
///     scopes: vec!["https://auth.msft.communication.azure.com/TeamsExtension.ManageCalls".into()],
///     ..EntraCommunicationTokenCredentialOptions::new(
///         "https://my-resource.communication.azure.com",
///         entra,
///     )
/// };
/// let credential = CommunicationTokenCredential::from_entra(options)?;
/// # let _ = credential;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct EntraCommunicationTokenCredentialOptions {
    /// The ACS resource endpoint, e.g. `https://my-resource.communication.azure.com`.
    /// Must be `https` (the request carries the user's Entra token), except
    /// `http://127.0.0.1`, `http://localhost` or `http://[::1]` for a local emulator.
    pub resource_endpoint: String,
    /// The Entra credential the user signed in with. It is asked for a token for
    /// [`scopes`](Self::scopes) before every exchange (it caches as it sees fit).
    pub token_credential: Arc<dyn TokenCredential>,
    /// The Entra scopes; [`ENTRA_CLIENTS_SCOPE`] by default.
    pub scopes: Vec<String>,
    /// azure_core pipeline options of the exchange requests: retry, transport,
    /// policies, logging.
    pub client_options: ClientOptions,
}

impl EntraCommunicationTokenCredentialOptions {
    /// Options for `resource_endpoint` and `token_credential`, with the default
    /// scope [`ENTRA_CLIENTS_SCOPE`] and default client options.
    pub fn new(
        resource_endpoint: impl Into<String>,
        token_credential: Arc<dyn TokenCredential>,
    ) -> Self {
        Self {
            resource_endpoint: resource_endpoint.into(),
            token_credential,
            scopes: vec![ENTRA_CLIENTS_SCOPE.to_owned()],
            client_options: ClientOptions::default(),
        }
    }
}

impl fmt::Debug for EntraCommunicationTokenCredentialOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EntraCommunicationTokenCredentialOptions")
            .field("resource_endpoint", &self.resource_endpoint)
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

/// Which exchange a set of scopes selects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Exchange {
    TeamsExtension,
    Entra,
}

impl Exchange {
    fn for_scopes(scopes: &[String]) -> Result<Self, InvalidArgument> {
        let expected = "expected Entra scopes all under https://communication.azure.com/clients/ \
             (the default, https://communication.azure.com/clients/.default), or all under \
             https://auth.msft.communication.azure.com/ (Teams Phone, e.g. \
             .../TeamsExtension.ManageCalls)";
        if scopes.is_empty() {
            return Err(InvalidArgument::new(
                "scopes",
                format!("no scope given; {expected}"),
            ));
        }
        let teams = |s: &String| TEAMS_EXTENSION_PREFIXES.iter().any(|p| s.starts_with(p));
        let entra = |s: &String| s.starts_with(ENTRA_PREFIX);
        if scopes.iter().all(teams) {
            Ok(Self::TeamsExtension)
        } else if scopes.iter().all(entra) {
            Ok(Self::Entra)
        } else {
            Err(InvalidArgument::new(
                "scopes",
                format!("the scopes {scopes:?} are mixed or of neither kind; {expected}"),
            ))
        }
    }

    fn path_and_version(self) -> (&'static str, &'static str) {
        match self {
            Self::TeamsExtension => ("access/teamsExtension/:exchangeAccessToken", "2025-06-30"),
            Self::Entra => ("access/entra/:exchangeAccessToken", "2025-03-02-preview"),
        }
    }
}

/// Whether an `http` endpoint is a loopback one (the only ones allowed plain).
fn is_loopback(url: &Url) -> bool {
    matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"))
}

/// The refresher behind an Entra credential: one exchange per refresh.
pub(crate) struct EntraExchange {
    url: Url,
    scopes: Vec<String>,
    token_credential: Arc<dyn TokenCredential>,
    pipeline: Pipeline,
    identity: Mutex<Option<CommunicationIdentifier>>,
}

impl EntraExchange {
    pub(crate) fn new(
        options: EntraCommunicationTokenCredentialOptions,
    ) -> azure_core::Result<Self> {
        let exchange = Exchange::for_scopes(&options.scopes)?;
        let endpoint = parse_endpoint(&options.resource_endpoint)?;
        if endpoint.scheme() != "https" && !is_loopback(&endpoint) {
            return Err(InvalidArgument::new(
                "resource_endpoint",
                "the exchange sends the user's Entra token, so it needs an https endpoint \
                 (plain http only to 127.0.0.1, localhost or [::1], for a local emulator)",
            )
            .into());
        }
        let mut client_options = options.client_options;
        if client_options.transport.is_none() {
            client_options.transport = default_transport()?;
        }
        let (path, version) = exchange.path_and_version();
        let mut url = endpoint.clone();
        url.set_path(&format!("{}{path}", endpoint.path()));
        url.query_pairs_mut().append_pair("api-version", version);
        let pipeline = Pipeline::new(
            option_env!("CARGO_PKG_NAME"),
            option_env!("CARGO_PKG_VERSION"),
            client_options,
            Vec::new(),
            Vec::new(),
            None,
        );
        Ok(Self {
            url,
            scopes: options.scopes,
            token_credential: options.token_credential,
            pipeline,
            identity: Mutex::new(None),
        })
    }

    /// The identity the service named in the last successful exchange.
    pub(crate) fn identity(&self) -> Option<CommunicationIdentifier> {
        self.identity
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

#[cfg(feature = "reqwest")]
fn default_transport() -> azure_core::Result<Option<azure_core::http::Transport>> {
    Ok(None)
}

#[cfg(not(feature = "reqwest"))]
fn default_transport() -> azure_core::Result<Option<azure_core::http::Transport>> {
    Err(InvalidArgument::new(
        "client_options.transport",
        "no HTTP transport: enable acs-common's `reqwest` feature (a default feature), or set \
         client_options.transport to an azure_core HttpClient",
    )
    .into())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExchangeAnswer {
    identity: ExchangeIdentity,
    access_token: ExchangeToken,
}

#[derive(Deserialize)]
struct ExchangeIdentity {
    id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExchangeToken {
    token: String,
    expires_on: String,
}

#[async_trait]
impl TokenRefresher for EntraExchange {
    async fn refresh(&self) -> azure_core::Result<CommunicationToken> {
        let scopes: Vec<&str> = self.scopes.iter().map(String::as_str).collect();
        let entra = self.token_credential.get_token(&scopes, None).await?;
        let mut request = Request::new(self.url.clone(), Method::Post);
        request.insert_header(AUTHORIZATION, format!("Bearer {}", entra.token.secret()));
        request.insert_header(ACCEPT, "application/json");
        request.insert_header(CONTENT_TYPE, "application/json");
        request.set_body(Bytes::from_static(b"{}"));
        let response = self
            .pipeline
            .send(&Context::new(), &mut request, None)
            .await
            .map_err(service_error)?;
        let status = u16::from(response.status());
        let answer: ExchangeAnswer =
            serde_json::from_slice(response.body().as_ref()).map_err(|e| {
                // Never quote the body: it holds a token.
                Error::with_message(
                    ErrorKind::DataConversion,
                    format!(
                    "the token exchange answered HTTP {status} but its body is not an identity \
                     and access token ({:?} error at line {}, column {})",
                    e.classify(),
                    e.line(),
                    e.column()
                ),
                )
            })?;
        let expires_on =
            azure_core::time::parse_rfc3339(&answer.access_token.expires_on).map_err(|_| {
                Error::with_message(
                    ErrorKind::DataConversion,
                    format!(
                        "the token exchange returned an expiresOn `{}` that is not an RFC 3339 \
                         date-time",
                        quoted(&answer.access_token.expires_on)
                    ),
                )
            })?;
        *self.identity.lock().unwrap_or_else(|e| e.into_inner()) =
            Some(CommunicationIdentifier::from_raw_id(&answer.identity.id));
        Ok(CommunicationToken::with_expiry(
            answer.access_token.token,
            expires_on,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scopes(s: &[&str]) -> Vec<String> {
        s.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn scopes_select_the_exchange() {
        assert_eq!(
            Exchange::for_scopes(&scopes(&[ENTRA_CLIENTS_SCOPE])).unwrap(),
            Exchange::Entra
        );
        assert_eq!(
            Exchange::for_scopes(&scopes(&[
                "https://auth.msft.communication.azure.com/TeamsExtension.ManageCalls",
                "https://auth.msft.communication.azure.us/TeamsExtension.ManageCalls",
            ]))
            .unwrap(),
            Exchange::TeamsExtension
        );
        for bad in [
            scopes(&[]),
            scopes(&[
                ENTRA_CLIENTS_SCOPE,
                "https://auth.msft.communication.azure.com/TeamsExtension.ManageCalls",
            ]),
            scopes(&["https://communication.azure.com//.default"]),
            scopes(&["https://graph.microsoft.com/.default"]),
        ] {
            let err = Exchange::for_scopes(&bad).unwrap_err();
            assert_eq!(err.argument(), "scopes");
            assert!(err.message().contains("expected Entra scopes"), "{err}");
        }
    }
}
