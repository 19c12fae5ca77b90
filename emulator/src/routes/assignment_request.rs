//! The request bodies of both kinds of assignment, checked into an [`AssignmentRecord`]:
//!
//! * Teams Extension (`PUT .../tenants/{tenantId}/assignments/{objectId}`):
//!   `{"principalType": "user" | "resourceAccount", "clientIds"?: ["<guid>", ...]}`;
//! * Entra (`PUT /access/entra/assignments/{objectId}`, each value of the bulk PATCH):
//!   `{"tenantId": "<guid>", "principalType": "user" | "group" | "tenant", "clientIds": ["<guid>", ...]}`,
//!   all required.
//!
//! Targets follow the service's casing: a missing field (model binding) is named in PascalCase
//! (`TenantId`, `PrincipalType`, `ClientIds`), semantic checks in camelCase (`tenantId`,
//! `objectId`, `clientIds`).

use crate::errors::{truncate, AcsError};
use crate::ids::{guid, path_guid};
use crate::store::{AssignmentRecord, PrincipalType};
use serde::Deserialize;

/// `TeamsExtensionAssignmentCreateOrUpdateRequest`
#[derive(Debug, Default, Deserialize)]
pub(super) struct TeamsExtensionRequest {
    #[serde(default, rename = "principalType", alias = "PrincipalType")]
    principal_type: Option<String>,
    #[serde(default, rename = "clientIds", alias = "ClientIds")]
    client_ids: Option<Vec<String>>,
}

/// `EntraAssignmentCreateOrUpdateRequest`
#[derive(Debug, Default, Deserialize)]
pub(super) struct EntraRequest {
    #[serde(default, rename = "tenantId", alias = "TenantId")]
    tenant_id: Option<String>,
    #[serde(default, rename = "principalType", alias = "PrincipalType")]
    principal_type: Option<String>,
    #[serde(default, rename = "clientIds", alias = "ClientIds")]
    client_ids: Option<Vec<String>>,
}

/// The principal type of a body, one of `allowed` (`expected` says which, for the message).
fn principal(
    given: Option<String>,
    allowed: &[PrincipalType],
    expected: &str,
) -> Result<PrincipalType, AcsError> {
    let Some(given) = given else {
        return Err(AcsError::validation(
            format!("PrincipalType: The PrincipalType field is required; {expected}."),
            "PrincipalType",
        ));
    };
    PrincipalType::parse(&given, allowed).ok_or_else(|| {
        AcsError::validation(
            format!(
                "PrincipalType: The value '{}' is not valid; {expected}.",
                truncate(&given, 64)
            ),
            "PrincipalType",
        )
    })
}

/// Every `clientIds` entry as a lower-case GUID, or the 400 naming the first that is not.
fn client_ids(given: &[String]) -> Result<Vec<String>, AcsError> {
    given
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
        .collect()
}

/// The Teams Extension assignment a PUT asks for, or its 400. `tenant_id` and `object_id` are
/// the checked, lower-cased GUIDs of the path.
pub(super) fn teams_extension(
    tenant_id: String,
    object_id: String,
    req: TeamsExtensionRequest,
) -> Result<AssignmentRecord, AcsError> {
    let principal = principal(
        req.principal_type,
        PrincipalType::TEAMS_EXTENSION,
        "expected 'user' or 'resourceAccount'",
    )?;
    let client_ids = client_ids(&req.client_ids.unwrap_or_default())?;
    Ok(AssignmentRecord {
        tenant_id,
        object_id,
        principal,
        client_ids,
    })
}

/// The Entra assignment a PUT (or one entry of a PATCH) asks for, or its 400. `object_id` is
/// the checked, lower-cased GUID of the path (or of the PATCH key).
pub(super) fn entra(object_id: String, req: EntraRequest) -> Result<AssignmentRecord, AcsError> {
    let Some(tenant_id) = req.tenant_id else {
        return Err(AcsError::validation(
            "TenantId: The TenantId field is required.",
            "TenantId",
        ));
    };
    let principal = principal(
        req.principal_type,
        PrincipalType::ENTRA,
        "expected 'user', 'group' or 'tenant'",
    )?;
    let Some(given_clients) = req.client_ids else {
        return Err(AcsError::validation(
            "ClientIds: The ClientIds field is required.",
            "ClientIds",
        ));
    };
    let tenant_id = path_guid(&tenant_id, "tenantId")?;
    let given_clients = client_ids(&given_clients)?;
    if principal == PrincipalType::Tenant && object_id != tenant_id {
        return Err(AcsError::validation(
            format!(
                "The objectId '{object_id}' is not valid for principalType 'tenant': it must be the tenantId '{tenant_id}'."
            ),
            "objectId",
        ));
    }
    let mut deduped: Vec<String> = Vec::with_capacity(given_clients.len());
    for c in given_clients {
        if !deduped.contains(&c) {
            deduped.push(c);
        }
    }
    Ok(AssignmentRecord {
        tenant_id,
        object_id,
        principal,
        client_ids: deduped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "45ab2481-1c1c-4005-be24-0ffb879b1130";
    const O: &str = "207ffef6-9444-41fb-92ab-20eacaae2768";
    const C: &str = "1fd5118e-2576-4263-8130-9503064c837a";

    fn owned(list: Option<&[&str]>) -> Option<Vec<String>> {
        list.map(|c| c.iter().map(|s| s.to_string()).collect())
    }

    fn tx(principal: Option<&str>, clients: Option<&[&str]>) -> TeamsExtensionRequest {
        TeamsExtensionRequest {
            principal_type: principal.map(str::to_owned),
            client_ids: owned(clients),
        }
    }

    fn entra_req(t: Option<&str>, p: Option<&str>, c: Option<&[&str]>) -> EntraRequest {
        EntraRequest {
            tenant_id: t.map(str::to_owned),
            principal_type: p.map(str::to_owned),
            client_ids: owned(c),
        }
    }

    fn target(object: &str, r: EntraRequest) -> Option<&'static str> {
        entra(object.to_owned(), r).unwrap_err().target
    }

    #[test]
    fn teams_extension_bodies() {
        let (t, o) = (String::from("t"), String::from("o"));
        let a = teams_extension(t.clone(), o.clone(), tx(Some("ResourceAccount"), None)).unwrap();
        assert_eq!(a.principal, PrincipalType::ResourceAccount);
        assert!(a.client_ids.is_empty());
        let e = teams_extension(t.clone(), o.clone(), tx(None, None)).unwrap_err();
        assert_eq!(e.target, Some("PrincipalType"));
        let e = teams_extension(t.clone(), o.clone(), tx(Some("group"), None)).unwrap_err();
        assert_eq!(e.target, Some("PrincipalType"));
        let e = teams_extension(t, o, tx(Some("user"), Some(&["x"]))).unwrap_err();
        assert_eq!(e.target, Some("clientIds"));
    }

    #[test]
    fn entra_bodies() {
        let upper = C.to_uppercase();
        let r = entra(
            O.into(),
            entra_req(Some(T), Some("Group"), Some(&[&upper, C])),
        )
        .unwrap();
        assert_eq!(r.principal, PrincipalType::Group);
        assert_eq!(r.client_ids, [C], "lower-cased, duplicates dropped");
        assert!(entra(T.into(), entra_req(Some(T), Some("tenant"), Some(&[]))).is_ok());
        assert_eq!(
            target(O, entra_req(None, Some("user"), Some(&[]))),
            Some("TenantId")
        );
        assert_eq!(
            target(O, entra_req(Some(T), None, Some(&[]))),
            Some("PrincipalType")
        );
        assert_eq!(
            target(O, entra_req(Some(T), Some("resourceAccount"), Some(&[]))),
            Some("PrincipalType")
        );
        assert_eq!(
            target(O, entra_req(Some(T), Some("user"), None)),
            Some("ClientIds")
        );
        assert_eq!(
            target(O, entra_req(Some("x"), Some("user"), Some(&[]))),
            Some("tenantId")
        );
        assert_eq!(
            target(O, entra_req(Some(T), Some("user"), Some(&["app"]))),
            Some("clientIds")
        );
        assert_eq!(
            target(O, entra_req(Some(T), Some("tenant"), Some(&[]))),
            Some("objectId")
        );
    }
}
