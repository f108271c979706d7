//! The error of a client call ([`ClientError`]: the operation's own error union, or a failure
//! before the server answered) and of a transport ([`TransportError`]).
//!
//! Each error's message says what went wrong at its own level and leaves its cause to
//! `source()`, so a report that walks the chain prints every cause once.

use std::fmt;

use super::request::RequestError;

/// Why a client call failed.
///
/// `E` is the operation's error union: one variant per documented error status, plus the
/// undocumented-status and undecodable-body cases.
#[derive(Debug)]
#[non_exhaustive]
pub enum ClientError<E> {
    /// The server answered with an error, or with a body that does not decode.
    Api(E),
    /// The request got no complete answer: connecting, TLS, timeouts, a broken stream, a body
    /// over the limit.
    Transport(TransportError),
    /// The request could not be built.
    Request(RequestError),
    /// A paginated scan was sent a cursor it had already followed, which would loop forever.
    RepeatedCursor(String),
}

impl<E> ClientError<E> {
    /// The operation's error, if the server answered.
    pub fn api(&self) -> Option<&E> {
        match self {
            Self::Api(err) => Some(err),
            _ => None,
        }
    }

    /// The transport's error, if the request got no complete answer.
    pub fn transport(&self) -> Option<&TransportError> {
        match self {
            Self::Transport(err) => Some(err),
            _ => None,
        }
    }

    /// Whether connecting or the whole request took longer than allowed.
    pub fn is_timeout(&self) -> bool {
        self.transport().is_some_and(TransportError::is_timeout)
    }

    /// Whether no connection could be made (refused, unresolvable host), so nothing was sent.
    pub fn is_connect(&self) -> bool {
        self.transport().is_some_and(TransportError::is_connect)
    }

    /// Whether the request may have reached the server: true for every answer, and for a
    /// transport failure after the request was (or may have been) written.
    pub fn request_sent(&self) -> bool {
        match self {
            Self::Api(_) | Self::RepeatedCursor(_) => true,
            Self::Transport(err) => err.request_sent(),
            Self::Request(_) => false,
        }
    }
}

impl<E: fmt::Display> fmt::Display for ClientError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Api(err) => err.fmt(f),
            Self::Transport(err) => err.fmt(f),
            Self::Request(err) => err.fmt(f),
            Self::RepeatedCursor(cursor) => write!(
                f,
                "the server sent the cursor {cursor:?} a second time; stopped the scan"
            ),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for ClientError<E> {
    /// The wrapped error's own cause: its message is this one's, so it is not repeated.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Api(err) => err.source(),
            Self::Transport(err) => err.source(),
            Self::Request(err) => err.source(),
            Self::RepeatedCursor(_) => None,
        }
    }
}

/// What kind of failure a [`TransportError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made: refused, unreachable, a host name that does not resolve.
    Connect,
    /// Connecting, or the whole request, took longer than allowed.
    Timeout,
    /// The TLS handshake failed, or the server's certificate was refused.
    Tls,
    /// The request's URL cannot be used.
    InvalidUrl,
    /// The connection was reset or closed before the whole response arrived.
    Closed,
    /// The response body is larger than the limit, in bytes; it was not read past it.
    BodyTooLarge {
        /// The limit.
        limit: u64,
    },
    /// Anything else below HTTP.
    Other,
}

/// A request that got no complete response, and whether it may have reached the server.
///
/// Its message names the method and URL but never the token, which travels only in a header;
/// the underlying library's error is its `source()`.
pub struct TransportError(Box<Inner>);

struct Inner {
    kind: TransportErrorKind,
    sent: bool,
    attempts: u32,
    target: Option<(http::Method, http::Uri)>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl TransportError {
    /// An error of `kind`; `request_sent` says whether the request may have reached the server
    /// (say `true` when in doubt: the request is then retried only if it is idempotent).
    pub fn new(kind: TransportErrorKind, request_sent: bool) -> Self {
        Self(Box::new(Inner {
            kind,
            sent: request_sent,
            attempts: 1,
            target: None,
            source: None,
        }))
    }

    /// Keeps `source`, the underlying library's error, as the cause.
    pub fn with_source(
        mut self,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        self.0.source = Some(source.into());
        self
    }

    /// A response body over `limit` bytes.
    pub fn body_too_large(limit: u64) -> Self {
        Self::new(TransportErrorKind::BodyTooLarge { limit }, true)
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> TransportErrorKind {
        self.0.kind
    }

    /// Whether connecting or the whole request took longer than allowed.
    pub fn is_timeout(&self) -> bool {
        self.0.kind == TransportErrorKind::Timeout
    }

    /// Whether no connection could be made, so nothing was sent.
    pub fn is_connect(&self) -> bool {
        self.0.kind == TransportErrorKind::Connect
    }

    /// Whether the request may have reached the server: false only when it certainly did not.
    pub fn request_sent(&self) -> bool {
        self.0.sent
    }

    /// The body limit that was exceeded, for [`TransportErrorKind::BodyTooLarge`].
    pub fn body_limit(&self) -> Option<u64> {
        match self.0.kind {
            TransportErrorKind::BodyTooLarge { limit } => Some(limit),
            _ => None,
        }
    }

    /// How many attempts were made, this one included: more than 1 only when retrying.
    pub fn attempts(&self) -> u32 {
        self.0.attempts
    }

    /// Whether sending the request again can help and cannot do anything twice: always when
    /// it never left (a refused connection, a connect timeout), and for an idempotent request
    /// after a timeout or a broken connection; never for TLS, URL or body-limit failures.
    pub(crate) fn is_retryable(&self, idempotent: bool) -> bool {
        match self.0.kind {
            TransportErrorKind::Tls
            | TransportErrorKind::InvalidUrl
            | TransportErrorKind::BodyTooLarge { .. } => false,
            TransportErrorKind::Connect
            | TransportErrorKind::Timeout
            | TransportErrorKind::Closed => !self.0.sent || idempotent,
            TransportErrorKind::Other => idempotent,
        }
    }

    /// Records the number of attempts made.
    pub(crate) fn after_attempts(mut self, attempts: u32) -> Self {
        self.0.attempts = attempts;
        self
    }

    /// Records the request it failed, for the message, unless the transport already did.
    pub(crate) fn for_target(mut self, method: http::Method, uri: http::Uri) -> Self {
        if self.0.target.is_none() {
            self.0.target = Some((method, uri));
        }
        self
    }

    /// What kind of failure this is, in words.
    pub(crate) fn what(&self) -> &'static str {
        match self.0.kind {
            TransportErrorKind::Connect => "cannot connect",
            TransportErrorKind::Timeout if self.0.sent => "request timed out",
            TransportErrorKind::Timeout => "request timed out while connecting",
            TransportErrorKind::Tls => "TLS failed",
            TransportErrorKind::InvalidUrl => "invalid request URL",
            TransportErrorKind::Closed => "connection closed before the whole response arrived",
            TransportErrorKind::BodyTooLarge { .. } => "response body too large",
            TransportErrorKind::Other => "request failed",
        }
    }
}

impl From<std::io::Error> for TransportError {
    /// An I/O error of a socket-level transport, by its kind: a refused connection was not sent;
    /// anything else may have been.
    fn from(err: std::io::Error) -> Self {
        use std::io::ErrorKind as Io;
        let (kind, sent) = match err.kind() {
            Io::ConnectionRefused | Io::AddrNotAvailable => (TransportErrorKind::Connect, false),
            Io::TimedOut | Io::WouldBlock => (TransportErrorKind::Timeout, true),
            Io::ConnectionReset | Io::ConnectionAborted | Io::BrokenPipe | Io::UnexpectedEof => {
                (TransportErrorKind::Closed, true)
            }
            _ => (TransportErrorKind::Other, true),
        };
        Self::new(kind, sent).with_source(err)
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((method, uri)) = &self.0.target {
            write!(f, "{method} {uri}: ")?;
        }
        f.write_str(self.what())?;
        if let Some(limit) = self.body_limit() {
            write!(f, " (the limit is {limit} bytes)")?;
        }
        if self.0.attempts > 1 {
            write!(f, " (after {} attempts)", self.0.attempts)?;
        }
        Ok(())
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportError")
            .field("kind", &self.0.kind)
            .field("request_sent", &self.0.sent)
            .field("attempts", &self.0.attempts)
            .field("target", &self.0.target)
            .field("source", &self.0.source)
            .finish()
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0
            .source
            .as_deref()
            .map(|source| source as &(dyn std::error::Error + 'static))
    }
}
