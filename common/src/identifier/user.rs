use std::fmt;

/// An Azure Communication Services user, as created by
/// `acs_identity::CommunicationIdentityClient::create_user`.
///
/// The id is the service's raw id, e.g. `8:acs:<resource id>_<user id>`; it is
/// opaque to the client and compared verbatim.
///
/// ```
/// use acs_common::CommunicationUserIdentifier;
///
/// let user = CommunicationUserIdentifier::new("8:acs:res_0001");
/// assert_eq!(user.id(), "8:acs:res_0001");
/// assert_eq!(user.raw_id(), "8:acs:res_0001");
/// assert_eq!(user.to_string(), "8:acs:res_0001");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CommunicationUserIdentifier {
    id: String,
}

impl CommunicationUserIdentifier {
    /// Wraps an ACS user id (the raw id returned by the service).
    pub fn new(id: impl Into<String>) -> Self {
        Self { id: id.into() }
    }

    /// The user id as the service returned it.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The raw id; for an ACS user it is the id itself.
    pub fn raw_id(&self) -> &str {
        &self.id
    }
}

impl fmt::Display for CommunicationUserIdentifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id)
    }
}

impl From<String> for CommunicationUserIdentifier {
    fn from(id: String) -> Self {
        Self::new(id)
    }
}

impl From<&str> for CommunicationUserIdentifier {
    fn from(id: &str) -> Self {
        Self::new(id)
    }
}
