//! Decoding: DevRev's documented example bodies (the reference page of `POST /rev-users.scan`)
//! decode into the right variants and re-encode to the same JSON; bodies a server, a proxy or a
//! load balancer really sends (truncated and mistyped JSON, a missing required field, HTML, empty
//! and huge bodies, odd content types) give a typed error that keeps the status and the whole
//! body, with a message that quotes a bounded excerpt; and the fields, enum values and union tags
//! of a newer API version are kept. Nothing panics.

use devrev_client::chrono::{DateTime, TimeZone, Utc};
use devrev_client::operations::{rev_users_scan_post, RevUsersScanPostError};
use devrev_client::types::{
    ArtifactFileSummary, ArtifactSummary, DevUserSummary, ErrorBadRequest,
    ErrorBadRequestArtifactAlreadyAttachedToAParent, ErrorBadRequestKind, ErrorForbidden,
    ErrorForbiddenKind, ErrorInternalServerError, ErrorInternalServerErrorKind, ErrorNotFound,
    ErrorNotFoundKind, ErrorServiceUnavailable, ErrorServiceUnavailableKind, ErrorTooManyRequests,
    ErrorTooManyRequestsKind, ErrorUnauthorized, ErrorUnauthorizedKind, OrgSummary, RevOrgSummary,
    RevUser, RevUsersScanResponse, UserState, UserSummary,
};
use serde_json::{json, Value};
use tests::documented;

use super::{
    assert_bounded_message, huge_string, post, response, undecodable, BAD_REQUEST, HTML_502,
    MAX_MESSAGE, PAGE,
};

fn decode<T: serde::de::DeserializeOwned>(text: &str) -> T {
    serde_json::from_str(text).unwrap_or_else(|e| {
        panic!(
            "cannot decode as {}: {e}\n{text}",
            std::any::type_name::<T>()
        )
    })
}

fn value(text: &str) -> Value {
    serde_json::from_str(text).expect("test JSON is valid")
}

/// `value` with every RFC 3339 string replaced by the same instant in chrono's own notation, so
/// that `2023-01-01T12:00:00.000Z` and `2023-01-01T12:00:00Z` compare equal.
fn same_instants(value: Value) -> Value {
    match value {
        Value::String(text) => match DateTime::parse_from_rfc3339(&text) {
            Ok(instant) => Value::String(instant.with_timezone(&Utc).to_rfc3339()),
            Err(_) => Value::String(text),
        },
        Value::Array(items) => Value::Array(items.into_iter().map(same_instants).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .map(|(k, v)| (k, same_instants(v)))
                .collect(),
        ),
        other => other,
    }
}

/// Decodes `text` as `T`, encodes it again and checks that nothing was lost or added.
fn assert_round_trip<T>(text: &str) -> T
where
    T: serde::de::DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug,
{
    let decoded: T = decode(text);
    let encoded = serde_json::to_value(&decoded).expect("a decoded value encodes");
    assert_eq!(
        same_instants(encoded.clone()),
        same_instants(value(text)),
        "{} does not re-encode to the JSON it was decoded from",
        std::any::type_name::<T>()
    );
    let again: T = serde_json::from_value(encoded).expect("the re-encoded JSON decodes");
    assert_eq!(
        again, decoded,
        "decoding the re-encoded JSON gives another value"
    );
    decoded
}

/// Compact JSON with keys in the order the generated code writes them, so the round trip can be
/// compared byte for byte.
fn assert_byte_round_trip<T>(text: &str) -> T
where
    T: serde::de::DeserializeOwned + serde::Serialize,
{
    let decoded: T = decode(text);
    let encoded = serde_json::to_string(&decoded).expect("a decoded value encodes");
    assert_eq!(encoded, text, "the round trip changed the bytes");
    decoded
}

// --- The documented bodies ------------------------------------------------------------------

#[test]
fn example_response_decodes_into_the_right_variants() {
    let decoded: RevUsersScanResponse = decode(documented(200));
    assert_eq!(decoded.next_cursor.as_deref(), Some("string"));
    let [user] = decoded.rev_users.as_slice() else {
        panic!("expected one rev user, got {:?}", decoded.rev_users);
    };
    let picture = ArtifactSummary {
        display_id: Some("string".into()),
        file: Some(ArtifactFileSummary {
            name: Some("string".into()),
            size: Some(0),
            r#type: Some("string".into()),
        }),
        id: "string".into(),
    };
    let dev_user = DevUserSummary {
        display_id: Some("string".into()),
        display_name: Some("string".into()),
        display_picture: Some(picture.clone()),
        email: Some("string".into()),
        full_name: Some("string".into()),
        id: "string".into(),
        state: Some(UserState::Active),
    };
    assert_eq!(
        user.created_by,
        Some(UserSummary::DevUser(dev_user.clone()))
    );
    assert_eq!(
        user.modified_by,
        Some(UserSummary::DevUser(dev_user.clone()))
    );
    assert_eq!(user.primary_identity, Some(UserSummary::DevUser(dev_user)));
    assert_eq!(
        user.rev_org,
        Some(OrgSummary::RevOrg(RevOrgSummary {
            display_id: Some("string".into()),
            display_name: Some("string".into()),
            id: "string".into(),
        }))
    );
    assert_eq!(user.state, Some(UserState::Active));
    let noon = Utc.with_ymd_and_hms(2023, 1, 1, 12, 0, 0).unwrap();
    assert_eq!(user.created_date, Some(noon));
    assert_eq!(user.modified_date, Some(noon));
    assert_eq!(user.display_picture, Some(picture));
    assert_eq!(
        user.phone_numbers.as_deref(),
        Some(&["string".to_owned()][..])
    );
    assert_eq!(user.description.as_deref(), Some("string"));
    assert_eq!(user.external_ref.as_deref(), Some("string"));
    assert_eq!(user.id, "string");
    assert_eq!(
        user.created_by.as_ref().and_then(UserSummary::tag),
        Some("dev_user")
    );
}

#[test]
fn example_response_re_encodes_to_equivalent_json() {
    let decoded: RevUsersScanResponse = assert_round_trip(documented(200));
    // The same instant, written the way chrono writes it: the milliseconds are not kept.
    let encoded = serde_json::to_value(&decoded).unwrap();
    assert_eq!(
        encoded["rev_users"][0]["created_date"],
        json!("2023-01-01T12:00:00Z")
    );
}

#[test]
fn example_response_also_decodes_from_a_json_value() {
    let from_text: RevUsersScanResponse = decode(documented(200));
    let from_value: RevUsersScanResponse =
        serde_json::from_value(value(documented(200))).expect("decodes from a serde_json::Value");
    assert_eq!(from_value, from_text);
}

#[test]
fn error_400_decodes_with_its_kind_and_round_trips() {
    let error: ErrorBadRequest = assert_round_trip(documented(400));
    assert_eq!(
        error,
        ErrorBadRequest {
            detail: Some("string".into()),
            message: Some("string".into()),
            kind: ErrorBadRequestKind::ArtifactAlreadyAttachedToAParent(
                ErrorBadRequestArtifactAlreadyAttachedToAParent {
                    existing_parent: "string".into(),
                    is_same: true,
                }
            ),
        }
    );
    assert_eq!(
        error.kind.tag(),
        Some("artifact_already_attached_to_a_parent")
    );
}

#[test]
fn error_401_decodes_with_its_kind_and_round_trips() {
    let error: ErrorUnauthorized = assert_round_trip(documented(401));
    assert_eq!(error.detail.as_deref(), Some("string"));
    assert_eq!(error.message.as_deref(), Some("string"));
    assert!(
        matches!(error.kind, ErrorUnauthorizedKind::Unauthenticated(_)),
        "{error:?}"
    );
}

#[test]
fn error_403_decodes_with_its_kind_and_round_trips() {
    let error: ErrorForbidden = assert_round_trip(documented(403));
    assert_eq!(error.detail.as_deref(), Some("string"));
    assert_eq!(error.message.as_deref(), Some("string"));
    assert!(
        matches!(error.kind, ErrorForbiddenKind::Forbidden(_)),
        "{error:?}"
    );
}

#[test]
fn error_404_decodes_with_its_kind_and_round_trips() {
    let error: ErrorNotFound = assert_round_trip(documented(404));
    assert_eq!(error.detail.as_deref(), Some("string"));
    assert_eq!(error.message.as_deref(), Some("string"));
    assert!(
        matches!(error.kind, ErrorNotFoundKind::NotFound(_)),
        "{error:?}"
    );
}

#[test]
fn error_429_keeps_retry_after_and_round_trips() {
    let error: ErrorTooManyRequests = assert_round_trip(documented(429));
    assert_eq!(error.retry_after, Some(0));
    assert_eq!(error.detail.as_deref(), Some("string"));
    assert_eq!(error.message.as_deref(), Some("string"));
    assert!(
        matches!(error.kind, ErrorTooManyRequestsKind::TooManyRequests(_)),
        "{error:?}"
    );
    let later: ErrorTooManyRequests = decode(r#"{"type":"too_many_requests","retry_after":30}"#);
    assert_eq!(later.retry_after, Some(30));
    assert_eq!(later.message, None);
}

#[test]
fn error_500_keeps_reference_id_and_round_trips() {
    let error: ErrorInternalServerError = assert_round_trip(documented(500));
    assert_eq!(error.reference_id.as_deref(), Some("string"));
    assert_eq!(error.detail.as_deref(), Some("string"));
    assert_eq!(error.message.as_deref(), Some("string"));
    assert!(
        matches!(error.kind, ErrorInternalServerErrorKind::InternalError(_)),
        "{error:?}"
    );
}

#[test]
fn error_503_decodes_with_its_kind_and_round_trips() {
    let error: ErrorServiceUnavailable = assert_round_trip(documented(503));
    assert_eq!(error.detail.as_deref(), Some("string"));
    assert_eq!(error.message.as_deref(), Some("string"));
    assert!(
        matches!(
            error.kind,
            ErrorServiceUnavailableKind::ServiceUnavailable(_)
        ),
        "{error:?}"
    );
}

/// A variant's own struct receives the whole object, tag and shared fields included; several
/// are `additionalProperties: false` in the spec and must still accept them.
#[test]
fn error_variants_accept_the_shared_type_message_and_detail_fields() {
    let variant: ErrorBadRequestArtifactAlreadyAttachedToAParent = decode(documented(400));
    assert_eq!(variant.existing_parent, "string");
    assert!(variant.is_same);
    let with_extra = r#"{"detail":"d","message":"m","type":"unauthenticated","hint":"log in"}"#;
    let error: ErrorUnauthorized = decode(with_extra);
    assert_eq!(error.detail.as_deref(), Some("d"));
    assert_eq!(error.message.as_deref(), Some("m"));
    assert!(matches!(
        error.kind,
        ErrorUnauthorizedKind::Unauthenticated(_)
    ));
    let bare: ErrorNotFound = decode(r#"{"type":"not_found"}"#);
    assert_eq!((bare.detail, bare.message), (None, None));
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

#[test]
fn a_body_that_is_not_utf8_is_undecodable() {
    let body = b"\xff\xfe{\"rev_users\": []}\xc3";
    let err = post(200, body).expect_err("not UTF-8");
    assert_eq!(err.status().as_u16(), 200);
    assert!(err.to_string().chars().count() <= MAX_MESSAGE);
    assert!(matches!(err, RevUsersScanPostError::Undecodable(_)));
}

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

// --- Huge bodies and content types ------------------------------------------------------------

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
        let err = rev_users_scan_post::response(response(
            status,
            &[("content-type", "text/html")],
            &body,
        ))
        .expect_err("not a page");
        assert_eq!(err.status().as_u16(), status);
        assert_bounded_message(&err, status, &body);
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

#[test]
fn valid_json_decodes_whatever_the_content_type_says() {
    for headers in [
        &[][..],
        &[("content-type", "text/plain")],
        &[("content-type", "application/octet-stream")],
    ] {
        let page = rev_users_scan_post::response(response(200, headers, PAGE.as_bytes()))
            .expect("valid JSON decodes");
        assert_eq!(page.rev_users.len(), 1);
        assert_eq!(page.next_cursor.as_deref(), Some("c2"));
    }
}

#[test]
fn html_labelled_as_json_or_text_is_undecodable() {
    for content_type in ["text/plain", "application/json", "text/html"] {
        let headers = [("content-type", content_type)];
        let err = rev_users_scan_post::response(response(200, &headers, HTML_502.as_bytes()))
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
    let user: RevUser = decode(r#"{"id":"u1","favourite_colour":"blue","state":"active"}"#);
    assert_eq!(user.id, "u1");
    assert_eq!(user.state, Some(UserState::Active));
    let page: RevUsersScanResponse =
        decode(r#"{"rev_users":[],"total":0,"next_cursor":null,"links":{"next":"x"}}"#);
    assert!(page.rev_users.is_empty());
    assert_eq!(page.next_cursor, None);
}

#[test]
fn unknown_enum_values_are_kept_and_round_trip() {
    let body = PAGE.replace(r#""state": "active""#, r#""state": "hibernating""#);
    let page = post(200, body.as_bytes()).expect("an unknown state decodes");
    assert_eq!(
        page.rev_users[0].state,
        Some(UserState::from("hibernating"))
    );
    let again = serde_json::to_value(&page).unwrap();
    assert_eq!(again["rev_users"][0]["state"], "hibernating");
    let user: RevUser = assert_byte_round_trip(r#"{"id":"u1","state":"on_vacation"}"#);
    assert_eq!(user.state, Some(UserState::from("on_vacation")));
    assert!(
        matches!(&user.state, Some(UserState::Unknown(value)) if value.as_str() == "on_vacation")
    );
    assert_eq!(
        user.state.as_ref().map(UserState::as_str),
        Some("on_vacation")
    );
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
    let text = r#"{"created_by":{"id":"r1","type":"robot","wheels":3},"id":"u1"}"#;
    let user: RevUser = assert_byte_round_trip(text);
    let Some(UserSummary::Unknown(kept)) = &user.created_by else {
        panic!(
            "expected an unknown user summary, got {:?}",
            user.created_by
        );
    };
    assert_eq!(kept, &json!({"id": "r1", "type": "robot", "wheels": 3}));
    assert_eq!(
        user.created_by.as_ref().and_then(UserSummary::tag),
        Some("robot")
    );

    let org: RevUser =
        assert_byte_round_trip(r#"{"id":"u1","rev_org":{"id":"o1","type":"dev_org"}}"#);
    assert!(
        matches!(&org.rev_org, Some(OrgSummary::Unknown(_))),
        "{:?}",
        org.rev_org
    );
}

#[test]
fn union_without_its_tag_round_trips() {
    let text = r#"{"created_by":{"display_name":"x","id":"r1"},"id":"u1"}"#;
    let user: RevUser = assert_byte_round_trip(text);
    let Some(summary @ UserSummary::Unknown(_)) = &user.created_by else {
        panic!(
            "expected an unknown user summary, got {:?}",
            user.created_by
        );
    };
    assert_eq!(summary.tag(), None);
}

/// The tag is the object's own `type`, wherever it stands, not a `type` of a nested object.
#[test]
fn the_union_tag_is_read_at_the_top_level_only() {
    let text = r#"{"display_picture":{"file":{"type":"image/png"},"id":"a1"},"id":"d1","t\u0079pe":"dev\u005fuser"}"#;
    let summary: UserSummary = decode(text);
    let UserSummary::DevUser(user) = summary else {
        panic!("expected a dev user, got {summary:?}");
    };
    assert_eq!(user.id, "d1");
    let file = user.display_picture.and_then(|p| p.file);
    assert_eq!(file.and_then(|f| f.r#type).as_deref(), Some("image/png"));
    let not_text: UserSummary = decode(r#"{"id":"d1","type":7}"#);
    assert!(matches!(not_text, UserSummary::Unknown(_)), "{not_text:?}");
}

/// A known tag whose object lacks a required field is kept as unknown rather than failing the
/// whole response.
#[test]
fn known_tag_with_fields_that_do_not_fit_is_kept_as_unknown() {
    let text = r#"{"created_by":{"display_name":"x","type":"dev_user"},"id":"u1"}"#;
    let user: RevUser = assert_byte_round_trip(text);
    let Some(summary @ UserSummary::Unknown(_)) = &user.created_by else {
        panic!(
            "expected an unknown user summary, got {:?}",
            user.created_by
        );
    };
    assert_eq!(summary.tag(), Some("dev_user"));
}

#[test]
fn an_unknown_error_type_keeps_the_status_the_shared_fields_and_the_body() {
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
    let text = r#"{"detail":"d","message":"m","retry":true,"type":"brand_new_error"}"#;
    let error: ErrorBadRequest = assert_byte_round_trip(text);
    assert_eq!(error.detail.as_deref(), Some("d"));
    assert_eq!(error.message.as_deref(), Some("m"));
    assert_eq!(error.kind.tag(), Some("brand_new_error"));
    assert!(
        matches!(error.kind, ErrorBadRequestKind::Unknown(_)),
        "{error:?}"
    );
    let err = rev_users_scan_post::response(response(400, &[], text.as_bytes()))
        .expect_err("400 is an error");
    assert!(
        matches!(err, RevUsersScanPostError::BadRequest(_)),
        "{err:?}"
    );
}
