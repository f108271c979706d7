//! Tests of `reqwest`: not copied into generated crates.

use super::*;

#[test]
fn builds_with_the_defaults_and_with_timeouts() {
    ReqwestTransport::new().expect("the default transport builds");
    ReqwestTransport::builder()
        .connect_timeout(Duration::from_millis(100))
        .timeout(Duration::from_millis(200))
        .build()
        .expect("a configured transport builds");
}

#[test]
fn is_a_send_sync_transport() {
    fn assert_transport<T: Transport + Send + Sync + Clone>() {}
    assert_transport::<ReqwestTransport>();
    assert_transport::<super::super::retry::Retry<ReqwestTransport, TokioSleep>>();
}
