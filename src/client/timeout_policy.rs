use async_trait::async_trait;
use azure_core::{
    error::{Error, ErrorKind},
    http::{
        policies::{Policy, PolicyResult},
        Context, Request,
    },
};
use std::{sync::Arc, time::Duration};

/// Ends one attempt that has had no response for `timeout`.
///
/// The error is `ErrorKind::Io`, which azure_core's retry policy retries like a
/// dropped connection. Without a tokio runtime (another executor) it does nothing.
#[derive(Debug)]
pub(crate) struct TimeoutPolicy {
    pub(crate) timeout: Duration,
}

#[async_trait]
impl Policy for TimeoutPolicy {
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        if tokio::runtime::Handle::try_current().is_err() {
            return next[0].send(ctx, request, &next[1..]).await;
        }
        match tokio::time::timeout(self.timeout, next[0].send(ctx, request, &next[1..])).await {
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
