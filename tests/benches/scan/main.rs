//! Peak memory of a full pagination: `rev_users_scan_post_all` over 100,000 users in pages of
//! 100, against the same scan over 1,000 users. A constant-memory paginator makes the ratio ~1.
//!
//! And the client's cost: the same 100,000-user scan written by hand, a loop of raw requests
//! through the same transport that decodes each page into the same `RevUsersScanResponse` and
//! follows `next_cursor`, against the paginator. The ratio of their wall times is what the
//! client's request building, response mapping and pagination add.
//!
//! This process serves generated pages over HTTP/1.1 on 127.0.0.1 (the tests' keep-alive
//! loopback server) and runs each scan in a fresh child process (itself, with `--child`), so the child's `VmHWM` holds only the client: the
//! server's buffers are in another process. The child reads pages through a minimal keep-alive
//! HTTP transport over `std::net`, so no HTTP library's caches are measured either.
//!
//! `cargo bench -p tests --bench scan [-- --users N --baseline N --page N --runs N]`

#[path = "../common/mod.rs"]
mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::task::{Context, Poll, Waker};
use std::time::Instant;

use devrev_client::types::{RevUsersScanRequest, RevUsersScanResponse};
use devrev_client::{Client, Transport, TransportError};

/// The system allocator, counting live heap bytes so the child can report its peak of live data
/// besides `VmHWM`, which also holds what the allocator keeps but does not use.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK_LIVE: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        new
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

fn grew(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK_LIVE.fetch_max(live, Ordering::Relaxed);
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() {
    if common::flag("--child") {
        return child();
    }
    let users = common::arg("--users", 100_000u64);
    let baseline = common::arg("--baseline", 1_000u64);
    let page = common::arg("--page", 100u64);
    let runs = common::arg("--runs", 3usize);

    // Runs alternate between the baseline, the big scan and the hand-written loop, so drift
    // hits all three alike.
    let mut peaks = [Vec::new(), Vec::new()];
    let mut heaps = [Vec::new(), Vec::new()];
    let mut rates = [Vec::new(), Vec::new()];
    let mut overheads = Vec::new();
    for _ in 0..runs {
        for (i, total) in [baseline, users].into_iter().enumerate() {
            let server = serve(total, page);
            let figures = run_child(server, total, Scan::Client);
            peaks[i].push(figures.peak_kib as f64);
            heaps[i].push(figures.peak_heap_kib as f64);
            rates[i].push(figures.users_per_s);
        }
        let raw = run_child(serve(users, page), users, Scan::Raw);
        let client = rates[1].last().copied().unwrap_or(f64::NAN);
        overheads.push(raw.users_per_s / client);
    }
    let baseline_peak = common::median(&mut peaks[0]);
    let peak = common::median(&mut peaks[1]);
    common::report("scan.page", page as f64);
    common::report("scan.baseline_users", baseline as f64);
    common::report("scan.baseline_peak_kib", baseline_peak);
    common::report("scan.users", users as f64);
    common::report("scan.peak_kib", peak);
    common::report("scan.peak_ratio", peak / baseline_peak);
    let baseline_heap = common::median(&mut heaps[0]);
    let heap = common::median(&mut heaps[1]);
    common::report("scan.baseline_peak_heap_kib", baseline_heap);
    common::report("scan.peak_heap_kib", heap);
    common::report("scan.peak_heap_ratio", heap / baseline_heap);
    common::report("scan.users_per_s", common::median(&mut rates[1]));
    // Wall time of the paginator over that of the hand-written loop, the same users.
    common::report("scan.overhead", common::median(&mut overheads));
}

/// How the child scans.
#[derive(Clone, Copy)]
enum Scan {
    /// Through the client's paginator.
    Client,
    /// By hand: raw requests through the same transport.
    Raw,
}

struct Figures {
    peak_kib: u64,
    peak_heap_kib: u64,
    users_per_s: f64,
}

/// Scans `total` users from the server at `addr` in a fresh process and reads its figures.
fn run_child(addr: SocketAddr, total: u64, scan: Scan) -> Figures {
    let mut command = Command::new(std::env::current_exe().expect("the bench's own path"));
    command
        .args(["--child", "--addr", &addr.to_string()])
        .args(["--users", &total.to_string()]);
    if let Scan::Raw = scan {
        command.arg("--raw");
    }
    let output = command.output().expect("start the scan child");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the scan child failed: {}{}",
        stdout,
        String::from_utf8_lossy(&output.stderr)
    );
    let field = |key: &str| -> f64 {
        stdout
            .lines()
            .find_map(|line| line.strip_prefix(key)?.trim().parse().ok())
            .unwrap_or_else(|| panic!("the child did not report {key}: {stdout}"))
    };
    Figures {
        peak_kib: field("peak_kib ") as u64,
        peak_heap_kib: field("peak_heap_kib ") as u64,
        users_per_s: field("users_per_s "),
    }
}

/// The child: one full scan, then its peak RSS.
fn child() {
    let addr: SocketAddr = common::arg("--addr", String::new())
        .parse()
        .expect("--addr");
    let expected = common::arg("--users", 0u64);
    let transport = Loopback::connect(addr);
    if common::flag("--raw") {
        let started = Instant::now();
        let (count, id_bytes) = raw_scan(&transport, addr);
        return report_child(started, count, expected, id_bytes);
    }
    let client = Client::builder(transport)
        .base_url(format!("http://{addr}"))
        .token("bench-token")
        .build()
        .expect("a loopback client");
    let started = Instant::now();
    let mut scan = client.rev_users_scan_post_all(RevUsersScanRequest::default());
    let (mut count, mut id_bytes) = (0u64, 0usize);
    while let Some(user) = block_on(scan.next()) {
        let user = user.expect("every page decodes");
        count += 1;
        id_bytes += user.id.len();
    }
    report_child(started, count, expected, id_bytes);
}

/// The scan a user would write without the client: build each request by hand, send it through
/// the transport, decode the page into the crate's response type, follow its cursor.
fn raw_scan(transport: &Loopback, addr: SocketAddr) -> (u64, usize) {
    let (mut count, mut id_bytes) = (0u64, 0usize);
    let mut cursor: Option<String> = None;
    loop {
        let body = match &cursor {
            Some(cursor) => serde_json::to_vec(&serde_json::json!({ "cursor": cursor })),
            None => serde_json::to_vec(&serde_json::json!({})),
        }
        .expect("a request body");
        let request = http::Request::post(format!("http://{addr}/rev-users.scan"))
            .header("authorization", "bench-token")
            .header("content-type", "application/json")
            .header("accept", "application/json")
            .body(body)
            .expect("a request");
        let response = transport.exchange(request).expect("a page");
        assert_eq!(response.status(), 200);
        let page: RevUsersScanResponse =
            serde_json::from_slice(response.body()).expect("every page decodes");
        for user in &page.rev_users {
            count += 1;
            id_bytes += user.id.len();
        }
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return (count, id_bytes),
        }
    }
}

/// Prints the child's figures for the parent.
fn report_child(started: Instant, count: u64, expected: u64, id_bytes: usize) {
    let elapsed = started.elapsed().as_secs_f64();
    assert_eq!(count, expected, "the scan saw every user");
    assert!(id_bytes > 0);
    let peak = common::peak_rss_kib().expect("VmHWM in /proc/self/status");
    println!("peak_kib {peak}");
    println!("peak_heap_kib {}", PEAK_LIVE.load(Ordering::Relaxed) / 1024);
    println!("users_per_s {}", count as f64 / elapsed);
}

/// Polls a future that never waits: the transport below blocks instead.
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
}

/// Starts the kit's keep-alive server on an ephemeral loopback port, serving a scan of `total`
/// users in pages of `page`, generating each page when it is asked for.
fn serve(total: u64, page: u64) -> SocketAddr {
    tests::server::keep_alive(move |request| {
        let request: serde_json::Value = serde_json::from_slice(&request.body).unwrap_or_default();
        let start = request
            .get("cursor")
            .and_then(|c| c.as_str())
            .and_then(common::offset_of)
            .unwrap_or(0);
        tests::Reply::json(200, common::page(common::SEED, start, page, total))
    })
}

/// Reads one HTTP/1.1 response with a `content-length` body: its status line and body. `None`
/// at a clean end of stream.
fn read_message(reader: &mut impl BufRead) -> std::io::Result<Option<(String, Vec<u8>)>> {
    let mut start = String::new();
    if reader.read_line(&mut start)? == 0 {
        return Ok(None);
    }
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().map_err(std::io::Error::other)?;
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok(Some((start.trim_end().to_owned(), body)))
}

/// A blocking HTTP/1.1 client over one keep-alive loopback connection.
struct Loopback {
    connection: Mutex<(BufReader<TcpStream>, TcpStream)>,
}

impl Loopback {
    fn connect(addr: SocketAddr) -> Self {
        let stream = TcpStream::connect(addr).expect("connect to the bench server");
        stream.set_nodelay(true).expect("TCP_NODELAY");
        let reader = BufReader::new(stream.try_clone().expect("clone the stream"));
        Self {
            connection: Mutex::new((reader, stream)),
        }
    }

    fn exchange(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> std::io::Result<http::Response<Vec<u8>>> {
        let mut connection = self.connection.lock().unwrap();
        let (reader, writer) = &mut *connection;
        let target = request
            .uri()
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        let mut head = format!("{} {target} HTTP/1.1\r\n", request.method());
        for (name, value) in request.headers() {
            let value = value.to_str().map_err(std::io::Error::other)?;
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("content-length: {}\r\n\r\n", request.body().len()));
        writer.write_all(head.as_bytes())?;
        writer.write_all(request.body())?;
        writer.flush()?;
        let (status_line, body) = read_message(reader)?
            .ok_or_else(|| std::io::Error::other("the server closed the connection"))?;
        let status: u16 = status_line
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("bad status line {status_line:?}")))?;
        http::Response::builder()
            .status(status)
            .body(body)
            .map_err(std::io::Error::other)
    }
}

impl Transport for Loopback {
    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        Ok(self.exchange(request)?)
    }
}
