//! The client's own pipeline policies, merged into one per call and one per try.
//!
//! Every policy of an azure_core pipeline costs a boxed future (and its
//! allocation) per request, so the client's five (access key) are two:
//! [`CallPolicy`] outside the retry policy and [`TryPolicy`] inside it. Each
//! runs the same steps in the same order as the separate policies did
//! (`benches/README.md`, "Speed at concurrency 1").

use super::{clock_skew, retry_after, timeout_policy};
use crate::auth::HmacAuthenticationPolicy;
use async_trait::async_trait;
use azure_core::http::{
    policies::{Policy, PolicyResult},
    Context, Request,
};
use std::{sync::Arc, time::Duration};

/// Per call, outside the retry policy: the clock-skew hint on a 401 (access key
/// only), then the retry policy's wrapped errors given back
/// ([`retry_after::unwrap_retry_error`]).
#[derive(Debug)]
pub(crate) struct CallPolicy {
    pub(crate) clock_skew: bool,
}

#[async_trait]
impl Policy for CallPolicy {
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        let result = match next[0].send(ctx, request, &next[1..]).await {
            Ok(rsp) if self.clock_skew => clock_skew::check_clock_skew(rsp).await,
            result => result,
        };
        result.map_err(retry_after::unwrap_retry_error)
    }
}

/// How a try is authenticated.
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
