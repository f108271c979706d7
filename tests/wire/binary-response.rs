//! Success bodies that are not JSON: bytes with their content type, text, events.

use fixture_binary_response::operations::{events_stream, export_get, page_get};
use fixture_binary_response::Event;

fn response(content_type: &str, body: &[u8]) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(200)
        .header("content-type", content_type)
        .body(body.to_vec())
        .unwrap()
}

#[test]
fn bytes_keep_their_content_type() {
    let body = export_get::response(response("application/zip", b"PK\x03\x04")).unwrap();
    assert_eq!(body.content_type.as_deref(), Some("application/zip"));
    assert_eq!(body.bytes, b"PK\x03\x04");
}

#[test]
fn text_is_utf8_or_undecodable() {
    let page = page_get::response(response("text/html", b"<p>hi</p>")).unwrap();
    assert_eq!(page, "<p>hi</p>");
    assert!(page_get::response(response("text/html", b"\xff")).is_err());
}

#[test]
fn event_streams_read_as_events() {
    let body = events_stream::response(response(
        "text/event-stream",
        b"event: delta\ndata: {\"n\":1}\n\ndata: [DONE]\n\n",
    ))
    .unwrap();
    let events = body.events();
    assert_eq!(
        events,
        [
            Event {
                event: Some("delta".into()),
                data: "{\"n\":1}".into(),
                id: None
            },
            Event {
                event: None,
                data: "[DONE]".into(),
                id: None
            },
        ]
    );
}
