use azure_core::{
    error::{Error, ErrorKind},
    http::policies::PolicyResult,
};
use std::{future::Future, time::Duration};

/// Per try (in [`TryPolicy`](super::policies::TryPolicy)): ends one attempt
/// that has had no response for `timeout`.
///
/// The error is `ErrorKind::Io`, which azure_core's retry policy retries like a
/// dropped connection. Without a tokio runtime (another executor) it does nothing.
pub(crate) async fn within(
    timeout: Duration,
    attempt: impl Future<Output = PolicyResult>,
) -> PolicyResult {
    if tokio::runtime::Handle::try_current().is_err() {
        return attempt.await;
    }
    match tokio::time::timeout(timeout, attempt).await {
        Ok(result) => result,
        Err(_) => Err(Error::with_message(
            ErrorKind::Io,
            format!("no response within {timeout:?} (request_timeout); the attempt was abandoned"),
        )),
    }
}
