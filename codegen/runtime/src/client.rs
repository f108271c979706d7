//! The async client, and the one builder both clients are made with. Generated code adds one
//! method per operation.

use std::marker::PhantomData;
use std::time::Duration;

use super::blocking::BlockingClient;
use super::config::{BaseUrl, Config, ConfigError, Token};
use super::error::{ClientError, TransportError};
use super::request::RequestError;
use super::retry::{self, DefaultSleep, Jitter, RetryPolicy};
use super::trace::CallSpan;
use super::transport::{Transport, TransportOptions};

/// A client of the API over the async transport `T`.
///
/// Build it with `Client::builder`; each operation is a method that builds the request, sends it
/// through the transport (retrying as the builder's policy allows) and maps the response to the
/// operation's result type or error union.
pub struct Client<T> {
    parts: Parts<T>,
}

impl<T> Client<T> {
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

impl<T: Clone> Clone for Client<T> {
    fn clone(&self) -> Self {
        Self {
            parts: self.parts.clone(),
        }
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.parts.debug("Client", f)
    }
}

impl<T: Transport> Client<T> {
    /// Sends a built request with the client's options and returns the whole response,
    /// whatever its status, retrying as the client's policy and the request's
    /// [`Idempotency`](super::transport::Idempotency) allow.
    pub async fn send(
        &self,
        mut request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let parts = &self.parts;
        request.extensions_mut().insert(parts.options);
        retry::send(
            &parts.transport,
            &parts.retry,
            &DefaultSleep::default(),
            &parts.jitter,
            request,
        )
        .await
    }

    /// Sends a built request and maps the response with `parse`, in the call's span with the
    /// `tracing` feature.
    pub(crate) async fn execute<R, E>(
        &self,
        request: Result<http::Request<Vec<u8>>, RequestError>,
        parse: impl FnOnce(http::Response<Vec<u8>>) -> Result<R, E>,
    ) -> Result<R, ClientError<E>> {
        let request = request.map_err(ClientError::Request)?;
        let span = CallSpan::start(&request);
        let outcome = span.run(self.send(request)).await;
        span.finish(&outcome);
        parse(outcome.map_err(ClientError::Transport)?).map_err(ClientError::Api)
    }
}

/// What either client holds: the configuration requests are built with, the transport, the
/// options every request carries, and the retry policy with its jitter.
pub(crate) struct Parts<T> {
    pub(crate) config: Config,
    pub(crate) transport: T,
    pub(crate) options: TransportOptions,
    pub(crate) retry: RetryPolicy,
    pub(crate) jitter: Jitter,
}

impl<T> Parts<T> {
    /// The default timeouts and body limit, and no retries.
    pub(crate) fn new(config: Config, transport: T) -> Self {
        Self {
            config,
            transport,
            options: TransportOptions::default(),
            retry: RetryPolicy::never(),
            jitter: Jitter::from_time(),
        }
    }

    /// The client's `Debug` form, under its type's `name`; the jitter's state is left out.
    pub(crate) fn debug(&self, name: &str, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result
    where
        T: std::fmt::Debug,
    {
        f.debug_struct(name)
            .field("config", &self.config)
            .field("transport", &self.transport)
            .field("options", &self.options)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// A clone draws its jitter from a fresh seed, so that two clients' retries do not fall in step.
impl<T: Clone> Clone for Parts<T> {
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

/// Builds a [`Client`] (`Client::builder(transport)`) or a [`BlockingClient`]
/// (`BlockingClient::builder(transport)`), the same way for both: the token from an argument or
/// the environment, the base URL, the timeouts and body limit every request carries, and the
/// retry policy.
pub struct ClientBuilder<T, C = Client<T>> {
    transport: T,
    base_url: String,
    token: Option<String>,
    token_env: &'static str,
    options: TransportOptions,
    retry: RetryPolicy,
    client: PhantomData<fn() -> C>,
}

/// The builder of a [`BlockingClient`].
pub type BlockingClientBuilder<T> = ClientBuilder<T, BlockingClient<T>>;

impl<T: std::fmt::Debug, C> std::fmt::Debug for ClientBuilder<T, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("transport", &self.transport)
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("token_env", &self.token_env)
            .field("options", &self.options)
            .field("retry", &self.retry)
            .finish()
    }
}

impl<T, C> ClientBuilder<T, C> {
    /// A builder with the API's default base URL that reads the token from `token_env` unless
    /// one is given.
    pub(crate) fn new(transport: T, base_url: &str, token_env: &'static str) -> Self {
        Self {
            transport,
            base_url: base_url.to_owned(),
            token: None,
            token_env,
            options: TransportOptions::default(),
            retry: RetryPolicy::never(),
            client: PhantomData,
        }
    }

    /// Uses `token` instead of the environment variable.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Sends requests to `base_url` instead of the default.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// How long connecting (TCP and TLS) may take; 10 s unless set.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.options = self.options.with_connect_timeout(timeout);
        self
    }

    /// How long a whole request may take, from connecting to the last byte of the response;
    /// 60 s unless set. Each attempt has this long when retrying.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options = self.options.with_timeout(timeout);
        self
    }

    /// The largest response body to accept, in bytes; 32 MiB unless set. A larger one fails
    /// the call with a transport error naming the limit, and is not read past it.
    pub fn body_limit(mut self, bytes: u64) -> Self {
        self.options = self.options.with_body_limit(bytes);
        self
    }

    /// Retries as `policy` says (see `Retry` for what is retried); off unless set.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Checks the token and base URL.
    pub(crate) fn parts(self) -> Result<Parts<T>, ConfigError> {
        let token = match self.token {
            Some(token) => Token::new(token)?,
            None => Token::from_env(self.token_env)?,
        };
        let base_url = BaseUrl::new(&self.base_url)?;
        Ok(Parts {
            options: self.options,
            retry: self.retry,
            ..Parts::new(Config::new(base_url, token), self.transport)
        })
    }
}

impl<T> ClientBuilder<T, Client<T>> {
    /// Checks the token and base URL and builds the client.
    pub fn build(self) -> Result<Client<T>, ConfigError> {
        Ok(Client {
            parts: self.parts()?,
        })
    }
}
