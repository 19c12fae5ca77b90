//! Entra assignments (`/access/entra/assignments`, api-version `2025-03-02-preview`): which Entra
//! ID users, groups or whole tenants may exchange their Entra ID tokens for ACS tokens
//! (`POST /access/entra/:exchangeAccessToken`), and through which client applications.
//!
//! A PUT body (and each value of a bulk PATCH) is
//! `{"tenantId": "<guid>", "principalType": "user" | "group" | "tenant", "clientIds": ["<guid>", ...]}`,
//! all required. Targets follow the service's casing: a missing field (model binding) is named in
//! PascalCase (`TenantId`, `PrincipalType`, `ClientIds`), semantic checks in camelCase
//! (`tenantId`, `objectId`, `clientIds`).

use crate::assignment::guid;
use crate::errors::{truncate, AcsError};
use serde::Deserialize;

/// Who an Entra assignment is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EntraPrincipal {
    /// One user: the assignment's objectId is the user's object id (`oid`).
    User,
    /// The members of a group: the objectId is the group's object id.
    Group,
    /// Every user of a tenant: the objectId is the tenant id.
    Tenant,
}

impl EntraPrincipal {
    const ALL: [EntraPrincipal; 3] = [
        EntraPrincipal::User,
        EntraPrincipal::Group,
        EntraPrincipal::Tenant,
    ];

    /// The wire spelling.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            EntraPrincipal::User => "user",
            EntraPrincipal::Group => "group",
            EntraPrincipal::Tenant => "tenant",
        }
    }

    /// Case-insensitive.
    pub(crate) fn parse(s: &str) -> Option<EntraPrincipal> {
        EntraPrincipal::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(s))
    }
}

/// One Entra assignment as the store keeps it. GUIDs are lower-case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EntraRecord {
    pub(crate) object_id: String,
    pub(crate) tenant_id: String,
    pub(crate) principal: EntraPrincipal,
    pub(crate) client_ids: Vec<String>,
}

/// An Entra assignment as the emulator keeps it (see
/// [`Emulator::entra_assignment`](crate::Emulator::entra_assignment)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntraAssignment {
    /// The user's, group's or tenant's object id (lower-case GUID).
    pub object_id: String,
    /// The Entra ID tenant (lower-case GUID).
    pub tenant_id: String,
    /// `user`, `group` or `tenant`.
    pub principal_type: String,
    /// The client (application) ids through which the principal may exchange tokens,
    /// lower-case GUIDs.
    pub client_ids: Vec<String>,
}

impl From<EntraRecord> for EntraAssignment {
    fn from(r: EntraRecord) -> Self {
        EntraAssignment {
            object_id: r.object_id,
            tenant_id: r.tenant_id,
            principal_type: r.principal.as_str().to_owned(),
            client_ids: r.client_ids,
        }
    }
}

/// `EntraAssignmentCreateOrUpdateRequest`
#[derive(Debug, Default, Deserialize)]
pub(crate) struct EntraAssignmentRequest {
    #[serde(default, rename = "tenantId", alias = "TenantId")]
    pub(crate) tenant_id: Option<String>,
    #[serde(default, rename = "principalType", alias = "PrincipalType")]
    pub(crate) principal_type: Option<String>,
    #[serde(default, rename = "clientIds", alias = "ClientIds")]
    pub(crate) client_ids: Option<Vec<String>>,
}

const PRINCIPALS: &str = "expected 'user', 'group' or 'tenant'";

/// The assignment a PUT (or one entry of a PATCH) asks for, or its 400. `object_id` is the
/// checked, lower-cased GUID of the path (or of the PATCH key).
pub(crate) fn entra_record(
    object_id: String,
    req: EntraAssignmentRequest,
) -> Result<EntraRecord, AcsError> {
    let Some(tenant_id) = req.tenant_id else {
        return Err(AcsError::validation(
            "TenantId: The TenantId field is required.",
            "TenantId",
        ));
    };
    let Some(given) = req.principal_type else {
        return Err(AcsError::validation(
            format!("PrincipalType: The PrincipalType field is required; {PRINCIPALS}."),
            "PrincipalType",
        ));
    };
    let Some(principal) = EntraPrincipal::parse(&given) else {
        return Err(AcsError::validation(
            format!(
                "PrincipalType: The value '{}' is not valid; {PRINCIPALS}.",
                truncate(&given, 64)
            ),
            "PrincipalType",
        ));
    };
    let Some(client_ids) = req.client_ids else {
        return Err(AcsError::validation(
            "ClientIds: The ClientIds field is required.",
            "ClientIds",
        ));
    };
    let tenant_id = crate::assignment::path_guid(&tenant_id, "tenantId")?;
    let client_ids = client_ids
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
    if principal == EntraPrincipal::Tenant && object_id != tenant_id {
        return Err(AcsError::validation(
            format!(
                "The objectId '{object_id}' is not valid for principalType 'tenant': it must be the tenantId '{tenant_id}'."
            ),
            "objectId",
        ));
    }
    let mut deduped: Vec<String> = Vec::with_capacity(client_ids.len());
    for c in client_ids {
        if !deduped.contains(&c) {
            deduped.push(c);
        }
    }
    Ok(EntraRecord {
        object_id,
        tenant_id,
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

    fn req(t: Option<&str>, p: Option<&str>, c: Option<&[&str]>) -> EntraAssignmentRequest {
        EntraAssignmentRequest {
            tenant_id: t.map(str::to_owned),
            principal_type: p.map(str::to_owned),
            client_ids: c.map(|c| c.iter().map(|s| s.to_string()).collect()),
        }
    }

    fn target(object: &str, r: EntraAssignmentRequest) -> Option<&'static str> {
        entra_record(object.to_owned(), r).unwrap_err().target
    }

    #[test]
    fn bodies() {
        let upper = C.to_uppercase();
        let r = entra_record(O.into(), req(Some(T), Some("Group"), Some(&[&upper, C]))).unwrap();
        assert_eq!(r.principal, EntraPrincipal::Group);
        assert_eq!(r.client_ids, [C], "lower-cased, duplicates dropped");
        assert!(entra_record(T.into(), req(Some(T), Some("tenant"), Some(&[]))).is_ok());
        assert_eq!(
            target(O, req(None, Some("user"), Some(&[]))),
            Some("TenantId")
        );
        assert_eq!(
            target(O, req(Some(T), None, Some(&[]))),
            Some("PrincipalType")
        );
        assert_eq!(
            target(O, req(Some(T), Some("resourceAccount"), Some(&[]))),
            Some("PrincipalType")
        );
        assert_eq!(
            target(O, req(Some(T), Some("user"), None)),
            Some("ClientIds")
        );
        assert_eq!(
            target(O, req(Some("x"), Some("user"), Some(&[]))),
            Some("tenantId")
        );
        assert_eq!(
            target(O, req(Some(T), Some("user"), Some(&["app"]))),
            Some("clientIds")
        );
        assert_eq!(
            target(O, req(Some(T), Some("tenant"), Some(&[]))),
            Some("objectId")
        );
    }
}
