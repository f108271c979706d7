//! Form bodies: `application/x-www-form-urlencoded` (with each property's `encoding`, nested
//! objects in the bracket style `a%5Bb%5D=c`) and `multipart/form-data` (file, text and JSON
//! parts, with a boundary checked against the content).
//!
//! Generated code hands over the body value and the spec's per-property encodings; everything
//! about the wire format is decided here.

use serde::Serialize;

use super::request::{Body, RequestError};
use super::style::{brackets, encoded, Query, Shape, Style};

/// How one property of a form body is written, from the spec's `encoding`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Encoding {
    /// The property's name on the wire.
    pub(crate) name: &'static str,
    /// Its style.
    pub(crate) style: Style,
    /// Its `explode`.
    pub(crate) explode: bool,
}

/// Encodes `body` (an object) as `application/x-www-form-urlencoded`.
///
/// Each property is written as `encodings` says; without an encoding, scalars are `name=value`,
/// arrays repeat the name (`form`, `explode: true`, the spec's default), and objects use the
/// bracket style most form APIs read (`name%5Bkey%5D=value`, lists below the top level
/// indexed), since the spec's default (`form`, exploded) would spill their keys into the top
/// level where they could collide.
pub(crate) fn urlencoded<T: Serialize + ?Sized>(
    body: &T,
    encodings: &[Encoding],
) -> Result<Body, RequestError> {
    let name = "request body";
    let Shape::Object(fields) = Shape::of(name, body)? else {
        return Err(RequestError::Parameter {
            name,
            reason: "is not an object, which a form body must be",
        });
    };
    let mut query = Query::default();
    for (key, value) in &fields {
        match encodings.iter().find(|e| e.name == key) {
            Some(e) => query.shape(key, e.name, value, e.style, e.explode)?,
            None if matches!(value, Shape::Object(_)) || has_nested(value) => {
                let mut pairs = Vec::new();
                brackets(&encoded(key), value, &mut pairs);
                for (k, v) in pairs {
                    query.raw(&k, &v);
                }
            }
            None => query.shape(key, name, value, Style::Form, true)?,
        }
    }
    Ok(Body {
        bytes: query.as_str().as_bytes().to_vec(),
        content_type: "application/x-www-form-urlencoded".to_owned(),
    })
}

/// Whether a list holds objects or lists, which only the bracket style can write.
fn has_nested(value: &Shape) -> bool {
    match value {
        Shape::List(items) => items
            .iter()
            .any(|item| matches!(item, Shape::List(_) | Shape::Object(_))),
        _ => false,
    }
}

/// A file sent as one part of a `multipart/form-data` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePart {
    /// The file's name, sent as the part's `filename`.
    pub file_name: String,
    /// The media type, such as `image/png`; when `None`, the one the spec documents for the
    /// part, else `application/octet-stream`.
    pub content_type: Option<String>,
    /// The contents.
    pub bytes: Vec<u8>,
}

impl FilePart {
    /// A file called `file_name` holding `bytes`, of the media type the spec documents.
    pub fn new(file_name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            file_name: file_name.into(),
            content_type: None,
            bytes: bytes.into(),
        }
    }

    /// The same file, labelled `content_type`.
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

/// One part of a multipart body.
#[derive(Debug)]
struct Part {
    name: &'static str,
    file_name: Option<String>,
    content_type: Option<String>,
    bytes: Vec<u8>,
}

/// A `multipart/form-data` body, built one part at a time.
#[derive(Debug, Default)]
pub(crate) struct Multipart {
    parts: Vec<Part>,
}

impl Multipart {
    /// Adds a file part; `default_type` is the media type the spec documents for it.
    pub(crate) fn file(&mut self, name: &'static str, file: &FilePart, default_type: &str) {
        self.parts.push(Part {
            name,
            file_name: Some(file.file_name.clone()),
            content_type: Some(
                file.content_type
                    .as_deref()
                    .unwrap_or(default_type)
                    .to_owned(),
            ),
            bytes: file.bytes.clone(),
        });
    }

    /// Adds a text part for a scalar (strings as they are, numbers and booleans in JSON
    /// notation), or one text part per item of an array of scalars.
    pub(crate) fn text<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), RequestError> {
        let texts = match Shape::of(name, value)? {
            Shape::Text(text) => vec![text],
            Shape::Null => vec![String::new()],
            Shape::List(items) => items
                .into_iter()
                .map(|item| match item {
                    Shape::Text(text) => Ok(text),
                    _ => Err(RequestError::Parameter {
                        name,
                        reason: "is a list of objects, which a text part cannot hold",
                    }),
                })
                .collect::<Result<_, _>>()?,
            Shape::Object(_) => return self.json(name, value),
        };
        for text in texts {
            self.parts.push(Part {
                name,
                file_name: None,
                content_type: None,
                bytes: text.into_bytes(),
            });
        }
        Ok(())
    }

    /// Adds a JSON part.
    pub(crate) fn json<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), RequestError> {
        self.parts.push(Part {
            name,
            file_name: None,
            content_type: Some("application/json".to_owned()),
            bytes: serde_json::to_vec(value).map_err(RequestError::Body)?,
        });
        Ok(())
    }

    /// The body: the parts between boundaries that none of them contains.
    pub(crate) fn finish(self) -> Body {
        let boundary = self.boundary();
        let mut bytes = Vec::new();
        for part in &self.parts {
            bytes.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let mut disposition = format!("form-data; name=\"{}\"", quoted(part.name));
            if let Some(file_name) = &part.file_name {
                disposition.push_str(&format!("; filename=\"{}\"", quoted(file_name)));
            }
            bytes.extend_from_slice(format!("Content-Disposition: {disposition}\r\n").as_bytes());
            if let Some(content_type) = &part.content_type {
                let content_type = quoted(content_type);
                bytes.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
            }
            bytes.extend_from_slice(b"\r\n");
            bytes.extend_from_slice(&part.bytes);
            bytes.extend_from_slice(b"\r\n");
        }
        bytes.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        Body {
            bytes,
            content_type: format!("multipart/form-data; boundary={boundary}"),
        }
    }

    /// The first of `form-boundary-0`, `form-boundary-1`, ... that no part contains: the same
    /// parts always get the same boundary, and a boundary can never occur in the content.
    fn boundary(&self) -> String {
        (0u64..)
            .map(|n| format!("form-boundary-{n}"))
            .find(|boundary| {
                !self.parts.iter().any(|part| {
                    contains(&part.bytes, boundary.as_bytes())
                        || part
                            .file_name
                            .as_deref()
                            .is_some_and(|f| f.contains(boundary.as_str()))
                })
            })
            .expect("finitely many parts cannot contain every boundary")
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// A header parameter's text with the characters that would end it escaped as browsers do
/// (WHATWG): `"` as `%22`, CR as `%0D`, LF as `%0A`.
fn quoted(text: &str) -> String {
    text.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

#[cfg(test)]
mod tests;
