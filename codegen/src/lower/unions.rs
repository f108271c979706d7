//! Unions: discriminated `oneOf` into tagged unions, and `oneOf` without a discriminator into
//! untagged ones that keep what no variant decodes.

use std::collections::BTreeSet;

use crate::diag::Pointer;
use crate::ir::{Head, TaggedUnion, Type, UnionVariant, UntaggedUnion};
use crate::names::{self, Namespace};
use crate::spec::model::{Discriminator, Schema};

use super::merge::Object;
use super::Lowering;

impl<'s> Lowering<'s> {
    pub(super) fn tagged(
        &mut self,
        name: &str,
        object: &Object<'s>,
        discriminator: &'s Discriminator,
        one_of: &'s [Schema],
        at: &Pointer,
    ) -> TaggedUnion {
        let property = discriminator.property_name.clone();
        let mut variants = Vec::new();
        let mut seen = Namespace::with_reserved(["Unknown"]);
        let mut mapped = BTreeSet::new();
        let mapping_at = at.join("discriminator").join("mapping");
        for (tag, reference) in &discriminator.mapping {
            mapped.insert(reference.as_str());
            if let Some((target, _)) = self.resolve_ref(reference, &mapping_at.join(tag)) {
                variants.push(variant(tag, Type::Named(target), &mut seen));
            }
        }
        // OpenAPI's implicit mapping: a `oneOf` schema not in the mapping is tagged by its name.
        for (index, member) in one_of.iter().enumerate() {
            let Some(reference) = &member.reference else {
                self.error(
                    &at.join("oneOf").join(index),
                    "a discriminated `oneOf` member must be a `$ref`",
                );
                continue;
            };
            if mapped.contains(reference.as_str()) {
                continue;
            }
            if let Some((target, _)) = self.resolve_ref(reference, &at.join("oneOf").join(index)) {
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

    pub(super) fn untagged(
        &mut self,
        name: &str,
        one_of: &'s [Schema],
        at: &Pointer,
    ) -> UntaggedUnion {
        let mut seen = Namespace::with_reserved(["Unknown"]);
        let mut variants = Vec::new();
        for (index, member) in one_of.iter().enumerate() {
            let member_at = at.join(index);
            let ty = self.field_type(member, &format!("{name}Variant{index}"), &member_at);
            let label = type_label(&ty);
            variants.push(variant(&label, ty, &mut seen));
        }
        UntaggedUnion {
            variants,
            unknown: "Unknown".to_owned(),
        }
    }
}

/// A union variant named after its tag (or its type) and unique within the union.
pub(super) fn variant(tag: &str, ty: Type, seen: &mut Namespace) -> UnionVariant {
    UnionVariant {
        name: seen.unique(names::bare(&names::type_name(tag)), ""),
        tag: tag.to_owned(),
        ty,
        boxed: false,
    }
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
        Type::Map(value) => format!("{}Map", type_label(value)),
        Type::Nullable(inner) => format!("Nullable{}", type_label(inner)),
    }
}
