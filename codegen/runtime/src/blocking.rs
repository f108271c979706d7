//! The blocking client: the same request-building and response-mapping functions as the async
//! client, over any [`BlockingTransport`] (with the `ureq` feature, `UreqTransport`), for
//! programs without an async runtime.

use super::client::{ClientBuilder, Parts};
use super::config::Config;
use super::error::ClientError;
use super::request::RequestError;
use super::retry::{self, RetryPolicy, ThreadSleep};
use super::trace::CallSpan;
use super::transport::{BlockingTransport, TransportOptions};

/// A blocking client of the API over the transport `T`.
///
/// Build it with `BlockingClient::builder`, as the async client; each operation is a method.
/// Retries sleep the calling thread.
pub struct BlockingClient<T> {
    parts: Parts<T>,
}

impl<T> BlockingClient<T> {
    /// A client sending requests built with `config` through `transport`, with the default
    /// timeouts and body limit and no retries.
    pub fn new(config: Config, transport: T) -> Self {
        Self {
            parts: Parts::new(config, transport),
        }
    }

    /// The base URL and token requests are built with.
    pub fn config(&self) -> &Config {
        &self.parts.config
    }

    /// The transport requests go through.
    pub fn transport(&self) -> &T {
        &self.parts.transport
    }

    /// The timeouts and body limit every request carries.
    pub fn options(&self) -> &TransportOptions {
        &self.parts.options
    }

    /// The retry policy; one attempt when the client does not retry.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.parts.retry
    }
}

impl<T: BlockingTransport> BlockingClient<T> {
    /// Sends a built request with the client's options and returns the whole response,
    /// whatever its status, retrying as the client's policy and the request's
    /// [`Idempotency`](super::transport::Idempotency) allow.
    pub fn send(
        &self,
        mut request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, super::error::TransportError> {
        let parts = &self.parts;
        request.extensions_mut().insert(parts.options);
        retry::send_blocking(
            &parts.transport,
            &parts.retry,
            &ThreadSleep,
            &parts.jitter,
            request,
        )
    }

    /// Sends a request built by an operation's `request` function and maps the response with
    /// its `response` function, as the generated methods do; in the call's span with the
    /// `tracing` feature.
    pub fn call<R, E>(
        &self,
        request: Result<http::Request<Vec<u8>>, RequestError>,
        parse: impl FnOnce(http::Response<Vec<u8>>) -> Result<R, E>,
    ) -> Result<R, ClientError<E>> {
        let request = request.map_err(ClientError::Request)?;
        let span = CallSpan::start(&request);
        let outcome = span.in_scope(|| self.send(request));
        span.finish(&outcome);
        parse(outcome.map_err(ClientError::Transport)?).map_err(ClientError::Api)
    }
}

impl<T: Clone> Clone for BlockingClient<T> {
    fn clone(&self) -> Self {
        Self {
            parts: self.parts.clone(),
        }
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for BlockingClient<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.parts.debug("BlockingClient", f)
    }
}

impl<T> ClientBuilder<T, BlockingClient<T>> {
    /// Checks the token and base URL and builds the blocking client.
    pub fn build(self) -> Result<BlockingClient<T>, super::config::ConfigError> {
        Ok(BlockingClient {
            parts: self.parts()?,
        })
    }
}

#[cfg(test)]
mod tests;
