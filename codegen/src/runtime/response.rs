//! Reading responses: the raw status, headers and body, decoding, and bounded excerpts for errors.

use std::fmt;

use serde::de::DeserializeOwned;

/// How much of a body an error message quotes.
const EXCERPT_CHARS: usize = 512;

/// A response kept as it came: used for statuses the API does not document and bodies that do
/// not decode, so nothing the server said is lost.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// The HTTP status.
    pub status: http::StatusCode,
    /// The response headers.
    pub headers: http::HeaderMap,
    /// The body, as bytes.
    pub body: Vec<u8>,
}

impl RawResponse {
    /// At most the first 512 characters of the body, lossily decoded as UTF-8.
    pub fn excerpt(&self) -> String {
        excerpt(&self.body)
    }

    /// Decodes the body as `T`, or keeps the whole response beside the decoding error.
    pub(crate) fn decode<T: DeserializeOwned>(self) -> Result<T, UndecodableResponse> {
        match serde_json::from_slice(&self.body) {
            Ok(value) => Ok(value),
            Err(source) => Err(UndecodableResponse {
                response: self,
                source,
            }),
        }
    }
}

impl From<http::Response<Vec<u8>>> for RawResponse {
    fn from(response: http::Response<Vec<u8>>) -> Self {
        let (parts, body) = response.into_parts();
        Self {
            status: parts.status,
            headers: parts.headers,
            body,
        }
    }
}

impl fmt::Display for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unexpected status {}", self.status)?;
        if !self.body.is_empty() {
            write!(f, ", body: {}", self.excerpt())?;
        }
        Ok(())
    }
}

impl std::error::Error for RawResponse {}

/// A response whose body is not what the API documents for its status.
#[derive(Debug)]
pub struct UndecodableResponse {
    /// The response as it came.
    pub response: RawResponse,
    /// Why decoding failed.
    pub source: serde_json::Error,
}

impl fmt::Display for UndecodableResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot decode the {} response body: {}",
            self.response.status, self.source
        )?;
        if self.response.body.is_empty() {
            f.write_str(" (the body is empty)")
        } else {
            write!(f, "; body: {}", self.response.excerpt())
        }
    }
}

impl std::error::Error for UndecodableResponse {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// The first characters of `body`, marked when cut.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(EXCERPT_CHARS * 4)]);
    let mut chars = text.chars();
    let mut out: String = chars.by_ref().take(EXCERPT_CHARS).collect();
    if chars.next().is_some() || body.len() > EXCERPT_CHARS * 4 {
        out.push_str("...");
    }
    out
}
