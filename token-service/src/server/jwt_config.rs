//! The JWT settings as a [`JwtConfig`].

use crate::{
    jwt::{parse_algorithms, JwksSource, JwtConfig, JwtConfigError},
    settings::JwtSettings,
};

/// The [`JwtConfig`] of the settings (checked when the authenticator is made).
pub fn jwt_config(settings: &JwtSettings) -> Result<JwtConfig, JwtConfigError> {
    let mut config =
        JwtConfig::new(&settings.issuer, &settings.audience).with_user_claim(&settings.user_claim);
    if let Some(url) = &settings.jwks_url {
        config.jwks = JwksSource::parse(url)?;
    }
    if let Some(algorithms) = &settings.algorithms {
        config.algorithms = parse_algorithms(algorithms)?;
    }
    config.min_refresh = settings.jwks_min_refresh;
    config.required_scope = settings.required_scope.clone();
    config.required_role = settings.required_role.clone();
    Ok(config)
}
