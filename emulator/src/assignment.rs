//! Teams Extension assignment requests: the GUIDs of the path and the PUT body
//! `{"principalType": "user" | "resourceAccount", "clientIds"?: ["<guid>", ...]}`, checked
//! into a [`crate::store::Assignment`].
//!
//! Targets follow the service's casing: model-binding errors name the field in PascalCase
//! (`PrincipalType`), semantic checks in camelCase (`tenantId`, `objectId`, `clientIds`).

use crate::errors::{truncate, AcsError};
use crate::store::Assignment;
use serde::Deserialize;

/// The principal types, spelled as on the wire.
const PRINCIPAL_TYPES: [&str; 2] = ["user", "resourceAccount"];

/// A Teams Extension assignment as the emulator keeps it (see
/// [`Emulator::teams_extension_assignment`](crate::Emulator::teams_extension_assignment)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamsExtensionAssignment {
    /// The Entra ID tenant (lower-case GUID).
    pub tenant_id: String,
    /// The user or resource account's object id (lower-case GUID).
    pub object_id: String,
    /// `user` or `resourceAccount`.
    pub principal_type: String,
    /// The allowed client (application) ids, lower-case GUIDs; empty when none were given.
    pub client_ids: Vec<String>,
}

impl From<Assignment> for TeamsExtensionAssignment {
    fn from(a: Assignment) -> Self {
        TeamsExtensionAssignment {
            tenant_id: a.tenant_id,
            object_id: a.object_id,
            principal_type: a.principal_type.to_owned(),
            client_ids: a.client_ids,
        }
    }
}

/// `TeamsExtensionAssignmentCreateOrUpdateRequest`
#[derive(Debug, Default, Deserialize)]
pub(crate) struct AssignmentRequest {
    #[serde(default, rename = "principalType", alias = "PrincipalType")]
    pub(crate) principal_type: Option<String>,
    #[serde(default, rename = "clientIds", alias = "ClientIds")]
    pub(crate) client_ids: Option<Vec<String>>,
}

/// A GUID in its 36-character `8-4-4-4-12` form, lower-cased; `None` otherwise.
pub(crate) fn guid(s: &str) -> Option<String> {
    if s.len() != 36 {
        return None;
    }
    uuid::Uuid::try_parse(s)
        .ok()
        .map(|u| u.hyphenated().to_string())
}

/// A path GUID (`tenantId` or `objectId`), or the 400 naming it.
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

/// The assignment a PUT asks for, or its 400.
pub(crate) fn assignment(
    tenant_id: String,
    object_id: String,
    req: AssignmentRequest,
) -> Result<Assignment, AcsError> {
    let Some(given) = req.principal_type else {
        return Err(AcsError::validation(
            "PrincipalType: The PrincipalType field is required; expected 'user' or 'resourceAccount'.",
            "PrincipalType",
        ));
    };
    let Some(principal_type) = PRINCIPAL_TYPES
        .into_iter()
        .find(|p| p.eq_ignore_ascii_case(&given))
    else {
        return Err(AcsError::validation(
            format!(
                "PrincipalType: The value '{}' is not valid; expected 'user' or 'resourceAccount'.",
                truncate(&given, 64)
            ),
            "PrincipalType",
        ));
    };
    let client_ids = req
        .client_ids
        .unwrap_or_default()
        .iter()
        .map(|c| {
            guid(c).ok_or_else(|| {
                AcsError::validation(
                    format!(
                        "The client id '{}' is not valid: expected every clientIds entry to be a GUID such as 00000000-0000-0000-0000-000000000000.",
                        truncate(c, 64)
                    ),
                    "clientIds",
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Assignment {
        tenant_id,
        object_id,
        principal_type,
        client_ids,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(principal: Option<&str>, clients: Option<&[&str]>) -> AssignmentRequest {
        AssignmentRequest {
            principal_type: principal.map(str::to_owned),
            client_ids: clients.map(|c| c.iter().map(|s| s.to_string()).collect()),
        }
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
    fn bodies() {
        let (t, o) = (String::from("t"), String::from("o"));
        let a = assignment(t.clone(), o.clone(), req(Some("ResourceAccount"), None)).unwrap();
        assert_eq!(a.principal_type, "resourceAccount");
        assert!(a.client_ids.is_empty());
        let e = assignment(t.clone(), o.clone(), req(None, None)).unwrap_err();
        assert_eq!(e.target, Some("PrincipalType"));
        let e = assignment(t.clone(), o.clone(), req(Some("group"), None)).unwrap_err();
        assert_eq!(e.target, Some("PrincipalType"));
        let e = assignment(t, o, req(Some("user"), Some(&["x"]))).unwrap_err();
        assert_eq!(e.target, Some("clientIds"));
    }
}
