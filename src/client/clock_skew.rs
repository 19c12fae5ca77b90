//! Says so when a 401 is probably caused by a wrong local clock.
//!
//! HMAC requests carry their signing time (`x-ms-date`), and the service rejects
//! signatures dated too far from its own clock with a bare 401 (`Denied`), which
//! looks exactly like a wrong key. [`clock_skew_error`] (per call, with
//! access-key authentication) compares the 401's `Date` header with the local
//! clock; when they differ by more than [`CLOCK_SKEW_HINT_THRESHOLD`] the error
//! says the local clock is off, by how much, and that it needs fixing. The error
//! stays `ErrorKind::HttpResponse` with the status, error code and raw response,
//! so [`CommunicationError::from_error`](crate::CommunicationError::from_error) works on it as on any service error.

use super::duration_text::human;
use acs_common::service_error::http_error;
use azure_core::{
    error::{Error, ErrorKind},
    http::{headers::HeaderName, StatusCode},
    time::OffsetDateTime,
};
use std::time::Duration;

/// A 401 whose `Date` is further than this from the local clock gets the hint.
pub(crate) const CLOCK_SKEW_HINT_THRESHOLD: Duration = Duration::from_secs(5 * 60);

const DATE: HeaderName = HeaderName::from_static("date");

/// The hint for a service `date` seen at local time `now`, when they differ by
/// more than [`CLOCK_SKEW_HINT_THRESHOLD`].
pub(crate) fn skew_hint(date: &str, now: OffsetDateTime) -> Option<String> {
    let service = azure_core::time::parse_rfc7231(date.trim()).ok()?;
    let skew = now - service;
    let magnitude = skew.unsigned_abs();
    if magnitude <= CLOCK_SKEW_HINT_THRESHOLD {
        return None;
    }
    let direction = if skew.is_negative() {
        "behind"
    } else {
        "ahead of"
    };
    Some(format!(
        "the local clock is {} {direction} the service's (Date: {}); HMAC signatures are \
         dated and the service rejects them when the clocks differ; fix the system clock",
        human(magnitude),
        date.trim()
    ))
}

/// Per call, after the pipeline (access key only): the error for a 401 whose
/// `Date` is far from the local clock, with the hint; `None` for any other error.
pub(crate) fn clock_skew_error(err: &Error) -> Option<Error> {
    let ErrorKind::HttpResponse {
        status: StatusCode::Unauthorized,
        raw_response: Some(raw),
        ..
    } = err.kind()
    else {
        return None;
    };
    let hint = skew_hint(
        raw.headers().get_optional_str(&DATE)?,
        OffsetDateTime::now_utc(),
    )?;
    tracing::warn!("HTTP 401 and {hint}");
    Some(http_error(
        StatusCode::Unauthorized,
        (**raw).clone(),
        &format!(": {hint}"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hint_only_beyond_five_minutes() {
        let now = azure_core::time::parse_rfc7231("Tue, 24 Nov 2026 12:00:00 GMT").unwrap();
        assert_eq!(skew_hint("Tue, 24 Nov 2026 12:04:59 GMT", now), None);
        assert_eq!(skew_hint("Tue, 24 Nov 2026 11:55:00 GMT", now), None);
        assert_eq!(skew_hint("not a date", now), None);
        let hint = skew_hint("Tue, 24 Nov 2026 10:00:00 GMT", now).unwrap();
        assert!(
            hint.starts_with("the local clock is 2h 0m 0s ahead of the service's (Date: Tue, 24 Nov 2026 10:00:00 GMT)"),
            "{hint}"
        );
        let hint = skew_hint("Tue, 24 Nov 2026 12:06:30 GMT", now).unwrap();
        assert!(
            hint.starts_with("the local clock is 6m 30s behind"),
            "{hint}"
        );
        assert!(hint.ends_with("fix the system clock"), "{hint}");
    }
}
