//! The `ureq` feature: a blocking client on ureq, with rustls on ring and Mozilla's root
//! certificates, for programs without an async runtime.
//!
//! It drives the same public functions as the async client: an operation's `request` builds the
//! `http::Request`, [`BlockingClient::send`] sends it, and the operation's `response` maps the
//! `http::Response`. Every status comes back as a response, never as a ureq error, so the
//! operations' documented error bodies are decoded as usual.

use std::fmt;
use std::time::{Duration, Instant};

use super::config::Config;
use super::error::ClientError;
use super::request::{RequestError, USER_AGENT};
use super::retry::{Attempts, Jitter, RetryPolicy};
use super::transport::{failure, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};

/// A blocking client: the configuration requests are built with and a ureq agent to send them.
///
/// ```ignore
/// use devrev_client::operations::rev_users_scan_post;
///
/// let config = Config::new(BaseUrl::new(DEFAULT_BASE_URL)?, Token::from_env(TOKEN_ENV)?);
/// let client = BlockingClient::new(config);
/// let body = types::RevUsersScanRequest::default();
/// let users = client.call(
///     rev_users_scan_post::request(client.config(), &body),
///     rev_users_scan_post::response,
/// )?;
/// ```
///
/// Redirects are not followed: the API does not redirect, and following one would turn a `POST`
/// into a `GET` or send the request somewhere else; a 3xx comes back as the operation's
/// unexpected-status error. The agent reads proxies from the usual environment variables.
#[derive(Debug, Clone)]
pub struct BlockingClient {
    config: Config,
    agent: ureq::Agent,
    retry: Option<RetryPolicy>,
}

impl BlockingClient {
    /// A client with the default timeouts (10 s to connect, 60 s for the whole request) that does
    /// not retry.
    pub fn new(config: Config) -> Self {
        Self::builder(config).build()
    }

    /// Starts configuring a client that builds its requests with `config`.
    pub fn builder(config: Config) -> BlockingClientBuilder {
        BlockingClientBuilder {
            config,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            retry: None,
        }
    }

    /// The base URL and token requests are built with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The ureq agent requests go through.
    pub fn agent(&self) -> &ureq::Agent {
        &self.agent
    }

    /// Sends a built request and returns the whole response, whatever its status; retries as the
    /// client's [`RetryPolicy`] says, if it has one.
    pub fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, BlockingError> {
        let target = Target::of(&request);
        let Some(policy) = &self.retry else {
            return self
                .send_once(request)
                .map_err(|err| BlockingError::new(err, target, 1));
        };
        let jitter = Jitter::from_time();
        let mut attempts = Attempts::start(policy, &jitter, Instant::now());
        loop {
            let outcome = self.send_once(request.clone());
            match attempts.after(&outcome, Instant::now()) {
                Some(delay) => std::thread::sleep(delay),
                None => {
                    return outcome.map_err(|err| BlockingError::new(err, target, attempts.made()))
                }
            }
        }
    }

    /// Sends a request built by an operation's `request` function and maps the response with
    /// its `response` function, as the async client's methods do.
    pub fn call<R, E>(
        &self,
        request: Result<http::Request<Vec<u8>>, RequestError>,
        parse: impl FnOnce(http::Response<Vec<u8>>) -> Result<R, E>,
    ) -> Result<R, ClientError<E>> {
        let request = request.map_err(ClientError::Request)?;
        let response = self
            .send(request)
            .map_err(|err| ClientError::Transport(Box::new(err)))?;
        parse(response).map_err(ClientError::Api)
    }

    fn send_once(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, ureq::Error> {
        let (parts, body) = request.into_parts();
        // An empty body on a method that takes none is left out, rather than sent as
        // `Content-Length: 0`.
        let bodyless = body.is_empty()
            && !matches!(
                parts.method,
                http::Method::POST | http::Method::PUT | http::Method::PATCH
            );
        let response = if bodyless {
            self.agent.run(http::Request::from_parts(parts, ()))?
        } else {
            self.agent.run(http::Request::from_parts(parts, body))?
        };
        let (parts, mut body) = response.into_parts();
        // ureq caps bodies at 10 MB unless told otherwise; the async transport has no cap, so
        // neither has this one: the total timeout bounds the read.
        let body = body.with_config().limit(u64::MAX).read_to_vec()?;
        Ok(http::Response::from_parts(parts, body))
    }
}

/// Configures a [`BlockingClient`].
#[derive(Debug, Clone)]
pub struct BlockingClientBuilder {
    config: Config,
    connect_timeout: Duration,
    timeout: Duration,
    retry: Option<RetryPolicy>,
}

impl BlockingClientBuilder {
    /// How long connecting (TCP and TLS) may take; 10 s unless set.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long a whole request may take, from connecting to the last byte of the response; 60 s
    /// unless set. Each attempt has this long when retrying.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Retries 429, 500, 502, 503, 504 and transport errors as `policy` says, sleeping the
    /// calling thread in between. Off unless set.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Builds the client.
    pub fn build(self) -> BlockingClient {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(self.connect_timeout))
            .timeout_global(Some(self.timeout))
            .max_redirects(0)
            // Requests carry their own `User-Agent`; this covers any that do not.
            .user_agent(USER_AGENT)
            .build()
            .new_agent();
        BlockingClient {
            config: self.config,
            agent,
            retry: self.retry,
        }
    }
}

/// A request that got no complete response: a timeout, a failure to connect, or something else
/// below HTTP. Statuses are never errors here.
///
/// Its message names the method and URL but never the token, which travels only in a header.
pub struct BlockingError {
    source: ureq::Error,
    target: Target,
    attempts: u32,
}

/// The method and URL of the failed request, for messages.
#[derive(Debug)]
struct Target {
    method: http::Method,
    uri: http::Uri,
}

impl Target {
    fn of(request: &http::Request<Vec<u8>>) -> Self {
        Self {
            method: request.method().clone(),
            uri: request.uri().clone(),
        }
    }
}

impl BlockingError {
    fn new(source: ureq::Error, target: Target, attempts: u32) -> Self {
        Self {
            source,
            target,
            attempts,
        }
    }

    /// Whether connecting or the whole request took longer than allowed.
    pub fn is_timeout(&self) -> bool {
        match &self.source {
            ureq::Error::Timeout(_) => true,
            ureq::Error::Io(err) => err.kind() == std::io::ErrorKind::TimedOut,
            _ => false,
        }
    }

    /// Whether no connection could be made (refused, unresolvable host, TLS handshake).
    pub fn is_connect(&self) -> bool {
        match &self.source {
            ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => true,
            ureq::Error::Io(err) => matches!(
                err.kind(),
                std::io::ErrorKind::ConnectionRefused | std::io::ErrorKind::AddrNotAvailable
            ),
            _ => false,
        }
    }

    /// How many attempts were made, the last included: more than 1 only when retrying.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The ureq error.
    pub fn ureq(&self) -> &ureq::Error {
        &self.source
    }

    fn what(&self) -> &'static str {
        failure(self.is_timeout(), self.is_connect())
    }
}

impl fmt::Debug for BlockingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlockingError")
            .field("kind", &self.what())
            .field("method", &self.target.method)
            .field("uri", &self.target.uri)
            .field("source", &self.source)
            .field("attempts", &self.attempts)
            .finish()
    }
}

impl fmt::Display for BlockingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Target { method, uri } = &self.target;
        write!(f, "{} ({method} {uri}): {}", self.what(), self.source)?;
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

impl std::error::Error for BlockingError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}


#[cfg(test)]
mod tests;
