//! Custom ids on create: the client-side check, and the error for a service that
//! created an identity without the custom id it was sent.

use crate::{
    models::api_version::{self, Feature},
    CommunicationUserIdentifier, InvalidArgument,
};
use acs_common::service_error::quoted;
use azure_core::error::{Error, ErrorKind};
use std::fmt;

/// The longest custom id the service accepts, in characters (checked on the
/// api-versions this crate knows).
pub const MAX_CUSTOM_ID_CHARS: usize = 256;

/// On an api-version this crate knows, checks the service's rules for a custom
/// id: 1 to [`MAX_CUSTOM_ID_CHARS`] characters, and that the version has custom
/// ids. On another version the custom id is sent as given and the service
/// judges it. `Ok(None)` without one.
pub(crate) fn check<'a>(
    custom_id: Option<&'a String>,
    version: &str,
) -> Result<Option<&'a str>, InvalidArgument> {
    let Some(custom_id) = custom_id else {
        return Ok(None);
    };
    if !api_version::is_known(version) {
        return Ok(Some(custom_id));
    }
    let chars = custom_id.chars().count();
    if chars == 0 || chars > MAX_CUSTOM_ID_CHARS {
        return Err(InvalidArgument::new(
            "custom_id",
            format!(
                "the custom id has {chars} characters; expected 1 to {MAX_CUSTOM_ID_CHARS}, \
                 e.g. your app's user id"
            ),
        ));
    }
    api_version::require(version, Feature::CustomId)?;
    Ok(Some(custom_id))
}

/// Fails a create that was sent `sent` but whose answer does not carry it back:
/// the service created `id` without the custom id (it ignores the field at an
/// api-version without custom ids).
pub(crate) fn confirm(
    sent: Option<&str>,
    returned: Option<&str>,
    id: &str,
    version: &str,
) -> azure_core::Result<()> {
    match sent {
        Some(sent) if returned != Some(sent) => Err(Error::new(
            ErrorKind::DataConversion,
            CustomIdIgnored {
                user: CommunicationUserIdentifier::new(id),
                api_version: version.to_owned(),
                returned: returned.map(str::to_owned),
            },
        )),
        _ => Ok(()),
    }
}

/// A create sent with a custom id was answered without that custom id: the
/// service created a plain identity, which the caller may want to delete
/// ([`user`](Self::user)). The error inside an `azure_core::Error` of kind
/// `DataConversion`; read it with `err.downcast_ref::<CustomIdIgnored>()`.
///
/// ```no_run
/// use acs_identity::{CreateUserOptions, CustomIdIgnored};
///
/// # async fn example(client: acs_identity::CommunicationIdentityClient) -> azure_core::Result<()> {
/// let options = CreateUserOptions { custom_id: Some("alice".into()), ..Default::default() };
/// match client.create_user(Some(options)).await {
///     Ok(user) => println!("alice is {user}"),
///     Err(err) => {
///         if let Some(ignored) = err.downcast_ref::<CustomIdIgnored>() {
///             client.delete_user(ignored.user(), None).await?;
///         }
///         return Err(err);
///     }
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct CustomIdIgnored {
    user: CommunicationUserIdentifier,
    api_version: String,
    returned: Option<String>,
}

impl CustomIdIgnored {
    /// The identity the service created.
    pub fn user(&self) -> &CommunicationUserIdentifier {
        &self.user
    }

    /// The api-version the request was sent with.
    pub fn api_version(&self) -> &str {
        &self.api_version
    }
}

impl fmt::Display for CustomIdIgnored {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.returned {
            None => write!(
                f,
                "the service ignored custom_id at api-version {}: it created identity {} \
                 without it (delete it with delete_user if it is not wanted); custom ids need \
                 api-version {}",
                self.api_version,
                quoted(self.user.id()),
                api_version::V2025_03_02_PREVIEW
            ),
            Some(other) => write!(
                f,
                "the service answered the create with identity {} and a different custom id \
                 ({:?}) than the one sent",
                quoted(self.user.id()),
                quoted(other)
            ),
        }
    }
}

impl std::error::Error for CustomIdIgnored {}
