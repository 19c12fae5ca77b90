//! The HMAC-SHA256 signing scheme of Azure Communication Services, as pure functions.
//!
//! `string_to_sign = VERB + "\n" + path_and_query + "\n" + date + ";" + host + ";" + content_sha256`,
//! signed with the base64-decoded access key; the signature goes into
//! `Authorization: HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=<base64>`.

use super::key_credential::SigningKey;
use aws_lc_rs::{digest, hmac};
use azure_core::{
    base64,
    time::{to_rfc7231, OffsetDateTime},
};
use time::UtcOffset;

/// `x-ms-content-sha256` of an empty body.
pub(crate) const EMPTY_CONTENT_SHA256: &str = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";

/// The headers covered by the signature, in signing order.
pub(crate) const SIGNED_HEADERS: &str = "x-ms-date;host;x-ms-content-sha256";

/// base64(SHA-256(body)).
pub(crate) fn content_sha256(body: &[u8]) -> String {
    if body.is_empty() {
        return EMPTY_CONTENT_SHA256.to_owned();
    }
    base64::encode(digest::digest(&digest::SHA256, body))
}

/// The request date in IMF-fixdate form (`Wed, 13 Apr 2022 18:09:12 GMT`).
///
/// Written by hand: the same text as `azure_core::time::to_rfc7231` (which goes
/// through `time`'s format-description machinery) in about a tenth of the time;
/// years outside 0..=9999 still go through `to_rfc7231`.
pub(crate) fn format_date(date: OffsetDateTime) -> String {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let date = date.to_offset(UtcOffset::UTC);
    let Ok(year) = u16::try_from(date.year()) else {
        return to_rfc7231(&date);
    };
    if year > 9999 {
        return to_rfc7231(&date);
    }
    fn digits(out: &mut String, value: u16, width: u32) {
        for i in (0..width).rev() {
            out.push(char::from(b'0' + (value / 10u16.pow(i) % 10) as u8));
        }
    }
    let mut out = String::with_capacity(29);
    out.push_str(DAYS[usize::from(date.weekday().number_days_from_monday())]);
    out.push_str(", ");
    digits(&mut out, date.day().into(), 2);
    out.push(' ');
    out.push_str(MONTHS[usize::from(u8::from(date.month())) - 1]);
    out.push(' ');
    digits(&mut out, year, 4);
    out.push(' ');
    digits(&mut out, date.hour().into(), 2);
    out.push(':');
    digits(&mut out, date.minute().into(), 2);
    out.push(':');
    digits(&mut out, date.second().into(), 2);
    out.push_str(" GMT");
    out
}

/// Builds the string to sign; the path and query, and the host and port (`:port`
/// follows the host when given), are given apart so that no intermediate
/// `path?query` or `host:port` string is needed.
pub(crate) fn string_to_sign(
    method: &str,
    path: &str,
    query: Option<&str>,
    date: &str,
    host: &str,
    port: Option<u16>,
    content_sha256: &str,
) -> String {
    let query_len = query.map_or(0, |q| q.len() + 1);
    let port_len = if port.is_some() { 6 } else { 0 };
    let mut s = String::with_capacity(
        method.len()
            + path.len()
            + query_len
            + date.len()
            + host.len()
            + port_len
            + content_sha256.len()
            + 4,
    );
    s.push_str(method);
    s.push('\n');
    s.push_str(path);
    if let Some(query) = query {
        s.push('?');
        s.push_str(query);
    }
    s.push('\n');
    s.push_str(date);
    s.push(';');
    s.push_str(host);
    if let Some(port) = port {
        s.push(':');
        push_decimal(&mut s, port);
    }
    s.push(';');
    s.push_str(content_sha256);
    s
}

/// Appends `value` in decimal, as `Display` would, without the formatting machinery.
fn push_decimal(out: &mut String, value: u16) {
    let mut digits = [0u8; 5];
    let mut n = value;
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[start..] {
        out.push(char::from(d));
    }
}

/// base64(HMAC-SHA256(key, string_to_sign)).
pub(crate) fn signature(key: &SigningKey, string_to_sign: &str) -> String {
    base64::encode(hmac::sign(&key.key, string_to_sign.as_bytes()))
}

/// The `Authorization` header value for a signature.
pub(crate) fn authorization(signature: &str) -> String {
    const PREFIX: &str = "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=";
    debug_assert!(PREFIX.contains(SIGNED_HEADERS));
    let mut value = String::with_capacity(PREFIX.len() + signature.len());
    value.push_str(PREFIX);
    value.push_str(signature);
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AzureKeyCredential;

    fn sign_with(key: &str, sts: &str) -> String {
        AzureKeyCredential::new(key)
            .with_key(|k| signature(k, sts))
            .unwrap()
    }

    #[test]
    fn primitive_vectors() {
        // The raw_hmac and content_sha256 vectors of common/tests/data/vectors.json.
        assert_eq!(
            sign_with("pw==", "banana"),
            "88EC05aAS9iXnaimtNO78JLjiPtfWryQB/5QYEzEsu8="
        );
        assert_eq!(
            sign_with("pw==", "😀"),
            "1rudJKjn2Zi+3hRrBG29wIF6pD6YyAeQR1ZcFtXoKAU="
        );
        assert_eq!(content_sha256(b""), EMPTY_CONTENT_SHA256);
        assert_eq!(
            content_sha256(b"banana"),
            "tJPUg2Sv5E0RwBZc9HCkFk0eJgmRHvmYvoaNRq3j3k4="
        );
        assert_eq!(
            content_sha256("😀".as_bytes()),
            "8EQ6NCxe9UeDoRG1G6Vsk45HTDIyTZDDpgycjjo34tk="
        );
        // The empty-body constant is the real hash, not a guess.
        assert_eq!(
            base64::encode(digest::digest(&digest::SHA256, b"")),
            EMPTY_CONTENT_SHA256
        );
    }

    #[test]
    fn date_matches_azure_core_to_rfc7231() {
        // Every day from 1970 to 2100 at a varying time of day, plus the edges.
        let mut t = 0i64;
        while t < 4_102_444_800 {
            let date = OffsetDateTime::from_unix_timestamp(t).unwrap();
            assert_eq!(format_date(date), to_rfc7231(&date), "{t}");
            t += 86_400 + 3_599;
        }
        for date in [
            azure_core::time::parse_rfc3339("0000-01-01T00:00:00Z").unwrap(),
            azure_core::time::parse_rfc3339("9999-12-31T23:59:59Z").unwrap(),
            azure_core::time::parse_rfc3339("2024-02-29T23:59:59.999+00:00").unwrap(),
        ] {
            assert_eq!(format_date(date), to_rfc7231(&date));
        }
        let offset = azure_core::time::parse_rfc3339("2022-04-13T20:09:12+02:00").unwrap();
        assert_eq!(
            format_date(offset),
            to_rfc7231(&offset.to_offset(UtcOffset::UTC))
        );
    }

    #[test]
    fn string_to_sign_and_authorization() {
        assert_eq!(
            string_to_sign("POST", "/a", Some("b=c"), "D", "h", Some(1), "H"),
            "POST\n/a?b=c\nD;h:1;H"
        );
        assert_eq!(
            string_to_sign("GET", "/", None, "D", "h", None, "H"),
            "GET\n/\nD;h;H"
        );
        for port in [0, 9, 10, 443, 8080, 65535] {
            assert_eq!(
                string_to_sign("GET", "/", None, "D", "h", Some(port), "H"),
                format!("GET\n/\nD;h:{port};H")
            );
        }
        assert_eq!(
            authorization("S="),
            format!("HMAC-SHA256 SignedHeaders={SIGNED_HEADERS}&Signature=S=")
        );
    }

    #[test]
    fn date_is_imf_fixdate_in_utc() {
        let date = azure_core::time::parse_rfc3339("2022-04-13T20:09:12+02:00").unwrap();
        assert_eq!(format_date(date), "Wed, 13 Apr 2022 18:09:12 GMT");
        let date = azure_core::time::parse_rfc3339("2022-04-03T08:09:02Z").unwrap();
        assert_eq!(format_date(date), "Sun, 03 Apr 2022 08:09:02 GMT");
    }
}
