//! `customId` on create, in the api-versions whose row of [`ApiVersion::features`] has it: a
//! string of 1 to 256 characters that names one identity for as long as that identity lives.

use crate::api_version::ApiVersion;
use crate::errors::AcsError;
use serde_json::Value;

/// The longest `customId`, in characters (Unicode scalar values).
pub(crate) const MAX_CHARS: usize = 256;

/// The `customId` of a create request: `None` when absent or `null`, and in versions that do
/// not know the field (which ignore it as any unknown field, whatever its JSON type).
///
/// A length outside 1..=256 is the model-validation 400 (target `CustomId`, PascalCase as the
/// service names model-binding targets); a value that is not a JSON string is a body error,
/// like any other field of the wrong JSON type.
pub(crate) fn custom_id(
    value: Option<&Value>,
    version: ApiVersion,
) -> Result<Option<String>, AcsError> {
    if !version.features().custom_id {
        return Ok(None);
    }
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => {
            let n = s.chars().count();
            if (1..=MAX_CHARS).contains(&n) {
                Ok(Some(s.clone()))
            } else {
                Err(AcsError::validation(
                    format!(
                        "CustomId: The field CustomId must be a string with a minimum length of 1 and a maximum length of {MAX_CHARS}; it has {n} characters."
                    ),
                    "CustomId",
                ))
            }
        }
        Some(_) => Err(AcsError::bad_body(
            "customId must be a JSON string of 1 to 256 characters",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PREVIEW: ApiVersion = ApiVersion::V2025_03_02Preview;

    #[test]
    fn length_limits() {
        let ok = "é".repeat(MAX_CHARS);
        assert_eq!(custom_id(Some(&json!(ok)), PREVIEW).unwrap(), Some(ok));
        assert_eq!(
            custom_id(Some(&json!("a")), PREVIEW).unwrap().as_deref(),
            Some("a")
        );
        for bad in [String::new(), "a".repeat(MAX_CHARS + 1)] {
            let e = custom_id(Some(&json!(bad)), PREVIEW).unwrap_err();
            assert_eq!(e.code, "ValidationError");
            assert_eq!(e.target, Some("CustomId"));
        }
        assert!(custom_id(Some(&json!(5)), PREVIEW).is_err());
        assert_eq!(custom_id(Some(&Value::Null), PREVIEW).unwrap(), None);
        assert_eq!(custom_id(None, PREVIEW).unwrap(), None);
    }

    #[test]
    fn ignored_where_the_version_lacks_it() {
        for v in ApiVersion::ALL.into_iter().filter(|v| *v != PREVIEW) {
            assert_eq!(custom_id(Some(&json!("")), v).unwrap(), None);
            assert_eq!(custom_id(Some(&json!(5)), v).unwrap(), None);
            assert_eq!(custom_id(Some(&json!("x")), v).unwrap(), None);
        }
    }
}
