//! Serde for [`CommunicationIdentifier`] in the ACS wire model used by the chat,
//! calling and rooms APIs:
//!
//! ```json
//! { "rawId": "4:+14255550123", "kind": "phoneNumber", "phoneNumber": { "value": "+14255550123" } }
//! ```
//!
//! Serialisation always writes `rawId`, `kind` and the one property of the kind
//! (none for `unknown`). Deserialisation tolerates a missing `kind` (it is
//! inferred from the property present), missing optional fields (`cloud` →
//! public, `isAnonymous` → false), and falls back to parsing `rawId` when the
//! property of the kind is absent or unusable. An unrecognised `kind` (a kind
//! newer than this crate) becomes [`CommunicationIdentifier::Unknown`] with the
//! raw id. More than one property, or neither a usable property nor a `rawId`,
//! is an error.

use super::{
    CommunicationCloudEnvironment, CommunicationIdentifier, CommunicationUserIdentifier,
    MicrosoftTeamsAppIdentifier, MicrosoftTeamsUserIdentifier, PhoneNumberIdentifier,
    TeamsExtensionUserIdentifier, UnknownIdentifier,
};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

pub(crate) const KIND_COMMUNICATION_USER: &str = "communicationUser";
pub(crate) const KIND_PHONE_NUMBER: &str = "phoneNumber";
pub(crate) const KIND_MICROSOFT_TEAMS_USER: &str = "microsoftTeamsUser";
pub(crate) const KIND_MICROSOFT_TEAMS_APP: &str = "microsoftTeamsApp";
pub(crate) const KIND_TEAMS_EXTENSION_USER: &str = "teamsExtensionUser";
pub(crate) const KIND_UNKNOWN: &str = "unknown";

#[derive(Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireIdentifier {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    raw_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    communication_user: Option<WireCommunicationUser>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    phone_number: Option<WirePhoneNumber>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    microsoft_teams_user: Option<WireTeamsUser>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    microsoft_teams_app: Option<WireTeamsApp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    teams_extension_user: Option<WireTeamsExtensionUser>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireCommunicationUser {
    #[serde(default)]
    id: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WirePhoneNumber {
    #[serde(default)]
    value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    is_anonymous: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    asserted_id: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireTeamsUser {
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default)]
    is_anonymous: Option<bool>,
    #[serde(default)]
    cloud: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireTeamsApp {
    #[serde(default)]
    app_id: Option<String>,
    #[serde(default)]
    cloud: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireTeamsExtensionUser {
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default)]
    tenant_id: Option<String>,
    #[serde(default)]
    resource_id: Option<String>,
    #[serde(default)]
    cloud: Option<String>,
}

impl From<&CommunicationIdentifier> for WireIdentifier {
    fn from(id: &CommunicationIdentifier) -> Self {
        let mut wire = WireIdentifier {
            raw_id: Some(id.raw_id().to_owned()),
            kind: Some(id.kind().to_owned()),
            ..Default::default()
        };
        match id {
            CommunicationIdentifier::CommunicationUser(user) => {
                wire.communication_user = Some(WireCommunicationUser {
                    id: Some(user.id().to_owned()),
                });
            }
            CommunicationIdentifier::PhoneNumber(phone) => {
                wire.phone_number = Some(WirePhoneNumber {
                    value: Some(phone.phone_number().to_owned()),
                    is_anonymous: phone.is_anonymous().then_some(true),
                    asserted_id: phone.asserted_id().map(str::to_owned),
                });
            }
            CommunicationIdentifier::MicrosoftTeamsUser(user) => {
                wire.microsoft_teams_user = Some(WireTeamsUser {
                    user_id: Some(user.user_id().to_owned()),
                    is_anonymous: Some(user.is_anonymous()),
                    cloud: Some(user.cloud().as_str().to_owned()),
                });
            }
            CommunicationIdentifier::MicrosoftTeamsApp(app) => {
                wire.microsoft_teams_app = Some(WireTeamsApp {
                    app_id: Some(app.app_id().to_owned()),
                    cloud: Some(app.cloud().as_str().to_owned()),
                });
            }
            CommunicationIdentifier::TeamsExtensionUser(user) => {
                wire.teams_extension_user = Some(WireTeamsExtensionUser {
                    user_id: Some(user.user_id().to_owned()),
                    tenant_id: Some(user.tenant_id().to_owned()),
                    resource_id: Some(user.resource_id().to_owned()),
                    cloud: Some(user.cloud().as_str().to_owned()),
                });
            }
            CommunicationIdentifier::Unknown(_) => {}
        }
        wire
    }
}

impl Serialize for CommunicationIdentifier {
    /// Writes the ACS wire model: `rawId`, `kind` and the property of the kind.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        WireIdentifier::from(self).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for CommunicationIdentifier {
    /// Reads the ACS wire model; see the module docs for the tolerance rules.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = WireIdentifier::deserialize(deserializer)?;
        from_wire(wire).map_err(de::Error::custom)
    }
}

fn cloud(value: Option<String>) -> Option<CommunicationCloudEnvironment> {
    match value {
        None => Some(CommunicationCloudEnvironment::Public),
        Some(cloud) => cloud.parse().ok(),
    }
}

/// An explicit raw id (non-empty) wins over the built one.
fn apply_raw_id<T>(
    id: T,
    raw_id: Option<&str>,
    with_raw_id: impl FnOnce(T, String) -> azure_core::Result<T>,
) -> Option<T> {
    match raw_id.filter(|raw| !raw.is_empty()) {
        Some(raw) => with_raw_id(id, raw.to_owned()).ok(),
        None => Some(id),
    }
}

fn from_wire(wire: WireIdentifier) -> Result<CommunicationIdentifier, String> {
    let present: Vec<&str> = [
        (wire.communication_user.is_some(), KIND_COMMUNICATION_USER),
        (wire.phone_number.is_some(), KIND_PHONE_NUMBER),
        (
            wire.microsoft_teams_user.is_some(),
            KIND_MICROSOFT_TEAMS_USER,
        ),
        (wire.microsoft_teams_app.is_some(), KIND_MICROSOFT_TEAMS_APP),
        (
            wire.teams_extension_user.is_some(),
            KIND_TEAMS_EXTENSION_USER,
        ),
    ]
    .into_iter()
    .filter_map(|(present, name)| present.then_some(name))
    .collect();
    if present.len() > 1 {
        return Err(format!(
            "invalid communication identifier: only one of {present:?} may be present"
        ));
    }

    let raw_id = wire.raw_id.as_deref();
    let kind = wire
        .kind
        .as_deref()
        .or_else(|| present.first().copied())
        .unwrap_or(KIND_UNKNOWN);
    let from_raw_id = || {
        raw_id.map(CommunicationIdentifier::from_raw_id).ok_or_else(|| {
            format!(
                "invalid communication identifier of kind {kind:?}: expected \"rawId\" or the \"{kind}\" property with its required fields"
            )
        })
    };

    let typed = match kind {
        KIND_COMMUNICATION_USER => wire
            .communication_user
            .and_then(|user| user.id)
            .filter(|id| !id.is_empty())
            .map(|id| {
                CommunicationIdentifier::CommunicationUser(CommunicationUserIdentifier::new(id))
            }),
        KIND_PHONE_NUMBER => wire.phone_number.and_then(|phone| {
            let number = PhoneNumberIdentifier::new(phone.value?).ok()?;
            let number = apply_raw_id(number, raw_id, PhoneNumberIdentifier::with_raw_id)?;
            Some(CommunicationIdentifier::PhoneNumber(
                number.with_details(phone.is_anonymous, phone.asserted_id),
            ))
        }),
        KIND_MICROSOFT_TEAMS_USER => wire.microsoft_teams_user.and_then(|user| {
            let teams_user = MicrosoftTeamsUserIdentifier::new(user.user_id?)
                .ok()?
                .with_cloud(cloud(user.cloud)?)
                .with_anonymous(user.is_anonymous.unwrap_or(false));
            apply_raw_id(
                teams_user,
                raw_id,
                MicrosoftTeamsUserIdentifier::with_raw_id,
            )
            .map(CommunicationIdentifier::MicrosoftTeamsUser)
        }),
        KIND_MICROSOFT_TEAMS_APP => wire.microsoft_teams_app.and_then(|app| {
            let teams_app = MicrosoftTeamsAppIdentifier::new(app.app_id?)
                .ok()?
                .with_cloud(cloud(app.cloud)?);
            apply_raw_id(teams_app, raw_id, MicrosoftTeamsAppIdentifier::with_raw_id)
                .map(CommunicationIdentifier::MicrosoftTeamsApp)
        }),
        KIND_TEAMS_EXTENSION_USER => wire.teams_extension_user.and_then(|user| {
            let extension_user = TeamsExtensionUserIdentifier::new(
                user.user_id?,
                user.tenant_id?,
                user.resource_id?,
            )
            .ok()?
            .with_cloud(cloud(user.cloud)?);
            apply_raw_id(
                extension_user,
                raw_id,
                TeamsExtensionUserIdentifier::with_raw_id,
            )
            .map(CommunicationIdentifier::TeamsExtensionUser)
        }),
        KIND_UNKNOWN if wire.kind.is_none() => return from_raw_id(),
        // An explicit "unknown", or a kind newer than this crate: keep the raw id as is.
        _ => {
            return raw_id
                .map(|raw| CommunicationIdentifier::Unknown(UnknownIdentifier::new(raw)))
                .ok_or_else(|| {
                    format!("invalid communication identifier of kind {kind:?}: expected \"rawId\"")
                })
        }
    };
    match typed {
        Some(id) => Ok(id),
        None => from_raw_id(),
    }
}
