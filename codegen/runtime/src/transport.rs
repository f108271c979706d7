//! The transport seam: one method from `http::Request` to `http::Response`, async
//! ([`Transport`]) or blocking ([`BlockingTransport`]), and what travels with each request.
//!
//! Everything HTTP-stack specific lives behind these traits, so the generated client works with
//! any HTTP library. They must stay one method wide: retries wrap a transport, and what a
//! transport needs to know about a request beyond its bytes (may it be sent twice? how long may
//! it take? how large may the answer be? which operation is it?) travels in the request's
//! extensions as [`Idempotency`], [`TransportOptions`] and [`OperationInfo`].

use std::future::Future;
use std::time::Duration;

use super::error::TransportError;

/// How long connecting may take unless configured.
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a whole request may take, reading the response included, unless configured.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// How large a response body may be unless configured: 32 MiB.
///
/// A page of a thousand users is under 2 MB, and an export of ten thousand records of a few
/// kilobytes each fits with room to spare, while a body that never ends (a misbehaving proxy,
/// a hostile server) stops at a size every program can hold, instead of at the timeout or when
/// memory runs out.
pub const DEFAULT_BODY_LIMIT: u64 = 32 * 1024 * 1024;

/// Sends one HTTP request and returns the whole response.
///
/// Implement it for any HTTP client; bodies are plain bytes, so the request and response types are
/// the `http` crate's and nothing of this crate leaks into the transport. An implementation may be
/// written as an `async fn`. It should honour the request's [`TransportOptions`] (see
/// [`TransportOptions::of`]) and describe failures with a [`TransportError`], saying whether the
/// request may have reached the server: the client retries on that.
pub trait Transport {
    /// Sends `request` and resolves to the response, whatever its status.
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> impl Future<Output = Result<http::Response<Vec<u8>>, TransportError>> + Send;
}

impl<T: Transport + Sync + ?Sized> Transport for &T {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> impl Future<Output = Result<http::Response<Vec<u8>>, TransportError>> + Send {
        (**self).send(request)
    }
}

impl<T: Transport + Send + Sync + ?Sized> Transport for std::sync::Arc<T> {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> impl Future<Output = Result<http::Response<Vec<u8>>, TransportError>> + Send {
        (**self).send(request)
    }
}

/// [`Transport`], blocking: sends one HTTP request on the calling thread and returns the whole
/// response.
pub trait BlockingTransport {
    /// Sends `request` and returns the response, whatever its status.
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError>;
}

impl<T: BlockingTransport + ?Sized> BlockingTransport for &T {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        (**self).send(request)
    }
}

impl<T: BlockingTransport + ?Sized> BlockingTransport for std::sync::Arc<T> {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        (**self).send(request)
    }
}

/// Whether sending a request twice has the effect of sending it once.
///
/// Each operation's `request` function marks its request (in its extensions) from the API
/// description: by HTTP method (RFC 9110: `GET`, `HEAD`, `PUT`, `DELETE` and `OPTIONS` are
/// idempotent, `POST` and `PATCH` are not) unless the description or the generation config says
/// otherwise, as for a `POST` that only reads. Retries read it: a request that may have reached
/// the server is sent again only when it is idempotent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Idempotency {
    /// Sending it again cannot do anything twice.
    Idempotent,
    /// Sending it again may do something twice (create two records, say).
    NotIdempotent,
}

impl Idempotency {
    /// What RFC 9110 says of `method`.
    pub fn of_method(method: &http::Method) -> Self {
        match *method {
            http::Method::POST | http::Method::PATCH => Self::NotIdempotent,
            http::Method::GET
            | http::Method::HEAD
            | http::Method::PUT
            | http::Method::DELETE
            | http::Method::OPTIONS
            | http::Method::TRACE => Self::Idempotent,
            // An extension method promises nothing.
            _ => Self::NotIdempotent,
        }
    }

    /// The mark on `request`, or what its method says when it has none.
    pub fn of<B>(request: &http::Request<B>) -> Self {
        request
            .extensions()
            .get::<Self>()
            .copied()
            .unwrap_or_else(|| Self::of_method(request.method()))
    }

    /// Marks `request` with this.
    pub fn mark<B>(self, mut request: http::Request<B>) -> http::Request<B> {
        request.extensions_mut().insert(self);
        request
    }

    /// Whether this is [`Idempotency::Idempotent`].
    pub fn is_idempotent(self) -> bool {
        self == Self::Idempotent
    }
}

/// Which operation of the API a request is for: its `operationId` and path template.
///
/// Each operation's `request` function marks its request with it (in its extensions), beside its
/// [`Idempotency`], so that what handles the request below the client can tell operations apart
/// without parsing URLs: the `tracing` spans name it, and a transport or a tower layer may read
/// it (to rate-limit one operation, say). A request built by hand carries none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OperationInfo {
    id: &'static str,
    path: &'static str,
}

impl OperationInfo {
    /// The operation `id` (its `operationId`), sent to the path template `path`.
    pub const fn new(id: &'static str, path: &'static str) -> Self {
        Self { id, path }
    }

    /// The mark on `request`, if an operation built it.
    pub fn of<B>(request: &http::Request<B>) -> Option<Self> {
        request.extensions().get::<Self>().copied()
    }

    /// Marks `request` with this.
    pub fn mark<B>(self, mut request: http::Request<B>) -> http::Request<B> {
        request.extensions_mut().insert(self);
        request
    }

    /// The `operationId`, such as `rev-users-list`.
    pub fn id(&self) -> &'static str {
        self.id
    }

    /// The path template, with its parameters unfilled, such as `/rev-users/{id}`.
    pub fn path_template(&self) -> &'static str {
        self.path
    }
}

/// How long a request may take and how large its response may be: set on the client builder,
/// carried by each request in its extensions, and honoured by the transports this crate ships.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransportOptions {
    connect_timeout: Duration,
    timeout: Duration,
    body_limit: u64,
}

impl Default for TransportOptions {
    fn default() -> Self {
        Self {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            body_limit: DEFAULT_BODY_LIMIT,
        }
    }
}

impl TransportOptions {
    /// The defaults: 10 s to connect, 60 s for the whole request, 32 MiB of response body.
    pub fn new() -> Self {
        Self::default()
    }

    /// The options `request` carries, or the defaults.
    pub fn of<B>(request: &http::Request<B>) -> Self {
        request
            .extensions()
            .get::<Self>()
            .copied()
            .unwrap_or_default()
    }

    /// How long connecting (TCP and TLS) may take.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// How long a whole request may take, from connecting to the last byte of the response.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// How many bytes of response body to read at most; a larger body is an error.
    pub fn body_limit(&self) -> u64 {
        self.body_limit
    }

    /// Sets how long connecting may take.
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets how long a whole request may take.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the largest response body to accept.
    pub fn with_body_limit(mut self, limit: u64) -> Self {
        self.body_limit = limit;
        self
    }

    /// Fails with [`TransportErrorKind::BodyTooLarge`](super::error::TransportErrorKind) when
    /// the response's `Content-Length` already says its body is over the limit, before reading
    /// any of it.
    pub(crate) fn check_declared_length(
        &self,
        headers: &http::HeaderMap,
    ) -> Result<(), TransportError> {
        let declared = headers
            .get(http::header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|text| text.trim().parse::<u64>().ok());
        match declared {
            Some(length) if length > self.body_limit => {
                Err(TransportError::body_too_large(self.body_limit))
            }
            _ => Ok(()),
        }
    }
}
