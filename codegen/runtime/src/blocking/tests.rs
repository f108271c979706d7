//! Tests of `blocking`: not copied into generated crates.

use super::super::config::{BaseUrl, Token};
use super::*;

fn config() -> Config {
    Config::new(
        BaseUrl::new("http://127.0.0.1:9").unwrap(),
        Token::new("secret-token").unwrap(),
    )
}

#[test]
fn keeps_the_config_and_is_send_sync() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<BlockingClient>();
    let client = BlockingClient::builder(config())
        .timeout(Duration::from_millis(200))
        .retry(RetryPolicy::new())
        .build();
    assert_eq!(client.config().base_url.as_str(), "http://127.0.0.1:9");
    assert!(!format!("{client:?}").contains("secret-token"));
}

#[test]
fn a_request_that_cannot_be_built_is_a_request_error() {
    let client = BlockingClient::new(config());
    let result: Result<(), ClientError<std::convert::Infallible>> = client
        .call(Err(RequestError::Uri("http://[".to_owned())), |_| {
            unreachable!("nothing was sent")
        });
    assert!(matches!(result, Err(ClientError::Request(_))));
}
