//! Reading the expiry (`exp` claim) of an ACS access token.

use crate::InvalidArgument;
use azure_core::{
    error::Error,
    time::{Duration, OffsetDateTime},
    Result,
};
use serde_json::{Map, Value};

const OPAQUE_HINT: &str = "for an opaque or encrypted token supply the expiry explicitly \
    (CommunicationToken::with_expiry or an AccessToken)";

fn invalid(what: &str) -> Error {
    InvalidArgument::new(
        "token",
        format!("cannot read the token's expiry: {what}; {OPAQUE_HINT}"),
    )
    .into()
}

/// Decodes the `exp` claim of a JWS compact token (`header.payload.signature`).
///
/// The payload may be base64url or standard base64, padded or not; `exp` is
/// seconds since the Unix epoch, integer or fractional. Never panics; error
/// messages never contain the token.
pub(crate) fn decode_expiry(token: &str) -> Result<OffsetDateTime> {
    if token.trim().is_empty() {
        return Err(invalid(
            "the token is empty; expected an ACS access token (a JWT)",
        ));
    }
    let parts = token.split('.').count();
    if parts != 3 {
        return Err(invalid(&format!(
            "the token is not a JWT: expected three '.'-separated base64url parts \
             (header.payload.signature), found {parts}"
        )));
    }
    let payload = token.split('.').nth(1).unwrap_or_default();
    let normalised: String = payload
        .trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect();
    let bytes = azure_core::base64::decode_url_safe(normalised.as_bytes())
        .map_err(|_| invalid("the token's payload (second part) is not valid base64url"))?;
    let claims: Map<String, Value> = serde_json::from_slice(&bytes)
        .map_err(|_| invalid("the token's payload is not a JSON object"))?;
    let exp = claims
        .get("exp")
        .ok_or_else(|| invalid("the token has no \"exp\" claim"))?;
    expiry_from_claim(exp).ok_or_else(|| {
        invalid(
            "the token's \"exp\" claim is not a number of seconds since the Unix epoch in range",
        )
    })
}

fn expiry_from_claim(exp: &Value) -> Option<OffsetDateTime> {
    let Value::Number(number) = exp else {
        return None;
    };
    if let Some(seconds) = number.as_i64() {
        return OffsetDateTime::from_unix_timestamp(seconds).ok();
    }
    let seconds = number.as_f64().filter(|s| s.is_finite())?;
    // Whole seconds and the fraction separately, so the fraction keeps its
    // precision (1700000000.25 must not become …0.249999872).
    let whole = seconds.floor();
    if whole < i64::MIN as f64 || whole > i64::MAX as f64 {
        return None;
    }
    let nanos = ((seconds - whole) * 1e9).round() as i64;
    OffsetDateTime::from_unix_timestamp(whole as i64)
        .ok()?
        .checked_add(Duration::nanoseconds(nanos))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(payload: &str) -> String {
        format!(
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.{}.sig",
            azure_core::base64::encode_url_safe(payload)
        )
    }

    #[test]
    fn integer_and_fractional_exp() {
        assert_eq!(
            decode_expiry(&token(r#"{"exp":100}"#))
                .unwrap()
                .unix_timestamp(),
            100
        );
        let fractional = decode_expiry(&token(r#"{"exp":1700000000.5}"#)).unwrap();
        assert_eq!(fractional.unix_timestamp(), 1_700_000_000);
        assert_eq!(fractional.millisecond(), 500);
    }

    #[test]
    fn standard_base64_with_padding() {
        // {"exp":12} is 10 bytes: standard base64 with "==" padding.
        let payload = azure_core::base64::encode(r#"{"exp":12}"#);
        assert!(payload.ends_with('='));
        let jwt = format!("a.{payload}.c");
        assert_eq!(decode_expiry(&jwt).unwrap().unix_timestamp(), 12);
    }

    #[test]
    fn errors_never_contain_the_token() {
        for bad in [
            "",
            "   ",
            "IAmNotAToken",
            "foo.bar",
            "foo.bar.foobar",
            "Invalid.Token",
            "Invalid_Base64_String",
            "a.!!!.c",
            "a.b.c.d.e",
        ] {
            let message = decode_expiry(bad).unwrap_err().to_string();
            if bad.len() > 3 {
                assert!(!message.contains(bad), "{message}");
            }
            assert!(message.contains("explicitly"), "{message}");
        }
        for payload in [
            r#"{"iat":1}"#,
            r#"{"exp":"1"}"#,
            r#"{"exp":1e300}"#,
            r#"{"exp":-1e300}"#,
            r#"{"exp":18446744073709551615}"#,
            "[1]",
            "not json",
        ] {
            assert!(decode_expiry(&token(payload)).is_err(), "{payload}");
        }
    }
}
