//! CORS for the configured origins only, and the request body limit.

use super::ServerError;
use crate::TEAMS_TOKEN_HEADER;
use axum::{
    http::{header, HeaderName, HeaderValue, Method},
    Router,
};
use tower_http::{
    cors::{AllowOrigin, CorsLayer},
    limit::RequestBodyLimitLayer,
};

/// `router` with a body limit of `body_limit` bytes and, when `origins` is not empty,
/// CORS for exactly those origins.
pub fn with_http_layers(
    router: Router,
    origins: &[String],
    body_limit: usize,
) -> Result<Router, ServerError> {
    let mut router = router.layer(RequestBodyLimitLayer::new(body_limit));
    if !origins.is_empty() {
        let origins = origins
            .iter()
            .map(|o| {
                HeaderValue::from_str(o).map_err(|_| {
                    ServerError(format!(
                        "ACS_TOKEN_SERVICE_CORS_ORIGINS: {o:?} is not an origin (expected e.g. https://app.contoso.com)"
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        router = router.layer(
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(origins))
                .allow_methods([Method::GET, Method::POST, Method::DELETE])
                .allow_headers([
                    header::AUTHORIZATION,
                    header::CONTENT_TYPE,
                    HeaderName::from_static(TEAMS_TOKEN_HEADER),
                ]),
        );
    }
    Ok(router)
}
