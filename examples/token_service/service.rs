//! The trusted token service: an axum `Router` that hands out ACS tokens to the
//! app's own signed-in users. Lift it into your service: the shared client lives
//! in the router's state, an extractor authenticates the app user, and every
//! failure is one JSON error type that implements `IntoResponse`.
//!
//! Each app user maps to one ACS identity through `custom_id` (the app's user id),
//! so the service keeps no table of its own: creating with the same custom id
//! returns the same identity.

use acs_identity::{
    CommunicationErrorExt, CommunicationIdentityClient, CommunicationTokenScope,
    CommunicationUserIdentifier, CreateUserAndTokenOptions, CreateUserOptions,
};
use axum::{
    body::Bytes,
    extract::{FromRequestParts, State},
    http::{header, request::Parts, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use serde::{Deserialize, Serialize};
use std::{collections::HashMap, sync::Arc};

/// What the handlers share: the identity client and the app's users by bearer.
#[derive(Clone)]
pub struct AppState {
    client: CommunicationIdentityClient,
    users: Arc<HashMap<String, String>>,
}

impl AppState {
    /// `users` maps each app user's bearer token to the app user id.
    pub fn new(client: CommunicationIdentityClient, users: HashMap<String, String>) -> Self {
        Self {
            client,
            users: Arc::new(users),
        }
    }
}

/// `POST /token`, `DELETE /token`, `GET /healthz`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/token", post(issue_token).delete(revoke_tokens))
        .route(
            "/healthz",
            get(|| async { Json(serde_json::json!({"status": "ok"})) }),
        )
        .with_state(state)
}

/// The signed-in app user, from `Authorization: Bearer <app user's token>`.
pub struct AppUser(String);

impl FromRequestParts<AppState> for AppUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .ok_or_else(|| {
                ApiError::unauthorized("expected `Authorization: Bearer <your app token>`")
            })?;
        // Compare every known bearer in constant time: no early exit on a match.
        let mut found = None;
        for (known, user) in state.users.iter() {
            if constant_time_eq(known.as_bytes(), bearer.as_bytes()) {
                found = Some(user);
            }
        }
        found
            .map(|user| AppUser(user.clone()))
            .ok_or_else(|| ApiError::unauthorized("the bearer token is not an app user's"))
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The optional body of `POST /token`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenRequest {
    scopes: Vec<String>,
}

/// The answer of `POST /token`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TokenResponse {
    user_id: String,
    token: String,
    expires_on: String,
}

const DEFAULT_SCOPES: [CommunicationTokenScope; 2] =
    [CommunicationTokenScope::Chat, CommunicationTokenScope::VoIP];
const KNOWN_SCOPES: &str = "chat, voip, chat.join, chat.join.limited, voip.join";

async fn issue_token(
    State(state): State<AppState>,
    AppUser(app_user): AppUser,
    body: Bytes,
) -> Result<Json<TokenResponse>, ApiError> {
    let scopes = scopes(&body)?;
    let options = CreateUserAndTokenOptions {
        custom_id: Some(app_user),
        ..Default::default()
    };
    let (user, token) = state
        .client
        .create_user_and_token(&scopes, Some(options))
        .await?;
    Ok(Json(TokenResponse {
        user_id: user.id().to_owned(),
        token: token.token.secret().to_owned(),
        expires_on: azure_core::time::to_rfc3339(&token.expires_on),
    }))
}

async fn revoke_tokens(
    State(state): State<AppState>,
    AppUser(app_user): AppUser,
) -> Result<StatusCode, ApiError> {
    let user: CommunicationUserIdentifier = state
        .client
        .create_user(Some(CreateUserOptions {
            custom_id: Some(app_user),
            ..Default::default()
        }))
        .await?;
    state.client.revoke_tokens(&user, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The scopes of a `POST /token` body: none (an empty body) means chat and voip.
fn scopes(body: &[u8]) -> Result<Vec<CommunicationTokenScope>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(DEFAULT_SCOPES.to_vec());
    }
    let request: TokenRequest = serde_json::from_slice(body).map_err(|e| {
        ApiError::bad_request(format!(
            "the body is not valid ({e}); expected nothing, or {{\"scopes\": [\"chat\", \"voip\"]}} \
             with scopes from {KNOWN_SCOPES}"
        ))
    })?;
    if request.scopes.is_empty() {
        return Err(ApiError::bad_request(format!(
            "no scope given; expected one or more of {KNOWN_SCOPES}"
        )));
    }
    request
        .scopes
        .iter()
        .map(
            |scope| match CommunicationTokenScope::from(scope.as_str()) {
                CommunicationTokenScope::Other(other) => Err(ApiError::bad_request(format!(
                    "unknown scope {other:?}; expected one of {KNOWN_SCOPES}"
                ))),
                known => Ok(known),
            },
        )
        .collect()
}

/// Every failure, as `{"error": {"code", "message", ...}}`.
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    acs_code: Option<String>,
    acs_status: Option<u16>,
}

impl ApiError {
    fn unauthorized(message: &str) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "Unauthorized", message.to_owned())
    }

    fn bad_request(message: String) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "BadRequest", message)
    }

    fn new(status: StatusCode, code: &'static str, message: String) -> Self {
        Self {
            status,
            code,
            message,
            acs_code: None,
            acs_status: None,
        }
    }
}

/// The client's errors: ACS refusals become 502 with the ACS code and status (the
/// client's messages never hold a key, a signature or a token); bad input the
/// client caught is this service's bug, a 500; anything else (network) a 502.
impl From<azure_core::Error> for ApiError {
    fn from(err: azure_core::Error) -> Self {
        if let Some(invalid) = err.invalid_argument() {
            return Self::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Internal",
                format!("the token service built a bad request: {invalid}"),
            );
        }
        tracing::warn!(error = %err, "ACS call failed");
        let mut api = Self::new(
            StatusCode::BAD_GATEWAY,
            "AcsError",
            format!("Azure Communication Services failed: {err}"),
        );
        api.acs_status = err.status().map(u16::from);
        api.acs_code = err
            .communication_error()
            .map(|acs| acs.code)
            .or_else(|| err.error_code().map(str::to_owned));
        api
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut error = serde_json::json!({"code": self.code, "message": self.message});
        if let Some(code) = self.acs_code {
            error["acsCode"] = code.into();
        }
        if let Some(status) = self.acs_status {
            error["acsStatus"] = status.into();
        }
        (self.status, Json(serde_json::json!({ "error": error }))).into_response()
    }
}
