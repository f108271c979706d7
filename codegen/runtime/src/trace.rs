//! The `tracing` feature: a span per operation call and an event per retry. Without the
//! feature every function here does nothing and compiles away.
//!
//! What is recorded is chosen so that nothing secret or large can leak: the operation's id,
//! the method and the path template (never the filled-in path or the query, which hold the
//! caller's values), the status, the attempt count, and for each retry its delay and cause.
//! Never a header value (the token travels in one) and never a body.
//!
//! The span is named `call` and carries `operation`, `method`, `path`, `attempts` (1 unless
//! retried) and, once known, `status` or `error` (the transport failure's kind). Each retry is an
//! `INFO` event `retrying` in that span, with `attempt` (the one that failed), `delay_ms` and
//! `cause`.

use std::future::Future;
use std::time::Duration;

use super::error::TransportError;

/// The span of one operation call, or nothing without the `tracing` feature.
pub(crate) struct CallSpan {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
}

impl CallSpan {
    /// Opens the span of the call that sends `request`.
    #[cfg(feature = "tracing")]
    pub(crate) fn start<B>(request: &http::Request<B>) -> Self {
        let operation = super::transport::OperationInfo::of(request);
        let span = tracing::info_span!(
            "call",
            operation = operation.map(|operation| operation.id()),
            method = %request.method(),
            path = operation.map(|operation| operation.path_template()),
            attempts = 1u32,
            status = tracing::field::Empty,
            error = tracing::field::Empty,
        );
        Self { span }
    }

    /// Opens nothing.
    #[cfg(not(feature = "tracing"))]
    pub(crate) fn start<B>(_request: &http::Request<B>) -> Self {
        Self {}
    }

    /// Runs `future` in the span.
    pub(crate) fn run<F: Future>(&self, future: F) -> impl Future<Output = F::Output> {
        #[cfg(feature = "tracing")]
        let future = tracing::Instrument::instrument(future, self.span.clone());
        future
    }

    /// Runs `work` in the span.
    pub(crate) fn in_scope<R>(&self, work: impl FnOnce() -> R) -> R {
        #[cfg(feature = "tracing")]
        let _entered = self.span.enter();
        work()
    }

    /// Records how the exchange ended: the status, or the kind of transport failure.
    pub(crate) fn finish(&self, outcome: &Result<http::Response<Vec<u8>>, TransportError>) {
        #[cfg(feature = "tracing")]
        match outcome {
            Ok(response) => {
                self.span.record("status", response.status().as_u16());
            }
            Err(err) => {
                self.span.record("error", tracing::field::debug(err.kind()));
            }
        }
        #[cfg(not(feature = "tracing"))]
        let _ = outcome;
    }
}

/// Records, on the current span (the call's), that the attempt numbered `attempt` ended in
/// `outcome` and another follows after `delay`.
pub(crate) fn retrying(
    attempt: u32,
    delay: Duration,
    outcome: &Result<http::Response<Vec<u8>>, TransportError>,
) {
    #[cfg(feature = "tracing")]
    {
        let delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        match outcome {
            Ok(response) => tracing::info!(
                attempt,
                delay_ms,
                cause = %format_args!("status {}", response.status().as_u16()),
                "retrying"
            ),
            Err(err) => tracing::info!(attempt, delay_ms, cause = err.what(), "retrying"),
        }
    }
    #[cfg(not(feature = "tracing"))]
    let _ = (attempt, delay, outcome);
}

/// Records on the current span (the call's) how many attempts were made.
pub(crate) fn attempts(made: u32) {
    #[cfg(feature = "tracing")]
    tracing::Span::current().record("attempts", made);
    #[cfg(not(feature = "tracing"))]
    let _ = made;
}
