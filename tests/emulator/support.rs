//! Helpers for the tests that drive the `acs-identity` client against the emulator.

use acs_identity::{CommunicationIdentityClient, CommunicationIdentityClientOptions};
use azure_core::http::{ClientOptions, Transport};
use std::sync::Arc;

/// Client options with the given api-version; with `ca_pem`, over a
/// `reqwest::Client` that trusts it, built as a user would for a private CA
/// (README, "Proxies and custom CA roots"); without, azure_core's default.
pub fn options(ca_pem: Option<&str>, api_version: &str) -> CommunicationIdentityClientOptions {
    let mut client_options = ClientOptions::default();
    if let Some(pem) = ca_pem {
        let http = reqwest::Client::builder()
            .tls_certs_merge([reqwest::Certificate::from_pem(pem.as_bytes()).unwrap()])
            .build()
            .unwrap();
        client_options.transport = Some(Transport::new(Arc::new(http)));
    }
    CommunicationIdentityClientOptions {
        api_version: api_version.to_owned(),
        client_options,
        ..Default::default()
    }
}

pub fn from_connection_string(
    emu: &acs_identity_emulator::Emulator,
    api_version: &str,
) -> CommunicationIdentityClient {
    CommunicationIdentityClient::from_connection_string(
        emu.connection_string(),
        Some(options(emu.ca_certificate_pem(), api_version)),
    )
    .unwrap()
}

/// The HTTP status and ACS error code of a failed call.
pub fn service_error(err: &azure_core::Error) -> (u16, String) {
    let acs = acs_identity::CommunicationError::from_error(err)
        .unwrap_or_else(|| panic!("not a service error: {err}"));
    let status = err.http_status().map(u16::from).unwrap_or(0);
    (status, acs.code)
}

/// An unsigned Entra-like JWT with these claims (the emulator reads the claims and
/// does not check the signature unless told to).
pub fn entra_token(claims: serde_json::Value) -> String {
    let b64 = |bytes: &[u8]| azure_core::base64::encode_url_safe(bytes);
    format!(
        "{}.{}.{}",
        b64(br#"{"alg":"RS256","typ":"JWT"}"#),
        b64(claims.to_string().as_bytes()),
        b64(b"not-checked")
    )
}
