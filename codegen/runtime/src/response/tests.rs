use super::*;

fn raw(content_type: &str, body: &[u8]) -> RawResponse {
    let mut headers = http::HeaderMap::new();
    headers.insert(http::header::CONTENT_TYPE, content_type.parse().unwrap());
    RawResponse {
        status: http::StatusCode::OK,
        headers,
        body: body.to_vec(),
    }
}

#[test]
fn binary_bodies_keep_their_content_type() {
    let body = raw("application/zip", b"PK\x03\x04").binary();
    assert_eq!(body.content_type.as_deref(), Some("application/zip"));
    assert_eq!(body.bytes, b"PK\x03\x04");
}

#[test]
fn text_bodies_must_be_utf8() {
    assert_eq!(
        raw("text/plain", "héllo".as_bytes()).text().unwrap(),
        "héllo"
    );
    let err = raw("text/plain", b"\xff").text().unwrap_err();
    assert!(err.to_string().contains("not UTF-8"), "{err}");
}

#[test]
fn event_streams_split_into_events() {
    let body = raw(
        "text/event-stream",
        b": comment\n\nevent: delta\ndata: {\"n\":1}\nid: 7\n\ndata: a\r\ndata:b\r\n\r\ndata: [DONE]\n\ndata: cut",
    )
    .binary();
    let events = body.events();
    assert_eq!(
        events,
        [
            Event {
                event: Some("delta".into()),
                data: "{\"n\":1}".into(),
                id: Some("7".into()),
            },
            Event {
                event: None,
                data: "a\nb".into(),
                id: None,
            },
            Event {
                event: None,
                data: "[DONE]".into(),
                id: None,
            },
        ]
    );
    assert_eq!(events[0].json::<serde_json::Value>().unwrap()["n"], 1);
}
