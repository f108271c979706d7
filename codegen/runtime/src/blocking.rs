//! The blocking client: the same request-building and response-mapping functions as the async
//! client, over any [`BlockingTransport`] (with the `ureq` feature, `UreqTransport`), for
//! programs without an async runtime.

use super::client::ClientBuilder;
use super::config::Config;
use super::error::ClientError;
use super::request::RequestError;
use super::retry::{self, Jitter, RetryPolicy, ThreadSleep};
use super::trace::CallSpan;
use super::transport::{BlockingTransport, TransportOptions};

/// A blocking client of the API over the transport `T`.
///
/// Build it with `BlockingClient::builder`, as the async client; each operation is a method.
/// Retries sleep the calling thread.
pub struct BlockingClient<T> {
    config: Config,
    transport: T,
    options: TransportOptions,
    retry: RetryPolicy,
    jitter: Jitter,
}

impl<T> BlockingClient<T> {
    /// A client sending requests built with `config` through `transport`, with the default
    /// timeouts and body limit and no retries.
    pub fn new(config: Config, transport: T) -> Self {
        Self {
            config,
            transport,
            options: TransportOptions::default(),
            retry: RetryPolicy::never(),
            jitter: Jitter::from_time(),
        }
    }

    /// The base URL and token requests are built with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The transport requests go through.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// The timeouts and body limit every request carries.
    pub fn options(&self) -> &TransportOptions {
        &self.options
    }

    /// The retry policy; one attempt when the client does not retry.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
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
        request.extensions_mut().insert(self.options);
        retry::send_blocking(
            &self.transport,
            &self.retry,
            &ThreadSleep,
            &self.jitter,
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
            config: self.config.clone(),
            transport: self.transport.clone(),
            options: self.options,
            retry: self.retry.clone(),
            jitter: Jitter::from_time(),
        }
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for BlockingClient<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlockingClient")
            .field("config", &self.config)
            .field("transport", &self.transport)
            .field("options", &self.options)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl<T> ClientBuilder<T, BlockingClient<T>> {
    /// Checks the token and base URL and builds the blocking client.
    pub fn build(self) -> Result<BlockingClient<T>, super::config::ConfigError> {
        let parts = self.parts()?;
        Ok(BlockingClient {
            options: parts.options,
            retry: parts.retry,
            ..BlockingClient::new(parts.config, parts.transport)
        })
    }
}

#[cfg(test)]
mod tests;
