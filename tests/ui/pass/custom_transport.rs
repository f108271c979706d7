//! A transport written by the user with `async fn`, driven by a hand-written executor: the
//! client needs no particular HTTP library or async runtime.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use devrev_client::http;
use devrev_client::types::RevUsersScanRequest;
use devrev_client::{Client, Transport, TransportError};

/// Answers every request with an empty page.
struct EmptyPages;

impl Transport for EmptyPages {
    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        assert_eq!(request.method(), http::Method::POST);
        Ok(http::Response::builder()
            .status(200)
            .body(br#"{"rev_users":[]}"#.to_vec())
            .unwrap())
    }
}

fn block_on<F: Future>(future: F) -> F::Output {
    struct Noop;
    impl Wake for Noop {
        fn wake(self: Arc<Self>) {}
    }
    let waker = Waker::from(Arc::new(Noop));
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
}

fn main() {
    let client = Client::builder(EmptyPages).token("t").build().unwrap();
    let req = RevUsersScanRequest::default();
    let page = block_on(client.rev_users_scan_post(&req)).unwrap();
    assert!(page.rev_users.is_empty());
    assert_eq!(page.next_cursor, None);
}
