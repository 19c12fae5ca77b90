//! Service API versions (the `api-version` query parameter).
//!
//! The client sends [`DEFAULT`] unless
//! [`CommunicationIdentityClientOptions::api_version`](crate::CommunicationIdentityClientOptions::api_version)
//! says otherwise. Any string is accepted, so a version the service adds later
//! can be used without a new release of this crate. For the versions below the
//! client knows what each one has, from a table (not from comparing dates: the
//! preview `2025-03-02-preview` has custom ids, the later GA `2025-06-30` does
//! not), and refuses an operation or option the chosen version lacks before
//! sending anything, with an [`InvalidArgument`] that
//! names the versions that have it. A version it does not know is sent as
//! written and the service judges it.
//!
//! | version | adds |
//! |---|---|
//! | [`V2021_03_07`] | create, delete, issue, revoke; scopes `chat`, `voip` |
//! | [`V2022_06_01`] | the Teams user token exchange |
//! | [`V2022_10_01`] | custom token lifetimes |
//! | [`V2023_10_01`] | scopes `chat.join`, `chat.join.limited`, `voip.join` |
//! | [`V2025_03_02_PREVIEW`] | custom ids, `get_user_detail`, Teams Extension and Entra assignments |
//! | [`V2025_06_30`] | Teams Extension assignments (no custom ids, no `get_user_detail`) |
//! | [`V2026_09_23`] (default) | nothing new: the same operations as `2025-06-30` |

use crate::InvalidArgument;

/// First GA: create, delete, issue and revoke; scopes `chat` and `voip`.
pub const V2021_03_07: &str = "2021-03-07";
/// Adds the Teams user token exchange.
pub const V2022_06_01: &str = "2022-06-01";
/// Adds custom token lifetimes (`token_expires_in`).
pub const V2022_10_01: &str = "2022-10-01";
/// Adds the scopes `chat.join`, `chat.join.limited` and `voip.join`.
pub const V2023_10_01: &str = "2023-10-01";
/// Preview: everything of 2023-10-01, plus custom ids on create
/// (`custom_id`), [`get_user_detail`](crate::CommunicationIdentityClient::get_user_detail)
/// and Teams Extension assignments.
pub const V2025_03_02_PREVIEW: &str = "2025-03-02-preview";
/// GA: everything of 2023-10-01, plus Teams Extension assignments. Its
/// specification declares neither custom ids nor `get_user_detail`.
pub const V2025_06_30: &str = "2025-06-30";
/// The newest GA version: the same operations as [`V2025_06_30`] (its
/// specification differs only in its version string). No custom ids, no
/// `get_user_detail`, no Entra assignments: those stay in
/// [`V2025_03_02_PREVIEW`].
pub const V2026_09_23: &str = "2026-09-23";

/// The version sent by default: the service's newest GA version,
/// [`V2026_09_23`]. Custom ids, `get_user_detail` and the Entra assignments
/// need [`V2025_03_02_PREVIEW`], named explicitly.
pub const DEFAULT: &str = V2026_09_23;

/// Something that exists in some api-versions only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Feature {
    /// `get_token_for_teams_user`.
    TeamsUserExchange,
    /// `token_expires_in`.
    CustomExpiry,
    /// The scopes `chat.join`, `chat.join.limited`, `voip.join`.
    JoinScopes,
    /// `custom_id` on create.
    CustomId,
    /// `get_user_detail`.
    GetUserDetail,
    /// The Teams Extension assignment operations.
    TeamsExtensionAssignments,
    /// The Entra assignment operations.
    EntraAssignments,
}

impl Feature {
    /// The argument an error about this feature names.
    fn argument(self) -> &'static str {
        match self {
            Self::TeamsUserExchange
            | Self::GetUserDetail
            | Self::TeamsExtensionAssignments
            | Self::EntraAssignments => "api_version",
            Self::CustomExpiry => "token_expires_in",
            Self::JoinScopes => "scopes",
            Self::CustomId => "custom_id",
        }
    }

    /// What the feature is and its verb, for messages.
    fn what_needs(self) -> &'static str {
        match self {
            Self::TeamsUserExchange => "the Teams user token exchange needs",
            Self::CustomExpiry => "custom token lifetimes need",
            Self::JoinScopes => "the scopes chat.join, chat.join.limited and voip.join need",
            Self::CustomId => "custom ids need",
            Self::GetUserDetail => "get_user_detail needs",
            Self::TeamsExtensionAssignments => "Teams Extension assignments need",
            Self::EntraAssignments => "Entra assignments need",
        }
    }
}

use Feature::*;

/// What each known version has.
const KNOWN: [(&str, &[Feature]); 7] = [
    (V2021_03_07, &[]),
    (V2022_06_01, &[TeamsUserExchange]),
    (V2022_10_01, &[TeamsUserExchange, CustomExpiry]),
    (V2023_10_01, &[TeamsUserExchange, CustomExpiry, JoinScopes]),
    (
        V2025_03_02_PREVIEW,
        &[
            TeamsUserExchange,
            CustomExpiry,
            JoinScopes,
            CustomId,
            GetUserDetail,
            TeamsExtensionAssignments,
            EntraAssignments,
        ],
    ),
    (V2025_06_30, GA_2025),
    (V2026_09_23, GA_2025),
];

/// What the GA versions from 2025-06-30 on have.
const GA_2025: &[Feature] = &[
    TeamsUserExchange,
    CustomExpiry,
    JoinScopes,
    TeamsExtensionAssignments,
];

/// Whether this crate knows `version`: only then does it check the service's
/// rules (token lifetime range, scopes, custom-id length, what the version has)
/// before sending.
pub(crate) fn is_known(version: &str) -> bool {
    KNOWN.iter().any(|(known, _)| *known == version)
}

/// Whether `version` has `feature`: `Some(true/false)` for a known version,
/// `None` for one this crate does not know.
pub(crate) fn has(version: &str, feature: Feature) -> Option<bool> {
    KNOWN
        .iter()
        .find(|(known, _)| *known == version)
        .map(|(_, features)| features.contains(&feature))
}

/// Refuses `feature` on a known version that lacks it, naming the versions that
/// have it; passes a version this crate does not know.
pub(crate) fn require(version: &str, feature: Feature) -> Result<(), InvalidArgument> {
    if has(version, feature) != Some(false) {
        return Ok(());
    }
    let with: Vec<&str> = KNOWN
        .iter()
        .filter(|(_, features)| features.contains(&feature))
        .map(|(known, _)| *known)
        .collect();
    Err(InvalidArgument::new(
        feature.argument(),
        format!(
            "{} api-version {}; the client uses {version}",
            feature.what_needs(),
            with.join(" or ")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_versions_answer_from_the_table() {
        assert_eq!(has(V2023_10_01, CustomExpiry), Some(true));
        assert_eq!(has(V2022_06_01, CustomExpiry), Some(false));
        assert_eq!(has(V2025_03_02_PREVIEW, CustomId), Some(true));
        assert_eq!(has(V2025_06_30, CustomId), Some(false));
        assert_eq!(has(V2025_06_30, GetUserDetail), Some(false));
        assert_eq!(has(V2025_06_30, TeamsExtensionAssignments), Some(true));
        assert_eq!(has(V2023_10_01, TeamsExtensionAssignments), Some(false));
        assert_eq!(DEFAULT, V2026_09_23);
        for feature in [
            TeamsUserExchange,
            CustomExpiry,
            JoinScopes,
            CustomId,
            GetUserDetail,
            TeamsExtensionAssignments,
            EntraAssignments,
        ] {
            assert_eq!(
                has(V2026_09_23, feature),
                has(V2025_06_30, feature),
                "{feature:?}"
            );
        }
        assert_eq!(has("2099-01-01", CustomId), None);
        assert_eq!(has("vNext", CustomExpiry), None);
        assert!(is_known(V2026_09_23) && is_known(V2025_03_02_PREVIEW));
        assert!(!is_known("2099-01-01") && !is_known("2026-09-23-preview"));
    }

    #[test]
    fn refusals_name_the_versions_that_have_it() {
        let err = require(V2025_06_30, CustomId).unwrap_err();
        assert_eq!(err.argument(), "custom_id");
        assert_eq!(
            err.message(),
            "custom ids need api-version 2025-03-02-preview; the client uses 2025-06-30"
        );
        let err = require(V2023_10_01, TeamsExtensionAssignments).unwrap_err();
        assert_eq!(
            err.message(),
            "Teams Extension assignments need api-version 2025-03-02-preview or 2025-06-30 or \
             2026-09-23; the client uses 2023-10-01"
        );
        let err = require(V2026_09_23, CustomId).unwrap_err();
        assert_eq!(
            err.message(),
            "custom ids need api-version 2025-03-02-preview; the client uses 2026-09-23"
        );
        assert!(require("2099-01-01", CustomId).is_ok());
        assert!(require(V2025_03_02_PREVIEW, GetUserDetail).is_ok());
    }
}
