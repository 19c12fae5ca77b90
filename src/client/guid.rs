//! The client-side GUID check for Entra tenant, object and client ids.

use crate::InvalidArgument;

/// Whether `s` is a GUID in its 8-4-4-4-12 hex form (either case), e.g.
/// `2dee53b4-368b-45b4-ab52-8493fb117652`.
fn is_guid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Refuses a `field` value that is not a GUID, saying what is expected (the
/// value is quoted: these ids are not secrets).
pub(crate) fn check(field: &'static str, value: &str) -> Result<(), InvalidArgument> {
    if is_guid(value) {
        return Ok(());
    }
    Err(InvalidArgument::new(
        field,
        format!(
            "{field} {value:?} is not a GUID; expected the Entra id in the form \
             xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, e.g. 2dee53b4-368b-45b4-ab52-8493fb117652"
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_and_not_guids() {
        assert!(is_guid("2dee53b4-368b-45b4-ab52-8493fb117652"));
        assert!(is_guid("2DEE53B4-368B-45B4-AB52-8493FB117652"));
        for bad in [
            "",
            "2dee53b4368b45b4ab528493fb117652",
            "{2dee53b4-368b-45b4-ab52-8493fb117652}",
            "2dee53b4-368b-45b4-ab52-8493fb11765g",
            "2dee53b4-368b-45b4-ab52_8493fb117652",
            "2dee53b4-368b-45b4-ab52-8493fb117652 ",
            "é".repeat(18).as_str(),
        ] {
            assert!(!is_guid(bad), "{bad}");
            let err = check("tenant_id", bad).unwrap_err();
            assert_eq!(err.argument(), "tenant_id");
            assert!(err.message().contains("expected the Entra id"), "{err}");
        }
    }
}
