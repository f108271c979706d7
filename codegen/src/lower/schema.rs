//! Schema lowering: one schema into an item kind or a field type, following `$ref`s and naming
//! inline schemas after the place they stand. The `allOf` merge (`merge`), unions (`unions`),
//! enums (`enums`) and the keyword check (`keywords`) have files of their own.

use crate::diag::Pointer;
use crate::ir::{Additional, Field, ItemKind, LeftOutKind, Struct, Type};
use crate::names::{self, Namespace};
use crate::spec::model::{AdditionalProperties, Schema};

use super::enums::{enum_form, EnumForm};
use super::merge::Object;
use super::{Lowering, ADDITIONAL_FIELD, MAX_DEPTH};

impl<'s> Lowering<'s> {
    /// The Rust type a `$ref` names, its schema and where that stands, or a diagnostic.
    pub(crate) fn resolve_ref(
        &mut self,
        reference: &str,
        at: &Pointer,
    ) -> Option<(String, &'s Schema, Pointer)> {
        let nested = reference
            .strip_prefix("#/components/schemas/")
            .and_then(|wire| wire.split_once('/'));
        if let Some((component, inner)) = nested {
            return self.resolve_nested(reference, component, inner, at);
        }
        let schemas = &self.spec.schemas;
        let (wire, schema, place) =
            self.component(reference, ("schemas", schemas, "schema"), at)?;
        Some((self.component_names[wire].clone(), schema, place))
    }

    /// A `$ref` into a component, such as `#/components/schemas/a/$defs/b`: the schema there is
    /// lowered as an item named after its last segment, once whichever `$ref` reaches it first.
    fn resolve_nested(
        &mut self,
        reference: &str,
        component: &str,
        inner: &str,
        at: &Pointer,
    ) -> Option<(String, &'s Schema, Pointer)> {
        let schemas = Pointer::root().join("components").join("schemas");
        let mut target_at = schemas.join(component);
        let mut target = self.spec.schemas.get(component);
        let mut last = component.to_owned();
        let mut segments = inner
            .split('/')
            .map(|s| s.replace("~1", "/").replace("~0", "~"));
        while let (Some(schema), Some(segment)) = (target, segments.next()) {
            target = match segment.as_str() {
                "$defs" | "properties" => segments.next().and_then(|name| {
                    target_at = target_at.join(&segment).join(&name);
                    last.clone_from(&name);
                    let map = if segment == "$defs" {
                        &schema.defs
                    } else {
                        &schema.properties
                    };
                    map.get(&name)
                }),
                "items" => {
                    target_at = target_at.join("items");
                    last.push_str("Item");
                    schema.items.as_deref()
                }
                _ => None,
            };
        }
        let Some(target) = target else {
            let diagnostic = self
                .spec
                .diag(at, format!("unresolved `$ref`: nothing at `{reference}`"))
                .help("a `$ref` into a component may follow `$defs`, `properties` and `items`");
            self.diagnostics.push(diagnostic);
            return None;
        };
        if let Some(name) = self.inline.get(&target_at) {
            return Some((name.clone(), target, target_at));
        }
        let name = self.unique(&names::type_name(&last));
        self.inline.insert(target_at.clone(), name.clone());
        self.lower_named(&name, &last, target, &target_at);
        Some((name, target, target_at))
    }

    /// A schema that is only `allOf: [$ref]` takes the description of what it refers to.
    pub(super) fn inherited_doc(&self, schema: &Schema) -> Option<String> {
        let [only] = schema.all_of.as_deref()? else {
            return None;
        };
        let (_, target) = self.spec.schema(only.reference.as_deref()?)?;
        target.description.clone()
    }

    pub(super) fn lower_kind(
        &mut self,
        name: &str,
        schema: &'s Schema,
        at: &Pointer,
    ) -> Option<ItemKind> {
        if let Some(reference) = &schema.reference {
            let (target, ..) = self.resolve_ref(reference, &at.join("$ref"))?;
            return Some(ItemKind::Alias(Type::Named(target)));
        }
        if let Some((member, member_at)) = nullable_member(schema, at) {
            // `anyOf: [X, {type: null}]`: the item is X; `null` is allowed where it is used.
            self.check_keywords(member, &member_at);
            return self.lower_kind(name, member, &member_at);
        }
        if let Some(values) = &schema.enumeration {
            return Some(match enum_form(schema, values) {
                EnumForm::String => ItemKind::Enum(self.string_enum(enum_values(values, at))),
                EnumForm::Integer => ItemKind::IntEnum(self.int_enum(values, at)),
                EnumForm::Plain(plain) => ItemKind::Alias(plain.ty()),
            });
        }
        if let Some(members) = union_members(schema) {
            let keyword = if schema.any_of.is_some() {
                "anyOf"
            } else {
                "oneOf"
            };
            if let Some(values) = self.open_string_enum(members, &at.join(keyword)) {
                return Some(ItemKind::Enum(self.string_enum(values)));
            }
        }
        if schema.kind.is_none() && schema.type_list.is_some() {
            return Some(ItemKind::Untagged(self.type_list_union(name, schema, at)));
        }
        let untagged_any_of = schema
            .any_of
            .as_ref()
            .filter(|_| schema.discriminator.is_none());
        if let (Some(any_of), false) = (untagged_any_of, is_object_beside_union(schema)) {
            return Some(ItemKind::Untagged(self.untagged(
                name,
                any_of,
                &at.join("anyOf"),
            )));
        }
        let is_object = schema.all_of.is_some()
            || schema.one_of.is_some()
            || schema.any_of.is_some()
            || !schema.properties.is_empty()
            || schema.kind.as_deref() == Some("object");
        if !is_object {
            // A named schema's own `nullable` is applied where it is used, as for components.
            return Some(ItemKind::Alias(self.schema_type(schema, name, at)));
        }
        let mut object = Object::default();
        let mut visiting = Vec::new();
        self.collect(schema, name, at, &mut object, &mut visiting, false);
        if let Some((discriminator, variants, union_at, members_at)) = object.union.clone() {
            return Some(ItemKind::Tagged(self.tagged(
                name,
                &object,
                discriminator,
                variants,
                &union_at,
                &members_at,
            )));
        }
        if let Some((variants, union_at)) = object.untagged.take() {
            if object.properties.is_empty() {
                return Some(ItemKind::Untagged(self.untagged(name, variants, &union_at)));
            }
            // Beside properties the members add properties a value may have, as `anyOf`'s do,
            // rather than making a union that would drop the object's own properties.
            object.optional += 1;
            for (index, member) in variants.iter().enumerate() {
                let member_at = union_at.join(index);
                self.collect(member, name, &member_at, &mut object, &mut visiting, false);
            }
            object.optional -= 1;
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
            let ty = if object.widened.contains(wire) {
                Type::Json
            } else {
                self.schema_type(schema, &context, at)
            };
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
        let (_, target) = self.spec.schema(schema.reference.as_deref()?)?;
        target.description.clone()
    }

    /// Whether a value of `schema` may be `null`: it says so (`nullable`, `null` among its
    /// types, its `enum` or its `anyOf`/`oneOf` members), or the schema it stands for does.
    /// Nullability belongs to the place a value stands, so named schemas do not carry it.
    pub(super) fn is_nullable(&self, schema: &Schema) -> bool {
        let mut schema = schema;
        for _ in 0..MAX_DEPTH {
            let null_member =
                union_members(schema).is_some_and(|members| members.iter().any(is_null_schema));
            let null_value = schema
                .enumeration
                .as_ref()
                .is_some_and(|values| values.contains(&serde_yaml::Value::Null));
            if schema.nullable || null_member || null_value {
                return true;
            }
            let referred = schema
                .reference
                .as_deref()
                .and_then(|r| self.spec.schema(r))
                .map(|(_, target)| target);
            let Some(next) = referred
                .or_else(|| single_ref(schema))
                .or_else(|| nullable_member(schema, &Pointer::root()).map(|(member, _)| member))
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
    /// called `context`. One that cannot be expressed is any JSON value, with warnings.
    pub(crate) fn schema_type(&mut self, schema: &'s Schema, context: &str, at: &Pointer) -> Type {
        let mark = self.mark();
        let ty = self.schema_type_of(schema, context, at);
        if self.contain(mark, LeftOutKind::Schema, at) {
            return Type::Json;
        }
        ty
    }

    /// [`Lowering::schema_type`], before containing its errors.
    fn schema_type_of(&mut self, schema: &'s Schema, context: &str, at: &Pointer) -> Type {
        if let Some(reference) = &schema.reference {
            return match self.resolve_ref(reference, &at.join("$ref")) {
                Some((target, ..)) => Type::Named(target),
                None => Type::Json,
            };
        }
        if let Some(only) = single_ref(schema) {
            // `allOf: [$ref]` beside a description or `nullable` is the referenced type itself.
            self.check_keywords(schema, at);
            return self.schema_type(only, context, &at.join("allOf").join(0));
        }
        if let Some((member, member_at)) = nullable_member(schema, at) {
            // So is the one member of `anyOf: [X, {type: null}]`, which only adds `null`.
            self.check_keywords(schema, at);
            return self.schema_type(member, context, &member_at);
        }
        let enum_item = schema
            .enumeration
            .as_ref()
            .is_some_and(|values| !matches!(enum_form(schema, values), EnumForm::Plain(_)));
        if let Some(values) = &schema.enumeration {
            if let EnumForm::Plain(plain) = enum_form(schema, values) {
                self.check_keywords(schema, at);
                return plain.ty();
            }
        }
        let structured = schema.all_of.is_some()
            || schema.one_of.is_some()
            || schema.any_of.is_some()
            || !schema.properties.is_empty()
            || (schema.kind.is_none() && schema.type_list.is_some())
            || enum_item;
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
        self.kind_type(schema.kind.as_deref(), schema, context, at)
    }

    /// An array with `prefixItems`: a tuple when no other items may follow (`items: false`, or
    /// `maxItems` the number of prefix items), else a list of any JSON, since the items after
    /// the prefix have another type than those in it.
    fn tuple_type(&mut self, schema: &'s Schema, context: &str, at: &Pointer) -> Type {
        let prefix = schema.prefix_items.as_deref().unwrap_or_default();
        let max_items = schema
            .other
            .get("maxItems")
            .and_then(serde_yaml::Value::as_u64);
        let closed = schema.items.as_deref().is_some_and(|items| items.never)
            || max_items == u64::try_from(prefix.len()).ok();
        if !closed {
            return Type::List(Box::new(Type::Json));
        }
        let items = prefix
            .iter()
            .enumerate()
            .map(|(index, item)| {
                let item_at = at.join("prefixItems").join(index);
                self.field_type(item, &format!("{context}Item{index}"), &item_at)
            })
            .collect();
        Type::Tuple(items)
    }

    /// The type of a value of the one `type` `kind` (or none) that `schema` describes.
    pub(super) fn kind_type(
        &mut self,
        kind: Option<&str>,
        schema: &'s Schema,
        context: &str,
        at: &Pointer,
    ) -> Type {
        match kind {
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
            Some("array") if schema.prefix_items.is_some() => self.tuple_type(schema, context, at),
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
            // `{type: null}` alone holds only `null`, which JSON holds.
            None | Some("null") => Type::Json,
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

/// Whether `schema` is `{type: null}` (or `enum: [null]`): a union member that only allows
/// `null`.
pub(super) fn is_null_schema(schema: &Schema) -> bool {
    let only_null_type = schema.kind.as_deref() == Some("null");
    let only_null_value = schema
        .enumeration
        .as_deref()
        .is_some_and(|values| values == [serde_yaml::Value::Null]);
    (only_null_type || only_null_value)
        && schema.properties.is_empty()
        && schema.reference.is_none()
        && union_members(schema).is_none()
}

/// The members of an `anyOf`, or of a `oneOf` without a discriminator: the unions whose value is
/// told apart by its shape.
pub(super) fn union_members(schema: &Schema) -> Option<&[Schema]> {
    if schema.discriminator.is_some() {
        return None;
    }
    match (&schema.any_of, &schema.one_of) {
        (Some(members), None) | (None, Some(members)) => Some(members),
        _ => None,
    }
}

/// The one member besides `{type: null}` of an `anyOf` or undiscriminated `oneOf` that is all
/// the schema says (annotations aside), with where it stands: the schema is that member, or
/// `null`.
pub(super) fn nullable_member<'a>(
    schema: &'a Schema,
    at: &Pointer,
) -> Option<(&'a Schema, Pointer)> {
    let members = union_members(schema)?;
    let keyword = if schema.any_of.is_some() {
        "anyOf"
    } else {
        "oneOf"
    };
    let adds_nothing = schema.properties.is_empty()
        && schema.all_of.is_none()
        && schema.reference.is_none()
        && schema.enumeration.is_none()
        && schema.items.is_none()
        && schema.additional_properties.is_none()
        && schema.required.is_empty()
        && matches!(schema.kind.as_deref(), None | Some("null"));
    if !adds_nothing {
        return None;
    }
    let mut others = members
        .iter()
        .enumerate()
        .filter(|(_, member)| !is_null_schema(member));
    match (others.next(), others.next()) {
        (Some((index, member)), None) if members.len() > 1 => {
            Some((member, at.join(keyword).join(index)))
        }
        _ => None,
    }
}

/// Whether a schema's `anyOf` adds to an object rather than making a union: beside properties
/// (or `allOf`, `oneOf`) its members add optional properties, and members that only constrain
/// (`required`, `minProperties`, ...) change no type.
pub(super) fn is_object_beside_union(schema: &Schema) -> bool {
    let constrains_only = |member: &Schema| {
        member.kind.as_deref().is_none_or(|kind| kind == "object")
            && member.reference.is_none()
            && member.properties.is_empty()
            && member.items.is_none()
            && member.enumeration.is_none()
            && member.all_of.is_none()
            && member.any_of.is_none()
            && member.one_of.is_none()
            && member.type_list.is_none()
    };
    !schema.properties.is_empty()
        || schema.all_of.is_some()
        || schema.one_of.is_some()
        || schema.any_of.iter().flatten().all(constrains_only)
}

/// The `enum` values of the schema at `at`, each with where it stands.
fn enum_values<'v>(
    values: &'v [serde_yaml::Value],
    at: &Pointer,
) -> impl Iterator<Item = (&'v serde_yaml::Value, Pointer)> {
    let at = at.join("enum");
    values
        .iter()
        .enumerate()
        .map(move |(index, value)| (value, at.join(index)))
}
