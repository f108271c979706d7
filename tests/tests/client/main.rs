//! The generated client in memory: what it decodes, how it maps statuses, the requests it
//! builds, how it paginates, what it never shows (the token), and property round trips of every
//! schema. Each module keeps one promise; transports over real sockets are `tests/sockets/`.
//!
//! The responses are DevRev's documented example bodies (`tests::documented`), small pages and
//! the bodies a server, a proxy or a load balancer really sends; the transport is the kit's
//! scripted one (`tests::Scripted`).

mod decoding;
mod pagination;
mod requests;
mod roundtrip;
mod secrets;
mod status_mapping;

use devrev_client::http;
use devrev_client::operations::{rev_users_scan_post, RevUsersScanPostError};
use devrev_client::types::RevUsersScanResponse;
use devrev_client::{BaseUrl, Config, Token, UndecodableResponse};

/// The longest message an error may have, whatever the body: the operation, the status, the
/// decoder's reason and a 512-character excerpt fit with room to spare.
const MAX_MESSAGE: usize = 2048;

/// A small valid page: one user with a union, an enum and a date-time.
const PAGE: &str = r#"{
  "next_cursor": "c2",
  "rev_users": [
    {
      "id": "don:identity:dvrv-us-1:devo/1:revu/1",
      "display_name": "Ada",
      "state": "active",
      "created_date": "2023-01-01T12:00:00.000Z",
      "created_by": {"type": "dev_user", "id": "don:identity:dvrv-us-1:devo/1:devu/1"},
      "rev_org": {"type": "rev_org", "id": "don:identity:dvrv-us-1:devo/1:revo/1"}
    }
  ]
}"#;

const BAD_REQUEST: &str =
    r#"{"type": "invalid_field", "field_name": "cursor", "message": "bad cursor"}"#;

const HTML_502: &str = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\
<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n";

fn config() -> Config {
    Config::new(
        BaseUrl::new("https://api.devrev.ai").expect("a valid base URL"),
        Token::new("t").expect("a valid token"),
    )
}

fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> http::Response<Vec<u8>> {
    let mut builder = http::Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(body.to_vec()).expect("a valid response")
}

fn post(status: u16, body: &[u8]) -> Result<RevUsersScanResponse, RevUsersScanPostError> {
    rev_users_scan_post::response(response(
        status,
        &[("content-type", "application/json")],
        body,
    ))
}

/// The error's message is bounded, names the status, holds no control characters (a body
/// cannot forge log lines), and quotes the start of the body, its line breaks as spaces.
fn assert_bounded_message(err: &RevUsersScanPostError, status: u16, body: &[u8]) {
    let message = err.to_string();
    assert!(
        !message.chars().any(char::is_control),
        "control characters in the message: {message:?}"
    );
    assert!(
        message.chars().count() <= MAX_MESSAGE,
        "a message of {} characters for a body of {} bytes: {}...",
        message.chars().count(),
        body.len(),
        message.chars().take(200).collect::<String>()
    );
    assert!(
        message.contains(&status.to_string()),
        "the message does not name the status {status}: {message}"
    );
    let start: String = String::from_utf8_lossy(&body[..body.len().min(160)])
        .chars()
        .take(40)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    assert!(
        message.contains(&start),
        "the message does not quote the start of the body {start:?}: {message}"
    );
}

/// The body did not decode: the error keeps the status and the whole body, and says why.
fn undecodable(status: u16, body: &[u8]) -> UndecodableResponse {
    let err = post(status, body).expect_err("the body must not decode");
    assert_eq!(err.status().as_u16(), status);
    if !body.is_empty() {
        assert_bounded_message(&err, status, body);
    }
    // The message quotes the decoder's reason, so the chain stops here: nothing prints twice.
    assert!(
        std::error::Error::source(&err).is_none(),
        "the decoding error is in the message, not repeated as a source"
    );
    match err {
        RevUsersScanPostError::Undecodable(err) => {
            assert_eq!(err.response.status.as_u16(), status);
            assert_eq!(err.response.body, body, "the body is kept whole");
            assert!(
                err.to_string().contains(&shorten(&err.source.to_string())),
                "the reason is in the message: {err}"
            );
            err
        }
        other => panic!("expected an undecodable body, got {other:?}"),
    }
}

/// The start of a reason, which the message may shorten.
fn shorten(reason: &str) -> String {
    reason.chars().take(100).collect()
}

/// 20 MB of one JSON string, as a misbehaving server or proxy might send.
fn huge_string(len: usize) -> Vec<u8> {
    let mut body = Vec::with_capacity(len + 2);
    body.push(b'"');
    body.resize(len + 1, b'x');
    body.push(b'"');
    body
}
