//! `token decode`: an ACS access token's header and claims, read offline.
//!
//! ACS tokens are JWTs; the claims the service writes (and the emulator copies, see
//! `emulator/src/token.rs`) are `skypeid` (the identity's raw id without `8:`), `scp`,
//! `csi` (issue time, epoch seconds, as a string), `iat`, `exp`, `acsScope`
//! (comma-separated scopes), `resourceId` and `resourceLocation`. Only `exp` is relied on by
//! every SDK; the others are shown when present. The signature is not checked: that needs
//! the service's keys.

use crate::{error::CliError, output::Report, time};
use azure_core::time::OffsetDateTime;
use serde_json::{json, Map, Value};

/// Decodes `token` as of `now`. The error never quotes the token.
pub fn decode(token: &str, now: OffsetDateTime) -> Result<Report, CliError> {
    let token = token.trim();
    if token.is_empty() {
        return Err(CliError::usage(
            "the token is empty; expected an ACS access token (a JWT: three base64url parts separated by dots)",
        ));
    }
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Err(CliError::usage(format!(
            "the token is not a JWT: it has {} dot-separated part(s); expected three \
             (header.payload.signature)",
            parts.len()
        )));
    }
    let header = part(parts[0], "header")?;
    let claims = part(parts[1], "payload")?;

    let text_claim = |name: &str| claims.get(name).and_then(Value::as_str).map(str::to_owned);
    let identity = text_claim("skypeid").map(|raw| format!("8:{raw}"));
    let resource_id = text_claim("resourceId");
    let scopes: Vec<String> = text_claim("acsScope")
        .map(|s| {
            s.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    // `csi` is the service's issue time (a string of seconds); `iat` the standard one.
    let issued_at = seconds(claims.get("csi")).or_else(|| seconds(claims.get("iat")));
    let expires_on = seconds(claims.get("exp"));
    let seconds_left = expires_on.map(|exp| exp - now.unix_timestamp());
    let at = |secs: Option<i64>| {
        secs.and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
            .map(time::rfc3339)
    };

    let mut text = String::new();
    let mut line = |label: &str, value: &str| text.push_str(&format!("{label:<11}{value}\n"));
    line("identity:", identity.as_deref().unwrap_or("-"));
    line("resource:", resource_id.as_deref().unwrap_or("-"));
    line(
        "scopes:",
        &if scopes.is_empty() {
            "-".to_owned()
        } else {
            scopes.join(", ")
        },
    );
    line("issued:", at(issued_at).as_deref().unwrap_or("-"));
    match (at(expires_on), seconds_left) {
        (Some(exp), Some(left)) => line("expires:", &format!("{exp} ({})", time::time_left(left))),
        _ => line("expires:", "- (no exp claim)"),
    }
    line("header:", &Value::Object(header.clone()).to_string());
    line("claims:", &Value::Object(claims.clone()).to_string());

    let json = json!({
        "header": header,
        "claims": claims,
        "identity": identity,
        "resourceId": resource_id,
        "scopes": scopes,
        "issuedAt": at(issued_at),
        "expiresOn": at(expires_on),
        "secondsLeft": seconds_left,
        "expired": seconds_left.map(|left| left <= 0),
    });
    Ok(Report { text, json })
}

/// One base64url JSON part of the token.
fn part(encoded: &str, name: &str) -> Result<Map<String, Value>, CliError> {
    let bad = |why: &str| {
        CliError::usage(format!(
            "the token's {name} is not {why}; expected an ACS access token (a JWT)"
        ))
    };
    // JWTs drop base64's padding; azure_core's decoder wants it.
    let mut padded = encoded.trim_end_matches('=').to_owned();
    while !padded.len().is_multiple_of(4) {
        padded.push('=');
    }
    let bytes = azure_core::base64::decode_url_safe(&padded).map_err(|_| bad("base64url"))?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(bad("a JSON object")),
    }
}

/// Epoch seconds from a number (possibly fractional) or a string of digits.
fn seconds(value: Option<&Value>) -> Option<i64> {
    match value? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f.floor() as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(claims: Value) -> String {
        let b64 = |bytes: &[u8]| azure_core::base64::encode_url_safe(bytes);
        format!(
            "{}.{}.{}",
            b64(br#"{"alg":"HS256","typ":"JWT"}"#).trim_end_matches('='),
            b64(claims.to_string().as_bytes()).trim_end_matches('='),
            "c2ln"
        )
    }

    #[test]
    fn reads_the_acs_claims() {
        let token = jwt(json!({
            "skypeid": "acs:r_1", "scp": 1792, "csi": "1657788332", "iat": 1657788332,
            "exp": 1657874732, "acsScope": "chat,voip", "resourceId": "r"
        }));
        let now = OffsetDateTime::from_unix_timestamp(1657874732 - 5400).unwrap();
        let report = decode(&token, now).unwrap();
        assert_eq!(report.json["identity"], "8:acs:r_1");
        assert_eq!(report.json["scopes"], json!(["chat", "voip"]));
        assert_eq!(report.json["resourceId"], "r");
        assert_eq!(report.json["issuedAt"], "2022-07-14T08:45:32Z");
        assert_eq!(report.json["expiresOn"], "2022-07-15T08:45:32Z");
        assert_eq!(report.json["secondsLeft"], 5400);
        assert_eq!(report.json["expired"], false);
        assert_eq!(report.json["header"]["alg"], "HS256");
        assert!(report.text.contains("(in 1h 30m)"), "{}", report.text);
        assert!(!report.text.contains(&token));
    }

    #[test]
    fn fractional_exp_and_no_other_claims() {
        let now = OffsetDateTime::from_unix_timestamp(1000).unwrap();
        let report = decode(&jwt(json!({"exp": 900.5})), now).unwrap();
        assert_eq!(report.json["secondsLeft"], -100);
        assert_eq!(report.json["expired"], true);
        assert_eq!(report.json["identity"], Value::Null);
        assert!(
            report.text.contains("expired 1m 40s ago"),
            "{}",
            report.text
        );
    }

    #[test]
    fn not_a_jwt_says_so_without_quoting_it() {
        let now = OffsetDateTime::now_utc();
        for (token, says) in [
            ("", "empty"),
            ("secret-opaque-value", "1 dot-separated part"),
            ("a.b", "2 dot-separated part"),
            ("!!!.e30.x", "header is not base64url"),
            ("e30.WzFd.x", "payload is not a JSON object"),
        ] {
            let err = decode(token, now).err().expect("an error");
            assert!(err.message.contains(says), "{token}: {err}");
            assert!(token.is_empty() || !err.message.contains(token), "{err}");
        }
    }
}
