//! The `client_response` target: every client operation, answered by whatever the
//! fuzzer sends back.
//!
//! Input (text-friendly, so seeds are readable):
//!
//! ```text
//! <op><status>\n          e.g. `0201`: create_user answered 201, `c200`: get_entra_assignment
//!                         answered 200 (see `Op::from_byte`)
//! <name>: <value>\n       response headers, any number, up to an empty line
//! \n
//! <body>                  the response body, any bytes
//! ```
//!
//! Bytes that do not fit (a status that is not three digits, a header line without `:`)
//! are read leniently rather than rejected, so every input reaches the client.

use crate::runtime;
use acs_identity::{
    models::api_version, AzureKeyCredential, CommunicationIdentityClient,
    CommunicationIdentityClientOptions, CommunicationTokenScope, CommunicationUserIdentifier,
    CreateUserAndTokenOptions, CreateUserOptions, EntraAssignment, EntraPrincipalType,
    TeamsExtensionAssignment, TeamsExtensionPrincipalType,
};
use async_trait::async_trait;
use azure_core::http::{
    headers::{HeaderName, HeaderValue, Headers},
    AsyncRawResponse, ClientOptions, HttpClient, Request, RetryOptions, StatusCode, Transport,
};
use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
};

/// The longest error message (`err.to_string()`) the client may produce: the
/// 2048 bytes of service text `src/error.rs` keeps (`MAX_ERROR_MESSAGE`), plus a
/// bounded prefix (the error code) and suffix (the status, the truncation note and
/// a clock-skew or Retry-After hint).
pub const MAX_MESSAGE: usize = 2048 + 512;

/// The most response headers one input sets.
const MAX_HEADERS: usize = 16;

/// A GUID for the Teams Extension and Entra operations' tenant, object and client ids.
const GUID: &str = "2dee53b4-368b-45b4-ab52-8493fb117652";
/// A second object id, for `update_entra_assignments` (each object id once).
const GUID2: &str = "0c5b0c7e-1234-4d2f-9a7b-3f1e2d4c5b6a";

/// The operation an input exercises.
#[derive(Clone, Copy, Debug)]
enum Op {
    CreateUser,
    CreateUserAndToken,
    GetToken,
    RevokeTokens,
    DeleteUser,
    GetTokenForTeamsUser,
    GetUserDetail,
    CreateOrReplaceAssignment,
    GetAssignment,
    DeleteAssignment,
    /// `create_user` with a custom id (checked against the answer's).
    CreateUserWithCustomId,
    /// `create_user_and_token` with a custom id.
    CreateUserAndTokenWithCustomId,
    GetEntraAssignment,
    CreateOrReplaceEntraAssignment,
    DeleteEntraAssignment,
    /// `update_entra_assignments` with one assignment set and one removed.
    UpdateEntraAssignments,
}

impl Op {
    const ALL: [Op; 16] = [
        Op::CreateUser,
        Op::CreateUserAndToken,
        Op::GetToken,
        Op::RevokeTokens,
        Op::DeleteUser,
        Op::GetTokenForTeamsUser,
        Op::GetUserDetail,
        Op::CreateOrReplaceAssignment,
        Op::GetAssignment,
        Op::DeleteAssignment,
        Op::CreateUserWithCustomId,
        Op::CreateUserAndTokenWithCustomId,
        Op::GetEntraAssignment,
        Op::CreateOrReplaceEntraAssignment,
        Op::DeleteEntraAssignment,
        Op::UpdateEntraAssignments,
    ];

    /// `0`..`9` and `a`..`f` name an operation (in [`Op::ALL`]'s order); any other
    /// byte picks one by its value.
    fn from_byte(b: u8) -> Op {
        let i = match b {
            b'0'..=b'9' => usize::from(b - b'0'),
            b'a'..=b'f' => usize::from(b - b'a') + 10,
            _ => usize::from(b),
        };
        Op::ALL[i % Op::ALL.len()]
    }
}

/// A response as the input describes it.
struct Canned {
    status: StatusCode,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    calls: AtomicUsize,
}

impl std::fmt::Debug for Canned {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Canned")
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl HttpClient for Canned {
    async fn execute_request(&self, _: &Request) -> azure_core::Result<AsyncRawResponse> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let headers: HashMap<HeaderName, HeaderValue> = self
            .headers
            .iter()
            .map(|(n, v)| (HeaderName::from(n.clone()), HeaderValue::from(v.clone())))
            .collect();
        Ok(AsyncRawResponse::from_bytes(
            self.status,
            Headers::from(headers),
            self.body.clone(),
        ))
    }
}

/// The status in `bytes`: three ASCII digits naming a 2xx, 4xx or 5xx status, or
/// else one of those picked by the bytes' value.
pub(crate) fn status(bytes: &[u8]) -> u16 {
    if let Some(code) = std::str::from_utf8(bytes)
        .ok()
        .filter(|s| s.len() == 3)
        .and_then(|s| s.parse::<u16>().ok())
        .filter(|c| matches!(c, 200..=299 | 400..=599))
    {
        return code;
    }
    let mut v = 0u16;
    for &b in bytes {
        v = v.wrapping_mul(31).wrapping_add(u16::from(b));
    }
    match v % 300 {
        n @ 0..=99 => 200 + n,
        n @ 100..=199 => 300 + n,
        n => 300 + n,
    }
}

/// A header name as an HTTP transport can deliver one: a lower-case token.
pub(crate) fn header_name(name: &[u8]) -> Option<String> {
    let name = std::str::from_utf8(name).ok()?.trim();
    let token = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    token.then(|| name.to_ascii_lowercase())
}

/// A header value as the client's transports deliver one: visible ASCII (others
/// are dropped, as azure_core's reqwest transport does).
pub(crate) fn header_value(value: &[u8]) -> Option<String> {
    let value = std::str::from_utf8(value).ok()?.trim();
    value
        .bytes()
        .all(|b| b == b'\t' || (0x20..0x7f).contains(&b))
        .then(|| value.to_owned())
}

/// Splits an input into the operation, the canned response and its call counter.
fn parse(data: &[u8]) -> (Op, Canned) {
    let op = Op::from_byte(data.first().copied().unwrap_or(0));
    let rest = data.get(1..).unwrap_or_default();
    let (first, rest) = split_line(rest);
    let status = StatusCode::from(status(first));
    let (headers, body) = headers_and_body(rest);
    (
        op,
        Canned {
            status,
            headers,
            body,
            calls: AtomicUsize::new(0),
        },
    )
}

/// The header lines (`<name>: <value>`, up to [`MAX_HEADERS`] kept) up to an empty
/// line, and the body after it. Without an empty line the last line is the body.
pub(crate) fn headers_and_body(mut rest: Option<&[u8]>) -> (Vec<(String, String)>, Vec<u8>) {
    let mut headers = Vec::new();
    let body = loop {
        let Some(next) = rest else {
            break Vec::new();
        };
        let (line, after) = split_line(next);
        if line.is_empty() {
            break after.unwrap_or_default().to_vec();
        }
        if after.is_none() {
            // No blank line before the end: the last line is the body.
            break line.to_vec();
        }
        if let Some(colon) = line.iter().position(|&b| b == b':') {
            if let (Some(n), Some(v)) = (
                header_name(&line[..colon]),
                header_value(&line[colon + 1..]),
            ) {
                if headers.len() < MAX_HEADERS {
                    headers.push((n, v));
                }
            }
        }
        rest = after;
    };
    (headers, body)
}

/// `(line, rest after the '\n')`; `rest` is `None` when there is no `'\n'`.
pub(crate) fn split_line(data: &[u8]) -> (&[u8], Option<&[u8]>) {
    match data.iter().position(|&b| b == b'\n') {
        Some(i) => {
            let line = &data[..i];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            (line, Some(&data[i + 1..]))
        }
        None => (data, None),
    }
}

/// What one operation returned, for the invariants.
struct Outcome {
    status: u16,
    result: Result<(), azure_core::Error>,
}

/// One client operation (see the module docs for the input) through the real client
/// and pipeline, on an in-memory transport that answers with the input's status,
/// headers and body. Retries are off, so nothing waits.
///
/// Invariants: no panic; exactly one request sent; a success only for a 2xx; an
/// error for a 4xx or 5xx keeps that status; every error message is at most
/// [`MAX_MESSAGE`] bytes.
pub fn client_response(data: &[u8]) {
    let (op, canned) = parse(data);
    let status = u16::from(canned.status);
    let transport = Arc::new(canned);
    let client = CommunicationIdentityClient::with_key_credential(
        "https://contoso.communication.azure.com",
        AzureKeyCredential::new("cHc9PQ=="),
        Some(CommunicationIdentityClientOptions {
            api_version: api_version::V2025_03_02_PREVIEW.to_owned(),
            client_options: ClientOptions {
                retry: RetryOptions::none(),
                transport: Some(Transport::new(transport.clone())),
                ..Default::default()
            },
            ..Default::default()
        }),
    )
    .expect("client");
    let result = runtime().block_on(run(&client, op));
    let outcome = Outcome { status, result };
    assert_eq!(
        transport.calls.load(Ordering::SeqCst),
        1,
        "{op:?}: one request"
    );
    check(op, &outcome);
}

fn check(op: Op, outcome: &Outcome) {
    match &outcome.result {
        Ok(()) => assert!(
            (200..300).contains(&outcome.status),
            "{op:?} succeeded on HTTP {}",
            outcome.status
        ),
        Err(err) => {
            let message = err.to_string();
            assert!(
                message.len() <= MAX_MESSAGE,
                "{op:?}, HTTP {}: a {}-byte error message: {}...",
                outcome.status,
                message.len(),
                message.chars().take(300).collect::<String>()
            );
            if outcome.status >= 400 {
                assert_eq!(
                    err.http_status().map(u16::from),
                    Some(outcome.status),
                    "{op:?}: the error lost the status: {message}"
                );
            }
            // Debug output must not blow up either (it is what `{:?}` logging shows).
            let _ = format!("{err:?}");
        }
    }
}

async fn run(client: &CommunicationIdentityClient, op: Op) -> Result<(), azure_core::Error> {
    let user = CommunicationUserIdentifier::new(format!("8:acs:{GUID}_00000005-14a2-493b"));
    let scopes = [CommunicationTokenScope::Chat, CommunicationTokenScope::VoIP];
    let custom_id = || Some("alice@contoso.com".to_owned());
    match op {
        Op::CreateUser => client.create_user(None).await.map(|u| drop(u.to_string())),
        Op::CreateUserWithCustomId => client
            .create_user(Some(CreateUserOptions {
                custom_id: custom_id(),
                ..Default::default()
            }))
            .await
            .map(drop),
        Op::CreateUserAndToken => client
            .create_user_and_token(&scopes, None)
            .await
            .map(|(u, t)| drop((u.to_string(), format!("{t:?}")))),
        Op::CreateUserAndTokenWithCustomId => client
            .create_user_and_token(
                &scopes,
                Some(CreateUserAndTokenOptions {
                    custom_id: custom_id(),
                    token_expires_in: Some(std::time::Duration::from_secs(3600)),
                    ..Default::default()
                }),
            )
            .await
            .map(drop),
        Op::GetToken => client
            .get_token(&user, &scopes, None)
            .await
            .map(|t| drop(format!("{t:?}"))),
        Op::RevokeTokens => client.revoke_tokens(&user, None).await,
        Op::DeleteUser => client.delete_user(&user, None).await,
        Op::GetTokenForTeamsUser => client
            .get_token_for_teams_user("aad.token.here", GUID, GUID, None)
            .await
            .map(drop),
        Op::GetUserDetail => client
            .get_user_detail(&user, None)
            .await
            .map(|d| drop(format!("{d:?}"))),
        Op::CreateOrReplaceAssignment => client
            .create_or_replace_teams_extension_assignment(
                &TeamsExtensionAssignment {
                    tenant_id: GUID.to_owned(),
                    object_id: GUID.to_owned(),
                    principal_type: TeamsExtensionPrincipalType::User,
                    client_ids: vec![GUID.to_owned()],
                },
                None,
            )
            .await
            .map(|a| drop(format!("{a:?}"))),
        Op::GetAssignment => client
            .get_teams_extension_assignment(GUID, GUID, None)
            .await
            .map(|a| drop(format!("{a:?}"))),
        Op::DeleteAssignment => {
            client
                .delete_teams_extension_assignment(GUID, GUID, None)
                .await
        }
        Op::GetEntraAssignment => client
            .get_entra_assignment(GUID, None)
            .await
            .map(|a| drop(format!("{a:?}"))),
        Op::CreateOrReplaceEntraAssignment => client
            .create_or_replace_entra_assignment(&entra_assignment(GUID), None)
            .await
            .map(|a| drop(format!("{a:?}"))),
        Op::DeleteEntraAssignment => client.delete_entra_assignment(GUID, None).await,
        Op::UpdateEntraAssignments => client
            .update_entra_assignments(
                &[
                    (GUID.to_owned(), Some(entra_assignment(GUID))),
                    (GUID2.to_owned(), None),
                ],
                None,
            )
            .await
            .map(|a| drop(format!("{a:?}"))),
    }
}

fn entra_assignment(object_id: &str) -> EntraAssignment {
    EntraAssignment {
        object_id: object_id.to_owned(),
        tenant_id: GUID.to_owned(),
        principal_type: EntraPrincipalType::User,
        client_ids: vec![GUID.to_owned()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_text_form() {
        let (op, canned) = parse(b"3429\nRetry-After: 5\nx-ms-error-code: Throttled\n\n{\"a\":1}");
        assert!(matches!(op, Op::RevokeTokens));
        assert_eq!(u16::from(canned.status), 429);
        assert_eq!(
            canned.headers,
            [
                ("retry-after".to_owned(), "5".to_owned()),
                ("x-ms-error-code".to_owned(), "Throttled".to_owned())
            ]
        );
        assert_eq!(canned.body, b"{\"a\":1}");
        assert!(matches!(Op::from_byte(b'c'), Op::GetEntraAssignment));
        assert!(matches!(Op::from_byte(b'f'), Op::UpdateEntraAssignments));
        for bytes in [&b"xyz"[..], b"", b"\xff\xff", b"700", b"099"] {
            assert!(matches!(status(bytes), 200..=299 | 400..=599), "{bytes:?}");
        }
    }
}
