//! The refreshing token cache: timing rules, single-flight refresh and the
//! proactive background timer.
//!
//! Timing rules (all wall-clock, on [`Clock`]):
//! * a token is refreshed on demand (the caller of `get_token` waits) once
//!   less than [`ON_DEMAND_WINDOW`] (2 min) of its life is left;
//! * with proactive refresh, a background timer refreshes it
//!   [`PROACTIVE_WINDOW`] (10 min) before expiry;
//! * a token that arrives already inside a window is refreshed after half its
//!   remaining life instead (never sooner than [`MIN_REFRESH_DELAY`]), so a
//!   refresher that keeps returning short-lived tokens cannot cause a loop;
//! * a refresher that returns an expired token is an error.
//!
//! Single flight: at most one refresher call is in progress. Other callers that
//! need a new token wait for it and share its outcome. The state lock is never
//! held across an `.await`; if the caller running the refresher is cancelled
//! (its future dropped), a guard releases the flight and wakes the waiters, one
//! of which starts a new flight.

use super::{clock::Clock, options::TokenRefresher};
use azure_core::{
    credentials::AccessToken,
    error::{Error, ErrorKind},
    time::{Duration, OffsetDateTime},
    Result,
};
use std::{
    future::{poll_fn, Future},
    pin::{pin, Pin},
    sync::{Arc, Mutex, MutexGuard, Weak},
    task::Poll,
};
use tokio::{
    sync::{futures::Notified, Notify},
    task::AbortHandle,
};

/// Proactive refresh happens this long before expiry.
pub(crate) const PROACTIVE_WINDOW: Duration = Duration::minutes(10);
/// `get_token` refreshes (and waits) when less than this is left.
pub(crate) const ON_DEMAND_WINDOW: Duration = Duration::minutes(2);
/// Lower bound of the fractional backoff, so the halving converges.
pub(crate) const MIN_REFRESH_DELAY: Duration = Duration::seconds(1);
/// The background timer re-checks at least this often (long sleeps are split).
const MAX_TIMER_SLEEP: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);

/// When to refresh a token that expires at `expires_on`, given a window:
/// `expires_on - window`, or half the remaining life (at least
/// [`MIN_REFRESH_DELAY`]) when already inside it, or now when expired.
fn refresh_point(
    now: OffsetDateTime,
    expires_on: OffsetDateTime,
    window: Duration,
) -> OffsetDateTime {
    let normal = expires_on - window;
    if normal > now {
        normal
    } else if expires_on <= now {
        // Already expired (only an initial token can be): refresh right away.
        now
    } else {
        now + std::cmp::max((expires_on - now) / 2, MIN_REFRESH_DELAY)
    }
}

struct Cached {
    token: AccessToken,
    on_demand_at: OffsetDateTime,
}

impl Cached {
    fn new(token: AccessToken, now: OffsetDateTime) -> Self {
        let on_demand_at = refresh_point(now, token.expires_on, ON_DEMAND_WINDOW);
        Self {
            token,
            on_demand_at,
        }
    }

    fn needs_refresh(&self, now: OffsetDateTime) -> bool {
        now >= self.on_demand_at || now >= self.token.expires_on
    }
}

enum Outcome {
    Token(AccessToken),
    Failed(ErrorKind, String),
}

#[derive(Default)]
struct State {
    token: Option<Cached>,
    /// When the background timer should refresh next; `None`: not scheduled.
    proactive_at: Option<OffsetDateTime>,
    closed: bool,
    /// The flight in progress.
    flight: Option<u64>,
    next_flight: u64,
    /// The outcome of the last completed flight, for its waiters.
    outcome: Option<(u64, Outcome)>,
}

impl State {
    fn start_flight(&mut self) -> u64 {
        self.next_flight += 1;
        self.flight = Some(self.next_flight);
        self.next_flight
    }
}

pub(crate) fn closed_error() -> Error {
    Error::with_message(
        ErrorKind::Credential,
        "the CommunicationTokenCredential has been closed; create a new credential to get tokens",
    )
}

enum Step {
    Done(Result<AccessToken>),
    Lead(u64),
    Wait(u64),
}

/// Shared state of a credential (all clones point at one `Engine`).
pub(crate) struct Engine {
    clock: Clock,
    refresher: Option<Arc<dyn TokenRefresher>>,
    proactive: bool,
    state: Mutex<State>,
    flight_done: Notify,
    schedule: Arc<Notify>,
    timer: Mutex<Option<AbortHandle>>,
}

impl Engine {
    /// A credential that always returns `token`.
    pub(crate) fn fixed(token: AccessToken) -> Self {
        let clock = Clock::new();
        let state = State {
            token: Some(Cached::new(token, clock.now())),
            ..State::default()
        };
        Self::build(clock, None, false, state)
    }

    /// A refreshing credential; starts the background timer when `proactive`.
    pub(crate) fn refreshing(
        refresher: Arc<dyn TokenRefresher>,
        initial: Option<AccessToken>,
        proactive: bool,
    ) -> Result<Arc<Self>> {
        let runtime = if proactive {
            Some(tokio::runtime::Handle::try_current().map_err(|_| {
                Error::with_message(
                    ErrorKind::Other,
                    "proactive token refresh needs a Tokio runtime: create the \
                     CommunicationTokenCredential inside one, or disable refresh_proactively",
                )
            })?)
        } else {
            None
        };
        let clock = Clock::new();
        let now = clock.now();
        let token = initial.map(|token| Cached::new(token, now));
        let proactive_at = proactive.then(|| {
            token.as_ref().map_or(now, |t| {
                refresh_point(now, t.token.expires_on, PROACTIVE_WINDOW)
            })
        });
        let state = State {
            token,
            proactive_at,
            ..State::default()
        };
        let engine = Arc::new(Self::build(clock, Some(refresher), proactive, state));
        if let Some(runtime) = runtime {
            let task = runtime.spawn(proactive_timer(
                Arc::downgrade(&engine),
                engine.schedule.clone(),
            ));
            *lock(&engine.timer) = Some(task.abort_handle());
        }
        Ok(engine)
    }

    fn build(
        clock: Clock,
        refresher: Option<Arc<dyn TokenRefresher>>,
        proactive: bool,
        state: State,
    ) -> Self {
        Self {
            clock,
            refresher,
            proactive,
            state: Mutex::new(state),
            flight_done: Notify::new(),
            schedule: Arc::new(Notify::new()),
            timer: Mutex::new(None),
        }
    }

    pub(crate) fn is_refreshing(&self) -> bool {
        self.refresher.is_some()
    }

    pub(crate) fn is_proactive(&self) -> bool {
        self.proactive
    }

    pub(crate) fn is_closed(&self) -> bool {
        lock(&self.state).closed
    }

    pub(crate) fn expires_on(&self) -> Option<OffsetDateTime> {
        lock(&self.state).token.as_ref().map(|t| t.token.expires_on)
    }

    /// Returns the cached token, refreshing it first when needed.
    pub(crate) async fn get_token(&self) -> Result<AccessToken> {
        loop {
            let mut notified = pin!(self.flight_done.notified());
            match self.step(notified.as_mut()) {
                Step::Done(result) => return result,
                Step::Lead(flight) => return self.run_flight(flight).await,
                Step::Wait(flight) => {
                    notified.await;
                    if let Some(result) = self.outcome_of(flight) {
                        return result;
                    }
                    // The flight was cancelled before it finished: look again.
                }
            }
        }
    }

    fn step(&self, notified: Pin<&mut Notified<'_>>) -> Step {
        let mut state = lock(&self.state);
        if state.closed {
            return Step::Done(Err(closed_error()));
        }
        let now = self.clock.now();
        if let Some(cached) = &state.token {
            if self.refresher.is_none() || !cached.needs_refresh(now) {
                return Step::Done(Ok(cached.token.clone()));
            }
        } else if self.refresher.is_none() {
            return Step::Done(Err(closed_error()));
        }
        match state.flight {
            Some(flight) => {
                // Registered while the lock is held, so the wake-up cannot be missed.
                notified.enable();
                Step::Wait(flight)
            }
            None => Step::Lead(state.start_flight()),
        }
    }

    fn outcome_of(&self, flight: u64) -> Option<Result<AccessToken>> {
        let state = lock(&self.state);
        if state.closed {
            return Some(Err(closed_error()));
        }
        match &state.outcome {
            Some((id, Outcome::Token(token))) if *id == flight => Some(Ok(token.clone())),
            Some((id, Outcome::Failed(kind, message))) if *id == flight => {
                Some(Err(Error::with_message(kind.clone(), message.clone())))
            }
            _ => None,
        }
    }

    /// Calls the refresher as flight `flight` and records the outcome.
    async fn run_flight(&self, flight: u64) -> Result<AccessToken> {
        let guard = FlightGuard {
            engine: self,
            flight,
        };
        let Some(refresher) = self.refresher.clone() else {
            return Err(closed_error());
        };
        tracing::debug!(flight, "refreshing the communication user token");
        let result = refresher
            .refresh()
            .await
            .and_then(|token| token.into_access_token());
        let now = self.clock.now();
        let result = result.and_then(|token| {
            if token.expires_on <= now {
                Err(Error::with_message(
                    ErrorKind::Credential,
                    format!(
                        "the token returned from the token refresher is expired (it expired at {}); \
                         the refresher must return a new, unexpired token",
                        token.expires_on
                    ),
                ))
            } else {
                Ok(token)
            }
        });
        let result = self.record(flight, now, result);
        drop(guard);
        result
    }

    fn record(
        &self,
        flight: u64,
        now: OffsetDateTime,
        result: Result<AccessToken>,
    ) -> Result<AccessToken> {
        let result = {
            let mut state = lock(&self.state);
            state.flight = None;
            let result = if state.closed {
                Err(closed_error())
            } else {
                result
            };
            match &result {
                Ok(token) => {
                    tracing::debug!(flight, expires_on = %token.expires_on, "communication user token refreshed");
                    state.token = Some(Cached::new(token.clone(), now));
                    if self.proactive {
                        state.proactive_at =
                            Some(refresh_point(now, token.expires_on, PROACTIVE_WINDOW));
                    }
                    state.outcome = Some((flight, Outcome::Token(token.clone())));
                }
                Err(error) => {
                    tracing::warn!(flight, error = %error, "communication user token refresh failed");
                    // Back off: retry proactively after half the remaining life, or
                    // stop the timer until a new token arrives if none is valid. A
                    // proactive refresh still scheduled in the future is kept.
                    let due = state.proactive_at.is_none_or(|at| at <= now);
                    if self.proactive && !state.closed && due {
                        let valid = state
                            .token
                            .as_ref()
                            .map(|t| t.token.expires_on)
                            .filter(|e| *e > now);
                        state.proactive_at = valid.map(|expires_on| {
                            now + std::cmp::max((expires_on - now) / 2, MIN_REFRESH_DELAY)
                        });
                    }
                    state.outcome = Some((
                        flight,
                        Outcome::Failed(error.kind().clone(), error.to_string()),
                    ));
                }
            }
            result
        };
        self.flight_done.notify_waiters();
        self.schedule.notify_one();
        result
    }

    /// One step of the background timer: refresh if due, else say when to wake.
    async fn proactive_tick(&self) -> Tick {
        let flight = {
            let mut state = lock(&self.state);
            if state.closed {
                return Tick::Stop;
            }
            if state.flight.is_some() {
                // A refresh is running; its completion wakes the timer.
                return Tick::Sleep(None);
            }
            match state.proactive_at {
                None => return Tick::Sleep(None),
                Some(at) if at > self.clock.now() => {
                    return Tick::Sleep(Some(self.clock.instant_at(at)))
                }
                Some(_) => state.start_flight(),
            }
        };
        let _ = self.run_flight(flight).await;
        Tick::Again
    }

    /// Stops the timer, forgets the token and fails all current and later calls.
    pub(crate) fn close(&self) {
        {
            let mut state = lock(&self.state);
            state.closed = true;
            state.token = None;
            state.proactive_at = None;
            state.outcome = None;
        }
        if let Some(timer) = lock(&self.timer).take() {
            timer.abort();
        }
        self.flight_done.notify_waiters();
        self.schedule.notify_one();
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        if let Some(timer) = lock(&self.timer).take() {
            timer.abort();
        }
    }
}

enum Tick {
    Again,
    Sleep(Option<tokio::time::Instant>),
    Stop,
}

/// The background timer. Holds only a weak reference while sleeping, so dropping
/// the last credential handle ends it (and `Engine::drop` aborts it).
async fn proactive_timer(engine: Weak<Engine>, schedule: Arc<Notify>) {
    loop {
        let tick = match engine.upgrade() {
            Some(engine) => engine.proactive_tick().await,
            None => return,
        };
        match tick {
            Tick::Again => continue,
            Tick::Stop => return,
            Tick::Sleep(deadline) => {
                let cap = tokio::time::Instant::now() + MAX_TIMER_SLEEP;
                let deadline = deadline.map_or(cap, |d| d.min(cap));
                let mut sleep = pin!(tokio::time::sleep_until(deadline));
                let mut woken = pin!(schedule.notified());
                poll_fn(|cx| {
                    if sleep.as_mut().poll(cx).is_ready() || woken.as_mut().poll(cx).is_ready() {
                        Poll::Ready(())
                    } else {
                        Poll::Pending
                    }
                })
                .await;
            }
        }
    }
}

/// Releases the flight and wakes its waiters if the refresh did not complete
/// (the caller running it was cancelled).
struct FlightGuard<'a> {
    engine: &'a Engine,
    flight: u64,
}

impl Drop for FlightGuard<'_> {
    fn drop(&mut self) {
        let released = {
            let mut state = lock(&self.engine.state);
            if state.flight == Some(self.flight) {
                state.flight = None;
                true
            } else {
                false
            }
        };
        if released {
            tracing::debug!(flight = self.flight, "token refresh cancelled");
            self.engine.flight_done.notify_waiters();
            self.engine.schedule.notify_one();
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
