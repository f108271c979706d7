//! The generated crate with real bytes: DevRev's documented example response and each documented
//! error body (copied from the API reference page of `POST /rev-users.scan`), responses of every
//! status through the response mappers and through the client, request building, and the
//! forward-compatibility promises (unknown enum values, union tags and fields).

use std::sync::Mutex;

use devrev_client::chrono::{DateTime, TimeZone, Utc};
use devrev_client::http;
use devrev_client::operations::{
    rev_users_scan, rev_users_scan_post, RevUsersScanPostError, RevUsersScanQuery,
};
use devrev_client::types::{
    ArtifactFileSummary, ArtifactSummary, DateTimeFilter, DevUserSummary, ErrorBadRequest,
    ErrorBadRequestArtifactAlreadyAttachedToAParent, ErrorBadRequestKind, ErrorForbidden,
    ErrorForbiddenKind, ErrorInternalServerError, ErrorInternalServerErrorKind, ErrorNotFound,
    ErrorNotFoundKind, ErrorServiceUnavailable, ErrorServiceUnavailableKind, ErrorTooManyRequests,
    ErrorTooManyRequestsKind, ErrorUnauthorized, ErrorUnauthorizedKind, OrgSummary, RevOrgSummary,
    RevUser, RevUsersScanRequest, RevUsersScanResponse, UserState, UserSummary,
};
use devrev_client::{
    BaseUrl, Client, ClientError, Config, Token, Transport, TransportError, TransportErrorKind,
};
use serde_json::{json, Value};
use tests::block_on;

// --- The documented bodies, byte for byte as the reference page shows them ---------------------

const EXAMPLE_200: &str = r#"{
  "next_cursor": "string",
  "rev_users": [
    {
      "created_by": {
        "type": "dev_user",
        "display_id": "string",
        "id": "string",
        "display_name": "string",
        "display_picture": {
          "display_id": "string",
          "id": "string",
          "file": {
            "type": "string",
            "name": "string",
            "size": 0
          }
        },
        "email": "string",
        "full_name": "string",
        "state": "active"
      },
      "created_date": "2023-01-01T12:00:00.000Z",
      "display_id": "string",
      "id": "string",
      "modified_by": {
        "type": "dev_user",
        "display_id": "string",
        "id": "string",
        "display_name": "string",
        "display_picture": {
          "display_id": "string",
          "id": "string",
          "file": {
            "type": "string",
            "name": "string",
            "size": 0
          }
        },
        "email": "string",
        "full_name": "string",
        "state": "active"
      },
      "modified_date": "2023-01-01T12:00:00.000Z",
      "display_name": "string",
      "display_picture": {
        "display_id": "string",
        "id": "string",
        "file": {
          "type": "string",
          "name": "string",
          "size": 0
        }
      },
      "email": "string",
      "full_name": "string",
      "phone_numbers": [
        "string"
      ],
      "primary_identity": {
        "type": "dev_user",
        "display_id": "string",
        "id": "string",
        "display_name": "string",
        "display_picture": {
          "display_id": "string",
          "id": "string",
          "file": {
            "type": "string",
            "name": "string",
            "size": 0
          }
        },
        "email": "string",
        "full_name": "string",
        "state": "active"
      },
      "state": "active",
      "description": "string",
      "external_ref": "string",
      "rev_org": {
        "type": "rev_org",
        "display_id": "string",
        "id": "string",
        "display_name": "string"
      }
    }
  ]
}"#;

const ERROR_400: &str = r#"{
  "detail": "string",
  "message": "string",
  "type": "artifact_already_attached_to_a_parent",
  "existing_parent": "string",
  "is_same": true
}"#;

const ERROR_401: &str = r#"{
  "detail": "string",
  "message": "string",
  "type": "unauthenticated"
}"#;

const ERROR_403: &str = r#"{
  "detail": "string",
  "message": "string",
  "type": "forbidden"
}"#;

const ERROR_404: &str = r#"{
  "detail": "string",
  "message": "string",
  "type": "not_found"
}"#;

const ERROR_429: &str = r#"{
  "detail": "string",
  "message": "string",
  "type": "too_many_requests",
  "retry_after": 0
}"#;

const ERROR_500: &str = r#"{
  "detail": "string",
  "message": "string",
  "type": "internal_error",
  "reference_id": "string"
}"#;

const ERROR_503: &str = r#"{
  "detail": "string",
  "message": "string",
  "type": "service_unavailable"
}"#;

// --- Helpers -----------------------------------------------------------------------------------

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

fn instant(text: &str) -> DateTime<Utc> {
    text.parse().expect("a valid RFC 3339 instant")
}

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

/// A transport that answers every request with the same response and keeps the requests.
#[derive(Debug)]
struct Canned {
    status: u16,
    headers: Vec<(&'static str, &'static str)>,
    body: Vec<u8>,
    sent: Mutex<Vec<http::Request<Vec<u8>>>>,
}

impl Canned {
    fn new(status: u16, headers: &[(&'static str, &'static str)], body: &[u8]) -> Self {
        Self {
            status,
            headers: headers.to_vec(),
            body: body.to_vec(),
            sent: Mutex::new(Vec::new()),
        }
    }
}

impl Transport for Canned {
    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        self.sent.lock().expect("not poisoned").push(request);
        Ok(response(self.status, &self.headers, &self.body))
    }
}

fn client<T>(transport: T) -> Client<T> {
    Client::builder(transport)
        .token("t")
        .build()
        .expect("a valid client")
}

// --- The documented example response -----------------------------------------------------------

#[test]
fn example_response_decodes_into_the_right_variants() {
    let decoded: RevUsersScanResponse = decode(EXAMPLE_200);
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
    let decoded: RevUsersScanResponse = assert_round_trip(EXAMPLE_200);
    // The same instant, written the way chrono writes it: the milliseconds are not kept.
    let encoded = serde_json::to_value(&decoded).unwrap();
    assert_eq!(
        encoded["rev_users"][0]["created_date"],
        json!("2023-01-01T12:00:00Z")
    );
}

#[test]
fn example_response_also_decodes_from_a_json_value() {
    let from_text: RevUsersScanResponse = decode(EXAMPLE_200);
    let from_value: RevUsersScanResponse =
        serde_json::from_value(value(EXAMPLE_200)).expect("decodes from a serde_json::Value");
    assert_eq!(from_value, from_text);
}

// --- The documented error bodies ---------------------------------------------------------------

#[test]
fn error_400_decodes_with_its_kind_and_round_trips() {
    let error: ErrorBadRequest = assert_round_trip(ERROR_400);
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
    let error: ErrorUnauthorized = assert_round_trip(ERROR_401);
    assert_eq!(error.detail.as_deref(), Some("string"));
    assert_eq!(error.message.as_deref(), Some("string"));
    assert!(
        matches!(error.kind, ErrorUnauthorizedKind::Unauthenticated(_)),
        "{error:?}"
    );
}

#[test]
fn error_403_decodes_with_its_kind_and_round_trips() {
    let error: ErrorForbidden = assert_round_trip(ERROR_403);
    assert_eq!(error.detail.as_deref(), Some("string"));
    assert_eq!(error.message.as_deref(), Some("string"));
    assert!(
        matches!(error.kind, ErrorForbiddenKind::Forbidden(_)),
        "{error:?}"
    );
}

#[test]
fn error_404_decodes_with_its_kind_and_round_trips() {
    let error: ErrorNotFound = assert_round_trip(ERROR_404);
    assert_eq!(error.detail.as_deref(), Some("string"));
    assert_eq!(error.message.as_deref(), Some("string"));
    assert!(
        matches!(error.kind, ErrorNotFoundKind::NotFound(_)),
        "{error:?}"
    );
}

#[test]
fn error_429_keeps_retry_after_and_round_trips() {
    let error: ErrorTooManyRequests = assert_round_trip(ERROR_429);
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
    let error: ErrorInternalServerError = assert_round_trip(ERROR_500);
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
    let error: ErrorServiceUnavailable = assert_round_trip(ERROR_503);
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
    let variant: ErrorBadRequestArtifactAlreadyAttachedToAParent = decode(ERROR_400);
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

// --- Responses of every status, through `response` and through the client ----------------------

type PostResult = Result<RevUsersScanResponse, RevUsersScanPostError>;

/// Maps `(status, headers, body)` the two ways a user can: the free `response` function, and
/// `Client::rev_users_scan_post` over an in-memory transport; both must agree.
fn post_both_ways(
    status: u16,
    headers: &[(&'static str, &'static str)],
    body: &[u8],
    check: impl Fn(PostResult),
) {
    check(rev_users_scan_post::response(response(
        status, headers, body,
    )));
    let client = client(Canned::new(status, headers, body));
    let result = block_on(client.rev_users_scan_post(&RevUsersScanRequest::default()));
    check(result.map_err(|err| match err {
        ClientError::Api(err) => err,
        other => panic!("expected an API error for {status}, got {other:?}"),
    }));
    assert_eq!(client.transport().sent.lock().unwrap().len(), 1);
}

#[test]
fn status_200_gives_the_response() {
    post_both_ways(
        200,
        &[("content-type", "application/json")],
        EXAMPLE_200.as_bytes(),
        |result| {
            let page = result.expect("a 200 with the documented body is a success");
            assert_eq!(page.rev_users.len(), 1);
            assert_eq!(page.next_cursor.as_deref(), Some("string"));
        },
    );
}

#[test]
fn status_400_gives_bad_request() {
    post_both_ways(400, &[], ERROR_400.as_bytes(), |result| {
        match result.expect_err("400 is an error") {
            RevUsersScanPostError::BadRequest(body) => {
                assert_eq!(body.message.as_deref(), Some("string"));
                assert!(matches!(
                    body.kind,
                    ErrorBadRequestKind::ArtifactAlreadyAttachedToAParent(_)
                ));
            }
            other => panic!("expected BadRequest, got {other:?}"),
        }
    });
}

#[test]
fn status_401_gives_unauthorized() {
    post_both_ways(401, &[], ERROR_401.as_bytes(), |result| {
        let err = result.expect_err("401 is an error");
        assert_eq!(err.status(), http::StatusCode::UNAUTHORIZED);
        assert!(
            matches!(err, RevUsersScanPostError::Unauthorized(ref body) if body.detail.as_deref() == Some("string")),
            "{err:?}"
        );
    });
}

#[test]
fn status_403_gives_forbidden() {
    post_both_ways(403, &[], ERROR_403.as_bytes(), |result| {
        let err = result.expect_err("403 is an error");
        assert_eq!(err.status(), http::StatusCode::FORBIDDEN);
        assert!(
            matches!(err, RevUsersScanPostError::Forbidden(_)),
            "{err:?}"
        );
    });
}

#[test]
fn status_404_gives_not_found() {
    post_both_ways(404, &[], ERROR_404.as_bytes(), |result| {
        let err = result.expect_err("404 is an error");
        assert_eq!(err.status(), http::StatusCode::NOT_FOUND);
        assert!(matches!(err, RevUsersScanPostError::NotFound(_)), "{err:?}");
    });
}

#[test]
fn status_429_gives_too_many_requests_with_retry_after() {
    post_both_ways(
        429,
        &[("retry-after", "0")],
        ERROR_429.as_bytes(),
        |result| match result.expect_err("429 is an error") {
            RevUsersScanPostError::TooManyRequests(body) => {
                assert_eq!(body.retry_after, Some(0));
            }
            other => panic!("expected TooManyRequests, got {other:?}"),
        },
    );
}

#[test]
fn status_500_gives_internal_server_error_with_reference_id() {
    post_both_ways(500, &[], ERROR_500.as_bytes(), |result| {
        let err = result.expect_err("500 is an error");
        assert_eq!(err.status(), http::StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            err.to_string(),
            "rev-users-scan-post failed with 500 Internal Server Error: string"
        );
        match err {
            RevUsersScanPostError::InternalServerError(body) => {
                assert_eq!(body.reference_id.as_deref(), Some("string"));
            }
            other => panic!("expected InternalServerError, got {other:?}"),
        }
    });
}

#[test]
fn status_503_gives_service_unavailable() {
    post_both_ways(503, &[], ERROR_503.as_bytes(), |result| {
        let err = result.expect_err("503 is an error");
        assert_eq!(err.status(), http::StatusCode::SERVICE_UNAVAILABLE);
        assert!(
            matches!(err, RevUsersScanPostError::ServiceUnavailable(_)),
            "{err:?}"
        );
    });
}

#[test]
fn undocumented_status_keeps_status_headers_and_body() {
    post_both_ways(
        418,
        &[("x-request-id", "abc"), ("content-type", "text/plain")],
        b"I'm a teapot",
        |result| match result.expect_err("418 is an error") {
            RevUsersScanPostError::UnexpectedStatus(raw) => {
                assert_eq!(raw.status, http::StatusCode::IM_A_TEAPOT);
                assert_eq!(raw.headers["x-request-id"], "abc");
                assert_eq!(raw.headers["content-type"], "text/plain");
                assert_eq!(raw.body, b"I'm a teapot");
                assert_eq!(raw.excerpt(), "I'm a teapot");
            }
            other => panic!("expected UnexpectedStatus, got {other:?}"),
        },
    );
}

#[test]
fn html_200_is_undecodable_and_keeps_the_response() {
    let html = b"<html><body>Gateway says hi</body></html>";
    post_both_ways(
        200,
        &[("content-type", "text/html")],
        html,
        |result| match result.expect_err("HTML is not the documented body") {
            RevUsersScanPostError::Undecodable(err) => {
                assert_eq!(err.response.status, http::StatusCode::OK);
                assert_eq!(err.response.headers["content-type"], "text/html");
                assert_eq!(err.response.body, html);
                assert!(err.source.is_syntax(), "{:?}", err.source);
                let message = err.to_string();
                assert!(message.contains("Gateway says hi"), "{message}");
            }
            other => panic!("expected Undecodable, got {other:?}"),
        },
    );
}

#[test]
fn empty_200_is_undecodable() {
    post_both_ways(200, &[], b"", |result| {
        match result.expect_err("an empty body is not the documented body") {
            RevUsersScanPostError::Undecodable(err) => {
                assert_eq!(err.response.status, http::StatusCode::OK);
                assert!(err.response.body.is_empty());
                assert!(err.source.is_eof(), "{:?}", err.source);
                let message = err.to_string();
                assert!(message.contains("the body is empty"), "{message}");
            }
            other => panic!("expected Undecodable, got {other:?}"),
        }
    });
}

#[test]
fn error_status_with_an_undecodable_body_keeps_its_status() {
    post_both_ways(429, &[], b"slow down", |result| {
        let err = result.expect_err("429 is an error");
        assert_eq!(err.status(), http::StatusCode::TOO_MANY_REQUESTS);
        match err {
            RevUsersScanPostError::Undecodable(err) => assert_eq!(err.response.body, b"slow down"),
            other => panic!("expected Undecodable, got {other:?}"),
        }
    });
}

#[test]
fn the_get_operation_maps_responses_the_same_way() {
    let page = rev_users_scan::response(response(200, &[], EXAMPLE_200.as_bytes()))
        .expect("a 200 with the documented body is a success");
    assert_eq!(page.rev_users.len(), 1);
    let err = rev_users_scan::response(response(429, &[], ERROR_429.as_bytes()))
        .expect_err("429 is an error");
    assert_eq!(err.status(), http::StatusCode::TOO_MANY_REQUESTS);

    let client = client(Canned::new(503, &[], ERROR_503.as_bytes()));
    let result = block_on(client.rev_users_scan(&RevUsersScanQuery::default()));
    assert!(
        matches!(result, Err(ClientError::Api(ref err)) if err.status() == 503),
        "{result:?}"
    );
}

#[test]
fn the_client_sends_what_request_builds() {
    let client = client(Canned::new(200, &[], EXAMPLE_200.as_bytes()));
    let body = RevUsersScanRequest {
        email: Some(vec!["a@x.io".into()]),
        ..Default::default()
    };
    block_on(client.rev_users_scan_post(&body)).expect("a success");
    let sent = client.transport().sent.lock().unwrap();
    let built = rev_users_scan_post::request(&config(), &body).unwrap();
    assert_eq!(sent[0].method(), built.method());
    assert_eq!(sent[0].uri(), built.uri());
    assert_eq!(sent[0].headers(), built.headers());
    assert_eq!(sent[0].body(), built.body());
}

#[test]
fn a_transport_failure_is_a_transport_error_that_says_what_it_was() {
    /// A custom transport reports its failure the same way the shipped ones do.
    struct Down;
    impl Transport for Down {
        async fn send(
            &self,
            _request: http::Request<Vec<u8>>,
        ) -> Result<http::Response<Vec<u8>>, TransportError> {
            let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
            Err(TransportError::from(refused))
        }
    }
    let result = block_on(client(Down).rev_users_scan_post(&RevUsersScanRequest::default()));
    let err = result.expect_err("the transport is down");
    assert!(
        err.is_connect() && !err.is_timeout() && !err.request_sent(),
        "{err:?}"
    );
    assert_eq!(err.transport().unwrap().kind(), TransportErrorKind::Connect);
    assert_eq!(
        err.to_string(),
        "POST https://api.devrev.ai/rev-users.scan: cannot connect"
    );
    // The cause is printed once, by whoever walks the chain.
    let cause = std::error::Error::source(&err).expect("the I/O error is the cause");
    assert_eq!(cause.to_string(), "connection refused");
    assert!(cause.source().is_none());
}

// --- Building requests -------------------------------------------------------------------------

#[test]
fn post_request_with_an_empty_body() {
    let request = rev_users_scan_post::request(&config(), &RevUsersScanRequest::default()).unwrap();
    assert_eq!(request.method(), http::Method::POST);
    assert_eq!(
        request.uri().to_string(),
        "https://api.devrev.ai/rev-users.scan"
    );
    let headers = request.headers();
    assert_eq!(headers[http::header::AUTHORIZATION], "Bearer t");
    assert!(headers[http::header::AUTHORIZATION].is_sensitive());
    assert_eq!(headers[http::header::CONTENT_TYPE], "application/json");
    assert_eq!(headers[http::header::ACCEPT], "application/json");
    assert_eq!(request.body(), b"{}");
}

#[test]
fn post_request_with_filters() {
    let body = RevUsersScanRequest {
        email: Some(vec!["a@x.io".into()]),
        is_verified: Some(true),
        created_date: Some(DateTimeFilter {
            after: Some(instant("2024-01-01T00:00:00Z")),
            before: None,
        }),
        ..Default::default()
    };
    let request = rev_users_scan_post::request(&config(), &body).unwrap();
    let sent: Value = serde_json::from_slice(request.body()).unwrap();
    assert_eq!(
        sent,
        json!({
            "created_date": {"after": "2024-01-01T00:00:00Z"},
            "email": ["a@x.io"],
            "is_verified": true,
        })
    );
}

#[test]
fn get_request_encodes_dotted_names_and_unexploded_lists() {
    let query = RevUsersScanQuery {
        created_date_after: Some(instant("2024-01-01T00:00:00Z")),
        email: Some(vec!["a@x.io".into(), "b@y.io".into()]),
        ..Default::default()
    };
    let request = rev_users_scan::request(&config(), &query).unwrap();
    assert_eq!(request.method(), http::Method::GET);
    assert_eq!(request.uri().path(), "/rev-users.scan");
    assert_eq!(
        request.uri().query(),
        Some("created_date.after=2024-01-01T00%3A00%3A00Z&email=a%40x.io,b%40y.io")
    );
    let headers = request.headers();
    assert_eq!(headers[http::header::AUTHORIZATION], "Bearer t");
    assert_eq!(headers[http::header::ACCEPT], "application/json");
    assert!(!headers.contains_key(http::header::CONTENT_TYPE));
    assert!(request.body().is_empty());
}

#[test]
fn get_request_escapes_commas_inside_list_values() {
    let query = RevUsersScanQuery {
        email: Some(vec!["a,b@x.io".into(), "c@y.io".into()]),
        is_verified: Some(false),
        ..Default::default()
    };
    let request = rev_users_scan::request(&config(), &query).unwrap();
    assert_eq!(
        request.uri().query(),
        Some("email=a%2Cb%40x.io,c%40y.io&is_verified=false")
    );
}

#[test]
fn get_request_without_parameters_has_no_query() {
    let request = rev_users_scan::request(&config(), &RevUsersScanQuery::default()).unwrap();
    assert_eq!(
        request.uri().to_string(),
        "https://api.devrev.ai/rev-users.scan"
    );
}

// --- Forward compatibility ---------------------------------------------------------------------

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

#[test]
fn unknown_enum_value_round_trips() {
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
fn unknown_union_tag_round_trips() {
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
fn unknown_error_kind_keeps_the_shared_fields() {
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

#[test]
fn unknown_object_fields_are_ignored() {
    let user: RevUser = decode(r#"{"id":"u1","favourite_colour":"blue","state":"active"}"#);
    assert_eq!(user.id, "u1");
    assert_eq!(user.state, Some(UserState::Active));
    let page: RevUsersScanResponse =
        decode(r#"{"rev_users":[],"total":0,"next_cursor":null,"links":{"next":"x"}}"#);
    assert!(page.rev_users.is_empty());
    assert_eq!(page.next_cursor, None);
}

// --- Secrets -----------------------------------------------------------------------------------

#[test]
fn token_debug_is_redacted() {
    let secret = "secret-token-value";
    let token = Token::new(secret).unwrap();
    assert_eq!(format!("{token:?}"), "Token(<redacted>)");
    let config = Config::new(BaseUrl::new("https://api.devrev.ai").unwrap(), token);
    assert!(!format!("{config:?}").contains(secret), "{config:?}");
}

#[test]
fn client_debug_does_not_contain_the_token() {
    let secret = "secret-token-value";
    let builder = Client::builder(Canned::new(204, &[], b"")).token(secret);
    assert!(!format!("{builder:?}").contains(secret), "{builder:?}");
    let client = builder.build().unwrap();
    assert!(!format!("{client:?}").contains(secret), "{client:?}");
    assert!(!format!("{client:#?}").contains(secret), "{client:#?}");
    let request =
        rev_users_scan_post::request(client.config(), &RevUsersScanRequest::default()).unwrap();
    assert!(!format!("{request:?}").contains(secret), "{request:?}");
}
