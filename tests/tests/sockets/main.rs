//! Both shipped transports against a real socket: the kit's loopback server (`tests::Server`)
//! plays a script of replies, one connection each, and records what it received; the test
//! asserts on it, so a failure names the case and the transport.
//!
//! Every case runs twice, through `ReqwestTransport` on a current-thread tokio runtime and through
//! the ureq `BlockingClient`. `transports` holds what a working server sees and answers; `faults`
//! what each client does when the network or the server misbehaves, with retries on, counting
//! arrivals at the server to prove what was sent exactly once. Each case takes milliseconds,
//! except the timeout cases, which wait for their 200 or 300 ms timeouts.

mod faults;
mod transports;

use std::time::Duration;

use devrev_client::operations::{RevUsersScanError, RevUsersScanPostError, RevUsersScanQuery};
use devrev_client::types::{RevUser, RevUsersScanRequest, RevUsersScanResponse};
use devrev_client::{
    BlockingClient, BlockingTransport, Client, ClientBuilder, ClientError, ReqwestTransport, Retry,
    RetryPolicy, ThreadSleep, Transport, TransportError, TransportErrorKind, UreqTransport,
};
use tests::block_on;

const TOKEN: &str = "test-token-7f3a9c";

/// A documented example body, as the server sends it.
fn documented(status: u16) -> Vec<u8> {
    tests::documented(status).as_bytes().to_vec()
}

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
        if let (Some(policy), false) = (&self.retry, self.thread_sleep) {
            builder = builder.retry(policy.clone());
        }
        builder
    }

    /// The policy of a `Retry` transport sleeping on threads, if the setup asks for one.
    fn thread_retry(&self) -> Option<RetryPolicy> {
        self.retry.clone().filter(|_| self.thread_sleep)
    }
}

type PostResult = Result<RevUsersScanResponse, ClientError<RevUsersScanPostError>>;
type GetResult = Result<RevUsersScanResponse, ClientError<RevUsersScanError>>;

/// The calls the cases make, the same on the async and the blocking client.
trait Caller {
    /// `POST /rev-users.scan`: idempotent, as spec/select.yaml marks it.
    fn scan_post(&self, body: &RevUsersScanRequest) -> PostResult;
    /// `GET /rev-users.scan`.
    fn scan_get(&self, query: &RevUsersScanQuery) -> GetResult;
    /// Every item of the paginated `POST /rev-users.scan`.
    fn scan_all(&self) -> Vec<Result<RevUser, ClientError<RevUsersScanPostError>>>;
    /// A request sent with the client's `send`.
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError>;
}

impl<T: Transport> Caller for Client<T> {
    fn scan_post(&self, body: &RevUsersScanRequest) -> PostResult {
        block_on(self.rev_users_scan_post(body))
    }

    fn scan_get(&self, query: &RevUsersScanQuery) -> GetResult {
        block_on(self.rev_users_scan(query))
    }

    fn scan_all(&self) -> Vec<Result<RevUser, ClientError<RevUsersScanPostError>>> {
        let mut scan = self.rev_users_scan_post_all(RevUsersScanRequest::default());
        block_on(async {
            let mut items = Vec::new();
            while let Some(item) = scan.next().await {
                items.push(item);
            }
            items
        })
    }

    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        block_on(Client::send(self, request))
    }
}

impl<T: BlockingTransport> Caller for BlockingClient<T> {
    fn scan_post(&self, body: &RevUsersScanRequest) -> PostResult {
        self.rev_users_scan_post(body)
    }

    fn scan_get(&self, query: &RevUsersScanQuery) -> GetResult {
        self.rev_users_scan(query)
    }

    fn scan_all(&self) -> Vec<Result<RevUser, ClientError<RevUsersScanPostError>>> {
        self.rev_users_scan_post_all(RevUsersScanRequest::default())
            .collect()
    }

    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        BlockingClient::send(self, request)
    }
}

/// The client `via` names, built from `setup`.
fn client(via: Via, base_url: &str, setup: &Setup) -> Box<dyn Caller> {
    let retry = setup.thread_retry();
    match via {
        Via::Reqwest => {
            let transport = ReqwestTransport::new().expect("a reqwest client");
            match retry {
                Some(policy) => {
                    let transport = Retry::new(transport).with_policy(policy);
                    let builder = Client::builder(transport.with_sleep(ThreadSleep));
                    Box::new(setup.apply(builder, base_url).build().expect("a client"))
                }
                None => {
                    let builder = Client::builder(transport);
                    Box::new(setup.apply(builder, base_url).build().expect("a client"))
                }
            }
        }
        Via::Ureq => {
            let transport = UreqTransport::new();
            match retry {
                Some(policy) => {
                    let transport = Retry::new(transport).with_policy(policy);
                    let builder = BlockingClient::builder(transport.with_sleep(ThreadSleep));
                    Box::new(setup.apply(builder, base_url).build().expect("a client"))
                }
                None => {
                    let builder = BlockingClient::builder(transport);
                    Box::new(setup.apply(builder, base_url).build().expect("a client"))
                }
            }
        }
    }
}

/// What a transport error says about itself, asked through the client error's own methods.
#[derive(Debug)]
struct Failure {
    kind: TransportErrorKind,
    timeout: bool,
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
