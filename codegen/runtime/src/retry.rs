//! Retrying: when to try a request again and how long to wait (`policy`), the loop both
//! clients and the [`Retry`] transport run (`transport`), and waiting (`sleep`).
//!
//! What is retried is written once, on [`Retry`].

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
