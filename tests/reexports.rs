//! Every public item at `acs-common`'s root is at `acs-identity`'s root under the
//! same name: a compile test that names them all, and a test that reads
//! `common/src/lib.rs` so that a new item there without a re-export fails.

use std::collections::BTreeSet;

// Fails to compile when one is missing.
#[allow(unused_imports)]
use acs_identity::{
    auth, credential, identifier, parse_endpoint, AccessToken, AzureKeyCredential,
    CommunicationCloudEnvironment, CommunicationError, CommunicationIdentifier, CommunicationToken,
    CommunicationTokenCredential, CommunicationTokenRefreshOptions, CommunicationUserIdentifier,
    ConnectionString, EntraCommunicationTokenCredentialOptions, HmacAuthenticationPolicy,
    InvalidArgument, MicrosoftTeamsAppIdentifier, MicrosoftTeamsUserIdentifier,
    PhoneNumberIdentifier, TeamsExtensionUserIdentifier, TokenRefresher, UnknownIdentifier,
    COMMUNICATION_SCOPE, ENTRA_CLIENTS_SCOPE,
};

#[test]
fn the_named_reexports_are_acs_commons_items() {
    assert_eq!(ENTRA_CLIENTS_SCOPE, acs_common::ENTRA_CLIENTS_SCOPE);
    assert_eq!(COMMUNICATION_SCOPE, acs_common::COMMUNICATION_SCOPE);
    let _: fn(&str) -> azure_core::Result<azure_core::http::Url> = parse_endpoint;
    let _: fn(&str) -> azure_core::Result<azure_core::http::Url> = acs_common::parse_endpoint;
    let options: acs_common::EntraCommunicationTokenCredentialOptions =
        EntraCommunicationTokenCredentialOptions::new(
            "https://contoso.communication.azure.com",
            std::sync::Arc::new(NoCredential),
        );
    assert_eq!(options.scopes, vec![ENTRA_CLIENTS_SCOPE.to_owned()]);
}

#[derive(Debug)]
struct NoCredential;

#[async_trait::async_trait]
impl azure_core::credentials::TokenCredential for NoCredential {
    async fn get_token(
        &self,
        _scopes: &[&str],
        _options: Option<azure_core::credentials::TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        Err(azure_core::Error::with_message(
            azure_core::error::ErrorKind::Credential,
            "not used",
        ))
    }
}

/// The names a `lib.rs` makes public at its root: the last segment (or the `as`
/// name) of each `pub use`, and each `pub mod` not marked `#[doc(hidden)]`.
fn root_names(source: &str) -> BTreeSet<String> {
    let code: String = source
        .lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let mut names = BTreeSet::new();
    let mut hidden = false;
    for statement in code.split_inclusive([';', ']']) {
        let statement = statement.trim();
        if statement.starts_with("#[doc(hidden)]") {
            hidden = true;
            continue;
        }
        if statement.starts_with("#[") {
            continue;
        }
        if let Some(rest) = statement.strip_prefix("pub mod ") {
            if !hidden {
                names.insert(rest.trim_end_matches(';').trim().to_owned());
            }
        } else if let Some(rest) = statement.strip_prefix("pub use ") {
            for item in rest.trim_end_matches(';').split([',', '{', '}']) {
                let item = item.trim();
                if item.is_empty() {
                    continue;
                }
                let name = match item.split_once(" as ") {
                    Some((_, alias)) => alias.trim(),
                    None => item.rsplit("::").next().unwrap_or(item).trim(),
                };
                if !name.is_empty() && name != "self" {
                    names.insert(name.to_owned());
                }
            }
        }
        hidden = false;
    }
    names
}

#[test]
fn every_public_item_at_acs_commons_root_is_reexported() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let common = std::fs::read_to_string(format!("{dir}/common/src/lib.rs")).unwrap();
    let identity = std::fs::read_to_string(format!("{dir}/src/lib.rs")).unwrap();
    let common = root_names(&common);
    let identity = root_names(&identity);
    // The parser sees what is there (it would pass vacuously on an empty list).
    for name in [
        "auth",
        "CommunicationIdentifier",
        "EntraCommunicationTokenCredentialOptions",
        "ENTRA_CLIENTS_SCOPE",
        "AccessToken",
        "parse_endpoint",
    ] {
        assert!(common.contains(name), "{name} not found in {common:?}");
    }
    assert!(!common.contains("service_error"), "a #[doc(hidden)] module");
    let missing: Vec<&String> = common.difference(&identity).collect();
    assert!(
        missing.is_empty(),
        "acs-common's root has {missing:?}, which acs-identity's root (src/lib.rs) does not \
         re-export under the same name"
    );
}

#[test]
fn the_parser_reads_lists_renames_and_hidden_modules() {
    let names = root_names(
        "#![deny(missing_docs)]\n\
         pub mod a;\n#[doc(hidden)]\npub mod hidden;\nmod private;\n\
         pub use x::{B, c::D, E as F}; // pub use G;\npub use y::H;\n",
    );
    assert_eq!(
        names.into_iter().collect::<Vec<_>>(),
        ["B", "D", "F", "H", "a"]
    );
}
