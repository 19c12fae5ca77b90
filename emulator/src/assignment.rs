//! The public view of a stored assignment, the same for both kinds (see
//! [`Emulator::teams_extension_assignment`](crate::Emulator::teams_extension_assignment) and
//! [`Emulator::entra_assignment`](crate::Emulator::entra_assignment)).

use crate::store::AssignmentRecord;

/// A Teams Extension or Entra assignment as the emulator keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// The Entra ID tenant (lower-case GUID).
    pub tenant_id: String,
    /// The object id (lower-case GUID): of the user or resource account (Teams Extension), of
    /// the user, group or tenant (Entra; a `tenant` assignment's object id is its tenant id).
    pub object_id: String,
    /// `user` or `resourceAccount` (Teams Extension); `user`, `group` or `tenant` (Entra).
    pub principal_type: String,
    /// The allowed client (application) ids, lower-case GUIDs. Teams Extension: empty when
    /// none were given (then any client is allowed). Entra: the clients through which the
    /// principal may exchange tokens (empty: none).
    pub client_ids: Vec<String>,
}

/// A Teams Extension assignment (the same fields as an Entra one: [`Assignment`]).
pub type TeamsExtensionAssignment = Assignment;

/// An Entra assignment (the same fields as a Teams Extension one: [`Assignment`]).
pub type EntraAssignment = Assignment;

impl From<AssignmentRecord> for Assignment {
    fn from(r: AssignmentRecord) -> Self {
        Assignment {
            tenant_id: r.tenant_id,
            object_id: r.object_id,
            principal_type: r.principal.as_str().to_owned(),
            client_ids: r.client_ids,
        }
    }
}
