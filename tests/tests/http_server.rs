//! Both shipped transports against a real socket: a tiny HTTP/1.1 server on 127.0.0.1, one thread
//! per test, that serves a script of replies, one connection each, and records what it received.
//!
//! Every case runs twice, through `ReqwestTransport` on a current-thread tokio runtime and through
//! the ureq `BlockingClient`. The server checks nothing itself; it hands each request back and the
//! test asserts on it, so a failure names the case and the transport. Every wait is bounded: the
//! server gives up on a silent client after two seconds, stops waiting for connections when the
//! test is done with it, and each case takes milliseconds, except the timeout cases, which wait
//! for their 200 or 300 ms timeouts.
//!
//! The fault cases at the end show what each client does when the network or the server
//! misbehaves, and count arrivals at the server to prove what was sent exactly once.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use devrev_client::operations::{
    rev_users_scan, rev_users_scan_post, RevUsersScanError, RevUsersScanPostError,
    RevUsersScanQuery,
};
use devrev_client::types::{RevUsersScanRequest, RevUsersScanResponse};
use devrev_client::{
    BaseUrl, BlockingClient, Client, ClientBuilder, ClientError, Config, Idempotency,
    ReqwestTransport, Retry, RetryPolicy, ThreadSleep, Token, TransportError, TransportErrorKind,
    UreqTransport, USER_AGENT,
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
    /// Reads the request and resets the connection (a TCP RST, not a close).
    Reset,
    /// Sends the head and part of the body, then stalls until the client hangs up.
    StallMidBody { body: Vec<u8> },
    /// A chunked body that never ends, until the client hangs up or `MAX_ENDLESS` bytes.
    Endless,
    /// Declares a body of `length` bytes and sends a little of it.
    HugeLength { length: u64 },
    /// Sends a body of `length` bytes, one byte every `every`, until done or the client hangs up.
    Drip { length: usize, every: Duration },
}

/// How much of an endless body the server sends at most, so a client that never stops reading
/// still ends the test.
const MAX_ENDLESS: usize = 256 * 1024 * 1024;

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
    /// Set when the test is done with the server: it stops waiting for connections.
    stop: Arc<AtomicBool>,
    thread: JoinHandle<()>,
}

impl Server {
    /// Serves `script` on a fresh loopback port, one reply per connection, then stops.
    fn start(script: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            listener.set_nonblocking(true).unwrap();
            for reply in script {
                let Some(stream) = accept(&listener, &stopped) else {
                    return;
                };
                serve_one(stream, reply, &record);
            }
        });
        Self {
            addr,
            seen,
            stop,
            thread,
        }
    }

    fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Waits for the connection being served, if any, and returns the requests received; the
    /// rest of the script is not served.
    fn finish(self) -> Vec<Seen> {
        self.stop.store(true, Ordering::SeqCst);
        self.thread
            .join()
            .expect("the server thread does not panic");
        Arc::try_unwrap(self.seen)
            .expect("the server is done")
            .into_inner()
            .unwrap()
    }
}

fn accept(listener: &TcpListener, stop: &AtomicBool) -> Option<TcpStream> {
    let deadline = Instant::now() + SERVER_PATIENCE;
    loop {
        match listener.accept() {
            Ok((stream, _)) => return Some(stream),
            Err(e)
                if e.kind() == ErrorKind::WouldBlock
                    && Instant::now() < deadline
                    && !stop.load(Ordering::SeqCst) =>
            {
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
            wait_for_hang_up(&mut stream);
            Ok(())
        }
        Reply::Reset => socket2::SockRef::from(&stream).set_linger(Some(Duration::ZERO)),
        Reply::StallMidBody { body } => {
            write_response(&mut stream, 200, &[], &body[..body.len() / 2], body.len())
                .map(|()| wait_for_hang_up(&mut stream))
        }
        Reply::Endless => endless(&mut stream),
        Reply::HugeLength { length } => {
            let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {length}\r\n\r\n");
            stream
                .write_all(head.as_bytes())
                .and_then(|()| stream.write_all(&[b' '; 4096]))
                .map(|()| wait_for_hang_up(&mut stream))
        }
        Reply::Drip { length, every } => drip(&mut stream, length, every),
    };
}

/// Until the client hangs up (read returns 0 or fails) or our patience runs out.
fn wait_for_hang_up(stream: &mut TcpStream) {
    let mut sink = [0u8; 256];
    while matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
}

fn endless(stream: &mut TcpStream) -> std::io::Result<()> {
    stream.write_all(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")?;
    let chunk = [b' '; 16 * 1024];
    let framed = [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat();
    let mut sent = 0;
    // Fails once the client has hung up and its socket answers with a reset.
    while sent < MAX_ENDLESS {
        stream.write_all(&framed)?;
        sent += chunk.len();
    }
    Ok(())
}

fn drip(stream: &mut TcpStream, length: usize, every: Duration) -> std::io::Result<()> {
    let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {length}\r\n\r\n");
    stream.write_all(head.as_bytes())?;
    for _ in 0..length {
        std::thread::sleep(every);
        stream.write_all(b" ")?;
    }
    Ok(())
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
    body_limit: Option<u64>,
    retry: Option<RetryPolicy>,
    /// With retries: a `Retry` transport around the client's, sleeping on (helper) threads,
    /// rather than the builder's retries (on tokio's timer for reqwest).
    thread_sleep: bool,
}

impl Default for Setup {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(2),
            body_limit: None,
            retry: None,
            thread_sleep: false,
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

    /// The same settings on either client's builder.
    fn apply<T, C>(&self, builder: ClientBuilder<T, C>, base_url: &str) -> ClientBuilder<T, C> {
        let mut builder = builder
            .token(TOKEN)
            .base_url(base_url)
            .connect_timeout(self.timeout)
            .timeout(self.timeout);
        if let Some(limit) = self.body_limit {
            builder = builder.body_limit(limit);
        }
        if let Some(policy) = &self.retry {
            if !self.thread_sleep {
                builder = builder.retry(policy.clone());
            }
        }
        builder
    }
}

fn config(base_url: &str) -> Config {
    Config::new(BaseUrl::new(base_url).unwrap(), Token::new(TOKEN).unwrap())
}

/// The two clients, built the same way from `setup`.
enum Clients {
    Reqwest(Client<ReqwestTransport>),
    ReqwestThreadSleep(Client<Retry<ReqwestTransport, ThreadSleep>>),
    Ureq(BlockingClient<UreqTransport>),
    UreqThreadSleep(BlockingClient<Retry<UreqTransport, ThreadSleep>>),
}

fn client(via: Via, base_url: &str, setup: &Setup) -> Clients {
    match via {
        Via::Reqwest if setup.thread_sleep => {
            let policy = setup.retry.clone().expect("thread sleep is for retries");
            let transport = Retry::new(ReqwestTransport::new().unwrap())
                .with_policy(policy)
                .with_sleep(ThreadSleep);
            let builder = setup.apply(Client::builder(transport), base_url);
            Clients::ReqwestThreadSleep(builder.build().unwrap())
        }
        Via::Reqwest => {
            let builder = setup.apply(Client::builder(ReqwestTransport::new().unwrap()), base_url);
            Clients::Reqwest(builder.build().unwrap())
        }
        Via::Ureq if setup.thread_sleep => {
            let policy = setup.retry.clone().expect("thread sleep is for retries");
            let transport = Retry::new(UreqTransport::new())
                .with_policy(policy)
                .with_sleep(ThreadSleep);
            let builder = setup.apply(BlockingClient::builder(transport), base_url);
            Clients::UreqThreadSleep(builder.build().unwrap())
        }
        Via::Ureq => {
            let builder = setup.apply(BlockingClient::builder(UreqTransport::new()), base_url);
            Clients::Ureq(builder.build().unwrap())
        }
    }
}

type PostResult = Result<RevUsersScanResponse, ClientError<RevUsersScanPostError>>;

/// `POST /rev-users.scan` through `via`: idempotent, as spec/select.yaml marks it.
fn scan_post(via: Via, base_url: &str, setup: &Setup, body: &RevUsersScanRequest) -> PostResult {
    match client(via, base_url, setup) {
        Clients::Reqwest(client) => block_on(client.rev_users_scan_post(body)),
        Clients::ReqwestThreadSleep(client) => block_on(client.rev_users_scan_post(body)),
        Clients::Ureq(client) => client.rev_users_scan_post(body),
        Clients::UreqThreadSleep(client) => client.rev_users_scan_post(body),
    }
}

/// `GET /rev-users.scan` through `via`.
fn scan_get(
    via: Via,
    base_url: &str,
    setup: &Setup,
    query: &RevUsersScanQuery,
) -> Result<RevUsersScanResponse, ClientError<RevUsersScanError>> {
    match client(via, base_url, setup) {
        Clients::Reqwest(client) => block_on(client.rev_users_scan(query)),
        Clients::ReqwestThreadSleep(client) => block_on(client.rev_users_scan(query)),
        Clients::Ureq(client) => client.rev_users_scan(query),
        Clients::UreqThreadSleep(client) => client.rev_users_scan(query),
    }
}

/// A `POST` that must not run twice (a create, say): the scan's request, marked not idempotent,
/// sent with the client's `send`.
fn create(
    via: Via,
    base_url: &str,
    setup: &Setup,
) -> Result<http::Response<Vec<u8>>, TransportError> {
    let request =
        rev_users_scan_post::request(&config(base_url), &RevUsersScanRequest::default()).unwrap();
    let request = Idempotency::NotIdempotent.mark(request);
    match client(via, base_url, setup) {
        Clients::Reqwest(client) => block_on(client.send(request)),
        Clients::ReqwestThreadSleep(client) => block_on(client.send(request)),
        Clients::Ureq(client) => client.send(request),
        Clients::UreqThreadSleep(client) => client.send(request),
    }
}

/// What a transport error says about itself, asked through the client error's own methods.
#[derive(Debug)]
struct Failure {
    kind: TransportErrorKind,
    timeout: bool,
    connect: bool,
    sent: bool,
    attempts: u32,
    text: String,
}

fn failure<E: std::fmt::Debug + std::fmt::Display + std::error::Error + 'static>(
    result: Result<impl std::fmt::Debug, ClientError<E>>,
) -> Failure {
    let err = match result {
        Err(err) => err,
        Ok(value) => panic!("expected a transport error, got {value:?}"),
    };
    let text = format!("{} / {err:?}", report(&err));
    let Some(transport) = err.transport() else {
        panic!("expected a transport error, got {err:?}");
    };
    Failure {
        kind: transport.kind(),
        timeout: err.is_timeout(),
        connect: err.is_connect(),
        sent: err.request_sent(),
        attempts: transport.attempts(),
        text,
    }
}

/// An error and its causes, as a report prints them.
fn report(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut cause = err.source();
    while let Some(err) = cause {
        text.push_str(": ");
        text.push_str(&err.to_string());
        cause = err.source();
    }
    text
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
        let result = scan_get(via, &server.base_url(), &Setup::default(), &query);
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
        assert!(!failure.timeout && !failure.sent, "{via:?}: {failure:?}");
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
        thread_sleep: true,
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

// ---------------------------------------------------------------------------------------------
// Faults: what each client does when the network or the server misbehaves. Retries are on in
// every case, so each shows what is retried and what is not; arrivals are counted server-side.
// ---------------------------------------------------------------------------------------------

/// Retries with waits of a few milliseconds, and enough attempts to show any that happen.
fn eager() -> Setup {
    Setup::retrying(no_retry_wait().max_attempts(5))
}

#[test]
fn a_refused_connection_is_retried_even_for_a_create() {
    let addr = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    for via in BOTH {
        let err = create(via, &format!("http://{addr}"), &eager()).expect_err("refused");
        assert!(err.is_connect() && !err.request_sent(), "{via:?}: {err:?}");
        assert_eq!(
            err.attempts(),
            5,
            "{via:?}: nothing was sent, so every attempt is made"
        );
        assert!(
            err.to_string().contains("after 5 attempts"),
            "{via:?}: {err}"
        );
    }
}

#[test]
fn a_reset_after_the_request_is_not_retried_for_a_create_and_sends_it_exactly_once() {
    for via in BOTH {
        let server = Server::start(vec![Reply::Reset, respond(200, seed(200))]);
        let result = create(via, &server.base_url(), &eager());
        let seen = server.finish();
        assert_eq!(seen.len(), 1, "{via:?}: sent exactly once");
        let err = result.expect_err("the reset is the answer");
        assert_eq!(err.kind(), TransportErrorKind::Closed, "{via:?}: {err:?}");
        assert!(err.request_sent(), "{via:?}: {err:?}");
        assert_eq!(err.attempts(), 1, "{via:?}");
        assert!(!format!("{err} {err:?}").contains(TOKEN), "{via:?}");
    }
}

#[test]
fn a_reset_after_the_request_is_retried_for_a_get_and_a_configured_idempotent_post() {
    for via in BOTH {
        let server = Server::start(vec![Reply::Reset, respond(200, seed(200))]);
        let result = scan_get(
            via,
            &server.base_url(),
            &eager(),
            &RevUsersScanQuery::default(),
        );
        assert_eq!(server.finish().len(), 2, "{via:?}: GET sent again");
        assert!(result.is_ok(), "{via:?}: {result:?}");

        let server = Server::start(vec![Reply::Reset, respond(200, seed(200))]);
        let result = scan_post(
            via,
            &server.base_url(),
            &eager(),
            &RevUsersScanRequest::default(),
        );
        assert_eq!(
            server.finish().len(),
            2,
            "{via:?}: the scan POST sent again"
        );
        assert!(result.is_ok(), "{via:?}: {result:?}");
    }
}

#[test]
fn a_stall_before_the_headers_times_out_and_a_create_is_not_sent_again() {
    let setup = Setup {
        timeout: Duration::from_millis(200),
        ..eager()
    };
    for via in BOTH {
        let server = Server::start(vec![Reply::Stall, respond(200, seed(200))]);
        let started = Instant::now();
        let err = create(via, &server.base_url(), &setup).expect_err("a timeout");
        let elapsed = started.elapsed();
        assert_eq!(server.finish().len(), 1, "{via:?}: sent exactly once");
        assert!(err.is_timeout() && err.request_sent(), "{via:?}: {err:?}");
        assert!(elapsed < Duration::from_millis(900), "{via:?}: {elapsed:?}");
    }
}

#[test]
fn a_stall_mid_body_times_out_then_an_idempotent_scan_is_retried() {
    let setup = Setup {
        timeout: Duration::from_millis(200),
        ..eager()
    };
    for via in BOTH {
        let replies = vec![
            Reply::StallMidBody { body: seed(200) },
            respond(200, seed(200)),
        ];
        let server = Server::start(replies);
        let result = scan_post(
            via,
            &server.base_url(),
            &setup,
            &RevUsersScanRequest::default(),
        );
        assert_eq!(server.finish().len(), 2, "{via:?}");
        assert!(result.is_ok(), "{via:?}: {result:?}");

        let server = Server::start(vec![Reply::StallMidBody { body: seed(200) }]);
        let started = Instant::now();
        let result = scan_post(
            via,
            &server.base_url(),
            &Setup {
                timeout: Duration::from_millis(200),
                ..Setup::default()
            },
            &RevUsersScanRequest::default(),
        );
        let elapsed = started.elapsed();
        server.finish();
        let failure = failure(result);
        assert!(failure.timeout && failure.sent, "{via:?}: {failure:?}");
        assert!(elapsed < Duration::from_millis(900), "{via:?}: {elapsed:?}");
    }
}

#[test]
fn a_close_mid_body_is_a_closed_connection_sent_once_for_a_create() {
    for via in BOTH {
        let server = Server::start(vec![
            Reply::CutShort { body: seed(200) },
            respond(200, seed(200)),
        ]);
        let err = create(via, &server.base_url(), &eager()).expect_err("cut short");
        assert_eq!(server.finish().len(), 1, "{via:?}");
        assert_eq!(err.kind(), TransportErrorKind::Closed, "{via:?}: {err:?}");
        assert!(err.request_sent(), "{via:?}");
    }
}

#[test]
fn an_endless_chunked_body_stops_at_the_limit_and_is_not_retried() {
    let limit = 64 * 1024;
    let setup = Setup {
        body_limit: Some(limit),
        ..eager()
    };
    for via in BOTH {
        let server = Server::start(vec![Reply::Endless, Reply::Endless]);
        let started = Instant::now();
        let result = scan_post(
            via,
            &server.base_url(),
            &setup,
            &RevUsersScanRequest::default(),
        );
        let elapsed = started.elapsed();
        assert_eq!(
            server.finish().len(),
            1,
            "{via:?}: the same body would come again"
        );
        let failure = failure(result);
        assert_eq!(
            failure.kind,
            TransportErrorKind::BodyTooLarge { limit },
            "{via:?}: {failure:?}"
        );
        assert!(
            failure.text.contains(&format!("{limit} bytes")),
            "{via:?}: the message names the limit: {failure:?}"
        );
        assert!(elapsed < Duration::from_secs(1), "{via:?}: {elapsed:?}");
    }
}

#[test]
fn a_huge_content_length_fails_before_the_body_is_read() {
    for via in BOTH {
        let server = Server::start(vec![Reply::HugeLength { length: 1 << 40 }]);
        let started = Instant::now();
        let result = scan_post(
            via,
            &server.base_url(),
            &Setup::default(),
            &RevUsersScanRequest::default(),
        );
        let elapsed = started.elapsed();
        server.finish();
        let failure = failure(result);
        assert_eq!(
            failure.kind,
            TransportErrorKind::BodyTooLarge {
                limit: devrev_client::DEFAULT_BODY_LIMIT
            },
            "{via:?}: {failure:?}"
        );
        assert!(elapsed < Duration::from_secs(1), "{via:?}: {elapsed:?}");
    }
}

#[test]
fn a_body_dripped_slower_than_the_total_timeout_times_out() {
    let setup = Setup {
        timeout: Duration::from_millis(300),
        ..Setup::default()
    };
    for via in BOTH {
        let drip = Reply::Drip {
            length: 200,
            every: Duration::from_millis(20),
        };
        let server = Server::start(vec![drip]);
        let started = Instant::now();
        let result = scan_post(
            via,
            &server.base_url(),
            &setup,
            &RevUsersScanRequest::default(),
        );
        let elapsed = started.elapsed();
        server.finish();
        let failure = failure(result);
        assert!(failure.timeout, "{via:?}: {failure:?}");
        assert!(
            elapsed >= Duration::from_millis(250) && elapsed < Duration::from_millis(1500),
            "{via:?}: the total timeout covers the body: {elapsed:?}"
        );
    }
}

#[test]
fn a_429_with_a_huge_retry_after_waits_only_the_capped_delay() {
    let policy = RetryPolicy::new()
        .max_delay(Duration::from_millis(50))
        .budget(Duration::from_secs(5));
    for via in BOTH {
        let limited = Reply::Respond {
            status: 429,
            headers: vec![("retry-after", "86000".to_owned())],
            body: seed(429),
        };
        let server = Server::start(vec![limited, respond(200, seed(200))]);
        let started = Instant::now();
        let result = create(via, &server.base_url(), &Setup::retrying(policy.clone()));
        let elapsed = started.elapsed();
        assert_eq!(
            server.finish().len(),
            2,
            "{via:?}: a 429 is retried even for a create"
        );
        assert_eq!(result.unwrap().status(), 200, "{via:?}");
        assert!(elapsed < Duration::from_secs(1), "{via:?}: {elapsed:?}");
    }
}

#[test]
fn a_503_forever_ends_with_the_budget_and_the_last_response() {
    let policy = RetryPolicy::new()
        .max_attempts(1000)
        .base_delay(Duration::from_millis(20))
        .max_delay(Duration::from_millis(40))
        .budget(Duration::from_millis(300));
    for via in BOTH {
        let server = Server::start((0..100).map(|_| respond(503, seed(503))).collect());
        let started = Instant::now();
        let result = scan_post(
            via,
            &server.base_url(),
            &Setup::retrying(policy.clone()),
            &RevUsersScanRequest::default(),
        );
        let elapsed = started.elapsed();
        let arrivals = server.finish().len();
        assert!(
            matches!(
                result,
                Err(ClientError::Api(RevUsersScanPostError::ServiceUnavailable(
                    _
                )))
            ),
            "{via:?}: {result:?}"
        );
        assert!((2..100).contains(&arrivals), "{via:?}: {arrivals} arrivals");
        assert!(elapsed < Duration::from_secs(1), "{via:?}: {elapsed:?}");
    }
}

#[test]
fn a_503_without_retry_after_is_not_retried_for_a_create() {
    for via in BOTH {
        let server = Server::start(vec![respond(503, seed(503)), respond(200, seed(200))]);
        let result = create(via, &server.base_url(), &eager());
        assert_eq!(server.finish().len(), 1, "{via:?}");
        assert_eq!(result.unwrap().status(), 503, "{via:?}");
    }
}
