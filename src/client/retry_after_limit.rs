//! Bounds how long a `Retry-After` can make the client wait.
//!
//! azure_core's retry policy waits for whatever a 429 or 503 asks
//! (`retry-after-ms`, `x-ms-retry-after-ms`, `Retry-After` in seconds or as an HTTP
//! date) before its next attempt; its `max_total_elapsed` budget is checked
//! *before* the wait, so `Retry-After: 86400` makes a call sleep for a day.
//! [`RetryAfterLimitPolicy`] (per try, inside the retry policy) stops the retries
//! instead when the requested wait is longer than
//! [`max_retry_after`](crate::CommunicationIdentityClientOptions::max_retry_after):
//! the call fails at once with the 429/503 (status, error code and body kept), and
//! the message says how long the service asked to wait.

use super::duration_text::human;
use acs_common::service_error::http_error;
use async_trait::async_trait;
use azure_core::{
    http::{
        headers::{Headers, RETRY_AFTER, RETRY_AFTER_MS, X_MS_RETRY_AFTER_MS},
        policies::{get_retry_after, Policy, PolicyResult},
        Context, Request, StatusCode,
    },
    time::OffsetDateTime,
};
use std::{sync::Arc, time::Duration};

/// The wait a 429/503 asks for, read with azure_core's own
/// [`get_retry_after`] and the headers its retry policy reads, in its order:
/// `x-ms-retry-after-ms`, `retry-after-ms` (milliseconds), `Retry-After` (seconds
/// or an HTTP date). Negative values and past dates are a zero wait.
pub(crate) fn requested_wait(headers: &Headers, now: fn() -> OffsetDateTime) -> Option<Duration> {
    get_retry_after(
        headers,
        now,
        &[X_MS_RETRY_AFTER_MS, RETRY_AFTER_MS, RETRY_AFTER],
    )
    .map(|wait| {
        if wait.is_negative() {
            Duration::ZERO
        } else {
            wait.unsigned_abs()
        }
    })
}

/// Per try, inside the retry policy: fails a 429/503 at once when its
/// `Retry-After` is longer than `max`.
#[derive(Debug)]
pub(crate) struct RetryAfterLimitPolicy {
    pub(crate) max: Duration,
}

#[async_trait]
impl Policy for RetryAfterLimitPolicy {
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        let rsp = next[0].send(ctx, request, &next[1..]).await?;
        let status = rsp.status();
        if !matches!(
            status,
            StatusCode::TooManyRequests | StatusCode::ServiceUnavailable
        ) {
            return Ok(rsp);
        }
        let Some(wait) = requested_wait(rsp.headers(), OffsetDateTime::now_utc) else {
            return Ok(rsp);
        };
        if wait <= self.max {
            return Ok(rsp);
        }
        let raw = rsp.try_into_raw_response().await?;
        tracing::warn!(
            status = u16::from(status),
            wait_secs = wait.as_secs(),
            "Retry-After over max_retry_after; not retrying"
        );
        let detail = format!(
            "; the service asked to retry after {}, longer than max_retry_after ({}), \
             so the request was not retried",
            human(wait),
            human(self.max),
        );
        Err(http_error(status, raw, &detail))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> Headers {
        let mut h = Headers::new();
        for (k, v) in pairs {
            h.insert(
                azure_core::http::headers::HeaderName::from_static(k),
                v.to_string(),
            );
        }
        h
    }

    #[test]
    fn reads_the_headers_like_azure_core() {
        fn now() -> OffsetDateTime {
            azure_core::time::parse_rfc7231("Tue, 24 Nov 2026 12:00:00 GMT").unwrap()
        }
        let wait = |pairs: &[(&'static str, &str)]| requested_wait(&headers(pairs), now);
        assert_eq!(wait(&[("retry-after", "7")]), Some(Duration::from_secs(7)));
        assert_eq!(wait(&[("retry-after", "-7")]), Some(Duration::ZERO));
        assert_eq!(
            wait(&[("retry-after", "Tue, 24 Nov 2026 12:01:00 GMT")]),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            wait(&[("retry-after", "Tue, 24 Nov 2026 11:00:00 GMT")]),
            Some(Duration::ZERO)
        );
        assert_eq!(
            wait(&[("retry-after-ms", "1500"), ("retry-after", "9")]),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            wait(&[("x-ms-retry-after-ms", "20"), ("retry-after-ms", "1500")]),
            Some(Duration::from_millis(20))
        );
        assert_eq!(
            wait(&[("retry-after", "9223372036854775807")]),
            Some(Duration::from_secs(i64::MAX as u64))
        );
        assert_eq!(wait(&[("retry-after", "soon")]), None);
        assert_eq!(wait(&[]), None);
    }
}
