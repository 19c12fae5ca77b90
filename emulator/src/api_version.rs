//! The api-versions the emulator serves and what each one allows.

/// A supported api-version, ordered by date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ApiVersion {
    V2021_03_07,
    V2022_06_01,
    V2022_10_01,
    V2023_10_01,
}

impl ApiVersion {
    /// Every version the emulator serves, oldest first.
    pub(crate) const ALL: [ApiVersion; 4] = [
        ApiVersion::V2021_03_07,
        ApiVersion::V2022_06_01,
        ApiVersion::V2022_10_01,
        ApiVersion::V2023_10_01,
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
        }
    }

    /// `expiresInMinutes` on create and issue (2022-10-01 on).
    pub(crate) fn has_custom_expiry(self) -> bool {
        self >= ApiVersion::V2022_10_01
    }

    /// The `chat.join`, `chat.join.limited` and `voip.join` scopes (2023-10-01 on).
    pub(crate) fn has_join_scopes(self) -> bool {
        self >= ApiVersion::V2023_10_01
    }

    /// `POST /teamsUser/:exchangeAccessToken` with `{token, appId, userId}` (2022-06-01 on).
    pub(crate) fn has_teams_exchange(self) -> bool {
        self >= ApiVersion::V2022_06_01
    }
}

/// The two groups of routes, which exist in different sets of versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Api {
    /// `/identities...`: every version.
    Identities,
    /// `/teamsUser/:exchangeAccessToken`: from 2022-06-01 on.
    TeamsExchange,
}

impl Api {
    pub(crate) fn supports(self, version: ApiVersion) -> bool {
        match self {
            Api::Identities => true,
            Api::TeamsExchange => version.has_teams_exchange(),
        }
    }

    /// The versions this group exists in, oldest first.
    pub(crate) fn versions(self) -> impl Iterator<Item = ApiVersion> {
        ApiVersion::ALL
            .into_iter()
            .filter(move |v| self.supports(*v))
    }

    /// The `api-supported-versions` header value: the versions joined by `", "`.
    pub(crate) fn supported_versions(self) -> String {
        self.versions()
            .map(ApiVersion::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    }
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
    fn supported_versions_follow_the_enum() {
        assert_eq!(
            Api::Identities.supported_versions(),
            "2021-03-07, 2022-06-01, 2022-10-01, 2023-10-01"
        );
        assert_eq!(
            Api::TeamsExchange.supported_versions(),
            "2022-06-01, 2022-10-01, 2023-10-01"
        );
        for v in ApiVersion::ALL {
            assert_eq!(ApiVersion::parse(v.as_str()), Some(v));
        }
        assert_eq!(ApiVersion::parse("2099-01-01"), None);
    }
}
