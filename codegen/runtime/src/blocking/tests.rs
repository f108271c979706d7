//! Tests of `blocking`: not copied into generated crates.

use std::time::Duration;

use super::super::config::{BaseUrl, Token};
use super::super::error::TransportError;
use super::*;

fn config() -> Config {
    Config::new(
        BaseUrl::new("http://127.0.0.1:9").unwrap(),
        Token::new("secret-token").unwrap(),
    )
}

/// Answers every request with 204 and remembers the options it carried.
#[derive(Debug, Default)]
struct Recorder(std::sync::Mutex<Vec<TransportOptions>>);

impl BlockingTransport for Recorder {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        self.0.lock().unwrap().push(TransportOptions::of(&request));
        Ok(http::Response::builder()
            .status(204)
            .body(Vec::new())
            .unwrap())
    }
}

#[test]
fn the_builder_sets_what_every_request_carries_and_hides_the_token() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<BlockingClient<std::sync::Arc<Recorder>>>();
    let builder: ClientBuilder<Recorder, BlockingClient<Recorder>> = ClientBuilder::new(
        Recorder::default(),
        "http://127.0.0.1:9",
        "UNSET_TOKEN_VARIABLE",
    )
    .token("secret-token")
    .timeout(Duration::from_millis(200))
    .connect_timeout(Duration::from_millis(50))
    .body_limit(1000)
    .retry(RetryPolicy::new());
    assert!(!format!("{builder:?}").contains("secret-token"));
    let client = builder.build().unwrap();
    assert_eq!(client.config().base_url.as_str(), "http://127.0.0.1:9");
    assert!(!format!("{client:?}").contains("secret-token"));
    let request = http::Request::get("http://127.0.0.1:9/x")
        .body(Vec::new())
        .unwrap();
    assert_eq!(client.send(request).unwrap().status(), 204);
    let seen = client.transport().0.lock().unwrap().clone();
    let expected = TransportOptions::new()
        .with_timeout(Duration::from_millis(200))
        .with_connect_timeout(Duration::from_millis(50))
        .with_body_limit(1000);
    assert_eq!(seen, [expected]);
}

#[test]
fn a_request_that_cannot_be_built_is_a_request_error() {
    let client = BlockingClient::new(config(), Recorder::default());
    let result: Result<(), ClientError<std::convert::Infallible>> = client
        .call(Err(RequestError::Uri("http://[".to_owned())), |_| {
            unreachable!("nothing was sent")
        });
    assert!(matches!(result, Err(ClientError::Request(_))));
    assert!(client.transport().0.lock().unwrap().is_empty());
}
