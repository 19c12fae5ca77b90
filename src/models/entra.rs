/// An Entra assignment: which Entra user, group or whole tenant may exchange its
/// Entra ID tokens for ACS tokens on this resource, and through which Entra
/// applications (client ids). api-version `2025-03-02-preview`.
///
/// Built by callers with a struct literal:
///
/// ```
/// use acs_identity::{EntraAssignment, EntraPrincipalType};
///
/// let assignment = EntraAssignment {
///     object_id: "207ffef6-9444-41fb-92ab-20eacaae2768".to_owned(),
///     tenant_id: "45ab2481-1c1c-4005-be24-0ffb879b1130".to_owned(),
///     principal_type: EntraPrincipalType::User,
///     client_ids: vec!["1fd5d3a1-8f0b-4a7c-9e2d-6b5a4c3d2e1f".to_owned()],
/// };
/// assert_eq!(assignment.principal_type.as_str(), "user");
/// ```
///
/// Its `Debug` shows the principal type and client ids and leaves out the
/// object and tenant ids, which identify people (azure_core's `SafeDebug`; with
/// azure_core's `debug` feature on, every field shows).
#[derive(Clone, azure_core::fmt::SafeDebug, PartialEq, Eq)]
pub struct EntraAssignment {
    /// The Entra object id (a GUID) of the user or group, or the tenant id for a
    /// tenant-wide assignment.
    pub object_id: String,
    /// The Entra tenant id (a GUID).
    pub tenant_id: String,
    /// Whether the object is a user, a group or the tenant.
    #[safe(true)]
    pub principal_type: EntraPrincipalType,
    /// The Entra application (client) ids (GUIDs) the principal may exchange
    /// tokens through.
    #[safe(true)]
    pub client_ids: Vec<String>,
}

/// The kind of principal an [`EntraAssignment`] is for (wire values `user`,
/// `group`, `tenant`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum EntraPrincipalType {
    /// One Entra user (`user`).
    User,
    /// The members of an Entra group (`group`).
    Group,
    /// Every user of the tenant (`tenant`).
    Tenant,
    /// A value this crate does not know, sent and received as written.
    Other(String),
}

super::wire_enum::wire_enum!(EntraPrincipalType { User => "user", Group => "group", Tenant => "tenant" });

#[cfg(test)]
mod tests {
    use super::{EntraAssignment, EntraPrincipalType, EntraPrincipalType as P};

    #[test]
    fn wire_values_round_trip() {
        for (value, kind) in [
            ("user", P::User),
            ("group", P::Group),
            ("tenant", P::Tenant),
            ("servicePrincipal", P::Other("servicePrincipal".to_owned())),
        ] {
            assert_eq!(P::from(value), kind);
            assert_eq!(
                serde_json::to_string(&kind).unwrap(),
                format!("\"{value}\"")
            );
            let back: P = serde_json::from_str(&format!("\"{value}\"")).unwrap();
            assert_eq!(back, kind);
        }
    }

    #[test]
    fn debug_leaves_out_object_and_tenant_ids() {
        let assignment = EntraAssignment {
            object_id: "207ffef6-9444-41fb-92ab-20eacaae2768".to_owned(),
            tenant_id: "45ab2481-1c1c-4005-be24-0ffb879b1130".to_owned(),
            principal_type: EntraPrincipalType::User,
            client_ids: vec!["1fd5d3a1-8f0b-4a7c-9e2d-6b5a4c3d2e1f".to_owned()],
        };
        let debug = format!("{assignment:?}");
        assert!(
            !debug.contains("207ffef6") && !debug.contains("45ab2481"),
            "{debug}"
        );
        assert!(
            debug.contains("User") && debug.contains("1fd5d3a1"),
            "{debug}"
        );
    }
}
