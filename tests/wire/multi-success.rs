//! Several success statuses: an enum of them when their bodies differ.

use fixture_multi_success::operations::{
    items_upsert, same_get, star_put, ItemsUpsertResponse, StarPutResponse,
};

fn response(status: u16, body: &str) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(status)
        .body(body.as_bytes().to_vec())
        .unwrap()
}

#[test]
fn each_success_status_is_its_own_variant() {
    match star_put::response(response(200, r#"{"count":3}"#)).unwrap() {
        StarPutResponse::Ok(star) => assert_eq!(star.count, Some(3)),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        star_put::response(response(204, "")).unwrap(),
        StarPutResponse::NoContent
    ));
    match items_upsert::response(response(201, r#"{"id":"x"}"#)).unwrap() {
        ItemsUpsertResponse::Created(created) => assert_eq!(created.id, "x"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        items_upsert::response(response(200, "{}")).unwrap(),
        ItemsUpsertResponse::Ok(_)
    ));
}

#[test]
fn successes_sharing_a_body_return_it() {
    let star = same_get::response(response(203, r#"{"count":1}"#)).unwrap();
    assert_eq!(star.count, Some(1));
}
