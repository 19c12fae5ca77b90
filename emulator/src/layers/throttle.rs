//! `--throttle`: each throttled operation passes through its window ([`crate::throttle`])
//! once it is routed, authenticated and its api-version checked (requests refused before do
//! not count; requests refused by body validation do, as they reached the operation). Over
//! the limit: `429 TooManyRequests` with `Retry-After`, and nothing happens.

use super::body_limit::buffered;
use crate::api_version::Operation;
use crate::errors::AcsError;
use crate::state::AppState;
use crate::throttle::{retry_after_secs, ThrottledOperation};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The throttled operation of an ACS operation (`None`: the service lists no limit for it).
/// `POST /identities` is createUserAndToken when its body asks for a token.
fn throttled(operation: Operation, body: &[u8]) -> Option<ThrottledOperation> {
    Some(match operation {
        Operation::CreateIdentity if creates_token(body) => ThrottledOperation::CreateUserAndToken,
        Operation::CreateIdentity => ThrottledOperation::CreateIdentity,
        Operation::DeleteIdentity => ThrottledOperation::DeleteIdentity,
        Operation::IssueToken => ThrottledOperation::IssueToken,
        Operation::RevokeTokens => ThrottledOperation::RevokeTokens,
        Operation::TeamsUserExchange => ThrottledOperation::TeamsUserExchange,
        _ => return None,
    })
}

/// True when a create body has a non-empty `createTokenWithScopes` (any case of the name).
/// A body that is not a JSON object creates no token (its create answers 400 anyway).
fn creates_token(body: &[u8]) -> bool {
    let Ok(serde_json::Value::Object(fields)) = serde_json::from_slice(body) else {
        return false;
    };
    fields.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("createTokenWithScopes")
            && v.as_array().is_some_and(|a| !a.is_empty())
    })
}

pub(crate) async fn limit(
    State((state, operation)): State<(Arc<AppState>, Operation)>,
    req: Request,
    next: Next,
) -> Response {
    let Some(throttle) = &state.throttle else {
        return next.run(req).await;
    };
    let (parts, body) = req.into_parts();
    let bytes = match buffered(body).await {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let Some(op) = throttled(operation, &bytes) else {
        return next
            .run(Request::from_parts(parts, Body::from(bytes)))
            .await;
    };
    match throttle.admit(op, tokio::time::Instant::now()) {
        Ok(()) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Err(wait) => too_many_requests(op, retry_after_secs(wait), throttle.limit_text(op)),
    }
}

/// The 429. The service's throttling body is not recorded: the code is the one of the
/// emulator's injected 429s, the message says which limit was hit.
fn too_many_requests(op: ThrottledOperation, secs: u64, limit: String) -> Response {
    let mut resp = AcsError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "TooManyRequests",
        format!(
            "Rate limit is exceeded. Try again in {secs} seconds. (acs-identity-emulator --throttle: {} allows {limit})",
            op.name()
        ),
    )
    .into_response();
    resp.headers_mut()
        .insert("retry-after", HeaderValue::from(secs));
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_with_a_token_is_create_user_and_token() {
        let create = |b: &[u8]| throttled(Operation::CreateIdentity, b);
        assert_eq!(create(b""), Some(ThrottledOperation::CreateIdentity));
        assert_eq!(create(b"{}"), Some(ThrottledOperation::CreateIdentity));
        assert_eq!(
            create(br#"{"createTokenWithScopes":[]}"#),
            Some(ThrottledOperation::CreateIdentity)
        );
        assert_eq!(
            create(br#"{"CreateTokenWithScopes":["chat"]}"#),
            Some(ThrottledOperation::CreateUserAndToken)
        );
        assert_eq!(throttled(Operation::GetIdentity, b""), None);
        assert_eq!(throttled(Operation::TeamsExtensionExchange, b""), None);
    }
}
