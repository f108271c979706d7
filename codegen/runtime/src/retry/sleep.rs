//! Waiting between attempts, and the clock the retry budget is measured on.
//!
//! Nothing here needs an async runtime unless asked: [`ThreadSleep`] waits on a helper thread
//! under any executor; with the `reqwest` feature, [`DefaultSleep`] is `TokioSleep`, tokio's
//! timer, since reqwest runs on tokio anyway. Tests pass a fake clock.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

/// What the async client and [`Retry`](super::Retry) sleep with unless told otherwise: tokio's
/// timer with the `reqwest` feature (so retries need a tokio runtime with its timer, as reqwest
/// does), a helper thread without it.
#[cfg(feature = "reqwest")]
pub type DefaultSleep = TokioSleep;
/// What the async client and [`Retry`](super::Retry) sleep with unless told otherwise: tokio's
/// timer with the `reqwest` feature, a helper thread without it.
#[cfg(not(feature = "reqwest"))]
pub type DefaultSleep = ThreadSleep;

/// Waits between attempts of an async request, and tells the time the retry budget is measured
/// on.
///
/// Implement it to use your executor's timer, or a fake clock in tests. The future must be
/// `Send` so that a [`Retry`](super::Retry) transport still is.
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

/// [`Sleep`], blocking: waits between attempts of a blocking request.
pub trait BlockingSleep {
    /// Returns after `duration`.
    fn sleep_blocking(&self, duration: Duration);

    /// The current time; the real clock unless overridden.
    fn now_blocking(&self) -> Instant {
        Instant::now()
    }
}

impl<S: BlockingSleep> BlockingSleep for &S {
    fn sleep_blocking(&self, duration: Duration) {
        (**self).sleep_blocking(duration)
    }

    fn now_blocking(&self) -> Instant {
        (**self).now_blocking()
    }
}

/// Sleeps on a short-lived helper thread, so it needs no async runtime and works under any
/// executor; blocking, it sleeps the calling thread. On tokio, `TokioSleep` (with the `reqwest`
/// feature, and then the default) avoids the thread.
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

impl BlockingSleep for ThreadSleep {
    fn sleep_blocking(&self, duration: Duration) {
        std::thread::sleep(duration);
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

/// Waits on tokio's timer: the default [`Sleep`] with the `reqwest` feature. Blocking, it
/// sleeps the calling thread.
#[cfg(feature = "reqwest")]
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleep;

#[cfg(feature = "reqwest")]
impl Sleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send {
        tokio::time::sleep(duration)
    }
}

#[cfg(feature = "reqwest")]
impl BlockingSleep for TokioSleep {
    fn sleep_blocking(&self, duration: Duration) {
        std::thread::sleep(duration);
    }
}
