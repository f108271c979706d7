//! The `reqwest` feature: a [`Transport`] on reqwest, with rustls on ring and Mozilla's root
//! certificates (no OpenSSL, no aws-lc), and a [`Sleep`] on tokio's timer for [`Retry`].
//!
//! It only moves bytes: the request arrives fully built (URL, token, `User-Agent`, JSON body) and
//! the response leaves whole, whatever its status.
//!
//! [`Retry`]: super::retry::Retry

use std::fmt;
use std::future::Future;
use std::time::Duration;

use super::request::USER_AGENT;
use super::retry::Sleep;
use super::transport::{failure, Transport, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};

/// Sends requests with a [`reqwest::Client`]; needs a tokio runtime, as reqwest does.
///
/// Redirects are not followed: the API does not redirect, and following one would turn a `POST`
/// into a `GET` or send the request somewhere else; a 3xx comes back as the operation's
/// unexpected-status error.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: ::reqwest::Client,
}

impl ReqwestTransport {
    /// A transport with the default timeouts: 10 s to connect, 60 s for the whole request.
    pub fn new() -> Result<Self, ReqwestError> {
        Self::builder().build()
    }

    /// Starts configuring a transport.
    pub fn builder() -> ReqwestTransportBuilder {
        ReqwestTransportBuilder {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// Sends requests with a client you configured yourself (proxies, certificates, ...). The
    /// requests still carry this crate's `User-Agent`, which overrides the client's.
    pub fn from_client(client: ::reqwest::Client) -> Self {
        Self { client }
    }

    /// The reqwest client requests go through.
    pub fn client(&self) -> &::reqwest::Client {
        &self.client
    }
}

/// Configures a [`ReqwestTransport`].
#[derive(Debug, Clone)]
pub struct ReqwestTransportBuilder {
    connect_timeout: Duration,
    timeout: Duration,
}

impl ReqwestTransportBuilder {
    /// How long connecting (TCP and TLS) may take; 10 s unless set.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long a whole request may take, from connecting to the last byte of the response; 60 s
    /// unless set.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Builds the transport; fails only if the TLS setup does.
    pub fn build(self) -> Result<ReqwestTransport, ReqwestError> {
        let client = ::reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .user_agent(USER_AGENT)
            .redirect(::reqwest::redirect::Policy::none())
            .build()?;
        Ok(ReqwestTransport { client })
    }
}

impl Transport for ReqwestTransport {
    type Error = ReqwestError;

    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, ReqwestError> {
        let request = ::reqwest::Request::try_from(request)?;
        let mut response = self.client.execute(request).await?;
        let status = response.status();
        let version = response.version();
        let headers = std::mem::take(response.headers_mut());
        let body = response.bytes().await?;
        // The buffer itself when reqwest holds the only reference to it, as it does for a
        // collected body: no copy of a large page.
        let mut out = http::Response::new(Vec::from(body));
        *out.status_mut() = status;
        *out.version_mut() = version;
        *out.headers_mut() = headers;
        Ok(out)
    }
}

/// A request that got no complete response: a timeout, a failure to connect, or something else
/// below HTTP.
///
/// Its message names the URL but never the token, which travels only in a header.
pub struct ReqwestError {
    source: ::reqwest::Error,
}

impl ReqwestError {
    /// Whether connecting or the whole request took longer than allowed.
    pub fn is_timeout(&self) -> bool {
        self.source.is_timeout()
    }

    /// Whether no connection could be made (refused, unresolvable host, TLS handshake).
    pub fn is_connect(&self) -> bool {
        !self.is_timeout() && self.source.is_connect()
    }

    /// The reqwest error.
    pub fn reqwest(&self) -> &::reqwest::Error {
        &self.source
    }

    fn what(&self) -> &'static str {
        failure(self.is_timeout(), self.is_connect())
    }
}

impl From<::reqwest::Error> for ReqwestError {
    fn from(source: ::reqwest::Error) -> Self {
        Self { source }
    }
}

impl fmt::Debug for ReqwestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReqwestError")
            .field("kind", &self.what())
            .field("source", &self.source)
            .finish()
    }
}

impl fmt::Display for ReqwestError {
    /// The kind, then reqwest's message and its causes: reqwest's own message stops at the URL.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.what(), self.source)?;
        let mut cause = std::error::Error::source(&self.source);
        while let Some(err) = cause {
            write!(f, ": {err}")?;
            cause = err.source();
        }
        Ok(())
    }
}

impl std::error::Error for ReqwestError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Waits on tokio's timer; the [`Sleep`] to use with [`Retry`] under tokio, where it saves the
/// helper thread of the default `ThreadSleep`.
///
/// [`Retry`]: super::retry::Retry
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleep;

impl Sleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send {
        tokio::time::sleep(duration)
    }
}


#[cfg(test)]
mod tests;
