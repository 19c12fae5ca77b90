use super::{key_credential::AzureKeyCredential, signing};
use crate::InvalidArgument;
use async_trait::async_trait;
use azure_core::{
    error::{Error, ErrorKind},
    http::{
        headers::{HeaderName, AUTHORIZATION},
        policies::{Policy, PolicyResult},
        Body, Context, Request,
    },
    time::OffsetDateTime,
};
use std::sync::Arc;

const X_MS_DATE: HeaderName = HeaderName::from_static("x-ms-date");
const X_MS_CONTENT_SHA256: HeaderName = HeaderName::from_static("x-ms-content-sha256");

/// Signs requests with an access key (HMAC-SHA256), as Azure Communication Services expects.
///
/// For each request (and each retry, since it runs per try) it sets `x-ms-date`
/// to the current time, `x-ms-content-sha256` to the hash of the exact body
/// bytes, and an `Authorization` header whose signature covers the method, the
/// path and query exactly as sent, the date, the host (with its port when it is
/// not the default) and the content hash.
///
/// `acs_identity::CommunicationIdentityClient` installs it
/// for you; use it directly to sign requests to other ACS APIs through your own
/// azure_core pipeline, or call [`sign`](Self::sign) on a request.
///
/// ```
/// use acs_common::{AzureKeyCredential, HmacAuthenticationPolicy};
/// use azure_core::http::{Method, Request, Url};
///
/// let policy = HmacAuthenticationPolicy::new(AzureKeyCredential::new("pw=="));
/// let url = Url::parse("https://example.com/testPath?testQuery=test").unwrap();
/// let mut request = Request::new(url, Method::Get);
/// let date = azure_core::time::parse_rfc3339("2022-04-13T18:09:12Z").unwrap();
/// policy.sign_at(&mut request, date).unwrap();
/// let authorization = request.headers().get_optional_str(&"authorization".into()).unwrap();
/// assert!(authorization.ends_with("Signature=DGdgwggJWnQyc6EHjR/Vbqg1ES64KpD6U2XwTDDj3tU="));
/// ```
#[derive(Clone, Debug)]
pub struct HmacAuthenticationPolicy {
    credential: AzureKeyCredential,
    signing_host: Option<String>,
}

impl HmacAuthenticationPolicy {
    /// A policy that signs with `credential`'s current key.
    pub fn new(credential: AzureKeyCredential) -> Self {
        Self {
            credential,
            signing_host: None,
        }
    }

    /// Signs for `host` instead of the request URL's host.
    ///
    /// Use this when requests go through a gateway or proxy whose host differs
    /// from the Communication Services resource the signature is checked by
    /// (e.g. `my-resource.communication.azure.com`). Give the host as the service
    /// sees it, with `:port` only for a non-default port.
    pub fn with_signing_host(mut self, host: impl Into<String>) -> Self {
        self.signing_host = Some(host.into());
        self
    }

    /// Signs `request` in place with the current time.
    pub fn sign(&self, request: &mut Request) -> azure_core::Result<()> {
        self.sign_at(request, OffsetDateTime::now_utc())
    }

    /// Signs `request` in place as of `date` (useful for reproducible signatures).
    pub fn sign_at(&self, request: &mut Request, date: OffsetDateTime) -> azure_core::Result<()> {
        let content_sha256 =
            match request.body() {
                Body::Bytes(bytes) => signing::content_sha256(bytes),
                #[allow(unreachable_patterns)]
                _ => return Err(Error::with_message(
                    ErrorKind::Other,
                    "HMAC signing needs the whole request body; streamed bodies are not supported",
                )),
            };
        let date = signing::format_date(date);
        let url = request.url();
        let (host, port) = match &self.signing_host {
            Some(host) => (host.as_str(), None),
            None => (
                url.host_str().ok_or_else(|| {
                    Error::new(
                        ErrorKind::Other,
                        InvalidArgument::new(
                            "endpoint",
                            "the request URL has no host; expected an absolute https:// URL",
                        ),
                    )
                })?,
                // `Some` only when it is not the scheme's default.
                url.port(),
            ),
        };
        let method = request.method();
        let string_to_sign = signing::string_to_sign(
            method.as_ref(),
            url.path(),
            url.query(),
            &date,
            host,
            port,
            &content_sha256,
        );
        let signature = self
            .credential
            .with_key(|key| signing::signature(key, &string_to_sign))
            .map_err(|e| Error::new(ErrorKind::Credential, e))?;
        request.insert_header(X_MS_DATE, date);
        request.insert_header(X_MS_CONTENT_SHA256, content_sha256);
        request.insert_header(AUTHORIZATION, signing::authorization(&signature));
        Ok(())
    }
}

#[async_trait]
impl Policy for HmacAuthenticationPolicy {
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        self.sign(request)?;
        next[0].send(ctx, request, &next[1..]).await
    }
}
