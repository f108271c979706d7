//! Unions: discriminated `oneOf` into tagged unions, and `oneOf` without a discriminator into
//! untagged ones that keep what no variant decodes.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::Pointer;
use crate::ir::{
    Head, Item, ItemKind, Struct, TaggedUnion, Type, UnionVariant, UntaggedUnion, VariantRead,
};
use crate::names::{self, Namespace};
use crate::spec::model::{Discriminator, Schema};

use super::enums::{enum_form, EnumForm};
use super::merge::Object;
use super::schema::{is_null_schema, union_members};
use super::{Lowering, MAX_DEPTH};

/// The name of the variant that keeps a value no variant takes.
const UNKNOWN: &str = "Unknown";

impl<'s> Lowering<'s> {
    pub(super) fn tagged(
        &mut self,
        name: &str,
        object: &Object<'s>,
        discriminator: &'s Discriminator,
        one_of: &'s [Schema],
        at: &Pointer,
        members_at: &Pointer,
    ) -> TaggedUnion {
        let property = discriminator.property_name.clone();
        let mut variants = Vec::new();
        let mut seen = Namespace::with_reserved(["Unknown"]);
        let mut mapped = BTreeSet::new();
        let mapping_at = at.join("discriminator").join("mapping");
        for (tag, reference) in &discriminator.mapping {
            mapped.insert(reference.as_str());
            if let Some((target, ..)) = self.resolve_ref(reference, &mapping_at.join(tag)) {
                variants.push(variant(tag, Type::Named(target), &mut seen));
            }
        }
        // OpenAPI's implicit mapping: a member schema not in the mapping is tagged by its name,
        // and an inline member by the one value its tag property allows.
        for (index, member) in one_of.iter().enumerate() {
            let member_at = members_at.join(index);
            let Some(reference) = &member.reference else {
                let Some(tag) = self.fixed_value(member, &property, 0) else {
                    self.error(
                        &member_at,
                        format!(
                            "an inline member of a discriminated union must allow one value of \
                             its `{property}` (`const` or a one-value `enum`)"
                        ),
                    );
                    continue;
                };
                let context = match &member.title {
                    Some(title) => format!("{name}{}", names::bare(&names::type_name(title))),
                    None => format!("{name}{}", names::bare(&names::type_name(&tag))),
                };
                let ty = self.schema_type(member, &context, &member_at);
                variants.push(variant(&tag, ty, &mut seen));
                continue;
            };
            if mapped.contains(reference.as_str()) {
                continue;
            }
            if let Some((target, ..)) = self.resolve_ref(reference, &member_at) {
                let tag = reference
                    .trim_start_matches("#/components/schemas/")
                    .to_owned();
                variants.push(variant(&tag, Type::Named(target), &mut seen));
            }
        }
        let (fields, mut field_names) = self.fields(object, Some(&property));
        let head = (!fields.is_empty()).then(|| Head {
            kind_field: if field_names.contains("kind") {
                field_names.unique("variant", "_")
            } else {
                "kind".to_owned()
            },
            kind_enum: self.unique(&format!("{name}Kind")),
            head_struct: self.unique(&format!("{name}Head")),
            fields,
        });
        TaggedUnion {
            property,
            variants,
            unknown: "Unknown".to_owned(),
            head,
        }
    }

    /// The one string value `schema` allows for `property`, looking through `allOf` parts and
    /// `$ref`s: the tag of an inline member of a discriminated union.
    fn fixed_value(&self, schema: &'s Schema, property: &str, depth: usize) -> Option<String> {
        if depth > MAX_DEPTH {
            return None;
        }
        if let Some(reference) = schema.reference.as_deref() {
            let (_, target) = self.spec.schema(reference)?;
            return self.fixed_value(target, property, depth + 1);
        }
        if let Some(declared) = schema.properties.get(property) {
            let declared = match declared.reference.as_deref() {
                Some(r) => self.spec.schema(r)?.1,
                None => declared,
            };
            if let Some([serde_yaml::Value::String(tag)]) = declared.enumeration.as_deref() {
                return Some(tag.clone());
            }
        }
        schema
            .all_of
            .iter()
            .flatten()
            .find_map(|part| self.fixed_value(part, property, depth + 1))
    }

    /// An untagged union of `members` (an `anyOf`, or a `oneOf` without a discriminator at
    /// `at`): the first variant that decodes wins, and a value none decodes is kept. Members
    /// that only allow `null` make no variant; `null` is allowed where the union is used.
    pub(super) fn untagged(
        &mut self,
        name: &str,
        members: &'s [Schema],
        at: &Pointer,
    ) -> UntaggedUnion {
        let mut seen = Namespace::with_reserved([UNKNOWN]);
        let mut variants = Vec::new();
        for (index, member) in members.iter().enumerate() {
            if is_null_schema(member) {
                continue;
            }
            let member_at = at.join(index);
            let context = match &member.title {
                Some(title) => format!("{name}{}", names::bare(&names::type_name(title))),
                None => format!("{name}Variant{index}"),
            };
            let ty = self.field_type(member, &context, &member_at);
            // An inline member's type is named after the union; its variant needs no prefix.
            let label = match (&member.title, &ty) {
                (Some(title), _) => title.clone(),
                (None, Type::Named(_)) if member.reference.is_none() => format!("Variant{index}"),
                _ => type_label(&ty),
            };
            variants.push(variant(&label, ty, &mut seen));
        }
        UntaggedUnion {
            variants,
            unknown: UNKNOWN.to_owned(),
        }
    }

    /// An untagged union of the types a `type` list names besides `null`, such as
    /// `type: [string, integer]`; each type reads the keywords that apply to it (`items` for
    /// `array`, `format` for `string`, ...).
    pub(super) fn type_list_union(
        &mut self,
        name: &str,
        schema: &'s Schema,
        at: &Pointer,
    ) -> UntaggedUnion {
        let mut seen = Namespace::with_reserved([UNKNOWN]);
        let mut variants = Vec::new();
        let mut kinds = BTreeSet::new();
        for kind in schema.type_list.iter().flatten() {
            if kind == "null" || !kinds.insert(kind.as_str()) {
                continue;
            }
            let context = format!("{name}{}", names::bare(&names::type_name(kind)));
            let ty = self.kind_type(Some(kind), schema, &context, at);
            let label = type_label(&ty);
            variants.push(variant(&label, ty, &mut seen));
        }
        UntaggedUnion {
            variants,
            unknown: UNKNOWN.to_owned(),
        }
    }

    /// The values of an open string enum, if every member of a union (`null` aside) is text:
    /// a plain `type: string`, or a string enum, inline or through `$ref`s, possibly itself
    /// such a union. Any string is a value then, so the listed ones become variants and the
    /// others are kept as unknown values. `None` when some member is not text or none lists
    /// values (then the union is plain text, or not text at all).
    pub(super) fn open_string_enum(
        &self,
        members: &'s [Schema],
        at: &Pointer,
    ) -> Option<Vec<(&'s serde_yaml::Value, Pointer)>> {
        let mut values = Vec::new();
        // Depth first and in spec order, so the variants come in the order the spec lists them.
        let mut pending: Vec<(&'s Schema, Pointer)> = members
            .iter()
            .enumerate()
            .rev()
            .map(|(index, member)| (member, at.join(index)))
            .collect();
        let mut steps = 0;
        while let Some((member, at)) = pending.pop() {
            steps += 1;
            if steps > MAX_DEPTH * 16 {
                return None;
            }
            if is_null_schema(member) {
                continue;
            }
            if let Some(reference) = &member.reference {
                let (wire, target) = self.spec.schema(reference)?;
                let target_at = Pointer::root()
                    .join("components")
                    .join("schemas")
                    .join(wire);
                pending.push((target, target_at));
                continue;
            }
            if let Some(inner) = union_members(member) {
                let keyword = if member.any_of.is_some() {
                    "anyOf"
                } else {
                    "oneOf"
                };
                pending.extend(
                    inner
                        .iter()
                        .enumerate()
                        .rev()
                        .map(|(index, inner)| (inner, at.join(keyword).join(index))),
                );
                continue;
            }
            let text = member.kind.as_deref() == Some("string")
                || (member.kind.is_none()
                    && member
                        .enumeration
                        .as_ref()
                        .is_some_and(|values| enum_form(member, values) == EnumForm::String));
            if !text || !member.properties.is_empty() || member.all_of.is_some() {
                return None;
            }
            if let Some(listed) = &member.enumeration {
                values.extend(
                    listed
                        .iter()
                        .enumerate()
                        .map(|(index, value)| (value, at.join("enum").join(index))),
                );
            }
        }
        (!values.is_empty()).then_some(values)
    }
}

/// A union variant named after its tag (or its type) and unique within the union.
pub(super) fn variant(tag: &str, ty: Type, seen: &mut Namespace) -> UnionVariant {
    UnionVariant {
        name: seen.unique(names::bare(&names::type_name(tag)), ""),
        tag: tag.to_owned(),
        ty,
        boxed: false,
        read: VariantRead::Text,
    }
}

/// Sets how each tagged union variant's payload is read, once every item is known (through any
/// aliases): a struct without the tag among its fields reads the rest of the properties itself;
/// anything else is decoded again from the object's text.
pub(super) fn mark_reads(items: &mut BTreeMap<String, Item>) {
    let mut reads = Vec::new();
    for (name, item) in items.iter() {
        let ItemKind::Tagged(union) = &item.kind else {
            continue;
        };
        for (index, variant) in union.variants.iter().enumerate() {
            let fields = match &variant.ty {
                Type::Named(target) => struct_of(items, target),
                _ => None,
            };
            // An open object would keep the tag among its other properties when it is read
            // from the text, so it is always read from the text.
            let reads_fields = fields.is_some_and(|fields| {
                fields.additional.is_none()
                    && fields
                        .fields
                        .iter()
                        .all(|field| field.wire != union.property)
            });
            if reads_fields {
                reads.push((name.clone(), index));
            }
        }
    }
    for (name, index) in reads {
        if let Some(ItemKind::Tagged(union)) = items.get_mut(&name).map(|item| &mut item.kind) {
            union.variants[index].read = VariantRead::Fields;
        }
    }
}

/// The struct the item `name` is, or is an alias of.
fn struct_of<'a>(items: &'a BTreeMap<String, Item>, name: &str) -> Option<&'a Struct> {
    let mut name = name;
    // An alias chain longer than the items would be a cycle, which lowering reports.
    for _ in 0..=items.len() {
        match items.get(name).map(|item| &item.kind) {
            Some(ItemKind::Struct(fields)) => return Some(fields),
            Some(ItemKind::Alias(Type::Named(target))) => name = target,
            _ => return None,
        }
    }
    None
}

/// A name for an untagged variant: its type's name, or what kind of value it holds.
pub(super) fn type_label(ty: &Type) -> String {
    match ty {
        Type::String => "String".to_owned(),
        Type::Bool => "Bool".to_owned(),
        Type::I32 => "I32".to_owned(),
        Type::I64 => "I64".to_owned(),
        Type::F64 => "F64".to_owned(),
        Type::DateTime => "DateTime".to_owned(),
        Type::Json => "Json".to_owned(),
        Type::Named(name) => name.clone(),
        Type::List(item) => format!("{}List", type_label(item)),
        Type::Tuple(items) => items.iter().map(type_label).collect::<String>() + "Tuple",
        Type::Map(value) => format!("{}Map", type_label(value)),
        Type::Nullable(inner) => format!("Nullable{}", type_label(inner)),
    }
}
