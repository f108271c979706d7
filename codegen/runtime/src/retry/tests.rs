//! Tests of `retry`: not copied into generated crates. Every rule is checked through the async
//! `Retry` transport and the blocking loop alike, on a fake clock.

use std::collections::VecDeque;
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use super::super::error::{TransportError, TransportErrorKind};
use super::super::transport::{BlockingTransport, Idempotency, Transport};
use super::policy::Jitter;
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

    fn advance(&self, duration: Duration) {
        *self.now.lock().unwrap() += duration;
        self.slept.lock().unwrap().push(duration);
    }
}

impl Sleep for FakeClock {
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send {
        self.advance(duration);
        std::future::ready(())
    }

    fn now(&self) -> Instant {
        *self.now.lock().unwrap()
    }
}

impl BlockingSleep for FakeClock {
    fn sleep_blocking(&self, duration: Duration) {
        self.advance(duration);
    }

    fn now_blocking(&self) -> Instant {
        *self.now.lock().unwrap()
    }
}

type Outcome = Result<http::Response<Vec<u8>>, TransportError>;

/// Answers from a script, one entry per request, and counts the requests.
struct Scripted {
    script: Mutex<VecDeque<Outcome>>,
    calls: AtomicU32,
}

impl Scripted {
    fn new(script: Vec<Outcome>) -> Self {
        Self {
            script: Mutex::new(script.into()),
            calls: AtomicU32::new(0),
        }
    }

    fn calls(&self) -> u32 {
        self.calls.load(Ordering::SeqCst)
    }

    fn answer(&self, request: &http::Request<Vec<u8>>) -> Outcome {
        assert_eq!(request.body(), b"{}", "every attempt sends the whole body");
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.script
            .lock()
            .unwrap()
            .pop_front()
            .expect("the script has an answer for every attempt")
    }
}

impl Transport for Scripted {
    async fn send(&self, request: http::Request<Vec<u8>>) -> Outcome {
        self.answer(&request)
    }
}

impl BlockingTransport for Scripted {
    fn send(&self, request: http::Request<Vec<u8>>) -> Outcome {
        self.answer(&request)
    }
}

fn status(code: u16) -> Outcome {
    respond(code, &[], "")
}

fn respond(code: u16, headers: &[(&str, &str)], body: &str) -> Outcome {
    let mut response = http::Response::builder().status(code);
    for (name, value) in headers {
        response = response.header(*name, *value);
    }
    Ok(response.body(body.as_bytes().to_vec()).unwrap())
}

fn failed(kind: TransportErrorKind, sent: bool) -> Outcome {
    Err(TransportError::new(kind, sent))
}

/// A `POST`, idempotent or not as marked.
fn request(idempotency: Idempotency) -> http::Request<Vec<u8>> {
    let request = http::Request::post("https://api.example.com/things.do")
        .body(b"{}".to_vec())
        .unwrap();
    idempotency.mark(request)
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

struct ThreadWaker(std::thread::Thread);

impl std::task::Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

/// What one script does through both loops: (async outcome, blocking outcome), with the calls
/// and waits of each, which must agree.
fn both(
    script: impl Fn() -> Vec<Outcome>,
    policy: RetryPolicy,
    idempotency: Idempotency,
) -> (Outcome, u32, Vec<Duration>) {
    let (async_script, async_clock) = (Scripted::new(script()), FakeClock::new());
    let retry = Retry::new(&async_script)
        .with_policy(policy.clone())
        .with_sleep(&async_clock);
    let async_outcome = run(Transport::send(&retry, request(idempotency)));
    let (blocking_script, blocking_clock) = (Scripted::new(script()), FakeClock::new());
    let retry = Retry::new(&blocking_script)
        .with_policy(policy)
        .with_sleep(&blocking_clock);
    let blocking_outcome = BlockingTransport::send(&retry, request(idempotency));
    assert_eq!(
        async_script.calls(),
        blocking_script.calls(),
        "the loops agree"
    );
    assert_eq!(
        async_outcome
            .as_ref()
            .map(|r| r.status())
            .map_err(|e| e.kind()),
        blocking_outcome
            .as_ref()
            .map(|r| r.status())
            .map_err(|e| e.kind()),
        "the loops agree"
    );
    let waits = async_clock.slept();
    assert_eq!(waits.len(), blocking_clock.slept().len(), "the loops agree");
    (async_outcome, async_script.calls(), waits)
}

fn quick() -> RetryPolicy {
    RetryPolicy::new()
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(1))
}

/// How many attempts a script of one outcome then a 200 takes, for each idempotency.
fn attempts_after(first: impl Fn() -> Outcome) -> (u32, u32) {
    let script = || vec![first(), status(200)];
    let (_, idempotent, _) = both(script, quick(), Idempotency::Idempotent);
    let (_, not, _) = both(script, quick(), Idempotency::NotIdempotent);
    (idempotent, not)
}

#[test]
fn what_the_server_says_it_did_not_do_is_always_retried() {
    for code in [408, 429] {
        assert_eq!(attempts_after(|| status(code)), (2, 2), "{code}");
    }
    let unavailable = || respond(503, &[("retry-after", "0")], "");
    assert_eq!(attempts_after(unavailable), (2, 2), "503 with Retry-After");
}

#[test]
fn server_failures_are_retried_only_when_idempotent() {
    for code in [500, 502, 503, 504] {
        assert_eq!(attempts_after(|| status(code)), (2, 1), "{code}");
    }
}

#[test]
fn other_statuses_are_final() {
    for code in [200, 201, 204, 301, 400, 401, 403, 404, 409, 422, 501] {
        assert_eq!(attempts_after(|| status(code)), (1, 1), "{code}");
    }
}

#[test]
fn failures_before_the_request_was_written_are_always_retried() {
    use TransportErrorKind::*;
    for kind in [Connect, Timeout, Closed] {
        assert_eq!(attempts_after(|| failed(kind, false)), (2, 2), "{kind:?}");
    }
}

#[test]
fn failures_after_the_request_was_written_are_retried_only_when_idempotent() {
    use TransportErrorKind::*;
    for kind in [Timeout, Closed, Other] {
        assert_eq!(attempts_after(|| failed(kind, true)), (2, 1), "{kind:?}");
    }
}

#[test]
fn tls_url_and_body_limit_failures_are_never_retried() {
    use TransportErrorKind::*;
    for kind in [Tls, InvalidUrl, BodyTooLarge { limit: 10 }] {
        for sent in [false, true] {
            assert_eq!(attempts_after(|| failed(kind, sent)), (1, 1), "{kind:?}");
        }
    }
}

#[test]
fn an_unmarked_request_goes_by_its_method() {
    for (method, expected) in [
        (http::Method::GET, 2),
        (http::Method::PUT, 2),
        (http::Method::DELETE, 2),
        (http::Method::POST, 1),
        (http::Method::PATCH, 1),
    ] {
        let script = Scripted::new(vec![status(502), status(200)]);
        let clock = FakeClock::new();
        let retry = Retry::new(&script).with_policy(quick()).with_sleep(&clock);
        let request = http::Request::builder()
            .method(method.clone())
            .uri("https://api.example.com/x")
            .body(b"{}".to_vec())
            .unwrap();
        run(Transport::send(&retry, request)).unwrap();
        assert_eq!(script.calls(), expected, "{method}");
    }
}

#[test]
fn gives_up_after_max_attempts_with_the_last_response() {
    let script = || vec![status(503), status(502), status(500)];
    let (outcome, calls, waits) = both(script, quick().max_attempts(3), Idempotency::Idempotent);
    assert_eq!(outcome.unwrap().status(), 500);
    assert_eq!(calls, 3);
    assert_eq!(waits.len(), 2);
}

#[test]
fn gives_up_on_transport_errors_with_the_attempt_count_and_the_target() {
    let script = || {
        (0..3)
            .map(|_| failed(TransportErrorKind::Connect, false))
            .collect()
    };
    let (outcome, _, _) = both(script, quick().max_attempts(3), Idempotency::NotIdempotent);
    let err = outcome.unwrap_err();
    assert_eq!(err.attempts(), 3);
    assert!(err.is_connect() && !err.request_sent());
    assert_eq!(
        err.to_string(),
        "POST https://api.example.com/things.do: cannot connect (after 3 attempts)"
    );
}

#[test]
fn one_attempt_means_no_retry() {
    let script = || vec![failed(TransportErrorKind::Connect, false)];
    let (outcome, calls, _) = both(script, RetryPolicy::never(), Idempotency::Idempotent);
    let err = outcome.unwrap_err();
    assert_eq!((calls, err.attempts()), (1, 1));
    assert_eq!(
        err.to_string(),
        "POST https://api.example.com/things.do: cannot connect"
    );
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
fn honours_retry_after_and_the_429_body_taking_the_longer() {
    type Headers = &'static [(&'static str, &'static str)];
    let cases: [(Headers, &str, u64); 3] = [
        (&[("retry-after", "3")], "", 3),
        (&[], r#"{"type":"too_many_requests","retry_after":2}"#, 2),
        (&[("retry-after", "1")], r#"{"retry_after":5}"#, 5),
    ];
    for (headers, body, secs) in cases {
        let script = || vec![respond(429, headers, body), status(200)];
        let (_, _, waits) = both(script, RetryPolicy::new(), Idempotency::NotIdempotent);
        assert_eq!(waits, [Duration::from_secs(secs)], "{headers:?} {body}");
    }
}

#[test]
fn a_zero_hint_retries_at_once() {
    let body = r#"{"type":"too_many_requests","retry_after":0}"#;
    let script = || vec![respond(429, &[("retry-after", "0")], body), status(200)];
    let (_, _, waits) = both(script, RetryPolicy::new(), Idempotency::NotIdempotent);
    assert_eq!(waits, [Duration::ZERO]);
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
        let script = || vec![respond(429, &[("retry-after", header)], body), status(200)];
        let (_, _, waits) = both(script, policy.clone(), Idempotency::NotIdempotent);
        assert_eq!(waits.len(), 1);
        assert!(
            waits[0] <= max,
            "{header:?} / {body}: backoff, not the hint"
        );
    }
}

#[test]
fn caps_a_huge_retry_after_by_the_max_delay() {
    let script = || vec![respond(429, &[("retry-after", "86000")], ""), status(200)];
    let policy = RetryPolicy::new()
        .max_delay(Duration::from_secs(7))
        .budget(Duration::from_secs(100));
    let (outcome, _, waits) = both(script, policy, Idempotency::NotIdempotent);
    assert_eq!(outcome.unwrap().status(), 200);
    assert_eq!(waits, [Duration::from_secs(7)]);
}

#[test]
fn the_body_hint_counts_only_on_429() {
    let script = || vec![respond(503, &[], r#"{"retry_after":9}"#), status(200)];
    let (_, _, waits) = both(script, quick(), Idempotency::Idempotent);
    assert!(waits[0] <= Duration::from_millis(1));
}

#[test]
fn stops_when_the_next_wait_would_overrun_the_budget() {
    let script = || {
        vec![
            respond(503, &[("retry-after", "4")], ""),
            respond(503, &[("retry-after", "4")], ""),
            status(200),
        ]
    };
    let policy = RetryPolicy::new()
        .max_attempts(10)
        .budget(Duration::from_secs(6));
    let (outcome, calls, waits) = both(script, policy, Idempotency::NotIdempotent);
    assert_eq!(
        outcome.unwrap().status(),
        503,
        "the second wait would end at 8 s"
    );
    assert_eq!(calls, 2);
    assert_eq!(waits, [Duration::from_secs(4)]);
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

#[test]
fn a_retrying_transport_is_a_send_sync_transport_of_both_kinds() {
    fn assert_transport<T: Transport + Send + Sync>() {}
    fn assert_blocking<T: BlockingTransport + Send + Sync>() {}
    assert_transport::<Retry<Scripted>>();
    assert_blocking::<Retry<Scripted, ThreadSleep>>();
}
