//! The generated crate's `mock` feature, driven the way a user's test would: typed results per
//! operation through both clients, with the crate's own request building and response mapping
//! in between.

use devrev_client::operations::{rev_users_scan_post, RevUsersScanError};
use devrev_client::operations::{RevUsersScanPostError, RevUsersScanQuery};
use devrev_client::types::{ErrorNotFound, RevUsersScanRequest, RevUsersScanResponse};
use devrev_client::{BlockingClient, Client, ClientError, Mock, MockError, RawResponse};
use tests::block_on;

/// A page of users with these ids, and the cursor to the next one.
fn page(ids: &[&str], next: Option<&str>) -> RevUsersScanResponse {
    let users: Vec<_> = ids
        .iter()
        .map(|id| serde_json::json!({ "id": id }))
        .collect();
    serde_json::from_value(serde_json::json!({ "rev_users": users, "next_cursor": next }))
        .expect("a page")
}

fn not_found(message: &str) -> ErrorNotFound {
    serde_json::from_value(serde_json::json!({ "type": "not_found", "message": message }))
        .expect("a not-found body")
}

fn client(mock: &Mock) -> Client<Mock> {
    Client::builder(mock.clone()).token("t").build().unwrap()
}

fn blocking(mock: &Mock) -> BlockingClient<Mock> {
    BlockingClient::builder(mock.clone())
        .token("t")
        .build()
        .unwrap()
}

fn ids(page: &RevUsersScanResponse) -> Vec<&str> {
    page.rev_users.iter().map(|user| user.id.as_str()).collect()
}

#[test]
fn a_registered_success_is_decoded_by_the_real_response_mapping() {
    let mock = Mock::new();
    mock.rev_users_scan()
        .returns(page(&["a", "b"], Some("next")))
        .returns(page(&["c"], None));
    let query = RevUsersScanQuery {
        email: Some(vec!["jane@example.com".into()]),
        ..Default::default()
    };
    let first = block_on(client(&mock).rev_users_scan(&query)).unwrap();
    assert_eq!(ids(&first), ["a", "b"]);
    assert_eq!(first.next_cursor.as_deref(), Some("next"));
    let second = blocking(&mock).rev_users_scan(&query).unwrap();
    assert_eq!(ids(&second), ["c"]);
    // Both calls were recorded as the typed query they sent.
    let calls = mock.rev_users_scan().calls();
    assert_eq!(calls.len(), 2);
    assert!(calls.iter().all(|call| call.query == query));
    mock.verify().unwrap();
}

#[test]
fn a_registered_error_comes_back_as_its_variant_with_its_typed_body() {
    let mock = Mock::new();
    mock.rev_users_scan_post()
        .fails(RevUsersScanPostError::NotFound(Box::new(not_found(
            "no such org",
        ))));
    mock.rev_users_scan()
        .fails(RevUsersScanError::NotFound(Box::new(not_found("gone"))));
    let err =
        block_on(client(&mock).rev_users_scan_post(&RevUsersScanRequest::default())).unwrap_err();
    match err {
        ClientError::Api(RevUsersScanPostError::NotFound(body)) => {
            assert_eq!(body.message.as_deref(), Some("no such org"));
        }
        other => panic!("not the typed 404: {other:?}"),
    }
    let err = blocking(&mock)
        .rev_users_scan(&RevUsersScanQuery::default())
        .unwrap_err();
    let api = err.api().expect("an API error");
    assert_eq!(api.status(), 404);
    assert!(api.to_string().contains("gone"), "{api}");
    mock.verify().unwrap();
}

#[test]
fn a_raw_response_keeps_its_status_and_headers_such_as_retry_after() {
    let mock = Mock::new();
    let mut headers = http::HeaderMap::new();
    headers.insert("retry-after", http::HeaderValue::from_static("3"));
    let raw = RawResponse {
        status: http::StatusCode::IM_A_TEAPOT,
        headers,
        body: b"short and stout".to_vec(),
    };
    mock.rev_users_scan()
        .fails(RevUsersScanError::UnexpectedStatus(Box::new(raw)));
    let err = blocking(&mock)
        .rev_users_scan(&RevUsersScanQuery::default())
        .unwrap_err();
    let Some(RevUsersScanError::UnexpectedStatus(response)) = err.api() else {
        panic!("not an unexpected status: {err:?}");
    };
    assert_eq!(response.status, 418);
    assert_eq!(response.headers["retry-after"], "3");
    assert_eq!(response.body, b"short and stout");
}

#[test]
fn a_closure_answers_from_the_typed_request_the_code_sent() {
    let mock = Mock::new();
    let answer = |call: &rev_users_scan_post::Call| {
        let cursor = call.body.cursor.as_deref();
        match cursor {
            None => Ok(page(&["a"], Some("c1"))),
            Some(cursor) => Ok(page(&[cursor], None)),
        }
    };
    mock.rev_users_scan_post().responds(answer).responds(answer);
    // The paginator builds its second request with the first page's cursor.
    let users: Vec<String> = blocking(&mock)
        .rev_users_scan_post_all(RevUsersScanRequest::default())
        .map(|user| user.unwrap().id)
        .collect();
    assert_eq!(users, ["a", "c1"]);
    let cursors: Vec<Option<String>> = mock
        .rev_users_scan_post()
        .calls()
        .into_iter()
        .map(|call| call.body.cursor)
        .collect();
    assert_eq!(cursors, [None, Some("c1".to_owned())]);
    mock.verify().unwrap();
}

#[test]
fn a_call_nobody_expected_fails_with_a_typed_error_naming_the_operation() {
    let mock = Mock::new();
    // Expected for the other operation only.
    mock.rev_users_scan().returns(page(&[], None));
    let err =
        block_on(client(&mock).rev_users_scan_post(&RevUsersScanRequest::default())).unwrap_err();
    assert_eq!(
        MockError::of(&err),
        Some(&MockError::Unexpected {
            operation: "rev-users-scan-post"
        })
    );
    assert!(!err.request_sent());
    let err = blocking(&mock)
        .rev_users_scan_post(&RevUsersScanRequest::default())
        .unwrap_err();
    assert!(matches!(
        MockError::of(&err),
        Some(MockError::Unexpected { .. })
    ));
    let source = std::error::Error::source(&err).expect("the mock's error is the cause");
    assert_eq!(
        source.to_string(),
        "unexpected call to `rev-users-scan-post`: no expectation left for it"
    );
    // Unexpected calls are recorded as well, and `verify` reports both kinds of miss.
    assert_eq!(mock.rev_users_scan_post().calls().len(), 2);
    assert_eq!(
        mock.verify(),
        Err(MockError::Unmet {
            unconsumed: vec!["rev-users-scan"],
            unexpected: vec!["rev-users-scan-post", "rev-users-scan-post"],
        })
    );
}

#[test]
fn verify_names_the_expectations_no_call_used() {
    let mock = Mock::new();
    mock.rev_users_scan()
        .returns(page(&["a"], None))
        .returns(page(&["b"], None));
    mock.rev_users_scan_post().returns(page(&[], None));
    blocking(&mock)
        .rev_users_scan(&RevUsersScanQuery::default())
        .unwrap();
    let err = mock.verify().unwrap_err();
    assert_eq!(
        err,
        MockError::Unmet {
            unconsumed: vec!["rev-users-scan", "rev-users-scan-post"],
            unexpected: vec![],
        }
    );
    assert_eq!(
        err.to_string(),
        "the mock's expectations were not met; never called: `rev-users-scan`, \
         `rev-users-scan-post`"
    );
}
