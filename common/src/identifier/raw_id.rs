//! Raw-id prefixes and the raw-id parser (current .NET / JS 2.5 rules).

use super::{
    CommunicationCloudEnvironment, CommunicationIdentifier, CommunicationUserIdentifier,
    MicrosoftTeamsAppIdentifier, MicrosoftTeamsUserIdentifier, PhoneNumberIdentifier,
    TeamsExtensionUserIdentifier, UnknownIdentifier,
};

pub(crate) const PHONE_NUMBER: &str = "4:";
pub(crate) const TEAMS_USER_ANONYMOUS: &str = "8:teamsvisitor:";
pub(crate) const TEAMS_USER_PUBLIC: &str = "8:orgid:";
pub(crate) const TEAMS_USER_DOD: &str = "8:dod:";
pub(crate) const TEAMS_USER_GCCH: &str = "8:gcch:";
pub(crate) const ACS_USER_PUBLIC: &str = "8:acs:";
pub(crate) const ACS_USER_DOD: &str = "8:dod-acs:";
pub(crate) const ACS_USER_GCCH: &str = "8:gcch-acs:";
pub(crate) const TEAMS_APP_PUBLIC: &str = "28:orgid:";
pub(crate) const TEAMS_APP_DOD: &str = "28:dod:";
pub(crate) const TEAMS_APP_GCCH: &str = "28:gcch:";

/// Raw-id prefix of a Microsoft Teams user (non-anonymous) in `cloud`.
pub(crate) fn teams_user_prefix(cloud: CommunicationCloudEnvironment) -> &'static str {
    match cloud {
        CommunicationCloudEnvironment::Public => TEAMS_USER_PUBLIC,
        CommunicationCloudEnvironment::Dod => TEAMS_USER_DOD,
        CommunicationCloudEnvironment::Gcch => TEAMS_USER_GCCH,
    }
}

/// Raw-id prefix of a Microsoft Teams app in `cloud`.
pub(crate) fn teams_app_prefix(cloud: CommunicationCloudEnvironment) -> &'static str {
    match cloud {
        CommunicationCloudEnvironment::Public => TEAMS_APP_PUBLIC,
        CommunicationCloudEnvironment::Dod => TEAMS_APP_DOD,
        CommunicationCloudEnvironment::Gcch => TEAMS_APP_GCCH,
    }
}

/// Raw-id prefix of an ACS (or Teams extension) user in `cloud`.
pub(crate) fn acs_user_prefix(cloud: CommunicationCloudEnvironment) -> &'static str {
    match cloud {
        CommunicationCloudEnvironment::Public => ACS_USER_PUBLIC,
        CommunicationCloudEnvironment::Dod => ACS_USER_DOD,
        CommunicationCloudEnvironment::Gcch => ACS_USER_GCCH,
    }
}

/// Parses a raw id. Never fails: anything unrecognised is [`CommunicationIdentifier::Unknown`].
///
/// Rules (those of the current .NET SDK and JS `@azure/communication-common` 2.5):
/// 1. `4:<rest>` is a phone number with value `<rest>` kept verbatim.
/// 2. Otherwise the raw id must have exactly three `:`-separated segments, else Unknown.
/// 3. The prefix `seg0:seg1:` selects the kind; `8:acs:`-family suffixes with exactly three
///    `_`-separated parts are Teams extension users, other suffixes ACS users.
///
/// Where a recognised prefix carries parts the typed constructors reject (an empty
/// user id, say `8:orgid:`), the raw id is kept as Unknown rather than failing, so
/// parsing is total and `parse(raw).raw_id() == raw` for every string.
pub(crate) fn parse(raw_id: &str) -> CommunicationIdentifier {
    parse_known(raw_id).unwrap_or_else(|| {
        CommunicationIdentifier::Unknown(UnknownIdentifier::new(raw_id.to_owned()))
    })
}

fn parse_known(raw_id: &str) -> Option<CommunicationIdentifier> {
    if let Some(number) = raw_id.strip_prefix(PHONE_NUMBER) {
        return PhoneNumberIdentifier::new(number)
            .ok()
            .map(CommunicationIdentifier::PhoneNumber);
    }

    let mut segments = raw_id.split(':');
    let (Some(kind), Some(scope), Some(suffix), None) = (
        segments.next(),
        segments.next(),
        segments.next(),
        segments.next(),
    ) else {
        return None;
    };

    use CommunicationCloudEnvironment::{Dod, Gcch, Public};
    let teams_user = |cloud, anonymous| {
        MicrosoftTeamsUserIdentifier::new(suffix).ok().map(|user| {
            CommunicationIdentifier::MicrosoftTeamsUser(
                user.with_cloud(cloud).with_anonymous(anonymous),
            )
        })
    };
    let teams_app = |cloud| {
        MicrosoftTeamsAppIdentifier::new(suffix)
            .ok()
            .map(|app| CommunicationIdentifier::MicrosoftTeamsApp(app.with_cloud(cloud)))
    };
    let acs_user = |cloud| {
        Some(
            teams_extension_user(suffix, cloud)
                .map(CommunicationIdentifier::TeamsExtensionUser)
                .unwrap_or_else(|| {
                    CommunicationIdentifier::CommunicationUser(CommunicationUserIdentifier::new(
                        raw_id,
                    ))
                }),
        )
    };

    match (kind, scope) {
        ("8", "teamsvisitor") => teams_user(Public, true),
        ("8", "orgid") => teams_user(Public, false),
        ("8", "dod") => teams_user(Dod, false),
        ("8", "gcch") => teams_user(Gcch, false),
        ("8", "acs") => acs_user(Public),
        ("8", "dod-acs") => acs_user(Dod),
        ("8", "gcch-acs") => acs_user(Gcch),
        ("8", "spool") => Some(CommunicationIdentifier::CommunicationUser(
            CommunicationUserIdentifier::new(raw_id),
        )),
        ("28", "orgid") => teams_app(Public),
        ("28", "dod") => teams_app(Dod),
        ("28", "gcch") => teams_app(Gcch),
        _ => None,
    }
}

/// `<resourceId>_<tenantId>_<userId>` with exactly three non-empty parts.
fn teams_extension_user(
    suffix: &str,
    cloud: CommunicationCloudEnvironment,
) -> Option<TeamsExtensionUserIdentifier> {
    let mut parts = suffix.split('_');
    let (Some(resource_id), Some(tenant_id), Some(user_id), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    TeamsExtensionUserIdentifier::new(user_id, tenant_id, resource_id)
        .ok()
        .map(|user| user.with_cloud(cloud))
}
