//! Fetching the issuer's keys: the discovery document, the JWKS (over HTTPS, or plain HTTP
//! on loopback only), or a local JWKS file.

use super::{config::JwksSource, keys::KeySet};
use std::{sync::Mutex, time::Duration};

/// The largest discovery document or JWKS read (Entra's JWKS is a few KiB).
const MAX_BODY: usize = 1024 * 1024;

/// Checks that `url` may be fetched: `https://`, or `http://` to 127.0.0.1, localhost or
/// `[::1]` (a local issuer in development and tests). `what` names the setting in the error.
pub(crate) fn check_url(url: &str, what: &str) -> Result<reqwest::Url, String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("{what} is not a URL ({e})"))?;
    match parsed.scheme() {
        "https" => Ok(parsed),
        "http" if is_loopback(&parsed) => Ok(parsed),
        "http" => Err(format!(
            "{what} must use https:// (plain http:// only for 127.0.0.1, localhost or [::1])"
        )),
        other => Err(format!(
            "{what} has the scheme `{other}`; expected https:// (plain http:// only on loopback)"
        )),
    }
}

fn is_loopback(url: &reqwest::Url) -> bool {
    matches!(
        url.host_str().map(str::to_ascii_lowercase).as_deref(),
        Some("localhost" | "127.0.0.1" | "[::1]")
    )
}

/// Gets the issuer's current key set from its source.
pub(crate) struct Fetcher {
    client: reqwest::Client,
    source: JwksSource,
    issuer: String,
    /// The discovery document's `jwks_uri`, once known (forgotten when a fetch from it fails).
    discovered: Mutex<Option<reqwest::Url>>,
}

impl Fetcher {
    pub(crate) fn new(
        source: JwksSource,
        issuer: String,
        timeout: Duration,
    ) -> Result<Self, String> {
        let policy = reqwest::redirect::Policy::custom(|attempt| {
            if attempt.previous().len() >= 5 {
                attempt.error("too many redirects")
            } else if check_url(attempt.url().as_str(), "a redirect").is_err() {
                attempt.error("a redirect to a URL that is neither https nor loopback")
            } else {
                attempt.follow()
            }
        });
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(policy)
            .build()
            .map_err(|e| format!("cannot build the HTTP client for key fetches: {e}"))?;
        Ok(Self {
            client,
            source,
            issuer,
            discovered: Mutex::new(None),
        })
    }

    /// The current key set, or why it could not be had (no secret in the message).
    pub(crate) async fn fetch(&self) -> Result<KeySet, String> {
        let body = match &self.source {
            JwksSource::File(path) => read_file(path).await?,
            JwksSource::Url(url) => {
                let url = check_url(url, "the JWKS URL")?;
                self.get(url, "the JWKS").await?
            }
            JwksSource::Discovery => {
                let url = self.jwks_uri().await?;
                match self.get(url, "the JWKS").await {
                    Ok(body) => body,
                    Err(e) => {
                        *self.discovered.lock().unwrap_or_else(|p| p.into_inner()) = None;
                        return Err(e);
                    }
                }
            }
        };
        KeySet::parse(&body)
    }

    async fn jwks_uri(&self) -> Result<reqwest::Url, String> {
        if let Some(url) = self
            .discovered
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
        {
            return Ok(url);
        }
        let base = self.issuer.trim_end_matches('/');
        let url = check_url(
            &format!("{base}/.well-known/openid-configuration"),
            "the discovery document URL",
        )?;
        let body = self.get(url, "the discovery document").await?;
        let doc: serde_json::Value = serde_json::from_slice(&body)
            .map_err(|_| "the discovery document is not JSON".to_owned())?;
        // OpenID Connect Discovery 1.0 §4.3: the document's issuer must be the one asked for.
        if doc.get("issuer").and_then(|v| v.as_str()) != Some(self.issuer.as_str()) {
            return Err(
                "the discovery document's `issuer` is not the configured issuer".to_owned(),
            );
        }
        let jwks_uri = doc
            .get("jwks_uri")
            .and_then(|v| v.as_str())
            .ok_or_else(|| "the discovery document has no `jwks_uri`".to_owned())?;
        let url = check_url(jwks_uri, "the discovery document's jwks_uri")?;
        *self.discovered.lock().unwrap_or_else(|p| p.into_inner()) = Some(url.clone());
        Ok(url)
    }

    async fn get(&self, url: reqwest::Url, what: &str) -> Result<Vec<u8>, String> {
        let mut response = self
            .client
            .get(url)
            .header("accept", "application/json")
            .send()
            .await
            .map_err(|e| format!("cannot fetch {what}: {}", describe(&e)))?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!("{what} answered HTTP {}", status.as_u16()));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| format!("cannot read {what}: {}", describe(&e)))?
        {
            if body.len() + chunk.len() > MAX_BODY {
                return Err(format!("{what} is larger than {MAX_BODY} bytes"));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

fn describe(e: &reqwest::Error) -> &'static str {
    if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else if e.is_redirect() {
        "refused redirect"
    } else {
        "request failed"
    }
}

async fn read_file(path: &std::path::Path) -> Result<Vec<u8>, String> {
    let meta = tokio::fs::metadata(path)
        .await
        .map_err(|e| format!("cannot read the JWKS file {}: {e}", path.display()))?;
    if meta.len() > MAX_BODY as u64 {
        return Err(format!(
            "the JWKS file {} is larger than {MAX_BODY} bytes",
            path.display()
        ));
    }
    tokio::fs::read(path)
        .await
        .map_err(|e| format!("cannot read the JWKS file {}: {e}", path.display()))
}
