//! The generated client through tower layers (the `tower` feature): a concurrency limit caps
//! the requests in flight, a rate limit spaces them out, a timeout layer's error is a timeout the
//! retry rules read, and a shed request is known not to have been sent.
//!
//! The transport at the bottom is in memory and takes its time on tokio's clock, which is paused:
//! it moves only when every task waits on it, so the times seen are exact and the tests take no
//! real time.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use devrev_client::types::RevUsersScanRequest;
use devrev_client::{
    http, Client, ClientError, Idempotency, RetryPolicy, TowerTransport, Transport, TransportError,
    TransportErrorKind, TransportService,
};
use futures_util::future::join_all;
use tokio::time::Instant;
use tower::ServiceBuilder;

/// What the transport saw.
#[derive(Debug, Default)]
struct Seen {
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
    /// When each request arrived, from the test's start.
    arrivals: Mutex<Vec<Duration>>,
}

/// Answers every request with an empty page after `latency`, recording what [`Seen`] holds.
struct Slow {
    latency: Duration,
    start: Instant,
    seen: Arc<Seen>,
}

impl Transport for Slow {
    async fn send(
        &self,
        _request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let seen = &self.seen;
        seen.arrivals.lock().unwrap().push(self.start.elapsed());
        let now = seen.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        seen.most_in_flight.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(self.latency).await;
        seen.in_flight.fetch_sub(1, Ordering::SeqCst);
        Ok(http::Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(br#"{"rev_users": []}"#.to_vec())
            .unwrap())
    }
}

/// A transport answering after `latency`, and what it will see.
fn slow(latency: Duration) -> (TransportService<Slow>, Arc<Seen>) {
    let seen = Arc::new(Seen::default());
    let transport = Slow {
        latency,
        start: Instant::now(),
        seen: Arc::clone(&seen),
    };
    (TransportService::new(transport), seen)
}

/// Runs `future` on a current-thread runtime whose clock is paused.
fn run<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a tokio runtime")
        .block_on(future)
}

fn client_over<S>(stack: S) -> Client<TowerTransport<S>> {
    Client::builder(TowerTransport::new(stack))
        .token("test-token")
        .base_url("https://api.example.com")
        .build()
        .expect("a valid configuration")
}

/// Makes `calls` scans at once, each of which must succeed.
async fn scan_at_once<T: Transport>(client: &Client<T>, calls: usize) {
    let request = RevUsersScanRequest::default();
    let scans = (0..calls).map(|_| client.rev_users_scan_post(&request));
    for outcome in join_all(scans).await {
        outcome.expect("the scan succeeds");
    }
}

#[test]
fn a_concurrency_limit_caps_the_requests_in_flight() {
    run(async {
        let (service, seen) = slow(Duration::from_millis(100));
        let client = client_over(ServiceBuilder::new().concurrency_limit(2).service(service));
        scan_at_once(&client, 8).await;
        assert_eq!(seen.most_in_flight.load(Ordering::SeqCst), 2);
        assert_eq!(seen.arrivals.lock().unwrap().len(), 8);

        // The same calls with no limit are all in flight together: the cap above is the layer's.
        let (service, seen) = slow(Duration::from_millis(100));
        scan_at_once(&client_over(service), 8).await;
        assert_eq!(seen.most_in_flight.load(Ordering::SeqCst), 8);
    });
}

#[test]
fn a_rate_limit_spaces_the_requests_out() {
    run(async {
        let (service, seen) = slow(Duration::from_millis(10));
        // `RateLimit` keeps its window in one instance, so `buffer` shares it between calls.
        let stack = ServiceBuilder::new()
            .buffer(16)
            .rate_limit(2, Duration::from_secs(1))
            .service(service);
        scan_at_once(&client_over(stack), 6).await;
        let seconds: Vec<u64> = seen
            .arrivals
            .lock()
            .unwrap()
            .iter()
            .map(Duration::as_secs)
            .collect();
        assert_eq!(seconds, [0, 0, 1, 1, 2, 2], "two requests a second");
    });
}

#[test]
fn both_limits_hold_in_one_stack() {
    run(async {
        let (service, seen) = slow(Duration::from_millis(300));
        let stack = ServiceBuilder::new()
            .buffer(16)
            .concurrency_limit(3)
            .rate_limit(4, Duration::from_secs(1))
            .service(service);
        scan_at_once(&client_over(stack), 8).await;
        assert_eq!(seen.most_in_flight.load(Ordering::SeqCst), 3);
        let arrivals = seen.arrivals.lock().unwrap();
        for window in arrivals.windows(5) {
            assert!(
                window[4] - window[0] >= Duration::from_secs(1),
                "at most 4 requests a second: {arrivals:?}"
            );
        }
    });
}

/// A hand-built request for a path the transport does not look at, marked `idempotency`.
fn post(idempotency: Idempotency) -> http::Request<Vec<u8>> {
    let request = http::Request::post("https://api.example.com/works.create")
        .body(b"{}".to_vec())
        .unwrap();
    idempotency.mark(request)
}

#[test]
fn the_timeout_layer_is_a_timeout_that_the_retry_rules_read() {
    run(async {
        let (service, seen) = slow(Duration::from_secs(5));
        let stack = ServiceBuilder::new()
            .timeout(Duration::from_millis(200))
            .service(service);
        let client = Client::builder(TowerTransport::new(stack))
            .token("test-token")
            .base_url("https://api.example.com")
            .retry(RetryPolicy::new().max_attempts(3))
            .build()
            .unwrap();

        // A write that may have reached the server is not sent again.
        let err = client
            .send(post(Idempotency::NotIdempotent))
            .await
            .unwrap_err();
        assert!(err.is_timeout(), "{err:?}");
        assert!(err.request_sent());
        assert_eq!(seen.arrivals.lock().unwrap().len(), 1, "sent once");

        // A read is, through the layer each time.
        let err = client
            .rev_users_scan_post(&RevUsersScanRequest::default())
            .await
            .unwrap_err();
        assert!(err.is_timeout(), "{err:?}");
        assert_eq!(seen.arrivals.lock().unwrap().len(), 4, "then 3 attempts");
    });
}

#[test]
fn a_shed_request_was_not_sent() {
    run(async {
        let (service, seen) = slow(Duration::from_millis(100));
        let stack = ServiceBuilder::new()
            .load_shed()
            .concurrency_limit(1)
            .service(service);
        let client = client_over(stack);
        let request = RevUsersScanRequest::default();
        let mut outcomes = join_all([
            client.rev_users_scan_post(&request),
            client.rev_users_scan_post(&request),
        ])
        .await;
        let second = outcomes.pop().unwrap();
        outcomes
            .pop()
            .unwrap()
            .expect("the first call goes through");
        let Err(ClientError::Transport(err)) = second else {
            panic!("the second call is shed: {second:?}");
        };
        assert_eq!(err.kind(), TransportErrorKind::Other);
        assert!(!err.request_sent());
        let source = std::error::Error::source(&err).expect("the layer's error is the source");
        assert_eq!(source.to_string(), "service overloaded");
        assert_eq!(seen.arrivals.lock().unwrap().len(), 1);
    });
}
