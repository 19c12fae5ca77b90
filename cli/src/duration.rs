//! `DURATION` arguments: `90m`, `1h`, `1h30m`, `3600s`.

use std::time::Duration;

/// What a DURATION may look like, for error messages.
const ACCEPTED: &str = "expected hours, minutes and/or seconds in that order, each a whole \
                        number with its unit: e.g. `90m`, `1h`, `1h30m`, `3600s`";

/// Parses `[<n>h][<n>m][<n>s]` (at least one part, units in that order, no spaces).
/// The range (1h to 24h in whole minutes) is the client's to check.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let bad = || format!("`{text}` is not a duration; {ACCEPTED}");
    if text.is_empty() {
        return Err(format!("the duration is empty; {ACCEPTED}"));
    }
    let units = [('h', 3600u64), ('m', 60), ('s', 1)];
    let mut rest = text;
    let mut next_unit = 0;
    let mut seconds: u64 = 0;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(bad());
        }
        let number: u64 = rest[..digits].parse().map_err(|_| bad())?;
        let unit = rest[digits..].chars().next().ok_or_else(bad)?;
        let position = units[next_unit..]
            .iter()
            .position(|(u, _)| *u == unit)
            .ok_or_else(bad)?;
        let (_, scale) = units[next_unit + position];
        next_unit += position + 1;
        seconds = number
            .checked_mul(scale)
            .and_then(|s| s.checked_add(seconds))
            .ok_or_else(bad)?;
        rest = &rest[digits + 1..];
    }
    Ok(Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use super::parse_duration;
    use std::time::Duration;

    #[test]
    fn accepts_the_documented_forms() {
        for (text, secs) in [
            ("90m", 5400),
            ("1h", 3600),
            ("1h30m", 5400),
            ("3600s", 3600),
            ("24h", 86400),
            ("1h0m30s", 3630),
            ("2m5s", 125),
        ] {
            assert_eq!(
                parse_duration(text),
                Ok(Duration::from_secs(secs)),
                "{text}"
            );
        }
    }

    #[test]
    fn rejects_anything_else_saying_what_is_accepted() {
        for text in [
            "",
            "60",
            "1d",
            "1.5h",
            "h",
            "30m1h",
            "1h1h",
            " 1h",
            "1h ",
            "1H",
            "-1h",
            "1hm",
            "99999999999999999999h",
        ] {
            let err = parse_duration(text).unwrap_err();
            assert!(
                err.contains("`90m`, `1h`, `1h30m`, `3600s`"),
                "{text}: {err}"
            );
        }
    }
}
