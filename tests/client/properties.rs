//! Bad input never panics, and what parses round-trips: property tests for the
//! connection-string parser, the token-scope parser, the custom-expiry check
//! (through `get_token`), and the JWT expiry decoder (through
//! `CommunicationTokenCredential`). The raw-id parser has its own properties in
//! `tests/identifier_proptest.rs` (arbitrary strings, raw-id-shaped strings,
//! wire-model round trips); they are not repeated here.
//!
//! The same inputs are fuzzed by the cargo-fuzz targets in `fuzz/`.

use acs_identity::{
    AzureKeyCredential, CommunicationIdentityClient, CommunicationIdentityClientOptions,
    CommunicationTokenCredential, CommunicationTokenScope, CommunicationUserIdentifier,
    ConnectionString, GetTokenOptions, HmacAuthenticationPolicy, InvalidArgument,
};
use acs_testing::{MockResponse, MockTransport};
use azure_core::{
    http::{ClientOptions, Method, Request, RetryOptions, Url},
    time::OffsetDateTime,
};
use proptest::prelude::*;
use std::{sync::Arc, time::Duration};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

// ------------------------------------------------------- connection strings

fn signature(credential: AzureKeyCredential) -> String {
    let mut request = Request::new(
        Url::parse("https://contoso.communication.azure.com/identities?api-version=2023-10-01")
            .unwrap(),
        Method::Post,
    );
    request.set_body("{}");
    let date = OffsetDateTime::from_unix_timestamp(1_649_873_352).unwrap();
    HmacAuthenticationPolicy::new(credential)
        .sign_at(&mut request, date)
        .unwrap();
    request
        .headers()
        .get_optional_str(&azure_core::http::headers::AUTHORIZATION)
        .unwrap()
        .to_owned()
}

/// A key name in random ASCII case.
fn cased(name: &'static str) -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<bool>(), name.len()).prop_map(move |upper| {
        name.chars()
            .zip(upper)
            .map(|(c, u)| if u { c.to_ascii_uppercase() } else { c })
            .collect()
    })
}

fn ws() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just(""), Just(" "), Just("\t"), Just("  ")]
}

prop_compose! {
    /// A valid connection string in any of the accepted spellings, with the
    /// endpoint and key it must parse to.
    fn valid_connection_string()(
        // No "xn--" (an invalid punycode label) can come out of this.
        host in "[a-z][a-z0-9]{0,20}(-[a-z0-9]{1,5})?(\\.[a-z][a-z0-9]{0,10}){0,3}",
        https in any::<bool>(),
        port in proptest::option::of(1u16..),
        path in proptest::option::of("[a-z0-9]{1,8}"),
        slash in any::<bool>(),
        key_bytes in proptest::collection::vec(any::<u8>(), 1..64),
        endpoint_name in cased("endpoint"),
        key_name in cased("accesskey"),
        endpoint_first in any::<bool>(),
        extra in proptest::option::of(("[a-zA-Z]{1,10}", "[^;]{0,10}")),
        trailing in any::<bool>(),
        (w1, w2, w3, w4) in (ws(), ws(), ws(), ws()),
    ) -> (String, String, String) {
        let scheme = if https { "https" } else { "http" };
        let port = port.map(|p| format!(":{p}")).unwrap_or_default();
        let mut endpoint = format!("{scheme}://{host}{port}");
        if let Some(p) = &path { endpoint.push('/'); endpoint.push_str(p); }
        if slash { endpoint.push('/'); }
        let key = azure_core::base64::encode(&key_bytes);
        let e = format!("{w1}{endpoint_name}{w2}={w3}{endpoint}{w4}");
        let k = format!("{w4}{key_name}={w1}{key}{w2}");
        let mut segments = if endpoint_first { vec![e, k] } else { vec![k, e] };
        if let Some((name, value)) = extra {
            let lower = name.to_ascii_lowercase();
            if lower != "endpoint" && lower != "accesskey" {
                segments.insert(1, format!("{name}={value}"));
            }
        }
        let mut s = segments.join(";");
        if trailing { s.push(';'); }
        (s, endpoint, key)
    }
}

/// Strings made of connection-string fragments, so that the parser's branches
/// (duplicates, empty values, bad URLs, bad base64) are hit often.
fn connection_string_like() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        Just("endpoint=".to_owned()),
        Just("accesskey=".to_owned()),
        Just("EndPoint = ".to_owned()),
        Just("https://".to_owned()),
        Just("http://".to_owned()),
        Just(";".to_owned()),
        Just("=".to_owned()),
        Just("/".to_owned()),
        Just("?q=1".to_owned()),
        Just("#f".to_owned()),
        Just("user:pw@".to_owned()),
        Just("cHc9PQ==".to_owned()),
        Just("[::1]".to_owned()),
        Just(":99999".to_owned()),
        "[a-z0-9.]{1,12}",
        any::<String>(),
    ];
    proptest::collection::vec(fragment, 0..12).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn connection_string_parser_never_panics(s in any::<String>()) {
        let _ = ConnectionString::parse(&s);
        let _ = CommunicationIdentityClient::from_connection_string(&s, None);
    }

    #[test]
    fn connection_string_like_input_never_panics_nor_echoes_the_key(s in connection_string_like()) {
        match ConnectionString::parse(&s) {
            Ok(cs) => {
                prop_assert!(cs.endpoint().path().ends_with('/'));
                prop_assert!(matches!(cs.endpoint().scheme(), "http" | "https"));
                let shown = format!("{cs:?}");
                prop_assert!(!shown.contains("cHc9PQ=="));
            }
            Err(err) => {
                let invalid = err.downcast_ref::<InvalidArgument>().expect("an InvalidArgument");
                prop_assert_eq!(invalid.argument(), "connection string");
                // A key in the input is never quoted back.
                prop_assert!(!err.to_string().contains("cHc9PQ=="), "{}", err);
            }
        }
    }

    #[test]
    fn valid_connection_strings_round_trip((s, endpoint, key) in valid_connection_string()) {
        let cs = ConnectionString::parse(&s).map_err(|e| TestCaseError::fail(format!("{s:?}: {e}")))?;
        let mut expected = Url::parse(&endpoint).unwrap();
        if !expected.path().ends_with('/') {
            let p = format!("{}/", expected.path());
            expected.set_path(&p);
        }
        prop_assert_eq!(cs.endpoint(), &expected);
        // The parsed key signs exactly like the original key.
        prop_assert_eq!(
            signature(cs.credential().clone()),
            signature(AzureKeyCredential::new(key.clone()))
        );
        let shown = format!("{cs:?}");
        prop_assert!(!shown.contains(&key), "{}", shown);
    }
}

// ------------------------------------------------------------------- scopes

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn scope_parsing_never_panics_and_round_trips(s in prop_oneof![
        any::<String>(),
        "(?i)(chat|voip)(\\.join(\\.limited)?)?",
    ]) {
        let scope: CommunicationTokenScope = s.parse().unwrap();
        // Known values are case-insensitive; anything else is kept verbatim.
        match &scope {
            CommunicationTokenScope::Other(v) => prop_assert_eq!(v, &s),
            known => prop_assert_eq!(known.as_str(), s.to_ascii_lowercase()),
        }
        // Printing and re-parsing is the identity.
        prop_assert_eq!(&CommunicationTokenScope::from(scope.as_str()), &scope);
        prop_assert_eq!(scope.to_string(), scope.as_str());
        // So is the wire model.
        let json = serde_json::to_string(&scope).unwrap();
        let back: CommunicationTokenScope = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, &scope);
    }
}

// --------------------------------------------------- custom token lifetime

/// A client whose transport answers every request with a token and records it.
fn recording_client() -> (CommunicationIdentityClient, Arc<MockTransport>) {
    let recorder = MockTransport::always(MockResponse::json(
        200,
        r#"{"token":"t","expiresOn":"2030-01-01T00:00:00Z"}"#,
    ));
    let client = CommunicationIdentityClient::with_key_credential(
        "https://contoso.communication.azure.com",
        AzureKeyCredential::new("cHc9PQ=="),
        Some(CommunicationIdentityClientOptions {
            client_options: ClientOptions {
                retry: RetryOptions::none(),
                transport: Some(recorder.transport()),
                ..Default::default()
            },
            ..Default::default()
        }),
    )
    .unwrap();
    (client, recorder)
}

fn any_duration() -> impl Strategy<Value = Duration> {
    prop_oneof![
        // Around the accepted range, whole minutes and not.
        (0u64..200_000, 0u32..1_000_000_000).prop_map(|(s, n)| Duration::new(s, n)),
        (0u64..2000).prop_map(|m| Duration::from_secs(m * 60)),
        (0u64..2000).prop_map(|m| Duration::from_secs(m * 60) + Duration::from_nanos(1)),
        // Anything at all.
        (any::<u64>(), 0u32..1_000_000_000).prop_map(|(s, n)| Duration::new(s, n)),
        Just(Duration::MAX),
        Just(Duration::ZERO),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// A lifetime is sent iff it is whole minutes in 60..=1440; otherwise the call
    /// fails with `InvalidArgument("token_expires_in")` and sends nothing.
    #[test]
    fn expiry_validation(expires_in in any_duration()) {
        let (client, recorder) = recording_client();
        let result = runtime().block_on(client.get_token(
            &CommunicationUserIdentifier::new("8:acs:x"),
            &[CommunicationTokenScope::Chat],
            Some(GetTokenOptions { token_expires_in: Some(expires_in), ..Default::default() }),
        ));
        let whole_minutes = expires_in.subsec_nanos() == 0 && expires_in.as_secs() % 60 == 0;
        let minutes = expires_in.as_secs() / 60;
        let bodies: Vec<Vec<u8>> = recorder.requests().into_iter().map(|r| r.body).collect();
        if whole_minutes && (60..=1440).contains(&minutes) {
            prop_assert!(result.is_ok(), "{:?}: {:?}", expires_in, result.err());
            prop_assert_eq!(bodies.len(), 1);
            let sent: serde_json::Value = serde_json::from_slice(&bodies[0]).unwrap();
            prop_assert_eq!(sent["expiresInMinutes"].as_u64(), Some(minutes));
        } else {
            let err = result.unwrap_err();
            let invalid = err.downcast_ref::<InvalidArgument>().unwrap();
            prop_assert_eq!(invalid.argument(), "token_expires_in");
            prop_assert!(bodies.is_empty());
        }
    }
}

// ------------------------------------------------------ JWT expiry decoder

fn b64url(bytes: &[u8]) -> String {
    azure_core::base64::encode_url_safe(bytes)
}

/// Strings made of JWT fragments: dots, base64url of JSON with odd `exp`s.
fn jwt_like() -> impl Strategy<Value = String> {
    let exp = prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| format!("{f:?}")),
        Just("1e400".to_owned()),
        Just("-1e400".to_owned()),
        Just("\"1700000000\"".to_owned()),
        Just("null".to_owned()),
        Just("[]".to_owned()),
        Just("18446744073709551616".to_owned()),
    ];
    let payload = prop_oneof![
        exp.prop_map(|e| b64url(format!("{{\"exp\":{e}}}").as_bytes())),
        any::<Vec<u8>>().prop_map(|b| b64url(&b)),
        "[A-Za-z0-9+/=_-]{0,40}",
        any::<String>(),
    ];
    (payload, "[.]{0,3}", any::<String>(), any::<bool>()).prop_map(|(p, dots, tail, std)| {
        let p = if std {
            p.replace('-', "+").replace('_', "/")
        } else {
            p
        };
        format!("eyJhbGciOiJIUzI1NiJ9.{p}{dots}.{tail}")
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn jwt_decoder_never_panics(token in prop_oneof![any::<String>(), jwt_like()]) {
        if let Err(err) = CommunicationTokenCredential::new(token.as_str()) {
            // The error never quotes the token.
            if token.len() > 8 {
                prop_assert!(!err.to_string().contains(&token));
            }
        }
    }

    #[test]
    fn jwt_expiry_round_trips(
        exp in -62_135_596_800i64..253_402_300_799,
        fraction in proptest::option::of(1u32..1000),
        padded in any::<bool>(),
        standard_alphabet in any::<bool>(),
        other_claims in proptest::collection::btree_map("[a-z]{1,8}", any::<i32>(), 0..4),
    ) {
        let exp_json = match fraction {
            Some(ms) => format!("{exp}.{ms:03}"),
            None => exp.to_string(),
        };
        let mut claims: serde_json::Map<String, serde_json::Value> =
            other_claims.into_iter().map(|(k, v)| (k, v.into())).collect();
        claims.insert("exp".into(), serde_json::from_str(&exp_json).unwrap());
        let json = serde_json::to_vec(&claims).unwrap();
        let mut payload = if standard_alphabet {
            azure_core::base64::encode(&json)
        } else {
            b64url(&json)
        };
        if !padded {
            payload = payload.trim_end_matches('=').to_owned();
        }
        let token = format!("eyJhbGciOiJIUzI1NiJ9.{payload}.c2lnbmF0dXJl");
        let credential = CommunicationTokenCredential::new(token.as_str())
            .map_err(|e| TestCaseError::fail(format!("{token}: {e}")))?;
        let access = runtime().block_on(credential.get_token()).unwrap();
        prop_assert_eq!(access.token.secret(), token.as_str());
        prop_assert_eq!(access.expires_on.unix_timestamp(), if exp_json.contains('.') && exp < 0 {
            // floor of a negative fractional number
            exp - 1
        } else {
            exp
        });
    }
}
