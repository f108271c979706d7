//! `4XX`, `5XX` and `default` responses as error variants with typed bodies.

use fixture_status_ranges::operations::{items_get, other_get, ItemsGetError, OtherGetError};

fn response(status: u16, body: &str) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(status)
        .body(body.as_bytes().to_vec())
        .unwrap()
}

const ERROR: &str = r#"{"request_id":"r1","message":"slow down"}"#;

#[test]
fn an_exact_status_wins_over_its_class() {
    let err = items_get::response(response(404, "gone")).unwrap_err();
    assert!(matches!(err, ItemsGetError::NotFound(_)), "{err:?}");
}

#[test]
fn classes_keep_the_status_and_the_typed_body() {
    match items_get::response(response(429, ERROR)).unwrap_err() {
        ItemsGetError::ClientError { status, body } => {
            assert_eq!(status, 429);
            assert_eq!(body.request_id, "r1");
        }
        other => panic!("{other:?}"),
    }
    let err = items_get::response(response(503, ERROR)).unwrap_err();
    assert_eq!(err.status(), 503);
    assert!(matches!(err, ItemsGetError::ServerError { .. }));
    assert_eq!(
        err.to_string(),
        "items-get failed with 503 Service Unavailable: slow down"
    );
    let err = items_get::response(response(302, "")).unwrap_err();
    assert!(matches!(err, ItemsGetError::UnexpectedStatus(_)));
}

#[test]
fn default_covers_every_other_error_status() {
    let err = other_get::response(response(418, ERROR)).unwrap_err();
    assert!(matches!(err, OtherGetError::Default { status, .. } if status == 418));
    let err = other_get::response(response(500, "not json")).unwrap_err();
    assert!(matches!(err, OtherGetError::Undecodable(_)));
    assert!(other_get::response(response(204, "")).is_ok());
}
