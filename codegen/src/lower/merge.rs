//! The `allOf` merge: the parts of an object schema, followed through `$ref`s, gathered into
//! one set of properties.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::Pointer;
use crate::spec::model::{AdditionalProperties, Discriminator, Schema};

use super::Lowering;

/// The properties of an object schema after `allOf` is merged, with where each came from.
#[derive(Default)]
pub(super) struct Object<'s> {
    /// Property wire name to (schema, owner type name, pointer), first definition wins.
    pub(super) properties: BTreeMap<String, (&'s Schema, String, Pointer)>,
    pub(super) required: BTreeSet<String>,
    pub(super) union: Option<(&'s Discriminator, &'s [Schema], Pointer)>,
    pub(super) untagged: Option<(&'s [Schema], Pointer)>,
    pub(super) description: Option<&'s str>,
    /// Some part says `additionalProperties: false`.
    pub(super) closed: bool,
    /// Some part of its own has a discriminator but no `oneOf`: it has variants the spec does not
    /// describe, whose properties must be kept.
    pub(super) undescribed_variants: bool,
    pub(super) map_values: Option<(&'s AdditionalProperties, Pointer)>,
}

impl<'s> Lowering<'s> {
    /// Gathers the properties of `schema`, following `allOf` and `$ref`s into it; `referred` is
    /// whether `schema` was reached through a `$ref` (an ancestor, not the object itself).
    pub(super) fn collect(
        &mut self,
        schema: &'s Schema,
        owner: &str,
        at: &Pointer,
        object: &mut Object<'s>,
        visiting: &mut Vec<String>,
        referred: bool,
    ) {
        if let Some(reference) = &schema.reference {
            let Some((target, resolved)) = self.resolve_ref(reference, &at.join("$ref")) else {
                return;
            };
            if visiting.contains(&target) {
                self.error(at, format!("`allOf` cycle: `{target}` includes itself"));
                return;
            }
            let wire = reference.trim_start_matches("#/components/schemas/");
            let target_at = Pointer::root()
                .join("components")
                .join("schemas")
                .join(wire);
            let owner = target.clone();
            visiting.push(target);
            self.collect(resolved, &owner, &target_at, object, visiting, true);
            visiting.pop();
            return;
        }
        object.description = object.description.or(schema.description.as_deref());
        for (index, part) in schema.all_of.iter().flatten().enumerate() {
            let part_at = at.join("allOf").join(index);
            self.collect(part, owner, &part_at, object, visiting, referred);
        }
        for (wire, property) in &schema.properties {
            object
                .properties
                .entry(wire.clone())
                .or_insert_with(|| (property, owner.to_owned(), at.join("properties").join(wire)));
        }
        object.required.extend(schema.required.iter().cloned());
        if let Some(variants) = &schema.one_of {
            match &schema.discriminator {
                Some(discriminator) => object.union = Some((discriminator, variants, at.clone())),
                None => object.untagged = Some((variants, at.join("oneOf"))),
            }
        } else if schema.discriminator.is_some() && !referred {
            // A base schema that variants include through `allOf` names them nowhere itself.
            object.undescribed_variants = true;
        }
        match &schema.additional_properties {
            Some(AdditionalProperties::Allowed(false)) => object.closed = true,
            Some(values) => object.map_values = Some((values, at.join("additionalProperties"))),
            None => {}
        }
    }
}
