//! [`parse_duration`]: `30s`, `5m`, `1h`, `250ms`, `1d`.

use std::time::Duration;

/// Parses a duration: a whole number and a unit (`ms`, `s`, `m`, `h`, `d`), e.g. `30s`,
/// `5m`. A bare number is refused (the unit would be a guess).
pub fn parse_duration(value: &str) -> Result<Duration, String> {
    let value = value.trim();
    let split = value
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    let expected = "expected a whole number and a unit, like 250ms, 30s, 5m, 1h or 1d";
    let n: u64 = number
        .parse()
        .map_err(|_| format!("{value:?} is not a duration; {expected}"))?;
    let unit_secs = match unit.trim() {
        "ms" => return Ok(Duration::from_millis(n)),
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "" => return Err(format!("{value:?} has no unit; {expected}")),
        other => return Err(format!("{value:?}: unknown unit {other:?}; {expected}")),
    };
    n.checked_mul(unit_secs)
        .map(Duration::from_secs)
        .ok_or_else(|| format!("{value:?} is too long"))
}
