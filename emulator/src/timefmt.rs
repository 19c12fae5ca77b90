//! Date formats of the wire: `expiresOn` and `lastTokenIssuedAt` (RFC 3339, 7 fractional
//! digits, `+00:00`) and the RFC 1123 date of HMAC requests.

use std::fmt::Write;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

/// Formats a whole-second Unix time as the service writes `expiresOn`:
/// `2026-11-25T17:51:59.0000000+00:00`.
pub(crate) fn expires_on(unix_secs: i64) -> String {
    let t = OffsetDateTime::from_unix_timestamp(unix_secs).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let mut s = String::with_capacity(33);
    let _ = write!(
        s,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.0000000+00:00",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    s
}

/// Formats a Unix time in nanoseconds as the service writes date-times such as
/// `lastTokenIssuedAt`: `2025-07-10T21:39:39.3244584+00:00` (7 fractional digits, truncated).
pub(crate) fn date_time(unix_nanos: i64) -> String {
    let t = OffsetDateTime::from_unix_timestamp_nanos(i128::from(unix_nanos))
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:07}+00:00",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.nanosecond() / 100
    )
}

/// Parses an IMF-fixdate / RFC 1123 date such as `Wed, 13 Apr 2022 18:09:12 GMT`.
///
/// Tolerates a one-digit day (an old Java formatter dropped the leading zero) and does not
/// check that the weekday matches the date.
pub(crate) fn parse_http_date(s: &str) -> Option<OffsetDateTime> {
    let mut parts = s.split_ascii_whitespace();
    let weekday = parts.next()?;
    if !weekday.ends_with(',') {
        return None;
    }
    let day: u8 = parse_digits(parts.next()?, 1, 2)? as u8;
    let month = match parts.next()? {
        "Jan" => Month::January,
        "Feb" => Month::February,
        "Mar" => Month::March,
        "Apr" => Month::April,
        "May" => Month::May,
        "Jun" => Month::June,
        "Jul" => Month::July,
        "Aug" => Month::August,
        "Sep" => Month::September,
        "Oct" => Month::October,
        "Nov" => Month::November,
        "Dec" => Month::December,
        _ => return None,
    };
    let year = parse_digits(parts.next()?, 4, 4)? as i32;
    let mut hms = parts.next()?.split(':');
    let hour = parse_digits(hms.next()?, 2, 2)? as u8;
    let minute = parse_digits(hms.next()?, 2, 2)? as u8;
    let second = parse_digits(hms.next()?, 2, 2)? as u8;
    if hms.next().is_some() {
        return None;
    }
    if parts.next()? != "GMT" || parts.next().is_some() {
        return None;
    }
    let date = Date::from_calendar_date(year, month, day).ok()?;
    let time = Time::from_hms(hour, minute, second).ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_utc())
}

fn parse_digits(s: &str, min: usize, max: usize) -> Option<u32> {
    if s.len() < min || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Formats a time as RFC 3339 in UTC with whole seconds and `Z` (for emulator-only bodies).
pub(crate) fn rfc3339_utc(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_on_has_seven_digits_and_offset() {
        assert_eq!(
            expires_on(1_657_874_732),
            "2022-07-15T08:45:32.0000000+00:00"
        );
    }

    #[test]
    fn date_time_has_seven_digits_and_offset() {
        assert_eq!(
            date_time(1_752_183_579_324_458_499),
            "2025-07-10T21:39:39.3244584+00:00"
        );
        assert_eq!(
            date_time(1_657_874_732_000_000_000),
            "2022-07-15T08:45:32.0000000+00:00"
        );
    }

    #[test]
    fn parses_rfc1123() {
        let t = parse_http_date("Wed, 13 Apr 2022 18:09:12 GMT").unwrap();
        assert_eq!(t.unix_timestamp(), 1_649_873_352);
        assert!(parse_http_date("Wed, 3 Apr 2022 18:09:12 GMT").is_some());
        assert!(parse_http_date("Wed, 13 Apr 2022 18:09:12 UTC").is_none());
        assert!(parse_http_date("2022-04-13T18:09:12Z").is_none());
        assert!(parse_http_date("Wed, 31 Feb 2022 18:09:12 GMT").is_none());
        assert!(parse_http_date("").is_none());
    }
}
