//! The JSON body of one assignment, the same shape for Teams Extension
//! (`TeamsExtensionAssignmentResponse`) and Entra (`EntraAssignment`) assignments.

use serde::Serialize;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct AssignmentBody<'a> {
    pub(super) object_id: &'a str,
    pub(super) tenant_id: &'a str,
    pub(super) principal_type: &'a str,
    pub(super) client_ids: &'a [String],
}
