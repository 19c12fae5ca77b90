//! The `entra_pages` target: `list_entra_assignments` paging through a few pages
//! whose statuses, headers, bodies and `nextLink`s the fuzzer chooses, through the
//! real client and pipeline on an in-memory transport that answers page `i` to
//! request `i` and records every request.
//!
//! Input (text-friendly, so seeds are readable):
//!
//! ```text
//! <mode>\n                 flags, in any order: `e` = a request after the last page
//!                          fails in the transport (else it gets `{"value":[]}`, a last
//!                          page); `p` = walk the pages (`into_pages`), else the items
//! <page>                   the answer to the first request
//! \n%%\n                   (a line `%%` between two pages)
//! <page>                   the answer to the second request, ... (at most MAX_PAGES)
//! ```
//!
//! Each page:
//!
//! ```text
//! <status><kind><shape><count><link text>\n   e.g. `200j03skip=1`
//! <name>: <value>\n        response headers, any number, up to an empty line
//! \n
//! <body>
//! ```
//!
//! * `<status>`: three digits, read as `client_response` reads them (bytes that are not
//!   a 2xx/4xx/5xx status pick one).
//! * `<kind>`: `r` = the response body is `<body>`, any bytes. Anything else (say `j`)
//!   = an `EntraAssignmentsResponse` built from the input,
//!   `{"value":[<count> assignments],"nextLink":<shape>}`: assignment `k` is made from
//!   the `k`-th `|`-separated piece of `<body>`, whose first byte picks a valid
//!   assignment or a near-valid one (see [`assignment`]).
//! * `<shape>`: the `nextLink`, one of [`SHAPES`] (see [`next_link`]): `0` same origin,
//!   `4` another host, `7` http, `8` another port, `9` userinfo, `c` IPv6, `d` IDNA,
//!   `e` a percent-encoded host, `g` relative, `i` `javascript:`, `j` empty, `k`
//!   whitespace, `m` very long, `n` not a URL, `o` the link text as it is, `R` the link
//!   text's raw bytes in the JSON, `.` none, ...; most are filled in with `<link text>`.
//! * `<count>`: `0`..`9` assignments (another byte: its value mod 4).
//!
//! Bytes that do not fit are read leniently rather than rejected, so every input
//! reaches the client.

use crate::client_response::{headers_and_body, split_line, status};
use crate::{runtime, MAX_MESSAGE};
use acs_identity::{
    models::api_version, AzureKeyCredential, CommunicationIdentityClient,
    CommunicationIdentityClientOptions, EntraAssignmentsPage,
};
use async_trait::async_trait;
use azure_core::{
    error::ErrorKind,
    http::{
        headers::{HeaderName, HeaderValue, Headers, AUTHORIZATION},
        AsyncRawResponse, ClientOptions, HttpClient, Request, RetryOptions, StatusCode, Transport,
        Url,
    },
    Error,
};
use futures::TryStreamExt;
use std::{collections::HashMap, sync::Arc, sync::Mutex};

/// The most pages one input describes.
pub const MAX_PAGES: usize = 4;

const ENDPOINT: &str = "https://contoso.communication.azure.com";
const HOST: &str = "contoso.communication.azure.com";
/// The list operation's path and query, as a service's `nextLink` would have them.
const QUERY: &str = "/access/entra/assignments?api-version=2025-03-02-preview";
/// The access key (base64 of `fuzz-entra-pages-access-key-not-a-secret`): long
/// enough that no error quotes it by chance.
const KEY: &str = "ZnV6ei1lbnRyYS1wYWdlcy1hY2Nlc3Mta2V5LW5vdC1hLXNlY3JldA==";
/// Object, tenant and client ids for the built assignments.
const GUIDS: [&str; 4] = [
    "207ffef6-9444-41fb-92ab-20eacaae2768",
    "0c5b0c7e-1234-4d2f-9a7b-3f1e2d4c5b6a",
    "9a3c1e7d-2b4f-4c6a-8d0e-1f2a3b4c5d6e",
    "45ab2481-1c1c-4005-be24-0ffb879b1130",
];

/// The `nextLink` shapes, by the byte that names each (see [`next_link`]).
pub const SHAPES: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFR.";

/// One answer as the input describes it.
struct Page {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

struct Input {
    /// A request after the last page fails in the transport (else: `{"value":[]}`).
    fail_after: bool,
    /// Walk the pages rather than the items.
    by_page: bool,
    pages: Vec<Page>,
}

fn parse(data: &[u8]) -> Input {
    let (mode, mut rest) = split_line(data);
    let mut pages = Vec::new();
    while let Some(text) = rest {
        if pages.len() == MAX_PAGES {
            break;
        }
        let (page, after) = split_page(text);
        pages.push(page_from(page));
        rest = after;
    }
    Input {
        fail_after: mode.contains(&b'e'),
        by_page: mode.contains(&b'p'),
        pages,
    }
}

/// `(page, rest after the "\n%%\n")`; `rest` is `None` for the last page.
fn split_page(data: &[u8]) -> (&[u8], Option<&[u8]>) {
    const SEPARATOR: &[u8] = b"\n%%\n";
    match data.windows(SEPARATOR.len()).position(|w| w == SEPARATOR) {
        Some(i) => (&data[..i], Some(&data[i + SEPARATOR.len()..])),
        None => (data, None),
    }
}

fn page_from(text: &[u8]) -> Page {
    let (first, rest) = split_line(text);
    let status = status(first.get(..3).unwrap_or(first));
    let kind = first.get(3).copied().unwrap_or(b'j');
    let shape = first.get(4).copied().unwrap_or(b'.');
    let count = first.get(5).copied().unwrap_or(b'1');
    let link = first.get(6..).unwrap_or_default();
    let (headers, body) = headers_and_body(rest);
    let body = if kind == b'r' {
        body
    } else {
        built_body(shape, count, link, &body)
    };
    Page {
        status,
        headers,
        body,
    }
}

/// `{"value":[...],"nextLink":...}` from the page's bytes (see the module docs).
fn built_body(shape: u8, count: u8, link: &[u8], material: &[u8]) -> Vec<u8> {
    let count = match count {
        b'0'..=b'9' => usize::from(count - b'0'),
        other => usize::from(other % 4),
    };
    let mut pieces = material.split(|&b| b == b'|');
    let mut out = b"{\"value\":[".to_vec();
    for k in 0..count {
        if k > 0 {
            out.push(b',');
        }
        assignment(k, pieces.next().unwrap_or_default(), &mut out);
    }
    out.push(b']');
    if let Some(json) = next_link(shape, link) {
        out.extend_from_slice(b",\"nextLink\":");
        out.extend_from_slice(&json);
    }
    out.push(b'}');
    out
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// Assignment `k` from `piece`: its first byte (`0`..`9`, or any byte mod 10) picks
/// valid shapes (0: user, 1: group, 2: tenant, 3: no `clientIds`, 4: an unknown
/// field and the rest of the piece as a client id, 5: the rest as the principal
/// type) or near-valid ones (6: the rest as the object id, 7: no `tenantId`, 8: a
/// number as the principal type, 9: a string as `clientIds`).
fn assignment(k: usize, piece: &[u8], out: &mut Vec<u8>) {
    let pick = match piece.first().copied().unwrap_or(0) {
        b @ b'0'..=b'9' => b - b'0',
        b => b % 10,
    };
    let text = json_string(&String::from_utf8_lossy(piece.get(1..).unwrap_or_default()));
    let object = json_string(GUIDS[k % GUIDS.len()]);
    let tenant = json_string(GUIDS[3]);
    let client = json_string(GUIDS[(k + 1) % GUIDS.len()]);
    let kind = ["\"user\"", "\"group\"", "\"tenant\""][k % 3];
    let json = match pick {
        0..=2 => {
            let kind = ["\"user\"", "\"group\"", "\"tenant\""][usize::from(pick)];
            format!(
                r#"{{"objectId":{object},"tenantId":{tenant},"principalType":{kind},"clientIds":[{client}]}}"#
            )
        }
        3 => format!(r#"{{"objectId":{object},"tenantId":{tenant},"principalType":{kind}}}"#),
        4 => format!(
            r#"{{"unknown":{{"a":[1,null]}},"objectId":{object},"tenantId":{tenant},"principalType":{kind},"clientIds":[{text},{client}]}}"#
        ),
        5 => format!(
            r#"{{"objectId":{object},"tenantId":{tenant},"principalType":{text},"clientIds":[]}}"#
        ),
        6 => format!(
            r#"{{"objectId":{text},"tenantId":{tenant},"principalType":{kind},"clientIds":[{client}]}}"#
        ),
        7 => format!(r#"{{"objectId":{object},"principalType":{kind},"clientIds":[{client}]}}"#),
        8 => format!(
            r#"{{"objectId":{object},"tenantId":{tenant},"principalType":7,"clientIds":[{client}]}}"#
        ),
        _ => format!(
            r#"{{"objectId":{object},"tenantId":{tenant},"principalType":{kind},"clientIds":{text}}}"#
        ),
    };
    out.extend_from_slice(json.as_bytes());
}

/// The JSON value of the `nextLink` that `shape` names (one of [`SHAPES`]; another
/// byte picks one by its value), filled in with `link` (`t` below); `None` leaves
/// the field out.
fn next_link(shape: u8, link: &[u8]) -> Option<Vec<u8>> {
    let at = SHAPES
        .iter()
        .position(|&s| s == shape)
        .unwrap_or(usize::from(shape) % SHAPES.len());
    let t = String::from_utf8_lossy(link);
    let (e, h, q) = (ENDPOINT, HOST, QUERY);
    let url = match SHAPES[at] {
        // Same origin, with path and query variations.
        b'0' => format!("{e}{q}&skip={t}"),
        b'1' => format!("{e}/{t}"),
        b'2' => format!("https://{h}:443{q}&{t}"),
        b'3' => format!("https://CONTOSO.Communication.AZURE.com{q}&{t}"),
        // Another host, one that merely starts like ours, a trailing dot.
        b'4' => format!("https://elsewhere.example{q}&{t}"),
        b'5' => format!("https://{h}.evil.example{q}&{t}"),
        b'6' => format!("https://{h}.{q}&{t}"),
        // Another scheme, another port.
        b'7' => format!("http://{h}{q}&{t}"),
        b'8' => format!("https://{h}:8443{q}&{t}"),
        // Userinfo, and userinfo that looks like our host.
        b'9' => format!("https://{t}@{h}{q}"),
        b'a' => format!("https://user:{t}@{h}{q}"),
        b'b' => format!("https://{h}@elsewhere.example{q}&{t}"),
        // IPv6, IDNA, percent-encoded hosts (ours and another).
        b'c' => format!("https://[::1]{q}&{t}"),
        b'd' => format!("https://contöso.communication.azure.com{q}&{t}"),
        b'e' => format!("https://contoso%2Ecommunication.azure.com{q}&{t}"),
        b'f' => format!("https://%65lsewhere.example{q}&{t}"),
        // Relative links.
        b'g' => format!("{q}&skip={t}"),
        b'h' => format!("//elsewhere.example{q}&{t}"),
        // Other schemes, empty, whitespace.
        b'i' => format!("javascript:{t}"),
        b'j' => String::new(),
        b'k' => format!(" \t\r\n{t} "),
        b'l' => format!("  {e}{q}&{t}\t\n"),
        // Very long (a path of 70,000 bytes), not a URL, the text as it is.
        b'm' => format!("{e}{q}&skip={}{t}", "x".repeat(70_000)),
        b'n' => format!("https://exa mple.com/{t}"),
        b'o' => t.into_owned(),
        // Not a string at all.
        b'p' => return Some(b"null".to_vec()),
        b'q' => return Some(b"12".to_vec()),
        b'r' => format!("file:///{t}"),
        b's' => format!("data:text/plain,{t}"),
        // Backslashes and a tab in the host (URL parsers read `\` as `/` and drop tabs).
        b't' => format!("https:\\\\elsewhere.example\\{t}"),
        b'u' => format!("https://{h}\t.evil.example{q}&{t}"),
        b'v' => format!("https://{h}:443@elsewhere.example{q}&{t}"),
        // A decimal IPv4 host, a fragment, an upper-case scheme, no slashes.
        b'w' => format!("https://2130706433{q}&{t}"),
        b'x' => format!("{e}{q}&{t}#fragment"),
        b'y' => format!("HTTPS://{h}{q}&{t}"),
        b'z' => format!("https:{h}{q}&{t}"),
        // A very long host, very long userinfo, ports written oddly, a host from the text.
        b'A' => format!("https://{}.example/{t}", "a".repeat(4000)),
        b'B' => format!("https://{}@{h}{q}", "u".repeat(4000)),
        b'C' => format!("https://{h}:0443{q}&{t}"),
        b'D' => format!("https://{h}:99999{q}&{t}"),
        b'E' => format!("{e}:{t}{q}"),
        b'F' => format!("https://{t}{q}"),
        // The link text's bytes unescaped in the JSON string: any bytes.
        b'R' => {
            let mut raw = b"\"".to_vec();
            raw.extend_from_slice(link);
            raw.push(b'"');
            return Some(raw);
        }
        _ => return None,
    };
    Some(json_string(&url).into_bytes())
}

/// What the transport saw of one request.
struct Seen {
    url: Url,
    authorization: Option<String>,
}

/// The in-memory service: page `i` answers request `i`; after the last page, an
/// error or `{"value":[]}`.
struct Pages {
    pages: Vec<Page>,
    fail_after: bool,
    seen: Mutex<Vec<Seen>>,
}

impl std::fmt::Debug for Pages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("pages", &self.pages.len())
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl HttpClient for Pages {
    async fn execute_request(&self, request: &Request) -> azure_core::Result<AsyncRawResponse> {
        let i = {
            let mut seen = self.seen.lock().unwrap();
            seen.push(Seen {
                url: request.url().clone(),
                authorization: request
                    .headers()
                    .get_optional_str(&AUTHORIZATION)
                    .map(str::to_owned),
            });
            seen.len() - 1
        };
        let Some(page) = self.pages.get(i) else {
            if self.fail_after {
                return Err(Error::with_message(
                    ErrorKind::Io,
                    "the fuzz input has no more pages",
                ));
            }
            return Ok(AsyncRawResponse::from_bytes(
                StatusCode::Ok,
                Headers::new(),
                &b"{\"value\":[]}"[..],
            ));
        };
        let headers: HashMap<HeaderName, HeaderValue> = page
            .headers
            .iter()
            .map(|(n, v)| (HeaderName::from(n.clone()), HeaderValue::from(v.clone())))
            .collect();
        Ok(AsyncRawResponse::from_bytes(
            StatusCode::from(page.status),
            Headers::from(headers),
            page.body.clone(),
        ))
    }
}

/// Whether the client may send a request to `url`: the endpoint's scheme, host
/// and port, and no userinfo (the endpoint has none; a connection string with
/// one is refused).
fn same_origin(url: &Url) -> bool {
    url.scheme() == "https"
        && url.host_str() == Some(HOST)
        && url.port_or_known_default() == Some(443)
        && url.username().is_empty()
        && url.password().is_none()
}

/// How a walk over the pages ends, as the input says it should.
#[derive(Debug, PartialEq, Eq)]
enum End {
    /// The last page has no `nextLink` (or an empty one).
    Done,
    /// A 4xx or 5xx page: an error with that status.
    Status(u16),
    /// A 2xx page whose body is not an `EntraAssignmentsResponse`, a `nextLink` that
    /// is not a URL, one that is refused (not requested), or the transport's error
    /// after the last page: an error without an HTTP status.
    Error,
}

/// What the client should do with `input`: the requests it sends, the assignments
/// it yields, how it ends. Written from the documented behaviour
/// (`src/client/entra_assignments.rs`), not by calling the client.
fn expected(input: &Input) -> (usize, usize, End) {
    let (mut requests, mut items) = (0, 0);
    loop {
        requests += 1;
        let Some(page) = input.pages.get(requests - 1) else {
            let end = if input.fail_after {
                End::Error
            } else {
                End::Done
            };
            return (requests, items, end);
        };
        if !(200..300).contains(&page.status) {
            return (requests, items, End::Status(page.status));
        }
        let Ok(body) = serde_json::from_slice::<EntraAssignmentsPage>(&page.body) else {
            return (requests, items, End::Error);
        };
        items += body.value.len();
        let Some(link) = body.next_link.filter(|l| !l.is_empty()) else {
            return (requests, items, End::Done);
        };
        match Url::parse(&link) {
            Ok(url) if same_origin(&url) => continue,
            _ => return (requests, items, End::Error),
        }
    }
}

/// The walk's assignments and its error, if any. At most `limit` pages or items
/// are taken, so that a pager that never ends fails an assertion instead of hanging.
async fn walk(client: &CommunicationIdentityClient, by_page: bool) -> (usize, Option<Error>) {
    const LIMIT: usize = 1000;
    let pager = client
        .list_entra_assignments(None)
        .expect("the api-version has Entra assignments");
    let mut items = 0;
    if by_page {
        let mut pages = pager.into_pages();
        for _ in 0..LIMIT {
            match pages.try_next().await {
                Ok(Some(rsp)) => match rsp.into_model() {
                    Ok(page) => {
                        let page: EntraAssignmentsPage = page;
                        items += page.value.len();
                        drop(format!("{page:?}"));
                    }
                    Err(err) => return (items, Some(err)),
                },
                Ok(None) => return (items, None),
                Err(err) => return (items, Some(err)),
            }
        }
    } else {
        let mut pager = pager;
        for _ in 0..LIMIT {
            match pager.try_next().await {
                Ok(Some(assignment)) => {
                    items += 1;
                    drop(format!("{assignment:?}"));
                }
                Ok(None) => return (items, None),
                Err(err) => return (items, Some(err)),
            }
        }
    }
    panic!("the pager did not end after {LIMIT} pages or items");
}

/// `list_entra_assignments` over the input's pages (see the module docs), at
/// api-version `2025-03-02-preview` with an access key, retries off.
///
/// Invariants: no panic; every request the transport saw has exactly the
/// endpoint's scheme, host and port, and no userinfo (a `nextLink` elsewhere is
/// never requested: it would receive the signature); at most one request more
/// than there are pages; the requests, assignments and end are those the pages
/// call for (a same-origin `nextLink` is followed, anything else ends the walk);
/// an error on a 4xx/5xx page keeps that status; every error message is at most
/// [`MAX_MESSAGE`] bytes, and neither it nor the error's Debug contains the access
/// key or an `Authorization` value the transport saw (unless the input holds it).
pub fn entra_pages(data: &[u8]) {
    let input = parse(data);
    let (want_requests, want_items, want_end) = expected(&input);
    let by_page = input.by_page;
    let page_count = input.pages.len();
    let transport = Arc::new(Pages {
        pages: input.pages,
        fail_after: input.fail_after,
        seen: Mutex::new(Vec::new()),
    });
    let client = CommunicationIdentityClient::with_key_credential(
        ENDPOINT,
        AzureKeyCredential::new(KEY),
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
    let (items, err) = runtime().block_on(walk(&client, by_page));
    let seen = transport.seen.lock().unwrap();

    for request in seen.iter() {
        assert!(
            same_origin(&request.url),
            "a request to another origin than {ENDPOINT}: {}",
            request.url
        );
    }
    assert!(
        seen.len() <= page_count + 1,
        "{} requests for {page_count} pages",
        seen.len()
    );
    assert_eq!(seen.len(), want_requests, "requests (error: {err:?})");
    assert_eq!(items, want_items, "assignments (error: {err:?})");

    let Some(err) = err else {
        assert_eq!(want_end, End::Done, "the walk ended without an error");
        return;
    };
    let message = err.to_string();
    let debug = format!("{err:?}");
    assert!(
        message.len() <= MAX_MESSAGE,
        "a {}-byte error message: {}...",
        message.len(),
        message.chars().take(300).collect::<String>()
    );
    match want_end {
        End::Done => panic!("an error where the walk should end: {message}"),
        End::Status(status) => assert_eq!(
            err.http_status().map(u16::from),
            Some(status),
            "the error lost the status: {message}"
        ),
        End::Error => assert_eq!(
            err.http_status(),
            None,
            "an HTTP status on an error of a 2xx page or the transport: {message}"
        ),
    }
    // A message may quote what the input holds (a Date header, a host): the key's
    // text or, with libFuzzer's comparison tracing, a signature it saw compared
    // in an earlier run (a signature is the same within one second). Only what
    // the input does not hold is checked.
    let in_input = |secret: &str| {
        data.windows(secret.len())
            .any(|w| w.eq_ignore_ascii_case(secret.as_bytes()))
    };
    let mut secrets = vec![KEY];
    for authorization in seen.iter().filter_map(|r| r.authorization.as_deref()) {
        secrets.push(authorization);
        if let Some((_, signature)) = authorization.rsplit_once("Signature=") {
            secrets.push(signature);
        }
    }
    for secret in secrets
        .into_iter()
        .filter(|s| !s.is_empty() && !in_input(s))
    {
        assert!(
            !message.contains(secret) && !debug.contains(secret),
            "an error quotes the access key or an Authorization value"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_pages_and_builds_bodies() {
        let input = parse(b"ep\n200j02skip=1\nretry-after: 5\n\n0|1\n%%\n429r\n\n{}");
        assert!(input.fail_after && input.by_page);
        assert_eq!(input.pages.len(), 2);
        let page: EntraAssignmentsPage = serde_json::from_slice(&input.pages[0].body).unwrap();
        assert_eq!(page.value.len(), 2);
        assert_eq!(
            page.next_link.as_deref(),
            Some("https://contoso.communication.azure.com/access/entra/assignments?api-version=2025-03-02-preview&skip=skip=1")
        );
        assert_eq!(
            input.pages[0].headers,
            [("retry-after".to_owned(), "5".to_owned())]
        );
        assert_eq!(input.pages[1].status, 429);
        assert_eq!(input.pages[1].body, b"{}");
        assert_eq!(
            expected(&input),
            (2, 2, End::Status(429)),
            "two requests, the second answered 429"
        );
        // At most MAX_PAGES pages; the rest of the input is ignored.
        assert_eq!(parse(b"\n%%\n%%\n%%\n%%\n%%\n%%\n").pages.len(), MAX_PAGES);
    }

    #[test]
    fn every_shape_builds_and_the_oracle_refuses_other_origins() {
        for &shape in SHAPES {
            let body = built_body(shape, b'1', b"x", b"0");
            let page = serde_json::from_slice::<EntraAssignmentsPage>(&body);
            // Only `q` (a number) makes the body invalid (`R` with "x" is a string).
            assert_eq!(page.is_err(), shape == b'q', "{}", shape as char);
        }
        let follows = |shape: u8| {
            let body = built_body(shape, b'0', b"1", b"");
            let link = serde_json::from_slice::<EntraAssignmentsPage>(&body)
                .unwrap()
                .next_link
                .unwrap();
            Url::parse(&link).is_ok_and(|u| same_origin(&u))
        };
        for shape in *b"0123elxyzC" {
            assert!(follows(shape), "{} is same origin", shape as char);
        }
        for shape in *b"456789abcdfghijknrstuvwABDEF" {
            assert!(!follows(shape), "{} is not", shape as char);
        }
    }
}
