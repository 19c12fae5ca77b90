//! Building the client from the global settings: authentication, api-version, retries,
//! the `--verbose` policy.

use crate::{
    args::{Global, CONNECTION_STRING_ENV, ENDPOINT_ENV},
    error::CliError,
    verbose::RequestLogPolicy,
};
use acs_identity::{
    models::api_version, CommunicationIdentityClient, CommunicationIdentityClientOptions,
};
use azure_core::http::{ClientOptions, ExponentialRetryOptions, RetryOptions};
use std::sync::Arc;

/// Where the credentials come from.
enum Auth {
    ConnectionString(String),
    Endpoint(String),
}

/// The first non-empty one of: `--connection-string`, `--endpoint`, the connection-string
/// variable, the endpoint variable. A flag beats the environment.
fn auth(global: &Global, env: impl Fn(&str) -> Option<String>) -> Option<Auth> {
    let set = |v: Option<String>| v.filter(|v| !v.trim().is_empty());
    set(global.connection_string.clone())
        .map(Auth::ConnectionString)
        .or_else(|| set(global.endpoint.clone()).map(Auth::Endpoint))
        .or_else(|| set(env(CONNECTION_STRING_ENV)).map(Auth::ConnectionString))
        .or_else(|| set(env(ENDPOINT_ENV)).map(Auth::Endpoint))
}

/// A client for a command. `preferred_version` is the api-version the command needs when
/// `--api-version` is not given (`None`: the client's default).
pub fn build(
    global: &Global,
    preferred_version: Option<&str>,
) -> Result<CommunicationIdentityClient, CliError> {
    let Some(auth) = auth(global, |name| std::env::var(name).ok()) else {
        return Err(CliError::usage(format!(
            "no authentication configured: set {CONNECTION_STRING_ENV} (or --connection-string) \
             to the resource's connection string `endpoint=https://<resource>.communication.azure.com/;accesskey=<key>`, \
             or {ENDPOINT_ENV} (or --endpoint) to its endpoint `https://<resource>.communication.azure.com` \
             and sign in with `az login`"
        )));
    };
    let api_version = global
        .api_version
        .clone()
        .or_else(|| preferred_version.map(str::to_owned))
        .unwrap_or_else(|| api_version::DEFAULT.to_owned());
    let retry = if global.retries == 0 {
        RetryOptions::none()
    } else {
        RetryOptions::exponential(ExponentialRetryOptions {
            max_retries: global.retries,
            ..Default::default()
        })
    };
    let mut client_options = ClientOptions {
        retry,
        ..Default::default()
    };
    if global.verbose {
        client_options
            .per_call_policies
            .push(Arc::new(RequestLogPolicy));
    }
    let options = CommunicationIdentityClientOptions {
        api_version,
        client_options,
        ..Default::default()
    };
    let client = match auth {
        Auth::ConnectionString(cs) => {
            CommunicationIdentityClient::from_connection_string(&cs, Some(options))?
        }
        Auth::Endpoint(endpoint) => {
            let credential = azure_identity::DeveloperToolsCredential::new(None)?;
            CommunicationIdentityClient::new(&endpoint, credential, Some(options))?
        }
    };
    Ok(client)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::Output;

    fn global(cs: Option<&str>, endpoint: Option<&str>) -> Global {
        Global {
            connection_string: cs.map(str::to_owned),
            endpoint: endpoint.map(str::to_owned),
            api_version: None,
            output: Output::Text,
            retries: 0,
            verbose: false,
        }
    }

    fn which(auth: Option<Auth>) -> Option<String> {
        auth.map(|a| match a {
            Auth::ConnectionString(s) => format!("cs {s}"),
            Auth::Endpoint(s) => format!("endpoint {s}"),
        })
    }

    #[test]
    fn flags_beat_the_environment_and_blanks_do_not_count() {
        let env = |name: &str| match name {
            CONNECTION_STRING_ENV => Some("env-cs".to_owned()),
            ENDPOINT_ENV => Some("env-endpoint".to_owned()),
            _ => None,
        };
        let none = |_: &str| None;
        assert_eq!(which(auth(&global(None, None), none)), None);
        assert_eq!(which(auth(&global(None, None), env)).unwrap(), "cs env-cs");
        assert_eq!(
            which(auth(&global(None, Some("flag-e")), env)).unwrap(),
            "endpoint flag-e"
        );
        assert_eq!(
            which(auth(&global(Some("flag-cs"), Some("flag-e")), env)).unwrap(),
            "cs flag-cs"
        );
        assert_eq!(which(auth(&global(Some(" "), None), none)), None);
        let endpoint_only = |name: &str| (name == ENDPOINT_ENV).then(|| "env-e".to_owned());
        assert_eq!(
            which(auth(&global(None, None), endpoint_only)).unwrap(),
            "endpoint env-e"
        );
    }
}
