//! Every setting: its environment variable and its key in the TOML file.

/// A setting's environment variable, TOML key and meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Setting {
    /// The environment variable (binding: deployment scripts use it).
    pub env: &'static str,
    /// The key in the `--config` TOML file: the variable in lower case without its
    /// `ACS_TOKEN_SERVICE_` or `COMMUNICATION_SERVICES_` prefix.
    pub key: &'static str,
    /// What it sets, and its default.
    pub help: &'static str,
}

macro_rules! settings {
    ($($name:ident = $env:literal, $key:literal, $help:literal;)*) => {
        $(
            #[doc = concat!("`", $env, "` (TOML `", $key, "`): ", $help)]
            pub const $name: Setting = Setting { env: $env, key: $key, help: $help };
        )*
        /// Every setting, in the order of the README's table.
        pub const ALL: &[Setting] = &[$($name),*];
    };
}

settings! {
    CONNECTION_STRING = "COMMUNICATION_SERVICES_CONNECTION_STRING", "connection_string",
        "the ACS resource's connection string (else the endpoint with Entra ID)";
    ENDPOINT = "COMMUNICATION_SERVICES_ENDPOINT", "endpoint",
        "the ACS endpoint (`https://RESOURCE.communication.azure.com`), with Entra ID";
    CREDENTIAL = "COMMUNICATION_SERVICES_CREDENTIAL", "credential",
        "the Entra ID credential with the endpoint: managed-identity (default) or developer-tools";
    MANAGED_IDENTITY_CLIENT_ID = "COMMUNICATION_SERVICES_MANAGED_IDENTITY_CLIENT_ID", "managed_identity_client_id",
        "client id of a user-assigned managed identity (default: the system-assigned one)";
    API_VERSION = "COMMUNICATION_SERVICES_API_VERSION", "api_version",
        "the ACS api-version (default: the acs-identity crate's)";
    LISTEN = "ACS_TOKEN_SERVICE_LISTEN", "listen",
        "address:port to listen on, port 0 = any (default 127.0.0.1:8080)";
    DATABASE_URL = "ACS_TOKEN_SERVICE_DATABASE_URL", "database_url",
        "sqlite://PATH, postgres://... or acs-custom-id (default sqlite://acs-token-service.db)";
    ISSUER = "ACS_TOKEN_SERVICE_ISSUER", "issuer",
        "the required iss of callers' JWTs (required)";
    JWKS_URL = "ACS_TOKEN_SERVICE_JWKS_URL", "jwks_url",
        "the JWKS URL, file://PATH for a local file (default: from the issuer's discovery document)";
    JWKS_MIN_REFRESH = "ACS_TOKEN_SERVICE_JWKS_MIN_REFRESH", "jwks_min_refresh",
        "least time between two key refetches caused by unknown kids (default 60s)";
    AUDIENCE = "ACS_TOKEN_SERVICE_AUDIENCE", "audience",
        "the required aud of callers' JWTs (required)";
    REQUIRED_SCOPE = "ACS_TOKEN_SERVICE_REQUIRED_SCOPE", "required_scope",
        "scope callers' JWTs must carry in scp (default access_as_user; empty: none)";
    REQUIRED_ROLE = "ACS_TOKEN_SERVICE_REQUIRED_ROLE", "required_role",
        "role callers' JWTs must carry in roles, accepted instead of the scope (default none)";
    USER_CLAIM = "ACS_TOKEN_SERVICE_USER_CLAIM", "user_claim",
        "claim that names the app user (default oid, else sub)";
    ALGORITHMS = "ACS_TOKEN_SERVICE_ALGORITHMS", "algorithms",
        "JWT signature algorithms accepted (default RS256,ES256; none and HMAC refused)";
    SCOPES = "ACS_TOKEN_SERVICE_SCOPES", "scopes",
        "default ACS scopes of GET /api/token (default chat,voip)";
    TEAMS_CLIENT_ID = "ACS_TOKEN_SERVICE_TEAMS_CLIENT_ID", "teams_client_id",
        "Entra app id for the Teams exchange (default none: GET /api/token/teams answers 404)";
    CACHE = "ACS_TOKEN_SERVICE_CACHE", "cache",
        "on or off (off = a fresh token every time; default on)";
    CACHE_MIN_REMAINING = "ACS_TOKEN_SERVICE_CACHE_MIN_REMAINING", "cache_min_remaining",
        "a cached token is reused only while it has more than this left (default 30m)";
    PREFIX = "ACS_TOKEN_SERVICE_PREFIX", "prefix",
        "path prefix of the app routes (default /api)";
    REQUIRE_USER = "ACS_TOKEN_SERVICE_REQUIRE_USER", "require_user",
        "true: GET /api/token answers 404 until POST /api/user (default false: created on first use)";
    LIMITS = "ACS_TOKEN_SERVICE_LIMITS", "limits",
        "ACS call limits, e.g. issue=1000/30s,delete=off (default: the service's documented limits)";
    LIMIT_MAX_WAIT = "ACS_TOKEN_SERVICE_LIMIT_MAX_WAIT", "limit_max_wait",
        "longest wait for a limiter slot before 503 with Retry-After (default 10s)";
    DELETION_RETRY_INTERVAL = "ACS_TOKEN_SERVICE_DELETION_RETRY_INTERVAL", "deletion_retry_interval",
        "how often queued identity deletions are retried (default 60s)";
    CORS_ORIGINS = "ACS_TOKEN_SERVICE_CORS_ORIGINS", "cors_origins",
        "origins allowed by CORS, comma-separated (default none: no CORS headers)";
    BODY_LIMIT = "ACS_TOKEN_SERVICE_BODY_LIMIT", "body_limit",
        "largest request body in bytes (default 16384)";
    LOG_FORMAT = "ACS_TOKEN_SERVICE_LOG_FORMAT", "log_format",
        "text or json (default text; the level from RUST_LOG, default info)";
}
