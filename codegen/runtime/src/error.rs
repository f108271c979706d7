//! The error of a client call: the operation's own error union, or a failure before the server
//! answered.

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
    /// The request never got an answer: connecting, TLS, timeouts, a broken stream.
    Transport(Box<dyn std::error::Error + Send + Sync>),
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
}

impl<E: fmt::Display> fmt::Display for ClientError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Api(err) => err.fmt(f),
            Self::Transport(err) => write!(f, "transport error: {err}"),
            Self::Request(err) => err.fmt(f),
            Self::RepeatedCursor(cursor) => write!(
                f,
                "the server sent the cursor {cursor:?} a second time; stopped the scan"
            ),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for ClientError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Api(err) => Some(err),
            Self::Transport(err) => Some(&**err),
            Self::Request(err) => Some(err),
            Self::RepeatedCursor(_) => None,
        }
    }
}
