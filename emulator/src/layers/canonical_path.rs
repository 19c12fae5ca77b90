//! Before routing: rewrites the path to the router's canonical spelling, so that route
//! literals match case-insensitively (`/IDENTITIES`, `:ISSUEACCESSTOKEN`,
//! `/access/TEAMSEXTENSION/...`), a `:` may arrive percent-encoded (`%3AissueAccessToken`),
//! and a trailing `/` is ignored. Path parameters (identity ids, tenant and object ids) are
//! left exactly as they arrived (percent-encoded or not): the handlers decode them.
//!
//! The request target as received is kept in [`OriginalTarget`]: HMAC signatures cover it, and
//! error messages quote it.

use axum::http::uri::{PathAndQuery, Uri};
use axum::http::Request;

/// The request target (path and query) exactly as it arrived on the request line.
#[derive(Debug, Clone)]
pub(crate) struct OriginalTarget(pub(crate) String);

/// The prefix of the emulator-only endpoints.
pub(crate) const EMULATOR_PREFIX: &str = "/_emulator";

/// Rewrites `req`'s path (see the module docs) and records the original target.
pub(crate) fn canonicalize<B>(mut req: Request<B>) -> Request<B> {
    let original = req
        .uri()
        .path_and_query()
        .map_or("/", PathAndQuery::as_str)
        .to_owned();
    // Paths hold identity ids, which are not secrets; the query holds only api-version.
    tracing::debug!(method = %req.method(), path = req.uri().path(), "request");
    if let Some(path) = canonical(req.uri().path()) {
        if let Some(uri) = with_path(req.uri(), &path) {
            *req.uri_mut() = uri;
        }
    }
    req.extensions_mut().insert(OriginalTarget(original));
    req
}

/// `uri` with another path (same scheme, authority and query).
fn with_path(uri: &Uri, path: &str) -> Option<Uri> {
    let path_and_query = match uri.query() {
        Some(q) => format!("{path}?{q}"),
        None => path.to_owned(),
    };
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = Some(path_and_query.parse().ok()?);
    Uri::from_parts(parts).ok()
}

/// The canonical path, or `None` to leave the path alone (it names no route).
fn canonical(path: &str) -> Option<String> {
    if let Some(rest) = strip_prefix_ignore_case(path, "/_emulator/") {
        let rest = if rest.eq_ignore_ascii_case("health") {
            "health"
        } else if ["tokens:validate", "tokens%3Avalidate", "validate"]
            .iter()
            .any(|r| rest.eq_ignore_ascii_case(r))
        {
            "tokens:validate"
        } else {
            rest
        };
        return Some(format!("{EMULATOR_PREFIX}/{rest}"));
    }
    let p = path.strip_prefix('/')?;
    let p = p.strip_suffix('/').unwrap_or(p);
    let mut it = p.split('/');
    let first = it.next()?;
    let (second, third, fourth) = (it.next(), it.next(), it.next());
    if first.eq_ignore_ascii_case("identities") {
        match (second, third, fourth) {
            (None, _, _) => Some("/identities".to_owned()),
            (Some(id), None, _) if !id.is_empty() => Some(format!("/identities/{id}")),
            (Some(id), Some(verb), None) if !id.is_empty() => {
                ["issueAccessToken", "revokeAccessTokens"]
                    .into_iter()
                    .find(|v| is_verb(verb, v))
                    .map(|v| format!("/identities/{id}/:{v}"))
            }
            _ => None,
        }
    } else if first.eq_ignore_ascii_case("access") {
        access_path(p)
    } else if first.eq_ignore_ascii_case("teamsUser")
        && third.is_none()
        && second.is_some_and(|s| is_verb(s, "exchangeAccessToken"))
    {
        Some("/teamsUser/:exchangeAccessToken".to_owned())
    } else {
        None
    }
}

/// The `access/...` routes (without the leading `/`, literals in any case) in their canonical
/// spelling: the two user-token exchanges, the Entra assignments, a Teams Extension assignment.
fn access_path(p: &str) -> Option<String> {
    let s: Vec<&str> = p.split('/').collect();
    match s.as_slice() {
        [_, area, verb] if is_verb(verb, "exchangeAccessToken") => {
            if area.eq_ignore_ascii_case("teamsExtension") {
                Some("/access/teamsExtension/:exchangeAccessToken".to_owned())
            } else if area.eq_ignore_ascii_case("entra") {
                Some("/access/entra/:exchangeAccessToken".to_owned())
            } else {
                None
            }
        }
        [_, area, assignments]
            if area.eq_ignore_ascii_case("entra")
                && assignments.eq_ignore_ascii_case("assignments") =>
        {
            Some("/access/entra/assignments".to_owned())
        }
        [_, area, assignments, object]
            if area.eq_ignore_ascii_case("entra")
                && assignments.eq_ignore_ascii_case("assignments")
                && !object.is_empty() =>
        {
            Some(format!("/access/entra/assignments/{object}"))
        }
        _ => assignment_path(p),
    }
}

/// `access/teamsExtension/tenants/{tenantId}/assignments/{objectId}` (without the leading
/// `/`, literals in any case) in its canonical spelling.
fn assignment_path(p: &str) -> Option<String> {
    let s: Vec<&str> = p.split('/').collect();
    let [access, extension, tenants, tenant, assignments, object] = s.as_slice() else {
        return None;
    };
    let literals = [
        (access, "access"),
        (extension, "teamsExtension"),
        (tenants, "tenants"),
        (assignments, "assignments"),
    ];
    (literals
        .iter()
        .all(|(got, want)| got.eq_ignore_ascii_case(want))
        && !tenant.is_empty()
        && !object.is_empty())
    .then(|| format!("/access/teamsExtension/tenants/{tenant}/assignments/{object}"))
}

/// A path literal such as `:issueAccessToken`, compared case-insensitively; the colon may
/// arrive percent-encoded.
fn is_verb(segment: &str, verb: &str) -> bool {
    let rest = if let Some(r) = segment.strip_prefix(':') {
        r
    } else if let Some(r) = strip_prefix_ignore_case(segment, "%3a") {
        r
    } else {
        return false;
    };
    rest.eq_ignore_ascii_case(verb)
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    s.get(..prefix.len())
        .filter(|p| p.eq_ignore_ascii_case(prefix))
        .map(|_| &s[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_paths() {
        let c = |p: &str| canonical(p);
        assert_eq!(c("/identities").as_deref(), Some("/identities"));
        assert_eq!(c("/IDENTITIES/").as_deref(), Some("/identities"));
        assert_eq!(
            c("/identities/8%3Aacs%3Ax").as_deref(),
            Some("/identities/8%3Aacs%3Ax")
        );
        assert_eq!(
            c("/identities/8:acs:x/:issueAccessToken").as_deref(),
            Some("/identities/8:acs:x/:issueAccessToken")
        );
        assert_eq!(
            c("/identities/x/:ISSUEACCESSTOKEN").as_deref(),
            Some("/identities/x/:issueAccessToken")
        );
        assert_eq!(
            c("/identities/x/%3ArevokeAccessTokens").as_deref(),
            Some("/identities/x/:revokeAccessTokens")
        );
        assert_eq!(c("/identities/x/revokeAccessTokens"), None);
        assert_eq!(c("/identities/x/:other"), None);
        assert_eq!(c("/identities//:issueAccessToken"), None);
        assert_eq!(
            c("/teamsuser/:exchangeaccesstoken").as_deref(),
            Some("/teamsUser/:exchangeAccessToken")
        );
        assert_eq!(c("/teamsUser"), None);
        assert_eq!(
            c("/ACCESS/teamsextension/Tenants/T%2D1/ASSIGNMENTS/o/").as_deref(),
            Some("/access/teamsExtension/tenants/T%2D1/assignments/o")
        );
        assert_eq!(c("/access/teamsExtension/tenants//assignments/o"), None);
        assert_eq!(c("/access/teamsExtension/tenants/t/assignments"), None);
        assert_eq!(c("/access/teamsExtension/tenants/t/assignments/o/x"), None);
        assert_eq!(c("/access/other/tenants/t/assignments/o"), None);
        assert_eq!(
            c("/ACCESS/TeamsExtension/%3AExchangeAccessToken/").as_deref(),
            Some("/access/teamsExtension/:exchangeAccessToken")
        );
        assert_eq!(
            c("/access/ENTRA/:exchangeaccesstoken").as_deref(),
            Some("/access/entra/:exchangeAccessToken")
        );
        assert_eq!(c("/access/other/:exchangeAccessToken"), None);
        assert_eq!(c("/access/entra/exchangeAccessToken"), None);
        assert_eq!(
            c("/Access/Entra/Assignments/").as_deref(),
            Some("/access/entra/assignments")
        );
        assert_eq!(
            c("/access/entra/ASSIGNMENTS/O%2D1").as_deref(),
            Some("/access/entra/assignments/O%2D1")
        );
        assert_eq!(c("/access/entra/assignments//x"), None);
        assert_eq!(c("/access/entra/other"), None);
        assert_eq!(c("/access/entra/assignments/o/x"), None);
        assert_eq!(c("/"), None);
        assert_eq!(c(""), None);
        assert_eq!(c("/identities/a/b/c"), None);
        assert_eq!(c("/identities/x/:é"), None);
        assert_eq!(c("/identities/x/é€"), None);
        assert_eq!(c("/é€/x"), None);
        assert_eq!(
            c("/_EMULATOR/Tokens%3AValidate").as_deref(),
            Some("/_emulator/tokens:validate")
        );
        assert_eq!(
            c("/_emulator/VALIDATE").as_deref(),
            Some("/_emulator/tokens:validate")
        );
        assert_eq!(c("/_Emulator/Health").as_deref(), Some("/_emulator/health"));
        assert_eq!(
            c("/_emulator/nothing").as_deref(),
            Some("/_emulator/nothing")
        );
    }

    #[test]
    fn keeps_the_query_and_the_original_target() {
        let req = Request::builder()
            .uri("/Identities/8%3Aacs%3Ax/%3AIssueAccessToken?api-version=2023-10-01")
            .body(())
            .unwrap();
        let req = canonicalize(req);
        assert_eq!(
            req.uri(),
            "/identities/8%3Aacs%3Ax/:issueAccessToken?api-version=2023-10-01"
        );
        assert_eq!(
            req.extensions().get::<OriginalTarget>().unwrap().0,
            "/Identities/8%3Aacs%3Ax/%3AIssueAccessToken?api-version=2023-10-01"
        );
    }
}
