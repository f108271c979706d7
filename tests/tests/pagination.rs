//! Cursor pagination over an in-memory transport: pages are followed in order, the cursor is
//! sent back, errors and repeated cursors stop the scan.

use std::sync::Mutex;

use devrev_client::operations::RevUsersScanPostError;
use devrev_client::types::RevUsersScanRequest;
use devrev_client::{
    Client, ClientError, Transport, TransportError, TransportErrorKind, UreqTransport,
};
use tests::block_on;

/// Serves canned responses in order and records the bodies it was sent.
struct Pages {
    responses: Mutex<Vec<(u16, String)>>,
    sent: Mutex<Vec<serde_json::Value>>,
}

impl Pages {
    fn new(responses: &[(u16, String)]) -> Self {
        let mut responses = responses.to_vec();
        responses.reverse();
        Self {
            responses: Mutex::new(responses),
            sent: Mutex::new(Vec::new()),
        }
    }

    fn cursors_sent(&self) -> Vec<Option<String>> {
        let sent = self.sent.lock().unwrap();
        sent.iter()
            .map(|body| {
                body.get("cursor")
                    .and_then(|c| c.as_str())
                    .map(str::to_owned)
            })
            .collect()
    }
}

impl Transport for Pages {
    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        self.sent
            .lock()
            .unwrap()
            .push(serde_json::from_slice(request.body()).unwrap());
        // No more canned responses: as if the server had gone.
        let exhausted = || TransportError::new(TransportErrorKind::Connect, false);
        let (status, body) = self.responses.lock().unwrap().pop().ok_or_else(exhausted)?;
        Ok(http::Response::builder()
            .status(status)
            .body(body.into_bytes())
            .unwrap())
    }
}

fn page(ids: &[&str], next: Option<&str>) -> (u16, String) {
    let users: Vec<_> = ids
        .iter()
        .map(|id| serde_json::json!({ "id": id }))
        .collect();
    let mut body = serde_json::json!({ "rev_users": users });
    if let Some(next) = next {
        body["next_cursor"] = next.into();
    }
    (200, body.to_string())
}

fn client(pages: &Pages) -> Client<&Pages> {
    Client::builder(pages).token("t").build().unwrap()
}

#[test]
fn follows_next_cursor_until_absent() {
    let pages = Pages::new(&[
        page(&["a", "b"], Some("c1")),
        page(&["c"], Some("c2")),
        page(&["d"], None),
    ]);
    let client = client(&pages);
    let users = block_on(
        client
            .rev_users_scan_post_all(RevUsersScanRequest::default())
            .collect(),
    )
    .unwrap();
    let ids: Vec<_> = users.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c", "d"]);
    assert_eq!(
        pages.cursors_sent(),
        [None, Some("c1".into()), Some("c2".into())]
    );
}

#[test]
fn starts_from_the_request_cursor_and_keeps_filters() {
    let pages = Pages::new(&[page(&["x"], None)]);
    let client = client(&pages);
    let request = RevUsersScanRequest {
        cursor: Some("resume".into()),
        email: Some(vec!["a@x.io".into()]),
        ..Default::default()
    };
    let users = block_on(client.rev_users_scan_post_all(request).collect()).unwrap();
    assert_eq!(users.len(), 1);
    let sent = pages.sent.lock().unwrap();
    assert_eq!(
        sent[0],
        serde_json::json!({ "cursor": "resume", "email": ["a@x.io"] })
    );
}

#[test]
fn an_error_is_yielded_once_and_ends_the_scan() {
    let pages = Pages::new(&[
        page(&["a"], Some("c1")),
        (
            429,
            r#"{"type":"too_many_requests","retry_after":3}"#.to_owned(),
        ),
        page(&["never"], None),
    ]);
    let client = client(&pages);
    let mut scan = client.rev_users_scan_post_all(RevUsersScanRequest::default());
    assert_eq!(block_on(scan.next()).unwrap().unwrap().id, "a");
    match block_on(scan.next()) {
        Some(Err(ClientError::Api(RevUsersScanPostError::TooManyRequests(body)))) => {
            assert_eq!(body.retry_after, Some(3));
        }
        other => panic!("expected the 429, got {other:?}"),
    }
    assert!(block_on(scan.next()).is_none());
    assert_eq!(pages.sent.lock().unwrap().len(), 2);
}

#[test]
fn a_repeated_cursor_stops_the_scan_with_an_error() {
    let pages = Pages::new(&[
        page(&["a"], Some("c1")),
        page(&["b"], Some("c2")),
        page(&["c"], Some("c1")),
    ]);
    let client = client(&pages);
    let mut scan = client.rev_users_scan_post_all(RevUsersScanRequest::default());
    let mut ids = Vec::new();
    let mut error = None;
    while let Some(item) = block_on(scan.next()) {
        match item {
            Ok(user) => ids.push(user.id),
            Err(err) => error = Some(err),
        }
    }
    assert_eq!(ids, ["a", "b"]);
    assert!(
        matches!(error, Some(ClientError::RepeatedCursor(ref c)) if c == "c1"),
        "{error:?}"
    );
}

#[test]
fn an_empty_cursor_means_done() {
    let pages = Pages::new(&[page(&["a"], Some(""))]);
    let client = client(&pages);
    let users = block_on(
        client
            .rev_users_scan_post_all(RevUsersScanRequest::default())
            .collect(),
    )
    .unwrap();
    assert_eq!(users.len(), 1);
}

/// Serves `pages` in order on 127.0.0.1, one request per connection, and returns the request
/// bodies it received. Stops after the pages are served.
fn serve_pages(pages: Vec<(u16, String)>) -> (String, std::thread::JoinHandle<Vec<String>>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let mut bodies = Vec::new();
        for (status, body) in pages {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream);
            let mut length = 0;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line == "\r\n" || line.is_empty() {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("content-length") {
                        length = value.trim().parse().unwrap();
                    }
                }
            }
            let mut request_body = vec![0; length];
            reader.read_exact(&mut request_body).unwrap();
            bodies.push(String::from_utf8(request_body).unwrap());
            let mut stream = reader.into_inner();
            write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
            .unwrap();
        }
        bodies
    });
    (base, handle)
}

#[test]
fn the_blocking_iterator_follows_pages_over_a_real_socket() {
    let (base, server) = serve_pages(vec![page(&["a", "b"], Some("c1")), page(&["c"], None)]);
    let config = devrev_client::Config::new(
        devrev_client::BaseUrl::new(&base).unwrap(),
        devrev_client::Token::new("t").unwrap(),
    );
    let client = devrev_client::BlockingClient::new(config, UreqTransport::new());
    let ids: Vec<String> = client
        .rev_users_scan_post_all(RevUsersScanRequest::default())
        .map(|user| user.unwrap().id)
        .collect();
    assert_eq!(ids, ["a", "b", "c"]);
    let bodies = server.join().unwrap();
    assert_eq!(bodies, ["{}", r#"{"cursor":"c1"}"#]);
}

#[test]
fn the_blocking_iterator_stops_after_an_error() {
    let (base, server) = serve_pages(vec![
        page(&["a"], Some("c1")),
        (
            503,
            r#"{"type":"service_unavailable","message":"down"}"#.to_owned(),
        ),
    ]);
    let config = devrev_client::Config::new(
        devrev_client::BaseUrl::new(&base).unwrap(),
        devrev_client::Token::new("t").unwrap(),
    );
    let client = devrev_client::BlockingClient::new(config, UreqTransport::new());
    let items: Vec<_> = client
        .rev_users_scan_post_all(RevUsersScanRequest::default())
        .collect();
    assert_eq!(items.len(), 2);
    assert!(matches!(
        &items[1],
        Err(ClientError::Api(RevUsersScanPostError::ServiceUnavailable(
            _
        )))
    ));
    server.join().unwrap();
}
