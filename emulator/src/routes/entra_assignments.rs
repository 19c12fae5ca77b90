//! The Entra assignments (2025-03-02-preview): which Entra ID users, groups or whole tenants
//! may exchange their Entra ID tokens for ACS tokens (`POST /access/entra/:exchangeAccessToken`),
//! and through which client applications. Bodies are checked in [`super::assignment_request`].
//!
//! * `GET /access/entra/assignments`: `200 {"value": [...], "nextLink"?}` in objectId order,
//!   [`AppState::entra_page_size`] per page. `nextLink` (only when another page follows) is
//!   absolute, on the scheme and host the request used, and keeps the `api-version`; its
//!   `continuationToken` is the objectId the page ended with (clients pass it back as given).
//! * `PATCH /access/entra/assignments` (`Content-Type: application/merge-patch+json`) with
//!   `{"<objectId>": {assignment} | null, ...}`: every entry is checked first, then all are
//!   applied at once (or none, when storage fails). `null` removes (nothing to remove is fine).
//!   `200 {"value": [...]}`: the assignments created or replaced, in objectId order.
//! * `GET`, `PUT` (201 created / 200 replaced) and `DELETE` (204; 404 when there is none)
//!   `/access/entra/assignments/{objectId}`.

use super::assignment_body::AssignmentBody;
use super::assignment_request::{self, EntraRequest};
use super::response::{json, no_content};
use crate::api_version::ApiVersion;
use crate::body;
use crate::errors::{truncate, AcsError};
use crate::ids::{guid, path_guid};
use crate::layers::body_limit::Buffered;
use crate::layers::request_host;
use crate::state::AppState;
use crate::store::{AssignmentRecord, EntraChange, PutOutcome};
use axum::extract::{Extension, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::Response;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The query parameter of `nextLink` that says where the next page starts.
const CONTINUATION: &str = "continuationToken";

/// `EntraAssignmentsResponse`
#[derive(Serialize)]
struct ListBody<'a> {
    value: Vec<AssignmentBody<'a>>,
    #[serde(rename = "nextLink", skip_serializing_if = "Option::is_none")]
    next_link: Option<String>,
}

fn list_answer(records: &[AssignmentRecord], next_link: Option<String>) -> Response {
    json(
        StatusCode::OK,
        &ListBody {
            value: records.iter().map(AssignmentBody::from).collect(),
            next_link,
        },
    )
}

/// The percent-decoded value of query parameter `name` (compared case-insensitively).
fn query_param(uri: &Uri, name: &str) -> Option<String> {
    uri.query()?.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        k.eq_ignore_ascii_case(name).then(|| {
            percent_encoding::percent_decode_str(v)
                .decode_utf8_lossy()
                .into_owned()
        })
    })
}

/// `GET /access/entra/assignments`: one page.
pub(super) async fn list(
    State(state): State<Arc<AppState>>,
    Extension(version): Extension<ApiVersion>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AcsError> {
    let after = match query_param(&uri, CONTINUATION) {
        None => None,
        Some(token) => Some(guid(&token).ok_or_else(|| {
            AcsError::validation(
                format!(
                    "The continuationToken '{}' is not valid: follow the nextLink of the previous page as given.",
                    truncate(&token, 64)
                ),
                CONTINUATION,
            )
        })?),
    };
    let (page, more) = state
        .store
        .entra_page(after.as_deref(), state.entra_page_size);
    let next_link = match page.last() {
        Some(last) if more => Some(format!(
            "{}://{}/access/entra/assignments?api-version={}&{CONTINUATION}={}",
            state.scheme,
            truncate(request_host(&headers, &uri).unwrap_or("localhost"), 256),
            version.as_str(),
            last.object_id
        )),
        _ => None,
    };
    Ok(list_answer(&page, next_link))
}

/// The `objectId` of `/access/entra/assignments/{objectId}`, percent-decoded and checked to be
/// a GUID (lower-cased).
pub(super) struct ObjectPath(String);

impl FromRequestParts<Arc<AppState>> for ObjectPath {
    type Rejection = AcsError;

    async fn from_request_parts(parts: &mut Parts, _: &Arc<AppState>) -> Result<Self, AcsError> {
        let raw = parts.uri.path().split('/').nth(4).unwrap_or_default();
        let decoded =
            crate::ids::decode_segment(raw).map_or_else(|| raw.to_owned(), |s| s.into_owned());
        path_guid(&decoded, "objectId").map(ObjectPath)
    }
}

fn not_found(object_id: &str) -> AcsError {
    AcsError::new(
        StatusCode::NOT_FOUND,
        "AssignmentNotFound",
        format!("No Entra assignment exists for object '{object_id}'."),
    )
}

/// 200 with the assignment; 404 `AssignmentNotFound` when there is none.
pub(super) async fn get(
    State(state): State<Arc<AppState>>,
    ObjectPath(object_id): ObjectPath,
) -> Result<Response, AcsError> {
    state
        .store
        .entra_assignment(&object_id)
        .map(|r| json(StatusCode::OK, &AssignmentBody::from(&r)))
        .ok_or_else(|| not_found(&object_id))
}

/// 201 when created, 200 when replaced; the body is the stored assignment.
pub(super) async fn put(
    State(state): State<Arc<AppState>>,
    ObjectPath(object_id): ObjectPath,
    Buffered(bytes): Buffered,
) -> Result<Response, AcsError> {
    let req: EntraRequest = body::parse(&bytes)?;
    let rec = assignment_request::entra(object_id, req)?;
    let outcome = state
        .store
        .put_entra_assignment(rec.clone())
        .await
        .map_err(|e| AcsError::internal(&e.0))?;
    let status = match outcome {
        PutOutcome::Created => StatusCode::CREATED,
        PutOutcome::Replaced => StatusCode::OK,
    };
    Ok(json(status, &AssignmentBody::from(&rec)))
}

/// 204; 404 `AssignmentNotFound` when there is none.
pub(super) async fn delete(
    State(state): State<Arc<AppState>>,
    ObjectPath(object_id): ObjectPath,
) -> Result<Response, AcsError> {
    let deleted = state
        .store
        .delete_entra_assignment(&object_id)
        .await
        .map_err(|e| AcsError::internal(&e.0))?;
    if deleted {
        Ok(no_content())
    } else {
        Err(not_found(&object_id))
    }
}

/// The content type a bulk update must have.
const MERGE_PATCH: &str = "application/merge-patch+json";

/// Puts `Assignment '<key>': ` before an entry's error message.
fn about(key: &str, mut e: AcsError) -> AcsError {
    e.message = format!("Assignment '{}': {}", truncate(key, 64), e.message).into();
    e
}

/// The changes of a bulk update body, all checked, in objectId order.
fn changes(bytes: &[u8]) -> Result<BTreeMap<String, Option<AssignmentRecord>>, AcsError> {
    let entries: serde_json::Map<String, serde_json::Value> = body::parse(bytes)?;
    let mut out = BTreeMap::new();
    for (key, value) in entries {
        let object_id = path_guid(&key, "objectId").map_err(|e| about(&key, e))?;
        let change = match value {
            serde_json::Value::Null => None,
            serde_json::Value::Object(_) => {
                let req: EntraRequest = serde_json::from_value(value)
                    .map_err(|e| about(&key, AcsError::bad_body(e)))?;
                Some(
                    assignment_request::entra(object_id.clone(), req)
                        .map_err(|e| about(&key, e))?,
                )
            }
            _ => {
                return Err(about(
                    &key,
                    AcsError::bad_body("expected an assignment object, or null to remove it"),
                ))
            }
        };
        if out.insert(object_id, change).is_some() {
            return Err(about(
                &key,
                AcsError::validation(
                    "The objectId is given more than once (GUIDs compare case-insensitively).",
                    "objectId",
                ),
            ));
        }
    }
    Ok(out)
}

/// `PATCH /access/entra/assignments`: 415 without the merge-patch content type; 400 for any
/// bad entry (nothing applied); else 200 with the assignments created or replaced.
pub(super) async fn patch(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Buffered(bytes): Buffered,
) -> Result<Response, AcsError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim();
    if !essence.eq_ignore_ascii_case(MERGE_PATCH) {
        return Err(AcsError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UnsupportedMediaType",
            format!(
                "PATCH /access/entra/assignments takes 'Content-Type: {MERGE_PATCH}'; the request has '{}'.",
                truncate(content_type, 64)
            ),
        ));
    }
    let changes = changes(&bytes)?;
    let upserted: Vec<AssignmentRecord> = changes.values().flatten().cloned().collect();
    let list: Vec<EntraChange> = changes.into_iter().collect();
    state
        .store
        .patch_entra_assignments(list)
        .await
        .map_err(|e| AcsError::internal(&e.0))?;
    Ok(list_answer(&upserted, None))
}
