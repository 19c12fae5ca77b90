use super::{non_empty, raw_id::PHONE_NUMBER};
use azure_core::Result;

/// A phone number (raw id `4:<number>`).
///
/// The number is kept exactly as given (no `+` is added or removed). The raw id
/// also tells whether the caller is anonymous (`4:anonymous`) and carries an
/// optional asserted id (the text after the last `_`, e.g.
/// `4:+112345556789_207ffef6-…`).
///
/// ```
/// use acs_common::PhoneNumberIdentifier;
///
/// let phone = PhoneNumberIdentifier::new("+112345556789")?;
/// assert_eq!(phone.raw_id(), "4:+112345556789");
/// assert!(!phone.is_anonymous());
/// assert_eq!(phone.asserted_id(), None);
///
/// let asserted = PhoneNumberIdentifier::new("+112345556789_abc")?;
/// assert_eq!(asserted.asserted_id(), Some("abc"));
///
/// assert!(PhoneNumberIdentifier::new("anonymous")?.is_anonymous());
/// assert!(PhoneNumberIdentifier::new("").is_err());
/// # Ok::<(), azure_core::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct PhoneNumberIdentifier {
    phone_number: String,
    is_anonymous: bool,
    asserted_id: Option<String>,
    raw_id: String,
}

impl PhoneNumberIdentifier {
    /// A phone number identifier; the number must not be empty.
    ///
    /// The raw id is `4:` followed by the number as given.
    pub fn new(phone_number: impl Into<String>) -> Result<Self> {
        let phone_number = non_empty(
            "PhoneNumberIdentifier",
            "phone_number",
            "a phone number such as +14255550123",
            phone_number.into(),
        )?;
        let raw_id = format!("{PHONE_NUMBER}{phone_number}");
        Ok(Self::from_parts(phone_number, raw_id))
    }

    /// Replaces the raw id with one supplied explicitly (it wins over the built one).
    ///
    /// `is_anonymous` and `asserted_id` are re-derived from the new raw id.
    pub fn with_raw_id(self, raw_id: impl Into<String>) -> Result<Self> {
        let raw_id = non_empty(
            "PhoneNumberIdentifier",
            "raw_id",
            "a raw id such as 4:+14255550123",
            raw_id.into(),
        )?;
        Ok(Self::from_parts(self.phone_number, raw_id))
    }

    fn from_parts(phone_number: String, raw_id: String) -> Self {
        let rest = raw_id.strip_prefix(PHONE_NUMBER).unwrap_or(&raw_id);
        let is_anonymous = rest == "anonymous";
        let asserted_id = rest
            .rsplit_once('_')
            .map(|(_, asserted)| asserted)
            .filter(|asserted| !asserted.is_empty())
            .map(str::to_owned);
        Self {
            phone_number,
            is_anonymous,
            asserted_id,
            raw_id,
        }
    }

    /// Overrides the details a wire model states explicitly.
    pub(crate) fn with_details(
        mut self,
        is_anonymous: Option<bool>,
        asserted_id: Option<String>,
    ) -> Self {
        if let Some(is_anonymous) = is_anonymous {
            self.is_anonymous = is_anonymous;
        }
        if let Some(asserted_id) = asserted_id.filter(|id| !id.is_empty()) {
            self.asserted_id = Some(asserted_id);
        }
        self
    }

    /// The phone number exactly as given (usually E.164, e.g. `+14255550123`).
    pub fn phone_number(&self) -> &str {
        &self.phone_number
    }

    /// Whether this is an anonymous caller (raw id `4:anonymous`).
    pub fn is_anonymous(&self) -> bool {
        self.is_anonymous
    }

    /// The asserted id: the text after the last `_` of the raw id, when present.
    pub fn asserted_id(&self) -> Option<&str> {
        self.asserted_id.as_deref()
    }

    /// The raw id, e.g. `4:+14255550123`.
    pub fn raw_id(&self) -> &str {
        &self.raw_id
    }
}

super::raw_id_identity!(PhoneNumberIdentifier);
