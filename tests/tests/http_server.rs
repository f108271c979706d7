//! Both shipped transports against a real socket: a tiny HTTP/1.1 server on 127.0.0.1, one thread
//! per test, that serves a script of replies, one connection each, and records what it received.
//!
//! Every case runs twice, through `ReqwestTransport` on a current-thread tokio runtime and through
//! the ureq `BlockingClient`. The server checks nothing itself; it hands each request back and the
//! test asserts on it, so a failure names the case and the transport. Every wait is bounded: the
//! server gives up on a silent client after two seconds and each case takes milliseconds, except
//! the timeout case, which waits for its 200 ms timeout.

// The operations' errors keep whole responses; the crate allows the same lint for the same reason.
#![allow(clippy::result_large_err)]

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use devrev_client::operations::{
    rev_users_scan, rev_users_scan_post, RevUsersScanPostError, RevUsersScanQuery,
};
use devrev_client::types::{RevUsersScanRequest, RevUsersScanResponse};
use devrev_client::{
    BaseUrl, BlockingClient, BlockingError, Client, ClientError, Config, ReqwestError,
    ReqwestTransport, Retry, RetryError, RetryPolicy, Token, TokioSleep, USER_AGENT,
};
use serde_json::Value;
use tests::block_on;

const TOKEN: &str = "test-token-7f3a9c";

/// How long the server waits for a client to connect or to speak.
const SERVER_PATIENCE: Duration = Duration::from_secs(2);

/// The statuses in the order the seed document lists their example bodies.
const SEED_STATUSES: [u16; 8] = [200, 400, 401, 403, 404, 429, 500, 503];

const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/seed/rev-users-scan-doc.txt"
);

// ---------------------------------------------------------------------------------------------
// The seed bodies
// ---------------------------------------------------------------------------------------------

/// The documented example bodies, by status: the JSON objects that follow the curl line of the
/// seed document, in `SEED_STATUSES` order.
fn seed(status: u16) -> Vec<u8> {
    static BODIES: OnceLock<Vec<Value>> = OnceLock::new();
    let bodies = BODIES.get_or_init(|| {
        let text = std::fs::read_to_string(SEED).unwrap_or_else(|e| panic!("{SEED}: {e}"));
        let start = text.find("\n{").expect("the seed document has JSON bodies");
        let bodies: Vec<Value> = serde_json::Deserializer::from_str(&text[start..])
            .into_iter()
            .collect::<Result<_, _>>()
            .expect("the seed bodies are JSON");
        assert_eq!(bodies.len(), SEED_STATUSES.len(), "one body per status");
        let types: Vec<&str> = bodies[1..]
            .iter()
            .map(|b| b["type"].as_str().unwrap())
            .collect();
        assert_eq!(
            types,
            [
                "artifact_already_attached_to_a_parent",
                "unauthenticated",
                "forbidden",
                "not_found",
                "too_many_requests",
                "internal_error",
                "service_unavailable"
            ],
            "the seed bodies are in the expected order"
        );
        bodies
    });
    let index = SEED_STATUSES.iter().position(|s| *s == status).unwrap();
    serde_json::to_vec(&bodies[index]).unwrap()
}

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

/// What the server does with one connection.
#[derive(Debug, Clone)]
enum Reply {
    /// Answers with a status, extra headers and a body.
    Respond {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
    },
    /// Reads the request and never answers, until the client hangs up.
    Stall,
    /// Reads the request and closes the connection without a word.
    HangUp,
    /// Promises more body bytes than it sends, then closes.
    CutShort { body: Vec<u8> },
}

fn respond(status: u16, body: impl Into<Vec<u8>>) -> Reply {
    Reply::Respond {
        status,
        headers: vec![("content-type", "application/json".to_owned())],
        body: body.into(),
    }
}

/// A request as the server read it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    target: String,
    /// Names lowercased, in the order sent.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Seen {
    /// Every value of the header `name`.
    fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The one value of the header `name`; fails if it is missing or repeated.
    fn one(&self, name: &str) -> &str {
        match self.all(name)[..] {
            [value] => value,
            ref values => panic!("header {name}: expected one value, got {values:?}"),
        }
    }
}

struct Server {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    thread: JoinHandle<()>,
}

impl Server {
    /// Serves `script` on a fresh loopback port, one reply per connection, then stops.
    fn start(script: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        let thread = std::thread::spawn(move || {
            listener.set_nonblocking(true).unwrap();
            for reply in script {
                let Some(stream) = accept(&listener) else {
                    return;
                };
                serve_one(stream, reply, &record);
            }
        });
        Self { addr, seen, thread }
    }

    fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Waits for the script to end and returns the requests received.
    fn finish(self) -> Vec<Seen> {
        self.thread
            .join()
            .expect("the server thread does not panic");
        Arc::try_unwrap(self.seen)
            .expect("the server is done")
            .into_inner()
            .unwrap()
    }
}

fn accept(listener: &TcpListener) -> Option<TcpStream> {
    let deadline = Instant::now() + SERVER_PATIENCE;
    loop {
        match listener.accept() {
            Ok((stream, _)) => return Some(stream),
            Err(e) if e.kind() == ErrorKind::WouldBlock && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(1));
            }
            Err(_) => return None,
        }
    }
}

fn serve_one(mut stream: TcpStream, reply: Reply, record: &Mutex<Vec<Seen>>) {
    stream.set_nonblocking(false).unwrap();
    stream.set_read_timeout(Some(SERVER_PATIENCE)).unwrap();
    let Some(seen) = read_request(&mut stream) else {
        return;
    };
    record.lock().unwrap().push(seen);
    // A client that gave up already makes the writes fail; that is its business.
    let _ = match reply {
        Reply::Respond {
            status,
            headers,
            body,
        } => write_response(&mut stream, status, &headers, &body, body.len()),
        Reply::CutShort { body } => write_response(&mut stream, 200, &[], &body, body.len() + 100),
        Reply::HangUp => Ok(()),
        Reply::Stall => {
            // Until the client hangs up (read returns 0 or fails) or our patience runs out.
            let mut sink = [0u8; 256];
            while matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
            Ok(())
        }
    };
}

fn read_request(stream: &mut TcpStream) -> Option<Seen> {
    let mut data = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(n) => data.extend_from_slice(&chunk[..n]),
        }
    };
    let head = std::str::from_utf8(&data[..head_end]).expect("the request head is text");
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap().split(' ');
    let method = request_line.next().unwrap().to_owned();
    let target = request_line.next().unwrap().to_owned();
    let headers: Vec<(String, String)> = lines
        .map(|line| {
            let (name, value) = line.split_once(':').expect("a header line has a colon");
            (name.trim().to_ascii_lowercase(), value.trim().to_owned())
        })
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .map_or(0, |(_, v)| v.parse().expect("a numeric content-length"));
    let mut body = data[head_end + 4..].to_vec();
    while body.len() < length {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    Some(Seen {
        method,
        target,
        headers,
        body,
    })
}

fn write_response(
    stream: &mut TcpStream,
    status: u16,
    headers: &[(&str, String)],
    body: &[u8],
    content_length: usize,
) -> std::io::Result<()> {
    let reason = http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Whatever");
    let mut out = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-length: {content_length}\r\nconnection: close\r\n"
    );
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    stream.write_all(&out)?;
    stream.flush()
}

// ---------------------------------------------------------------------------------------------
// The two transports
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
enum Via {
    Reqwest,
    Ureq,
}

const BOTH: [Via; 2] = [Via::Reqwest, Via::Ureq];

/// How a case configures its client.
#[derive(Debug, Clone)]
struct Setup {
    timeout: Duration,
    retry: Option<RetryPolicy>,
    /// For reqwest with retries: sleep on tokio's timer rather than on a helper thread.
    tokio_sleep: bool,
}

impl Default for Setup {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(2),
            retry: None,
            tokio_sleep: true,
        }
    }
}

impl Setup {
    fn retrying(policy: RetryPolicy) -> Self {
        Self {
            retry: Some(policy),
            ..Self::default()
        }
    }
}

fn config(base_url: &str) -> Config {
    Config::new(BaseUrl::new(base_url).unwrap(), Token::new(TOKEN).unwrap())
}

type PostResult = Result<RevUsersScanResponse, ClientError<RevUsersScanPostError>>;

/// `POST /rev-users.scan` through `via`.
fn scan_post(via: Via, base_url: &str, setup: &Setup, body: &RevUsersScanRequest) -> PostResult {
    let config = config(base_url);
    match via {
        Via::Reqwest => {
            let transport = ReqwestTransport::builder()
                .connect_timeout(setup.timeout)
                .timeout(setup.timeout)
                .build()
                .unwrap();
            match (&setup.retry, setup.tokio_sleep) {
                (None, _) => block_on(Client::new(config, transport).rev_users_scan_post(body)),
                (Some(policy), true) => {
                    let transport = Retry::new(transport)
                        .with_policy(policy.clone())
                        .with_sleep(TokioSleep);
                    block_on(Client::new(config, transport).rev_users_scan_post(body))
                }
                (Some(policy), false) => {
                    let transport = Retry::new(transport).with_policy(policy.clone());
                    block_on(Client::new(config, transport).rev_users_scan_post(body))
                }
            }
        }
        Via::Ureq => {
            let mut builder = BlockingClient::builder(config)
                .connect_timeout(setup.timeout)
                .timeout(setup.timeout);
            if let Some(policy) = &setup.retry {
                builder = builder.retry(policy.clone());
            }
            let client = builder.build();
            client.call(
                rev_users_scan_post::request(client.config(), body),
                rev_users_scan_post::response,
            )
        }
    }
}

/// What a transport error says about itself, whichever transport (and retry layer) made it.
#[derive(Debug)]
struct Failure {
    timeout: bool,
    connect: bool,
    attempts: u32,
    text: String,
}

fn failure<E: std::fmt::Debug + std::fmt::Display>(
    result: Result<impl std::fmt::Debug, ClientError<E>>,
) -> Failure {
    let err = match result {
        Err(err) => err,
        Ok(value) => panic!("expected a transport error, got {value:?}"),
    };
    let text = format!("{err} / {err:?}");
    let ClientError::Transport(source) = &err else {
        panic!("expected a transport error, got {err:?}");
    };
    if let Some(e) = source.downcast_ref::<ReqwestError>() {
        return Failure {
            timeout: e.is_timeout(),
            connect: e.is_connect(),
            attempts: 1,
            text,
        };
    }
    if let Some(e) = source.downcast_ref::<RetryError<ReqwestError>>() {
        return Failure {
            timeout: e.last.is_timeout(),
            connect: e.last.is_connect(),
            attempts: e.attempts,
            text,
        };
    }
    if let Some(e) = source.downcast_ref::<BlockingError>() {
        return Failure {
            timeout: e.is_timeout(),
            connect: e.is_connect(),
            attempts: e.attempts(),
            text,
        };
    }
    panic!("an unknown transport error: {err:?}")
}

fn no_retry_wait() -> RetryPolicy {
    RetryPolicy::new()
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5))
}

// ---------------------------------------------------------------------------------------------
// The cases
// ---------------------------------------------------------------------------------------------

#[test]
fn post_sends_method_path_headers_and_json_body_and_decodes_the_seed_200() {
    let body: RevUsersScanRequest = serde_json::from_value(serde_json::json!({
        "cursor": "abc",
        "email": ["a@example.com", "b@example.com"],
        "is_verified": true,
        "created_date": {"type": "range", "after": "2024-01-01T00:00:00Z"}
    }))
    .unwrap();
    let expected: RevUsersScanResponse = serde_json::from_slice(&seed(200)).unwrap();
    for via in BOTH {
        let server = Server::start(vec![respond(200, seed(200))]);
        let result = scan_post(via, &server.base_url(), &Setup::default(), &body);
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
    let built = rev_users_scan::request(&config("http://127.0.0.1:1"), &query).unwrap();
    let target = built.uri().path_and_query().unwrap().as_str().to_owned();
    assert!(target.starts_with("/rev-users.scan?"), "{target}");
    for via in BOTH {
        let server = Server::start(vec![respond(200, seed(200))]);
        let config = config(&server.base_url());
        let setup = Setup::default();
        let result = match via {
            Via::Reqwest => {
                let transport = ReqwestTransport::builder()
                    .timeout(setup.timeout)
                    .build()
                    .unwrap();
                block_on(Client::new(config, transport).rev_users_scan(&query))
            }
            Via::Ureq => {
                let client = BlockingClient::builder(config)
                    .timeout(setup.timeout)
                    .build();
                client.call(
                    rev_users_scan::request(client.config(), &query),
                    rev_users_scan::response,
                )
            }
        };
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
    let statuses = &SEED_STATUSES[1..];
    for via in BOTH {
        let server = Server::start(statuses.iter().map(|s| respond(*s, seed(*s))).collect());
        for &status in statuses {
            let result = scan_post(
                via,
                &server.base_url(),
                &Setup::default(),
                &RevUsersScanRequest::default(),
            );
            let err = match result {
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
        let reply = Reply::Respond {
            status: 502,
            headers: vec![("content-type", "text/html".to_owned())],
            body: page.into(),
        };
        let server = Server::start(vec![reply]);
        let result = scan_post(
            via,
            &server.base_url(),
            &Setup::default(),
            &RevUsersScanRequest::default(),
        );
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
        let server = Server::start(vec![respond(200, Vec::new())]);
        let result = scan_post(
            via,
            &server.base_url(),
            &Setup::default(),
            &RevUsersScanRequest::default(),
        );
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
    let full = seed(200);
    let truncated = full[..full.len() / 2].to_vec();
    for via in BOTH {
        let server = Server::start(vec![respond(200, truncated.clone())]);
        let result = scan_post(
            via,
            &server.base_url(),
            &Setup::default(),
            &RevUsersScanRequest::default(),
        );
        server.finish();
        let Err(ClientError::Api(RevUsersScanPostError::Undecodable(err))) = &result else {
            panic!("{via:?}: expected an undecodable body, got {result:?}");
        };
        assert_eq!(err.response.body, truncated, "{via:?}");
        assert!(err.source.is_eof(), "{via:?}: {}", err.source);
    }
}

#[test]
fn a_body_cut_short_by_the_server_is_a_transport_error() {
    for via in BOTH {
        let server = Server::start(vec![Reply::CutShort { body: seed(200) }]);
        let result = scan_post(
            via,
            &server.base_url(),
            &Setup::default(),
            &RevUsersScanRequest::default(),
        );
        server.finish();
        let failure = failure(result);
        assert!(!failure.timeout && !failure.connect, "{via:?}: {failure:?}");
        assert!(!failure.text.contains(TOKEN), "{via:?}: {failure:?}");
    }
}

#[test]
fn a_stalled_server_times_out_without_naming_the_token() {
    let setup = Setup {
        timeout: Duration::from_millis(200),
        ..Setup::default()
    };
    for via in BOTH {
        let server = Server::start(vec![Reply::Stall]);
        let started = Instant::now();
        let result = scan_post(
            via,
            &server.base_url(),
            &setup,
            &RevUsersScanRequest::default(),
        );
        let elapsed = started.elapsed();
        let failure = failure(result);
        assert!(failure.timeout, "{via:?}: {failure:?}");
        assert!(failure.text.contains("timed out"), "{via:?}: {failure:?}");
        assert!(!failure.text.contains(TOKEN), "{via:?}: {failure:?}");
        assert!(
            elapsed >= Duration::from_millis(150) && elapsed < Duration::from_millis(900),
            "{via:?}: gave up after {elapsed:?}"
        );
        assert_eq!(server.finish().len(), 1, "{via:?}");
    }
}

#[test]
fn a_refused_connection_is_a_connect_error_without_the_token() {
    // A port that was just free: nothing listens on it any more.
    let addr = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    for via in BOTH {
        let result = scan_post(
            via,
            &format!("http://{addr}"),
            &Setup::default(),
            &RevUsersScanRequest::default(),
        );
        let failure = failure(result);
        assert!(failure.connect, "{via:?}: {failure:?}");
        assert!(!failure.timeout, "{via:?}: {failure:?}");
        assert!(
            failure.text.contains("cannot connect"),
            "{via:?}: {failure:?}"
        );
        assert!(!failure.text.contains(TOKEN), "{via:?}: {failure:?}");
    }
}

#[test]
fn retry_waits_out_a_429_with_zero_hints_then_succeeds() {
    let body = RevUsersScanRequest {
        cursor: Some("page-2".to_owned()),
        ..RevUsersScanRequest::default()
    };
    // A long backoff that would show if the zero hints were ignored.
    let policy = RetryPolicy::new()
        .base_delay(Duration::from_secs(5))
        .max_delay(Duration::from_secs(5));
    for via in BOTH {
        let limited = Reply::Respond {
            status: 429,
            headers: vec![
                ("content-type", "application/json".to_owned()),
                ("retry-after", "0".to_owned()),
            ],
            body: seed(429),
        };
        let server = Server::start(vec![limited, respond(200, seed(200))]);
        let started = Instant::now();
        let result = scan_post(
            via,
            &server.base_url(),
            &Setup::retrying(policy.clone()),
            &body,
        );
        let elapsed = started.elapsed();
        let seen = server.finish();
        assert!(result.is_ok(), "{via:?}: {result:?}");
        assert!(
            elapsed < Duration::from_secs(1),
            "{via:?}: took {elapsed:?}"
        );
        assert_eq!(seen.len(), 2, "{via:?}");
        assert_eq!(
            seen[0].body, seen[1].body,
            "{via:?}: the retry resends the body"
        );
        assert_eq!(
            seen[1].one("authorization"),
            format!("Bearer {TOKEN}"),
            "{via:?}"
        );
    }
}

#[test]
fn retry_gives_up_with_the_last_response() {
    for via in BOTH {
        let server = Server::start(vec![respond(503, seed(503)), respond(500, seed(500))]);
        let setup = Setup::retrying(no_retry_wait().max_attempts(2));
        let result = scan_post(
            via,
            &server.base_url(),
            &setup,
            &RevUsersScanRequest::default(),
        );
        assert_eq!(server.finish().len(), 2, "{via:?}");
        assert!(
            matches!(
                result,
                Err(ClientError::Api(
                    RevUsersScanPostError::InternalServerError(_)
                ))
            ),
            "{via:?}: {result:?}"
        );
    }
}

#[test]
fn retry_recovers_from_a_dropped_connection_sleeping_on_a_thread() {
    let setup = Setup {
        tokio_sleep: false,
        ..Setup::retrying(no_retry_wait())
    };
    for via in BOTH {
        let server = Server::start(vec![Reply::HangUp, Reply::HangUp, respond(200, seed(200))]);
        let result = scan_post(
            via,
            &server.base_url(),
            &setup,
            &RevUsersScanRequest::default(),
        );
        assert_eq!(server.finish().len(), 3, "{via:?}");
        assert!(result.is_ok(), "{via:?}: {result:?}");
    }
}

#[test]
fn retry_reports_the_attempts_when_the_connection_keeps_dropping() {
    for via in BOTH {
        let server = Server::start(vec![Reply::HangUp, Reply::HangUp, Reply::HangUp]);
        let setup = Setup::retrying(no_retry_wait().max_attempts(3));
        let result = scan_post(
            via,
            &server.base_url(),
            &setup,
            &RevUsersScanRequest::default(),
        );
        assert_eq!(server.finish().len(), 3, "{via:?}");
        let failure = failure(result);
        assert_eq!(failure.attempts, 3, "{via:?}: {failure:?}");
        assert!(
            failure.text.contains("after 3 attempts"),
            "{via:?}: {failure:?}"
        );
        assert!(!failure.text.contains(TOKEN), "{via:?}: {failure:?}");
    }
}
