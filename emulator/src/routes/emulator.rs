//! Emulator-only endpoints, outside the ACS API (no authentication, no fault injection):
//!
//! * `POST /_emulator/tokens:validate` with `{"token":"..."}`, or
//!   `GET /_emulator/tokens:validate?token=...` (also `/_emulator/validate`): 200 with
//!   `{"valid":bool,"reason":"valid|expired|revoked|identityDeleted|unknownIdentity|badSignature|malformed","message":...,"identity"?,"scopes"?,"issuedAt"?,"expiresOn"?}`.
//! * `GET /_emulator/health`: 200 `{"status":"ok","identities":<count>}`.

use super::response::json;
use crate::body::{self, ValidateRequest};
use crate::errors::AcsError;
use crate::layers::body_limit::Buffered;
use crate::state::AppState;
use crate::timefmt;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use serde::Serialize;
use std::sync::Arc;

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

/// `GET /_emulator/health`.
pub(super) async fn health(State(state): State<Arc<AppState>>) -> Response {
    let body = serde_json::json!({
        "status": "ok",
        "identities": state.store.len(),
    });
    json(StatusCode::OK, &body)
}

/// `POST /_emulator/tokens:validate` with `{"token":"..."}`.
pub(super) async fn validate_body(
    State(state): State<Arc<AppState>>,
    Buffered(bytes): Buffered,
) -> Result<Response, AcsError> {
    let token = body::parse::<ValidateRequest>(&bytes)?.token;
    validate(&state, token)
}

/// `GET /_emulator/tokens:validate?token=...`.
pub(super) async fn validate_query(
    State(state): State<Arc<AppState>>,
    uri: Uri,
) -> Result<Response, AcsError> {
    let token = uri.query().and_then(|q| {
        q.split('&').find_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            (k == "token").then(|| {
                percent_encoding::percent_decode_str(&v.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            })
        })
    });
    validate(&state, token)
}

fn validate(state: &AppState, token: Option<String>) -> Result<Response, AcsError> {
    let Some(token) = token.filter(|t| !t.trim().is_empty()) else {
        return Err(AcsError::validation(
            "Token: The Token field is required.",
            "Token",
        ));
    };
    let v = state.validate_token(&token);
    let body = Validation {
        valid: v.is_valid(),
        reason: v.status.as_str(),
        message: v.status.description(),
        identity: v.identity.as_deref(),
        scopes: v.identity.as_ref().map(|_| v.scopes.as_slice()),
        issued_at: v.issued_at.map(timefmt::rfc3339_utc),
        expires_on: v
            .expires_on
            .map(|t| timefmt::expires_on(t.unix_timestamp())),
    };
    Ok(json(StatusCode::OK, &body))
}
