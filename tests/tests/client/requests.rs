//! Building requests: the method, URL, headers and body each operation's `request` function
//! makes, and the client sends exactly that; a transport's failure comes back as a transport
//! error that says what it was.

use devrev_client::chrono::{DateTime, Utc};
use devrev_client::http;
use devrev_client::operations::{rev_users_scan, rev_users_scan_post, RevUsersScanQuery};
use devrev_client::types::{DateTimeFilter, RevUsersScanRequest};
use devrev_client::{BlockingClient, Client, TransportErrorKind};
use serde_json::{json, Value};
use tests::{block_on, documented, Scripted, Step};

use super::config;

fn instant(text: &str) -> DateTime<Utc> {
    text.parse().expect("a valid RFC 3339 instant")
}

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

#[test]
fn the_client_sends_what_request_builds() {
    let body = RevUsersScanRequest {
        email: Some(vec!["a@x.io".into()]),
        ..Default::default()
    };
    let built = rev_users_scan_post::request(&config(), &body).unwrap();
    let answer = || Scripted::always(Step::respond(200, documented(200)));
    let client = Client::builder(answer()).token("t").build().unwrap();
    block_on(client.rev_users_scan_post(&body)).expect("a success");
    let blocking = BlockingClient::builder(answer())
        .token("t")
        .build()
        .unwrap();
    blocking.rev_users_scan_post(&body).expect("a success");
    for sent in [client.transport().sent(), blocking.transport().sent()] {
        assert_eq!(sent[0].method(), built.method());
        assert_eq!(sent[0].uri(), built.uri());
        assert_eq!(sent[0].headers(), built.headers());
        assert_eq!(sent[0].body(), built.body());
    }
}

/// A custom transport reports its failure the same way the shipped ones do.
#[test]
fn a_transport_failure_is_a_transport_error_that_says_what_it_was() {
    let client = Client::builder(Scripted::always(Step::Refuse))
        .token("t")
        .build()
        .unwrap();
    let result = block_on(client.rev_users_scan_post(&RevUsersScanRequest::default()));
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
