//! Retrying: a [`Retry`] transport that wraps any other, and the policy it shares with the
//! blocking client.
//!
//! Retries are a layer around a transport, not part of the `Transport` trait, so the trait stays
//! one method wide. The layer retries every request it is given, whatever its method: every
//! DevRev scan is a read, `POST` ones included, so repeating one is safe. Do not put it in front
//! of operations that must not run twice.
//!
//! This module depends on no async runtime. Waiting between attempts goes through the [`Sleep`]
//! trait: [`ThreadSleep`], the default, works under any executor; with the `reqwest` feature,
//! `TokioSleep` waits on tokio's timer instead; tests pass a fake clock.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::transport::Transport;

/// The statuses worth another attempt: rate limiting, and server failures that usually pass.
const RETRY_STATUSES: [u16; 5] = [429, 500, 502, 503, 504];

/// A server's wait hint above this many seconds (a day) is nonsense, and is ignored like a
/// negative one.
const MAX_HINT_SECS: f64 = 86_400.0;

/// When to try a request again, and how long to wait before each new attempt.
///
/// Without a hint from the server, the wait before retry `n` (1, 2, ...) is drawn uniformly from
/// zero to `base_delay * 2^(n - 1)`, capped by `max_delay` ("full jitter", so that clients that
/// failed together do not come back together). When the server says how long to wait, with a
/// `Retry-After: <seconds>` header or, on a 429, the `retry_after` property of the JSON body,
/// the longer of the two hints is used instead, also capped by `max_delay`. Negative hints and
/// hints over a day are ignored; `Retry-After` dates are not read.
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
    /// timeout of the transport bounds each attempt itself.
    pub fn budget(mut self, budget: Duration) -> Self {
        self.budget = budget;
        self
    }

    /// The wait before retry `retry` (1 for the first) when the server gave no hint.
    fn backoff(&self, retry: u32, jitter: &Jitter) -> Duration {
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

/// Whether a response with this status is worth another attempt.
pub(crate) fn is_retryable(status: http::StatusCode) -> bool {
    RETRY_STATUSES.contains(&status.as_u16())
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
        serde_json::from_slice::<serde_json::Value>(response.body())
            .ok()
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
/// another. The async [`Retry`] and the blocking client both drive their loops with it.
pub(crate) struct Attempts<'a> {
    policy: &'a RetryPolicy,
    jitter: &'a Jitter,
    started: Instant,
    made: u32,
}

impl<'a> Attempts<'a> {
    /// Starts counting at `now`, just before the first attempt.
    pub(crate) fn start(policy: &'a RetryPolicy, jitter: &'a Jitter, now: Instant) -> Self {
        Self {
            policy,
            jitter,
            started: now,
            made: 0,
        }
    }

    /// How many attempts have been made.
    pub(crate) fn made(&self) -> u32 {
        self.made
    }

    /// Records an attempt's outcome at `now`; returns how long to wait before the next attempt,
    /// or `None` when the outcome is final: a success or a status not worth retrying, no attempts
    /// left, or a wait that would overrun the budget.
    pub(crate) fn after<E>(
        &mut self,
        outcome: &Result<http::Response<Vec<u8>>, E>,
        now: Instant,
    ) -> Option<Duration> {
        self.made += 1;
        let retryable = match outcome {
            Ok(response) => is_retryable(response.status()),
            Err(_) => true,
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

    fn next(&self) -> u64 {
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

/// Waits between attempts, and tells the time the retry budget is measured on.
///
/// Implement it to use your executor's timer, or a fake clock in tests. The future must be
/// `Send` so that a [`Retry`] transport still is.
pub trait Sleep {
    /// Resolves after `duration`.
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send;

    /// The current time; the real clock unless overridden.
    fn now(&self) -> Instant {
        Instant::now()
    }
}

impl<S: Sleep + Sync> Sleep for &S {
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send {
        (**self).sleep(duration)
    }

    fn now(&self) -> Instant {
        (**self).now()
    }
}

/// Sleeps on a short-lived helper thread, so it needs no async runtime and works under any
/// executor. A wait is rare and long next to the cost of a thread; on tokio, `TokioSleep` (with
/// the `reqwest` feature) avoids the thread.
#[derive(Debug, Clone, Copy, Default)]
pub struct ThreadSleep;

impl Sleep for ThreadSleep {
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send {
        ThreadSleepFuture {
            deadline: Instant::now() + duration,
            shared: None,
        }
    }
}

/// The future of [`ThreadSleep`]: the helper thread starts on the first poll.
struct ThreadSleepFuture {
    deadline: Instant,
    shared: Option<Arc<Mutex<Wakeup>>>,
}

#[derive(Default)]
struct Wakeup {
    done: bool,
    waker: Option<Waker>,
}

impl Future for ThreadSleepFuture {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let now = Instant::now();
        if now >= self.deadline {
            return Poll::Ready(());
        }
        if let Some(shared) = &self.shared {
            let mut wakeup = shared.lock().unwrap_or_else(|e| e.into_inner());
            if wakeup.done {
                return Poll::Ready(());
            }
            wakeup.waker = Some(cx.waker().clone());
            return Poll::Pending;
        }
        let shared = Arc::new(Mutex::new(Wakeup {
            done: false,
            waker: Some(cx.waker().clone()),
        }));
        let wait = self.deadline - now;
        let thread_shared = Arc::clone(&shared);
        let spawned = std::thread::Builder::new()
            .name("retry-sleep".to_owned())
            .spawn(move || {
                std::thread::sleep(wait);
                let waker = {
                    let mut wakeup = thread_shared.lock().unwrap_or_else(|e| e.into_inner());
                    wakeup.done = true;
                    wakeup.waker.take()
                };
                if let Some(waker) = waker {
                    waker.wake();
                }
            });
        if spawned.is_err() {
            // No thread to be had: waiting in place blocks the executor, but still waits.
            std::thread::sleep(wait);
            return Poll::Ready(());
        }
        self.shared = Some(shared);
        Poll::Pending
    }
}

/// A transport that retries rate-limited and failed requests through another one.
///
/// It retries 429, 500, 502, 503 and 504 responses and every transport error, as [`RetryPolicy`]
/// says. When it gives up on a status it returns that last response, so the operation maps it to
/// its documented error as usual; when it gives up on a transport error it returns
/// [`RetryError`], which keeps the last error and the number of attempts.
///
/// ```ignore
/// let transport = Retry::new(ReqwestTransport::new()?)
///     .with_policy(RetryPolicy::new().max_attempts(5))
///     .with_sleep(TokioSleep);
/// let client = Client::builder(transport).build()?;
/// ```
///
/// It retries whatever it is given, `POST` included: right for DevRev's scans, which only read.
pub struct Retry<T, S = ThreadSleep> {
    inner: T,
    policy: RetryPolicy,
    sleep: S,
    jitter: Jitter,
}

impl<T> Retry<T> {
    /// Retries through `inner` with the default policy, sleeping on helper threads.
    pub fn new(inner: T) -> Self {
        Self {
            inner,
            policy: RetryPolicy::default(),
            sleep: ThreadSleep,
            jitter: Jitter::from_time(),
        }
    }
}

impl<T, S> Retry<T, S> {
    /// Retries as `policy` says.
    pub fn with_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Waits between attempts with `sleep`, such as `TokioSleep` or a fake clock.
    pub fn with_sleep<S2: Sleep>(self, sleep: S2) -> Retry<T, S2> {
        Retry {
            inner: self.inner,
            policy: self.policy,
            sleep,
            jitter: self.jitter,
        }
    }

    /// The policy in force.
    pub fn policy(&self) -> &RetryPolicy {
        &self.policy
    }

    /// The wrapped transport.
    pub fn inner(&self) -> &T {
        &self.inner
    }

    /// Unwraps the transport.
    pub fn into_inner(self) -> T {
        self.inner
    }
}

impl<T: fmt::Debug, S: fmt::Debug> fmt::Debug for Retry<T, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Retry")
            .field("inner", &self.inner)
            .field("policy", &self.policy)
            .field("sleep", &self.sleep)
            .finish_non_exhaustive()
    }
}

impl<T: Clone, S: Clone> Clone for Retry<T, S> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            policy: self.policy.clone(),
            sleep: self.sleep.clone(),
            jitter: Jitter::from_time(),
        }
    }
}

impl<T, S> Transport for Retry<T, S>
where
    T: Transport + Sync,
    S: Sleep + Sync,
{
    type Error = RetryError<T::Error>;

    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, Self::Error> {
        let mut attempts = Attempts::start(&self.policy, &self.jitter, self.sleep.now());
        loop {
            let outcome = self.inner.send(request.clone()).await;
            match attempts.after(&outcome, self.sleep.now()) {
                Some(delay) => self.sleep.sleep(delay).await,
                None => {
                    return outcome.map_err(|last| RetryError {
                        attempts: attempts.made(),
                        last,
                    })
                }
            }
        }
    }
}

/// The transport error [`Retry`] gave up on, after how many attempts.
#[derive(Debug)]
pub struct RetryError<E> {
    /// How many attempts were made, the last included.
    pub attempts: u32,
    /// The error of the last attempt.
    pub last: E,
}

impl<E: fmt::Display> fmt::Display for RetryError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.attempts {
            1 => write!(f, "{} (1 attempt)", self.last),
            n => write!(f, "{} (after {n} attempts)", self.last),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for RetryError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.last)
    }
}


#[cfg(test)]
mod tests;
