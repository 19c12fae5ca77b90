//! Static-token credential and JWT expiry decoding against the shared token
//! vectors (`vectors.json`, section `tokens`).

use acs_common::{
    credential::CommunicationToken, CommunicationTokenCredential, CommunicationTokenRefreshOptions,
};
use azure_core::{
    credentials::{AccessToken, TokenCredential},
    error::ErrorKind,
    time::{Duration, OffsetDateTime},
};
use serde_json::json;

/// vectors.json tokens.sample_jwts[id = net-sample]: exp 32503680000 (3000-01-01).
const NET_SAMPLE: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjMyNTAzNjgwMDAwfQ.9i7FNNHHJT8cOzo-yrAUJyBSfJ-tPPk2emcHavOEpWc";
/// vectors.json tokens.sample_jwts[id = net-expired]: exp 100.
const NET_EXPIRED: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjEwMH0.1h_scYkNp-G98-O4cW6KvfJZwiz54uJMyeDACE4nypg";
/// The JS / Python template's header and signature.
const HEADER: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";
const SIGNATURE: &str = "adM-ddBZZlQ1WlN3pdPBOF5G4Wh9iZpxNP_fSvpF4cWs";

async fn expiry_of(token: &str) -> OffsetDateTime {
    CommunicationTokenCredential::new(token)
        .unwrap()
        .get_token()
        .await
        .unwrap()
        .expires_on
}

#[tokio::test]
async fn net_sample_expires_in_the_year_3000() {
    let expires_on = expiry_of(NET_SAMPLE).await;
    assert_eq!(expires_on.unix_timestamp(), 32_503_680_000);
    assert_eq!(expires_on.year(), 3000);
    assert_eq!((expires_on.month() as u8, expires_on.day()), (1, 1));
}

#[tokio::test]
async fn static_token_is_returned_even_when_expired() {
    let credential = CommunicationTokenCredential::new(NET_EXPIRED).unwrap();
    for _ in 0..3 {
        let token = credential.get_token().await.unwrap();
        assert_eq!(token.token.secret(), NET_EXPIRED);
        assert_eq!(token.expires_on.unix_timestamp(), 100);
    }
    // Also through the azure_core trait (scopes are ignored).
    let token = TokenCredential::get_token(&credential, &["any scope"], None)
        .await
        .unwrap();
    assert_eq!(token.token.secret(), NET_EXPIRED);
}

#[tokio::test]
async fn js_template_fractional_exp_with_standard_base64_padding() {
    // JS: fractional exp (Date.now()/1000), standard base64 with '=' padding.
    let payload = azure_core::base64::encode(r#"{"exp": 1700000000.25}"#);
    assert!(payload.ends_with('='), "{payload}");
    let expires_on = expiry_of(&format!("{HEADER}.{payload}.{SIGNATURE}")).await;
    assert_eq!(expires_on.unix_timestamp_nanos(), 1_700_000_000_250_000_000);

    // Python: the same with the '=' stripped.
    let unpadded = payload.trim_end_matches('=');
    let expires_on = expiry_of(&format!("{HEADER}.{unpadded}.{SIGNATURE}")).await;
    assert_eq!(expires_on.unix_timestamp_nanos(), 1_700_000_000_250_000_000);
}

#[tokio::test]
async fn acs_token_claims_samples() {
    // vectors.json tokens.sample_jwts acs-2020-docs-sample and acs-2025-observed.
    let samples = [
        (
            json!({"alg": "RS256", "kid": "102_int", "typ": "JWT"}),
            json!({
                "skypeid": "acs:2dee53b4-368b-45b4-ab52-8493fb117652_00000005-14b0-b03d-cccc-baa1e13c0001",
                "scp": 1792, "csi": "1599687579", "iat": 1599687579, "exp": 1599773979,
                "acsScope": "chat", "resourceId": "2dee53b4-368b-45b4-ab52-8493fb117652"
            }),
            1_599_773_979,
        ),
        (
            json!({"alg": "RS256", "kid": "6C80C2791FA0EB87302679ED8EC1CE1993DA0023",
                   "x5t": "bIDCeR-g64cwJnntjsHOGZPaACM", "typ": "JWT"}),
            json!({
                "skypeid": "acs:d6de2ec6-8e7e-4be4-aae4-6ee45c4febc3_wf_<guid>_<guid>",
                "scp": 1792, "csi": "1755818174", "exp": 1755821774, "rgn": "amer",
                "acsScope": "chat,voip", "resourceId": "d6de2ec6-8e7e-4be4-aae4-6ee45c4febc3",
                "resourceLocation": "unitedstates", "iat": 1755818174
            }),
            1_755_821_774,
        ),
    ];
    for (header, claims, exp) in samples {
        let token = format!(
            "{}.{}.{}",
            azure_core::base64::encode_url_safe(header.to_string()),
            azure_core::base64::encode_url_safe(claims.to_string()),
            azure_core::base64::encode_url_safe(b"not-a-real-signature")
        );
        assert_eq!(expiry_of(&token).await.unix_timestamp(), exp);
    }
}

#[test]
fn parse_error_vectors_are_rejected_with_a_clear_message() {
    // vectors.json tokens.parse_errors (the 454 and null inputs cannot be
    // expressed: the type system only admits strings).
    for input in [
        "IAmNotAToken",
        "foo",
        "foo.bar",
        "foo.bar.foobar",
        "foo.bar.tar",
        "Invalid.Token",
        "Invalid_Base64_String",
        "",
    ] {
        let error = CommunicationTokenCredential::new(input).unwrap_err();
        let invalid = error
            .downcast_ref::<acs_common::InvalidArgument>()
            .unwrap_or_else(|| panic!("{input}: expected an InvalidArgument, got {error:?}"));
        assert_eq!(invalid.argument(), "token", "{input}");
        let message = error.to_string();
        assert!(
            message.contains("cannot read the token's expiry"),
            "{message}"
        );
        assert!(message.contains("explicitly"), "{message}");
        if !input.is_empty() {
            assert!(!message.contains(input), "no token in errors: {message}");
        }
    }
    let missing_exp = format!(
        "{HEADER}.{}.{SIGNATURE}",
        azure_core::base64::encode_url_safe(r#"{"iat":1}"#)
    );
    let message = CommunicationTokenCredential::new(missing_exp.as_str())
        .unwrap_err()
        .to_string();
    assert!(message.contains("no \"exp\" claim"), "{message}");
}

#[tokio::test]
async fn opaque_static_token_with_explicit_expiry() {
    let expires_on = OffsetDateTime::now_utc() + Duration::hours(1);
    for token in [
        CommunicationToken::with_expiry("opaque", expires_on),
        AccessToken::new("opaque", expires_on).into(),
    ] {
        let credential = CommunicationTokenCredential::new(token).unwrap();
        let token = credential.get_token().await.unwrap();
        assert_eq!(token.token.secret(), "opaque");
        assert_eq!(token.expires_on, expires_on);
    }
}

#[tokio::test]
async fn close_applies_to_all_clones_of_a_static_credential() {
    let credential = CommunicationTokenCredential::new(NET_SAMPLE).unwrap();
    let clone = credential.clone();
    assert!(!credential.is_closed());
    clone.close();
    assert!(credential.is_closed());
    let error = credential.get_token().await.unwrap_err();
    assert_eq!(*error.kind(), ErrorKind::Credential);
    assert!(error.to_string().contains("closed"), "{error}");
}

#[test]
fn debug_never_shows_the_token() {
    let credential = CommunicationTokenCredential::new(NET_SAMPLE).unwrap();
    let debug = format!("{credential:?} {:?}", CommunicationToken::jwt(NET_SAMPLE));
    assert!(!debug.contains(NET_SAMPLE), "{debug}");
    assert!(!debug.contains("eyJ"), "{debug}");
    let options = CommunicationTokenRefreshOptions::new(|| async {
        Ok::<_, azure_core::Error>(NET_SAMPLE.to_owned())
    })
    .with_initial_token(NET_SAMPLE);
    let debug = format!("{options:?}");
    assert!(!debug.contains("eyJ"), "{debug}");
}

#[test]
fn credential_is_send_sync_and_cheap_to_clone() {
    fn assert_send_sync_clone<T: Send + Sync + Clone + 'static>() {}
    assert_send_sync_clone::<CommunicationTokenCredential>();
    assert_send_sync_clone::<CommunicationTokenRefreshOptions>();
    fn assert_send<T: Send>(_: &T) {}
    let credential = CommunicationTokenCredential::new(NET_SAMPLE).unwrap();
    assert_send(&credential.get_token());
}
