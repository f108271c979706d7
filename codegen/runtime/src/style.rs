//! Parameter serialisation: the OpenAPI styles (`simple`, `label`, `matrix`, `form`,
//! `spaceDelimited`, `pipeDelimited`, `deepObject`) with `explode`, for path segments, query
//! strings and headers, and the bracket style (`a[b]=c`) of form bodies.
//!
//! Any `Serialize` value is first folded into a [`Shape`] (text, list or object, in the order
//! its fields were serialised) and then written by the style's rules, so generated code passes
//! each parameter's value with its style and never encodes anything itself.

use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Serialize;

use super::request::RequestError;

/// Everything but RFC 3986's unreserved characters is percent-encoded, so a `,`, `;`, `=`,
/// `&` or bracket inside a value can never be mistaken for the style's own punctuation.
pub(crate) const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// How a parameter is serialised, as the spec's `style` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// `blue`, `blue,black`, `R,100,G,200` (path and header default).
    Simple,
    /// `.blue`, `.blue.black` (path).
    Label,
    /// `;color=blue`, `;color=blue;color=black` (path).
    Matrix,
    /// `color=blue`, `color=blue&color=black` (query and cookie default).
    Form,
    /// `color=blue%20black` (query arrays and objects).
    SpaceDelimited,
    /// `color=blue%7Cblack` (query arrays and objects).
    PipeDelimited,
    /// `color%5BR%5D=100` (query objects).
    DeepObject,
}

/// A value as parameters see it. Object fields keep their serialisation order, which
/// `serde_json::Value` (a sorted map without `preserve_order`) would lose.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Shape {
    /// `null` or a unit.
    Null,
    /// A string, number or boolean, as text (numbers and booleans in JSON notation).
    Text(String),
    /// An array.
    List(Vec<Shape>),
    /// An object, in field order.
    Object(Vec<(String, Shape)>),
}

impl Shape {
    /// Folds `value` into a shape through its JSON form.
    pub(crate) fn of<T: Serialize + ?Sized>(
        name: &'static str,
        value: &T,
    ) -> Result<Self, RequestError> {
        let invalid = |_| RequestError::Parameter {
            name,
            reason: "cannot be serialised",
        };
        // Through text rather than bytes: the crate reads JSON with serde_json's `&str` reader
        // only, so its parser is compiled once.
        let json = serde_json::to_string(value).map_err(invalid)?;
        serde_json::from_str(&json).map_err(invalid)
    }

    fn text(&self) -> Option<&str> {
        match self {
            Self::Text(text) => Some(text),
            Self::Null => Some(""),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Shape {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ShapeVisitor)
    }
}

struct ShapeVisitor;

impl<'de> Visitor<'de> for ShapeVisitor {
    type Value = Shape;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Shape, E> {
        Ok(Shape::Text(v.to_string()))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Shape, E> {
        Ok(Shape::Text(v.to_string()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Shape, E> {
        Ok(Shape::Text(v.to_string()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Shape, E> {
        let number = serde_json::Number::from_f64(v).map(|n| n.to_string());
        Ok(number.map_or(Shape::Null, Shape::Text))
    }

    fn visit_str<E>(self, v: &str) -> Result<Shape, E> {
        Ok(Shape::Text(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Shape, E> {
        Ok(Shape::Text(v))
    }

    fn visit_unit<E>(self) -> Result<Shape, E> {
        Ok(Shape::Null)
    }

    fn visit_none<E>(self) -> Result<Shape, E> {
        Ok(Shape::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Shape, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Shape::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        let mut fields = Vec::new();
        while let Some(entry) = map.next_entry::<String, Shape>()? {
            fields.push(entry);
        }
        Ok(Shape::Object(fields))
    }
}

/// Percent-encodes `text` as one URI component.
pub(crate) fn encoded(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

/// The texts of a list's items or an object's keys and values, each percent-encoded when
/// `encode` is set; `None` when something is nested deeper than the style can express.
fn flat(shape: &Shape, encode: bool) -> Option<Flat> {
    let text = |s: &Shape| {
        s.text()
            .map(|t| if encode { encoded(t) } else { t.to_owned() })
    };
    Some(match shape {
        Shape::Null | Shape::Text(_) => Flat::Scalar(text(shape)?),
        Shape::List(items) => Flat::List(items.iter().map(text).collect::<Option<_>>()?),
        Shape::Object(fields) => Flat::Object(
            fields
                .iter()
                .map(|(k, v)| {
                    let key = if encode { encoded(k) } else { k.clone() };
                    Some((key, text(v)?))
                })
                .collect::<Option<_>>()?,
        ),
    })
}

enum Flat {
    Scalar(String),
    List(Vec<String>),
    Object(Vec<(String, String)>),
}

/// `k1,v1,k2,v2` (or `k1=v1,k2=v2` exploded, with `sep` between the pairs).
fn pairs(fields: &[(String, String)], explode: bool, sep: &str) -> String {
    if explode {
        joined_pairs(fields, sep, "=")
    } else {
        joined_pairs(fields, ",", ",")
    }
}

/// Each key and its value with `within` between them, and `between` between the pairs.
fn joined_pairs(fields: &[(String, String)], between: &str, within: &str) -> String {
    let mut out = String::new();
    for (i, (key, value)) in fields.iter().enumerate() {
        if i > 0 {
            out.push_str(between);
        }
        out.push_str(key);
        out.push_str(within);
        out.push_str(value);
    }
    out
}

fn too_deep(name: &'static str) -> RequestError {
    RequestError::Parameter {
        name,
        reason: "is nested deeper than its style can express",
    }
}

fn unsupported(name: &'static str) -> RequestError {
    RequestError::Parameter {
        name,
        reason: "has a shape its style does not define",
    }
}

/// A path parameter, percent-encoded, in `simple`, `label` or `matrix` style.
pub(crate) fn path<T: Serialize + ?Sized>(
    name: &'static str,
    style: Style,
    explode: bool,
    value: &T,
) -> Result<String, RequestError> {
    let shape = Shape::of(name, value)?;
    let flat = flat(&shape, true).ok_or_else(|| too_deep(name))?;
    let key = encoded(name);
    Ok(match (style, flat) {
        (Style::Simple, flat) => simple(flat, explode),
        (Style::Label, Flat::Scalar(text)) => format!(".{text}"),
        (Style::Label, Flat::List(items)) => {
            format!(".{}", items.join(if explode { "." } else { "," }))
        }
        (Style::Label, Flat::Object(fields)) => format!(".{}", pairs(&fields, explode, ".")),
        (Style::Matrix, Flat::Scalar(_)) if shape == Shape::Null => format!(";{key}"),
        (Style::Matrix, Flat::Scalar(text)) => format!(";{key}={text}"),
        (Style::Matrix, Flat::List(items)) if explode => {
            items.iter().map(|item| format!(";{key}={item}")).collect()
        }
        (Style::Matrix, Flat::List(items)) => format!(";{key}={}", items.join(",")),
        (Style::Matrix, Flat::Object(fields)) if explode => {
            fields.iter().map(|(k, v)| format!(";{k}={v}")).collect()
        }
        (Style::Matrix, Flat::Object(fields)) => format!(";{key}={}", pairs(&fields, false, ",")),
        _ => return Err(unsupported(name)),
    })
}

fn simple(flat: Flat, explode: bool) -> String {
    match flat {
        Flat::Scalar(text) => text,
        Flat::List(items) => items.join(","),
        Flat::Object(fields) => pairs(&fields, explode, ","),
    }
}

/// A header parameter's value, in `simple` style; header values are not percent-encoded, so
/// one that cannot be a header value (a line break) is refused.
pub(crate) fn header<T: Serialize + ?Sized>(
    name: &'static str,
    explode: bool,
    value: &T,
) -> Result<http::HeaderValue, RequestError> {
    let shape = Shape::of(name, value)?;
    let flat = flat(&shape, false).ok_or_else(|| too_deep(name))?;
    http::HeaderValue::from_str(&simple(flat, explode)).map_err(|_| RequestError::Parameter {
        name,
        reason: "is not a valid header value",
    })
}

/// An encoded query string, built one parameter at a time.
#[derive(Debug, Default)]
pub(crate) struct Query {
    encoded: String,
}

impl Query {
    /// Adds one parameter in `style` (`form`, `spaceDelimited`, `pipeDelimited` or
    /// `deepObject`).
    pub(crate) fn param<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        style: Style,
        explode: bool,
        value: &T,
    ) -> Result<(), RequestError> {
        let shape = Shape::of(name, value)?;
        self.shape(name, name, &shape, style, explode)
    }

    /// Adds `shape` under `key` in `style`; errors name the parameter `name`.
    pub(crate) fn shape(
        &mut self,
        key: &str,
        name: &'static str,
        shape: &Shape,
        style: Style,
        explode: bool,
    ) -> Result<(), RequestError> {
        if style == Style::DeepObject {
            if !matches!(shape, Shape::Object(_)) {
                return Err(unsupported(name));
            }
            let mut pairs = Vec::new();
            brackets(&encoded(key), shape, &mut pairs);
            for (key, value) in pairs {
                self.raw(&key, &value);
            }
            return Ok(());
        }
        let flat = flat(shape, true).ok_or_else(|| too_deep(name))?;
        let key = encoded(key);
        let delimiter = match style {
            Style::SpaceDelimited => "%20",
            Style::PipeDelimited => "%7C",
            Style::Form => ",",
            _ => return Err(unsupported(name)),
        };
        match flat {
            Flat::Scalar(text) => self.raw(&key, &text),
            Flat::List(items) if explode => {
                for item in items {
                    self.raw(&key, &item);
                }
            }
            Flat::List(items) => self.raw(&key, &items.join(delimiter)),
            Flat::Object(fields) if explode && style == Style::Form => {
                for (k, v) in fields {
                    self.raw(&k, &v);
                }
            }
            Flat::Object(fields) => self.raw(&key, &joined_pairs(&fields, delimiter, delimiter)),
        }
        Ok(())
    }

    /// Adds `key=value`, both already encoded.
    pub(crate) fn raw(&mut self, key: &str, value: &str) {
        if !self.encoded.is_empty() {
            self.encoded.push('&');
        }
        self.encoded.push_str(key);
        self.encoded.push('=');
        self.encoded.push_str(value);
    }

    /// The query string without the leading `?`.
    pub(crate) fn as_str(&self) -> &str {
        &self.encoded
    }
}

/// The bracket style of `deepObject` and of nested form fields: `a%5Bb%5D=c` for `{a: {b: c}}`,
/// list items indexed (`a%5B0%5D=c`) below the top level; `prefix` is already encoded.
pub(crate) fn brackets(prefix: &str, shape: &Shape, out: &mut Vec<(String, String)>) {
    match shape {
        Shape::Null => out.push((prefix.to_owned(), String::new())),
        Shape::Text(text) => out.push((prefix.to_owned(), encoded(text))),
        Shape::List(items) => {
            for (index, item) in items.iter().enumerate() {
                brackets(&format!("{prefix}%5B{index}%5D"), item, out);
            }
        }
        Shape::Object(fields) => {
            for (key, value) in fields {
                brackets(&format!("{prefix}%5B{}%5D", encoded(key)), value, out);
            }
        }
    }
}

#[cfg(test)]
mod tests;
