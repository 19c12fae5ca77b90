//! Bounds how long a `Retry-After` can make the client wait.
//!
//! azure_core's retry policy waits for whatever a 429 or 503 asks
//! (`retry-after-ms`, `x-ms-retry-after-ms`, `Retry-After` in seconds or as an HTTP
//! date) before its next attempt; its `max_total_elapsed` budget is checked
//! *before* the wait, so `Retry-After: 86400` makes a call sleep for a day.
//! [`limit_retry_after`] (per try, inside the retry policy) stops the retries
//! instead when the requested wait is longer than
//! [`max_retry_after`](crate::CommunicationIdentityClientOptions::max_retry_after):
//! the call fails at once with the 429/503 (status, error code and body kept), and
//! the message says how long the service asked to wait.
//!
//! The retry policy wraps errors coming from inside it ("non-transport error
//! occurred which will not be retried", "retry policy expired ..."), hiding the
//! useful message in `source()`. [`unwrap_retry_error`] (per call, on the pipeline's
//! result, outside the retry policy) puts it back on top.

use acs_common::service_error::http_error;
use azure_core::{
    error::{Error, ErrorKind},
    http::{
        headers::{Headers, RETRY_AFTER, RETRY_AFTER_MS, X_MS_RETRY_AFTER_MS},
        policies::{get_retry_after, PolicyResult},
        AsyncRawResponse, StatusCode,
    },
    time::OffsetDateTime,
};
use std::time::Duration;

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

/// Per try (in [`TryPolicy`](super::policies::TryPolicy)): fails a 429/503 at
/// once when its `Retry-After` is longer than `max`.
pub(crate) async fn limit_retry_after(max: Duration, rsp: AsyncRawResponse) -> PolicyResult {
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
    if wait <= max {
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
        human(max),
    );
    Err(http_error(status, raw, &detail))
}

/// Per call, on the pipeline's result (`CommunicationIdentityClient::send_to`,
/// outside the retry policy): gives back the error the retry policy
/// wrapped, so `Display` says what went wrong rather than "will not be retried".
///
/// azure_core's retry policy wraps an error in two cases, told apart by kind (never
/// by its wording): a non-transport error (any kind but `Io` and `Connection`,
/// e.g. a refused Retry-After or an invalid key) is wrapped and returned at once;
/// a transport error (`Io`, `Connection`) is wrapped when the retry budget is
/// spent. The first comes back as the inner error itself; the second keeps its
/// kind and says that the retry limit was reached.
pub(crate) fn unwrap_retry_error(err: Error) -> Error {
    let Some(inner) = err.downcast_ref::<Error>() else {
        return err;
    };
    if matches!(err.kind(), ErrorKind::Io | ErrorKind::Connection) {
        let message = format!("{inner} (the retry policy's limit was reached)");
        let kind = err.kind().clone();
        return Error::with_error(kind, unwrap_inner(err), message);
    }
    unwrap_inner(err)
}

fn unwrap_inner(err: Error) -> Error {
    match err.into_inner() {
        Ok(inner) => match inner.downcast::<Error>() {
            Ok(inner) => *inner,
            Err(other) => Error::new(ErrorKind::Other, other),
        },
        Err(err) => err,
    }
}

/// `1h 2m 3s`, `45s`, `250ms`.
pub(crate) fn human(d: Duration) -> String {
    let secs = d.as_secs();
    if secs == 0 {
        return format!("{}ms", d.as_millis());
    }
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h "));
    }
    if h > 0 || m > 0 {
        out.push_str(&format!("{m}m "));
    }
    out.push_str(&format!("{s}s"));
    out
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

    #[test]
    fn human_durations() {
        assert_eq!(human(Duration::from_millis(250)), "250ms");
        assert_eq!(human(Duration::from_secs(45)), "45s");
        assert_eq!(human(Duration::from_secs(3723)), "1h 2m 3s");
        assert_eq!(human(Duration::from_secs(600)), "10m 0s");
    }
}
