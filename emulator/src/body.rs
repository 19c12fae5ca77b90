//! Request bodies of the ACS operations and how they are read: a missing body, `{}` and
//! explicit `null`s all mean "absent".

use crate::api_version::ApiVersion;
use crate::errors::{truncate, AcsError};
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// `POST /identities`
#[derive(Debug, Default, Deserialize)]
pub(crate) struct CreateRequest {
    #[serde(
        default,
        rename = "createTokenWithScopes",
        alias = "CreateTokenWithScopes"
    )]
    pub(crate) scopes: Option<Vec<String>>,
    #[serde(default, rename = "expiresInMinutes", alias = "ExpiresInMinutes")]
    pub(crate) expires_in_minutes: Option<i64>,
    /// Any JSON: versions without `customId` ignore it whatever it is (see
    /// [`crate::custom_id`]).
    #[serde(default, rename = "customId", alias = "CustomId")]
    pub(crate) custom_id: Option<serde_json::Value>,
}

/// `POST /identities/{id}/:issueAccessToken`
#[derive(Debug, Default, Deserialize)]
pub(crate) struct IssueRequest {
    #[serde(default, alias = "Scopes")]
    pub(crate) scopes: Option<Vec<String>>,
    #[serde(default, rename = "expiresInMinutes", alias = "ExpiresInMinutes")]
    pub(crate) expires_in_minutes: Option<i64>,
}

/// `POST /teamsUser/:exchangeAccessToken`
#[derive(Debug, Default, Deserialize)]
pub(crate) struct TeamsExchangeRequest {
    #[serde(default, alias = "Token")]
    pub(crate) token: Option<String>,
    #[serde(default, rename = "appId", alias = "AppId")]
    pub(crate) app_id: Option<String>,
    #[serde(default, rename = "userId", alias = "UserId")]
    pub(crate) user_id: Option<String>,
}

/// `POST /_emulator/tokens:validate`
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ValidateRequest {
    #[serde(default)]
    pub(crate) token: Option<String>,
}

/// Parses a JSON body; empty, whitespace-only and `null` bodies give the default.
pub(crate) fn parse<T: DeserializeOwned + Default>(bytes: &[u8]) -> Result<T, AcsError> {
    let trimmed = bytes.trim_ascii();
    if trimmed.is_empty() || trimmed == b"null" {
        return Ok(T::default());
    }
    if trimmed[0] != b'{' {
        return Err(AcsError::bad_body("expected a JSON object"));
    }
    serde_json::from_slice(trimmed).map_err(AcsError::bad_body)
}

/// The token scopes (`CommunicationIdentityTokenScope`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    Chat,
    Voip,
    ChatJoin,
    ChatJoinLimited,
    VoipJoin,
}

impl Scope {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Scope::Chat => "chat",
            Scope::Voip => "voip",
            Scope::ChatJoin => "chat.join",
            Scope::ChatJoinLimited => "chat.join.limited",
            Scope::VoipJoin => "voip.join",
        }
    }

    fn parse(s: &str, version: ApiVersion) -> Option<Scope> {
        let scope = [
            Scope::Chat,
            Scope::Voip,
            Scope::ChatJoin,
            Scope::ChatJoinLimited,
            Scope::VoipJoin,
        ]
        .into_iter()
        .find(|sc| sc.as_str().eq_ignore_ascii_case(s))?;
        let join = matches!(
            scope,
            Scope::ChatJoin | Scope::ChatJoinLimited | Scope::VoipJoin
        );
        (!join || version.features().join_scopes).then_some(scope)
    }
}

/// Checks scope names against the api-version and joins them for the `acsScope` claim
/// (duplicates dropped, request order kept).
pub(crate) fn scopes_claim(list: &[String], version: ApiVersion) -> Result<String, AcsError> {
    let mut seen: Vec<Scope> = Vec::with_capacity(list.len());
    for s in list {
        let Some(scope) = Scope::parse(s, version) else {
            let allowed = if version.features().join_scopes {
                "chat, voip, chat.join, chat.join.limited, voip.join"
            } else {
                "chat, voip"
            };
            return Err(AcsError::validation(
                format!(
                    "Scopes: The value '{}' is not a valid scope for api-version {}. Valid scopes: {allowed}.",
                    truncate(s, 64),
                    version.as_str()
                ),
                "Scopes",
            ));
        };
        if !seen.contains(&scope) {
            seen.push(scope);
        }
    }
    let mut out = String::new();
    for (i, s) in seen.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(s.as_str());
    }
    Ok(out)
}

/// `expiresInMinutes` → minutes: absent = 1440; outside [60, 1440] = the service's 400.
/// Versions without the field (before 2022-10-01) ignore it.
pub(crate) fn expiry_minutes(value: Option<i64>, version: ApiVersion) -> Result<i64, AcsError> {
    match value {
        Some(v) if version.features().custom_expiry => {
            if (60..=1440).contains(&v) {
                Ok(v)
            } else {
                Err(AcsError::validation(
                    format!("ExpiresInMinutes value {v} is invalid. Value must be within the [60, 1440] interval."),
                    "ExpiresInMinutes",
                ))
            }
        }
        _ => Ok(1440),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_forms() {
        for b in [
            &b""[..],
            b"  ",
            b"null",
            b"{}",
            br#"{"createTokenWithScopes":null,"expiresInMinutes":null}"#,
        ] {
            let r: CreateRequest = parse(b).unwrap();
            assert!(r.scopes.is_none() && r.expires_in_minutes.is_none());
        }
        assert!(parse::<CreateRequest>(b"{").is_err());
        assert!(parse::<CreateRequest>(b"[]").is_err());
        assert!(parse::<IssueRequest>(br#"{"scopes":"chat"}"#).is_err());
    }

    #[test]
    fn scope_rules() {
        let v10 = ApiVersion::V2023_10_01;
        let v03 = ApiVersion::V2021_03_07;
        let l = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            scopes_claim(&l(&["chat", "VOIP", "chat"]), v10).unwrap(),
            "chat,voip"
        );
        assert_eq!(
            scopes_claim(&l(&["chat.join.limited"]), v10).unwrap(),
            "chat.join.limited"
        );
        assert!(scopes_claim(&l(&["chat.join"]), v03).is_err());
        assert!(scopes_claim(&l(&["email"]), v10).is_err());
    }

    #[test]
    fn expiry_rules() {
        let v = ApiVersion::V2023_10_01;
        assert_eq!(expiry_minutes(None, v).unwrap(), 1440);
        assert_eq!(expiry_minutes(Some(60), v).unwrap(), 60);
        let e = expiry_minutes(Some(1441), v).unwrap_err();
        assert_eq!(
            e.message,
            "ExpiresInMinutes value 1441 is invalid. Value must be within the [60, 1440] interval."
        );
        assert_eq!(e.target, Some("ExpiresInMinutes"));
        assert_eq!(
            expiry_minutes(Some(59), ApiVersion::V2022_06_01).unwrap(),
            1440
        );
    }
}
