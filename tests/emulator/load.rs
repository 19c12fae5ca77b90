//! Load: 64 concurrent `acs_identity` clients drive create / get_token / revoke /
//! delete against one emulator, with retries off so that every failure shows.
//! Zero errors are allowed, and the final state must match what was acknowledged:
//! deleted identities are gone (404 `IdentityNotFound`), live ones still get
//! tokens, tokens issued before a revoke are revoked and tokens issued after it
//! are valid. Bounded by count: 64 clients x 4 rounds (about 2,000 requests).

use acs_identity::{
    CommunicationError, CommunicationIdentityClient, CommunicationIdentityClientOptions,
    CommunicationTokenScope, CommunicationUserIdentifier,
};
use acs_identity_emulator::{Emulator, TokenStatus};
use azure_core::http::{ClientOptions, RetryOptions, StatusCode};

const CLIENTS: usize = 64;
const ROUNDS: usize = 4;

#[derive(Default)]
struct Outcome {
    live: Vec<(CommunicationUserIdentifier, String)>,
    deleted: Vec<CommunicationUserIdentifier>,
    revoked_tokens: Vec<String>,
}

fn client(connection_string: &str) -> CommunicationIdentityClient {
    CommunicationIdentityClient::from_connection_string(
        connection_string,
        Some(CommunicationIdentityClientOptions {
            client_options: ClientOptions {
                retry: RetryOptions::none(),
                ..Default::default()
            },
            ..Default::default()
        }),
    )
    .unwrap()
}

async fn drive(client: CommunicationIdentityClient, n: usize) -> azure_core::Result<Outcome> {
    let chat = [CommunicationTokenScope::Chat];
    let mut outcome = Outcome::default();
    for round in 0..ROUNDS {
        let user = if round.is_multiple_of(2) {
            client.create_user(None).await?
        } else {
            client.create_user_and_token(&chat, None).await?.0
        };
        let before = client.get_token(&user, &chat, None).await?;
        client.revoke_tokens(&user, None).await?;
        outcome
            .revoked_tokens
            .push(before.token.secret().to_owned());
        let after = client.get_token(&user, &chat, None).await?;
        if (n + round).is_multiple_of(2) {
            client.delete_user(&user, None).await?;
            outcome.deleted.push(user);
        } else {
            outcome.live.push((user, after.token.secret().to_owned()));
        }
    }
    Ok(outcome)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_clients_with_zero_errors_and_a_consistent_final_state() {
    let emu = Emulator::builder().start().await.unwrap();
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|n| tokio::spawn(drive(client(emu.connection_string()), n)))
        .collect();
    let mut errors = Vec::new();
    let mut all = Outcome::default();
    for task in tasks {
        match task.await.unwrap() {
            Ok(o) => {
                all.live.extend(o.live);
                all.deleted.extend(o.deleted);
                all.revoked_tokens.extend(o.revoked_tokens);
            }
            Err(e) => errors.push(e.to_string()),
        }
    }
    assert!(errors.is_empty(), "unexpected errors: {errors:#?}");
    assert_eq!(all.live.len() + all.deleted.len(), CLIENTS * ROUNDS);
    assert_eq!(all.deleted.len(), CLIENTS * ROUNDS / 2);

    // Every id is distinct.
    let mut ids: Vec<&str> = all
        .live
        .iter()
        .map(|(u, _)| u.id())
        .chain(all.deleted.iter().map(|u| u.id()))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), CLIENTS * ROUNDS);

    let checker = client(emu.connection_string());
    let chat = [CommunicationTokenScope::Chat];
    for (user, token_after_revoke) in &all.live {
        checker
            .get_token(user, &chat, None)
            .await
            .unwrap_or_else(|e| panic!("live {user}: {e}"));
        let v = emu.validate_token(token_after_revoke);
        assert_eq!(
            v.status,
            TokenStatus::Valid,
            "a token issued after the revoke of {user}"
        );
    }
    for user in &all.deleted {
        let err = checker.get_token(user, &chat, None).await.unwrap_err();
        assert_eq!(
            err.http_status(),
            Some(StatusCode::NotFound),
            "{user}: {err}"
        );
        assert_eq!(
            CommunicationError::from_error(&err).unwrap().code,
            "IdentityNotFound"
        );
    }
    for token in &all.revoked_tokens {
        let status = emu.validate_token(token).status;
        assert!(
            matches!(status, TokenStatus::Revoked | TokenStatus::IdentityDeleted),
            "{status:?}"
        );
    }
    emu.shutdown().await;
}
