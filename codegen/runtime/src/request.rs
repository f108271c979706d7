//! Building requests: query strings, JSON bodies and the headers every request carries.
//!
//! Generated operations call these helpers; they hold the HTTP rules (encoding, header names) so
//! that the per-operation code stays a list of fields.

use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;

use super::config::Config;

/// Everything but RFC 3986's unreserved characters is percent-encoded, so a `,` inside a value can
/// never be mistaken for the list separator of an `explode: false` parameter.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The value sent as `User-Agent`: this crate's name and version.
pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// A request could not be built from the values given.
#[derive(Debug)]
#[non_exhaustive]
pub enum RequestError {
    /// The body could not be serialised as JSON.
    Body(serde_json::Error),
    /// A query parameter's value is not a string, number or boolean.
    QueryValue {
        /// The parameter's name on the wire.
        name: &'static str,
    },
    /// The base URL and path do not make a valid URI.
    Uri(String),
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // The reason is the source.
            Self::Body(_) => f.write_str("cannot serialise the request body"),
            Self::QueryValue { name } => {
                write!(
                    f,
                    "query parameter {name:?} is not a string, number or boolean"
                )
            }
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

/// An encoded query string, built one parameter at a time.
#[derive(Debug, Default)]
pub(crate) struct Query {
    encoded: String,
}

impl Query {
    /// Adds `name=value` for a scalar.
    pub(crate) fn scalar<T: Serialize>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), RequestError> {
        let value = scalar_text(name, value)?;
        self.pair(name, &value);
        Ok(())
    }

    /// Adds an array: `name=a,b` when `explode` is false, `name=a&name=b` when it is true.
    pub(crate) fn list<T: Serialize>(
        &mut self,
        name: &'static str,
        values: &[T],
        explode: bool,
    ) -> Result<(), RequestError> {
        if explode {
            for value in values {
                self.scalar(name, value)?;
            }
            return Ok(());
        }
        let mut joined = String::new();
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                joined.push(',');
            }
            joined.extend(utf8_percent_encode(&scalar_text(name, value)?, COMPONENT));
        }
        self.start_pair(name);
        self.encoded.push_str(&joined);
        Ok(())
    }

    fn pair(&mut self, name: &str, value: &str) {
        self.start_pair(name);
        self.encoded.extend(utf8_percent_encode(value, COMPONENT));
    }

    fn start_pair(&mut self, name: &str) {
        if !self.encoded.is_empty() {
            self.encoded.push('&');
        }
        self.encoded.extend(utf8_percent_encode(name, COMPONENT));
        self.encoded.push('=');
    }

    /// The query string without the leading `?`.
    pub(crate) fn as_str(&self) -> &str {
        &self.encoded
    }
}

/// A scalar as query text: strings as they are, numbers and booleans in JSON notation.
fn scalar_text<T: Serialize + ?Sized>(
    name: &'static str,
    value: &T,
) -> Result<String, RequestError> {
    match serde_json::to_value(value).map_err(|_| RequestError::QueryValue { name })? {
        serde_json::Value::String(text) => Ok(text),
        serde_json::Value::Number(number) => Ok(number.to_string()),
        serde_json::Value::Bool(flag) => Ok(flag.to_string()),
        _ => Err(RequestError::QueryValue { name }),
    }
}

/// Percent-encodes one path parameter so it stays a single segment.
pub(crate) fn path_segment<T: Serialize + ?Sized>(
    name: &'static str,
    value: &T,
) -> Result<String, RequestError> {
    Ok(utf8_percent_encode(&scalar_text(name, value)?, COMPONENT).to_string())
}

/// Serialises a JSON request body.
pub(crate) fn json_body<T: Serialize>(body: &T) -> Result<Vec<u8>, RequestError> {
    serde_json::to_vec(body).map_err(RequestError::Body)
}

/// Assembles a request: URL from base, path and query; authentication; JSON headers.
pub(crate) fn build(
    config: &Config,
    method: http::Method,
    path: &str,
    query: &Query,
    body: Option<Vec<u8>>,
) -> Result<http::Request<Vec<u8>>, RequestError> {
    let mut uri = String::with_capacity(config.base_url.as_str().len() + path.len() + 64);
    uri.push_str(config.base_url.as_str());
    uri.push_str(path);
    if !query.as_str().is_empty() {
        uri.push('?');
        uri.push_str(query.as_str());
    }
    let uri: http::Uri = uri.parse().map_err(|_| RequestError::Uri(uri))?;
    let mut builder = http::Request::builder()
        .method(method)
        .uri(uri)
        .header(http::header::AUTHORIZATION, config.token.header_value())
        .header(http::header::ACCEPT, "application/json")
        .header(http::header::USER_AGENT, USER_AGENT);
    if body.is_some() {
        builder = builder.header(http::header::CONTENT_TYPE, "application/json");
    }
    builder
        .body(body.unwrap_or_default())
        .map_err(|err| RequestError::Uri(err.to_string()))
}
