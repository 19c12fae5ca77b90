//! `GET`, `PUT` and `DELETE /access/teamsExtension/tenants/{tenantId}/assignments/{objectId}`
//! (2025-03-02-preview, 2025-06-30 and 2026-09-23).
//!
//! The assignments are only stored and answered: nothing else in the emulator reads them.

use super::assignment_body::AssignmentBody;
use super::assignment_request::{self, TeamsExtensionRequest};
use super::response::{json, no_content};
use crate::body;
use crate::errors::AcsError;
use crate::ids::path_guid;
use crate::layers::body_limit::Buffered;
use crate::state::AppState;
use crate::store::{AssignmentRecord, PutOutcome};
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::Response;
use std::sync::Arc;

fn answer(status: StatusCode, a: &AssignmentRecord) -> Response {
    json(status, &AssignmentBody::from(a))
}

/// The `{tenantId}` and `{objectId}` of the path, percent-decoded and checked to be GUIDs
/// (lower-cased).
pub(super) struct AssignmentPath {
    tenant_id: String,
    object_id: String,
}

impl FromRequestParts<Arc<AppState>> for AssignmentPath {
    type Rejection = AcsError;

    async fn from_request_parts(parts: &mut Parts, _: &Arc<AppState>) -> Result<Self, AcsError> {
        // `/access/teamsExtension/tenants/{tenantId}/assignments/{objectId}`
        let segments: Vec<&str> = parts.uri.path().split('/').collect();
        let segment = |i: usize| {
            let raw = segments.get(i).copied().unwrap_or_default();
            crate::ids::decode_segment(raw).map_or_else(|| raw.to_owned(), |s| s.into_owned())
        };
        Ok(AssignmentPath {
            tenant_id: path_guid(&segment(4), "tenantId")?,
            object_id: path_guid(&segment(6), "objectId")?,
        })
    }
}

fn not_found(path: &AssignmentPath) -> AcsError {
    AcsError::new(
        StatusCode::NOT_FOUND,
        "AssignmentNotFound",
        format!(
            "No Teams Extension assignment exists for object '{}' in tenant '{}'.",
            path.object_id, path.tenant_id
        ),
    )
}

/// 200 with the assignment; 404 `AssignmentNotFound` when there is none.
pub(super) async fn get(
    State(state): State<Arc<AppState>>,
    path: AssignmentPath,
) -> Result<Response, AcsError> {
    state
        .store
        .assignment(&path.tenant_id, &path.object_id)
        .map(|a| answer(StatusCode::OK, &a))
        .ok_or_else(|| not_found(&path))
}

/// 201 when created, 200 when replaced; the body is the stored assignment (`clientIds` always
/// present, `[]` when none were given).
pub(super) async fn put(
    State(state): State<Arc<AppState>>,
    path: AssignmentPath,
    Buffered(bytes): Buffered,
) -> Result<Response, AcsError> {
    let req: TeamsExtensionRequest = body::parse(&bytes)?;
    let a = assignment_request::teams_extension(path.tenant_id, path.object_id, req)?;
    let outcome = state
        .store
        .put_assignment(a.clone())
        .await
        .map_err(|e| AcsError::internal(&e.0))?;
    let status = match outcome {
        PutOutcome::Created => StatusCode::CREATED,
        PutOutcome::Replaced => StatusCode::OK,
    };
    Ok(answer(status, &a))
}

/// 204; 404 `AssignmentNotFound` when there is none.
pub(super) async fn delete(
    State(state): State<Arc<AppState>>,
    path: AssignmentPath,
) -> Result<Response, AcsError> {
    let deleted = state
        .store
        .delete_assignment(&path.tenant_id, &path.object_id)
        .await
        .map_err(|e| AcsError::internal(&e.0))?;
    if deleted {
        Ok(no_content())
    } else {
        Err(not_found(&path))
    }
}
