//! The bodies of the cargo-fuzz targets in `fuzz_targets/`, as plain functions:
//! each takes the fuzzer's bytes, feeds them through the public API (a parser, the
//! client on an in-memory transport, the emulator's service) and asserts its
//! invariants (a panic is a finding). Plain functions so they build and run on
//! stable too: the tests below replay the committed seed corpora
//! (`corpus/<target>/`) and every input that ever crashed a target
//! (`regressions/<target>/`); the libFuzzer binaries only wrap them.

mod client_response;
mod emulator_request;
mod entra_pages;

pub use client_response::{client_response, MAX_MESSAGE};
pub use emulator_request::{emulator_request, sign};
pub use entra_pages::entra_pages;

/// A target: the name of its `fuzz_targets/<name>.rs` binary, and its body.
pub type Target = (&'static str, fn(&[u8]));

/// Every target, by the name of its `fuzz_targets/<name>.rs` binary.
pub const TARGETS: &[Target] = &[
    ("connection_string", connection_string),
    ("raw_id", raw_id),
    ("jwt_expiry", jwt_expiry),
    ("scope", scope),
    ("expiry_validation", expiry_validation),
    ("client_response", client_response),
    ("emulator_request", emulator_request),
    ("entra_pages", entra_pages),
];

use acs_identity::{
    AzureKeyCredential, CommunicationIdentifier, CommunicationIdentityClient,
    CommunicationIdentityClientOptions, CommunicationTokenCredential, CommunicationTokenScope,
    CommunicationUserIdentifier, ConnectionString, GetTokenOptions, InvalidArgument,
};
use async_trait::async_trait;
use azure_core::http::{
    headers::Headers, AsyncRawResponse, ClientOptions, HttpClient, Request, RetryOptions,
    StatusCode, Transport,
};
use std::{
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc, OnceLock,
    },
    time::Duration,
};

fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// Client options with a canned transport: without acs-identity's `reqwest`
/// feature (off here) there is no default transport, and building a client
/// without one is an error (`tests::without_a_transport_construction_is_an_error`).
fn options() -> CommunicationIdentityClientOptions {
    CommunicationIdentityClientOptions {
        client_options: ClientOptions {
            transport: Some(Transport::new(Arc::new(Answer::default()))),
            ..Default::default()
        },
        ..Default::default()
    }
}

/// `ConnectionString::parse` and `CommunicationIdentityClient::from_connection_string`.
pub fn connection_string(data: &[u8]) {
    let s = text(data);
    match ConnectionString::parse(&s) {
        Ok(cs) => {
            assert!(cs.endpoint().path().ends_with('/'));
            assert!(matches!(cs.endpoint().scheme(), "http" | "https"));
            assert!(format!("{cs:?}").contains("<redacted>"));
            assert!(
                CommunicationIdentityClient::from_connection_string(&s, Some(options())).is_ok()
            );
        }
        Err(err) => {
            let invalid = err
                .downcast_ref::<acs_identity::InvalidArgument>()
                .expect("a connection-string error is an InvalidArgument");
            assert_eq!(invalid.argument(), "connection string");
            assert!(
                CommunicationIdentityClient::from_connection_string(&s, Some(options())).is_err()
            );
        }
    }
}

/// `CommunicationIdentifier::from_raw_id`: round-trips through the raw id, the
/// string form and the wire model.
pub fn raw_id(data: &[u8]) {
    let raw = text(data);
    let id = CommunicationIdentifier::from_raw_id(&raw);
    assert_eq!(id.raw_id(), raw);
    assert_eq!(id.to_string(), raw);
    let json = serde_json::to_string(&id).expect("serialize");
    let back: CommunicationIdentifier = serde_json::from_str(&json).expect("deserialize");
    assert_eq!(back, id);
    assert_eq!(back.kind(), id.kind());
}

/// The JWT `exp` decoder, through `CommunicationTokenCredential::new`.
pub fn jwt_expiry(data: &[u8]) {
    let token = text(data);
    if let Err(err) = CommunicationTokenCredential::new(token.as_ref()) {
        let message = err.to_string();
        assert!(
            !quotes(&message, &token, jwt_error_prose()),
            "error quotes the token"
        );
    }
}

/// Whether `message` holds `secret` other than as a piece of the errors' own wording:
/// libFuzzer's comparison tracing feeds the targets the text their messages are made
/// of, so an input can be a piece of a message that never quotes it (`invalid token:
/// cann`, regressions/jwt_expiry/). `prose` is every such message, from inputs that
/// are not in any of them. Digits count as one character, for the counts in messages.
fn quotes(message: &str, secret: &str, prose: &[String]) -> bool {
    let digits = |s: &str| -> String {
        s.chars()
            .map(|c| if c.is_ascii_digit() { '0' } else { c })
            .collect()
    };
    let (message, secret) = (digits(message), digits(secret));
    secret.len() > 8
        && message.contains(&secret)
        && !prose.iter().any(|p| digits(p).contains(&secret))
}

/// The message of each way `CommunicationTokenCredential::new` can refuse a token.
fn jwt_error_prose() -> &'static [String] {
    static PROSE: OnceLock<Vec<String>> = OnceLock::new();
    PROSE.get_or_init(|| {
        [
            "",                    // empty
            "a",                   // not three parts
            "a.*.c",               // not base64url
            "a.YQ.c",              // not JSON
            "a.e30.c",             // no exp
            "a.eyJleHAiOiJ4In0.c", // exp not a number
        ]
        .iter()
        .map(|t| {
            CommunicationTokenCredential::new(*t)
                .expect_err("refused")
                .to_string()
        })
        .collect()
    })
}

/// `CommunicationTokenScope` parsing: printing and re-parsing is the identity.
pub fn scope(data: &[u8]) {
    let s = text(data);
    let scope: CommunicationTokenScope = s.parse().unwrap();
    assert_eq!(CommunicationTokenScope::from(scope.as_str()), scope);
    if let CommunicationTokenScope::Other(v) = &scope {
        assert_eq!(v, &s);
    } else {
        assert_eq!(scope.as_str(), s.to_ascii_lowercase());
    }
    let json = serde_json::to_string(&scope).unwrap();
    assert_eq!(
        serde_json::from_str::<CommunicationTokenScope>(&json).unwrap(),
        scope
    );
}

/// The current-thread tokio runtime the async targets share (one per thread).
pub(crate) fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a current-thread runtime")
    })
}

#[derive(Debug, Default)]
struct Answer(AtomicUsize);

#[async_trait]
impl HttpClient for Answer {
    async fn execute_request(&self, _: &Request) -> azure_core::Result<AsyncRawResponse> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(AsyncRawResponse::from_bytes(
            StatusCode::Ok,
            Headers::new(),
            r#"{"token":"t","expiresOn":"2030-01-01T00:00:00Z"}"#,
        ))
    }
}

/// The custom token lifetime check, through `get_token` with a canned transport:
/// whole minutes in 60..=1440 are sent, anything else is an `InvalidArgument`
/// and sends nothing. Input: 8 bytes of seconds, 4 bytes of nanoseconds.
pub fn expiry_validation(data: &[u8]) {
    let mut secs = [0u8; 8];
    let mut nanos = [0u8; 4];
    for (i, b) in data.iter().take(12).enumerate() {
        if i < 8 {
            secs[i] = *b;
        } else {
            nanos[i - 8] = *b;
        }
    }
    let expires_in = Duration::new(
        u64::from_le_bytes(secs),
        u32::from_le_bytes(nanos) % 1_000_000_000,
    );
    let runtime = runtime();
    let answer = Arc::new(Answer::default());
    let client = CommunicationIdentityClient::with_key_credential(
        "https://contoso.communication.azure.com",
        AzureKeyCredential::new("cHc9PQ=="),
        Some(CommunicationIdentityClientOptions {
            client_options: ClientOptions {
                retry: RetryOptions::none(),
                transport: Some(Transport::new(answer.clone())),
                ..Default::default()
            },
            ..Default::default()
        }),
    )
    .unwrap();
    let result = runtime.block_on(client.get_token(
        &CommunicationUserIdentifier::new("8:acs:x"),
        &[CommunicationTokenScope::Chat],
        Some(GetTokenOptions {
            token_expires_in: Some(expires_in),
            ..Default::default()
        }),
    ));
    let minutes = expires_in.as_secs() / 60;
    let valid = expires_in.subsec_nanos() == 0
        && expires_in.as_secs().is_multiple_of(60)
        && (60..=1440).contains(&minutes);
    if valid {
        assert!(result.is_ok());
        assert_eq!(answer.0.load(Ordering::SeqCst), 1);
    } else {
        let err = result.unwrap_err();
        assert_eq!(
            err.downcast_ref::<InvalidArgument>().unwrap().argument(),
            "token_expires_in"
        );
        assert_eq!(answer.0.load(Ordering::SeqCst), 0);
    }
}

#[cfg(test)]
mod tests {
    /// Runs every body over a few seeds, so `cargo test` on stable exercises them.
    #[test]
    fn seeds() {
        let seeds: &[&[u8]] = &[
            b"",
            b"endpoint=https://contoso.communication.azure.com/;accesskey=cHc9PQ==",
            b"endpoint=;accesskey=;;",
            b"8:acs:2dee53b4-368b-45b4-ab52-8493fb117652_00000005-14a2-493b-8a72-5a3a0d000081",
            b"4:+14255550123",
            b"28:orgid:abc",
            b"eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3MDAwMDAwMDB9.c2ln",
            b"a.b.c",
            b"chat.join.LIMITED",
            &[0xff, 0xfe, 0x00, 0x01],
            &[0x10, 0x0e, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            &[0xff; 12],
        ];
        for seed in seeds {
            super::connection_string(seed);
            super::raw_id(seed);
            super::jwt_expiry(seed);
            super::scope(seed);
            super::expiry_validation(seed);
            super::client_response(seed);
            super::emulator_request(seed);
            super::entra_pages(seed);
        }
    }

    /// acs-identity is built here without its `reqwest` feature: a client without
    /// `client_options.transport` is an `InvalidArgument` that says to set one,
    /// never a panic (azure_core panics when asked for a default it lacks).
    #[test]
    fn without_a_transport_construction_is_an_error() {
        let connection_string =
            "endpoint=https://contoso.communication.azure.com/;accesskey=cHc9PQ==";
        let err = acs_identity::CommunicationIdentityClient::from_connection_string(
            connection_string,
            None,
        )
        .unwrap_err();
        let invalid = err
            .downcast_ref::<acs_identity::InvalidArgument>()
            .unwrap_or_else(|| panic!("expected an InvalidArgument, got {err:?}"));
        assert_eq!(invalid.argument(), "client_options.transport");
        assert!(
            invalid.message().contains("set client_options.transport"),
            "{err}"
        );
        assert!(
            acs_identity::CommunicationIdentityClient::from_connection_string(
                connection_string,
                Some(super::options()),
            )
            .is_ok()
        );
    }

    /// The token-quoting check still sees a quoted token, and not the errors' own words.
    #[test]
    fn quoting_is_told_from_the_errors_own_wording() {
        let prose = super::jwt_error_prose();
        let leak = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.c2ln";
        assert!(super::quotes(
            &format!("invalid token: cannot read {leak}"),
            leak,
            prose
        ));
        let own = "invalid token: cann";
        assert!(!super::quotes(&prose[1], own, prose));
        assert!(!super::quotes(
            &prose[1],
            "parts (header.payload.signature), found 7",
            prose
        ));
    }

    /// Replays every committed input of every target: the seed corpora under
    /// `corpus/<target>/` and the inputs that once crashed a target under
    /// `regressions/<target>/` (each a plain regression test). `.ci/fuzz` runs it.
    #[test]
    fn replay_corpora_and_regressions() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut replayed = 0;
        let mut failed = Vec::new();
        for (name, target) in super::TARGETS {
            for dir in ["corpus", "regressions"] {
                let Ok(entries) = std::fs::read_dir(root.join(dir).join(name)) else {
                    continue;
                };
                let mut paths: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
                paths.sort();
                for path in paths {
                    let input = std::fs::read(&path).unwrap();
                    let outcome = std::panic::catch_unwind(|| target(&input));
                    if outcome.is_err() {
                        failed.push(format!("{name}: {}", path.display()));
                    }
                    replayed += 1;
                }
            }
        }
        assert!(
            failed.is_empty(),
            "these inputs panic:\n{}",
            failed.join("\n")
        );
        // Every target has a seed corpus.
        assert!(
            replayed >= super::TARGETS.len(),
            "replayed {replayed} inputs"
        );
    }
}
