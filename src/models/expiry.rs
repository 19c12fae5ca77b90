use crate::{
    models::api_version::{self, Feature},
    InvalidArgument,
};
use std::time::Duration;

/// The shortest token lifetime the service accepts (1 hour; checked before
/// sending on the api-versions this crate knows).
pub const MIN_TOKEN_EXPIRES_IN: Duration = Duration::from_secs(60 * 60);
/// The longest token lifetime the service accepts, and its default (24 hours;
/// checked before sending on the api-versions this crate knows).
pub const MAX_TOKEN_EXPIRES_IN: Duration = Duration::from_secs(24 * 60 * 60);

/// A requested token lifetime as the service's `expiresInMinutes` for
/// `version`. On an api-version this crate knows, the service's rules are
/// checked first: 60..=1440 whole minutes, on a version with custom lifetimes.
/// On another version it is sent as given and the service judges it; only what
/// the wire field cannot carry (a fraction of a minute, more than `i32::MAX`
/// minutes) is refused.
pub(crate) fn token_expires_in(
    version: &str,
    expires_in: Duration,
) -> Result<u32, InvalidArgument> {
    if api_version::is_known(version) {
        let minutes = expires_in_minutes(expires_in)?;
        api_version::require(version, Feature::CustomExpiry)?;
        return Ok(minutes);
    }
    whole_minutes(expires_in)?;
    let minutes = expires_in.as_secs() / 60;
    u32::try_from(minutes)
        .ok()
        .filter(|m| *m <= i32::MAX as u32)
        .ok_or_else(|| {
            InvalidArgument::new(
                "token_expires_in",
                format!(
                    "{minutes} minutes does not fit the request's expiresInMinutes (a 32-bit \
                     integer); expected at most {} minutes",
                    i32::MAX
                ),
            )
        })
}

/// Refuses a lifetime that is not a whole number of minutes (`expiresInMinutes`
/// cannot carry it).
fn whole_minutes(expires_in: Duration) -> Result<(), InvalidArgument> {
    if expires_in.subsec_nanos() != 0 || !expires_in.as_secs().is_multiple_of(60) {
        return Err(InvalidArgument::new(
            "token_expires_in",
            format!(
                "{expires_in:?} is not a whole number of minutes; expected whole minutes \
                 from 1 hour to 24 hours (60..=1440 minutes)"
            ),
        ));
    }
    Ok(())
}

/// Converts a requested token lifetime to the service's `expiresInMinutes`,
/// checking the service's rule (a whole number of minutes in 60..=1440) first.
fn expires_in_minutes(expires_in: Duration) -> Result<u32, InvalidArgument> {
    whole_minutes(expires_in)?;
    let seconds = expires_in.as_secs();
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

    #[test]
    fn known_versions_check_the_range_unknown_ones_send_as_given() {
        let minutes = |m: u64| Duration::from_secs(m * 60);
        for version in [api_version::V2026_09_23, api_version::V2022_10_01] {
            assert_eq!(token_expires_in(version, minutes(90)).unwrap(), 90);
            for m in [59, 1441] {
                let err = token_expires_in(version, minutes(m)).unwrap_err();
                assert!(err.message().contains("60..=1440"), "{err}");
            }
        }
        // A known version without custom lifetimes.
        let err = token_expires_in(api_version::V2022_06_01, minutes(90)).unwrap_err();
        assert!(
            err.message().contains("custom token lifetimes need"),
            "{err}"
        );
        // Another version: the service judges the range.
        for m in [1, 59, 1441, 100_000, i32::MAX as u64] {
            assert_eq!(
                token_expires_in("2099-01-01", minutes(m)).unwrap() as u64,
                m
            );
        }
        // What the wire cannot carry is refused on any version.
        let err = token_expires_in("2099-01-01", Duration::from_secs(90)).unwrap_err();
        assert!(err.message().contains("whole number of minutes"), "{err}");
        let err = token_expires_in("2099-01-01", minutes(i32::MAX as u64 + 1)).unwrap_err();
        assert!(err.message().contains("32-bit"), "{err}");
        assert!(token_expires_in("2099-01-01", Duration::MAX).is_err());
    }
}
