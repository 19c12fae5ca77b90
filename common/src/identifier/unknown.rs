/// An identifier of a kind this crate does not model (e.g. `48:…`, `28:<id>`
/// without a cloud, or the empty string); it is kept as its raw id.
///
/// ```
/// use acs_common::{CommunicationIdentifier, UnknownIdentifier};
///
/// let id = CommunicationIdentifier::from_raw_id("48:45ab2481");
/// assert_eq!(id, CommunicationIdentifier::Unknown(UnknownIdentifier::new("48:45ab2481")));
/// ```
#[derive(Clone, Debug)]
pub struct UnknownIdentifier {
    raw_id: String,
}

impl UnknownIdentifier {
    /// Wraps a raw id verbatim (any string, including the empty string).
    pub fn new(id: impl Into<String>) -> Self {
        Self { raw_id: id.into() }
    }

    /// The id, which is the raw id.
    pub fn id(&self) -> &str {
        &self.raw_id
    }

    /// The raw id.
    pub fn raw_id(&self) -> &str {
        &self.raw_id
    }
}

super::raw_id_identity!(UnknownIdentifier);
