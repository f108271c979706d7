//! Retrying: when to try a request again and how long to wait (`policy`), the loop both
//! clients and the [`Retry`] transport run (`transport`), and waiting (`sleep`).
//!
//! A request is retried only when sending it again cannot do anything twice:
//!
//! - always after a failure before the request was written (a refused connection, a connect
//!   timeout) and after a 408, a 429, or a 503 with `Retry-After` (the server says it did not
//!   act on the request);
//! - only for an [`Idempotency::Idempotent`] request after a timeout or a broken connection once
//!   the request was written, and after a 500, 502, 504 or a 503 without `Retry-After`;
//! - never after a TLS failure, an unusable URL, a body over the limit, or any other status.
//!
//! [`Idempotency::Idempotent`]: super::transport::Idempotency

mod policy;
mod sleep;
mod transport;

pub(crate) use policy::Jitter;
pub use policy::RetryPolicy;
#[cfg(feature = "reqwest")]
pub use sleep::TokioSleep;
pub use sleep::{BlockingSleep, DefaultSleep, Sleep, ThreadSleep};
pub use transport::Retry;
pub(crate) use transport::{send, send_blocking};

#[cfg(test)]
mod tests;
