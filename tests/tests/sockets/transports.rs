//! What a working server sees and answers: the request each operation puts on the wire, and
//! every kind of response, through both transports.

use devrev_client::operations::{rev_users_scan, RevUsersScanPostError, RevUsersScanQuery};
use devrev_client::types::{RevUsersScanRequest, RevUsersScanResponse};
use devrev_client::{BaseUrl, ClientError, Config, Token, USER_AGENT};
use serde_json::Value;
use tests::{Reply, Server, DOCUMENTED_STATUSES};

use super::{client, documented, Setup, BOTH, TOKEN};

fn scan_post(
    via: super::Via,
    server: &Server,
) -> Result<RevUsersScanResponse, ClientError<RevUsersScanPostError>> {
    client(via, &server.base_url(), &Setup::default()).scan_post(&RevUsersScanRequest::default())
}

#[test]
fn post_sends_method_path_headers_and_json_body_and_decodes_the_documented_200() {
    let body: RevUsersScanRequest = serde_json::from_value(serde_json::json!({
        "cursor": "abc",
        "email": ["a@example.com", "b@example.com"],
        "is_verified": true,
        "created_date": {"type": "range", "after": "2024-01-01T00:00:00Z"}
    }))
    .unwrap();
    let expected: RevUsersScanResponse = serde_json::from_slice(&documented(200)).unwrap();
    for via in BOTH {
        let server = Server::start([Reply::json(200, documented(200))]);
        let result = client(via, &server.base_url(), &Setup::default()).scan_post(&body);
        let seen = server.finish();
        assert_eq!(result.unwrap(), expected, "{via:?}");
        let [request] = &seen[..] else {
            panic!("{via:?}: one request, got {seen:?}")
        };
        assert_eq!(request.method, "POST", "{via:?}");
        assert_eq!(request.target, "/rev-users.scan", "{via:?}");
        assert_eq!(
            request.one("authorization"),
            format!("Bearer {TOKEN}"),
            "{via:?}"
        );
        assert_eq!(request.one("content-type"), "application/json", "{via:?}");
        assert_eq!(request.one("accept"), "application/json", "{via:?}");
        assert_eq!(request.one("user-agent"), USER_AGENT, "{via:?}");
        assert_eq!(
            request.one("content-length"),
            request.body.len().to_string(),
            "{via:?}"
        );
        let sent: Value = serde_json::from_slice(&request.body).expect("a JSON body");
        assert_eq!(sent, serde_json::to_value(&body).unwrap(), "{via:?}");
    }
}

#[test]
fn get_sends_the_query_and_no_body() {
    let query = RevUsersScanQuery {
        email: Some(vec![
            "a@example.com".to_owned(),
            "b,c@example.com".to_owned(),
        ]),
        is_verified: Some(false),
        cursor: Some("next page".to_owned()),
        ..RevUsersScanQuery::default()
    };
    let config = Config::new(
        BaseUrl::new("http://127.0.0.1:1").unwrap(),
        Token::new(TOKEN).unwrap(),
    );
    let built = rev_users_scan::request(&config, &query).unwrap();
    let target = built.uri().path_and_query().unwrap().as_str().to_owned();
    assert!(target.starts_with("/rev-users.scan?"), "{target}");
    for via in BOTH {
        let server = Server::start([Reply::json(200, documented(200))]);
        let result = client(via, &server.base_url(), &Setup::default()).scan_get(&query);
        let seen = server.finish();
        assert!(result.is_ok(), "{via:?}: {result:?}");
        let [request] = &seen[..] else {
            panic!("{via:?}: one request, got {seen:?}")
        };
        assert_eq!(request.method, "GET", "{via:?}");
        assert_eq!(request.target, target, "{via:?}");
        assert_eq!(
            request.one("authorization"),
            format!("Bearer {TOKEN}"),
            "{via:?}"
        );
        assert_eq!(request.one("accept"), "application/json", "{via:?}");
        assert_eq!(request.one("user-agent"), USER_AGENT, "{via:?}");
        assert!(request.all("content-type").is_empty(), "{via:?}");
        assert!(request.body.is_empty(), "{via:?}");
    }
}

#[test]
fn each_documented_error_status_maps_to_its_variant() {
    let statuses = &DOCUMENTED_STATUSES[1..];
    for via in BOTH {
        let server = Server::start(statuses.iter().map(|s| Reply::json(*s, documented(*s))));
        for &status in statuses {
            let err = match scan_post(via, &server) {
                Err(ClientError::Api(err)) => err,
                other => panic!("{via:?} {status}: expected an API error, got {other:?}"),
            };
            assert_eq!(err.status(), status, "{via:?}");
            let documented = match (&err, status) {
                (RevUsersScanPostError::BadRequest(_), 400)
                | (RevUsersScanPostError::Unauthorized(_), 401)
                | (RevUsersScanPostError::Forbidden(_), 403)
                | (RevUsersScanPostError::NotFound(_), 404)
                | (RevUsersScanPostError::InternalServerError(_), 500)
                | (RevUsersScanPostError::ServiceUnavailable(_), 503) => true,
                (RevUsersScanPostError::TooManyRequests(body), 429) => {
                    assert_eq!(body.retry_after, Some(0), "{via:?}");
                    true
                }
                _ => false,
            };
            assert!(documented, "{via:?} {status}: {err:?}");
            assert!(
                err.to_string().contains(&status.to_string()),
                "{via:?}: {err}"
            );
        }
        assert_eq!(server.finish().len(), statuses.len(), "{via:?}");
    }
}

#[test]
fn an_html_502_is_an_unexpected_status_that_keeps_the_page() {
    let page = "<html><head><title>502 Bad Gateway</title></head>\
                <body><center><h1>502 Bad Gateway</h1></center></body></html>";
    for via in BOTH {
        let server = Server::start([Reply::Respond {
            status: 502,
            headers: vec![("content-type".to_owned(), "text/html".to_owned())],
            body: page.into(),
        }]);
        let result = scan_post(via, &server);
        server.finish();
        let Err(ClientError::Api(RevUsersScanPostError::UnexpectedStatus(raw))) = &result else {
            panic!("{via:?}: expected an unexpected status, got {result:?}");
        };
        assert_eq!(raw.status, 502, "{via:?}");
        assert_eq!(raw.body, page.as_bytes(), "{via:?}");
        assert_eq!(raw.headers["content-type"], "text/html", "{via:?}");
        let message = result.unwrap_err().to_string();
        assert!(
            message.contains("502 Bad Gateway</h1>"),
            "{via:?}: {message}"
        );
    }
}

#[test]
fn an_empty_200_is_undecodable() {
    for via in BOTH {
        let server = Server::start([Reply::json(200, Vec::new())]);
        let result = scan_post(via, &server);
        server.finish();
        let Err(ClientError::Api(RevUsersScanPostError::Undecodable(err))) = &result else {
            panic!("{via:?}: expected an undecodable body, got {result:?}");
        };
        assert_eq!(err.response.status, 200, "{via:?}");
        assert!(
            err.to_string().contains("the body is empty"),
            "{via:?}: {err}"
        );
    }
}

#[test]
fn a_truncated_json_body_is_undecodable_and_kept() {
    let full = documented(200);
    let truncated = full[..full.len() / 2].to_vec();
    for via in BOTH {
        let server = Server::start([Reply::json(200, truncated.clone())]);
        let result = scan_post(via, &server);
        server.finish();
        let Err(ClientError::Api(RevUsersScanPostError::Undecodable(err))) = &result else {
            panic!("{via:?}: expected an undecodable body, got {result:?}");
        };
        assert_eq!(err.response.body, truncated, "{via:?}");
        assert!(err.source.is_eof(), "{via:?}: {}", err.source);
    }
}

fn page(ids: &[&str], next: Option<&str>) -> Reply {
    let users: Vec<_> = ids
        .iter()
        .map(|id| serde_json::json!({ "id": id }))
        .collect();
    let mut body = serde_json::json!({ "rev_users": users });
    if let Some(next) = next {
        body["next_cursor"] = next.into();
    }
    Reply::json(200, body.to_string())
}

#[test]
fn the_paginator_follows_pages_over_a_real_socket() {
    for via in BOTH {
        let server = Server::start([page(&["a", "b"], Some("c1")), page(&["c"], None)]);
        let items = client(via, &server.base_url(), &Setup::default()).scan_all();
        let ids: Vec<String> = items.into_iter().map(|user| user.unwrap().id).collect();
        assert_eq!(ids, ["a", "b", "c"], "{via:?}");
        let bodies: Vec<String> = server
            .finish()
            .iter()
            .map(|s| s.text().to_owned())
            .collect();
        assert_eq!(bodies, ["{}", r#"{"cursor":"c1"}"#], "{via:?}");
    }
}

#[test]
fn the_paginator_stops_after_an_error() {
    for via in BOTH {
        let down = r#"{"type":"service_unavailable","message":"down"}"#;
        let server = Server::start([page(&["a"], Some("c1")), Reply::json(503, down)]);
        let items = client(via, &server.base_url(), &Setup::default()).scan_all();
        assert_eq!(server.finish().len(), 2, "{via:?}");
        assert_eq!(items.len(), 2, "{via:?}: {items:?}");
        assert!(
            matches!(
                &items[1],
                Err(ClientError::Api(RevUsersScanPostError::ServiceUnavailable(
                    _
                )))
            ),
            "{via:?}: {items:?}"
        );
    }
}

/// The kit's keep-alive server (the scan bench's) answers every request of a scan, whether the
/// client keeps the connection or opens new ones.
#[test]
fn the_paginator_follows_pages_from_a_keep_alive_server() {
    let addr = tests::server::keep_alive(|request| {
        let body: Value = serde_json::from_slice(&request.body).expect("a JSON body");
        match body["cursor"].as_str() {
            None => page(&["a"], Some("c1")),
            Some("c1") => page(&["b"], Some("c2")),
            Some(_) => page(&["c"], None),
        }
    });
    for via in BOTH {
        let items = client(via, &format!("http://{addr}"), &Setup::default()).scan_all();
        let ids: Vec<String> = items.into_iter().map(|user| user.unwrap().id).collect();
        assert_eq!(ids, ["a", "b", "c"], "{via:?}");
    }
}
