//! Hand-written support code shared by every generated operation.
//!
//! The same files make up a crate of their own, where they are compiled and tested, and the
//! `runtime` module of each generated client, so they use only the generated crate's
//! dependencies and refer to each other through `super::`.

pub mod blocking;
pub mod client;
pub mod config;
pub(crate) mod date_time;
pub mod error;
pub mod form;
pub(crate) mod json;
pub(crate) mod json_path;
#[cfg(feature = "mock")]
pub mod mock;
pub mod paginate;
pub mod request;
#[cfg(feature = "reqwest")]
pub mod reqwest;
pub mod response;
pub mod retry;
pub mod style;
#[cfg(feature = "tower")]
pub mod tower;
pub(crate) mod trace;
pub mod transport;
#[cfg(feature = "ureq")]
pub mod ureq;
