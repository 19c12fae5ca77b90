use super::key_credential::AzureKeyCredential;
use crate::InvalidArgument;
use azure_core::http::Url;
use std::{fmt, str::FromStr};

const EXPECTED_FORMAT: &str =
    "expected `endpoint=https://<resource>.communication.azure.com/;accesskey=<base64 key>` \
     (Azure portal > your Communication Services resource > Keys)";

/// A parsed Communication Services connection string:
/// `endpoint=https://<resource>.communication.azure.com/;accesskey=<base64 key>`.
///
/// Parsing follows the official SDKs' common ground: keys are case-insensitive and
/// may come in any order, whitespace around keys and values is trimmed, empty
/// segments (a trailing `;`) and unknown keys are ignored. A missing or empty
/// `endpoint` or `accesskey`, an endpoint that is not an absolute `http(s)` URL,
/// a repeated key or a key that is not base64 is an error that names the problem
/// and shows the expected format; the error never contains the key.
///
/// ```
/// use acs_common::ConnectionString;
///
/// let cs: ConnectionString =
///     "endpoint=https://contoso.communication.azure.com/;accesskey=cHc9PQ==".parse()?;
/// assert_eq!(cs.endpoint().as_str(), "https://contoso.communication.azure.com/");
/// // The key is never printed.
/// assert!(!format!("{cs:?}").contains("cHc9PQ=="));
///
/// let err = "endpoint=https://contoso.communication.azure.com/".parse::<ConnectionString>().unwrap_err();
/// assert!(err.to_string().contains("`accesskey` is missing"));
/// # Ok::<(), azure_core::Error>(())
/// ```
#[derive(Clone)]
pub struct ConnectionString {
    endpoint: Url,
    credential: AzureKeyCredential,
}

impl ConnectionString {
    /// Parses a connection string; same as [`str::parse`].
    ///
    /// The error is an [`InvalidArgument`] inside an [`azure_core::Error`].
    pub fn parse(connection_string: &str) -> azure_core::Result<Self> {
        connection_string.parse()
    }

    /// The resource endpoint, e.g. `https://contoso.communication.azure.com/`.
    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    /// The access key as a credential.
    pub fn credential(&self) -> &AzureKeyCredential {
        &self.credential
    }

    /// Splits into endpoint and credential.
    pub fn into_parts(self) -> (Url, AzureKeyCredential) {
        (self.endpoint, self.credential)
    }
}

fn invalid(problem: impl fmt::Display) -> InvalidArgument {
    InvalidArgument::new("connection string", format!("{problem}; {EXPECTED_FORMAT}"))
}

impl FromStr for ConnectionString {
    type Err = azure_core::Error;

    /// The error is an [`InvalidArgument`] that names the problem and never
    /// contains the key.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_connection_string(s).map_err(Into::into)
    }
}

fn parse_connection_string(s: &str) -> Result<ConnectionString, InvalidArgument> {
    if s.trim().is_empty() {
        return Err(invalid("the connection string is empty"));
    }
    let mut endpoint: Option<&str> = None;
    let mut access_key: Option<&str> = None;
    for (index, segment) in s.split(';').enumerate() {
        let segment = segment.trim();
        if segment.is_empty() {
            continue;
        }
        // Never echo a segment: it may be (part of) the key.
        let Some((key, value)) = segment.split_once('=') else {
            return Err(invalid(format_args!(
                "segment {} is not a `key=value` pair",
                index + 1
            )));
        };
        let (key, value) = (key.trim(), value.trim());
        let slot = if key.eq_ignore_ascii_case("endpoint") {
            &mut endpoint
        } else if key.eq_ignore_ascii_case("accesskey") {
            &mut access_key
        } else {
            continue;
        };
        if slot.is_some() {
            return Err(invalid(format_args!(
                "`{}` appears more than once",
                key.to_ascii_lowercase()
            )));
        }
        *slot = Some(value);
    }
    let endpoint = match endpoint {
        None => return Err(invalid("`endpoint` is missing")),
        Some("") => return Err(invalid("`endpoint` is empty")),
        Some(e) => e,
    };
    let access_key = match access_key {
        None => return Err(invalid("`accesskey` is missing")),
        Some("") => return Err(invalid("`accesskey` is empty")),
        Some(k) => k,
    };
    let endpoint = check_endpoint(endpoint).map_err(|e| invalid(e.message()))?;
    let credential = AzureKeyCredential::new(access_key);
    credential
        .validate()
        .map_err(|_| invalid("`accesskey` is not valid base64"))?;
    Ok(ConnectionString {
        endpoint,
        credential,
    })
}

/// Parses and checks a resource endpoint: an absolute `http` or `https` URL with a host,
/// no query, fragment or credentials. The path is kept (for gateways) and always ends in `/`.
///
/// Every client of a Communication Services data-plane API takes its endpoint through
/// this check. The error is an [`InvalidArgument`] (argument `endpoint`) that says what
/// is wrong and what is expected.
///
/// ```
/// let url = acs_common::parse_endpoint("https://contoso.communication.azure.com")?;
/// assert_eq!(url.as_str(), "https://contoso.communication.azure.com/");
/// assert!(acs_common::parse_endpoint("ftp://contoso").is_err());
/// # Ok::<(), azure_core::Error>(())
/// ```
pub fn parse_endpoint(endpoint: &str) -> azure_core::Result<Url> {
    check_endpoint(endpoint).map_err(Into::into)
}

fn check_endpoint(endpoint: &str) -> Result<Url, InvalidArgument> {
    let bad = |problem: &str| {
        InvalidArgument::new(
            "endpoint",
            format!(
                "{problem}; expected the resource URL, e.g. `https://<resource>.communication.azure.com/`"
            ),
        )
    };
    let trimmed = endpoint.trim();
    if trimmed.is_empty() {
        return Err(bad("the endpoint is empty"));
    }
    let mut url =
        Url::parse(trimmed).map_err(|e| bad(&format!("the endpoint is not a URL ({e})")))?;
    if url.scheme() != "https" && url.scheme() != "http" {
        return Err(bad(&format!(
            "the endpoint scheme `{}` is not http or https",
            url.scheme()
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("the endpoint has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("the endpoint must not have a query or fragment"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("the endpoint must not contain user credentials"));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

impl fmt::Debug for ConnectionString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectionString")
            .field("endpoint", &self.endpoint.as_str())
            .field("accesskey", &"<redacted>")
            .finish()
    }
}
