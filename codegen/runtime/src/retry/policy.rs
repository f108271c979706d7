//! The retry policy: which outcomes are worth another attempt, and how long to wait first.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::super::error::TransportError;

/// A server's wait hint above this many seconds (a day) is nonsense, and is ignored like a
/// negative one.
const MAX_HINT_SECS: f64 = 86_400.0;

/// How many attempts to make, and how long to wait before each new one.
///
/// Which outcomes are retried is fixed (see the `Retry` transport): this sets how often and how
/// patiently. Without a hint from the server, the wait before retry `n` (1, 2, ...) is drawn
/// uniformly from zero to `base_delay * 2^(n - 1)`, capped by `max_delay` ("full jitter", so that
/// clients that failed together do not come back together). When the server says how long to
/// wait, with a `Retry-After: <seconds>` header or, on a 429, the `retry_after` property of the
/// JSON body, the longer of the two hints is used instead, also capped by `max_delay`. Negative
/// hints and hints over a day are ignored; `Retry-After` dates are not read.
///
/// The defaults: 4 attempts in all, a 500 ms base delay, waits of at most 20 s, and no new
/// attempt once it would start more than 60 s after the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    budget: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(20),
            budget: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// The default policy; see the type's documentation.
    pub fn new() -> Self {
        Self::default()
    }

    /// One attempt only: no retries.
    pub fn never() -> Self {
        Self::default().max_attempts(1)
    }

    /// Makes at most `attempts` attempts in all, the first included; 1 turns retrying off and 0
    /// counts as 1.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Scales the exponential backoff: the first retry waits up to `delay`, the second up to
    /// twice that, and so on.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// Caps every wait, including the ones the server asks for.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Starts no new attempt later than `budget` after the first one started. The request
    /// timeout bounds each attempt itself.
    pub fn budget(mut self, budget: Duration) -> Self {
        self.budget = budget;
        self
    }

    /// Whether this policy makes more than one attempt.
    pub(crate) fn retries(&self) -> bool {
        self.max_attempts > 1
    }

    /// The wait before retry `retry` (1 for the first) when the server gave no hint.
    pub(crate) fn backoff(&self, retry: u32, jitter: &Jitter) -> Duration {
        let doubling = 1u32
            .checked_shl(retry.saturating_sub(1))
            .unwrap_or(u32::MAX);
        let cap = self
            .base_delay
            .checked_mul(doubling)
            .unwrap_or(self.max_delay)
            .min(self.max_delay);
        let cap_nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(jitter.up_to(cap_nanos))
    }
}

/// Whether a response with this status is worth another attempt. 408 and 429, and a 503 that
/// says when to come back, mean the server did not act on the request; a 500, 502, 504 or a
/// 503 without a hint may come after it did, so only an idempotent request is sent again.
pub(crate) fn is_retryable_response(response: &http::Response<Vec<u8>>, idempotent: bool) -> bool {
    match response.status().as_u16() {
        408 | 429 => true,
        503 if response.headers().contains_key(http::header::RETRY_AFTER) => true,
        500 | 502 | 503 | 504 => idempotent,
        _ => false,
    }
}

/// How long the server asked to wait, in seconds: the longer of a `Retry-After` header and, on a
/// 429, the JSON body's `retry_after`. `None` when neither is there or makes sense.
fn server_hint(response: &http::Response<Vec<u8>>) -> Option<f64> {
    let header = response
        .headers()
        .get(http::header::RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|text| text.trim().parse::<f64>().ok());
    let body = if response.status() == http::StatusCode::TOO_MANY_REQUESTS {
        std::str::from_utf8(response.body())
            .ok()
            .and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok())
            .and_then(|body| body.get("retry_after").and_then(serde_json::Value::as_f64))
    } else {
        None
    };
    [header, body]
        .into_iter()
        .flatten()
        .filter(|secs| (0.0..=MAX_HINT_SECS).contains(secs))
        .reduce(f64::max)
}

/// The attempts at one request: counts them and decides, after each, whether and when to make
/// another. Both clients and the `Retry` transport drive their loops with it.
pub(crate) struct Attempts<'a> {
    policy: &'a RetryPolicy,
    jitter: &'a Jitter,
    idempotent: bool,
    started: Instant,
    made: u32,
}

impl<'a> Attempts<'a> {
    /// Starts counting at `now`, just before the first attempt.
    pub(crate) fn start(
        policy: &'a RetryPolicy,
        jitter: &'a Jitter,
        idempotent: bool,
        now: Instant,
    ) -> Self {
        Self {
            policy,
            jitter,
            idempotent,
            started: now,
            made: 0,
        }
    }

    /// How many attempts have been made.
    pub(crate) fn made(&self) -> u32 {
        self.made
    }

    /// Records an attempt's outcome at `now`; returns how long to wait before the next attempt,
    /// or `None` when the outcome is final: a success, an outcome not worth retrying, no
    /// attempts left, or a wait that would overrun the budget.
    pub(crate) fn after(
        &mut self,
        outcome: &Result<http::Response<Vec<u8>>, TransportError>,
        now: Instant,
    ) -> Option<Duration> {
        self.made += 1;
        let retryable = match outcome {
            Ok(response) => is_retryable_response(response, self.idempotent),
            Err(err) => err.is_retryable(self.idempotent),
        };
        if !retryable || self.made >= self.policy.max_attempts {
            return None;
        }
        // Read only when there will be a next attempt: it may parse the body.
        let hint = outcome.as_ref().ok().and_then(server_hint);
        let delay = match hint {
            Some(secs) => Duration::from_secs_f64(secs).min(self.policy.max_delay),
            None => self.policy.backoff(self.made, self.jitter),
        };
        let elapsed = now.saturating_duration_since(self.started);
        (elapsed + delay <= self.policy.budget).then_some(delay)
    }
}

/// A tiny xorshift generator for jitter: good enough to spread retries out, and no `rand`
/// dependency. Shared between concurrent requests through an atomic.
pub(crate) struct Jitter(AtomicU64);

impl Jitter {
    /// A generator seeded from the clock and a process-wide counter, so that two made in the same
    /// instant still differ.
    pub(crate) fn from_time() -> Self {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_nanos() as u64);
        let count = COUNTER.fetch_add(1, Ordering::Relaxed);
        Self::seeded(nanos ^ count.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    /// A generator with a fixed seed, for tests.
    pub(crate) fn seeded(seed: u64) -> Self {
        // Xorshift never leaves zero, so zero is replaced.
        Self(AtomicU64::new(if seed == 0 {
            0x2545_F491_4F6C_DD1D
        } else {
            seed
        }))
    }

    pub(crate) fn next(&self) -> u64 {
        let step = |mut x: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let previous = self
            .0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |x| Some(step(x)))
            .unwrap_or_else(|x| x);
        step(previous)
    }

    /// A number from `0` to `max`, both included.
    fn up_to(&self, max: u64) -> u64 {
        match max.checked_add(1) {
            Some(bound) => self.next() % bound,
            None => self.next(),
        }
    }
}

impl fmt::Debug for Jitter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Jitter")
    }
}
