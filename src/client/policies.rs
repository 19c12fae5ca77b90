//! The client's own pipeline policy: one, per try, inside the retry policy.
//!
//! Every policy of an azure_core pipeline costs a boxed future (and its
//! allocation) per request, so the client's five steps (access key) are one
//! policy, [`TryPolicy`], and a function applied to the pipeline's result
//! (`CommunicationIdentityClient::send_to`: the retry policy's wrapped errors
//! given back, the clock-skew hint on a 401, the service error). Each step runs
//! in the same order as the separate policies did (`benches/README.md`, "Speed
//! at concurrency 1").

use super::{retry_after, timeout_policy};
use crate::auth::HmacAuthenticationPolicy;
use async_trait::async_trait;
use azure_core::http::{
    policies::{Policy, PolicyResult},
    Context, Request,
};
use std::{sync::Arc, time::Duration};

#[derive(Debug)]
pub(crate) enum Auth {
    /// Signed in place ([`HmacAuthenticationPolicy::sign`]), as that policy does.
    Hmac(HmacAuthenticationPolicy),
    /// Any other policy (Entra ID bearer tokens), called as the next policy.
    Policy(Arc<dyn Policy>),
}

/// Per try, inside the retry policy, in this order: the `max_retry_after` limit
/// on the response ([`retry_after::limit_retry_after`]), around the
/// `request_timeout` ([`timeout_policy::within`]), around authentication.
#[derive(Debug)]
pub(crate) struct TryPolicy {
    pub(crate) max_retry_after: Option<Duration>,
    pub(crate) request_timeout: Option<Duration>,
    pub(crate) auth: Auth,
}

impl TryPolicy {
    async fn authenticated(
        &self,
        ctx: &Context<'_>,
        request: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        match &self.auth {
            Auth::Hmac(hmac) => {
                hmac.sign(request)?;
                next[0].send(ctx, request, &next[1..]).await
            }
            Auth::Policy(policy) => policy.send(ctx, request, next).await,
        }
    }
}

#[async_trait]
impl Policy for TryPolicy {
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        let attempt = self.authenticated(ctx, request, next);
        let rsp = match self.request_timeout {
            Some(timeout) => timeout_policy::within(timeout, attempt).await,
            None => attempt.await,
        }?;
        match self.max_retry_after {
            Some(max) => retry_after::limit_retry_after(max, rsp).await,
            None => Ok(rsp),
        }
    }
}
