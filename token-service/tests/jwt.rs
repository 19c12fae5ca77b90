//! The bearer JWT checks: tokens signed by keys generated here, the JWKS served from
//! 127.0.0.1 (jwt_support). Every refusal of the issue is a test, plus key rotation and the
//! refetch rate for unknown `kid`s (on a clock the test moves: no sleeps).

mod jwt_support;

use acs_token_service::{
    jwt::{dev::DevIssuer, JwksSource, JwtAuthenticator, JwtConfig},
    Caller, CallerAuthenticator, Rejection, RejectionKind,
};
use axum::http::{header::AUTHORIZATION, HeaderMap, HeaderValue};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use jwt_support::{now, Issuer, ManualClock, TestKey};
use serde_json::{json, Value};
use std::{sync::Arc, time::Duration};

const AUD: &str = "api://acs-token-service";

fn claims(issuer: &str) -> Value {
    json!({
        "iss": issuer,
        "aud": AUD,
        "oid": "00000000-0000-0000-0000-0000000000a1",
        "sub": "subject-a1",
        "tid": "tenant-1",
        "scp": "User.Read access_as_user",
        "iat": now(),
        "nbf": now(),
        "exp": now() + 3600,
    })
}

fn config(issuer: &Issuer) -> JwtConfig {
    let mut c = JwtConfig::new(issuer.url.clone(), AUD);
    c.jwks = JwksSource::Url(issuer.jwks_url());
    c
}

fn bearer(token: &str) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(
        AUTHORIZATION,
        HeaderValue::from_str(&format!("Bearer {token}")).unwrap(),
    );
    h
}

async fn check(auth: &JwtAuthenticator, token: &str) -> Result<Caller, Rejection> {
    auth.authenticate(&bearer(token)).await
}

/// A refusal of `kind` whose message says `says` and holds no part of the token.
fn assert_refused(result: Result<Caller, Rejection>, kind: RejectionKind, says: &str, token: &str) {
    let r = result.expect_err("refused");
    assert_eq!(r.kind, kind, "{}", r.message);
    assert!(
        r.message.contains(says),
        "{:?} should say {says:?}",
        r.message
    );
    for part in token.split('.').filter(|p| p.len() > 8) {
        assert!(!r.message.contains(part), "the message echoes the token");
    }
}

/// A token signed by `key` with these claims changed (`null` removes one).
fn token_with(key: &TestKey, issuer: &Issuer, changes: Value) -> String {
    let mut c = claims(&issuer.url);
    for (k, v) in changes.as_object().unwrap() {
        if v.is_null() {
            c.as_object_mut().unwrap().remove(k);
        } else {
            c[k] = v.clone();
        }
    }
    key.sign(&c)
}

async fn setup() -> (TestKey, Issuer, JwtAuthenticator) {
    let key = TestKey::es256("key-1");
    let issuer = Issuer::start(&[&key]).await;
    let auth = JwtAuthenticator::new(config(&issuer)).unwrap();
    (key, issuer, auth)
}

#[tokio::test]
async fn a_valid_es256_token_names_the_app_user_by_issuer_tenant_and_oid() {
    let (key, issuer, auth) = setup().await;
    let caller = check(&auth, &key.sign(&claims(&issuer.url))).await.unwrap();
    assert_eq!(
        caller.app_user,
        format!(
            "{}|tenant-1|00000000-0000-0000-0000-0000000000a1",
            issuer.url
        )
    );
    assert_eq!(
        caller.object_id.as_deref(),
        Some("00000000-0000-0000-0000-0000000000a1")
    );
    // Another tenant's user with the same oid is another app user.
    let other = token_with(&key, &issuer, json!({"tid": "tenant-2"}));
    assert_ne!(
        check(&auth, &other).await.unwrap().app_user,
        caller.app_user
    );
}

#[tokio::test]
async fn a_valid_rs256_token_passes_with_keys_from_discovery() {
    let key = TestKey::rs256("rsa-1");
    let issuer = Issuer::start(&[&key]).await;
    let auth = JwtAuthenticator::new(JwtConfig::new(issuer.url.clone(), AUD)).unwrap();
    let caller = check(&auth, &key.sign(&claims(&issuer.url))).await.unwrap();
    assert!(caller
        .app_user
        .ends_with("|tenant-1|00000000-0000-0000-0000-0000000000a1"));
    assert_eq!(issuer.fetches(), 1);
}

#[tokio::test]
async fn without_oid_the_user_is_sub_and_without_tid_the_tenant_is_a_dash() {
    let (key, issuer, auth) = setup().await;
    let token = token_with(&key, &issuer, json!({"oid": null, "tid": null}));
    let caller = check(&auth, &token).await.unwrap();
    assert_eq!(caller.app_user, format!("{}|-|subject-a1", issuer.url));
    assert_eq!(caller.object_id, None);
}

#[tokio::test]
async fn keys_from_a_local_jwks_file() {
    let key = TestKey::es256("file-key");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jwks.json");
    std::fs::write(&path, jwt_support::jwks(&[&key]).to_string()).unwrap();
    let mut c = JwtConfig::new("https://issuer.example/", AUD);
    c.jwks = JwksSource::parse(&format!("file://{}", path.display())).unwrap();
    let auth = JwtAuthenticator::new(c).unwrap();
    let mut claims = claims("https://issuer.example/");
    claims["oid"] = json!("u");
    let caller = check(&auth, &key.sign(&claims)).await.unwrap();
    assert_eq!(caller.app_user, "https://issuer.example/|tenant-1|u");
}

#[tokio::test]
async fn no_authorization_header_is_missing_token() {
    let (_, _, auth) = setup().await;
    let r = auth.authenticate(&HeaderMap::new()).await.unwrap_err();
    assert_eq!(r.kind, RejectionKind::MissingToken);
    assert!(
        r.message.contains("no Authorization header"),
        "{}",
        r.message
    );
}

#[tokio::test]
async fn another_scheme_is_missing_token() {
    let (_, _, auth) = setup().await;
    let mut h = HeaderMap::new();
    h.insert(
        AUTHORIZATION,
        HeaderValue::from_static("Basic dXNlcjpwYXNz"),
    );
    let r = auth.authenticate(&h).await.unwrap_err();
    assert_eq!(r.kind, RejectionKind::MissingToken);
    assert!(r.message.contains("not a Bearer token"), "{}", r.message);
    assert!(!r.message.contains("dXNlcjpwYXNz"));
}

#[tokio::test]
async fn a_malformed_token_is_invalid() {
    let (_, _, auth) = setup().await;
    for token in [
        "not-a-jwt",
        "abc.def",
        "!!!.???.###",
        "eyJhbGciOiJFUzI1NiJ9.bm90LWpzb24.c2ln",
    ] {
        assert_refused(
            check(&auth, token).await,
            RejectionKind::InvalidToken,
            "malformed",
            token,
        );
    }
}

#[tokio::test]
async fn alg_none_is_refused() {
    let (key, issuer, auth) = setup().await;
    let header = URL_SAFE_NO_PAD.encode(json!({"alg": "none", "kid": key.kid}).to_string());
    let payload = URL_SAFE_NO_PAD.encode(claims(&issuer.url).to_string());
    let token = format!("{header}.{payload}.");
    assert_refused(
        check(&auth, &token).await,
        RejectionKind::InvalidToken,
        "alg: none",
        &token,
    );
}

#[tokio::test]
async fn hs256_signed_with_the_public_key_is_refused() {
    let key = TestKey::rs256("rsa-1");
    let issuer = Issuer::start(&[&key]).await;
    let auth = JwtAuthenticator::new(config(&issuer)).unwrap();
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(key.kid.clone());
    let forged = jsonwebtoken::encode(
        &header,
        &claims(&issuer.url),
        &EncodingKey::from_secret(&key.public_bytes()).unwrap(),
    )
    .unwrap();
    assert_refused(
        check(&auth, &forged).await,
        RejectionKind::InvalidToken,
        "HMAC",
        &forged,
    );
    assert_eq!(issuer.fetches(), 0, "refused before any key is looked up");
}

#[tokio::test]
async fn an_unknown_kid_is_refused() {
    let (key, issuer, auth) = setup().await;
    let stranger = TestKey::es256("not-the-issuers");
    let token = stranger.sign(&claims(&issuer.url));
    assert_refused(
        check(&auth, &token).await,
        RejectionKind::InvalidToken,
        "kid",
        &token,
    );
    // The issuer's own key still passes.
    check(&auth, &key.sign(&claims(&issuer.url))).await.unwrap();
}

#[tokio::test]
async fn a_signature_by_another_key_under_a_known_kid_is_refused() {
    let (key, issuer, auth) = setup().await;
    let impostor = TestKey::es256(&key.kid);
    let token = impostor.sign(&claims(&issuer.url));
    assert_refused(
        check(&auth, &token).await,
        RejectionKind::InvalidToken,
        "signature",
        &token,
    );
}

#[tokio::test]
async fn a_wrong_issuer_is_refused() {
    let (key, issuer, auth) = setup().await;
    let token = token_with(&key, &issuer, json!({"iss": "https://evil.example/"}));
    assert_refused(
        check(&auth, &token).await,
        RejectionKind::InvalidToken,
        "issuer (iss)",
        &token,
    );
    let token = token_with(&key, &issuer, json!({"iss": null}));
    assert_refused(
        check(&auth, &token).await,
        RejectionKind::InvalidToken,
        "no issuer",
        &token,
    );
}

#[tokio::test]
async fn a_wrong_audience_is_refused() {
    let (key, issuer, auth) = setup().await;
    let token = token_with(&key, &issuer, json!({"aud": "api://another-app"}));
    assert_refused(
        check(&auth, &token).await,
        RejectionKind::InvalidToken,
        "audience (aud)",
        &token,
    );
    let token = token_with(&key, &issuer, json!({"aud": null}));
    assert_refused(
        check(&auth, &token).await,
        RejectionKind::InvalidToken,
        "no audience",
        &token,
    );
    // One of several audiences is enough.
    let token = token_with(&key, &issuer, json!({"aud": ["api://x", AUD]}));
    check(&auth, &token).await.unwrap();
}

#[tokio::test]
async fn an_expired_token_is_refused_past_the_leeway() {
    let (key, issuer, auth) = setup().await;
    let token = token_with(&key, &issuer, json!({"exp": now() - 600}));
    assert_refused(
        check(&auth, &token).await,
        RejectionKind::InvalidToken,
        "expired",
        &token,
    );
    let token = token_with(&key, &issuer, json!({"exp": null}));
    assert_refused(
        check(&auth, &token).await,
        RejectionKind::InvalidToken,
        "no expiry",
        &token,
    );
    // Within the default leeway (60 s; the margin dwarfs the test's run time).
    let token = token_with(&key, &issuer, json!({"exp": now() - 20}));
    check(&auth, &token).await.unwrap();
}

#[tokio::test]
async fn a_token_not_valid_yet_is_refused() {
    let (key, issuer, auth) = setup().await;
    let token = token_with(&key, &issuer, json!({"nbf": now() + 600}));
    assert_refused(
        check(&auth, &token).await,
        RejectionKind::InvalidToken,
        "nbf",
        &token,
    );
}

#[tokio::test]
async fn a_token_without_the_user_claim_is_refused() {
    let (key, issuer, auth) = setup().await;
    let token = token_with(&key, &issuer, json!({"oid": null, "sub": null}));
    assert_refused(
        check(&auth, &token).await,
        RejectionKind::InvalidToken,
        "`oid` or `sub`",
        &token,
    );
    // A configured claim has no fallback.
    let c = config(&issuer).with_user_claim("preferred_username");
    let auth = JwtAuthenticator::new(c).unwrap();
    let token = key.sign(&claims(&issuer.url));
    assert_refused(
        check(&auth, &token).await,
        RejectionKind::InvalidToken,
        "`preferred_username`",
        &token,
    );
}

#[tokio::test]
async fn a_token_without_the_scope_or_role_is_insufficient() {
    let (key, issuer, auth) = setup().await;
    let token = token_with(&key, &issuer, json!({"scp": "User.Read"}));
    assert_refused(
        check(&auth, &token).await,
        RejectionKind::InsufficientScope,
        "access_as_user",
        &token,
    );
    // A scope that only contains the required one as a substring is not it.
    let token = token_with(&key, &issuer, json!({"scp": "access_as_user_x"}));
    assert_refused(
        check(&auth, &token).await,
        RejectionKind::InsufficientScope,
        "scope",
        &token,
    );
    // A role instead, when configured.
    let mut c = config(&issuer);
    c.required_scope = None;
    c.required_role = Some("Token.Issue".to_owned());
    let auth = JwtAuthenticator::new(c).unwrap();
    let token = token_with(
        &key,
        &issuer,
        json!({"scp": null, "roles": ["Token.Issue"]}),
    );
    check(&auth, &token).await.unwrap();
    let token = token_with(&key, &issuer, json!({"roles": ["Other"]}));
    assert_refused(
        check(&auth, &token).await,
        RejectionKind::InsufficientScope,
        "Token.Issue",
        &token,
    );
}

#[tokio::test]
async fn unreachable_keys_are_unavailable() {
    let (key, issuer, auth) = setup().await;
    issuer.fail();
    let token = key.sign(&claims(&issuer.url));
    let r = check(&auth, &token).await.unwrap_err();
    assert_eq!(r.kind, RejectionKind::Unavailable, "{}", r.message);
    assert!(r.message.contains("HTTP 503"), "{}", r.message);
    // Nothing listening at all.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = format!("http://{}/jwks", listener.local_addr().unwrap());
    drop(listener);
    let mut c = JwtConfig::new(issuer.url.clone(), AUD);
    c.jwks = JwksSource::Url(closed);
    let auth = JwtAuthenticator::new(c).unwrap();
    let r = check(&auth, &token).await.unwrap_err();
    assert_eq!(r.kind, RejectionKind::Unavailable, "{}", r.message);
}

/// The issuer rotates its key: a token of the new key passes after one refetch, with no
/// restart; the old key's tokens are refused once it is gone from the JWKS.
#[tokio::test]
async fn key_rotation_needs_no_restart() {
    let old = TestKey::es256("2026-11");
    let new = TestKey::rs256("2026-12");
    let issuer = Issuer::start(&[&old]).await;
    let clock = ManualClock::new();
    let auth = JwtAuthenticator::with_clock(config(&issuer), clock.clone()).unwrap();
    check(&auth, &old.sign(&claims(&issuer.url))).await.unwrap();
    assert_eq!(issuer.fetches(), 1);

    issuer.set_keys(&[&new]);
    clock.advance(Duration::from_secs(61));
    let caller = check(&auth, &new.sign(&claims(&issuer.url))).await.unwrap();
    assert!(caller
        .app_user
        .ends_with("|tenant-1|00000000-0000-0000-0000-0000000000a1"));
    assert_eq!(issuer.fetches(), 2, "one refetch for the new kid");

    let stale = old.sign(&claims(&issuer.url));
    assert_refused(
        check(&auth, &stale).await,
        RejectionKind::InvalidToken,
        "kid",
        &stale,
    );
}

/// Forged `kid`s cannot make the service hammer the issuer: at most one refetch per
/// `min_refresh` (60 s by default), however many arrive.
#[tokio::test]
async fn unknown_kids_refetch_at_most_once_per_interval() {
    let (key, issuer) = {
        let key = TestKey::es256("real");
        let issuer = Issuer::start(&[&key]).await;
        (key, issuer)
    };
    let clock = ManualClock::new();
    let auth = Arc::new(JwtAuthenticator::with_clock(config(&issuer), clock.clone()).unwrap());
    check(&auth, &key.sign(&claims(&issuer.url))).await.unwrap();
    assert_eq!(issuer.fetches(), 1);

    let forge = |i: usize| TestKey::es256(&format!("forged-{i}")).sign(&claims(&issuer.url));
    let forged: Vec<String> = (0..20).map(forge).collect();
    // Concurrently, right after the first fetch: no refetch at all.
    let tasks: Vec<_> = forged
        .iter()
        .cloned()
        .map(|t| {
            let auth = auth.clone();
            tokio::spawn(async move { check(&auth, &t).await })
        })
        .collect();
    for t in tasks {
        assert_eq!(
            t.await.unwrap().unwrap_err().kind,
            RejectionKind::InvalidToken
        );
    }
    assert_eq!(issuer.fetches(), 1);

    clock.advance(Duration::from_secs(59));
    for t in &forged {
        check(&auth, t).await.unwrap_err();
    }
    assert_eq!(issuer.fetches(), 1, "59 s after the last fetch: none");

    clock.advance(Duration::from_secs(1));
    for t in &forged {
        check(&auth, t).await.unwrap_err();
    }
    assert_eq!(issuer.fetches(), 2, "60 s: one refetch for all 20");

    clock.advance(Duration::from_secs(60));
    for t in &forged {
        check(&auth, t).await.unwrap_err();
    }
    assert_eq!(issuer.fetches(), 3);
    // The real key passed all along without fetching.
    check(&auth, &key.sign(&claims(&issuer.url))).await.unwrap();
    assert_eq!(issuer.fetches(), 3);
}

#[tokio::test]
async fn the_configuration_refuses_what_would_accept_too_much() {
    let ok = || JwtConfig::new("https://login.example/tenant/v2.0", AUD);
    let refused = |c: JwtConfig| JwtAuthenticator::new(c).unwrap_err().to_string();

    let mut c = ok();
    c.issuer = String::new();
    assert!(refused(c).contains("ACS_TOKEN_SERVICE_ISSUER"));
    let mut c = ok();
    c.audience = " ".to_owned();
    assert!(refused(c).contains("ACS_TOKEN_SERVICE_AUDIENCE"));
    let mut c = ok();
    c.algorithms = vec![Algorithm::RS256, Algorithm::HS256];
    assert!(refused(c).contains("HMAC"));
    let mut c = ok();
    c.leeway = Duration::from_secs(301);
    assert!(refused(c).contains("at most 300 s"));
    let mut c = ok();
    c.leeway = Duration::from_secs(300);
    JwtAuthenticator::new(c).unwrap();
    // Keys over plain HTTP only from loopback.
    let mut c = ok();
    c.jwks = JwksSource::Url("http://keys.example/jwks".to_owned());
    assert!(refused(c).contains("https"));
    let mut c = ok();
    c.issuer = "http://login.example/".to_owned();
    assert!(refused(c).contains("https"));
    for local in [
        "http://127.0.0.1:9/jwks",
        "http://localhost:9/jwks",
        "http://[::1]:9/jwks",
    ] {
        let mut c = ok();
        c.jwks = JwksSource::parse(local).unwrap();
        JwtAuthenticator::new(c).unwrap();
    }

    assert_eq!(
        JwksSource::parse("file:///etc/acs/jwks.json").unwrap(),
        JwksSource::File("/etc/acs/jwks.json".into())
    );
    assert!(JwksSource::parse("ftp://x/jwks").is_err());
    assert!(JwksSource::parse("file://").is_err());
    assert!(JwksSource::parse("http://keys.example/jwks").is_err());

    use acs_token_service::jwt::parse_algorithms;
    assert_eq!(
        parse_algorithms("RS256, ES256").unwrap(),
        [Algorithm::RS256, Algorithm::ES256]
    );
    assert!(parse_algorithms("none")
        .unwrap_err()
        .to_string()
        .contains("none"));
    assert!(parse_algorithms("RS256,HS512")
        .unwrap_err()
        .to_string()
        .contains("HMAC"));
    assert!(parse_algorithms("XY999").is_err());
}

/// `--dev`: the generated issuer's JWKS checks its own demo tokens.
#[tokio::test]
async fn the_dev_issuer_signs_tokens_its_jwks_verifies() {
    let dev = DevIssuer::generate().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dev-jwks.json");
    std::fs::write(&path, dev.jwks_json()).unwrap();
    assert!(!dev.jwks_json().contains("\"d\""), "public key only");
    let mut c = JwtConfig::new("http://127.0.0.1:8080/dev", AUD);
    c.jwks = JwksSource::File(path);
    let auth = JwtAuthenticator::new(c).unwrap();
    let token = dev
        .token(
            "demo-user",
            AUD,
            "http://127.0.0.1:8080/dev",
            "access_as_user",
            Duration::from_secs(3600),
        )
        .unwrap();
    let caller = check(&auth, &token).await.unwrap();
    assert_eq!(caller.app_user, "http://127.0.0.1:8080/dev|dev|demo-user");
    assert_eq!(caller.object_id.as_deref(), Some("demo-user"));
    // Another dev issuer's token (another key) does not pass.
    let other = DevIssuer::generate().unwrap();
    let token = other
        .token(
            "demo-user",
            AUD,
            "http://127.0.0.1:8080/dev",
            "access_as_user",
            Duration::from_secs(3600),
        )
        .unwrap();
    check(&auth, &token).await.unwrap_err();
}

/// The discovery document must name the configured issuer (OpenID Connect Discovery §4.3).
#[tokio::test]
async fn a_discovery_document_of_another_issuer_is_refused() {
    let key = TestKey::es256("k");
    let issuer = Issuer::start(&[&key]).await;
    // Same discovery URL (the trailing slash is trimmed), but not the document's issuer.
    let configured = format!("{}/", issuer.url);
    let auth = JwtAuthenticator::new(JwtConfig::new(configured.clone(), AUD)).unwrap();
    let token = key.sign(&claims(&configured));
    let r = check(&auth, &token).await.unwrap_err();
    assert_eq!(r.kind, RejectionKind::Unavailable, "{}", r.message);
    assert!(
        r.message.contains("not the configured issuer"),
        "{}",
        r.message
    );
    assert_eq!(issuer.fetches(), 0, "its JWKS is never fetched");
}

/// Keys older than `max_key_age` are fetched again: a key the issuer withdrew stops
/// passing without waiting for an unknown kid.
#[tokio::test]
async fn old_keys_are_refreshed_and_withdrawn_keys_stop_passing() {
    let key = TestKey::es256("withdrawn-later");
    let issuer = Issuer::start(&[&key]).await;
    let clock = ManualClock::new();
    let auth = JwtAuthenticator::with_clock(config(&issuer), clock.clone()).unwrap();
    let token = key.sign(&claims(&issuer.url));
    check(&auth, &token).await.unwrap();
    clock.advance(Duration::from_secs(3599));
    check(&auth, &token).await.unwrap();
    assert_eq!(issuer.fetches(), 1, "younger than an hour: no refetch");

    issuer.set_keys(&[&TestKey::es256("replacement")]);
    clock.advance(Duration::from_secs(1));
    assert_refused(
        check(&auth, &token).await,
        RejectionKind::InvalidToken,
        "kid",
        &token,
    );
    assert_eq!(issuer.fetches(), 2);
}

/// The issuer being down after keys were had: the cached keys keep working.
#[tokio::test]
async fn cached_keys_survive_an_issuer_outage() {
    let key = TestKey::es256("k");
    let issuer = Issuer::start(&[&key]).await;
    let clock = ManualClock::new();
    let auth = JwtAuthenticator::with_clock(config(&issuer), clock.clone()).unwrap();
    let token = key.sign(&claims(&issuer.url));
    check(&auth, &token).await.unwrap();
    issuer.fail();
    clock.advance(Duration::from_secs(7200));
    check(&auth, &token).await.unwrap();
    assert_eq!(issuer.fetches(), 2, "one failed refresh");
}
