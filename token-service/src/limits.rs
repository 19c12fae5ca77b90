//! [`Operation`] and [`Limits`]: how many ACS calls of each kind the service makes per
//! window, with the Identity service's documented defaults.

use std::{collections::BTreeMap, fmt, str::FromStr, time::Duration};

/// An ACS operation the service calls, as the limiter and the metrics name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Operation {
    /// Create an identity (`create`).
    Create,
    /// Issue a token for an identity (`issue`).
    Issue,
    /// Create an identity and issue its token in one call (`createUserAndToken`).
    CreateUserAndToken,
    /// Delete an identity (`delete`).
    Delete,
    /// Revoke an identity's tokens (`revoke`).
    Revoke,
    /// Exchange a Teams user's Entra token (`teams`).
    Teams,
}

impl Operation {
    /// Every operation.
    pub const ALL: [Operation; 6] = [
        Operation::Create,
        Operation::Issue,
        Operation::CreateUserAndToken,
        Operation::Delete,
        Operation::Revoke,
        Operation::Teams,
    ];

    /// The name in configuration and metrics.
    pub fn name(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::Issue => "issue",
            Operation::CreateUserAndToken => "createUserAndToken",
            Operation::Delete => "delete",
            Operation::Revoke => "revoke",
            Operation::Teams => "teams",
        }
    }

    /// The Identity service's documented limit: 1,000 per 30 s for create, issue and
    /// createUserAndToken; 500 per 30 s for delete, revoke and the Teams exchange.
    pub fn service_default(self) -> Limit {
        let max = match self {
            Operation::Create | Operation::Issue | Operation::CreateUserAndToken => 1000,
            Operation::Delete | Operation::Revoke | Operation::Teams => 500,
        };
        Limit {
            max,
            window: Duration::from_secs(30),
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Operation {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Operation::ALL
            .into_iter()
            .find(|op| op.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                format!(
                    "unknown operation {:?}; expected one of create, issue, createUserAndToken, \
                     delete, revoke, teams",
                    s.trim()
                )
            })
    }
}

/// At most `max` calls per `window`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    /// Calls allowed per window (at least 1).
    pub max: u32,
    /// The sliding window.
    pub window: Duration,
}

/// The limit of each operation; an operation without one is not limited.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    limits: BTreeMap<Operation, Limit>,
}

impl Default for Limits {
    /// The Identity service's documented limits.
    fn default() -> Self {
        Self {
            limits: Operation::ALL
                .into_iter()
                .map(|op| (op, op.service_default()))
                .collect(),
        }
    }
}

impl Limits {
    /// No operation limited.
    pub fn none() -> Self {
        Self {
            limits: BTreeMap::new(),
        }
    }

    /// The limit of `op`, if any.
    pub fn get(&self, op: Operation) -> Option<Limit> {
        self.limits.get(&op).copied()
    }

    /// Sets the limit of `op` (`None`: unlimited).
    pub fn set(&mut self, op: Operation, limit: Option<Limit>) -> &mut Self {
        match limit {
            Some(limit) => self.limits.insert(op, limit),
            None => self.limits.remove(&op),
        };
        self
    }

    /// Applies overrides like `issue=50/5s,delete=off` to these limits. The window takes
    /// the units of [`parse_duration`](crate::settings::parse_duration).
    pub fn apply(&mut self, spec: &str) -> Result<(), String> {
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (op, value) = part.split_once('=').ok_or_else(|| {
                format!("limit {part:?}: expected OPERATION=COUNT/WINDOW (e.g. issue=1000/30s) or OPERATION=off")
            })?;
            let op: Operation = op.parse()?;
            let value = value.trim();
            if value.eq_ignore_ascii_case("off") {
                self.set(op, None);
                continue;
            }
            let (max, window) = value.split_once('/').ok_or_else(|| {
                format!("limit {part:?}: expected COUNT/WINDOW (e.g. 1000/30s) or off")
            })?;
            let max: u32 = max.trim().parse().ok().filter(|m| *m > 0).ok_or_else(|| {
                format!("limit {part:?}: the count must be a whole number above 0")
            })?;
            let window = crate::settings::parse_duration(window)
                .ok()
                .filter(|w| !w.is_zero())
                .ok_or_else(|| {
                    format!("limit {part:?}: the window must be a duration above 0 like 30s or 1m")
                })?;
            self.set(op, Some(Limit { max, window }));
        }
        Ok(())
    }
}
