//! Schema lowering: one schema into an item kind or a field type, following `$ref`s and naming
//! inline schemas after the place they stand. The `allOf` merge (`merge`), unions (`unions`),
//! enums (`enums`) and the keyword check (`keywords`) have files of their own.

use crate::diag::Pointer;
use crate::ir::{Additional, Field, ItemKind, Struct, Type};
use crate::names::{self, Namespace};
use crate::spec::model::{AdditionalProperties, Schema};

use super::merge::Object;
use super::{Lowering, ADDITIONAL_FIELD, MAX_DEPTH};

impl<'s> Lowering<'s> {
    /// The Rust type a `$ref` names, or a diagnostic.
    pub(crate) fn resolve_ref(
        &mut self,
        reference: &str,
        at: &Pointer,
    ) -> Option<(String, &'s Schema)> {
        let Some(wire) = reference.strip_prefix("#/components/schemas/") else {
            if reference.starts_with('#') {
                self.error(
                    at,
                    format!("`$ref: {reference}` does not point into components/schemas"),
                );
            } else {
                let diagnostic = self
                    .spec
                    .diag(at, format!("external `$ref: {reference}` is not supported"))
                    .help("bundle the spec into one file first, for example with `redocly bundle`");
                self.diagnostics.push(diagnostic);
            }
            return None;
        };
        match self.spec.schemas.get(wire) {
            Some(schema) => Some((self.component_names[wire].clone(), schema)),
            None => {
                let diagnostic = self
                    .spec
                    .diag(at, format!("unresolved `$ref`: no schema named `{wire}`"))
                    .help("define it under components/schemas or fix the name");
                self.diagnostics.push(diagnostic);
                None
            }
        }
    }

    /// A schema that is only `allOf: [$ref]` takes the description of what it refers to.
    pub(super) fn inherited_doc(&self, schema: &Schema) -> Option<String> {
        let [only] = schema.all_of.as_deref()? else {
            return None;
        };
        let wire = only
            .reference
            .as_deref()?
            .strip_prefix("#/components/schemas/")?;
        self.spec.schemas.get(wire)?.description.clone()
    }

    pub(super) fn lower_kind(
        &mut self,
        name: &str,
        schema: &'s Schema,
        at: &Pointer,
    ) -> Option<ItemKind> {
        if let Some(reference) = &schema.reference {
            let (target, _) = self.resolve_ref(reference, &at.join("$ref"))?;
            return Some(ItemKind::Alias(Type::Named(target)));
        }
        if let Some(values) = &schema.enumeration {
            if schema.kind.as_deref().unwrap_or("string") == "string" {
                return Some(ItemKind::Enum(self.string_enum(values, at)));
            }
        }
        let is_object = schema.all_of.is_some()
            || schema.one_of.is_some()
            || !schema.properties.is_empty()
            || schema.kind.as_deref() == Some("object");
        if !is_object {
            // A named schema's own `nullable` is applied where it is used, as for components.
            return Some(ItemKind::Alias(self.schema_type(schema, name, at)));
        }
        let mut object = Object::default();
        let mut visiting = Vec::new();
        self.collect(schema, name, at, &mut object, &mut visiting, false);
        if let Some((discriminator, variants, union_at)) = object.union.clone() {
            return Some(ItemKind::Tagged(self.tagged(
                name,
                &object,
                discriminator,
                variants,
                &union_at,
            )));
        }
        if let Some((variants, union_at)) = object.untagged.clone() {
            return Some(ItemKind::Untagged(self.untagged(name, variants, &union_at)));
        }
        if object.properties.is_empty() {
            // An object that names no properties is a map, unless it says it has none at all.
            if let Some((values, values_at)) = object.map_values {
                return Some(ItemKind::Alias(self.map_type(values, name, &values_at)));
            }
            if !object.closed {
                return Some(ItemKind::Alias(Type::Map(Box::new(Type::Json))));
            }
        }
        let (fields, mut field_names) = self.fields(&object, None);
        let additional_ty = match object.map_values {
            Some(_) if object.closed => None,
            Some((values, values_at)) => match self.map_type(values, name, &values_at) {
                Type::Map(value) => Some(*value),
                _ => None,
            },
            None if object.undescribed_variants => Some(Type::Json),
            None => None,
        };
        let additional = additional_ty.map(|ty| Additional {
            name: field_names.unique(ADDITIONAL_FIELD, "_"),
            ty,
        });
        Some(ItemKind::Struct(Struct { fields, additional }))
    }

    /// Fields for the collected properties, leaving out the union tag, and the field names
    /// taken.
    pub(super) fn fields(
        &mut self,
        object: &Object<'s>,
        skip: Option<&str>,
    ) -> (Vec<Field>, Namespace) {
        let mut fields = Vec::new();
        let mut field_names = Namespace::default();
        for (wire, (schema, owner, at)) in &object.properties {
            if Some(wire.as_str()) == skip {
                continue;
            }
            let context = format!("{owner}{}", names::bare(&names::type_name(wire)));
            let ty = self.schema_type(schema, &context, at);
            fields.push(Field {
                name: field_names.unique(&names::value_name(wire), "_"),
                wire: wire.clone(),
                doc: schema.description.clone().or_else(|| self.ref_doc(schema)),
                ty,
                required: object.required.contains(wire),
                nullable: self.is_nullable(schema),
                boxed: false,
            });
        }
        (fields, field_names)
    }

    /// The description of what a `$ref` points to, for fields that have none of their own.
    pub(super) fn ref_doc(&self, schema: &Schema) -> Option<String> {
        let wire = schema
            .reference
            .as_deref()?
            .strip_prefix("#/components/schemas/")?;
        self.spec.schemas.get(wire)?.description.clone()
    }

    /// Whether a value of `schema` may be `null`: it says so, or the schema its `$ref` names
    /// does. Nullability belongs to the place a value stands, so named schemas do not carry it.
    pub(super) fn is_nullable(&self, schema: &Schema) -> bool {
        let mut schema = schema;
        for _ in 0..MAX_DEPTH {
            if schema.nullable {
                return true;
            }
            let Some(next) = schema
                .reference
                .as_deref()
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
                .and_then(|wire| self.spec.schemas.get(wire))
            else {
                return false;
            };
            schema = next;
        }
        false
    }

    pub(super) fn map_type(
        &mut self,
        values: &'s AdditionalProperties,
        context: &str,
        at: &Pointer,
    ) -> Type {
        match values {
            AdditionalProperties::Allowed(_) => Type::Map(Box::new(Type::Json)),
            AdditionalProperties::Schema(schema) => {
                let value = self.field_type(schema, &format!("{context}Value"), at);
                Type::Map(Box::new(value))
            }
        }
    }

    /// The type of a value standing outside a field (a list item, a map value, a union variant,
    /// a body): [`Lowering::schema_type`], made optional when it may be `null`.
    pub(crate) fn field_type(&mut self, schema: &'s Schema, context: &str, at: &Pointer) -> Type {
        let ty = self.schema_type(schema, context, at);
        if self.is_nullable(schema) {
            Type::Nullable(Box::new(ty))
        } else {
            ty
        }
    }

    /// The type of a schema, ignoring `nullable`; inline structured schemas become named items
    /// called `context`.
    pub(crate) fn schema_type(&mut self, schema: &'s Schema, context: &str, at: &Pointer) -> Type {
        if let Some(reference) = &schema.reference {
            return match self.resolve_ref(reference, &at.join("$ref")) {
                Some((target, _)) => Type::Named(target),
                None => Type::Json,
            };
        }
        if let Some(only) = single_ref(schema) {
            // `allOf: [$ref]` beside a description or `nullable` is the referenced type itself.
            self.check_keywords(schema, at);
            return self.schema_type(only, context, &at.join("allOf").join(0));
        }
        let structured = schema.all_of.is_some()
            || schema.one_of.is_some()
            || !schema.properties.is_empty()
            || (schema.enumeration.is_some()
                && schema.kind.as_deref().unwrap_or("string") == "string");
        if structured {
            if let Some(name) = self.inline.get(at) {
                return Type::Named(name.clone());
            }
            let name = self.unique(context);
            self.inline.insert(at.clone(), name.clone());
            self.lower_named(&name, context, schema, at);
            return Type::Named(name);
        }
        self.check_keywords(schema, at);
        match schema.kind.as_deref() {
            Some("string") => match schema.format.as_deref() {
                Some("date-time") => Type::DateTime,
                _ => Type::String,
            },
            Some("integer") => match schema.format.as_deref() {
                Some("int32") => Type::I32,
                _ => Type::I64,
            },
            Some("number") => Type::F64,
            Some("boolean") => Type::Bool,
            Some("array") => match &schema.items {
                Some(items) => {
                    let item = self.field_type(items, &format!("{context}Item"), &at.join("items"));
                    Type::List(Box::new(item))
                }
                None => Type::List(Box::new(Type::Json)),
            },
            Some("object") => match &schema.additional_properties {
                Some(values) => self.map_type(values, context, &at.join("additionalProperties")),
                None => Type::Map(Box::new(Type::Json)),
            },
            None => Type::Json,
            Some(other) => {
                self.error(&at.join("type"), format!("unknown type `{other}`"));
                Type::Json
            }
        }
    }
}

/// The one `$ref` of an `allOf` that adds nothing else of its own.
pub(super) fn single_ref(schema: &Schema) -> Option<&Schema> {
    let [only] = schema.all_of.as_deref()? else {
        return None;
    };
    let adds_nothing = only.reference.is_some()
        && schema.properties.is_empty()
        && schema.one_of.is_none()
        && schema.enumeration.is_none()
        && schema.items.is_none()
        && schema.additional_properties.is_none()
        && schema.discriminator.is_none()
        && schema.required.is_empty();
    adds_nothing.then_some(only)
}
