//! Reading responses: the raw status, headers and body, decoding, and bounded excerpts for errors.

use std::fmt;

use serde::de::{self, DeserializeOwned};

/// How much of a body an error message quotes.
const EXCERPT_CHARS: usize = 512;

/// How much of the decoder's reason an error message quotes from its start and from its end:
/// serde_json quotes a string of the wrong type whole, and that string may be the whole body.
const REASON_HEAD_CHARS: usize = 192;
const REASON_TAIL_CHARS: usize = 96;

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

    /// Decodes the body as `T`, or keeps the whole response beside the decoding error and the
    /// JSON path where it failed.
    pub(crate) fn decode<T: DeserializeOwned>(self) -> Result<T, UndecodableResponse> {
        // Read as text: every type's decoding is compiled for serde_json's `&str` reader only.
        let decoded = std::str::from_utf8(&self.body)
            .map_err(de::Error::custom)
            .and_then(super::json::from_str);
        match decoded {
            Ok(value) => Ok(value),
            Err(source) => {
                // Only now, on the failure path, find where it failed, so that the fast path
                // pays nothing for it.
                let path = match std::str::from_utf8(&self.body) {
                    Ok(text) => super::json_path::at(text, &source),
                    Err(_) => ".".to_owned(),
                };
                Err(UndecodableResponse {
                    response: Box::new(self),
                    source,
                    path,
                })
            }
        }
    }
}

impl RawResponse {
    /// `Err` with the error union's `variant` for the decoded body, or with the union's
    /// `Undecodable` when the body does not decode. One call in each error arm of an
    /// operation's `response`, where `Err(Error::Variant(Box::new(response.decode()?)))` made
    /// rustc check a `?` and its conversion per arm.
    #[inline]
    pub(crate) fn error<T: DeserializeOwned, E: From<UndecodableResponse>, R>(
        self,
        variant: impl FnOnce(Box<T>) -> E,
    ) -> Result<R, E> {
        Err(match self.decode() {
            Ok(body) => variant(Box::new(body)),
            Err(err) => E::from(err),
        })
    }

    /// The body as it came, with its `Content-Type`.
    pub(crate) fn binary(self) -> Binary {
        let content_type = self
            .headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        Binary {
            content_type,
            bytes: self.body,
        }
    }

    /// The body as UTF-8 text, or the whole response beside why it is not.
    pub(crate) fn text(self) -> Result<String, UndecodableResponse> {
        match std::str::from_utf8(&self.body) {
            Ok(text) => Ok(text.to_owned()),
            Err(err) => Err(UndecodableResponse {
                source: serde::de::Error::custom(format_args!("the body is not UTF-8: {err}")),
                response: Box::new(self),
                path: ".".to_owned(),
            }),
        }
    }
}

/// A body that is not JSON (a file, an image, an archive, an event stream): its bytes and the
/// media type the server labelled them with.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Binary {
    /// The `Content-Type` the server sent, if any.
    pub content_type: Option<String>,
    /// The body.
    pub bytes: Vec<u8>,
}

impl Binary {
    /// The body read as a `text/event-stream`: its events in order. Comments, `retry` fields
    /// and a last event not ended by a blank line are left out, as the HTML standard says.
    pub fn events(&self) -> Vec<Event> {
        let text = String::from_utf8_lossy(&self.bytes);
        let mut events = Vec::new();
        let mut event = Event::default();
        let mut has_data = false;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        for line in text.split("\r\n").flat_map(|l| l.split(['\n', '\r'])) {
            if line.is_empty() {
                if has_data {
                    events.push(std::mem::take(&mut event));
                }
                event = Event::default();
                has_data = false;
                continue;
            }
            let (field, value) = line.split_once(':').unwrap_or((line, ""));
            let value = value.strip_prefix(' ').unwrap_or(value);
            match field {
                "data" => {
                    if has_data {
                        event.data.push('\n');
                    }
                    event.data.push_str(value);
                    has_data = true;
                }
                "event" => event.event = Some(value.to_owned()),
                "id" if !value.contains('\0') => event.id = Some(value.to_owned()),
                _ => {}
            }
        }
        events
    }
}

/// One event of a `text/event-stream` body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Event {
    /// The event type (`event:`), if named.
    pub event: Option<String>,
    /// The data lines, joined by line breaks.
    pub data: String,
    /// The event id (`id:`), if given.
    pub id: Option<String>,
}

impl Event {
    /// The data decoded as JSON, such as one chunk of a streamed completion.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        super::json::from_str(&self.data)
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
            write!(f, ", body: {}", printable(self.excerpt()))?;
        }
        Ok(())
    }
}

impl std::error::Error for RawResponse {}

/// A response whose body is not what the API documents for its status.
///
/// Its message says it all (status, where and why decoding failed, the start of the body), so
/// it has no `source()`; the decoder's error is the `source` field.
#[derive(Debug)]
pub struct UndecodableResponse {
    /// The response as it came.
    pub response: Box<RawResponse>,
    /// Why decoding failed.
    pub source: serde_json::Error,
    /// Where in the JSON decoding failed, such as `rev_users[17].created_date`; `.` for the
    /// top level.
    pub path: String,
}

impl fmt::Display for UndecodableResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot decode the {} response body",
            self.response.status
        )?;
        if self.path != "." {
            write!(f, " at `{}`", printable(shorten(&self.path).into_owned()))?;
        }
        write!(f, ": {}", shorten(&self.source.to_string()))?;
        if self.response.body.is_empty() {
            f.write_str(" (the body is empty)")
        } else {
            write!(f, "; body: {}", printable(self.response.excerpt()))
        }
    }
}

impl std::error::Error for UndecodableResponse {}

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

/// A server-sent message as an error shows it: at most 512 characters, line breaks as spaces.
fn message(text: &str) -> String {
    printable(excerpt(text.as_bytes()))
}

/// Server text as an error message shows it: control characters (line breaks, terminal escape
/// sequences) become spaces, so a body cannot forge log lines or drive a terminal.
fn printable(text: String) -> String {
    if !text.chars().any(char::is_control) {
        return text;
    }
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The status `code`, for a documented status the `http` crate has no constant for. Generated
/// code calls it only in `const` blocks, so a code outside 100..=999 would stop the build, never
/// a program.
pub(crate) const fn status(code: u16) -> http::StatusCode {
    match http::StatusCode::from_u16(code) {
        Ok(status) => status,
        Err(_) => panic!("an HTTP status code is from 100 to 999"),
    }
}

/// Writes an error union's message: `<operation> failed with <status>`, then the server's
/// message, if it sent one, as [`message`] bounds it.
pub(crate) fn write_failure(
    f: &mut fmt::Formatter<'_>,
    operation: &str,
    status: http::StatusCode,
    server_message: Option<&str>,
) -> fmt::Result {
    write!(f, "{operation} failed with {status}")?;
    match server_message {
        Some(text) => write!(f, ": {}", message(text)),
        None => Ok(()),
    }
}

/// Writes an error union's message for what is not the server's own error: `<operation>: `
/// and then the undocumented response or the decoding failure.
pub(crate) fn write_prefixed(
    f: &mut fmt::Formatter<'_>,
    operation: &str,
    what: &dyn fmt::Display,
) -> fmt::Result {
    write!(f, "{operation}: {what}")
}

/// `text` whole when short; otherwise its start and its end (where serde_json puts the line and
/// column) around a `...`.
fn shorten(text: &str) -> std::borrow::Cow<'_, str> {
    let chars = text.chars().count();
    if chars <= REASON_HEAD_CHARS + REASON_TAIL_CHARS {
        return text.into();
    }
    let head: String = text.chars().take(REASON_HEAD_CHARS).collect();
    let tail: String = text.chars().skip(chars - REASON_TAIL_CHARS).collect();
    format!("{head}...{tail}").into()
}

#[cfg(test)]
mod tests;
