//! The retry loop, once for async and once for blocking transports, and [`Retry`], the transport
//! that runs it around another.

use std::fmt;

use super::super::error::TransportError;
use super::super::trace;
use super::super::transport::{BlockingTransport, Idempotency, Transport};
use super::policy::{Attempts, Jitter, RetryPolicy};
use super::sleep::{BlockingSleep, DefaultSleep, Sleep};

/// Sends `request` through `inner`, retrying as `policy` and the request's [`Idempotency`] allow.
pub(crate) async fn send<T, S>(
    inner: &T,
    policy: &RetryPolicy,
    sleep: &S,
    jitter: &Jitter,
    request: http::Request<Vec<u8>>,
) -> Result<http::Response<Vec<u8>>, TransportError>
where
    T: Transport + ?Sized,
    S: Sleep,
{
    let (method, uri) = (request.method().clone(), request.uri().clone());
    if !policy.retries() {
        let outcome = inner.send(request).await;
        return outcome.map_err(|err| err.for_target(method, uri));
    }
    let idempotent = Idempotency::of(&request).is_idempotent();
    let mut attempts = Attempts::start(policy, jitter, idempotent, sleep.now());
    loop {
        let outcome = inner.send(request.clone()).await;
        match attempts.after(&outcome, sleep.now()) {
            Some(delay) => {
                trace::retrying(attempts.made(), delay, &outcome);
                sleep.sleep(delay).await;
            }
            None => {
                trace::attempts(attempts.made());
                return outcome
                    .map_err(|err| err.for_target(method, uri).after_attempts(attempts.made()));
            }
        }
    }
}

/// [`send`], blocking.
pub(crate) fn send_blocking<T, S>(
    inner: &T,
    policy: &RetryPolicy,
    sleep: &S,
    jitter: &Jitter,
    request: http::Request<Vec<u8>>,
) -> Result<http::Response<Vec<u8>>, TransportError>
where
    T: BlockingTransport + ?Sized,
    S: BlockingSleep,
{
    let (method, uri) = (request.method().clone(), request.uri().clone());
    if !policy.retries() {
        return inner
            .send(request)
            .map_err(|err| err.for_target(method, uri));
    }
    let idempotent = Idempotency::of(&request).is_idempotent();
    let mut attempts = Attempts::start(policy, jitter, idempotent, sleep.now_blocking());
    loop {
        let outcome = inner.send(request.clone());
        match attempts.after(&outcome, sleep.now_blocking()) {
            Some(delay) => {
                trace::retrying(attempts.made(), delay, &outcome);
                sleep.sleep_blocking(delay);
            }
            None => {
                trace::attempts(attempts.made());
                return outcome
                    .map_err(|err| err.for_target(method, uri).after_attempts(attempts.made()));
            }
        }
    }
}

/// A transport that retries failed and rate-limited requests through another one, async or
/// blocking.
///
/// A request is sent again only when that cannot do anything twice:
///
/// - always after a failure before the request was written (a refused connection, a connect
///   timeout), and after a 408, a 429, or a 503 with `Retry-After` (the server says it did not
///   act on the request);
/// - only for an idempotent request (see [`Idempotency`]) after a timeout or a broken
///   connection once the request was written, and after a 500, 502, 504 or a 503 without
///   `Retry-After`;
/// - never after a TLS failure, an unusable URL, a body over the limit, or any other status.
///
/// How often and how patiently is the [`RetryPolicy`]'s business. When it gives up on a status
/// it returns that last response, so the operation maps it to its documented error as usual;
/// when it gives up on a transport error it returns that error, which counts the attempts.
///
/// Wrap the transport a client is built over: `Retry::new(transport).with_policy(policy)`. The
/// client builders' `retry(policy)` does the same without the wrapper.
pub struct Retry<T, S = DefaultSleep> {
    inner: T,
    policy: RetryPolicy,
    sleep: S,
    jitter: Jitter,
}

impl<T> Retry<T> {
    /// Retries through `inner` with the default policy and sleep.
    pub fn new(inner: T) -> Self {
        Self {
            inner,
            policy: RetryPolicy::default(),
            sleep: DefaultSleep::default(),
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

    /// Waits between attempts with `sleep`, such as `ThreadSleep` or a fake clock.
    pub fn with_sleep<S2>(self, sleep: S2) -> Retry<T, S2> {
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
    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        send(
            &self.inner,
            &self.policy,
            &self.sleep,
            &self.jitter,
            request,
        )
        .await
    }
}

impl<T, S> BlockingTransport for Retry<T, S>
where
    T: BlockingTransport,
    S: BlockingSleep,
{
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        send_blocking(
            &self.inner,
            &self.policy,
            &self.sleep,
            &self.jitter,
            request,
        )
    }
}
