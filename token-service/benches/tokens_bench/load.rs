//! The app users: each asks `GET /api/token` `requests` times with its own bearer JWT; the
//! first requests are spread evenly over `spread`, each later one follows the previous answer
//! after a pause drawn uniformly from `pause_min..=pause_max` (a fixed seed per user, so two
//! runs send the same schedule).

use crate::support::Histogram;
use axum::{
    body::{to_bytes, Body},
    http::{header, Request, StatusCode},
};
use hyper_util::{
    client::legacy::{connect::HttpConnector, Client},
    rt::TokioExecutor,
};
use std::{
    collections::{BTreeMap, BTreeSet},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

/// A request with no answer after this long counts as `timeout`.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
const MAX_BODY: usize = 64 * 1024;

#[derive(Clone, Debug)]
pub struct Plan {
    pub users: usize,
    pub requests: usize,
    pub spread: Duration,
    pub pause_min: Duration,
    pub pause_max: Duration,
}

/// What the users saw.
pub struct Outcome {
    pub first: Histogram,
    pub repeated: Histogram,
    /// The repeated requests answered 200 (with the cache on: the cached tokens).
    pub repeated_ok: Histogram,
    /// `200`, `503`, ..., `timeout`, `error` -> responses.
    pub statuses: BTreeMap<String, u64>,
    /// (status, the body's `code`, or `-`) of every answer but 200 -> responses.
    pub error_codes: BTreeMap<(u16, String), u64>,
    pub with_retry_after_503: u64,
    /// 200s whose body lacked `token`, `expiresOn` or `user.communicationUserId`.
    pub malformed_200: u64,
    /// Per user, the distinct `communicationUserId`s it was given.
    pub identities: Vec<BTreeSet<String>>,
    /// Per 10 s window of the send time (from the first user's first request).
    pub windows: BTreeMap<u64, Window>,
    /// From the first request sent to the last answer.
    pub wall: Duration,
}

/// The requests sent in one 10 s window, by what they got.
#[derive(Default, Clone, Copy)]
pub struct Window {
    pub first: u64,
    pub repeated: u64,
    pub ok: u64,
    pub unavailable: u64,
    pub other: u64,
}

pub const WINDOW_SECS: u64 = 10;

#[derive(Default)]
struct Tally {
    statuses: BTreeMap<String, u64>,
    error_codes: BTreeMap<(u16, String), u64>,
    with_retry_after_503: u64,
    malformed_200: u64,
    windows: BTreeMap<u64, Window>,
}

/// splitmix64: a small deterministic generator, one per user.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn between(&mut self, min: Duration, max: Duration) -> Duration {
        let (lo, hi) = (min.as_micros() as u64, max.as_micros() as u64);
        if hi <= lo {
            return min;
        }
        Duration::from_micros(lo + self.next() % (hi - lo + 1))
    }
}

pub async fn run(plan: &Plan, base_url: &str, jwts: Vec<String>) -> Outcome {
    assert_eq!(jwts.len(), plan.users);
    let client: Client<HttpConnector, Body> = Client::builder(TokioExecutor::new()).build_http();
    let url = format!("{}/api/token", base_url.trim_end_matches('/'));
    let first = Arc::new(Histogram::new());
    let repeated = Arc::new(Histogram::new());
    let repeated_ok = Arc::new(Histogram::new());
    let tally = Arc::new(Mutex::new(Tally::default()));
    let start = tokio::time::Instant::now();
    let t0 = Instant::now();
    let mut tasks = Vec::with_capacity(plan.users);
    for (n, jwt) in jwts.into_iter().enumerate() {
        let offset = plan.spread.mul_f64(n as f64 / plan.users as f64);
        let (client, url, plan) = (client.clone(), url.clone(), plan.clone());
        let (first, repeated, tally) = (first.clone(), repeated.clone(), tally.clone());
        let repeated_ok = repeated_ok.clone();
        tasks.push(tokio::spawn(async move {
            let mut rng = Rng(n as u64 ^ 0x5eed_0000_0000_0000);
            let mut identities = BTreeSet::new();
            tokio::time::sleep_until(start + offset).await;
            for k in 0..plan.requests {
                if k > 0 {
                    tokio::time::sleep(rng.between(plan.pause_min, plan.pause_max)).await;
                }
                let histogram = if k == 0 { &first } else { &repeated };
                let window = start.elapsed().as_secs() / WINDOW_SECS;
                let t0 = Instant::now();
                let answer = one_request(&client, &url, &jwt, histogram).await;
                if k > 0 && matches!(answer, Answer::Ok(_)) {
                    repeated_ok.record(t0.elapsed());
                }
                let mut tally = tally.lock().unwrap();
                let w = tally.windows.entry(window).or_default();
                if k == 0 {
                    w.first += 1;
                } else {
                    w.repeated += 1;
                }
                match &answer {
                    Answer::Ok(_) => w.ok += 1,
                    Answer::Status(StatusCode::SERVICE_UNAVAILABLE, ..) => w.unavailable += 1,
                    _ => w.other += 1,
                }
                answer.tally(&mut tally, &mut identities);
            }
            identities
        }));
    }
    let mut identities = Vec::with_capacity(plan.users);
    for task in tasks {
        identities.push(task.await.expect("a user task panicked"));
    }
    let wall = t0.elapsed();
    let tally = std::mem::take(&mut *tally.lock().unwrap());
    Outcome {
        first: Arc::try_unwrap(first).unwrap_or_else(|_| unreachable!("tasks joined")),
        repeated: Arc::try_unwrap(repeated).unwrap_or_else(|_| unreachable!("tasks joined")),
        repeated_ok: Arc::try_unwrap(repeated_ok).unwrap_or_else(|_| unreachable!("tasks joined")),
        statuses: tally.statuses,
        error_codes: tally.error_codes,
        with_retry_after_503: tally.with_retry_after_503,
        malformed_200: tally.malformed_200,
        windows: tally.windows,
        identities,
        wall,
    }
}

enum Answer {
    Ok(Option<String>),
    Status(StatusCode, Option<String>, bool),
    Timeout,
    Error,
}

impl Answer {
    fn tally(self, tally: &mut Tally, identities: &mut BTreeSet<String>) {
        let key = match self {
            Answer::Ok(user) => {
                match user {
                    Some(user) => {
                        identities.insert(user);
                    }
                    None => tally.malformed_200 += 1,
                }
                "200".to_owned()
            }
            Answer::Status(status, code, retry_after) => {
                if status == StatusCode::SERVICE_UNAVAILABLE && retry_after {
                    tally.with_retry_after_503 += 1;
                }
                *tally
                    .error_codes
                    .entry((status.as_u16(), code.unwrap_or_else(|| "-".into())))
                    .or_default() += 1;
                status.as_u16().to_string()
            }
            Answer::Timeout => "timeout".to_owned(),
            Answer::Error => "connection error".to_owned(),
        };
        *tally.statuses.entry(key).or_default() += 1;
    }
}

/// One `GET /api/token`; its latency (to the end of the body) goes to `histogram` whatever the
/// status, timeouts and connection errors excepted.
async fn one_request(
    client: &Client<HttpConnector, Body>,
    url: &str,
    jwt: &str,
    histogram: &Histogram,
) -> Answer {
    let request = Request::get(url)
        .header(header::AUTHORIZATION, format!("Bearer {jwt}"))
        .body(Body::empty())
        .expect("a valid request");
    let t0 = Instant::now();
    let exchange = async {
        let response = client.request(request).await.ok()?;
        let (parts, body) = response.into_parts();
        let body = to_bytes(Body::new(body), MAX_BODY).await.ok()?;
        Some((parts, body))
    };
    let (parts, body) = match tokio::time::timeout(REQUEST_TIMEOUT, exchange).await {
        Err(_) => return Answer::Timeout,
        Ok(None) => return Answer::Error,
        Ok(Some(answer)) => answer,
    };
    histogram.record(t0.elapsed());
    let json: Option<serde_json::Value> = serde_json::from_slice(&body).ok();
    if parts.status == StatusCode::OK {
        let user = json.as_ref().and_then(|v| {
            v.get("token")?.as_str().filter(|t| !t.is_empty())?;
            v.get("expiresOn")?.as_str()?;
            v.get("user")?
                .get("communicationUserId")?
                .as_str()
                .map(str::to_owned)
        });
        Answer::Ok(user)
    } else {
        let code = json
            .as_ref()
            .and_then(|v| v.get("code")?.as_str().map(str::to_owned));
        let retry_after = parts.headers.contains_key(header::RETRY_AFTER);
        Answer::Status(parts.status, code, retry_after)
    }
}

/// The body of a `GET` that answers 200 (the service's `/metrics`), else `None`.
pub async fn get_text(url: &str) -> Option<String> {
    let client: Client<HttpConnector, Body> = Client::builder(TokioExecutor::new()).build_http();
    let request = Request::get(url).body(Body::empty()).ok()?;
    let response = tokio::time::timeout(REQUEST_TIMEOUT, client.request(request))
        .await
        .ok()?
        .ok()?;
    if response.status() != StatusCode::OK {
        return None;
    }
    let body = to_bytes(Body::new(response.into_body()), 16 << 20)
        .await
        .ok()?;
    String::from_utf8(body.to_vec()).ok()
}
