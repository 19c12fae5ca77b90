use super::{
    non_empty,
    raw_id::{acs_user_prefix, teams_app_prefix, teams_user_prefix, TEAMS_USER_ANONYMOUS},
    CommunicationCloudEnvironment,
};
use azure_core::Result;

/// A Microsoft Teams user (raw id `8:orgid:<id>`, `8:dod:<id>`, `8:gcch:<id>`,
/// or `8:teamsvisitor:<id>` when anonymous).
///
/// ```
/// use acs_common::{CommunicationCloudEnvironment, MicrosoftTeamsUserIdentifier};
///
/// let user = MicrosoftTeamsUserIdentifier::new("45ab2481-1c1c-4005-be24-0ffb879b1130")?
///     .with_cloud(CommunicationCloudEnvironment::Gcch);
/// assert_eq!(user.raw_id(), "8:gcch:45ab2481-1c1c-4005-be24-0ffb879b1130");
///
/// let visitor = MicrosoftTeamsUserIdentifier::new("45ab2481")?.with_anonymous(true);
/// assert_eq!(visitor.raw_id(), "8:teamsvisitor:45ab2481");
///
/// // An explicitly supplied raw id wins.
/// let legacy = MicrosoftTeamsUserIdentifier::new("45ab2481")?.with_raw_id("8:orgid:legacyFormat")?;
/// assert_eq!(legacy.raw_id(), "8:orgid:legacyFormat");
/// assert!(MicrosoftTeamsUserIdentifier::new("").is_err());
/// # Ok::<(), azure_core::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct MicrosoftTeamsUserIdentifier {
    user_id: String,
    is_anonymous: bool,
    cloud: CommunicationCloudEnvironment,
    raw_id: String,
    explicit_raw_id: bool,
}

impl MicrosoftTeamsUserIdentifier {
    /// A non-anonymous Teams user in the public cloud; the user id (the Entra
    /// object id, or the visitor id when anonymous) must not be empty.
    pub fn new(user_id: impl Into<String>) -> Result<Self> {
        let user_id = non_empty(
            "MicrosoftTeamsUserIdentifier",
            "user_id",
            "the Entra object id of the Teams user",
            user_id.into(),
        )?;
        let mut user = Self {
            user_id,
            is_anonymous: false,
            cloud: CommunicationCloudEnvironment::Public,
            raw_id: String::new(),
            explicit_raw_id: false,
        };
        user.rebuild();
        Ok(user)
    }

    /// Sets the cloud (default public); rebuilds the raw id unless one was supplied.
    pub fn with_cloud(mut self, cloud: CommunicationCloudEnvironment) -> Self {
        self.cloud = cloud;
        self.rebuild();
        self
    }

    /// Marks the user as an anonymous Teams visitor (raw id `8:teamsvisitor:<id>`).
    pub fn with_anonymous(mut self, is_anonymous: bool) -> Self {
        self.is_anonymous = is_anonymous;
        self.rebuild();
        self
    }

    /// Supplies the raw id explicitly; it wins over the built one. Must not be empty.
    pub fn with_raw_id(mut self, raw_id: impl Into<String>) -> Result<Self> {
        self.raw_id = non_empty(
            "MicrosoftTeamsUserIdentifier",
            "raw_id",
            "a raw id such as 8:orgid:<user id>",
            raw_id.into(),
        )?;
        self.explicit_raw_id = true;
        Ok(self)
    }

    fn rebuild(&mut self) {
        if !self.explicit_raw_id {
            let prefix = if self.is_anonymous {
                TEAMS_USER_ANONYMOUS
            } else {
                teams_user_prefix(self.cloud)
            };
            self.raw_id = format!("{prefix}{}", self.user_id);
        }
    }

    /// The Teams user id (Entra object id, or visitor id when anonymous).
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    /// Whether the user is an anonymous Teams visitor.
    pub fn is_anonymous(&self) -> bool {
        self.is_anonymous
    }

    /// The cloud the user belongs to.
    pub fn cloud(&self) -> CommunicationCloudEnvironment {
        self.cloud
    }

    /// The raw id.
    pub fn raw_id(&self) -> &str {
        &self.raw_id
    }
}

super::raw_id_identity!(MicrosoftTeamsUserIdentifier);

/// A Microsoft Teams app, formerly "bot" (raw id `28:orgid:<id>`, `28:dod:<id>`
/// or `28:gcch:<id>`).
///
/// ```
/// use acs_common::{CommunicationCloudEnvironment, MicrosoftTeamsAppIdentifier};
///
/// let app = MicrosoftTeamsAppIdentifier::new("01234567-89ab-cdef-0123-456789abcdef")?
///     .with_cloud(CommunicationCloudEnvironment::Dod);
/// assert_eq!(app.raw_id(), "28:dod:01234567-89ab-cdef-0123-456789abcdef");
/// # Ok::<(), azure_core::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct MicrosoftTeamsAppIdentifier {
    app_id: String,
    cloud: CommunicationCloudEnvironment,
    raw_id: String,
    explicit_raw_id: bool,
}

impl MicrosoftTeamsAppIdentifier {
    /// A Teams app in the public cloud; the app id must not be empty.
    pub fn new(app_id: impl Into<String>) -> Result<Self> {
        let app_id = non_empty(
            "MicrosoftTeamsAppIdentifier",
            "app_id",
            "the Entra application id of the Teams app",
            app_id.into(),
        )?;
        let mut app = Self {
            app_id,
            cloud: CommunicationCloudEnvironment::Public,
            raw_id: String::new(),
            explicit_raw_id: false,
        };
        app.rebuild();
        Ok(app)
    }

    /// Sets the cloud (default public); rebuilds the raw id unless one was supplied.
    pub fn with_cloud(mut self, cloud: CommunicationCloudEnvironment) -> Self {
        self.cloud = cloud;
        self.rebuild();
        self
    }

    /// Supplies the raw id explicitly; it wins over the built one. Must not be empty.
    pub fn with_raw_id(mut self, raw_id: impl Into<String>) -> Result<Self> {
        self.raw_id = non_empty(
            "MicrosoftTeamsAppIdentifier",
            "raw_id",
            "a raw id such as 28:orgid:<app id>",
            raw_id.into(),
        )?;
        self.explicit_raw_id = true;
        Ok(self)
    }

    fn rebuild(&mut self) {
        if !self.explicit_raw_id {
            self.raw_id = format!("{}{}", teams_app_prefix(self.cloud), self.app_id);
        }
    }

    /// The Teams app id.
    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    /// The cloud the app belongs to.
    pub fn cloud(&self) -> CommunicationCloudEnvironment {
        self.cloud
    }

    /// The raw id.
    pub fn raw_id(&self) -> &str {
        &self.raw_id
    }
}

super::raw_id_identity!(MicrosoftTeamsAppIdentifier);

/// A Teams Phone extensibility user: a Teams user acting through an ACS
/// resource (raw id `8:acs:<resource id>_<tenant id>_<user id>`, with
/// `8:dod-acs:` / `8:gcch-acs:` in the government clouds).
///
/// ```
/// use acs_common::TeamsExtensionUserIdentifier;
///
/// let user = TeamsExtensionUserIdentifier::new(
///     "207ffef6-9444-41fb-92ab-20eacaae2768", // user id
///     "45ab2481-1c1c-4005-be24-0ffb879b1130", // tenant id
///     "bbbcbc1e-9f06-482a-b5d8-20e3f26ef0cd", // resource id
/// )?;
/// assert_eq!(
///     user.raw_id(),
///     "8:acs:bbbcbc1e-9f06-482a-b5d8-20e3f26ef0cd_45ab2481-1c1c-4005-be24-0ffb879b1130_207ffef6-9444-41fb-92ab-20eacaae2768"
/// );
/// assert!(TeamsExtensionUserIdentifier::new("u", "", "r").is_err());
/// # Ok::<(), azure_core::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct TeamsExtensionUserIdentifier {
    user_id: String,
    tenant_id: String,
    resource_id: String,
    cloud: CommunicationCloudEnvironment,
    raw_id: String,
    explicit_raw_id: bool,
}

impl TeamsExtensionUserIdentifier {
    /// A Teams extension user in the public cloud. No part may be empty.
    pub fn new(
        user_id: impl Into<String>,
        tenant_id: impl Into<String>,
        resource_id: impl Into<String>,
    ) -> Result<Self> {
        const TYPE: &str = "TeamsExtensionUserIdentifier";
        let user_id = non_empty(
            TYPE,
            "user_id",
            "the Entra object id of the Teams user",
            user_id.into(),
        )?;
        let tenant_id = non_empty(
            TYPE,
            "tenant_id",
            "the Entra tenant id of the Teams user",
            tenant_id.into(),
        )?;
        let resource_id = non_empty(
            TYPE,
            "resource_id",
            "the ACS resource id",
            resource_id.into(),
        )?;
        let mut user = Self {
            user_id,
            tenant_id,
            resource_id,
            cloud: CommunicationCloudEnvironment::Public,
            raw_id: String::new(),
            explicit_raw_id: false,
        };
        user.rebuild();
        Ok(user)
    }

    /// Sets the cloud (default public); rebuilds the raw id unless one was supplied.
    pub fn with_cloud(mut self, cloud: CommunicationCloudEnvironment) -> Self {
        self.cloud = cloud;
        self.rebuild();
        self
    }

    /// Supplies the raw id explicitly; it wins over the built one. Must not be empty.
    pub fn with_raw_id(mut self, raw_id: impl Into<String>) -> Result<Self> {
        self.raw_id = non_empty(
            "TeamsExtensionUserIdentifier",
            "raw_id",
            "a raw id such as 8:acs:<resource id>_<tenant id>_<user id>",
            raw_id.into(),
        )?;
        self.explicit_raw_id = true;
        Ok(self)
    }

    fn rebuild(&mut self) {
        if !self.explicit_raw_id {
            self.raw_id = format!(
                "{}{}_{}_{}",
                acs_user_prefix(self.cloud),
                self.resource_id,
                self.tenant_id,
                self.user_id
            );
        }
    }

    /// The Teams user's Entra object id.
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    /// The Teams user's Entra tenant id.
    pub fn tenant_id(&self) -> &str {
        &self.tenant_id
    }

    /// The ACS resource id.
    pub fn resource_id(&self) -> &str {
        &self.resource_id
    }

    /// The cloud the user belongs to.
    pub fn cloud(&self) -> CommunicationCloudEnvironment {
        self.cloud
    }

    /// The raw id.
    pub fn raw_id(&self) -> &str {
        &self.raw_id
    }
}

super::raw_id_identity!(TeamsExtensionUserIdentifier);
