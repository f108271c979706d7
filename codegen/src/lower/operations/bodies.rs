//! Request bodies: which of the offered media types is sent, and its IR: JSON, a form
//! (`application/x-www-form-urlencoded` with each property's `encoding`), a multipart struct of
//! file, text and JSON parts, bytes or text.
//!
//! When several media types are offered the first in [`Sent`] order is chosen, JSON first: the
//! others are almost always other encodings of the same schema, JSON keeps every type, and one
//! choice keeps the operation one signature.

use std::collections::BTreeMap;

use crate::diag::Pointer;
use crate::ir::{
    BodyKind, Field, FormEncoding, Multipart, ParamStyle, Part, PartKind, RequestBody, Type,
};
use crate::names::{self, Namespace};
use crate::spec::model::{self, MediaType, Schema, Style};

use super::super::Lowering;
use super::parameters::{form_style, is_scalar};
use super::resolve_component;

/// The kinds of body the client sends, in order of preference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Sent {
    Json,
    Form,
    Multipart,
    Text,
    Binary,
}

/// The essence of a media type (no parameters), lowercased.
pub(super) fn essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

pub(super) fn is_json(media: &str) -> bool {
    let essence = essence(media);
    essence == "application/json" || essence.ends_with("+json")
}

fn sent(media: &str) -> Sent {
    let essence = essence(media);
    if is_json(media) {
        Sent::Json
    } else if essence == "application/x-www-form-urlencoded" {
        Sent::Form
    } else if essence == "multipart/form-data" {
        Sent::Multipart
    } else if essence.starts_with("text/") {
        Sent::Text
    } else {
        Sent::Binary
    }
}

/// The request body, if the operation sends one.
pub(super) fn request_body<'s>(
    lowering: &mut Lowering<'s>,
    body: &'s model::RequestBody,
    type_prefix: &str,
    types: &mut Namespace,
    at: &Pointer,
) -> Option<RequestBody> {
    let spec = lowering.spec;
    let (body, body_at) = resolve_component(
        lowering,
        body,
        body.reference.as_deref(),
        ("requestBodies", &spec.request_bodies, "request body"),
        &at.join("requestBody"),
    )?;
    let (media, value) = body.content.iter().min_by_key(|(media, _)| sent(media))?;
    let media_at = body_at.join("content").join(media);
    let schema = value.schema.as_ref();
    let schema_at = media_at.join("schema");
    let context = format!("{type_prefix}Body");
    let kind = match sent(media) {
        Sent::Json => BodyKind::Json(match schema {
            Some(schema) => lowering.field_type(schema, &context, &schema_at),
            None => Type::Json,
        }),
        Sent::Form => {
            let ty = match schema {
                Some(schema) => lowering.field_type(schema, &context, &schema_at),
                None => Type::Map(Box::new(Type::Json)),
            };
            BodyKind::Form {
                ty,
                encodings: form_encodings(&value.encoding),
            }
        }
        Sent::Multipart => {
            let name = types.unique(&context, "");
            BodyKind::Multipart(multipart(lowering, name, value, &context, &media_at)?)
        }
        Sent::Text => BodyKind::Text,
        Sent::Binary => BodyKind::Binary,
    };
    // A wildcard (`*/*`, `image/*`) says nothing the server can read; send plain bytes.
    let media = if media.contains('*') {
        "application/octet-stream".to_owned()
    } else {
        media.clone()
    };
    Some(RequestBody {
        media,
        required: body.required,
        kind,
    })
}

/// The properties whose `encoding` sets a style or `explode`.
fn form_encodings(encoding: &BTreeMap<String, model::Encoding>) -> Vec<FormEncoding> {
    encoding
        .iter()
        .filter(|(_, e)| e.style.is_some() || e.explode.is_some())
        .map(|(wire, e)| {
            let style = form_style(e.style.unwrap_or(Style::Form));
            FormEncoding {
                wire: wire.clone(),
                style,
                explode: e.explode.unwrap_or(style == ParamStyle::Form),
            }
        })
        .collect()
}

/// A multipart body's struct: one field per property of its (object) schema.
fn multipart<'s>(
    lowering: &mut Lowering<'s>,
    name: String,
    media: &'s MediaType,
    context: &str,
    at: &Pointer,
) -> Option<Multipart> {
    let mut schema_at = at.join("schema");
    let Some(mut schema) = media.schema.as_ref() else {
        lowering.error(at, "multipart body has no `schema`");
        return None;
    };
    if let Some(reference) = &schema.reference {
        let (_, target, target_at) = lowering.resolve_ref(reference, &schema_at.join("$ref"))?;
        schema_at = target_at;
        schema = target;
    }
    if schema.properties.is_empty() {
        lowering.error(
            &schema_at,
            "multipart body schema has no `properties`, which name its parts",
        );
        return None;
    }
    let mut fields = Namespace::default();
    let mut parts = Vec::new();
    for (wire, property) in &schema.properties {
        let property_at = schema_at.join("properties").join(wire);
        let content_type = media
            .encoding
            .get(wire)
            .and_then(|e| e.content_type.clone())
            // A list of types (`image/png, image/jpeg`) is a choice: the first is the default.
            .map(|types| {
                types
                    .split(',')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_owned()
            })
            .unwrap_or_else(|| "application/octet-stream".to_owned());
        let file = file_kind(lowering, property);
        let ty = match file {
            Some(_) => Type::String,
            None => lowering.field_type(
                property,
                &format!("{context}{}", names::bare(&names::type_name(wire))),
                &property_at,
            ),
        };
        let kind = match file {
            Some(list) => PartKind::File { list, content_type },
            None if is_scalar(lowering, &ty) => PartKind::Text,
            None => match &ty {
                Type::List(item) if is_scalar(lowering, item) => PartKind::Text,
                _ => PartKind::Json,
            },
        };
        parts.push(Part {
            field: Field {
                name: fields.unique(&names::value_name(wire), "_"),
                wire: wire.clone(),
                doc: property.description.clone(),
                ty,
                required: schema.required.contains(wire),
                nullable: false,
                boxed: false,
            },
            kind,
        });
    }
    Some(Multipart { name, parts })
}

/// `Some(false)` for a file property, `Some(true)` for an array of files, else `None`. A file
/// is `type: string` with `format: binary` (OpenAPI 3.0) or with `contentMediaType` or
/// `contentEncoding` (3.1).
fn file_kind(lowering: &Lowering<'_>, schema: &Schema) -> Option<bool> {
    let schema = match &schema.reference {
        Some(reference) => lowering.spec.schema(reference)?.1,
        None => schema,
    };
    let is_file = |s: &Schema| {
        s.format.as_deref() == Some("binary")
            || s.other.contains_key("contentMediaType")
            || s.other.contains_key("contentEncoding")
    };
    if is_file(schema) {
        return Some(false);
    }
    match &schema.items {
        Some(items) if is_file(items) => Some(true),
        _ => None,
    }
}
