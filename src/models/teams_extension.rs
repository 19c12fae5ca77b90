/// A Teams Extension (Teams Phone extensibility) assignment: which Teams user or
/// resource account of a tenant may exchange its Entra ID token for an ACS token
/// on this resource, and through which Entra applications (client ids).
///
/// Built by callers with a struct literal:
///
/// ```
/// use acs_identity::{TeamsExtensionAssignment, TeamsExtensionPrincipalType};
///
/// let assignment = TeamsExtensionAssignment {
///     tenant_id: "2dee53b4-368b-45b4-ab52-8493fb117652".to_owned(),
///     object_id: "0c5b0c7e-1234-4d2f-9a7b-3f1e2d4c5b6a".to_owned(),
///     principal_type: TeamsExtensionPrincipalType::User,
///     client_ids: vec!["1fd5d3a1-8f0b-4a7c-9e2d-6b5a4c3d2e1f".to_owned()],
/// };
/// assert_eq!(assignment.principal_type.as_str(), "user");
/// ```
///
/// Its `Debug` shows the principal type and client ids and leaves out the
/// object and tenant ids, which identify people (azure_core's `SafeDebug`; with
/// azure_core's `debug` feature on, every field shows).
#[derive(Clone, azure_core::fmt::SafeDebug, PartialEq, Eq)]
pub struct TeamsExtensionAssignment {
    /// The Entra tenant id (a GUID).
    pub tenant_id: String,
    /// The Entra object id of the user or resource account (a GUID).
    pub object_id: String,
    /// Whether the object is a user or a resource account.
    #[safe(true)]
    pub principal_type: TeamsExtensionPrincipalType,
    /// The Entra application (client) ids (GUIDs) the principal may exchange
    /// tokens through.
    #[safe(true)]
    pub client_ids: Vec<String>,
}

/// The kind of principal a [`TeamsExtensionAssignment`] is for (wire values
/// `user` and `resourceAccount`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TeamsExtensionPrincipalType {
    /// A Teams user (`user`).
    User,
    /// A Teams resource account (`resourceAccount`), e.g. of an auto attendant.
    ResourceAccount,
    /// A value this crate does not know, sent and received as written.
    Other(String),
}

super::wire_enum::wire_enum!(TeamsExtensionPrincipalType { User => "user", ResourceAccount => "resourceAccount" });

#[cfg(test)]
mod tests {
    use super::{
        TeamsExtensionAssignment, TeamsExtensionPrincipalType, TeamsExtensionPrincipalType as P,
    };

    #[test]
    fn wire_values_round_trip() {
        for (value, kind) in [
            ("user", P::User),
            ("resourceAccount", P::ResourceAccount),
            ("group", P::Other("group".to_owned())),
        ] {
            assert_eq!(P::from(value), kind);
            assert_eq!(kind.as_str(), value);
            assert_eq!(
                serde_json::to_string(&kind).unwrap(),
                format!("\"{value}\"")
            );
            let back: P = serde_json::from_str(&format!("\"{value}\"")).unwrap();
            assert_eq!(back, kind);
        }
        assert_eq!(P::from("ResourceAccount"), P::ResourceAccount);
    }

    #[test]
    fn debug_leaves_out_object_and_tenant_ids() {
        let assignment = TeamsExtensionAssignment {
            tenant_id: "45ab2481-1c1c-4005-be24-0ffb879b1130".to_owned(),
            object_id: "207ffef6-9444-41fb-92ab-20eacaae2768".to_owned(),
            principal_type: TeamsExtensionPrincipalType::ResourceAccount,
            client_ids: vec!["1fd5d3a1-8f0b-4a7c-9e2d-6b5a4c3d2e1f".to_owned()],
        };
        let debug = format!("{assignment:?}");
        assert!(
            !debug.contains("207ffef6") && !debug.contains("45ab2481"),
            "{debug}"
        );
        assert!(
            debug.contains("ResourceAccount") && debug.contains("1fd5d3a1"),
            "{debug}"
        );
    }
}
