//! The api-versions the emulator serves and what each one allows.

/// A supported api-version, ordered by date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ApiVersion {
    V2021_03_07,
    V2022_06_01,
    V2022_10_01,
    V2023_10_01,
}

/// `api-supported-versions` for the `/identities` routes.
pub(crate) const IDENTITIES_SUPPORTED: &str = "2021-03-07, 2022-06-01, 2022-10-01, 2023-10-01";
/// `api-supported-versions` for `/teamsUser/:exchangeAccessToken`.
pub(crate) const TEAMS_SUPPORTED: &str = "2022-06-01, 2022-10-01, 2023-10-01";

impl ApiVersion {
    pub(crate) fn parse(s: &str) -> Option<ApiVersion> {
        match s {
            "2021-03-07" => Some(ApiVersion::V2021_03_07),
            "2022-06-01" => Some(ApiVersion::V2022_06_01),
            "2022-10-01" => Some(ApiVersion::V2022_10_01),
            "2023-10-01" => Some(ApiVersion::V2023_10_01),
            _ => None,
        }
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
