//! Bodies a server, a proxy or a load balancer really sends, through
//! `operations::rev_users_scan_post::response`: truncated and mistyped JSON, a missing required
//! field, HTML error pages, empty and huge bodies, odd content types, and the fields, enum values
//! and union tags of a newer API version.
//!
//! Each must give a typed error that keeps the status and the whole body, with a message that
//! quotes a bounded excerpt, or a value that keeps what it did not know. Nothing panics.

use devrev_client::http;
use devrev_client::operations::{rev_users_scan, rev_users_scan_post, RevUsersScanPostError};
use devrev_client::types::{
    ErrorBadRequestKind, ErrorTooManyRequestsKind, OrgSummary, RevUsersScanResponse, UserState,
    UserSummary,
};
use devrev_client::UndecodableResponse;
use serde_json::{json, Value};

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

fn response(status: u16, content_type: Option<&str>, body: &[u8]) -> http::Response<Vec<u8>> {
    let mut builder = http::Response::builder().status(status);
    if let Some(content_type) = content_type {
        builder = builder.header(http::header::CONTENT_TYPE, content_type);
    }
    builder.body(body.to_vec()).expect("a valid response")
}

fn post(status: u16, body: &[u8]) -> Result<RevUsersScanResponse, RevUsersScanPostError> {
    rev_users_scan_post::response(response(status, Some("application/json"), body))
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

// --- Truncated and mistyped JSON ---------------------------------------------------------------

#[test]
fn every_truncation_of_a_page_is_undecodable_with_its_status() {
    for end in 0..PAGE.len() {
        let body = &PAGE.as_bytes()[..end];
        if body.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        undecodable(200, body);
    }
}

#[test]
fn every_truncation_of_an_error_body_is_undecodable_with_its_status() {
    for end in 1..BAD_REQUEST.len() {
        undecodable(400, &BAD_REQUEST.as_bytes()[..end]);
    }
}

#[test]
fn json_of_the_wrong_types_is_undecodable() {
    let bodies = [
        "null",
        "true",
        "42",
        r#""rev_users""#,
        "[]",
        r#"{"rev_users": "none"}"#,
        r#"{"rev_users": {}}"#,
        r#"{"rev_users": [1, 2]}"#,
        r#"{"rev_users": [{"id": 5}]}"#,
        r#"{"rev_users": [{"id": "u", "state": 3}]}"#,
        r#"{"rev_users": [{"id": "u", "created_date": "yesterday"}]}"#,
        r#"{"rev_users": [{"id": "u", "created_date": 1700000000}]}"#,
        r#"{"rev_users": [{"id": "u", "phone_numbers": "+1"}]}"#,
        r#"{"rev_users": [], "next_cursor": 7}"#,
        r#"{"rev_users": [{"id": "u", "display_picture": {"id": "a", "file": {"size": 4294967296}}}]}"#,
        r#"{"rev_users": [{"id": "u", "display_picture": {"id": "a", "file": {"size": 1.5}}}]}"#,
    ];
    for body in bodies {
        undecodable(200, body.as_bytes());
    }
    for body in [
        "42",
        r#""bad request""#,
        r#"{"type": "invalid_field", "message": 5}"#,
    ] {
        undecodable(400, body.as_bytes());
    }
    undecodable(
        429,
        br#"{"type": "too_many_requests", "retry_after": "soon"}"#,
    );
}

#[test]
fn a_decode_error_names_the_json_path_where_it_failed() {
    let mut page: Value = serde_json::from_str(PAGE).unwrap();
    let user = page["rev_users"][0].clone();
    let mut users = vec![user.clone(); 18];
    users[17]["created_date"] = json!("yesterday");
    page["rev_users"] = json!(users);
    let err = undecodable(200, page.to_string().as_bytes());
    assert_eq!(err.path, "rev_users[17].created_date");
    assert!(
        err.to_string().starts_with(
            "cannot decode the 200 OK response body at `rev_users[17].created_date`: "
        ),
        "{err}"
    );

    let err = undecodable(200, br#"{"rev_users": [{"display_name": "no id"}]}"#);
    assert_eq!(
        err.path, "rev_users[0]",
        "a missing field is named at its object"
    );
    let err = undecodable(200, b"[]");
    assert_eq!(err.path, ".", "the top level");
    assert!(!err.to_string().contains(" at `"), "{err}");
}

#[test]
fn a_missing_required_field_is_named() {
    let err = undecodable(200, br#"{"next_cursor": "c"}"#);
    assert!(
        err.to_string().contains("rev_users"),
        "the message does not name the missing field: {err}"
    );
    let err = undecodable(200, br#"{"rev_users": [{"display_name": "no id"}]}"#);
    assert!(err.to_string().contains("`id`"), "{err}");
}

// --- Pages that are not JSON at all ------------------------------------------------------------

#[test]
fn an_html_502_is_an_unexpected_status_with_an_excerpt() {
    let err = rev_users_scan_post::response(response(502, Some("text/html"), HTML_502.as_bytes()))
        .expect_err("502 is an error");
    assert_eq!(err.status(), http::StatusCode::BAD_GATEWAY);
    assert_bounded_message(&err, 502, HTML_502.as_bytes());
    let RevUsersScanPostError::UnexpectedStatus(raw) = &err else {
        panic!("expected an unexpected status, got {err:?}");
    };
    assert_eq!(raw.body, HTML_502.as_bytes());
    assert_eq!(
        raw.headers.get(http::header::CONTENT_TYPE).unwrap(),
        "text/html"
    );
}

#[test]
fn an_html_page_with_a_documented_status_is_undecodable() {
    for status in [200, 400, 401, 403, 404, 429, 500, 503] {
        let err = undecodable(status, HTML_502.as_bytes());
        assert!(err.to_string().contains("<!DOCTYPE html>"), "{err}");
    }
}

#[test]
fn an_empty_body_with_200_is_undecodable_and_says_so() {
    let err = undecodable(200, b"");
    let message = err.to_string();
    assert!(message.contains("200"), "{message}");
    assert!(message.contains("empty"), "{message}");
    for status in [400, 429, 503] {
        let err = undecodable(status, b"");
        assert!(err.to_string().contains("empty"), "{err}");
    }
}

#[test]
fn a_body_that_is_not_utf8_is_undecodable() {
    let body = b"\xff\xfe{\"rev_users\": []}\xc3";
    let err = post(200, body).expect_err("not UTF-8");
    assert_eq!(err.status().as_u16(), 200);
    assert!(err.to_string().chars().count() <= MAX_MESSAGE);
    assert!(matches!(err, RevUsersScanPostError::Undecodable(_)));
}

// --- Huge bodies -------------------------------------------------------------------------------

/// 20 MB of one JSON string, as a misbehaving server or proxy might send.
fn huge_string(len: usize) -> Vec<u8> {
    let mut body = Vec::with_capacity(len + 2);
    body.push(b'"');
    body.resize(len + 1, b'x');
    body.push(b'"');
    body
}

#[test]
fn a_huge_json_string_gives_a_bounded_message() {
    // 20 MB once; smaller for the error statuses, which take the same path.
    for (status, len) in [(200, 20_000_000), (400, 2_000_000), (500, 2_000_000)] {
        let body = huge_string(len);
        let err = undecodable(status, &body);
        assert_eq!(err.response.body.len(), body.len());
    }
}

#[test]
fn a_huge_string_in_a_field_of_the_wrong_type_gives_a_bounded_message() {
    let huge = "y".repeat(2_000_000);
    let body = format!(r#"{{"rev_users": [{{"id": "u", "state": ["{huge}"]}}]}}"#);
    undecodable(200, body.as_bytes());
    let body = format!(r#"{{"rev_users": [{{"id": "u", "display_picture": "{huge}"}}]}}"#);
    undecodable(200, body.as_bytes());
    let body = format!(
        r#"{{"rev_users": [{{"id": "u", "created_by": {{"type": "dev_user", "id": 1, "x": "{huge}"}}}}]}}"#
    );
    // A known tag whose fields do not fit is kept as unknown, so this one decodes.
    let page = post(200, body.as_bytes()).expect("kept as an unknown user summary");
    assert!(matches!(
        page.rev_users[0].created_by,
        Some(UserSummary::Unknown(_))
    ));
}

#[test]
fn a_huge_html_page_gives_a_bounded_message() {
    let mut body = HTML_502.as_bytes().to_vec();
    body.resize(20_000_000, b' ');
    for status in [502, 504, 200] {
        let err = rev_users_scan_post::response(response(status, Some("text/html"), &body))
            .expect_err("not a page");
        assert_eq!(err.status().as_u16(), status);
        assert_bounded_message(&err, status, &body);
    }
}

// --- Content types -----------------------------------------------------------------------------

#[test]
fn valid_json_decodes_whatever_the_content_type_says() {
    for content_type in [None, Some("text/plain"), Some("application/octet-stream")] {
        let page = rev_users_scan_post::response(response(200, content_type, PAGE.as_bytes()))
            .expect("valid JSON decodes");
        assert_eq!(page.rev_users.len(), 1);
        assert_eq!(page.next_cursor.as_deref(), Some("c2"));
    }
}

#[test]
fn html_labelled_as_json_or_text_is_undecodable() {
    for content_type in ["text/plain", "application/json", "text/html"] {
        let err =
            rev_users_scan_post::response(response(200, Some(content_type), HTML_502.as_bytes()))
                .expect_err("HTML is not a page");
        assert!(matches!(err, RevUsersScanPostError::Undecodable(_)));
        assert_bounded_message(&err, 200, HTML_502.as_bytes());
    }
}

// --- A newer API version: unknown fields, enum values and union tags ---------------------------

#[test]
fn unknown_fields_are_ignored_at_every_level() {
    let mut page: Value = serde_json::from_str(PAGE).unwrap();
    page["total"] = json!(1);
    page["rev_users"][0]["tags"] = json!([{ "id": "t" }]);
    page["rev_users"][0]["created_by"]["avatar"] = json!({ "url": "https://x" });
    page["rev_users"][0]["rev_org"]["tier"] = json!("gold");
    let page = post(200, page.to_string().as_bytes()).expect("unknown fields are ignored");
    let user = &page.rev_users[0];
    assert!(matches!(user.created_by, Some(UserSummary::DevUser(_))));
    assert!(matches!(user.rev_org, Some(OrgSummary::RevOrg(_))));
}

#[test]
fn unknown_enum_values_are_kept() {
    let body = PAGE.replace(r#""state": "active""#, r#""state": "hibernating""#);
    let page = post(200, body.as_bytes()).expect("an unknown state decodes");
    assert_eq!(
        page.rev_users[0].state,
        Some(UserState::from("hibernating"))
    );
    let again = serde_json::to_value(&page).unwrap();
    assert_eq!(again["rev_users"][0]["state"], "hibernating");
}

#[test]
fn unknown_union_tags_are_kept_exactly() {
    let robot = json!({ "type": "robot", "id": "r", "serial": [1, 2, { "x": null }] });
    let partner = json!({ "type": "partner_org", "id": "p", "created_date": "not even a date" });
    let mut page: Value = serde_json::from_str(PAGE).unwrap();
    page["rev_users"][0]["created_by"] = robot.clone();
    page["rev_users"][0]["rev_org"] = partner.clone();
    let page = post(200, page.to_string().as_bytes()).expect("unknown tags decode");
    let user = &page.rev_users[0];
    assert_eq!(user.created_by, Some(UserSummary::Unknown(robot.clone())));
    assert_eq!(user.rev_org, Some(OrgSummary::Unknown(partner.clone())));
    let again = serde_json::to_value(user).unwrap();
    assert_eq!(again["created_by"], robot);
    assert_eq!(again["rev_org"], partner);
}

#[test]
fn an_unknown_error_type_keeps_the_status_the_message_and_the_body() {
    let body = json!({ "type": "quota_exceeded", "message": "slow down", "quota": { "left": 0 } });
    let err = post(400, body.to_string().as_bytes()).expect_err("400 is an error");
    assert_eq!(err.status().as_u16(), 400);
    assert!(err.to_string().contains("slow down"), "{err}");
    let RevUsersScanPostError::BadRequest(bad) = err else {
        panic!("expected a bad request, got {err:?}");
    };
    assert_eq!(bad.message.as_deref(), Some("slow down"));
    assert_eq!(bad.kind, ErrorBadRequestKind::Unknown(body.clone()));
    assert_eq!(serde_json::to_value(&bad).unwrap(), body);

    let body = json!({ "type": "throttled", "retry_after": 30 });
    let err = post(429, body.to_string().as_bytes()).expect_err("429 is an error");
    let RevUsersScanPostError::TooManyRequests(limited) = err else {
        panic!("expected too many requests, got {err:?}");
    };
    assert_eq!(limited.retry_after, Some(30));
    assert_eq!(limited.kind, ErrorTooManyRequestsKind::Unknown(body));
}

#[test]
fn an_undocumented_status_keeps_the_body_whatever_it_is() {
    for status in [100, 201, 204, 301, 402, 418, 502, 504, 599, 999] {
        let err = post(status, PAGE.as_bytes()).expect_err("an undocumented status");
        assert_eq!(err.status().as_u16(), status);
        let RevUsersScanPostError::UnexpectedStatus(raw) = &err else {
            panic!("expected an unexpected status, got {err:?}");
        };
        assert_eq!(raw.body, PAGE.as_bytes());
        assert_bounded_message(&err, status, PAGE.as_bytes());
    }
}

#[test]
fn the_get_operation_maps_bad_bodies_the_same_way() {
    let err = rev_users_scan::response(response(200, None, &PAGE.as_bytes()[..20]))
        .expect_err("truncated");
    assert_eq!(err.status().as_u16(), 200);
    assert!(err.to_string().chars().count() <= MAX_MESSAGE);
    let err = rev_users_scan::response(response(200, None, &huge_string(2_000_000)))
        .expect_err("a string");
    assert!(err.to_string().chars().count() <= MAX_MESSAGE);
    let err = rev_users_scan::response(response(502, Some("text/html"), HTML_502.as_bytes()))
        .expect_err("502");
    assert_eq!(err.status().as_u16(), 502);
    assert!(err.to_string().contains("502 Bad Gateway"), "{err}");
}

// --- Repeated keys -----------------------------------------------------------------------------

/// JSON allows a key twice; the last value counts, as in `serde_json::Value`, which keeps unknown
/// variants. Whatever a union decodes to, it decodes to the same after re-encoding (a fuzzing
/// find: a variant with a repeated field was kept as unknown, and re-encoded as a known one).
#[test]
fn repeated_keys_decode_the_same_after_re_encoding() {
    let summaries = [
        r#"{"type": "dev_user", "id": "a", "id": "b"}"#,
        r#"{"type": "robot", "type": "dev_user", "id": "a"}"#,
        r#"{"type": "dev_user", "type": "robot", "id": "a"}"#,
        r#"{"type": "dev_user", "type": 7, "id": "a"}"#,
        r#"{"type": "dev_user", "id": "a", "id": 5}"#,
    ];
    for summary in summaries {
        let body = format!(r#"{{"rev_users": [{{"id": "u", "created_by": {summary}}}]}}"#);
        let page = post(200, body.as_bytes()).expect("repeated keys decode");
        let again = post(200, serde_json::to_string(&page).unwrap().as_bytes())
            .expect("the re-encoded page decodes");
        assert_eq!(again, page, "{summary}");
        let kept: Value = serde_json::from_str(summary).unwrap();
        let tag = page.rev_users[0].created_by.as_ref().unwrap().tag();
        assert_eq!(tag, kept["type"].as_str(), "the last tag counts: {summary}");
    }
}

#[test]
fn a_huge_message_in_a_documented_error_is_bounded_in_display() {
    let text = "x\n".repeat(1_000_000);
    let body = json!({ "type": "bad_request", "message": text }).to_string();
    let err = post(400, body.as_bytes()).unwrap_err();
    let RevUsersScanPostError::BadRequest(ref decoded) = err else {
        panic!("expected a BadRequest, got {err:?}")
    };
    assert_eq!(
        decoded.message.as_deref().map(str::len),
        Some(2_000_000),
        "the body keeps it all"
    );
    let shown = err.to_string();
    assert!(
        shown.starts_with("rev-users-scan-post failed with 400 Bad Request: x x "),
        "{}",
        &shown[..80]
    );
    assert!(shown.len() < 700, "{} characters", shown.len());
    assert!(!shown.contains('\n'));
}
