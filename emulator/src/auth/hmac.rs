//! HMAC-SHA256 verification as the service does it: `Authorization: HMAC-SHA256
//! SignedHeaders=...&Signature=...`, keyed with the resource's base64 access key.
//!
//! The string to sign is `VERB\nPATH_AND_QUERY\n<values of SignedHeaders joined by ';'>`.
//! The path is verified as it arrived on the request line (percent-encoded or not), the host as
//! sent, then the host without its port (Java signs it so) and `host:port:port` (old JS SDKs).
//! As a last resort the percent-decoded path is tried (Python's `decode_url` option).

use super::RequestView;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use time::Duration;

type HmacSha256 = Hmac<Sha256>;

/// Verifies HMAC-signed requests; holds the access key already decoded and keyed.
pub(crate) struct HmacVerifier {
    mac: HmacSha256,
    max_skew: Duration,
}

impl std::fmt::Debug for HmacVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the key.
        f.debug_struct("HmacVerifier")
            .field("max_skew", &self.max_skew)
            .finish_non_exhaustive()
    }
}

/// Why an HMAC-signed request was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum HmacFailure {
    /// `SignedHeaders=...&Signature=...` could not be read.
    MalformedAuthorization,
    /// `SignedHeaders` lacks a header the scheme requires.
    NotSigned(&'static str),
    /// A header named in `SignedHeaders` is absent (or not ASCII).
    MissingHeader(String),
    /// The date header is not an RFC 1123 date.
    BadDate,
    /// The date is outside the allowed clock skew; the offset in seconds (positive = future).
    DateOutsideWindow(i64),
    /// `x-ms-content-sha256` is not the SHA-256 of the body received.
    ContentHashMismatch,
    /// Nothing matched.
    SignatureMismatch,
}

impl HmacFailure {
    pub(crate) fn message(&self, max_skew_secs: i64) -> String {
        match self {
            HmacFailure::MalformedAuthorization => "the Authorization header is not of the form 'HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=<base64>'".into(),
            HmacFailure::NotSigned(h) => format!("SignedHeaders must include '{h}'"),
            HmacFailure::MissingHeader(h) => format!("the signed header '{h}' is missing from the request"),
            HmacFailure::BadDate => "the signed date header is not an RFC 1123 date such as 'Wed, 13 Apr 2022 18:09:12 GMT'".into(),
            HmacFailure::DateOutsideWindow(off) => format!(
                "the signed date is {} seconds {} the emulator's clock; the allowed skew is {max_skew_secs} seconds",
                off.unsigned_abs(),
                if *off > 0 { "ahead of" } else { "behind" }
            ),
            HmacFailure::ContentHashMismatch => "x-ms-content-sha256 does not match the SHA-256 of the request body received".into(),
            HmacFailure::SignatureMismatch => "the signature does not match: check the access key, and that the signed path, query and host are the ones sent".into(),
        }
    }
}

impl HmacVerifier {
    /// `key` is the decoded access key.
    pub(crate) fn new(key: &[u8], max_skew: Duration) -> Self {
        HmacVerifier {
            mac: HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length"),
            max_skew,
        }
    }

    pub(crate) fn max_skew_secs(&self) -> i64 {
        self.max_skew.whole_seconds()
    }

    /// `params` is the Authorization value after `HMAC-SHA256 `.
    pub(crate) fn verify(&self, params: &str, req: &RequestView<'_>) -> Result<(), HmacFailure> {
        let mut signed_headers = None;
        let mut signature = None;
        for part in params.split('&') {
            let (k, v) = part
                .split_once('=')
                .ok_or(HmacFailure::MalformedAuthorization)?;
            let k = k.trim();
            if k.eq_ignore_ascii_case("SignedHeaders") {
                signed_headers = Some(v.trim());
            } else if k.eq_ignore_ascii_case("Signature") {
                signature = Some(v.trim());
            } else {
                return Err(HmacFailure::MalformedAuthorization);
            }
        }
        let (Some(signed_headers), Some(signature)) = (signed_headers, signature) else {
            return Err(HmacFailure::MalformedAuthorization);
        };

        // Collect the signed header values in order; the host is substituted per candidate.
        let mut before_host = String::with_capacity(48);
        let mut after_host = String::with_capacity(64);
        let mut seen_host = false;
        let mut seen_hash = false;
        let mut date_value = None;
        for (i, name) in signed_headers.split(';').enumerate() {
            let name = name.trim();
            let out = if seen_host {
                &mut after_host
            } else {
                &mut before_host
            };
            if i > 0 {
                out.push(';');
            }
            if name.eq_ignore_ascii_case("host") {
                if seen_host {
                    return Err(HmacFailure::MalformedAuthorization);
                }
                seen_host = true;
                continue;
            }
            let value = req
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .ok_or_else(|| {
                    HmacFailure::MissingHeader(crate::errors::truncate(name, 40).into_owned())
                })?;
            if name.eq_ignore_ascii_case("x-ms-content-sha256") {
                seen_hash = true;
                let mut sent = [0u8; 48];
                let matches = STANDARD
                    .decode_slice(value.trim(), &mut sent)
                    .is_ok_and(|n| n == 32 && sent[..32] == Sha256::digest(req.body)[..]);
                if !matches {
                    return Err(HmacFailure::ContentHashMismatch);
                }
            } else if name.eq_ignore_ascii_case("x-ms-date") || name.eq_ignore_ascii_case("date") {
                date_value.get_or_insert(value);
            }
            out.push_str(value);
        }
        if !seen_host {
            return Err(HmacFailure::NotSigned("host"));
        }
        if !seen_hash {
            return Err(HmacFailure::NotSigned("x-ms-content-sha256"));
        }
        let Some(date_value) = date_value else {
            return Err(HmacFailure::NotSigned("x-ms-date"));
        };
        let date = crate::timefmt::parse_http_date(date_value).ok_or(HmacFailure::BadDate)?;
        let offset = date - req.now;
        if offset.abs() > self.max_skew {
            return Err(HmacFailure::DateOutsideWindow(offset.whole_seconds()));
        }

        let mut sig_buf = [0u8; 48];
        let sig_len = STANDARD
            .decode_slice(signature, &mut sig_buf)
            .or_else(|_| STANDARD_NO_PAD.decode_slice(signature, &mut sig_buf))
            .map_err(|_| HmacFailure::SignatureMismatch)?;
        if sig_len != 32 {
            return Err(HmacFailure::SignatureMismatch);
        }
        let sig = &sig_buf[..32];

        let host = req.host.unwrap_or("");
        let mut hosts: [Option<Cow<'_, str>>; 3] = [Some(Cow::Borrowed(host)), None, None];
        if let Some((bare, port)) = split_port(host) {
            hosts[1] = Some(Cow::Borrowed(bare));
            hosts[2] = Some(Cow::Owned(format!("{host}:{port}")));
        }
        let raw_path = req.path_and_query;
        let decoded = percent_encoding::percent_decode_str(raw_path)
            .decode_utf8()
            .ok();
        let decoded = decoded.filter(|d| d != raw_path);
        let paths = std::iter::once(raw_path).chain(decoded.as_deref());
        for path in paths {
            for host in hosts.iter().flatten() {
                let mut mac = self.mac.clone();
                mac.update(req.method.as_bytes());
                mac.update(b"\n");
                mac.update(path.as_bytes());
                mac.update(b"\n");
                mac.update(before_host.as_bytes());
                mac.update(host.as_bytes());
                mac.update(after_host.as_bytes());
                if mac.verify_slice(sig).is_ok() {
                    return Ok(());
                }
            }
        }
        Err(HmacFailure::SignatureMismatch)
    }
}

/// `host:port` → `(host, port)`; handles `[v6]:port`; `None` when there is no port.
fn split_port(authority: &str) -> Option<(&str, &str)> {
    let (h, p) = authority.rsplit_once(':')?;
    if h.is_empty() || p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if h.contains(':') && !(h.starts_with('[') && h.ends_with(']')) {
        return None;
    }
    Some((h, p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderMap, HeaderValue};
    use time::macros::datetime;

    const DATE: &str = "Wed, 13 Apr 2022 18:09:12 GMT";

    fn headers(date: &str, hash: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-ms-date", HeaderValue::from_str(date).unwrap());
        h.insert("x-ms-content-sha256", HeaderValue::from_str(hash).unwrap());
        h
    }

    fn check(
        method: &str,
        path: &str,
        host: &str,
        body: &[u8],
        sig: &str,
    ) -> Result<(), HmacFailure> {
        let key = STANDARD.decode("pw==").unwrap();
        let v = HmacVerifier::new(&key, Duration::minutes(15));
        let hash = STANDARD.encode(Sha256::digest(body));
        let h = headers(DATE, &hash);
        let req = RequestView {
            method,
            path_and_query: path,
            host: Some(host),
            headers: &h,
            body,
            now: datetime!(2022-04-13 18:09:12 UTC),
        };
        v.verify(
            &format!("SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={sig}"),
            &req,
        )
    }

    const ID: &str =
        "8%3Aacs%3A2dee53b4-368b-45b4-ab52-8493fb117652_00000005-14a2-493b-8a72-5a3a0d000081";

    #[test]
    fn sdk_vectors_t1_t2() {
        check(
            "GET",
            "/testPath?testQuery=test",
            "example.com",
            b"",
            "DGdgwggJWnQyc6EHjR/Vbqg1ES64KpD6U2XwTDDj3tU=",
        )
        .unwrap();
        check(
            "GET",
            "/testPath",
            "example.com",
            b"",
            "+6tWkg3lNKVjQHHmxkdGQcJjUgzclsWTMebnuCz1ngU=",
        )
        .unwrap();
        check(
            "GET",
            "/",
            "contoso.communicationservices.azure.com",
            b"",
            "88MDmJhUR3m5QhFxb8ztShsSwlGrg7g/6XPnWf7QEO4=",
        )
        .unwrap();
    }

    #[test]
    fn derived_vectors_d1_to_d5() {
        let host = "my-resource.communication.azure.com";
        check(
            "POST",
            "/identities?api-version=2023-10-01",
            host,
            br#"{"createTokenWithScopes":["chat"]}"#,
            "Vd/FmsyC8ZibrTj9GZA1Oqb1Ov3av5nbkKu9ERJ9DQc=",
        )
        .unwrap();
        check(
            "POST",
            &format!("/identities/{ID}/:issueAccessToken?api-version=2023-10-01"),
            host,
            br#"{"scopes":["chat","voip"],"expiresInMinutes":60}"#,
            "tJTkcaCPkAmaSQpzNTOFMndomQLygN4bQDeh9IO26jg=",
        )
        .unwrap();
        check(
            "DELETE",
            &format!("/identities/{ID}?api-version=2023-10-01"),
            host,
            b"",
            "uICWoKznxra7MlMsd4K0gpOyony9ejjzdnGkP3k/TAM=",
        )
        .unwrap();
        check(
            "POST",
            "/identities?api-version=2023-10-01",
            "localhost:8443",
            b"{}",
            "5eKcATlmC9dVThe0DMHs0nJiH8uwgjvDdNPjAGNOwWo=",
        )
        .unwrap();
        // D5: Java signs the host without the port but sends it with one.
        check(
            "POST",
            "/identities?api-version=2023-10-01",
            "localhost:8443",
            b"{}",
            "KJvpFwSE9C2Dckvgu6hVBq1JUzLWpmgHaTCnVVLNSoQ=",
        )
        .unwrap();
    }

    #[test]
    fn decoded_path_vector_verifies_as_sent() {
        let path = "/identities/8:acs:2dee53b4-368b-45b4-ab52-8493fb117652_00000005-14a2-493b-8a72-5a3a0d000081/:issueAccessToken?api-version=2023-10-01";
        check(
            "POST",
            path,
            "contoso.communication.azure.com",
            br#"{"scopes":["chat","voip"],"expiresInMinutes":60}"#,
            "F0ni/wHvnBdNZA9j0obfztyZDIYlYVubs0bifgElHPs=",
        )
        .unwrap();
    }

    #[test]
    fn wrong_variants_fail() {
        // T2 signed with a trailing '?' or with ':443' must not verify for the plain request.
        assert_eq!(
            check(
                "GET",
                "/testPath",
                "example.com",
                b"",
                "NSaVDtjIK1Cf3jnIJM7VuT4sHB3XRQaYLUH9x+upjsA="
            ),
            Err(HmacFailure::SignatureMismatch)
        );
        assert_eq!(
            check(
                "GET",
                "/testPath",
                "example.com",
                b"",
                "kXXPHHZxkqFnBEydkaFfW9hGpSlzVX4PPIju188XJrM="
            ),
            Err(HmacFailure::SignatureMismatch)
        );
        assert_eq!(
            check("GET", "/testPath", "example.com", b"", "not base64!"),
            Err(HmacFailure::SignatureMismatch)
        );
    }

    #[test]
    fn tampered_body_is_a_hash_mismatch() {
        let key = STANDARD.decode("pw==").unwrap();
        let v = HmacVerifier::new(&key, Duration::minutes(15));
        let h = headers(DATE, "WTRvgEjjVd+bvyKw3WgXgDkU81aV8FWq+4/BE+he0+A=");
        let req = RequestView {
            method: "POST",
            path_and_query: "/identities?api-version=2023-10-01",
            host: Some("my-resource.communication.azure.com"),
            headers: &h,
            body: br#"{"createTokenWithScopes":["voip"]}"#,
            now: datetime!(2022-04-13 18:09:12 UTC),
        };
        let r = v.verify("SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=Vd/FmsyC8ZibrTj9GZA1Oqb1Ov3av5nbkKu9ERJ9DQc=", &req);
        assert_eq!(r, Err(HmacFailure::ContentHashMismatch));
    }

    #[test]
    fn stale_date_and_malformed_header() {
        let key = STANDARD.decode("pw==").unwrap();
        let v = HmacVerifier::new(&key, Duration::minutes(15));
        let h = headers(DATE, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
        let mut req = RequestView {
            method: "GET",
            path_and_query: "/testPath",
            host: Some("example.com"),
            headers: &h,
            body: b"",
            now: datetime!(2022-04-13 18:25:00 UTC),
        };
        let auth = "SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=+6tWkg3lNKVjQHHmxkdGQcJjUgzclsWTMebnuCz1ngU=";
        assert_eq!(
            v.verify(auth, &req),
            Err(HmacFailure::DateOutsideWindow(-948))
        );
        req.now = datetime!(2022-04-13 18:20:00 UTC);
        assert!(v.verify(auth, &req).is_ok());
        assert_eq!(
            v.verify("garbage", &req),
            Err(HmacFailure::MalformedAuthorization)
        );
        assert_eq!(
            v.verify(
                "SignedHeaders=x-ms-date;x-ms-content-sha256&Signature=AAAA",
                &req
            ),
            Err(HmacFailure::NotSigned("host"))
        );
    }

    #[test]
    fn date_header_variant() {
        // Older SDKs sign `date` instead of `x-ms-date`.
        let key = STANDARD.decode("pw==").unwrap();
        let v = HmacVerifier::new(&key, Duration::minutes(15));
        let mut h = HeaderMap::new();
        h.insert("date", HeaderValue::from_static(DATE));
        h.insert(
            "x-ms-content-sha256",
            HeaderValue::from_static("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="),
        );
        let req = RequestView {
            method: "GET",
            path_and_query: "/testPath",
            host: Some("example.com"),
            headers: &h,
            body: b"",
            now: datetime!(2022-04-13 18:09:12 UTC),
        };
        // Same string to sign as T2, so the same signature.
        assert!(v
            .verify("SignedHeaders=date;host;x-ms-content-sha256&Signature=+6tWkg3lNKVjQHHmxkdGQcJjUgzclsWTMebnuCz1ngU=", &req)
            .is_ok());
    }

    #[test]
    fn split_port_cases() {
        assert_eq!(split_port("localhost:8443"), Some(("localhost", "8443")));
        assert_eq!(split_port("localhost"), None);
        assert_eq!(split_port("[::1]:80"), Some(("[::1]", "80")));
        assert_eq!(split_port("[::1]"), None);
        assert_eq!(split_port(":80"), None);
    }
}
