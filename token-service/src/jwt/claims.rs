//! From a verified token's claims to the [`Caller`]: the user claim qualified by issuer and
//! tenant, and the required scope or role.

use crate::caller::Caller;
use serde_json::{Map, Value};

/// The app user key: issuer, tenant (`-` when the token has no `tid`) and user, each
/// escaped so the `|` between them is unambiguous (`%` -> `%25`, `|` -> `%7C`, and a
/// literal `-` alone -> `%2D`, so a tenant named `-` differs from no tenant).
pub fn app_user_key(issuer: &str, tenant: Option<&str>, user: &str) -> String {
    let tenant = match tenant {
        Some(t) => escape(t),
        None => "-".to_owned(),
    };
    format!("{}|{}|{}", escape(issuer), tenant, escape(user))
}

fn escape(part: &str) -> String {
    if part == "-" {
        return "%2D".to_owned();
    }
    part.replace('%', "%25").replace('|', "%7C")
}

fn string_claim<'a>(claims: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    claims
        .get(name)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// The caller named by `claims`, or what is missing (a message without claim values).
pub(crate) fn caller(
    claims: &Map<String, Value>,
    issuer: &str,
    user_claim: &str,
    fallback: Option<&str>,
) -> Result<Caller, String> {
    let user = string_claim(claims, user_claim)
        .or_else(|| fallback.and_then(|f| string_claim(claims, f)))
        .ok_or_else(|| match fallback {
            Some(f) => format!("the token has no `{user_claim}` or `{f}` claim naming the user"),
            None => format!("the token has no `{user_claim}` claim naming the user"),
        })?;
    Ok(Caller {
        app_user: app_user_key(issuer, string_claim(claims, "tid"), user),
        object_id: string_claim(claims, "oid").map(str::to_owned),
    })
}

/// Whether the token grants the required scope (`scp`, space-separated) or role (`roles`).
/// With neither required, every token does.
pub(crate) fn grants(claims: &Map<String, Value>, scope: Option<&str>, role: Option<&str>) -> bool {
    if scope.is_none() && role.is_none() {
        return true;
    }
    let has_scope = scope.is_some_and(|wanted| {
        string_claim(claims, "scp").is_some_and(|scp| scp.split(' ').any(|s| s == wanted))
    });
    let has_role = role.is_some_and(|wanted| {
        claims
            .get("roles")
            .and_then(Value::as_array)
            .is_some_and(|roles| roles.iter().any(|r| r.as_str() == Some(wanted)))
    });
    has_scope || has_role
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_user_keys_are_unambiguous() {
        assert_ne!(
            app_user_key("a|b", Some("c"), "d"),
            app_user_key("a", Some("b|c"), "d")
        );
        assert_ne!(
            app_user_key("i", None, "u"),
            app_user_key("i", Some("-"), "u")
        );
        assert_ne!(
            app_user_key("i", Some("t"), "u%7C"),
            app_user_key("i", Some("t"), "u|")
        );
        assert_eq!(app_user_key("https://i/", Some("t"), "u"), "https://i/|t|u");
    }
}
