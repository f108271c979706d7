//! Cursor pagination over the scripted transport: pages are followed in order, the cursor is
//! sent back, errors and repeated cursors stop the scan. (Over real sockets, with both clients:
//! `sockets/transports.rs`.)

use devrev_client::operations::RevUsersScanPostError;
use devrev_client::types::RevUsersScanRequest;
use devrev_client::{Client, ClientError};
use tests::{block_on, Scripted, Step};

fn page(ids: &[&str], next: Option<&str>) -> Step {
    let users: Vec<_> = ids
        .iter()
        .map(|id| serde_json::json!({ "id": id }))
        .collect();
    let mut body = serde_json::json!({ "rev_users": users });
    if let Some(next) = next {
        body["next_cursor"] = next.into();
    }
    Step::respond(200, body.to_string())
}

/// The pages in order, then a refused connection, as if the server had gone.
fn pages(steps: impl IntoIterator<Item = Step>) -> Scripted {
    Scripted::then_gone(steps)
}

fn client(pages: &Scripted) -> Client<&Scripted> {
    Client::builder(pages).token("t").build().unwrap()
}

/// The cursor of every request body sent.
fn cursors_sent(pages: &Scripted) -> Vec<Option<String>> {
    pages
        .json_sent()
        .iter()
        .map(|body| {
            body.get("cursor")
                .and_then(|c| c.as_str())
                .map(str::to_owned)
        })
        .collect()
}

#[test]
fn follows_next_cursor_until_absent() {
    let pages = pages([
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
        cursors_sent(&pages),
        [None, Some("c1".into()), Some("c2".into())]
    );
}

#[test]
fn starts_from_the_request_cursor_and_keeps_filters() {
    let pages = pages([page(&["x"], None)]);
    let client = client(&pages);
    let request = RevUsersScanRequest {
        cursor: Some("resume".into()),
        email: Some(vec!["a@x.io".into()]),
        ..Default::default()
    };
    let users = block_on(client.rev_users_scan_post_all(request).collect()).unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(
        pages.json_sent()[0],
        serde_json::json!({ "cursor": "resume", "email": ["a@x.io"] })
    );
}

#[test]
fn an_error_is_yielded_once_and_ends_the_scan() {
    let pages = pages([
        page(&["a"], Some("c1")),
        Step::respond(429, r#"{"type":"too_many_requests","retry_after":3}"#),
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
    assert_eq!(pages.sent().len(), 2);
}

#[test]
fn a_repeated_cursor_stops_the_scan_with_an_error() {
    let pages = pages([
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
    let pages = pages([page(&["a"], Some(""))]);
    let client = client(&pages);
    let users = block_on(
        client
            .rev_users_scan_post_all(RevUsersScanRequest::default())
            .collect(),
    )
    .unwrap();
    assert_eq!(users.len(), 1);
}
