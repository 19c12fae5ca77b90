//! Throttling like the service's (`--throttle`, `EmulatorBuilder::throttle`):
//! per operation, at most N requests in any window of W; the next one is answered `429` with
//! `Retry-After`.
//!
//! The defaults are the service's published limits
//! (<https://learn.microsoft.com/azure/communication-services/concepts/service-limits>):
//! create identity, issue token and createUserAndToken 1000 per 30 s; delete identity, revoke
//! and the Teams user exchange 500 per 30 s. Each operation has its own window; the service
//! lists createUserAndToken (`POST /identities` with a non-empty `createTokenWithScopes`)
//! separately, so it is a bucket of its own, and counts against neither create nor issue.

use std::collections::VecDeque;
use std::fmt;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// An ACS operation with a published request limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ThrottledOperation {
    /// `POST /identities` without a token (`create`).
    CreateIdentity,
    /// `DELETE /identities/{id}` (`delete`).
    DeleteIdentity,
    /// `POST /identities/{id}/:issueAccessToken` (`issue`).
    IssueToken,
    /// `POST /identities/{id}/:revokeAccessTokens` (`revoke`).
    RevokeTokens,
    /// `POST /identities` with a non-empty `createTokenWithScopes` (`createUserAndToken`).
    CreateUserAndToken,
    /// `POST /teamsUser/:exchangeAccessToken`, the Teams user exchange (`exchange`).
    TeamsUserExchange,
}

impl ThrottledOperation {
    /// Every throttled operation.
    pub const ALL: [ThrottledOperation; 6] = [
        ThrottledOperation::CreateIdentity,
        ThrottledOperation::DeleteIdentity,
        ThrottledOperation::IssueToken,
        ThrottledOperation::RevokeTokens,
        ThrottledOperation::CreateUserAndToken,
        ThrottledOperation::TeamsUserExchange,
    ];

    /// The name `--throttle` takes: `create`, `delete`, `issue`, `revoke`,
    /// `createUserAndToken`, `exchange`.
    pub fn name(self) -> &'static str {
        match self {
            ThrottledOperation::CreateIdentity => "create",
            ThrottledOperation::DeleteIdentity => "delete",
            ThrottledOperation::IssueToken => "issue",
            ThrottledOperation::RevokeTokens => "revoke",
            ThrottledOperation::CreateUserAndToken => "createUserAndToken",
            ThrottledOperation::TeamsUserExchange => "exchange",
        }
    }

    /// The service's published limit.
    pub fn service_limit(self) -> ThrottleLimit {
        let requests = match self {
            ThrottledOperation::CreateIdentity
            | ThrottledOperation::IssueToken
            | ThrottledOperation::CreateUserAndToken => 1000,
            ThrottledOperation::DeleteIdentity
            | ThrottledOperation::RevokeTokens
            | ThrottledOperation::TeamsUserExchange => 500,
        };
        ThrottleLimit {
            requests,
            window: Duration::from_secs(30),
        }
    }

    /// From its name, in any case (`create-user-and-token` also names createUserAndToken).
    fn parse(s: &str) -> Option<ThrottledOperation> {
        if s.eq_ignore_ascii_case("create-user-and-token") {
            return Some(ThrottledOperation::CreateUserAndToken);
        }
        ThrottledOperation::ALL
            .into_iter()
            .find(|op| op.name().eq_ignore_ascii_case(s))
    }

    fn index(self) -> usize {
        ThrottledOperation::ALL
            .iter()
            .position(|op| *op == self)
            .unwrap_or(0)
    }
}

/// At most `requests` in any `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleLimit {
    /// Requests let through per window (0 refuses every request).
    pub requests: u32,
    /// The window.
    pub window: Duration,
}

/// The limits `--throttle` enforces; [`Default`] is the service's published limits
/// ([`ThrottledOperation::service_limit`]).
///
/// From a string (`"issue=50/5s,delete=10/1m"`, or `""` for the defaults) with [`FromStr`]:
/// comma-separated `OPERATION=N/WINDOW` overrides, `OPERATION` one of `create`, `delete`,
/// `issue`, `revoke`, `createUserAndToken`, `exchange`, `WINDOW` a whole number with `ms`,
/// `s`, `m` or `h` (a bare number is seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThrottleConfig {
    limits: [ThrottleLimit; 6],
}

impl Default for ThrottleConfig {
    fn default() -> Self {
        ThrottleConfig {
            limits: ThrottledOperation::ALL.map(ThrottledOperation::service_limit),
        }
    }
}

impl ThrottleConfig {
    /// The service's published limits (the same as [`Default`]).
    pub fn service_limits() -> Self {
        Self::default()
    }

    /// Replaces the limit of `operation`.
    pub fn with_limit(mut self, operation: ThrottledOperation, limit: ThrottleLimit) -> Self {
        self.limits[operation.index()] = limit;
        self
    }

    /// The limit of `operation`.
    pub fn limit(&self, operation: ThrottledOperation) -> ThrottleLimit {
        self.limits[operation.index()]
    }

    /// Applies comma-separated `OPERATION=N/WINDOW` overrides (see [`ThrottleConfig`]).
    pub fn apply(mut self, overrides: &str) -> Result<Self, ThrottleConfigError> {
        for item in overrides
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let bad = |why: &str| ThrottleConfigError(format!("'{item}': {why}"));
            let (name, limit) = item
                .split_once('=')
                .ok_or_else(|| bad("expected OPERATION=N/WINDOW, e.g. issue=50/5s"))?;
            let op = ThrottledOperation::parse(name.trim()).ok_or_else(|| {
                bad("unknown operation; expected create, delete, issue, revoke, createUserAndToken or exchange")
            })?;
            let (n, window) = limit
                .split_once('/')
                .ok_or_else(|| bad("expected N/WINDOW, e.g. 50/5s"))?;
            let requests = n
                .trim()
                .parse::<u32>()
                .map_err(|_| bad("the number of requests must be a whole number"))?;
            let window = parse_window(window.trim()).ok_or_else(|| {
                bad("the window must be a whole number with ms, s, m or h, e.g. 5s")
            })?;
            if window.is_zero() {
                return Err(bad("the window must be longer than zero"));
            }
            self = self.with_limit(op, ThrottleLimit { requests, window });
        }
        Ok(self)
    }
}

impl FromStr for ThrottleConfig {
    type Err = ThrottleConfigError;

    /// The defaults with the overrides of `s` applied ([`ThrottleConfig::apply`]).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ThrottleConfig::default().apply(s)
    }
}

/// A `--throttle` value that could not be read: what is wrong and what is expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThrottleConfigError(String);

impl fmt::Display for ThrottleConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid throttle limit {}", self.0)
    }
}

impl std::error::Error for ThrottleConfigError {}

fn parse_window(s: &str) -> Option<Duration> {
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (digits, unit) = s.split_at(split);
    let n: u64 = digits.parse().ok()?;
    match unit {
        "ms" => Some(Duration::from_millis(n)),
        "" | "s" => Some(Duration::from_secs(n)),
        "m" => Some(Duration::from_secs(n.saturating_mul(60))),
        "h" => Some(Duration::from_secs(n.saturating_mul(3600))),
        _ => None,
    }
}

/// The running limiter: per operation, the times of the requests let through within the last
/// window (a sliding window, so at most N pass in ANY window of W).
pub(crate) struct Throttle {
    config: ThrottleConfig,
    passed: [Mutex<VecDeque<Instant>>; 6],
}

impl Throttle {
    pub(crate) fn new(config: ThrottleConfig) -> Self {
        Throttle {
            config,
            passed: Default::default(),
        }
    }

    /// `N requests per W` for messages.
    pub(crate) fn limit_text(&self, operation: ThrottledOperation) -> String {
        let limit = self.config.limit(operation);
        format!("{} requests per {:?}", limit.requests, limit.window)
    }

    /// Lets one request of `operation` through at `now`, or says how long until the window
    /// lets one more through.
    pub(crate) fn admit(
        &self,
        operation: ThrottledOperation,
        now: Instant,
    ) -> Result<(), Duration> {
        let limit = self.config.limit(operation);
        let mut passed = self.passed[operation.index()]
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        while passed
            .front()
            .is_some_and(|t| now.duration_since(*t) >= limit.window)
        {
            passed.pop_front();
        }
        if passed.len() < limit.requests as usize {
            passed.push_back(now);
            return Ok(());
        }
        // Full: the oldest of the window leaves it first (with no request allowed at all, a
        // whole window).
        Err(passed
            .front()
            .map_or(limit.window, |t| limit.window - now.duration_since(*t)))
    }
}

/// `Retry-After` in whole seconds: `wait` rounded up, at least 1.
pub(crate) fn retry_after_secs(wait: Duration) -> u64 {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    secs.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_service_limits() {
        let c = ThrottleConfig::default();
        let thirty = Duration::from_secs(30);
        for (op, n) in [
            (ThrottledOperation::CreateIdentity, 1000),
            (ThrottledOperation::IssueToken, 1000),
            (ThrottledOperation::CreateUserAndToken, 1000),
            (ThrottledOperation::DeleteIdentity, 500),
            (ThrottledOperation::RevokeTokens, 500),
            (ThrottledOperation::TeamsUserExchange, 500),
        ] {
            assert_eq!(
                c.limit(op),
                ThrottleLimit {
                    requests: n,
                    window: thirty
                },
                "{op:?}"
            );
        }
        assert_eq!("".parse::<ThrottleConfig>().unwrap(), c);
    }

    #[test]
    fn overrides() {
        let c: ThrottleConfig = "issue=50/5s, Delete=3/250ms,create-user-and-token=7/1m"
            .parse()
            .unwrap();
        assert_eq!(
            c.limit(ThrottledOperation::IssueToken),
            ThrottleLimit {
                requests: 50,
                window: Duration::from_secs(5)
            }
        );
        assert_eq!(
            c.limit(ThrottledOperation::DeleteIdentity),
            ThrottleLimit {
                requests: 3,
                window: Duration::from_millis(250)
            }
        );
        assert_eq!(c.limit(ThrottledOperation::CreateUserAndToken).requests, 7);
        assert_eq!(c.limit(ThrottledOperation::CreateIdentity).requests, 1000);
        for bad in [
            "issue",
            "issue=50",
            "nope=1/1s",
            "issue=x/1s",
            "issue=1/1d",
            "issue=1/0s",
        ] {
            let e = bad.parse::<ThrottleConfig>().unwrap_err().to_string();
            assert!(e.contains(bad.split(',').next().unwrap()), "{e}");
        }
    }

    #[test]
    fn a_sliding_window_per_operation() {
        let t = Throttle::new(ThrottleConfig::default().with_limit(
            ThrottledOperation::IssueToken,
            ThrottleLimit {
                requests: 2,
                window: Duration::from_secs(10),
            },
        ));
        let t0 = Instant::now();
        let at = |ms: u64| t0 + Duration::from_millis(ms);
        assert!(t.admit(ThrottledOperation::IssueToken, at(0)).is_ok());
        assert!(t.admit(ThrottledOperation::IssueToken, at(4000)).is_ok());
        assert_eq!(
            t.admit(ThrottledOperation::IssueToken, at(5000)),
            Err(Duration::from_secs(5))
        );
        assert!(t.admit(ThrottledOperation::RevokeTokens, at(5000)).is_ok());
        assert!(t.admit(ThrottledOperation::IssueToken, at(10_000)).is_ok());
        assert_eq!(
            t.admit(ThrottledOperation::IssueToken, at(10_500)),
            Err(Duration::from_millis(3500))
        );
        assert_eq!(retry_after_secs(Duration::from_millis(3500)), 4);
        assert_eq!(retry_after_secs(Duration::from_secs(5)), 5);
        assert_eq!(retry_after_secs(Duration::ZERO), 1);
    }
}
