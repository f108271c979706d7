//! Tests of `retry`: not copied into generated crates.

use std::collections::VecDeque;
use std::sync::atomic::AtomicU32;

use super::*;

/// A clock that only moves when slept on, and remembers every wait.
#[derive(Debug)]
struct FakeClock {
    now: Mutex<Instant>,
    slept: Mutex<Vec<Duration>>,
}

impl FakeClock {
    fn new() -> Self {
        Self {
            now: Mutex::new(Instant::now()),
            slept: Mutex::new(Vec::new()),
        }
    }

    fn slept(&self) -> Vec<Duration> {
        self.slept.lock().unwrap().clone()
    }
}

impl Sleep for FakeClock {
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send {
        *self.now.lock().unwrap() += duration;
        self.slept.lock().unwrap().push(duration);
        std::future::ready(())
    }

    fn now(&self) -> Instant {
        *self.now.lock().unwrap()
    }
}

#[derive(Debug)]
struct Refused;

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection refused")
    }
}

impl std::error::Error for Refused {}

/// Answers from a script, one entry per request, and counts the requests.
struct Scripted {
    script: Mutex<VecDeque<Result<http::Response<Vec<u8>>, Refused>>>,
    calls: AtomicU32,
}

impl Scripted {
    fn new(script: Vec<Result<http::Response<Vec<u8>>, Refused>>) -> Self {
        Self {
            script: Mutex::new(script.into()),
            calls: AtomicU32::new(0),
        }
    }

    fn calls(&self) -> u32 {
        self.calls.load(Ordering::SeqCst)
    }
}

impl Transport for Scripted {
    type Error = Refused;

    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, Refused> {
        assert_eq!(request.body(), b"{}", "every attempt sends the whole body");
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.script
            .lock()
            .unwrap()
            .pop_front()
            .expect("the script has an answer for every attempt")
    }
}

fn status(code: u16) -> Result<http::Response<Vec<u8>>, Refused> {
    respond(code, &[], "")
}

fn respond(
    code: u16,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<http::Response<Vec<u8>>, Refused> {
    let mut response = http::Response::builder().status(code);
    for (name, value) in headers {
        response = response.header(*name, *value);
    }
    Ok(response.body(body.as_bytes().to_vec()).unwrap())
}

fn request() -> http::Request<Vec<u8>> {
    http::Request::post("https://api.devrev.ai/rev-users.scan")
        .body(b"{}".to_vec())
        .unwrap()
}

/// Polls a future that never waits on anything but the fake clock.
fn run<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let waker = Waker::from(Arc::new(ThreadWaker(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    for _ in 0..1000 {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
    panic!("the future did not finish")
}

fn retry<'a>(
    script: &'a Scripted,
    clock: &'a FakeClock,
    policy: RetryPolicy,
) -> Retry<&'a Scripted, &'a FakeClock> {
    Retry::new(script).with_policy(policy).with_sleep(clock)
}

#[test]
fn retries_each_retryable_status_then_returns_the_success() {
    for code in RETRY_STATUSES {
        let script = Scripted::new(vec![status(code), status(200)]);
        let clock = FakeClock::new();
        let response = run(retry(&script, &clock, RetryPolicy::new()).send(request()))
            .expect("a response");
        assert_eq!(response.status(), 200, "after {code}");
        assert_eq!(script.calls(), 2, "after {code}");
    }
}

#[test]
fn does_not_retry_success_or_client_errors() {
    for code in [200, 201, 204, 400, 401, 403, 404, 409, 501] {
        let script = Scripted::new(vec![status(code)]);
        let clock = FakeClock::new();
        let response = run(retry(&script, &clock, RetryPolicy::new()).send(request()))
            .expect("a response");
        assert_eq!(response.status(), code);
        assert_eq!(script.calls(), 1, "{code} is final");
        assert!(clock.slept().is_empty());
    }
}

#[test]
fn gives_up_after_max_attempts_with_the_last_response() {
    let script = Scripted::new(vec![status(503), status(502), status(500)]);
    let clock = FakeClock::new();
    let policy = RetryPolicy::new().max_attempts(3);
    let response = run(retry(&script, &clock, policy).send(request())).expect("a response");
    assert_eq!(response.status(), 500);
    assert_eq!(script.calls(), 3);
    assert_eq!(clock.slept().len(), 2);
}

#[test]
fn gives_up_on_transport_errors_with_the_attempt_count() {
    let script = Scripted::new(vec![Err(Refused), Err(Refused), Err(Refused)]);
    let clock = FakeClock::new();
    let policy = RetryPolicy::new().max_attempts(3);
    let err = run(retry(&script, &clock, policy).send(request())).unwrap_err();
    assert_eq!(err.attempts, 3);
    assert_eq!(err.to_string(), "connection refused (after 3 attempts)");
    assert!(std::error::Error::source(&err).is_some());
}

#[test]
fn a_transport_error_then_success_succeeds() {
    let script = Scripted::new(vec![Err(Refused), status(200)]);
    let clock = FakeClock::new();
    let response = run(retry(&script, &clock, RetryPolicy::new()).send(request()));
    assert_eq!(response.unwrap().status(), 200);
    assert_eq!(script.calls(), 2);
}

#[test]
fn one_attempt_means_no_retry() {
    let script = Scripted::new(vec![Err(Refused)]);
    let clock = FakeClock::new();
    let policy = RetryPolicy::new().max_attempts(0);
    let err = run(retry(&script, &clock, policy).send(request())).unwrap_err();
    assert_eq!(err.attempts, 1);
    assert_eq!(err.to_string(), "connection refused (1 attempt)");
}

#[test]
fn backoff_is_capped_exponential_with_full_jitter() {
    let policy = RetryPolicy::new()
        .base_delay(Duration::from_millis(100))
        .max_delay(Duration::from_millis(700));
    let jitter = Jitter::seeded(7);
    for retry in 1..=40 {
        let cap = Duration::from_millis(100 * 2u64.pow(retry.min(20) - 1))
            .min(Duration::from_millis(700));
        let mut longest = Duration::ZERO;
        for _ in 0..200 {
            let delay = policy.backoff(retry, &jitter);
            assert!(delay <= cap, "retry {retry}: {delay:?} > {cap:?}");
            longest = longest.max(delay);
        }
        // Full jitter spreads over the whole range, not just its top.
        assert!(longest > cap / 2, "retry {retry}: never above half the cap");
    }
}

#[test]
fn jitter_differs_between_generators() {
    let a = Jitter::from_time();
    let b = Jitter::from_time();
    let a: Vec<u64> = (0..4).map(|_| a.next()).collect();
    let b: Vec<u64> = (0..4).map(|_| b.next()).collect();
    assert_ne!(a, b);
}

#[test]
fn honours_retry_after_header_in_seconds() {
    let script = Scripted::new(vec![respond(503, &[("retry-after", "3")], ""), status(200)]);
    let clock = FakeClock::new();
    run(retry(&script, &clock, RetryPolicy::new()).send(request())).unwrap();
    assert_eq!(clock.slept(), [Duration::from_secs(3)]);
}

#[test]
fn honours_retry_after_in_a_429_body() {
    let body = r#"{"type":"too_many_requests","retry_after":2}"#;
    let script = Scripted::new(vec![respond(429, &[], body), status(200)]);
    let clock = FakeClock::new();
    run(retry(&script, &clock, RetryPolicy::new()).send(request())).unwrap();
    assert_eq!(clock.slept(), [Duration::from_secs(2)]);
}

#[test]
fn takes_the_longer_of_header_and_body_hints() {
    let body = r#"{"type":"too_many_requests","retry_after":5}"#;
    let script = Scripted::new(vec![
        respond(429, &[("retry-after", "1")], body),
        status(200),
    ]);
    let clock = FakeClock::new();
    run(retry(&script, &clock, RetryPolicy::new()).send(request())).unwrap();
    assert_eq!(clock.slept(), [Duration::from_secs(5)]);
}

#[test]
fn a_zero_hint_retries_at_once() {
    let body = r#"{"type":"too_many_requests","retry_after":0}"#;
    let script = Scripted::new(vec![
        respond(429, &[("retry-after", "0")], body),
        status(200),
    ]);
    let clock = FakeClock::new();
    run(retry(&script, &clock, RetryPolicy::new()).send(request())).unwrap();
    assert_eq!(clock.slept(), [Duration::ZERO]);
}

#[test]
fn ignores_negative_absurd_and_unreadable_hints() {
    let max = Duration::from_millis(50);
    let policy = RetryPolicy::new().base_delay(max).max_delay(max);
    for (header, body) in [
        ("-5", r#"{"retry_after":-1}"#),
        ("99999999999", r#"{"retry_after":1e300}"#),
        ("Wed, 21 Oct 2015 07:28:00 GMT", r#"{"retry_after":"soon"}"#),
        ("NaN", "not json"),
    ] {
        let script = Scripted::new(vec![
            respond(429, &[("retry-after", header)], body),
            status(200),
        ]);
        let clock = FakeClock::new();
        run(retry(&script, &clock, policy.clone()).send(request())).unwrap();
        let slept = clock.slept();
        assert_eq!(slept.len(), 1);
        assert!(
            slept[0] <= max,
            "{header:?} / {body}: backoff, not the hint"
        );
    }
}

#[test]
fn caps_hints_by_the_max_delay() {
    let script = Scripted::new(vec![
        respond(503, &[("retry-after", "3600")], ""),
        status(200),
    ]);
    let clock = FakeClock::new();
    let policy = RetryPolicy::new()
        .max_delay(Duration::from_secs(7))
        .budget(Duration::from_secs(100));
    run(retry(&script, &clock, policy).send(request())).unwrap();
    assert_eq!(clock.slept(), [Duration::from_secs(7)]);
}

#[test]
fn the_body_hint_counts_only_on_429() {
    let body = r#"{"retry_after":9}"#;
    let script = Scripted::new(vec![respond(503, &[], body), status(200)]);
    let clock = FakeClock::new();
    let policy = RetryPolicy::new()
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(1));
    run(retry(&script, &clock, policy).send(request())).unwrap();
    assert!(clock.slept()[0] <= Duration::from_millis(1));
}

#[test]
fn stops_when_the_next_wait_would_overrun_the_budget() {
    let script = Scripted::new(vec![
        respond(429, &[("retry-after", "4")], ""),
        respond(429, &[("retry-after", "4")], ""),
        status(200),
    ]);
    let clock = FakeClock::new();
    let policy = RetryPolicy::new()
        .max_attempts(10)
        .budget(Duration::from_secs(6));
    let response = run(retry(&script, &clock, policy).send(request())).unwrap();
    assert_eq!(response.status(), 429, "the second wait would end at 8 s");
    assert_eq!(script.calls(), 2);
    assert_eq!(clock.slept(), [Duration::from_secs(4)]);
}

#[test]
fn thread_sleep_waits_under_a_plain_executor() {
    let started = Instant::now();
    let waker = Waker::from(Arc::new(ThreadWaker(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = std::pin::pin!(ThreadSleep.sleep(Duration::from_millis(20)));
    for _ in 0..100 {
        if future.as_mut().poll(&mut cx).is_ready() {
            assert!(started.elapsed() >= Duration::from_millis(20));
            return;
        }
        std::thread::park_timeout(Duration::from_millis(200));
    }
    panic!("the sleep never finished");
}

struct ThreadWaker(std::thread::Thread);

impl std::task::Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

#[test]
fn a_retrying_transport_is_a_send_sync_transport() {
    fn assert_transport<T: Transport + Send + Sync>() {}
    assert_transport::<Retry<Scripted>>();
}
