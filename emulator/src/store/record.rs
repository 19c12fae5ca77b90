//! The one shape of an assignment record, for both kinds: Teams Extension assignments (keyed
//! by tenant and object id) and Entra assignments (keyed by object id). The principal types
//! of both kinds are one enum; each kind admits its own subset ([`PrincipalType::TEAMS_EXTENSION`],
//! [`PrincipalType::ENTRA`]).

/// Who an assignment is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PrincipalType {
    /// One user: the objectId is the user's object id (`oid`). Both kinds.
    User,
    /// A Teams resource account (Teams Extension only).
    ResourceAccount,
    /// The members of a group: the objectId is the group's object id (Entra only).
    Group,
    /// Every user of a tenant: the objectId is the tenant id (Entra only).
    Tenant,
}

impl PrincipalType {
    /// The principal types of a Teams Extension assignment.
    pub(crate) const TEAMS_EXTENSION: &'static [PrincipalType] =
        &[PrincipalType::User, PrincipalType::ResourceAccount];

    /// The principal types of an Entra assignment.
    pub(crate) const ENTRA: &'static [PrincipalType] = &[
        PrincipalType::User,
        PrincipalType::Group,
        PrincipalType::Tenant,
    ];

    /// The wire spelling.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            PrincipalType::User => "user",
            PrincipalType::ResourceAccount => "resourceAccount",
            PrincipalType::Group => "group",
            PrincipalType::Tenant => "tenant",
        }
    }

    /// One of `allowed`, spelled in any case.
    pub(crate) fn parse(s: &str, allowed: &[PrincipalType]) -> Option<PrincipalType> {
        allowed
            .iter()
            .copied()
            .find(|p| p.as_str().eq_ignore_ascii_case(s))
    }
}

/// One assignment as the store keeps it. GUIDs are lower-case; `client_ids` has no duplicates
/// for Entra assignments (the routes drop them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AssignmentRecord {
    pub(crate) tenant_id: String,
    pub(crate) object_id: String,
    pub(crate) principal: PrincipalType,
    pub(crate) client_ids: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_parses_its_own_principal_types() {
        let tx = PrincipalType::TEAMS_EXTENSION;
        let entra = PrincipalType::ENTRA;
        assert_eq!(
            PrincipalType::parse("ResourceAccount", tx),
            Some(PrincipalType::ResourceAccount)
        );
        assert_eq!(PrincipalType::parse("group", tx), None);
        assert_eq!(PrincipalType::parse("resourceAccount", entra), None);
        assert_eq!(
            PrincipalType::parse("TENANT", entra),
            Some(PrincipalType::Tenant)
        );
        for p in [
            PrincipalType::User,
            PrincipalType::Group,
            PrincipalType::Tenant,
        ] {
            assert_eq!(PrincipalType::parse(p.as_str(), entra), Some(p));
        }
    }
}
