//! Hand-written support code shared by every generated operation.
//!
//! It is compiled and tested inside the `codegen` crate and copied verbatim into each generated
//! crate, so it may use only the generated crate's dependencies and refer to its own modules
//! through `super::`.

#[cfg(feature = "ureq")]
pub mod blocking;
pub mod client;
pub mod config;
pub mod error;
pub mod form;
pub(crate) mod json;
pub mod paginate;
pub mod request;
#[cfg(feature = "reqwest")]
pub mod reqwest;
pub mod response;
pub mod retry;
pub mod style;
pub mod transport;
