//! The `tower` feature: a tower [`Service`] as the client's [`Transport`]
//! ([`TowerTransport`]), and a transport as a tower service ([`TransportService`]), so that
//! `tower::ServiceBuilder` layers (rate and concurrency limits, timeouts, load shedding) sit
//! between the client and the HTTP stack: build the stack with
//! `ServiceBuilder::new()...service(TransportService::new(transport))` and the client over
//! `TowerTransport::new(stack)`. The crate's `examples/tower_stack.rs`, there when the API has an
//! operation to call, does so with a concurrency limit and a timeout; a rate limit needs a
//! `buffer` layer above it (see `TowerTransport`).
//!
//! A request keeps its extensions on the way down, so the [`TransportOptions`], the
//! [`Idempotency`] and the [`OperationInfo`] of each request reach the layers and the transport
//! at the bottom. The client's retries run above the stack: each attempt goes through every
//! layer again, and so counts against the limits.
//!
//! [`TransportOptions`]: super::transport::TransportOptions
//! [`Idempotency`]: super::transport::Idempotency
//! [`OperationInfo`]: super::transport::OperationInfo

use std::error::Error;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use tower::Service;

use super::error::{TransportError, TransportErrorKind};
use super::transport::Transport;

/// The error type of most tower layers, which box what they pass on.
type BoxError = Box<dyn Error + Send + Sync>;

/// A tower [`Service`] used as the client's [`Transport`].
///
/// `poll_ready` and `call` take `&mut self` and must be paired, while a transport is shared by
/// every call of a client (`&self`). Each request therefore goes to a clone of the service, which
/// is driven to readiness and then called, the same way `tower::ServiceExt::oneshot` does, as
/// hyper and axum call services. No lock sits on the request path, and the readiness of one
/// call never wakes or blocks another. This is why the service must be `Clone`: layers that
/// share their state between clones (`ConcurrencyLimit`'s semaphore, `Buffer`'s worker) limit
/// all calls together, stateless ones (`Timeout`, `LoadShed`) do not care, and a layer that
/// keeps its state in one instance, such as `RateLimit`, is not `Clone`: put `.buffer(n)` above
/// it, which sends every call through that one instance (and needs a tokio runtime).
///
/// The service's error converts into a [`TransportError`]: a `TransportError` itself comes back
/// as it was, boxed or not, a tower `Elapsed` (the timeout layer) becomes a timeout that may
/// have reached the server, and `Overloaded` (load shedding) a failure before anything was
/// sent; anything else is [`TransportErrorKind::Other`], with the layer's error as the source.
#[derive(Debug, Clone, Default)]
pub struct TowerTransport<S> {
    service: S,
}

impl<S> TowerTransport<S> {
    /// Sends requests through `service`.
    pub fn new(service: S) -> Self {
        Self { service }
    }

    /// The service requests go through.
    pub fn service(&self) -> &S {
        &self.service
    }

    /// Unwraps the service.
    pub fn into_inner(self) -> S {
        self.service
    }
}

impl<S> Transport for TowerTransport<S>
where
    S: Service<http::Request<Vec<u8>>, Response = http::Response<Vec<u8>>> + Clone + Send,
    S::Error: Into<TransportError>,
    S::Future: Send,
{
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> impl Future<Output = Result<http::Response<Vec<u8>>, TransportError>> + Send {
        // Cloned before the future starts, so it does not hold `&self` and the service need
        // not be `Sync` (a `BoxCloneService` is not).
        let mut service = self.service.clone();
        async move {
            std::future::poll_fn(|cx| service.poll_ready(cx))
                .await
                .map_err(Into::into)?;
            service.call(request).await.map_err(Into::into)
        }
    }
}

/// A [`Transport`] used as a tower [`Service`], to put layers on: cloning it shares the
/// transport.
///
/// It is always ready (a transport has no backpressure of its own) and fails with the
/// transport's [`TransportError`], which [`TowerTransport`] gets back whole, through any layer
/// that boxes it.
#[derive(Debug, Default)]
pub struct TransportService<T> {
    transport: Arc<T>,
}

impl<T> TransportService<T> {
    /// Serves requests with `transport`.
    pub fn new(transport: T) -> Self {
        Self {
            transport: Arc::new(transport),
        }
    }

    /// The transport requests go through.
    pub fn transport(&self) -> &T {
        &self.transport
    }
}

impl<T> Clone for TransportService<T> {
    fn clone(&self) -> Self {
        Self {
            transport: Arc::clone(&self.transport),
        }
    }
}

/// The future of [`TransportService`]: the transport's `send`.
pub type TransportFuture =
    Pin<Box<dyn Future<Output = Result<http::Response<Vec<u8>>, TransportError>> + Send>>;

impl<T> Service<http::Request<Vec<u8>>> for TransportService<T>
where
    T: Transport + Send + Sync + 'static,
{
    type Response = http::Response<Vec<u8>>;
    type Error = TransportError;
    type Future = TransportFuture;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<Vec<u8>>) -> Self::Future {
        let transport = Arc::clone(&self.transport);
        Box::pin(async move { transport.send(request).await })
    }
}

impl From<BoxError> for TransportError {
    /// A tower layer's error: the [`TransportError`] it boxed, or one classified by the first
    /// error of its chain that says what happened (see [`TowerTransport`]).
    fn from(err: BoxError) -> Self {
        let err = match err.downcast::<TransportError>() {
            Ok(err) => return *err,
            Err(err) => err,
        };
        let (kind, sent) = classify(&*err);
        TransportError::new(kind, sent).with_source(err)
    }
}

/// The kind of a layer's error and whether the request may have been sent, from the first error
/// in its chain that tells.
fn classify(err: &(dyn Error + 'static)) -> (TransportErrorKind, bool) {
    let mut current = Some(err);
    while let Some(err) = current {
        if err.is::<tower::timeout::error::Elapsed>() {
            return (TransportErrorKind::Timeout, true);
        }
        if err.is::<tower::load_shed::error::Overloaded>() {
            return (TransportErrorKind::Other, false);
        }
        if let Some(err) = err.downcast_ref::<TransportError>() {
            return (err.kind(), err.request_sent());
        }
        current = err.source();
    }
    (TransportErrorKind::Other, true)
}

#[cfg(test)]
mod tests;
