//! A look at a bearer token before its signature is checked: its shape and the header's
//! `alg`, `kid` and `crit`, so a refusal can say what was wrong.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use jsonwebtoken::{Algorithm, AlgorithmFamily};

/// The largest bearer token looked at (Entra's are 1-3 KiB).
const MAX_TOKEN: usize = 16 * 1024;

/// The parts of a token's header that decide how it is checked.
pub(crate) struct Peeked {
    pub(crate) alg: Algorithm,
    pub(crate) kid: Option<String>,
}

/// Reads the header of `token`, refusing `alg: none`, HMAC and algorithms not in `allowed`.
/// Messages name what is wrong, never the token's content.
pub(crate) fn peek(token: &str, allowed: &[Algorithm]) -> Result<Peeked, String> {
    if token.len() > MAX_TOKEN {
        return Err(format!("malformed token: longer than {MAX_TOKEN} bytes"));
    }
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Err(
            "malformed token: a JWT has three base64url parts separated by dots".to_owned(),
        );
    }
    let header = URL_SAFE_NO_PAD
        .decode(parts[0])
        .map_err(|_| "malformed token: the header is not base64url".to_owned())?;
    let header: serde_json::Value = serde_json::from_slice(&header)
        .map_err(|_| "malformed token: the header is not JSON".to_owned())?;
    let header = header
        .as_object()
        .ok_or_else(|| "malformed token: the header is not a JSON object".to_owned())?;
    if header.contains_key("crit") {
        return Err("the token's header has `crit` extensions, which are not supported".to_owned());
    }
    let alg = header
        .get("alg")
        .and_then(|a| a.as_str())
        .ok_or_else(|| "malformed token: the header has no `alg`".to_owned())?;
    if alg.eq_ignore_ascii_case("none") {
        return Err("the token is unsigned (`alg: none`), which is refused".to_owned());
    }
    let alg_name = alg;
    let alg: Algorithm = alg
        .parse()
        .map_err(|_| "the token's signature algorithm is not one this service knows".to_owned())?;
    if alg.family() == AlgorithmFamily::Hmac {
        return Err(format!(
            "the token is signed with the HMAC algorithm {alg_name}, which is refused (expected a public-key signature)"
        ));
    }
    if !allowed.contains(&alg) {
        return Err(format!(
            "the token's signature algorithm {alg_name} is not allowed here"
        ));
    }
    let kid = match header.get("kid") {
        None => None,
        Some(k) => Some(
            k.as_str()
                .ok_or_else(|| "malformed token: the header's `kid` is not a string".to_owned())?
                .to_owned(),
        ),
    };
    // The payload must at least be base64url JSON; the full check comes with the signature.
    let payload = URL_SAFE_NO_PAD
        .decode(parts[1])
        .map_err(|_| "malformed token: the payload is not base64url".to_owned())?;
    if !serde_json::from_slice::<serde_json::Value>(&payload).is_ok_and(|v| v.is_object()) {
        return Err("malformed token: the payload is not a JSON object".to_owned());
    }
    Ok(Peeked { alg, kid })
}
