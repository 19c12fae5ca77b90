use crate::InvalidArgument;
use std::time::Duration;

/// The shortest token lifetime the service accepts (1 hour).
pub const MIN_TOKEN_EXPIRES_IN: Duration = Duration::from_secs(60 * 60);
/// The longest token lifetime the service accepts, and its default (24 hours).
pub const MAX_TOKEN_EXPIRES_IN: Duration = Duration::from_secs(24 * 60 * 60);

/// Converts a requested token lifetime to the service's `expiresInMinutes`,
/// checking the service's rule (a whole number of minutes in 60..=1440) first.
pub(crate) fn expires_in_minutes(expires_in: Duration) -> Result<u32, InvalidArgument> {
    let seconds = expires_in.as_secs();
    if expires_in.subsec_nanos() != 0 || !seconds.is_multiple_of(60) {
        return Err(InvalidArgument::new(
            "token_expires_in",
            format!(
                "{expires_in:?} is not a whole number of minutes; expected whole minutes \
                 from 1 hour to 24 hours (60..=1440 minutes)"
            ),
        ));
    }
    if !(MIN_TOKEN_EXPIRES_IN..=MAX_TOKEN_EXPIRES_IN).contains(&expires_in) {
        return Err(InvalidArgument::new(
            "token_expires_in",
            format!(
                "{} minutes is outside the range the service accepts; expected \
                 1 hour to 24 hours (60..=1440 minutes)",
                seconds / 60
            ),
        ));
    }
    // At most 1440, so it fits.
    Ok((seconds / 60) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_service_range() {
        assert_eq!(expires_in_minutes(Duration::from_secs(3600)).unwrap(), 60);
        assert_eq!(
            expires_in_minutes(Duration::from_secs(86400)).unwrap(),
            1440
        );
        assert_eq!(
            expires_in_minutes(Duration::from_secs(2 * 3600)).unwrap(),
            120
        );
    }

    #[test]
    fn rejects_outside_and_fractions() {
        // vectors.json custom_expiry: 59 and 1441 are rejected by the service.
        for minutes in [0u64, 1, 59, 1441, 100_000] {
            let err = expires_in_minutes(Duration::from_secs(minutes * 60)).unwrap_err();
            assert_eq!(err.argument(), "token_expires_in");
            assert!(err.message().contains("60..=1440"), "{err}");
        }
        for d in [Duration::from_millis(3_600_500), Duration::from_secs(3601)] {
            let err = expires_in_minutes(d).unwrap_err();
            assert!(err.message().contains("whole number of minutes"), "{err}");
        }
        assert!(expires_in_minutes(Duration::MAX).is_err());
    }
}
