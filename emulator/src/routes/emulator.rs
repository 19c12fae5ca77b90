//! Emulator-only endpoints, outside the ACS API (no authentication, no fault injection):
//!
//! * `POST /_emulator/tokens:validate` with `{"token":"..."}`, or
//!   `GET /_emulator/tokens:validate?token=...` (also `/_emulator/validate`): 200 with
//!   `{"valid":bool,"reason":"valid|expired|revoked|identityDeleted|unknownIdentity|badSignature|malformed","message":...,"identity"?,"scopes"?,"issuedAt"?,"expiresOn"?}`.
//! * `GET /_emulator/health`: 200 `{"status":"ok","identities":<count>}`.

use super::{json, read_body};
use crate::body::{self, ValidateRequest};
use crate::errors::AcsError;
use crate::state::AppState;
use crate::timefmt;
use axum::body::Body;
use axum::http::{request::Parts, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

#[derive(Serialize)]
struct Validation<'a> {
    valid: bool,
    reason: &'static str,
    message: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    identity: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scopes: Option<&'a [String]>,
    #[serde(rename = "issuedAt", skip_serializing_if = "Option::is_none")]
    issued_at: Option<String>,
    #[serde(rename = "expiresOn", skip_serializing_if = "Option::is_none")]
    expires_on: Option<String>,
}

pub(super) async fn handle(state: &AppState, parts: &Parts, body: Body) -> Response {
    match route(state, parts, body).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn route(state: &AppState, parts: &Parts, body: Body) -> Result<Response, AcsError> {
    let rest = &parts.uri.path()["/_emulator/".len()..];
    if rest.eq_ignore_ascii_case("health") && parts.method == Method::GET {
        let body = serde_json::to_vec(&serde_json::json!({
            "status": "ok",
            "identities": state.store.len(),
        }))
        .unwrap_or_default();
        return Ok(json(StatusCode::OK, body));
    }
    let is_validate = ["tokens:validate", "tokens%3Avalidate", "validate"]
        .iter()
        .any(|r| rest.eq_ignore_ascii_case(r));
    if !is_validate {
        return Err(AcsError::no_route());
    }
    let token = if parts.method == Method::POST {
        let bytes = read_body(body, &parts.headers, state.max_body_bytes).await?;
        body::parse::<ValidateRequest>(&bytes)?.token
    } else if parts.method == Method::GET {
        parts.uri.query().and_then(|q| {
            q.split('&').find_map(|pair| {
                let (k, v) = pair.split_once('=')?;
                (k == "token").then(|| {
                    percent_encoding::percent_decode_str(&v.replace('+', " "))
                        .decode_utf8_lossy()
                        .into_owned()
                })
            })
        })
    } else {
        return Err(AcsError::method_not_allowed(parts.method.as_str()));
    };
    let Some(token) = token.filter(|t| !t.trim().is_empty()) else {
        return Err(AcsError::validation(
            "Token: The Token field is required.",
            "Token",
        ));
    };
    let v = state.validate_token(&token);
    let body = serde_json::to_vec(&Validation {
        valid: v.is_valid(),
        reason: v.status.as_str(),
        message: v.status.description(),
        identity: v.identity.as_deref(),
        scopes: v.identity.as_ref().map(|_| v.scopes.as_slice()),
        issued_at: v.issued_at.map(timefmt::rfc3339_utc),
        expires_on: v
            .expires_on
            .map(|t| timefmt::expires_on(t.unix_timestamp())),
    })
    .unwrap_or_default();
    Ok(json(StatusCode::OK, body))
}
