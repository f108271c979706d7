//! Tests of `tower`: not copied into generated crates. What a layer's error becomes, and that a
//! request goes down a stack with its extensions and comes back whole.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

use super::*;
use crate::transport::{Idempotency, OperationInfo, TransportOptions};

/// Wraps another error, as layers that add context do.
#[derive(Debug)]
struct Wrapped(BoxError);

impl std::fmt::Display for Wrapped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("wrapped")
    }
}

impl Error for Wrapped {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&*self.0)
    }
}

fn converted(err: impl Error + Send + Sync + 'static) -> TransportError {
    TransportError::from(Box::new(err) as BoxError)
}

#[test]
fn a_boxed_transport_error_comes_back_as_it_was() {
    let err = converted(TransportError::new(TransportErrorKind::Connect, false));
    assert_eq!(
        (err.kind(), err.request_sent()),
        (TransportErrorKind::Connect, false)
    );
    assert!(err.source().is_none(), "not wrapped in itself");
}

#[test]
fn the_timeout_layer_is_a_timeout_that_may_have_been_sent() {
    let err = converted(tower::timeout::error::Elapsed::new());
    assert!(err.is_timeout());
    assert!(err.request_sent());
    assert!(err.source().unwrap().is::<tower::timeout::error::Elapsed>());
}

#[test]
fn load_shedding_sent_nothing() {
    let err = converted(tower::load_shed::error::Overloaded::new());
    assert_eq!(err.kind(), TransportErrorKind::Other);
    assert!(!err.request_sent());
    assert!(err
        .source()
        .unwrap()
        .is::<tower::load_shed::error::Overloaded>());
}

#[test]
fn a_wrapped_cause_is_found_down_the_chain_and_the_wrapper_kept() {
    let inner = TransportError::new(TransportErrorKind::Closed, true);
    let err = converted(Wrapped(Box::new(inner)));
    assert_eq!(err.kind(), TransportErrorKind::Closed);
    assert!(err.source().unwrap().is::<Wrapped>());
    let err = converted(Wrapped(Box::new(tower::timeout::error::Elapsed::new())));
    assert!(err.is_timeout());
}

#[test]
fn any_other_error_may_have_been_sent_and_is_the_source() {
    let err = converted(std::fmt::Error);
    assert_eq!(err.kind(), TransportErrorKind::Other);
    assert!(err.request_sent());
    assert!(err.source().unwrap().is::<std::fmt::Error>());
}

type Seen = (Option<OperationInfo>, Idempotency, TransportOptions);

/// Records each request's extensions and answers 204 with the request's body.
#[derive(Default)]
struct Recording(Mutex<Vec<Seen>>);

impl Transport for Recording {
    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        self.0.lock().unwrap().push((
            OperationInfo::of(&request),
            Idempotency::of(&request),
            TransportOptions::of(&request),
        ));
        Ok(http::Response::builder()
            .status(204)
            .body(request.into_body())
            .unwrap())
    }
}

/// Pending on every first poll of `poll_ready` (waking itself), so `call` must wait for it.
#[derive(Clone)]
struct Reluctant<S> {
    inner: S,
    polls: Arc<Mutex<u32>>,
}

impl<S: Service<http::Request<Vec<u8>>>> Service<http::Request<Vec<u8>>> for Reluctant<S> {
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        let mut polls = self.polls.lock().unwrap();
        *polls += 1;
        if *polls % 2 == 1 {
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<Vec<u8>>) -> Self::Future {
        assert_eq!(*self.polls.lock().unwrap() % 2, 0, "called before ready");
        self.inner.call(request)
    }
}

struct NoWake;

impl Wake for NoWake {
    fn wake(self: Arc<Self>) {}
}

/// Polls a future that never waits on anything outside itself.
fn run<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let waker = Waker::from(Arc::new(NoWake));
    let mut cx = Context::from_waker(&waker);
    for _ in 0..100 {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
    panic!("the future did not finish")
}

#[test]
fn a_request_goes_down_a_stack_with_its_extensions_and_comes_back_whole() {
    let service = TransportService::new(Recording::default());
    let polls = Arc::default();
    let transport = TowerTransport::new(Reluctant {
        inner: service.clone(),
        polls: Arc::clone(&polls),
    });
    let options = TransportOptions::new().with_body_limit(7);
    let operation = OperationInfo::new("things-do", "/things.do");
    let mut request = http::Request::post("https://api.example.com/things.do")
        .body(b"{}".to_vec())
        .unwrap();
    request.extensions_mut().insert(options);
    let request = Idempotency::Idempotent.mark(operation.mark(request));
    let response = run(transport.send(request)).unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(response.body(), b"{}");
    assert_eq!(*polls.lock().unwrap(), 2, "waited for readiness");
    assert_eq!(
        *service.transport().0.lock().unwrap(),
        [(Some(operation), Idempotency::Idempotent, options)]
    );
}
