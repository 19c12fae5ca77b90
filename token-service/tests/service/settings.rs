//! The binary's settings: the binding environment names, the TOML keys, refusals.

use acs_token_service::settings::{names, parse_duration, AcsCredential, LogFormat, Settings};
use acs_token_service::Operation;
use std::{collections::HashMap, time::Duration};

fn load(vars: &[(&str, &str)]) -> Result<Settings, String> {
    let env: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Settings::load(None, |name| env.get(name).cloned()).map_err(|e| e.to_string())
}

const REQUIRED: [(&str, &str); 2] = [
    (
        "ACS_TOKEN_SERVICE_ISSUER",
        "https://login.example/tenant/v2.0",
    ),
    ("ACS_TOKEN_SERVICE_AUDIENCE", "api://token-service"),
];

#[test]
fn missing_issuer_or_audience_is_refused_naming_the_setting() {
    let settings = load(&[]).unwrap();
    assert!(settings
        .jwt()
        .unwrap_err()
        .to_string()
        .contains("ACS_TOKEN_SERVICE_ISSUER"));
    let settings = load(&[REQUIRED[0]]).unwrap();
    assert!(settings
        .jwt()
        .unwrap_err()
        .to_string()
        .contains("ACS_TOKEN_SERVICE_AUDIENCE"));
    let settings = load(&REQUIRED).unwrap();
    let jwt = settings.jwt().unwrap();
    assert_eq!(jwt.issuer, "https://login.example/tenant/v2.0");
    assert_eq!(jwt.audience, "api://token-service");
}

#[test]
fn the_defaults_are_the_issues_table() {
    let s = load(&REQUIRED).unwrap();
    assert_eq!(s.listen, "127.0.0.1:8080");
    assert_eq!(s.database_url.0, "sqlite://acs-token-service.db");
    let jwt = s.jwt().unwrap();
    assert_eq!(jwt.jwks_url, None);
    assert_eq!(jwt.jwks_min_refresh, Duration::from_secs(60));
    assert_eq!(jwt.required_scope.as_deref(), Some("access_as_user"));
    assert_eq!(jwt.user_claim, "oid");
    assert_eq!(
        s.service
            .default_scopes
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>(),
        ["chat", "voip"]
    );
    assert_eq!(s.service.teams_client_id, None);
    assert!(s.service.cache);
    assert_eq!(s.service.prefix, "/api");
    assert_eq!(s.acs, None);
    assert_eq!(s.log_format, LogFormat::Text);
}

#[test]
fn every_binding_environment_name_is_read() {
    let s = load(&[
        (
            "COMMUNICATION_SERVICES_CONNECTION_STRING",
            "endpoint=https://x.communication.azure.com/;accesskey=c2VjcmV0",
        ),
        ("ACS_TOKEN_SERVICE_LISTEN", "0.0.0.0:0"),
        ("ACS_TOKEN_SERVICE_DATABASE_URL", "postgres://u:pw@db/acs"),
        ("ACS_TOKEN_SERVICE_ISSUER", "https://issuer.example"),
        ("ACS_TOKEN_SERVICE_JWKS_URL", "file:///etc/jwks.json"),
        ("ACS_TOKEN_SERVICE_JWKS_MIN_REFRESH", "5m"),
        ("ACS_TOKEN_SERVICE_AUDIENCE", "aud"),
        ("ACS_TOKEN_SERVICE_REQUIRED_SCOPE", "tokens.read"),
        ("ACS_TOKEN_SERVICE_USER_CLAIM", "sub"),
        ("ACS_TOKEN_SERVICE_SCOPES", "voip"),
        ("ACS_TOKEN_SERVICE_TEAMS_CLIENT_ID", "app-id"),
        ("ACS_TOKEN_SERVICE_CACHE", "off"),
        ("ACS_TOKEN_SERVICE_LIMITS", "issue=50/5s"),
        ("ACS_TOKEN_SERVICE_LOG_FORMAT", "json"),
    ])
    .unwrap();
    assert!(matches!(s.acs, Some(AcsCredential::ConnectionString(_))));
    assert_eq!(s.listen, "0.0.0.0:0");
    assert_eq!(s.database_url.0, "postgres://u:pw@db/acs");
    let jwt = s.jwt().unwrap();
    assert_eq!(jwt.jwks_url.as_deref(), Some("file:///etc/jwks.json"));
    assert_eq!(jwt.jwks_min_refresh, Duration::from_secs(300));
    assert_eq!(jwt.required_scope.as_deref(), Some("tokens.read"));
    assert_eq!(jwt.user_claim, "sub");
    assert_eq!(s.service.default_scopes.len(), 1);
    assert_eq!(s.service.teams_client_id.as_deref(), Some("app-id"));
    assert!(!s.service.cache);
    assert_eq!(s.service.limits.get(Operation::Issue).unwrap().max, 50);
    assert_eq!(s.log_format, LogFormat::Json);
    // Secrets stay out of Debug.
    let debug = format!("{s:?}");
    assert!(
        !debug.contains("c2VjcmV0") && !debug.contains("pw@"),
        "{debug}"
    );
}

#[test]
fn toml_keys_are_the_names_without_prefix_and_the_environment_wins() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("service.toml");
    std::fs::write(
        &path,
        "issuer = \"https://file.example\"\naudience = \"file-aud\"\ncache = \"off\"\n\
         endpoint = \"https://x.communication.azure.com\"\ncredential = \"developer-tools\"\n\
         scopes = [\"chat\", \"voip\"]\n",
    )
    .unwrap();
    let s = Settings::load(Some(&path), |name| {
        (name == "ACS_TOKEN_SERVICE_AUDIENCE").then(|| "env-aud".to_owned())
    })
    .unwrap();
    let jwt = s.jwt().unwrap();
    assert_eq!(jwt.issuer, "https://file.example");
    assert_eq!(jwt.audience, "env-aud");
    assert!(!s.service.cache);
    assert!(matches!(s.acs, Some(AcsCredential::DeveloperTools { .. })));
    for setting in names::ALL {
        let expected = setting
            .env
            .trim_start_matches("ACS_TOKEN_SERVICE_")
            .trim_start_matches("COMMUNICATION_SERVICES_")
            .to_ascii_lowercase();
        assert_eq!(setting.key, expected);
    }

    std::fs::write(&path, "isuser = \"typo\"\n").unwrap();
    let err = Settings::load(Some(&path), |_| None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("isuser"), "{err}");
}

#[test]
fn bad_values_name_the_setting_and_what_is_expected() {
    for (name, value) in [
        ("ACS_TOKEN_SERVICE_CACHE", "maybe"),
        ("ACS_TOKEN_SERVICE_JWKS_MIN_REFRESH", "10"),
        ("ACS_TOKEN_SERVICE_LISTEN", "localhost"),
        ("ACS_TOKEN_SERVICE_SCOPES", "chat,video"),
        ("ACS_TOKEN_SERVICE_LIMITS", "issue=lots"),
        ("ACS_TOKEN_SERVICE_LOG_FORMAT", "xml"),
        ("COMMUNICATION_SERVICES_CREDENTIAL", "password"),
    ] {
        let mut vars = REQUIRED.to_vec();
        vars.push((name, value));
        if name == "COMMUNICATION_SERVICES_CREDENTIAL" {
            vars.push((
                "COMMUNICATION_SERVICES_ENDPOINT",
                "https://x.communication.azure.com",
            ));
        }
        let err = load(&vars).unwrap_err();
        assert!(err.contains(name), "{name}: {err}");
    }
}

#[test]
fn durations_take_a_unit() {
    assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
    assert_eq!(parse_duration("5m"), Ok(Duration::from_secs(300)));
    assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
    assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
    for bad in ["", "30", "s", "5 weeks", "-1s", "1.5s"] {
        assert!(parse_duration(bad).is_err(), "{bad}");
    }
}
