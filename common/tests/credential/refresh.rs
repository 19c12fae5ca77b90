//! Timing rules of the refreshing `CommunicationTokenCredential`, on Tokio's
//! paused clock: no real sleeps, time moves only with `advance` / auto-advance.
//!
//! The credential reads "now" as (wall time at creation + Tokio time elapsed);
//! the tests mirror that with `TestClock`, created just before the credential,
//! so both agree to within the microseconds of real time between the two
//! captures. Assertions leave a one-second margin for that.

use acs_common::credential::{
    CommunicationToken, CommunicationTokenCredential, CommunicationTokenRefreshOptions,
};
use azure_core::{
    credentials::{AccessToken, TokenCredential},
    error::{Error, ErrorKind},
    time::{Duration, OffsetDateTime},
};
use std::{
    sync::{
        atomic::{AtomicUsize, Ordering::SeqCst},
        Arc,
    },
    time::Duration as StdDuration,
};
use tokio::time::{advance, sleep, Instant};

const MIN: StdDuration = StdDuration::from_secs(60);
const SEC: StdDuration = StdDuration::from_secs(1);

#[derive(Clone, Copy)]
struct TestClock {
    wall: OffsetDateTime,
    start: Instant,
}

impl TestClock {
    fn new() -> Self {
        Self {
            wall: OffsetDateTime::now_utc(),
            start: Instant::now(),
        }
    }

    fn now(&self) -> OffsetDateTime {
        self.wall + self.start.elapsed()
    }

    fn in_(&self, d: StdDuration) -> OffsetDateTime {
        self.now() + d
    }
}

/// An unsigned JWT with a fractional `exp` (as the JS SDK's tests build them).
fn jwt(expires_on: OffsetDateTime) -> String {
    let exp = expires_on.unix_timestamp_nanos() as f64 / 1e9;
    let payload = format!(r#"{{"exp":{exp}}}"#);
    format!(
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.{}.c2lnbmF0dXJl",
        azure_core::base64::encode_url_safe(payload)
    )
}

/// A refresher that counts its calls and answers `f(call number)`.
fn counting<F>(calls: &Arc<AtomicUsize>, f: F) -> CommunicationTokenRefreshOptions
where
    F: Fn(usize) -> azure_core::Result<CommunicationToken> + Send + Sync + 'static,
{
    let calls = calls.clone();
    let f = Arc::new(f);
    CommunicationTokenRefreshOptions::new(move || {
        let n = calls.fetch_add(1, SeqCst) + 1;
        let f = f.clone();
        async move { f(n) }
    })
}

/// Refresher issuing fresh JWTs that live `lifetime`, numbered by call.
fn fresh_tokens(
    calls: &Arc<AtomicUsize>,
    clock: TestClock,
    lifetime: StdDuration,
) -> CommunicationTokenRefreshOptions {
    counting(calls, move |n| {
        // Spin guard: if the credential ever looped, stop issuing short tokens so
        // the test fails on its call-count assertion instead of hanging.
        let lifetime = if n > 1000 { 24 * 60 * MIN } else { lifetime };
        Ok(CommunicationToken::jwt(jwt(clock.in_(lifetime))))
    })
}

fn calls() -> Arc<AtomicUsize> {
    Arc::new(AtomicUsize::new(0))
}

// ---- on-demand ------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn on_demand_refresh_only_when_less_than_two_minutes_left() {
    let clock = TestClock::new();
    let calls = calls();
    let initial = jwt(clock.in_(20 * MIN));
    let credential = CommunicationTokenCredential::with_options(
        fresh_tokens(&calls, clock, 20 * MIN).with_initial_token(initial.as_str()),
    )
    .unwrap();

    // 2 min 1 s left: the initial token is still served (no proactive refresh either).
    advance(18 * MIN - 2 * SEC).await;
    let token = credential.get_token().await.unwrap();
    assert_eq!(token.token.secret(), initial);
    assert_eq!(calls.load(SeqCst), 0);

    // 1 min 59 s left: refreshed on demand.
    advance(2 * SEC).await;
    let token = credential.get_token().await.unwrap();
    assert_ne!(token.token.secret(), initial);
    assert_eq!(calls.load(SeqCst), 1);
    assert!(token.expires_on > clock.in_(19 * MIN));

    // The new token is served from the cache.
    credential.get_token().await.unwrap();
    assert_eq!(calls.load(SeqCst), 1);
}

#[tokio::test(start_paused = true)]
async fn no_initial_token_refreshes_on_first_call() {
    let clock = TestClock::new();
    let calls = calls();
    let credential =
        CommunicationTokenCredential::with_options(fresh_tokens(&calls, clock, 60 * MIN)).unwrap();
    assert_eq!(
        calls.load(SeqCst),
        0,
        "nothing happens before the first call"
    );
    credential.get_token().await.unwrap();
    credential.get_token().await.unwrap();
    assert_eq!(calls.load(SeqCst), 1);
}

#[tokio::test(start_paused = true)]
async fn short_lived_tokens_do_not_loop_on_demand() {
    // The refresher always returns tokens that live 1 minute, i.e. already inside
    // the 2-minute window. A caller asks every second for an hour (3600 calls).
    // Halving rule: each token is refreshed after half its life, 30 s, so the
    // refresher runs at t = 0, 30 s, …, 59 min 30 s: 120 times (a loop would be 3600).
    let clock = TestClock::new();
    let calls = calls();
    let credential =
        CommunicationTokenCredential::with_options(fresh_tokens(&calls, clock, MIN)).unwrap();
    for _ in 0..3600 {
        let token = credential.get_token().await.unwrap();
        assert!(token.expires_on > clock.now());
        advance(SEC).await;
    }
    let n = calls.load(SeqCst);
    assert!((119..=121).contains(&n), "refresher called {n} times");
}

// ---- proactive -------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn proactive_refresh_fires_ten_minutes_before_expiry() {
    let clock = TestClock::new();
    let calls = calls();
    let initial = jwt(clock.in_(20 * MIN));
    let credential = CommunicationTokenCredential::with_options(
        fresh_tokens(&calls, clock, 20 * MIN)
            .with_initial_token(initial.as_str())
            .with_refresh_proactively(true),
    )
    .unwrap();

    // With a valid initial token the first call does not refresh.
    assert_eq!(
        credential.get_token().await.unwrap().token.secret(),
        initial
    );
    sleep(10 * MIN - SEC).await;
    assert_eq!(calls.load(SeqCst), 0, "not before expiry - 10 min");

    // The timer fires at expiry - 10 min with nobody calling get_token.
    sleep(2 * SEC).await;
    assert_eq!(calls.load(SeqCst), 1, "at expiry - 10 min");
    let refreshed = credential.get_token().await.unwrap();
    assert_ne!(refreshed.token.secret(), initial);
    assert_eq!(calls.load(SeqCst), 1);

    // The next token (issued at 10 min, lives 20) is refreshed at 20 min.
    sleep(10 * MIN - 2 * SEC).await;
    assert_eq!(calls.load(SeqCst), 1);
    sleep(2 * SEC).await;
    assert_eq!(calls.load(SeqCst), 2);
}

#[tokio::test(start_paused = true)]
async fn proactive_refreshes_immediately_without_a_valid_initial_token() {
    for expired_initial_token in [false, true] {
        let clock = TestClock::new();
        let calls = calls();
        let mut options = fresh_tokens(&calls, clock, 60 * MIN).with_refresh_proactively(true);
        if expired_initial_token {
            options = options.with_initial_token(jwt(clock.now() - Duration::minutes(1)));
        }
        let _credential = CommunicationTokenCredential::with_options(options).unwrap();
        sleep(SEC).await;
        assert_eq!(
            calls.load(SeqCst),
            1,
            "expired initial token: {expired_initial_token}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn short_lived_tokens_do_not_loop_proactively() {
    // The refresher always returns tokens that expire in 5 minutes, inside the
    // 10-minute proactive window. Halving rule: each is refreshed after half its
    // remaining life, 2.5 min, so over a simulated hour the refresher runs at
    // t = 0, 2.5, …, 60 min: 25 times (a loop would never let time advance).
    let clock = TestClock::new();
    let calls = calls();
    let credential = CommunicationTokenCredential::with_options(
        fresh_tokens(&calls, clock, 5 * MIN).with_refresh_proactively(true),
    )
    .unwrap();
    sleep(60 * MIN).await;
    let n = calls.load(SeqCst);
    assert!((24..=26).contains(&n), "refresher called {n} times");
    // Callers always get a valid token without triggering refreshes of their own.
    let before = calls.load(SeqCst);
    for _ in 0..100 {
        assert!(credential.get_token().await.unwrap().expires_on > clock.now());
    }
    assert_eq!(calls.load(SeqCst), before);
}

#[tokio::test(start_paused = true)]
async fn same_soon_expiring_token_backs_off_by_halves_then_errors() {
    // The refresher keeps returning the same token (expiry T = 20 min), as in the
    // JS SDK's test. From T - 10 min the refresh interval halves: 300 s, 150 s, …
    // down to the 1 s floor; once the token is expired the refresher's answer is
    // rejected and the timer stops. Bound: log2(600 s / 1 s) ≈ 9.2, so at most
    // 10 halvings + the first refresh + 2 at the 1 s floor = 13 calls.
    let clock = TestClock::new();
    let calls = calls();
    let same = jwt(clock.in_(20 * MIN));
    let token = same.clone();
    let credential = CommunicationTokenCredential::with_options(
        counting(&calls, move |_| Ok(CommunicationToken::jwt(token.clone())))
            .with_initial_token(same.as_str())
            .with_refresh_proactively(true),
    )
    .unwrap();
    sleep(10 * MIN - SEC).await;
    assert_eq!(calls.load(SeqCst), 0);
    sleep(50 * MIN).await;
    let n = calls.load(SeqCst);
    assert!((10..=13).contains(&n), "refresher called {n} times");
    sleep(60 * MIN).await;
    assert_eq!(
        calls.load(SeqCst),
        n,
        "the timer stopped once the token expired"
    );

    // On demand, the expired answer is an error.
    let error = credential.get_token().await.unwrap_err();
    assert_eq!(*error.kind(), ErrorKind::Credential);
    assert!(error.to_string().contains("expired"), "{error}");
}

#[tokio::test(start_paused = true)]
async fn proactive_failure_is_retried_after_half_the_remaining_life() {
    let clock = TestClock::new();
    let calls = calls();
    let credential = CommunicationTokenCredential::with_options(
        counting(&calls, |_| {
            Err(Error::with_message(
                ErrorKind::Io,
                "token server unavailable",
            ))
        })
        .with_initial_token(jwt(clock.in_(20 * MIN)))
        .with_refresh_proactively(true),
    )
    .unwrap();
    sleep(10 * MIN + SEC).await;
    assert_eq!(calls.load(SeqCst), 1, "first attempt at expiry - 10 min");
    sleep(5 * MIN - 2 * SEC).await;
    assert_eq!(
        calls.load(SeqCst),
        1,
        "no retry before half the remaining life"
    );
    sleep(2 * SEC).await;
    assert_eq!(calls.load(SeqCst), 2, "retry at expiry - 5 min");
    // Callers still get the valid cached token meanwhile (more than 2 min left).
    assert!(credential.get_token().await.is_ok());
}

#[tokio::test(start_paused = true)]
async fn proactive_refresh_does_not_block_callers_or_hold_a_lock() {
    // The refresher never finishes; callers keep getting the still-valid token,
    // which shows no lock is held across the refresher call.
    let clock = TestClock::new();
    let calls = calls();
    let counter = calls.clone();
    let initial = jwt(clock.in_(15 * MIN));
    let credential = CommunicationTokenCredential::with_options(
        CommunicationTokenRefreshOptions::new(move || {
            counter.fetch_add(1, SeqCst);
            std::future::pending::<azure_core::Result<String>>()
        })
        .with_initial_token(initial.as_str())
        .with_refresh_proactively(true),
    )
    .unwrap();
    sleep(6 * MIN).await;
    assert_eq!(calls.load(SeqCst), 1, "proactive refresh in flight");
    let token = credential.get_token().await.unwrap();
    assert_eq!(token.token.secret(), initial);
    let _ = format!("{credential:?}");
}

// ---- refresher answers -----------------------------------------------------

#[tokio::test(start_paused = true)]
async fn expired_token_from_refresher_is_an_error() {
    let clock = TestClock::new();
    let calls = calls();
    let credential = CommunicationTokenCredential::with_options(counting(&calls, move |_| {
        Ok(CommunicationToken::jwt(jwt(
            clock.now() - Duration::seconds(1)
        )))
    }))
    .unwrap();
    let error = credential.get_token().await.unwrap_err();
    assert_eq!(*error.kind(), ErrorKind::Credential);
    let message = error.to_string();
    assert!(
        message.contains("token returned from the token refresher is expired"),
        "{message}"
    );
    assert!(!message.contains("eyJ"), "no token in errors: {message}");
    // Not cached: the next call asks again.
    let _ = credential.get_token().await.unwrap_err();
    assert_eq!(calls.load(SeqCst), 2);
}

#[tokio::test(start_paused = true)]
async fn undecodable_token_needs_an_explicit_expiry() {
    let clock = TestClock::new();

    // Opaque string from the refresher: a clear error.
    let calls = calls();
    let credential = CommunicationTokenCredential::with_options(counting(&calls, |_| {
        Ok(CommunicationToken::jwt("opaque-encrypted-token"))
    }))
    .unwrap();
    let error = credential.get_token().await.unwrap_err();
    let invalid = error
        .downcast_ref::<acs_common::InvalidArgument>()
        .expect("an InvalidArgument");
    assert_eq!(invalid.argument(), "token");
    let message = error.to_string();
    assert!(
        message.contains("not a JWT") && message.contains("explicitly"),
        "{message}"
    );
    assert!(!message.contains("opaque-encrypted-token"), "{message}");

    // The same token with an explicit expiry: accepted, timing rules apply.
    let calls = calls_with(0);
    let credential = CommunicationTokenCredential::with_options(counting(&calls, move |_| {
        Ok(AccessToken::new("opaque-encrypted-token", clock.in_(30 * MIN)).into())
    }))
    .unwrap();
    let token = credential.get_token().await.unwrap();
    assert_eq!(token.token.secret(), "opaque-encrypted-token");
    advance(27 * MIN).await;
    credential.get_token().await.unwrap();
    assert_eq!(calls.load(SeqCst), 1);
    advance(2 * MIN).await;
    credential.get_token().await.unwrap();
    assert_eq!(calls.load(SeqCst), 2);

    // An undecodable initial token is rejected up front; with an expiry it is fine.
    let options = fresh_tokens(&calls, clock, MIN).with_initial_token("opaque");
    assert!(CommunicationTokenCredential::with_options(options).is_err());
    let options = fresh_tokens(&calls, clock, MIN).with_initial_token(
        CommunicationToken::with_expiry("opaque", clock.in_(MIN * 30)),
    );
    assert!(CommunicationTokenCredential::with_options(options).is_ok());
}

fn calls_with(n: usize) -> Arc<AtomicUsize> {
    Arc::new(AtomicUsize::new(n))
}

#[tokio::test(start_paused = true)]
async fn refresher_failure_propagates_and_the_next_call_retries() {
    let clock = TestClock::new();
    let calls = calls();
    let credential = CommunicationTokenCredential::with_options(counting(&calls, move |n| {
        if n == 1 {
            Err(Error::with_message(
                ErrorKind::Io,
                "token server unavailable",
            ))
        } else {
            Ok(CommunicationToken::jwt(jwt(clock.in_(60 * MIN))))
        }
    }))
    .unwrap();
    let error = credential.get_token().await.unwrap_err();
    assert_eq!(*error.kind(), ErrorKind::Io);
    assert!(error.to_string().contains("token server unavailable"));
    credential.get_token().await.unwrap();
    assert_eq!(calls.load(SeqCst), 2);
}

// ---- concurrency and cancellation -------------------------------------------

/// A refresher that takes `delay` (on the paused clock) and counts its calls.
fn slow(
    calls: &Arc<AtomicUsize>,
    clock: TestClock,
    delay: StdDuration,
    fail: bool,
) -> CommunicationTokenRefreshOptions {
    let calls = calls.clone();
    CommunicationTokenRefreshOptions::new(move || {
        calls.fetch_add(1, SeqCst);
        async move {
            sleep(delay).await;
            if fail {
                Err(Error::with_message(
                    ErrorKind::Io,
                    "token server unavailable",
                ))
            } else {
                Ok(jwt(clock.in_(60 * MIN)))
            }
        }
    })
}

#[tokio::test(start_paused = true)]
async fn concurrent_callers_share_one_refresh() {
    let clock = TestClock::new();
    let calls = calls();
    let credential =
        CommunicationTokenCredential::with_options(slow(&calls, clock, 5 * SEC, false)).unwrap();
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let credential = credential.clone();
            tokio::spawn(async move { credential.get_token().await })
        })
        .collect();
    let mut tokens = Vec::new();
    for task in tasks {
        tokens.push(task.await.unwrap().unwrap().token.secret().to_owned());
    }
    assert_eq!(calls.load(SeqCst), 1);
    assert!(tokens.windows(2).all(|pair| pair[0] == pair[1]));
}

#[tokio::test(start_paused = true)]
async fn concurrent_callers_share_one_failure() {
    let clock = TestClock::new();
    let calls = calls();
    let credential =
        CommunicationTokenCredential::with_options(slow(&calls, clock, 5 * SEC, true)).unwrap();
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let credential = credential.clone();
            tokio::spawn(async move { credential.get_token().await })
        })
        .collect();
    for task in tasks {
        let error = task.await.unwrap().unwrap_err();
        assert_eq!(*error.kind(), ErrorKind::Io);
        assert!(error.to_string().contains("token server unavailable"));
    }
    assert_eq!(calls.load(SeqCst), 1);
}

#[tokio::test(start_paused = true)]
async fn cancelled_get_token_does_not_wedge_the_next_caller() {
    let clock = TestClock::new();
    let calls = calls();
    let counter = calls.clone();
    let credential = CommunicationTokenCredential::with_options(
        CommunicationTokenRefreshOptions::new(move || {
            let n = counter.fetch_add(1, SeqCst) + 1;
            async move {
                if n == 1 {
                    // The first refresh hangs until its caller gives up.
                    std::future::pending::<()>().await;
                }
                Ok::<_, Error>(jwt(clock.in_(60 * MIN)))
            }
        }),
    )
    .unwrap();

    let timed_out = tokio::time::timeout(10 * SEC, credential.get_token()).await;
    assert!(
        timed_out.is_err(),
        "the first call is cancelled by its timeout"
    );
    let token = tokio::time::timeout(10 * SEC, credential.get_token())
        .await
        .expect("the next caller is not wedged")
        .unwrap();
    assert!(token.expires_on > clock.in_(59 * MIN));
    assert_eq!(calls.load(SeqCst), 2);
}

#[tokio::test(start_paused = true)]
async fn waiter_takes_over_when_the_refreshing_caller_is_cancelled() {
    let clock = TestClock::new();
    let calls = calls();
    let counter = calls.clone();
    let credential = CommunicationTokenCredential::with_options(
        CommunicationTokenRefreshOptions::new(move || {
            let n = counter.fetch_add(1, SeqCst) + 1;
            async move {
                if n == 1 {
                    std::future::pending::<()>().await;
                }
                sleep(SEC).await;
                Ok::<_, Error>(jwt(clock.in_(60 * MIN)))
            }
        }),
    )
    .unwrap();

    let leader = {
        let credential = credential.clone();
        tokio::spawn(async move { credential.get_token().await })
    };
    sleep(SEC).await; // the leader is inside the (hanging) refresher
    let waiter = {
        let credential = credential.clone();
        tokio::spawn(async move { credential.get_token().await })
    };
    sleep(SEC).await; // the waiter is waiting for the leader's flight
    assert_eq!(calls.load(SeqCst), 1);
    leader.abort();
    assert!(leader.await.unwrap_err().is_cancelled());
    let token = waiter.await.unwrap().unwrap();
    assert!(token.expires_on > clock.now());
    assert_eq!(calls.load(SeqCst), 2);
}

#[tokio::test(start_paused = true)]
async fn dropping_a_waiter_does_not_disturb_the_refresh() {
    let clock = TestClock::new();
    let calls = calls();
    let credential =
        CommunicationTokenCredential::with_options(slow(&calls, clock, 5 * SEC, false)).unwrap();
    let leader = {
        let credential = credential.clone();
        tokio::spawn(async move { credential.get_token().await })
    };
    sleep(SEC).await;
    assert!(tokio::time::timeout(SEC, credential.get_token())
        .await
        .is_err());
    leader.await.unwrap().unwrap();
    credential.get_token().await.unwrap();
    assert_eq!(calls.load(SeqCst), 1);
}

// ---- close and drop --------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn close_stops_the_background_refresh_and_later_calls_fail() {
    let clock = TestClock::new();
    let calls = calls();
    let credential = CommunicationTokenCredential::with_options(
        fresh_tokens(&calls, clock, 20 * MIN)
            .with_initial_token(jwt(clock.in_(20 * MIN)))
            .with_refresh_proactively(true),
    )
    .unwrap();
    let clone = credential.clone();
    credential.get_token().await.unwrap();
    credential.close();
    credential.close(); // idempotent
    assert!(clone.is_closed());
    sleep(120 * MIN).await;
    assert_eq!(calls.load(SeqCst), 0, "no refresh after close");
    for result in [
        clone.get_token().await,
        TokenCredential::get_token(&credential, &[], None).await,
    ] {
        let error = result.unwrap_err();
        assert_eq!(*error.kind(), ErrorKind::Credential);
        assert!(error.to_string().contains("closed"), "{error}");
    }
}

#[tokio::test(start_paused = true)]
async fn close_during_a_refresh_fails_the_waiting_callers() {
    let clock = TestClock::new();
    let calls = calls();
    let credential =
        CommunicationTokenCredential::with_options(slow(&calls, clock, 5 * SEC, false)).unwrap();
    let tasks: Vec<_> = (0..3)
        .map(|_| {
            let credential = credential.clone();
            tokio::spawn(async move { credential.get_token().await })
        })
        .collect();
    sleep(SEC).await;
    credential.close();
    for task in tasks {
        let error = task.await.unwrap().unwrap_err();
        assert!(error.to_string().contains("closed"), "{error}");
    }
}

#[tokio::test(start_paused = true)]
async fn dropping_the_last_clone_stops_the_background_refresh() {
    let clock = TestClock::new();
    let calls = calls();
    let credential = CommunicationTokenCredential::with_options(
        fresh_tokens(&calls, clock, 20 * MIN)
            .with_initial_token(jwt(clock.in_(20 * MIN)))
            .with_refresh_proactively(true),
    )
    .unwrap();
    let clone = credential.clone();
    drop(credential);
    sleep(10 * MIN + SEC).await;
    assert_eq!(
        calls.load(SeqCst),
        1,
        "a live clone keeps the timer running"
    );
    drop(clone);
    sleep(120 * MIN).await;
    assert_eq!(
        calls.load(SeqCst),
        1,
        "no refresh after the last clone is dropped"
    );
}

// ---- integration -------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn works_as_an_azure_core_token_credential() {
    let clock = TestClock::new();
    let calls = calls();
    let credential: Arc<dyn TokenCredential> = Arc::new(
        CommunicationTokenCredential::with_options(fresh_tokens(&calls, clock, 60 * MIN)).unwrap(),
    );
    let token = credential
        .get_token(&["https://communication.azure.com//.default"], None)
        .await
        .unwrap();
    assert!(token.expires_on > clock.in_(59 * MIN));
    let debug = format!("{credential:?}");
    assert!(!debug.contains(token.token.secret()), "{debug}");
    assert!(debug.contains("CommunicationTokenCredential"), "{debug}");
}

#[test]
fn proactive_refresh_outside_a_tokio_runtime_is_an_error() {
    let options =
        CommunicationTokenRefreshOptions::new(|| async { Ok::<_, Error>("x.y.z".to_owned()) })
            .with_refresh_proactively(true);
    let error = CommunicationTokenCredential::with_options(options).unwrap_err();
    assert!(error.to_string().contains("Tokio runtime"), "{error}");
    // Without proactive refresh no runtime is needed to create it.
    let options =
        CommunicationTokenRefreshOptions::new(|| async { Ok::<_, Error>("x.y.z".to_owned()) });
    assert!(CommunicationTokenCredential::with_options(options).is_ok());
}
