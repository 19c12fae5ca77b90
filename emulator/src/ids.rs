//! Ids: identity ids (`8:acs:<resource id>_<36-character id>`) and the GUIDs of assignments
//! and exchanged identities.

use crate::errors::{truncate, AcsError};
use std::borrow::Cow;

/// A GUID in its 36-character `8-4-4-4-12` form, lower-cased; `None` otherwise.
pub(crate) fn guid(s: &str) -> Option<String> {
    if s.len() != 36 {
        return None;
    }
    uuid::Uuid::try_parse(s)
        .ok()
        .map(|u| u.hyphenated().to_string())
}

/// A GUID of a request (`tenantId`, `objectId`, ...), or the 400 naming it.
pub(crate) fn path_guid(value: &str, name: &'static str) -> Result<String, AcsError> {
    guid(value).ok_or_else(|| {
        AcsError::validation(
            format!(
                "The {name} '{}' is not valid: expected a GUID such as 00000000-0000-0000-0000-000000000000.",
                truncate(value, 64)
            ),
            name,
        )
    })
}

/// The id segment of a path, percent-decoded (SDKs send `8%3Aacs%3A...`, aiohttp `8:acs:...`).
pub(crate) fn decode_segment(segment: &str) -> Option<Cow<'_, str>> {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8()
        .ok()
}

/// If `id` belongs to this resource (`owned_prefix` = `8:acs:<resource id>_`, lower-case) and
/// is well formed, the store key for it (lower-case). `None` for foreign or malformed ids.
pub(crate) fn owned_key(id: &str, owned_prefix: &str) -> Option<String> {
    let head = id.get(..owned_prefix.len())?;
    if !head.eq_ignore_ascii_case(owned_prefix) {
        return None;
    }
    let suffix = &id[owned_prefix.len()..];
    if suffix.is_empty()
        || suffix.len() > 64
        || !suffix
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return None;
    }
    Some(id.to_ascii_lowercase())
}

/// True for the identities the Teams Extension and Entra exchanges issue tokens for, which are
/// not in the identity store: `<owned_prefix><tenantId>_<objectId>` and
/// `<owned_prefix>wf_<tenantId>_<objectId>` (lower-case GUIDs). Store ids never hold a `_`
/// after the prefix, so the two cannot be confused.
pub(crate) fn is_exchanged(raw_id: &str, owned_prefix: &str) -> bool {
    let Some(suffix) = raw_id.strip_prefix(owned_prefix) else {
        return false;
    };
    let suffix = suffix.strip_prefix("wf_").unwrap_or(suffix);
    let is_guid = |s: &str| guid(s).is_some_and(|g| g == s);
    suffix
        .split_once('_')
        .is_some_and(|(tenant, object)| is_guid(tenant) && is_guid(object))
}

/// A new identity id for this resource, shaped like the service's.
pub(crate) fn new_id(owned_prefix: &str) -> String {
    let uuid = uuid::Uuid::new_v4();
    let mut buf = uuid::Uuid::encode_buffer();
    let hyphenated = uuid.hyphenated().encode_lower(&mut buf);
    let mut id = String::with_capacity(owned_prefix.len() + 36);
    id.push_str(owned_prefix);
    id.push_str("00000027");
    id.push_str(&hyphenated[8..]);
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: &str = "8:acs:2dee53b4-368b-45b4-ab52-8493fb117652_";

    #[test]
    fn ownership() {
        let id = new_id(P);
        assert_eq!(id.len(), P.len() + 36);
        assert_eq!(owned_key(&id, P).as_deref(), Some(id.as_str()));
        assert_eq!(
            owned_key(&id.to_ascii_uppercase().replace("8:ACS:", "8:acs:"), P).as_deref(),
            Some(id.as_str())
        );
        assert!(owned_key("8:acs:00000000-0000-0000-0000-000000000000_x", P).is_none());
        assert!(owned_key(P, P).is_none());
        assert!(owned_key("8:acs", P).is_none());
        assert!(owned_key(&format!("{P}a/b"), P).is_none());
        assert!(owned_key("", P).is_none());
        assert!(owned_key("8:acs:2dee53b4-368b-45b4-ab52-8493fb117652é", P).is_none());
    }

    #[test]
    fn exchanged_identities() {
        let (t, o) = (
            "45ab2481-1c1c-4005-be24-0ffb879b1130",
            "207ffef6-9444-41fb-92ab-20eacaae2768",
        );
        assert!(is_exchanged(&format!("{P}{t}_{o}"), P));
        assert!(is_exchanged(&format!("{P}wf_{t}_{o}"), P));
        assert!(!is_exchanged(&format!("{P}ext_{t}_{o}"), P));
        assert!(!is_exchanged(&format!("{P}{t}"), P));
        assert!(!is_exchanged(&new_id(P), P));
        assert!(!is_exchanged(&format!("8:acs:other_{t}_{o}"), P));
    }

    #[test]
    fn guids() {
        let g = "0AB1C2D3-0000-4000-8000-00000000000F";
        assert_eq!(
            guid(g).as_deref(),
            Some("0ab1c2d3-0000-4000-8000-00000000000f")
        );
        for bad in [
            "",
            "x",
            "0ab1c2d30000400080000000000000000f",
            "{0ab1c2d3-0000-4000-8000-00000000000f}",
            "0ab1c2d3-0000-4000-8000-00000000000g",
        ] {
            assert_eq!(guid(bad), None, "{bad}");
        }
        assert_eq!(
            path_guid("nope", "tenantId").unwrap_err().target,
            Some("tenantId")
        );
    }

    #[test]
    fn decodes_both_forms() {
        assert_eq!(decode_segment("8%3Aacs%3Ax").unwrap(), "8:acs:x");
        assert_eq!(decode_segment("8:acs:x").unwrap(), "8:acs:x");
        assert!(decode_segment("%FF").is_none());
    }
}
