//! The HMAC-SHA256 signing scheme of Azure Communication Services, as pure functions.
//!
//! `string_to_sign = VERB + "\n" + path_and_query + "\n" + date + ";" + host + ";" + content_sha256`,
//! signed with the base64-decoded access key; the signature goes into
//! `Authorization: HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=<base64>`.

use super::key_credential::SigningKey;
use azure_core::{
    base64,
    time::{to_rfc7231, OffsetDateTime},
};
use hmac::Mac;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
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
    base64::encode(Sha256::digest(body))
}

/// The request date in IMF-fixdate form (`Wed, 13 Apr 2022 18:09:12 GMT`).
pub(crate) fn format_date(date: OffsetDateTime) -> String {
    to_rfc7231(&date.to_offset(UtcOffset::UTC))
}

/// Builds the string to sign.
pub(crate) fn string_to_sign(
    method: &str,
    path_and_query: &str,
    date: &str,
    host: &str,
    content_sha256: &str,
) -> String {
    let mut s = String::with_capacity(
        method.len() + path_and_query.len() + date.len() + host.len() + content_sha256.len() + 4,
    );
    // Writing to a String cannot fail.
    let _ = write!(
        s,
        "{method}\n{path_and_query}\n{date};{host};{content_sha256}"
    );
    s
}

/// base64(HMAC-SHA256(key, string_to_sign)).
pub(crate) fn signature(key: &SigningKey, string_to_sign: &str) -> String {
    let mut mac = key.mac.clone();
    mac.update(string_to_sign.as_bytes());
    base64::encode(mac.finalize().into_bytes())
}

/// The `Authorization` header value for a signature.
pub(crate) fn authorization(signature: &str) -> String {
    format!("HMAC-SHA256 SignedHeaders={SIGNED_HEADERS}&Signature={signature}")
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
        // contract.md §8.4 / vectors.json raw_hmac and content_sha256.
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
        assert_eq!(base64::encode(Sha256::digest(b"")), EMPTY_CONTENT_SHA256);
    }

    #[test]
    fn date_is_imf_fixdate_in_utc() {
        let date = azure_core::time::parse_rfc3339("2022-04-13T20:09:12+02:00").unwrap();
        assert_eq!(format_date(date), "Wed, 13 Apr 2022 18:09:12 GMT");
        let date = azure_core::time::parse_rfc3339("2022-04-03T08:09:02Z").unwrap();
        assert_eq!(format_date(date), "Sun, 03 Apr 2022 08:09:02 GMT");
    }
}
