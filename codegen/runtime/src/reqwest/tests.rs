//! Tests of `reqwest`: not copied into generated crates.

use super::*;

#[test]
fn builds_and_is_a_send_sync_transport() {
    fn assert_transport<T: Transport + Send + Sync + Clone>() {}
    assert_transport::<ReqwestTransport>();
    assert_transport::<super::super::retry::Retry<ReqwestTransport>>();
    let transport = ReqwestTransport::new().expect("the default transport builds");
    let other = transport
        .client_for(Duration::from_millis(100))
        .expect("a client for another connect timeout");
    drop(other);
    assert!(transport.other.lock().unwrap().is_some());
}
