//! [`Acs`]: the identity client behind the limiter, each call counted and timed, its
//! failures turned into [`ApiError`]s (a throttled call is a 503 with `Retry-After`).

use crate::{error::ApiError, limiter::Limiter, limits::Operation, metrics::Metrics};
use acs_identity::{
    AccessToken, CommunicationIdentityClient, CommunicationTokenScope, CommunicationUserIdentifier,
    CreateUserAndTokenOptions, GetTokenOptions,
};
use axum::http::StatusCode;
use azure_core::error::ErrorKind;
use std::{future::Future, sync::Arc, time::Duration};
use tokio::time::Instant;

/// How long a client is asked to wait after ACS throttled a call that the SDK's own
/// retries could not get through.
const ACS_THROTTLED_RETRY_AFTER: Duration = Duration::from_secs(5);

/// The identity client with the service's limiter and metrics.
#[derive(Clone)]
pub(crate) struct Acs {
    client: CommunicationIdentityClient,
    limiter: Arc<Limiter>,
    metrics: Arc<Metrics>,
}

/// A failed ACS call: the status ACS answered, if it answered.
pub(crate) struct AcsFailure {
    /// ACS's HTTP status, when there was a response.
    pub status: Option<u16>,
    /// What to answer the app's client.
    pub error: ApiError,
}

impl Acs {
    pub(crate) fn new(
        client: CommunicationIdentityClient,
        limiter: Arc<Limiter>,
        metrics: Arc<Metrics>,
    ) -> Self {
        Self {
            client,
            limiter,
            metrics,
        }
    }

    async fn call<T, F>(&self, op: Operation, f: F) -> Result<T, AcsFailure>
    where
        F: Future<Output = azure_core::Result<T>>,
    {
        match self.limiter.acquire(op).await {
            Ok(waited) if !waited.is_zero() => self.metrics.limiter_wait(op, waited),
            Ok(_) => {}
            Err(throttled) => {
                self.metrics.limiter_refusal(op);
                return Err(AcsFailure {
                    status: None,
                    error: ApiError::throttled(
                        format!(
                            "too many {op} requests to Azure Communication Services right now; \
                             try again later"
                        ),
                        throttled.retry_after,
                    ),
                });
            }
        }
        let started = Instant::now();
        let result = f.await;
        let elapsed = started.elapsed();
        match result {
            Ok(value) => {
                self.metrics.acs_call(op, "ok", elapsed);
                Ok(value)
            }
            Err(err) => {
                let status = err.http_status().map(u16::from);
                self.metrics.acs_call(op, outcome(status), elapsed);
                Err(AcsFailure {
                    status,
                    error: failure(op, status, &err),
                })
            }
        }
    }

    pub(crate) async fn create_user(&self) -> Result<CommunicationUserIdentifier, AcsFailure> {
        self.call(Operation::Create, self.client.create_user(None))
            .await
    }

    pub(crate) async fn create_user_and_token(
        &self,
        scopes: &[CommunicationTokenScope],
        lifetime: Option<Duration>,
    ) -> Result<(CommunicationUserIdentifier, AccessToken), AcsFailure> {
        let options = CreateUserAndTokenOptions {
            token_expires_in: lifetime,
            ..Default::default()
        };
        self.call(
            Operation::CreateUserAndToken,
            self.client.create_user_and_token(scopes, Some(options)),
        )
        .await
    }

    pub(crate) async fn get_token(
        &self,
        user: &str,
        scopes: &[CommunicationTokenScope],
        lifetime: Option<Duration>,
    ) -> Result<AccessToken, AcsFailure> {
        let user = CommunicationUserIdentifier::new(user);
        let options = GetTokenOptions {
            token_expires_in: lifetime,
            ..Default::default()
        };
        self.call(
            Operation::Issue,
            self.client.get_token(&user, scopes, Some(options)),
        )
        .await
    }

    pub(crate) async fn revoke_tokens(&self, user: &str) -> Result<(), AcsFailure> {
        let user = CommunicationUserIdentifier::new(user);
        self.call(Operation::Revoke, self.client.revoke_tokens(&user, None))
            .await
    }

    /// Deletes the identity; one already gone (404) counts as deleted.
    pub(crate) async fn delete_user(&self, user: &str) -> Result<(), AcsFailure> {
        let identifier = CommunicationUserIdentifier::new(user);
        match self
            .call(
                Operation::Delete,
                self.client.delete_user(&identifier, None),
            )
            .await
        {
            Err(AcsFailure {
                status: Some(404), ..
            }) => Ok(()),
            other => other,
        }
    }

    pub(crate) async fn teams_token(
        &self,
        aad_token: &str,
        client_id: &str,
        object_id: &str,
    ) -> Result<AccessToken, AcsFailure> {
        self.call(
            Operation::Teams,
            self.client
                .get_token_for_teams_user(aad_token, client_id, object_id, None),
        )
        .await
    }
}

fn outcome(status: Option<u16>) -> &'static str {
    match status {
        None => "error",
        Some(400) => "400",
        Some(401) => "401",
        Some(403) => "403",
        Some(404) => "404",
        Some(409) => "409",
        Some(429) => "429",
        Some(500) => "500",
        Some(502) => "502",
        Some(503) => "503",
        Some(504) => "504",
        Some(_) => "other",
    }
}

/// What the app's client gets for a failed ACS call. The SDK's error messages never
/// hold the access key or a token; they are logged, and only the ACS error code goes
/// into the answer.
fn failure(op: Operation, status: Option<u16>, err: &azure_core::Error) -> ApiError {
    let acs_code = match err.kind() {
        ErrorKind::HttpResponse { error_code, .. } => error_code.clone(),
        _ => None,
    };
    let acs_code = acs_code.unwrap_or_else(|| "none".to_owned());
    match status {
        Some(429) | Some(503) => {
            tracing::warn!(operation = %op, status, "ACS throttled a call beyond the SDK's retries");
            ApiError::throttled(
                format!("Azure Communication Services is busy ({op}); try again later"),
                ACS_THROTTLED_RETRY_AFTER,
            )
        }
        Some(400) | Some(401) | Some(403) if op == Operation::Teams => ApiError::new(
            StatusCode::BAD_REQUEST,
            "TeamsTokenRefused",
            format!(
                "Azure Communication Services refused the Teams token exchange \
                 (status {}, code {acs_code}); check the Teams user's Entra token \
                 (`teams-user-aad-token`), its audience and the configured Teams client id",
                status.unwrap_or_default()
            ),
        ),
        Some(status) => {
            tracing::error!(operation = %op, status, error = %err, "ACS call failed");
            ApiError::new(
                StatusCode::BAD_GATEWAY,
                "AcsError",
                format!("Azure Communication Services answered {status} (code {acs_code}) to {op}"),
            )
        }
        None => {
            tracing::error!(operation = %op, error = %err, "ACS call failed");
            let (code, what) = match err.kind() {
                ErrorKind::Io | ErrorKind::Connection => ("AcsUnreachable", "could not be reached"),
                _ => ("AcsError", "failed"),
            };
            ApiError::new(
                StatusCode::BAD_GATEWAY,
                code,
                format!("the call to Azure Communication Services {what} ({op})"),
            )
        }
    }
}
