//! The api-versions the emulator serves and what each one has: one row per version in
//! [`ApiVersion::features`], read by every gate (no date comparisons).

/// A supported api-version, ordered by date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ApiVersion {
    V2021_03_07,
    V2022_06_01,
    V2022_10_01,
    V2023_10_01,
    V2025_03_02Preview,
    V2025_06_30,
    V2026_09_23,
}

/// What one api-version has. The four identity operations (create, delete, issue, revoke)
/// exist in every version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Features {
    /// `expiresInMinutes` on create and issue.
    pub(crate) custom_expiry: bool,
    /// The `chat.join`, `chat.join.limited` and `voip.join` scopes.
    pub(crate) join_scopes: bool,
    /// `POST /teamsUser/:exchangeAccessToken` with `{token, appId, userId}`.
    pub(crate) teams_user_exchange: bool,
    /// `customId` on create (and in the identity the create answers).
    pub(crate) custom_id: bool,
    /// `GET /identities/{id}`.
    pub(crate) get_identity: bool,
    /// `GET/PUT/DELETE /access/teamsExtension/tenants/{tenantId}/assignments/{objectId}`.
    pub(crate) teams_extension_assignments: bool,
    /// `POST /access/teamsExtension/:exchangeAccessToken` (the caller's Entra ID token as bearer).
    pub(crate) teams_extension_exchange: bool,
    /// `POST /access/entra/:exchangeAccessToken` (the caller's Entra ID token as bearer).
    pub(crate) entra_exchange: bool,
    /// `GET/PATCH /access/entra/assignments` and `GET/PUT/DELETE /access/entra/assignments/{objectId}`.
    pub(crate) entra_assignments: bool,
}

impl ApiVersion {
    /// Every version the emulator serves, oldest first.
    pub(crate) const ALL: [ApiVersion; 7] = [
        ApiVersion::V2021_03_07,
        ApiVersion::V2022_06_01,
        ApiVersion::V2022_10_01,
        ApiVersion::V2023_10_01,
        ApiVersion::V2025_03_02Preview,
        ApiVersion::V2025_06_30,
        ApiVersion::V2026_09_23,
    ];

    pub(crate) fn parse(s: &str) -> Option<ApiVersion> {
        ApiVersion::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V2021_03_07 => "2021-03-07",
            ApiVersion::V2022_06_01 => "2022-06-01",
            ApiVersion::V2022_10_01 => "2022-10-01",
            ApiVersion::V2023_10_01 => "2023-10-01",
            ApiVersion::V2025_03_02Preview => "2025-03-02-preview",
            ApiVersion::V2025_06_30 => "2025-06-30",
            ApiVersion::V2026_09_23 => "2026-09-23",
        }
    }

    /// The table: what each version has, as its published REST specification declares it
    /// (`specification/communication/data-plane/Identity/` in
    /// <https://github.com/Azure/azure-rest-api-specs>). `2025-06-30` declares neither
    /// `customId` nor `GET /identities/{id}`; `2026-09-23` has the same operations as
    /// `2025-06-30` (Azure/azure-rest-api-specs#45761: "API surface is intentionally identical").
    pub(crate) const fn features(self) -> Features {
        const NO: bool = false;
        const YES: bool = true;
        // Columns: expiresInMinutes, join scopes, Teams user exchange, customId, get identity,
        // Teams Extension assignments, Teams Extension exchange, Entra exchange, Entra
        // assignments.
        let (expiry, join, teams_user, custom_id, get, tx_assign, tx_exchange, entra_ex, entra_as) =
            match self {
                ApiVersion::V2021_03_07 => (NO, NO, NO, NO, NO, NO, NO, NO, NO),
                ApiVersion::V2022_06_01 => (NO, NO, YES, NO, NO, NO, NO, NO, NO),
                ApiVersion::V2022_10_01 => (YES, NO, YES, NO, NO, NO, NO, NO, NO),
                ApiVersion::V2023_10_01 => (YES, YES, YES, NO, NO, NO, NO, NO, NO),
                ApiVersion::V2025_03_02Preview => (YES, YES, YES, YES, YES, YES, YES, YES, YES),
                ApiVersion::V2025_06_30 | ApiVersion::V2026_09_23 => {
                    (YES, YES, YES, NO, NO, YES, YES, NO, NO)
                }
            };
        Features {
            custom_expiry: expiry,
            join_scopes: join,
            teams_user_exchange: teams_user,
            custom_id,
            get_identity: get,
            teams_extension_assignments: tx_assign,
            teams_extension_exchange: tx_exchange,
            entra_exchange: entra_ex,
            entra_assignments: entra_as,
        }
    }
}

/// One ACS operation; each exists in the versions whose [`Features`] have it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
    CreateIdentity,
    DeleteIdentity,
    GetIdentity,
    IssueToken,
    RevokeTokens,
    TeamsUserExchange,
    /// GET, PUT and DELETE of one Teams Extension assignment.
    TeamsExtensionAssignment,
    /// The Teams Extension (Teams Phone) token exchange.
    TeamsExtensionExchange,
    /// The Entra ID user token exchange.
    EntraExchange,
    /// The Entra assignments: list and bulk update, GET, PUT and DELETE of one.
    EntraAssignments,
}

impl Operation {
    pub(crate) fn supports(self, version: ApiVersion) -> bool {
        let f = version.features();
        match self {
            Operation::CreateIdentity
            | Operation::DeleteIdentity
            | Operation::IssueToken
            | Operation::RevokeTokens => true,
            Operation::GetIdentity => f.get_identity,
            Operation::TeamsUserExchange => f.teams_user_exchange,
            Operation::TeamsExtensionAssignment => f.teams_extension_assignments,
            Operation::TeamsExtensionExchange => f.teams_extension_exchange,
            Operation::EntraExchange => f.entra_exchange,
            Operation::EntraAssignments => f.entra_assignments,
        }
    }
}

/// The `api-supported-versions` value of a path serving `operations`: every version in which
/// at least one of them exists, oldest first, joined by `", "`.
pub(crate) fn supported_versions(operations: &[Operation]) -> String {
    ApiVersion::ALL
        .into_iter()
        .filter(|v| operations.iter().any(|op| op.supports(*v)))
        .map(ApiVersion::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the query string says about `api-version`.
pub(crate) enum ApiVersionParam<'a> {
    Missing,
    /// Present more than once with different values.
    Ambiguous,
    /// The (percent-decoded) value.
    Value(std::borrow::Cow<'a, str>),
}

/// Finds `api-version` in a raw query string (key compared case-insensitively).
pub(crate) fn find_api_version(query: Option<&str>) -> ApiVersionParam<'_> {
    let Some(query) = query else {
        return ApiVersionParam::Missing;
    };
    let mut found: Option<std::borrow::Cow<'_, str>> = None;
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if !key.eq_ignore_ascii_case("api-version") {
            continue;
        }
        let value = percent_encoding::percent_decode_str(value)
            .decode_utf8()
            .unwrap_or(std::borrow::Cow::Borrowed(value));
        match &found {
            Some(prev) if *prev != value => return ApiVersionParam::Ambiguous,
            Some(_) => {}
            None => found = Some(value),
        }
    }
    match found {
        Some(v) => ApiVersionParam::Value(v),
        None => ApiVersionParam::Missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn supported_versions_follow_the_table() {
        let all =
            "2021-03-07, 2022-06-01, 2022-10-01, 2023-10-01, 2025-03-02-preview, 2025-06-30, \
                   2026-09-23";
        assert_eq!(supported_versions(&[Operation::CreateIdentity]), all);
        assert_eq!(
            supported_versions(&[Operation::DeleteIdentity, Operation::GetIdentity]),
            all
        );
        assert_eq!(
            supported_versions(&[Operation::GetIdentity]),
            "2025-03-02-preview"
        );
        assert_eq!(
            supported_versions(&[Operation::TeamsUserExchange]),
            "2022-06-01, 2022-10-01, 2023-10-01, 2025-03-02-preview, 2025-06-30, 2026-09-23"
        );
        assert_eq!(
            supported_versions(&[Operation::TeamsExtensionAssignment]),
            "2025-03-02-preview, 2025-06-30, 2026-09-23"
        );
        assert_eq!(
            supported_versions(&[Operation::TeamsExtensionExchange]),
            "2025-03-02-preview, 2025-06-30, 2026-09-23"
        );
        assert_eq!(
            supported_versions(&[Operation::EntraExchange]),
            "2025-03-02-preview"
        );
        assert_eq!(
            supported_versions(&[Operation::EntraAssignments]),
            "2025-03-02-preview"
        );
        for v in ApiVersion::ALL {
            assert_eq!(ApiVersion::parse(v.as_str()), Some(v));
        }
        assert_eq!(ApiVersion::parse("2099-01-01"), None);
        assert_eq!(ApiVersion::parse("2025-04-01-preview"), None);
    }

    #[test]
    fn custom_id_only_in_the_preview() {
        let with: Vec<_> = ApiVersion::ALL
            .into_iter()
            .filter(|v| v.features().custom_id)
            .collect();
        assert_eq!(with, [ApiVersion::V2025_03_02Preview]);
    }

    #[test]
    fn the_2026_ga_has_what_2025_06_30_has() {
        assert_eq!(
            ApiVersion::V2026_09_23.features(),
            ApiVersion::V2025_06_30.features()
        );
        assert_eq!(
            ApiVersion::parse("2026-09-23"),
            Some(ApiVersion::V2026_09_23)
        );
    }
}
