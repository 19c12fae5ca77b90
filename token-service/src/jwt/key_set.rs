//! A parsed JWKS: [`KeySet`], the issuer's verification keys by `kid`.

use jsonwebtoken::{jwk::Jwk, Algorithm, AlgorithmFamily, DecodingKey};
use std::{collections::HashMap, sync::Arc};

/// One usable verification key of a JWKS.
pub(crate) struct CachedKey {
    pub(crate) key: DecodingKey,
    /// The algorithm the JWK is restricted to (`alg`), if it names one.
    pub(crate) alg: Option<Algorithm>,
}

impl CachedKey {
    /// Whether this key may check a signature made with `alg`.
    pub(crate) fn fits(&self, alg: Algorithm) -> bool {
        self.key.family() == alg.family() && self.alg.is_none_or(|a| a == alg)
    }
}

/// The verification keys of one JWKS, by `kid`.
#[derive(Default)]
pub(crate) struct KeySet {
    by_kid: HashMap<String, Arc<CachedKey>>,
    /// Keys without a `kid`: used only by tokens without one.
    anonymous: Vec<Arc<CachedKey>>,
}

impl KeySet {
    /// Parses a JWKS document. Keys that are not for signatures, of unknown types, or
    /// symmetric (`kty: oct`) are skipped; a JWKS with no usable key is an error.
    pub(crate) fn parse(body: &[u8]) -> Result<Self, String> {
        let doc: serde_json::Value =
            serde_json::from_slice(body).map_err(|_| "the JWKS is not JSON".to_owned())?;
        let keys = doc
            .get("keys")
            .and_then(|k| k.as_array())
            .ok_or_else(|| "the JWKS has no `keys` array".to_owned())?;
        let mut set = KeySet::default();
        for raw in keys {
            if raw
                .get("use")
                .and_then(|u| u.as_str())
                .is_some_and(|u| u != "sig")
            {
                continue;
            }
            if raw.get("kty").and_then(|k| k.as_str()) == Some("oct") {
                continue;
            }
            let Ok(jwk) = serde_json::from_value::<Jwk>(raw.clone()) else {
                continue;
            };
            let alg = match jwk.common.key_algorithm {
                None => None,
                Some(ka) => match ka.to_string().parse::<Algorithm>() {
                    Ok(a) if a.family() != AlgorithmFamily::Hmac => Some(a),
                    // An encryption key or an HMAC one: not for checking signatures here.
                    _ => continue,
                },
            };
            let Ok(key) = DecodingKey::from_jwk(&jwk) else {
                continue;
            };
            if key.family() == AlgorithmFamily::Hmac {
                continue;
            }
            let cached = Arc::new(CachedKey { key, alg });
            match jwk.common.key_id {
                Some(kid) => {
                    set.by_kid.insert(kid, cached);
                }
                None => set.anonymous.push(cached),
            }
        }
        if set.is_empty() {
            return Err("the JWKS has no usable signing key".to_owned());
        }
        Ok(set)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.by_kid.is_empty() && self.anonymous.is_empty()
    }

    pub(crate) fn find(&self, kid: Option<&str>) -> Option<Arc<CachedKey>> {
        match kid {
            Some(kid) => self.by_kid.get(kid).cloned(),
            // A token without `kid`: only when the JWKS leaves no choice.
            None => match (self.anonymous.as_slice(), self.by_kid.len()) {
                ([only], 0) => Some(only.clone()),
                ([], 1) => self.by_kid.values().next().cloned(),
                _ => None,
            },
        }
    }
}
