//! Micro-benchmarks of the client-side hot paths (criterion).
//!
//! `cargo bench --bench micro` (add `-- <filter>` to run a subset, e.g. `-- sign`).
//!
//! * `sign/*`: HMAC-signing a typical `get_token` request through the public
//!   [`HmacAuthenticationPolicy::sign_at`] (body hash, string to sign, HMAC,
//!   three headers), next to the raw primitives (SHA-256 + HMAC-SHA256 + base64
//!   with `sha2`/`hmac` directly) that any implementation must pay for.
//! * `connection_string/parse`, `raw_id/parse/*`, `jwt/decode_expiry`.
//! * `get_token/mock_transport/*`: a whole `client.get_token(..)` through the
//!   azure_core pipeline with an in-process transport that answers a canned 200:
//!   request building and serialisation, every pipeline policy, signing, and
//!   response parsing; everything but the network.

use acs_identity::{
    AzureKeyCredential, CommunicationIdentifier, CommunicationIdentityClient,
    CommunicationIdentityClientOptions, CommunicationTokenCredential, CommunicationTokenScope,
    CommunicationUserIdentifier, ConnectionString, HmacAuthenticationPolicy,
};
use async_trait::async_trait;
use azure_core::http::{
    headers::Headers, AsyncRawResponse, ClientOptions, HttpClient, Method, Request, StatusCode,
    Transport, Url,
};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::{hint::black_box, str::FromStr, sync::Arc};

const KEY: &str = "YWNzLWlkZW50aXR5LWVtdWxhdG9yLXdlbGwta25vd24ta2V5IQ==";
const USER_ID: &str =
    "8:acs:2dee53b4-368b-45b4-ab52-8493fb117652_00000005-14a2-493b-8a72-5a3a0d000081";
const ISSUE_URL: &str = "https://my-resource.communication.azure.com/identities/8%3Aacs%3A2dee53b4-368b-45b4-ab52-8493fb117652_00000005-14a2-493b-8a72-5a3a0d000081/:issueAccessToken?api-version=2023-10-01";
const ISSUE_BODY: &[u8] = br#"{"scopes":["chat","voip"]}"#;

/// A JWT of the size and shape ACS issues (about 900 characters).
fn realistic_jwt() -> String {
    use azure_core::base64::encode_url_safe;
    let header = encode_url_safe(br#"{"alg":"RS256","kid":"5B3C2F9D8A1E4B6C7D8E9F0A1B2C3D4E5F6A7B8C_00","x5t":"WzwvnYoeS2x9jp8KGyw9Tl9qe4w","typ":"JWT"}"#);
    let claims = format!(
        r#"{{"skypeid":"{}","scp":1792,"csi":"1764000000","exp":1764086400,"rgn":"amer","acsScope":"chat,voip","resourceId":"2dee53b4-368b-45b4-ab52-8493fb117652","resourceLocation":"unitedstates","iat":1764000000}}"#,
        USER_ID.trim_start_matches("8:")
    );
    let payload = encode_url_safe(claims.as_bytes());
    let signature = encode_url_safe([0x5au8; 256]);
    format!("{header}.{payload}.{signature}")
}

fn issue_request() -> Request {
    let mut request = Request::new(Url::parse(ISSUE_URL).unwrap(), Method::Post);
    request.insert_header("accept", "application/json");
    request.insert_header("content-type", "application/json");
    request.set_body(ISSUE_BODY.to_vec());
    request
}

fn sign(c: &mut Criterion) {
    let policy = HmacAuthenticationPolicy::new(AzureKeyCredential::new(KEY));
    let date = azure_core::time::parse_rfc3339("2026-11-24T18:09:12Z").unwrap();
    let template = issue_request();
    let mut group = c.benchmark_group("sign");
    group.bench_function("sign_at/get_token_request", |b| {
        b.iter_batched_ref(
            || template.clone(),
            |request| policy.sign_at(request, black_box(date)).unwrap(),
            BatchSize::SmallInput,
        )
    });
    // What any signer must compute: SHA-256 of the body and HMAC-SHA256 of a
    // string to sign of the same length, base64-encoded (keyed MAC state reused).
    let key = azure_core::base64::decode(KEY).unwrap();
    let mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    let string_to_sign = format!(
        "POST\n{}\nTue, 24 Nov 2026 18:09:12 GMT;my-resource.communication.azure.com;{}",
        &ISSUE_URL["https://my-resource.communication.azure.com".len()..],
        azure_core::base64::encode(Sha256::digest(ISSUE_BODY))
    );
    group.bench_function("primitives/sha256_hmac_base64", |b| {
        b.iter(|| {
            let hash = azure_core::base64::encode(Sha256::digest(black_box(ISSUE_BODY)));
            let mut m = mac.clone();
            m.update(black_box(string_to_sign.as_bytes()));
            let sig = azure_core::base64::encode(m.finalize().into_bytes());
            (hash, sig)
        })
    });
    group.finish();
}

fn parsing(c: &mut Criterion) {
    let connection_string =
        format!("endpoint=https://my-resource.communication.azure.com/;accesskey={KEY}");
    c.bench_function("connection_string/parse", |b| {
        b.iter(|| ConnectionString::parse(black_box(&connection_string)).unwrap())
    });

    let mut group = c.benchmark_group("raw_id/parse");
    for (name, raw) in [
        ("communication_user", USER_ID),
        ("phone_number", "4:+14255550123"),
        (
            "teams_user",
            "8:orgid:45ab2481-1c1c-4005-be24-0ffb879b1130",
        ),
        (
            "teams_extension_user",
            "8:acs:2dee53b4-368b-45b4-ab52-8493fb117652_45ab2481-1c1c-4005-be24-0ffb879b1130_00000005-14a2-493b-8a72-5a3a0d000081",
        ),
        ("unknown", "48:45ab2481-1c1c-4005-be24-0ffb879b1130"),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| CommunicationIdentifier::from_str(black_box(raw)).unwrap())
        });
    }
    group.finish();

    let jwt = realistic_jwt();
    // The public entry point that decodes a JWT's `exp` (plus one Arc allocation).
    c.bench_function("jwt/decode_expiry", |b| {
        b.iter(|| CommunicationTokenCredential::new(black_box(jwt.as_str())).unwrap())
    });
}

/// An in-process transport: answers every request with a canned 200 body.
#[derive(Debug)]
struct CannedTransport {
    body: azure_core::Bytes,
}

#[async_trait]
impl HttpClient for CannedTransport {
    async fn execute_request(&self, _request: &Request) -> azure_core::Result<AsyncRawResponse> {
        let mut headers = Headers::new();
        headers.insert("content-type", "application/json; charset=utf-8");
        Ok(AsyncRawResponse::from_bytes(
            StatusCode::Ok,
            headers,
            self.body.clone(),
        ))
    }
}

fn mock_client(request_timeout: Option<std::time::Duration>) -> CommunicationIdentityClient {
    let body = format!(
        r#"{{"token":"{}","expiresOn":"2026-11-25T18:09:12.2846153+00:00"}}"#,
        realistic_jwt()
    );
    let transport = Transport::new(Arc::new(CannedTransport {
        body: body.into_bytes().into(),
    }));
    let options = CommunicationIdentityClientOptions {
        client_options: ClientOptions {
            transport: Some(transport),
            ..Default::default()
        },
        request_timeout,
        ..Default::default()
    };
    CommunicationIdentityClient::from_connection_string(
        &format!("endpoint=https://my-resource.communication.azure.com/;accesskey={KEY}"),
        Some(options),
    )
    .unwrap()
}

fn get_token(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let user = CommunicationUserIdentifier::new(USER_ID);
    let scopes = [CommunicationTokenScope::Chat, CommunicationTokenScope::VoIP];
    let mut group = c.benchmark_group("get_token/mock_transport");
    for (name, timeout) in [
        (
            "default_options",
            Some(acs_identity::DEFAULT_REQUEST_TIMEOUT),
        ),
        ("no_request_timeout", Some(std::time::Duration::MAX)),
    ] {
        let client = mock_client(timeout);
        group.bench_function(name, |b| {
            b.to_async(&rt).iter(|| async {
                client
                    .get_token(black_box(&user), black_box(&scopes), None)
                    .await
                    .unwrap()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, sign, parsing, get_token);
criterion_main!(benches);
