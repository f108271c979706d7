//! Building requests: parameters, bodies and the headers every request carries.
//!
//! Generated operations call these helpers; they hold the HTTP rules (encoding, header names) so
//! that the per-operation code stays a list of fields.

use std::fmt;

use serde::Serialize;

use super::config::Config;
use super::style::{Query, Style};

/// The value sent as `User-Agent`: this crate's name and version.
pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// A request could not be built from the values given.
#[derive(Debug)]
#[non_exhaustive]
pub enum RequestError {
    /// The body could not be serialised as JSON.
    Body(serde_json::Error),
    /// A parameter's value cannot be written in its style, such as an object nested in a
    /// query parameter of `form` style.
    Parameter {
        /// The parameter's name on the wire.
        name: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The base URL and path do not make a valid URI.
    Uri(String),
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // The reason is the source.
            Self::Body(_) => f.write_str("cannot serialise the request body"),
            Self::Parameter { name, reason } => write!(f, "parameter {name:?} {reason}"),
            Self::Uri(uri) => write!(f, "cannot build a request URI from {uri:?}"),
        }
    }
}

impl std::error::Error for RequestError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Body(err) => Some(err),
            _ => None,
        }
    }
}

/// The path segments, query string and headers of one request, built one parameter at a time.
#[derive(Debug, Default)]
pub(crate) struct Params {
    /// Each path parameter's name in the template and its encoded segment.
    segments: Vec<(&'static str, String)>,
    /// The query string.
    pub(crate) query: Query,
    headers: Vec<(http::HeaderName, http::HeaderValue)>,
}

impl Params {
    /// Adds a path parameter in `style`, for [`build`] to put in place of its `{name}`.
    pub(crate) fn path<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        style: Style,
        explode: bool,
        value: &T,
    ) -> Result<(), RequestError> {
        let segment = super::style::path(name, style, explode, value)?;
        self.segments.push((name, segment));
        Ok(())
    }

    /// Adds a query parameter in `style`.
    pub(crate) fn query<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        style: Style,
        explode: bool,
        value: &T,
    ) -> Result<(), RequestError> {
        self.query.param(name, style, explode, value)
    }

    /// Adds a header parameter (`simple` style).
    pub(crate) fn header<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        explode: bool,
        value: &T,
    ) -> Result<(), RequestError> {
        let header =
            http::HeaderName::from_bytes(name.as_bytes()).map_err(|_| RequestError::Parameter {
                name,
                reason: "is not a valid header name",
            })?;
        self.headers
            .push((header, super::style::header(name, explode, value)?));
        Ok(())
    }
}

/// A request body and its media type.
#[derive(Debug)]
pub(crate) struct Body {
    /// The encoded body.
    pub(crate) bytes: Vec<u8>,
    /// The `Content-Type` it is sent with.
    pub(crate) content_type: String,
}

/// Sends `bytes` as they are, labelled `content_type`.
pub(crate) fn bytes_body(bytes: &[u8], content_type: &str) -> Body {
    Body {
        bytes: bytes.to_vec(),
        content_type: content_type.to_owned(),
    }
}

/// Sends `text` as UTF-8, labelled `content_type`.
pub(crate) fn text_body(text: &str, content_type: &str) -> Body {
    bytes_body(text.as_bytes(), content_type)
}

/// Serialises a JSON request body, labelled `content_type` (`application/json` or another
/// JSON media type).
pub(crate) fn json_body<T: Serialize + ?Sized>(
    body: &T,
    content_type: &str,
) -> Result<Body, RequestError> {
    Ok(Body {
        bytes: serde_json::to_vec(body).map_err(RequestError::Body)?,
        content_type: content_type.to_owned(),
    })
}

/// Appends the path `template` to `uri` with each `{name}` replaced by its segment. The
/// generator checks that the template's names and the path parameters agree; a name without a
/// segment stays as written.
fn expand(uri: &mut String, template: &str, segments: &[(&'static str, String)]) {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|close| open + close) else {
            break;
        };
        let name = &rest[open + 1..close];
        match segments.iter().find(|(wire, _)| *wire == name) {
            Some((_, segment)) => {
                uri.push_str(&rest[..open]);
                uri.push_str(segment);
            }
            None => uri.push_str(&rest[..=close]),
        }
        rest = &rest[close + 1..];
    }
    uri.push_str(rest);
}

/// Assembles a request: URL from base, path and query; authentication; the parameters'
/// headers; `Accept` as the success responses are documented; the body and its media type.
pub(crate) fn build(
    config: &Config,
    method: http::Method,
    path: &str,
    params: Params,
    accept: &'static str,
    body: Option<Body>,
) -> Result<http::Request<Vec<u8>>, RequestError> {
    let query = &params.query;
    let mut uri = String::with_capacity(config.base_url.as_str().len() + path.len() + 64);
    uri.push_str(config.base_url.as_str());
    expand(&mut uri, path, &params.segments);
    if !query.as_str().is_empty() {
        uri.push('?');
        uri.push_str(query.as_str());
    }
    let uri: http::Uri = uri.parse().map_err(|_| RequestError::Uri(uri))?;
    let mut builder = http::Request::builder()
        .method(method)
        .uri(uri)
        .header(http::header::AUTHORIZATION, config.token.header_value())
        .header(http::header::ACCEPT, accept)
        .header(http::header::USER_AGENT, USER_AGENT);
    for (name, value) in params.headers {
        builder = builder.header(name, value);
    }
    let bytes = match body {
        Some(body) => {
            builder = builder.header(http::header::CONTENT_TYPE, body.content_type);
            body.bytes
        }
        None => Vec::new(),
    };
    builder
        .body(bytes)
        .map_err(|err| RequestError::Uri(err.to_string()))
}

#[cfg(test)]
mod tests;
