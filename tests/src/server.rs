//! A loopback HTTP/1.1 server that plays a script: one reply per connection, in order, and a
//! record of every request it read, for the test to assert on.
//!
//! Requests are parsed with httparse (hyper's parser); replies are written by hand, because the
//! point is to misbehave on cue: reset after reading the request, stall before the headers or
//! in the middle of the body, close mid-body, drip, declare a huge body, send one that never
//! ends. Every wait is bounded: the server gives up on a silent client after
//! [`SERVER_PATIENCE`], and stops waiting for connections once the test calls
//! [`Server::finish`].

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long the server waits for a client to connect or to speak.
pub const SERVER_PATIENCE: Duration = Duration::from_secs(2);

/// How much of an endless body the server sends at most, so a client that never stops reading
/// still ends the test.
const MAX_ENDLESS: usize = 256 * 1024 * 1024;

/// What the server does with one connection, once it has read the request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Answers with a status, headers and a body (`content-length` and `connection: close`
    /// are added).
    Respond {
        /// The status code.
        status: u16,
        /// Headers besides `content-length` and `connection`.
        headers: Vec<(String, String)>,
        /// The body.
        body: Vec<u8>,
    },
    /// Never answers, until the client hangs up.
    Stall,
    /// Closes the connection without a word.
    HangUp,
    /// Promises 100 more body bytes than it sends, then closes.
    CutShort {
        /// What it sends of the body.
        body: Vec<u8>,
    },
    /// Resets the connection (a TCP RST, not a close).
    Reset,
    /// Sends the head and half of the body, then stalls until the client hangs up.
    StallMidBody {
        /// The whole body the head announces.
        body: Vec<u8>,
    },
    /// A chunked body that never ends, until the client hangs up.
    Endless,
    /// Declares a body of `length` bytes, sends 4 KiB of it and stalls.
    HugeLength {
        /// The declared `content-length`.
        length: u64,
    },
    /// Sends a body of `length` bytes, one byte every `every`, until done or the client hangs up.
    Drip {
        /// The body's length.
        length: usize,
        /// The pause before each byte.
        every: Duration,
    },
}

impl Reply {
    /// A JSON answer: `status` with `content-type: application/json` and `body`.
    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self::Respond {
            status,
            headers: vec![("content-type".to_owned(), "application/json".to_owned())],
            body: body.into(),
        }
    }

    /// This answer with one more header; only for [`Reply::Respond`].
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match &mut self {
            Self::Respond { headers, .. } => headers.push((name.to_owned(), value.to_owned())),
            other => panic!("only a response has headers, not {other:?}"),
        }
        self
    }
}

/// A request as the server read it.
#[derive(Debug, Clone)]
pub struct Seen {
    /// The method.
    pub method: String,
    /// The request target: path and query.
    pub target: String,
    /// Names lowercased, in the order sent.
    pub headers: Vec<(String, String)>,
    /// The body, as long as `content-length` said.
    pub body: Vec<u8>,
}

impl Seen {
    /// Every value of the header `name` (lowercase).
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The one value of the header `name`; fails if it is missing or repeated.
    pub fn one(&self, name: &str) -> &str {
        match self.all(name)[..] {
            [value] => value,
            ref values => panic!("header {name}: expected one value, got {values:?}"),
        }
    }

    /// The body as text.
    pub fn text(&self) -> &str {
        std::str::from_utf8(&self.body).expect("a UTF-8 request body")
    }
}

/// A server on a fresh loopback port playing a script, one reply per connection.
pub struct Server {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    /// Set when the test is done with the server: it stops waiting for connections.
    stop: Arc<AtomicBool>,
    thread: JoinHandle<()>,
}

impl Server {
    /// Serves `script`, one reply per connection, then stops.
    pub fn start(script: impl IntoIterator<Item = Reply>) -> Self {
        let script: Vec<Reply> = script.into_iter().collect();
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let addr = listener.local_addr().expect("the bound address");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            listener
                .set_nonblocking(true)
                .expect("a non-blocking listener");
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

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Waits for the connection being served, if any, and returns the requests received; the
    /// rest of the script is not served.
    pub fn finish(self) -> Vec<Seen> {
        self.stop.store(true, Ordering::SeqCst);
        self.thread
            .join()
            .expect("the server thread does not panic");
        Arc::try_unwrap(self.seen)
            .expect("the server is done")
            .into_inner()
            .expect("not poisoned")
    }
}

/// Answers every request with `answer(&request)`, which must be a [`Reply::Respond`], over
/// keep-alive connections served one at a time, for as long as the process lives: for a bench
/// whose client keeps one connection for a whole scan. Returns the address.
pub fn keep_alive(answer: impl Fn(&Seen) -> Reply + Send + 'static) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let addr = listener.local_addr().expect("the bound address");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else {
                return;
            };
            let _ = stream.set_nodelay(true);
            while let Some(seen) = read_request(&mut stream) {
                let Reply::Respond {
                    status,
                    headers,
                    body,
                } = answer(&seen)
                else {
                    panic!("a keep-alive server only responds");
                };
                let written = write_head(&mut stream, status, &headers, body.len() as u64, false)
                    .and_then(|()| stream.write_all(&body));
                if written.is_err() {
                    break;
                }
            }
        }
    });
    addr
}

/// The base URL of a loopback port nothing listens on: connecting is refused at once.
pub fn closed_port() -> String {
    let addr = TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a loopback port");
    format!("http://{addr}")
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
    stream.set_nonblocking(false).expect("a blocking stream");
    stream
        .set_read_timeout(Some(SERVER_PATIENCE))
        .expect("a read timeout");
    let Some(seen) = read_request(&mut stream) else {
        return;
    };
    record.lock().expect("not poisoned").push(seen);
    // A client that gave up already makes the writes fail; that is its business.
    let _ = match reply {
        Reply::Respond {
            status,
            headers,
            body,
        } => write_head(&mut stream, status, &headers, body.len() as u64, true)
            .and_then(|()| stream.write_all(&body)),
        Reply::CutShort { body } => {
            write_head(&mut stream, 200, &[], body.len() as u64 + 100, true)
                .and_then(|()| stream.write_all(&body))
        }
        Reply::HangUp => Ok(()),
        Reply::Stall => {
            wait_for_hang_up(&mut stream);
            Ok(())
        }
        Reply::Reset => socket2::SockRef::from(&stream).set_linger(Some(Duration::ZERO)),
        Reply::StallMidBody { body } => write_head(&mut stream, 200, &[], body.len() as u64, true)
            .and_then(|()| stream.write_all(&body[..body.len() / 2]))
            .map(|()| wait_for_hang_up(&mut stream)),
        Reply::Endless => endless(&mut stream),
        Reply::HugeLength { length } => write_head(&mut stream, 200, &[], length, true)
            .and_then(|()| stream.write_all(&[b' '; 4096]))
            .map(|()| wait_for_hang_up(&mut stream)),
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
    write_head(stream, 200, &[], length as u64, true)?;
    for _ in 0..length {
        std::thread::sleep(every);
        stream.write_all(b" ")?;
    }
    Ok(())
}

/// Reads one request, head parsed by httparse and a `content-length` body; `None` if the
/// client hangs up or falls silent first.
fn read_request(stream: &mut TcpStream) -> Option<Seen> {
    let mut data = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut request = httparse::Request::new(&mut headers);
        match request.parse(&data) {
            Ok(httparse::Status::Complete(head_len)) => {
                let seen = Seen {
                    method: request.method?.to_owned(),
                    target: request.path?.to_owned(),
                    headers: request
                        .headers
                        .iter()
                        .map(|h| {
                            let value = String::from_utf8_lossy(h.value).into_owned();
                            (h.name.to_ascii_lowercase(), value)
                        })
                        .collect(),
                    body: Vec::new(),
                };
                return read_body(stream, seen, data.split_off(head_len));
            }
            Ok(httparse::Status::Partial) => {}
            Err(e) => panic!("the client sent a malformed request head ({e}): {data:?}"),
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(n) => data.extend_from_slice(&chunk[..n]),
        }
    }
}

fn read_body(stream: &mut TcpStream, mut seen: Seen, mut body: Vec<u8>) -> Option<Seen> {
    assert!(
        seen.all("transfer-encoding").is_empty(),
        "the clients send bodies with a content-length: {seen:?}"
    );
    let length: usize = seen
        .all("content-length")
        .first()
        .map_or(0, |v| v.parse().expect("a numeric content-length"));
    let mut chunk = [0u8; 4096];
    while body.len() < length {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    seen.body = body;
    Some(seen)
}

fn write_head(
    stream: &mut TcpStream,
    status: u16,
    headers: &[(String, String)],
    content_length: u64,
    close: bool,
) -> std::io::Result<()> {
    let reason = http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Whatever");
    let mut head = format!("HTTP/1.1 {status} {reason}\r\ncontent-length: {content_length}\r\n");
    if close {
        head.push_str("connection: close\r\n");
    }
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())
}
