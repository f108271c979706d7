//! Status mapping: every documented status gives its variant, an undocumented one keeps the
//! status, the headers and the body, and a documented status with a body that does not decode is
//! undecodable, keeping the response, the same through the operation's `response` function, the
//! async client and the blocking client.

use devrev_client::http;
use devrev_client::operations::{
    rev_users_scan, rev_users_scan_post, RevUsersScanPostError, RevUsersScanQuery,
};
use devrev_client::types::{ErrorBadRequestKind, RevUsersScanRequest, RevUsersScanResponse};
use devrev_client::{BlockingClient, Client, ClientError};
use tests::{block_on, documented, Scripted, Step};

use super::{
    assert_bounded_message, huge_string, post, response, undecodable, HTML_502, MAX_MESSAGE, PAGE,
};

type PostResult = Result<RevUsersScanResponse, RevUsersScanPostError>;

/// Maps `(status, headers, body)` the three ways a user can: the free `response` function, and
/// `rev_users_scan_post` of the async and of the blocking client over an in-memory transport;
/// all must agree.
fn post_every_way(status: u16, headers: &[(&str, &str)], body: &[u8], check: impl Fn(PostResult)) {
    check(rev_users_scan_post::response(response(
        status, headers, body,
    )));
    let mut step = Step::respond(status, body);
    for (name, value) in headers {
        step = step.header(name, value);
    }
    let api_error = |err| match err {
        ClientError::Api(err) => err,
        other => panic!("expected an API error for {status}, got {other:?}"),
    };
    let client = Client::builder(Scripted::always(step.clone()))
        .token("t")
        .build()
        .unwrap();
    check(block_on(client.rev_users_scan_post(&RevUsersScanRequest::default())).map_err(api_error));
    assert_eq!(client.transport().sent().len(), 1);
    let client = BlockingClient::builder(Scripted::always(step))
        .token("t")
        .build()
        .unwrap();
    check(
        client
            .rev_users_scan_post(&RevUsersScanRequest::default())
            .map_err(api_error),
    );
    assert_eq!(client.transport().sent().len(), 1);
}

#[test]
fn status_200_gives_the_response() {
    post_every_way(
        200,
        &[("content-type", "application/json")],
        documented(200).as_bytes(),
        |result| {
            let page = result.expect("a 200 with the documented body is a success");
            assert_eq!(page.rev_users.len(), 1);
            assert_eq!(page.next_cursor.as_deref(), Some("string"));
        },
    );
}

#[test]
fn status_400_gives_bad_request() {
    post_every_way(400, &[], documented(400).as_bytes(), |result| match result
        .expect_err("400 is an error")
    {
        RevUsersScanPostError::BadRequest(body) => {
            assert_eq!(body.message.as_deref(), Some("string"));
            assert!(matches!(
                body.kind,
                ErrorBadRequestKind::ArtifactAlreadyAttachedToAParent(_)
            ));
        }
        other => panic!("expected BadRequest, got {other:?}"),
    });
}

#[test]
fn status_401_gives_unauthorized() {
    post_every_way(401, &[], documented(401).as_bytes(), |result| {
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
    post_every_way(403, &[], documented(403).as_bytes(), |result| {
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
    post_every_way(404, &[], documented(404).as_bytes(), |result| {
        let err = result.expect_err("404 is an error");
        assert_eq!(err.status(), http::StatusCode::NOT_FOUND);
        assert!(matches!(err, RevUsersScanPostError::NotFound(_)), "{err:?}");
    });
}

#[test]
fn status_429_gives_too_many_requests_with_retry_after() {
    post_every_way(
        429,
        &[("retry-after", "0")],
        documented(429).as_bytes(),
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
    post_every_way(500, &[], documented(500).as_bytes(), |result| {
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
    post_every_way(503, &[], documented(503).as_bytes(), |result| {
        let err = result.expect_err("503 is an error");
        assert_eq!(err.status(), http::StatusCode::SERVICE_UNAVAILABLE);
        assert!(
            matches!(err, RevUsersScanPostError::ServiceUnavailable(_)),
            "{err:?}"
        );
    });
}

#[test]
fn an_undocumented_status_keeps_the_status_the_headers_and_the_body() {
    post_every_way(
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
fn an_html_502_is_an_unexpected_status_with_an_excerpt() {
    let err = rev_users_scan_post::response(response(
        502,
        &[("content-type", "text/html")],
        HTML_502.as_bytes(),
    ))
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
fn an_html_page_with_a_documented_status_is_undecodable_and_keeps_the_response() {
    let html = b"<html><body>Gateway says hi</body></html>";
    post_every_way(
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
    for status in [200, 400, 401, 403, 404, 429, 500, 503] {
        let err = undecodable(status, HTML_502.as_bytes());
        assert!(err.to_string().contains("<!DOCTYPE html>"), "{err}");
    }
}

#[test]
fn an_empty_body_is_undecodable_and_says_so() {
    post_every_way(200, &[], b"", |result| {
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
fn the_get_operation_maps_responses_the_same_way() {
    let page = rev_users_scan::response(response(200, &[], documented(200).as_bytes()))
        .expect("a 200 with the documented body is a success");
    assert_eq!(page.rev_users.len(), 1);
    let err = rev_users_scan::response(response(429, &[], documented(429).as_bytes()))
        .expect_err("429 is an error");
    assert_eq!(err.status(), http::StatusCode::TOO_MANY_REQUESTS);

    let transport = Scripted::always(Step::respond(503, documented(503)));
    let client = Client::builder(transport).token("t").build().unwrap();
    let result = block_on(client.rev_users_scan(&RevUsersScanQuery::default()));
    assert!(
        matches!(result, Err(ClientError::Api(ref err)) if err.status() == 503),
        "{result:?}"
    );
    let err = rev_users_scan::response(response(200, &[], &PAGE.as_bytes()[..20]))
        .expect_err("truncated");
    assert_eq!(err.status().as_u16(), 200);
    assert!(err.to_string().chars().count() <= MAX_MESSAGE);
    let err = rev_users_scan::response(response(200, &[], &huge_string(2_000_000)))
        .expect_err("a string");
    assert!(err.to_string().chars().count() <= MAX_MESSAGE);
    let err = rev_users_scan::response(response(
        502,
        &[("content-type", "text/html")],
        HTML_502.as_bytes(),
    ))
    .expect_err("502");
    assert_eq!(err.status().as_u16(), 502);
    assert!(err.to_string().contains("502 Bad Gateway"), "{err}");
}
