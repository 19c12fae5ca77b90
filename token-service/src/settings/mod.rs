//! The binary's settings: a TOML file (`--config FILE`) with environment overrides. The
//! environment names are binding; each TOML key is its variable in lower case without the
//! `ACS_TOKEN_SERVICE_` or `COMMUNICATION_SERVICES_` prefix (see [`names`]).

mod duration;
pub mod names;

pub use crate::scopes::parse_scopes;
pub use duration::parse_duration;

use crate::{config::ServiceConfig, limits::Limits};
use names::Setting;
use std::{collections::BTreeMap, fmt, path::Path, time::Duration};

/// A setting that cannot be used: which one, what is wrong, what is expected. Never holds
/// the value of a secret setting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingsError {
    message: String,
}

impl SettingsError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    fn bad(setting: Setting, problem: impl fmt::Display) -> Self {
        Self::new(format!(
            "setting {} (TOML key `{}`): {problem}",
            setting.env, setting.key
        ))
    }
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SettingsError {}

/// How the service reaches ACS.
#[derive(Clone, PartialEq, Eq)]
pub enum AcsCredential {
    /// A connection string with the access key.
    ConnectionString(String),
    /// An endpoint with a managed identity (`client_id`: a user-assigned one).
    ManagedIdentity {
        /// The ACS endpoint.
        endpoint: String,
        /// A user-assigned identity's client id.
        client_id: Option<String>,
    },
    /// An endpoint with the developer tools' sign-in (Azure CLI, azd).
    DeveloperTools {
        /// The ACS endpoint.
        endpoint: String,
    },
}

impl fmt::Debug for AcsCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ConnectionString(_) => f.write_str("ConnectionString(<redacted>)"),
            Self::ManagedIdentity { endpoint, .. } => {
                write!(f, "ManagedIdentity({endpoint})")
            }
            Self::DeveloperTools { endpoint } => write!(f, "DeveloperTools({endpoint})"),
        }
    }
}

/// The caller JWT settings (turned into `jwt::JwtConfig` by the binary).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JwtSettings {
    /// Required `iss`.
    pub issuer: String,
    /// Required `aud`.
    pub audience: String,
    /// JWKS URL or `file://PATH`; `None`: discovery.
    pub jwks_url: Option<String>,
    /// Least time between unknown-`kid` refetches.
    pub jwks_min_refresh: Duration,
    /// Required `scp` scope (`None`: none).
    pub required_scope: Option<String>,
    /// Required `roles` role.
    pub required_role: Option<String>,
    /// The app user claim.
    pub user_claim: String,
    /// Accepted algorithms, as written (`RS256,ES256`); `None`: the default.
    pub algorithms: Option<String>,
}

/// Text or JSON logs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// Every setting, checked.
#[derive(Clone, Debug)]
pub struct Settings {
    /// How to reach ACS; `None` when neither a connection string nor an endpoint is set.
    pub acs: Option<AcsCredential>,
    /// The ACS api-version; `None`: the crate's default.
    pub api_version: Option<String>,
    /// Where to listen.
    pub listen: String,
    /// The store URL (may hold a password: never logged).
    pub database_url: Redacted,
    /// The caller JWT settings, or the required one (issuer or audience) that is unset
    /// (refused unless `--dev`, see [`Settings::jwt`]).
    jwt: Result<JwtSettings, Setting>,
    /// The service's behaviour.
    pub service: ServiceConfig,
    /// CORS origins.
    pub cors_origins: Vec<String>,
    /// Request body limit in bytes.
    pub body_limit: usize,
    /// Log format.
    pub log_format: LogFormat,
}

/// A string that is not printed by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Redacted(pub String);

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl Settings {
    /// Reads the TOML file at `file` (if any), then the environment through `env`
    /// (`std::env::var` in the binary), which overrides it.
    pub fn load(
        file: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, SettingsError> {
        let mut values = BTreeMap::new();
        if let Some(path) = file {
            let text = std::fs::read_to_string(path).map_err(|e| {
                SettingsError::new(format!(
                    "cannot read the config file {}: {e}",
                    path.display()
                ))
            })?;
            values = from_toml(&text)
                .map_err(|e| SettingsError::new(format!("config file {}: {e}", path.display())))?;
        }
        for setting in names::ALL {
            if let Some(value) = env(setting.env) {
                values.insert(setting.key, value);
            }
        }
        Self::from_values(&values)
    }

    /// The caller JWT settings, or the error that names the missing required setting.
    pub fn jwt(&self) -> Result<&JwtSettings, SettingsError> {
        self.jwt.as_ref().map_err(|missing| {
            SettingsError::bad(
                *missing,
                "is required (callers' tokens are never accepted from any issuer or for any \
                 audience); set it, or run with --dev to try the service",
            )
        })
    }

    /// Replaces the JWT settings (`--dev` uses its own issuer).
    pub fn set_jwt(&mut self, jwt: JwtSettings) {
        self.jwt = Ok(jwt);
    }

    fn from_values(values: &BTreeMap<&'static str, String>) -> Result<Self, SettingsError> {
        use names::*;
        let get = |s: Setting| {
            values
                .get(s.key)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let duration = |s: Setting, default: Duration| -> Result<Duration, SettingsError> {
            get(s).map_or(Ok(default), |v| {
                parse_duration(&v).map_err(|e| SettingsError::bad(s, e))
            })
        };
        let boolean = |s: Setting, default: bool| -> Result<bool, SettingsError> {
            match get(s).as_deref().map(str::to_ascii_lowercase).as_deref() {
                None => Ok(default),
                Some("on" | "true" | "yes" | "1") => Ok(true),
                Some("off" | "false" | "no" | "0") => Ok(false),
                Some(other) => Err(SettingsError::bad(
                    s,
                    format!("{other:?} is not a switch; expected on or off"),
                )),
            }
        };

        let acs = match (get(CONNECTION_STRING), get(ENDPOINT)) {
            (Some(cs), _) => Some(AcsCredential::ConnectionString(cs)),
            (None, Some(endpoint)) => Some(match get(CREDENTIAL).as_deref() {
                None | Some("managed-identity") => AcsCredential::ManagedIdentity {
                    endpoint,
                    client_id: get(MANAGED_IDENTITY_CLIENT_ID),
                },
                Some("developer-tools") => AcsCredential::DeveloperTools { endpoint },
                Some(other) => {
                    return Err(SettingsError::bad(
                        CREDENTIAL,
                        format!(
                            "{other:?} is not known; expected managed-identity or developer-tools"
                        ),
                    ))
                }
            }),
            (None, None) => None,
        };

        let jwt = match (get(ISSUER), get(AUDIENCE)) {
            (Some(issuer), Some(audience)) => Ok(JwtSettings {
                issuer,
                audience,
                jwks_url: get(JWKS_URL),
                jwks_min_refresh: duration(JWKS_MIN_REFRESH, Duration::from_secs(60))?,
                required_scope: match values.get(REQUIRED_SCOPE.key) {
                    None => Some("access_as_user".to_owned()),
                    Some(v) if v.trim().is_empty() => None,
                    Some(v) => Some(v.trim().to_owned()),
                },
                required_role: get(REQUIRED_ROLE),
                user_claim: get(USER_CLAIM).unwrap_or_else(|| "oid".to_owned()),
                algorithms: get(ALGORITHMS),
            }),
            (None, _) => Err(ISSUER),
            (Some(_), None) => Err(AUDIENCE),
        };

        let mut service = ServiceConfig::default();
        if let Some(prefix) = get(PREFIX) {
            if !prefix.starts_with('/') || prefix.contains(['?', '#', ' ']) {
                return Err(SettingsError::bad(
                    PREFIX,
                    format!("{prefix:?} is not a path; expected e.g. /api"),
                ));
            }
            service.prefix = prefix;
        }
        if let Some(scopes) = get(SCOPES) {
            service.default_scopes =
                parse_scopes(&scopes).map_err(|e| SettingsError::bad(SCOPES, e))?;
        }
        service.require_user = boolean(REQUIRE_USER, false)?;
        service.cache = boolean(CACHE, true)?;
        service.cache_min_remaining = duration(CACHE_MIN_REMAINING, service.cache_min_remaining)?;
        service.teams_client_id = get(TEAMS_CLIENT_ID);
        let mut limits = Limits::default();
        if let Some(spec) = get(LIMITS) {
            limits
                .apply(&spec)
                .map_err(|e| SettingsError::bad(LIMITS, e))?;
        }
        service.limits = limits;
        service.limit_max_wait = duration(LIMIT_MAX_WAIT, service.limit_max_wait)?;
        service.deletion_retry_interval =
            duration(DELETION_RETRY_INTERVAL, service.deletion_retry_interval)?;
        if service.deletion_retry_interval.is_zero() {
            return Err(SettingsError::bad(
                DELETION_RETRY_INTERVAL,
                "must be above 0",
            ));
        }

        let listen = get(LISTEN).unwrap_or_else(|| "127.0.0.1:8080".to_owned());
        if listen.parse::<std::net::SocketAddr>().is_err() {
            return Err(SettingsError::bad(
                LISTEN,
                format!(
                    "{listen:?} is not address:port; expected e.g. 127.0.0.1:8080 or 0.0.0.0:0"
                ),
            ));
        }
        let body_limit = match get(BODY_LIMIT) {
            None => 16 * 1024,
            Some(v) => v.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                SettingsError::bad(BODY_LIMIT, format!("{v:?} is not a byte count above 0"))
            })?,
        };
        let log_format = match get(LOG_FORMAT).as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(SettingsError::bad(
                    LOG_FORMAT,
                    format!("{other:?} is not known; expected text or json"),
                ))
            }
        };
        let cors_origins = get(CORS_ORIGINS)
            .map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|o| !o.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        Ok(Self {
            acs,
            api_version: get(API_VERSION),
            listen,
            database_url: Redacted(
                get(DATABASE_URL).unwrap_or_else(|| "sqlite://acs-token-service.db".to_owned()),
            ),
            jwt,
            service,
            cors_origins,
            body_limit,
            log_format,
        })
    }
}

/// The TOML file's known keys as strings (numbers and booleans written as such; arrays
/// of strings joined with commas). An unknown key is an error: a typo must not be
/// silently ignored.
fn from_toml(text: &str) -> Result<BTreeMap<&'static str, String>, String> {
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| e.message().to_owned())?;
    let mut out = BTreeMap::new();
    for (key, value) in table {
        let setting = names::ALL
            .iter()
            .find(|s| s.key == key || s.env.eq_ignore_ascii_case(&key))
            .ok_or_else(|| {
                format!(
                    "unknown key `{key}`; expected one of {}",
                    names::ALL
                        .iter()
                        .map(|s| s.key)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?;
        let text = match value {
            toml::Value::String(s) => s,
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            toml::Value::Array(items) => items
                .iter()
                .map(|i| i.as_str().map(str::to_owned).ok_or(()))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|()| format!("key `{key}`: expected a string or a list of strings"))?
                .join(","),
            _ => return Err(format!("key `{key}`: expected a string, number or boolean")),
        };
        out.insert(setting.key, text);
    }
    Ok(out)
}
