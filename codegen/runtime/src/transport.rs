//! The transport seam: one async method from `http::Request` to `http::Response`.
//!
//! Everything HTTP-stack specific lives behind this trait, so the generated client works with any
//! HTTP library. It must stay thin: retries, timeouts and the like wrap a transport, they do not
//! widen this trait.

use std::future::Future;
use std::time::Duration;

/// How long connecting may take unless configured, in the transports this crate ships.
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a whole request may take, reading the response included, unless configured.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// How the shipped transports' errors begin their message.
pub(crate) fn failure(timeout: bool, connect: bool) -> &'static str {
    if timeout {
        "request timed out"
    } else if connect {
        "cannot connect"
    } else {
        "request failed"
    }
}

/// Sends one HTTP request and returns the whole response.
///
/// Implement it for any HTTP client; bodies are plain bytes, so the request and response types are
/// the `http` crate's and nothing of this crate leaks into the transport. An implementation may be
/// written as an `async fn`.
pub trait Transport {
    /// What goes wrong below HTTP: connecting, timeouts, TLS, a broken stream.
    type Error: std::error::Error + Send + Sync + 'static;

    /// Sends `request` and resolves to the response, whatever its status.
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> impl Future<Output = Result<http::Response<Vec<u8>>, Self::Error>> + Send;
}

impl<T: Transport + Sync> Transport for &T {
    type Error = T::Error;

    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> impl Future<Output = Result<http::Response<Vec<u8>>, Self::Error>> + Send {
        (**self).send(request)
    }
}

impl<T: Transport + Send + Sync> Transport for std::sync::Arc<T> {
    type Error = T::Error;

    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> impl Future<Output = Result<http::Response<Vec<u8>>, Self::Error>> + Send {
        (**self).send(request)
    }
}
