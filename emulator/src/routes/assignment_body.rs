//! The JSON body of one assignment, the same shape for Teams Extension
//! (`TeamsExtensionAssignmentResponse`) and Entra (`EntraAssignment`) assignments.

use crate::store::AssignmentRecord;
use serde::Serialize;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct AssignmentBody<'a> {
    pub(super) object_id: &'a str,
    pub(super) tenant_id: &'a str,
    pub(super) principal_type: &'a str,
    pub(super) client_ids: &'a [String],
}

impl<'a> From<&'a AssignmentRecord> for AssignmentBody<'a> {
    fn from(r: &'a AssignmentRecord) -> Self {
        AssignmentBody {
            object_id: &r.object_id,
            tenant_id: &r.tenant_id,
            principal_type: r.principal.as_str(),
            client_ids: &r.client_ids,
        }
    }
}
