//! Tests of `mock`, with a hand-written operation: not copied into generated crates.

use super::super::transport::Idempotency;
use super::*;

/// An operation `things-get` whose success is a JSON string and whose one error is a 404
/// kept raw.
#[derive(Debug, Clone, PartialEq)]
struct ThingsGet {
    id: String,
}

#[derive(Debug)]
enum ThingsGetError {
    NotFound(Box<RawResponse>),
}

impl MockOperation for ThingsGet {
    const OPERATION: &'static str = "things-get";
    type Output = String;
    type Error = ThingsGetError;

    fn respond(
        result: Result<Self::Output, Self::Error>,
    ) -> Result<http::Response<Vec<u8>>, MockError> {
        match result {
            Ok(value) => json(Self::OPERATION, 200, &value),
            Err(ThingsGetError::NotFound(response)) => raw(*response),
        }
    }
}

fn request(id: &str) -> http::Request<Vec<u8>> {
    let request = http::Request::get(format!("https://api.test/things/{id}"))
        .body(Vec::new())
        .unwrap();
    let request = OperationInfo::new(ThingsGet::OPERATION, "/things/{id}").mark(request);
    Idempotency::Idempotent.mark(attach(request, ThingsGet { id: id.to_owned() }))
}

fn send(mock: &Mock, id: &str) -> Result<http::Response<Vec<u8>>, TransportError> {
    BlockingTransport::send(mock, request(id))
}

fn mock_error(err: &TransportError) -> &MockError {
    std::error::Error::source(err)
        .and_then(|source| source.downcast_ref())
        .expect("a mock error")
}

#[test]
fn expectations_answer_in_order_and_record_the_typed_requests() {
    let mock = Mock::new();
    let things = Expect::<ThingsGet>::new(&mock);
    things.returns("first".to_owned()).responds(|call| {
        assert_eq!(call.id, "b");
        Ok(format!("made from {}", call.id))
    });
    let first = send(&mock, "a").unwrap();
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["content-type"], "application/json");
    assert_eq!(first.body(), b"\"first\"");
    assert_eq!(send(&mock, "b").unwrap().body(), b"\"made from b\"");
    let calls = Expect::<ThingsGet>::new(&mock).calls();
    assert_eq!(
        calls,
        [ThingsGet { id: "a".into() }, ThingsGet { id: "b".into() }]
    );
    assert_eq!(mock.verify(), Ok(()));
}

#[test]
fn an_error_keeps_its_status_and_headers() {
    let mock = Mock::new();
    let mut headers = http::HeaderMap::new();
    headers.insert("retry-after", http::HeaderValue::from_static("7"));
    Expect::<ThingsGet>::new(&mock).fails(ThingsGetError::NotFound(Box::new(RawResponse {
        status: http::StatusCode::NOT_FOUND,
        headers,
        body: b"gone".to_vec(),
    })));
    let response = block_on(Transport::send(&mock, request("a"))).unwrap();
    assert_eq!(response.status(), 404);
    assert_eq!(response.headers()["retry-after"], "7");
    assert_eq!(response.body(), b"gone");
}

#[test]
fn a_call_without_an_expectation_fails_naming_its_operation_and_verify_says_so() {
    let mock = Mock::new();
    let err = send(&mock, "a").unwrap_err();
    assert_eq!(
        mock_error(&err),
        &MockError::Unexpected {
            operation: "things-get"
        }
    );
    assert!(!err.request_sent());
    // Nothing used the expectation registered after the call.
    Expect::<ThingsGet>::new(&mock).returns("late".to_owned());
    let unmet = mock.verify().unwrap_err();
    assert_eq!(
        unmet,
        MockError::Unmet {
            unconsumed: vec!["things-get"],
            unexpected: vec!["things-get"],
        }
    );
    assert_eq!(
        unmet.to_string(),
        "the mock's expectations were not met; never called: `things-get`; called \
         unexpectedly: `things-get`"
    );
    // The unexpected call was recorded too.
    assert_eq!(Expect::<ThingsGet>::new(&mock).calls().len(), 1);
}

#[test]
fn a_request_no_operation_built_is_refused_and_bad_results_are_errors() {
    let mock = Mock::new();
    let plain = http::Request::post("https://api.test/x")
        .body(Vec::new())
        .unwrap();
    let err = BlockingTransport::send(&mock, plain).unwrap_err();
    assert!(matches!(mock_error(&err), MockError::Untyped { method, .. } if method == "POST"));
    // A map whose keys are not strings is not JSON.
    let map = std::collections::BTreeMap::from([((1, 2), 3)]);
    assert!(matches!(
        json("things-get", 200, &map),
        Err(MockError::Encode {
            operation: "things-get",
            ..
        })
    ));
    // Nor is a number that is no HTTP status: generated code passes only documented codes,
    // which lowering holds to 100..=999, but the writers do not rely on their callers.
    assert!(matches!(
        empty("things-get", 1000),
        Err(MockError::Encode { operation: "things-get", reason }) if reason.contains("1000")
    ));
    assert_eq!(
        text("things-get", 201, "made".into()).unwrap().status(),
        201
    );
    let binary_value = Binary {
        content_type: Some("bad\nvalue".into()),
        bytes: Vec::new(),
    };
    assert!(binary("things-get", 200, binary_value).is_err());
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(future)
}
