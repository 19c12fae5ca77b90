//! Times as the command line shows them.

use azure_core::time::{to_rfc3339, OffsetDateTime};

/// RFC 3339 in UTC, e.g. `2026-11-24T10:00:00Z`.
pub fn rfc3339(at: OffsetDateTime) -> String {
    to_rfc3339(&at)
}

/// `in 1h 30m` / `expired 5m 10s ago`, for `seconds_left` seconds from now.
pub fn time_left(seconds_left: i64) -> String {
    let magnitude = human(seconds_left.unsigned_abs());
    if seconds_left >= 0 {
        format!("in {magnitude}")
    } else {
        format!("expired {magnitude} ago")
    }
}

/// `2d 3h`, `1h 30m`, `5m 10s`, `42s`: the two largest units.
fn human(seconds: u64) -> String {
    let (d, h, m, s) = (
        seconds / 86400,
        seconds / 3600 % 24,
        seconds / 60 % 60,
        seconds % 60,
    );
    match (d, h, m) {
        (0, 0, 0) => format!("{s}s"),
        (0, 0, _) => format!("{m}m {s}s"),
        (0, _, _) => format!("{h}h {m}m"),
        _ => format!("{d}d {h}h"),
    }
}

#[cfg(test)]
mod tests {
    use super::time_left;

    #[test]
    fn two_units_either_side_of_now() {
        assert_eq!(time_left(0), "in 0s");
        assert_eq!(time_left(42), "in 42s");
        assert_eq!(time_left(5400), "in 1h 30m");
        assert_eq!(time_left(-310), "expired 5m 10s ago");
        assert_eq!(time_left(2 * 86400 + 3 * 3600 + 59), "in 2d 3h");
    }
}
