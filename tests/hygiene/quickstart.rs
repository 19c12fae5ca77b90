//! Secret hygiene: the access key (base64 and hex), the connection string, every
//! request signature, every issued token and the Teams user's Entra token never
//! appear in logs (tracing at TRACE, azure_core's and reqwest's logging
//! included), nor in `Debug`/`Display` of any public type or error.

use acs_identity::{
    credential::CommunicationToken, AzureKeyCredential, CommunicationIdentityClient,
    CommunicationIdentityClientOptions, CommunicationTokenCredential,
    CommunicationTokenRefreshOptions, CommunicationTokenScope, CommunicationUserIdentifier,
    ConnectionString, CreateUserAndTokenOptions, GetTokenOptions, HmacAuthenticationPolicy,
};
use azure_core::{
    http::{ClientOptions, RetryOptions},
    time::OffsetDateTime,
};
use std::{
    error::Error as _,
    io::Write,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};
use wiremock::{matchers::any, Mock, MockServer, Request, Respond, ResponseTemplate};

/// Base64 of 32 bytes; distinctive enough that any substring match is a leak.
const KEY: &str = "U2VjcmV0LWtleS1mb3ItaHlnaWVuZS10ZXN0cy0wMDE=";
const AAD_TOKEN: &str =
    "eyJ0eXAiOiJKV1QifQ.eyJvaWQiOiJ1c2VyIn0.AAD-ENTRA-TOKEN-SECRET-SIGNATURE-0001";

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A fake Identity service that issues a distinct token per answer and records them.
#[derive(Default)]
struct Service {
    issued: Arc<Mutex<Vec<String>>>,
    counter: AtomicUsize,
}

impl Service {
    fn token(&self) -> serde_json::Value {
        let n = self.counter.fetch_add(1, Ordering::SeqCst);
        // exp = 2100-01-01.
        let token = format!(
            "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjQxMDI0NDQ4MDB9.ISSUED-TOKEN-SIGNATURE-{n:04}-c2VjcmV0"
        );
        self.issued.lock().unwrap().push(token.clone());
        serde_json::json!({"token": token, "expiresOn": "2100-01-01T00:00:00Z"})
    }
}

impl Respond for Service {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let path = request.url.path();
        let id = "8:acs:2dee53b4-368b-45b4-ab52-8493fb117652_00000005-14a2-493b-8a72-5a3a0d000081";
        if path.contains("denied") {
            let long_ago = OffsetDateTime::now_utc() - azure_core::time::Duration::hours(3);
            return ResponseTemplate::new(401)
                .insert_header("Date", azure_core::time::to_rfc7231(&long_ago).as_str())
                .set_body_json(serde_json::json!({"error": {"code": "Denied", "message": "Denied by the resource provider."}}));
        }
        if path.contains("invalid") {
            return ResponseTemplate::new(400).set_body_json(serde_json::json!({"error": {
                "code": "ValidationError", "message": "Scopes: The Scopes field is required.", "target": "Scopes"}}));
        }
        if path.ends_with("/identities") {
            let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap_or_default();
            if body.get("createTokenWithScopes").is_some() {
                return ResponseTemplate::new(201).set_body_json(
                    serde_json::json!({"identity": {"id": id}, "accessToken": self.token()}),
                );
            }
            return ResponseTemplate::new(201)
                .set_body_json(serde_json::json!({"identity": {"id": id}}));
        }
        if path.ends_with(":issueAccessToken") || path.ends_with(":exchangeAccessToken") {
            return ResponseTemplate::new(200).set_body_json(self.token());
        }
        ResponseTemplate::new(204)
    }
}

fn secrets_in(text: &str, secrets: &[String]) -> Vec<String> {
    secrets
        .iter()
        .filter(|s| text.contains(s.as_str()))
        .cloned()
        .collect()
}

fn error_texts(err: &azure_core::Error) -> String {
    let mut out = format!("{err}\n{err:?}\n{err:#?}\n");
    let mut source = err.source();
    while let Some(s) = source {
        out.push_str(&format!("{s}\n{s:?}\n"));
        source = s.source();
    }
    out
}

#[tokio::test]
async fn the_quickstart_at_trace_level_logs_no_secret() {
    let capture = Capture::default();
    let writer = capture.clone();
    use tracing_subscriber::util::SubscriberInitExt;
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish()
        .try_init()
        .expect("the only subscriber in this test binary");

    let service = Service::default();
    let issued = service.issued.clone();
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(service)
        .mount(&server)
        .await;
    let connection_string = format!("endpoint={}/;accesskey={KEY}", server.uri());

    let options = CommunicationIdentityClientOptions {
        client_options: ClientOptions {
            retry: RetryOptions::none(),
            ..Default::default()
        },
        ..Default::default()
    };
    let client = CommunicationIdentityClient::from_connection_string(
        &connection_string,
        Some(options.clone()),
    )
    .unwrap();
    let mut texts = vec![format!("{client:?}"), format!("{options:?}")];
    let chat = [CommunicationTokenScope::Chat, CommunicationTokenScope::VoIP];

    // The quickstart.
    let user = client.create_user(None).await.unwrap();
    let token = client.get_token(&user, &chat, None).await.unwrap();
    texts.push(format!("{token:?}"));
    let custom = client
        .get_token(
            &user,
            &chat,
            Some(GetTokenOptions {
                token_expires_in: Some(Duration::from_secs(3600)),
                ..Default::default()
            }),
        )
        .await
        .unwrap();
    texts.push(format!("{custom:?}"));
    let (user2, token2) = client
        .create_user_and_token(
            &chat,
            Some(CreateUserAndTokenOptions {
                token_expires_in: Some(Duration::from_secs(7200)),
                ..Default::default()
            }),
        )
        .await
        .unwrap();
    texts.push(format!("{user2:?} {user2} {token2:?}"));

    // Refresh through the user credential.
    let refresher_client = client.clone();
    let refresher_user = user.clone();
    let credential = CommunicationTokenCredential::with_options(
        CommunicationTokenRefreshOptions::new(move || {
            let client = refresher_client.clone();
            let user = refresher_user.clone();
            async move {
                client
                    .get_token(&user, &[CommunicationTokenScope::Chat], None)
                    .await
            }
        })
        .with_initial_token(CommunicationToken::with_expiry(
            token.token.secret(),
            OffsetDateTime::now_utc() - azure_core::time::Duration::minutes(1),
        )),
    )
    .unwrap();
    let refreshed = credential.get_token().await.unwrap();
    texts.push(format!("{credential:?} {refreshed:?}"));

    client.revoke_tokens(&user, None).await.unwrap();
    client.delete_user(&user, None).await.unwrap();
    let teams = client
        .get_token_for_teams_user(AAD_TOKEN, "app-id", "object-id", None)
        .await
        .unwrap();
    texts.push(format!("{teams:?}"));

    // Failures: a 401 (with the clock-skew hint) and a 400.
    let denied = client
        .get_token(&CommunicationUserIdentifier::new("denied"), &chat, None)
        .await
        .unwrap_err();
    assert!(
        denied.to_string().contains("the local clock is"),
        "{denied}"
    );
    texts.push(error_texts(&denied));
    let invalid = client
        .revoke_tokens(&CommunicationUserIdentifier::new("invalid"), None)
        .await
        .unwrap_err();
    texts.push(error_texts(&invalid));
    credential.close();

    // Every secret that went over the wire or into the client.
    let mut secrets = vec![
        KEY.to_owned(),
        KEY.trim_end_matches('=').to_owned(),
        azure_core::base64::decode(KEY)
            .unwrap()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
        String::from_utf8(azure_core::base64::decode(KEY).unwrap()).unwrap(),
        connection_string.clone(),
        AAD_TOKEN.to_owned(),
        "AAD-ENTRA-TOKEN-SECRET-SIGNATURE".to_owned(),
    ];
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 10);
    for request in &requests {
        let authorization = request.headers["authorization"].to_str().unwrap();
        let signature = authorization.split("Signature=").nth(1).unwrap();
        assert!(signature.len() >= 40, "{authorization}");
        secrets.push(signature.to_owned());
    }
    let issued = issued.lock().unwrap().clone();
    assert_eq!(issued.len(), 5);
    for token in &issued {
        secrets.push(token.clone());
        secrets.push(token.rsplit('.').next().unwrap().to_owned());
    }

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    // HYGIENE_DUMP=1 keeps the captured logs for inspection.
    if std::env::var_os("HYGIENE_DUMP").is_some() {
        std::fs::write(std::env::temp_dir().join("secret_hygiene.log"), &logs).unwrap();
    }
    // The capture works and saw azure_core's request logging.
    assert!(logs.contains("TRACE") || logs.contains("DEBUG"), "{logs}");
    assert!(logs.contains("identities"), "{logs}");
    let leaked = secrets_in(&logs, &secrets);
    assert!(leaked.is_empty(), "secrets in the logs: {leaked:?}\n{logs}");

    let shown = texts.join("\n");
    let leaked = secrets_in(&shown, &secrets);
    assert!(
        leaked.is_empty(),
        "secrets in Debug/Display: {leaked:?}\n{shown}"
    );
    eprintln!(
        "captured {} bytes of logs ({} lines); checked {} secrets",
        logs.len(),
        logs.lines().count(),
        secrets.len()
    );
}

#[test]
fn debug_and_display_of_public_types_and_errors_show_no_secret() {
    let secret_key = KEY;
    let mut texts = Vec::new();

    let cs = ConnectionString::parse(&format!(
        "endpoint=https://contoso.communication.azure.com/;accesskey={secret_key}"
    ))
    .unwrap();
    texts.push(format!("{cs:?}"));
    texts.push(format!("{:?}", cs.credential()));
    texts.push(format!("{:?}", AzureKeyCredential::new(secret_key)));
    texts.push(format!(
        "{:?}",
        HmacAuthenticationPolicy::new(AzureKeyCredential::new(secret_key))
            .with_signing_host("contoso.communication.azure.com")
    ));
    let client = CommunicationIdentityClient::with_key_credential(
        "https://contoso.communication.azure.com",
        AzureKeyCredential::new(secret_key),
        None,
    )
    .unwrap();
    texts.push(format!("{client:?}"));

    // Malformed connection strings that carry the key somewhere.
    for bad in [
        format!("endpoint=not a url;accesskey={secret_key}"),
        format!("accesskey={secret_key}"),
        format!("endpoint=https://x/;accesskey={secret_key};accesskey={secret_key}"),
        format!("endpoint=https://x/?q=1;accesskey={secret_key}"),
        format!("endpoint=ftp://x/;accesskey={secret_key}"),
        secret_key.to_string(),
        format!("endpoint=https://x/;{secret_key}"),
        "endpoint=https://x/;accesskey=U2VjcmV0LWtleS1mb3ItaHlnaWVuZS10ZXN0cy0wMDE!!".to_owned(),
        format!("endpoint=https://user:{secret_key}@x/;accesskey=cHc9PQ=="),
    ] {
        let err = ConnectionString::parse(&bad).unwrap_err();
        texts.push(format!("{err}\n{err:?}"));
        let err = CommunicationIdentityClient::from_connection_string(&bad, None).unwrap_err();
        texts.push(error_texts(&err));
    }
    let err = CommunicationIdentityClient::with_key_credential(
        "https://contoso.communication.azure.com",
        AzureKeyCredential::new("U2VjcmV0LWtleS1mb3ItaHlnaWVuZS10ZXN0cy0wMDE!"),
        None,
    )
    .unwrap_err();
    texts.push(error_texts(&err));

    // Tokens and the user credential.
    let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjQxMDI0NDQ4MDB9.ISSUED-TOKEN-SIGNATURE-9999-c2VjcmV0";
    texts.push(format!("{:?}", CommunicationToken::jwt(jwt)));
    texts.push(format!(
        "{:?}",
        CommunicationToken::with_expiry(jwt, OffsetDateTime::now_utc())
    ));
    texts.push(format!(
        "{:?}",
        CommunicationTokenCredential::new(jwt).unwrap()
    ));
    texts.push(format!(
        "{:?}",
        CommunicationTokenRefreshOptions::new(|| async {
            Ok::<_, azure_core::Error>(String::new())
        })
        .with_initial_token(jwt)
    ));
    texts.push(format!(
        "{:?}",
        azure_core::credentials::AccessToken::new(jwt, OffsetDateTime::now_utc())
    ));
    for bad in [
        "eyJhbGciOiJIUzI1NiJ9.ISSUED-TOKEN-SIGNATURE-9999-c2VjcmV0.sig",
        "ISSUED-TOKEN-SIGNATURE-9999-c2VjcmV0",
        "a.eyJleHAiOiJub3cifQ.ISSUED-TOKEN-SIGNATURE-9999-c2VjcmV0",
    ] {
        let err = CommunicationTokenCredential::new(bad).unwrap_err();
        texts.push(error_texts(&err));
    }

    let secrets = [
        secret_key.to_owned(),
        secret_key.trim_end_matches('=').to_owned(),
        "Secret-key-for-hygiene-tests".to_owned(),
        "ISSUED-TOKEN-SIGNATURE-9999".to_owned(),
    ];
    let shown = texts.join("\n");
    let leaked = secrets_in(&shown, &secrets);
    assert!(leaked.is_empty(), "secrets shown: {leaked:?}\n{shown}");
}
