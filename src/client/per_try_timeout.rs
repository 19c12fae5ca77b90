//! Ends an attempt that has had no complete answer within `request_timeout`.

use async_trait::async_trait;
use azure_core::{
    error::{Error, ErrorKind},
    http::{
        policies::{Policy, PolicyResult},
        Context, Request,
    },
};
use std::{sync::Arc, time::Duration};

/// Per try, inside the retry policy: ends one attempt that has had no response
/// for `timeout`. The pipeline's transport policy reads the whole answer before
/// it returns, so the body is covered too.
///
/// The error is `ErrorKind::Io`, which azure_core's retry policy retries like a
/// dropped connection. Without a tokio runtime (another executor) it does nothing.
#[derive(Debug)]
pub(crate) struct PerTryTimeoutPolicy {
    pub(crate) timeout: Duration,
}

#[async_trait]
impl Policy for PerTryTimeoutPolicy {
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        let attempt = next[0].send(ctx, request, &next[1..]);
        if tokio::runtime::Handle::try_current().is_err() {
            return attempt.await;
        }
        match tokio::time::timeout(self.timeout, attempt).await {
            Ok(result) => result,
            Err(_) => Err(Error::with_message(
                ErrorKind::Io,
                format!(
                    "no response within {:?} (request_timeout); the attempt was abandoned",
                    self.timeout
                ),
            )),
        }
    }
}
