//! The `allOf` merge: the parts of an object schema, followed through `$ref`s, gathered into
//! one set of properties.
//!
//! A property declared by several parts keeps one declaration, chosen by [`merge_property`], a
//! pure function of the two schemas: a re-declaration that agrees (the same type, one adding a
//! description, one narrowing `number` to `integer` or a `$ref` to a schema that includes the
//! other) is fine, and two that cannot both hold are reported with both places, never settled by
//! whichever part came first.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::Pointer;
use crate::spec::model::{AdditionalProperties, Discriminator, Schema};

use super::Lowering;

/// The properties of an object schema after `allOf` is merged, with where each came from.
#[derive(Default)]
pub(super) struct Object<'s> {
    /// Property wire name to (schema, owner type name, pointer), as [`merge_property`] chose.
    pub(super) properties: BTreeMap<String, (&'s Schema, String, Pointer)>,
    pub(super) required: BTreeSet<String>,
    /// A discriminated union: its discriminator, members, and where its members stand
    /// (`.../oneOf` or `.../anyOf`); the schema holding the discriminator is the pointer's parent.
    pub(super) union: Option<(&'s Discriminator, &'s [Schema], Pointer, Pointer)>,
    pub(super) untagged: Option<(&'s [Schema], Pointer)>,
    pub(super) description: Option<&'s str>,
    /// Some part says `additionalProperties: false`.
    pub(super) closed: bool,
    /// Some part of its own has a discriminator but no `oneOf`: it has variants the spec does not
    /// describe, whose properties must be kept.
    pub(super) undescribed_variants: bool,
    pub(super) map_values: Option<(&'s AdditionalProperties, Pointer)>,
    /// How many `anyOf` members deep the merge is: their properties are optional, since a value
    /// need match only one member.
    pub(super) optional: usize,
    /// Properties that `anyOf` members declare in ways that cannot both hold: a value has one
    /// or the other, so the field holds any JSON.
    pub(super) widened: BTreeSet<String>,
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
            let Some((target, resolved, target_at)) = self.resolve_ref(reference, &at.join("$ref"))
            else {
                return;
            };
            if visiting.contains(&target) {
                self.error(at, format!("`allOf` cycle: `{target}` includes itself"));
                return;
            }
            let owner_name = target.clone();
            visiting.push(target);
            self.collect(resolved, &owner_name, &target_at, object, visiting, true);
            visiting.pop();
            // In 3.1 keywords beside a `$ref` apply too: properties there add to the object.
            if schema.properties.is_empty() && schema.all_of.is_none() {
                return;
            }
        }
        object.description = object.description.or(schema.description.as_deref());
        for (index, part) in schema.all_of.iter().flatten().enumerate() {
            let part_at = at.join("allOf").join(index);
            self.collect(part, owner, &part_at, object, visiting, referred);
        }
        for (wire, property) in &schema.properties {
            let property_at = at.join("properties").join(wire);
            let Some((existing, _, existing_at)) = object.properties.get(wire) else {
                object
                    .properties
                    .insert(wire.clone(), (property, owner.to_owned(), property_at));
                continue;
            };
            match merge_property(existing, property, &self.spec.schemas) {
                Ok(Keep::First) => {}
                Ok(Keep::Second) => {
                    object
                        .properties
                        .insert(wire.clone(), (property, owner.to_owned(), property_at));
                }
                Err(_) if object.optional > 0 => {
                    object.widened.insert(wire.clone());
                }
                Err(disagreement) => {
                    let message = format!(
                        "the parts of this object disagree about property `{wire}`: \
                         {disagreement} (the other declaration is at {existing_at})"
                    );
                    let diagnostic = self.spec.diag(&property_at, message).help(
                        "declare the property once, or make the declarations agree on its type",
                    );
                    self.diagnostics.push(diagnostic);
                }
            }
        }
        if object.optional == 0 {
            object.required.extend(schema.required.iter().cloned());
        }
        if let (Some(members), None) = (&schema.any_of, &schema.discriminator) {
            // Beside properties, `anyOf` members add properties a value may have.
            object.optional += 1;
            for (index, member) in members.iter().enumerate() {
                let member_at = at.join("anyOf").join(index);
                self.collect(member, owner, &member_at, object, visiting, referred);
            }
            object.optional -= 1;
        }
        // A discriminator tells the members of an `anyOf` apart as it does a `oneOf`'s.
        let tagged_any_of = schema
            .any_of
            .as_ref()
            .filter(|_| schema.discriminator.is_some());
        if let (Some(variants), Some(discriminator)) = (tagged_any_of, &schema.discriminator) {
            object.union = Some((discriminator, variants, at.clone(), at.join("anyOf")));
        } else if let Some(variants) = &schema.one_of {
            match &schema.discriminator {
                Some(discriminator) => {
                    object.union = Some((discriminator, variants, at.clone(), at.join("oneOf")))
                }
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

/// Which of two declarations of one property an object keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Keep {
    First,
    Second,
}

/// Chooses between two declarations of one property by different parts of an object, or says
/// why they cannot both hold. `schemas` are the components `$ref`s name. Compatible
/// declarations keep the one that says more: a type over none, `integer` over `number`, a
/// `$ref` to a schema that includes the other's target through `allOf`; equal ones keep the
/// first.
pub(super) fn merge_property(
    first: &Schema,
    second: &Schema,
    schemas: &BTreeMap<String, Schema>,
) -> Result<Keep, String> {
    merge_at(first, second, schemas, 0)
}

fn merge_at(
    first: &Schema,
    second: &Schema,
    schemas: &BTreeMap<String, Schema>,
    depth: usize,
) -> Result<Keep, String> {
    if depth > super::MAX_DEPTH {
        return Ok(Keep::First);
    }
    let (a, a_ref) = resolved(first, schemas);
    let (b, b_ref) = resolved(second, schemas);
    if let (Some(x), Some(y)) = (a_ref, b_ref) {
        if x == y {
            return Ok(Keep::First);
        }
        if includes(y, x, schemas) {
            return Ok(Keep::Second);
        }
        if includes(x, y, schemas) {
            return Ok(Keep::First);
        }
        if a.kind.as_deref() == Some("object") && b.kind.as_deref() == Some("object") {
            // Two objects both hold unless a property they share cannot; the later part
            // refines the earlier, so its type is kept.
            for (wire, property) in &a.properties {
                if let Some(other) = b.properties.get(wire) {
                    merge_at(property, other, schemas, depth + 1).map_err(|reason| {
                        format!("it is a `{x}` in one part and a `{y}` in another, whose `{wire}` disagree: {reason}")
                    })?;
                }
            }
            return Ok(Keep::Second);
        }
    }
    let described = |schema: &Schema, reference: Option<&str>| match (reference, &schema.kind) {
        (Some(reference), _) => format!("`{reference}`"),
        (None, Some(kind)) => format!("`{kind}`"),
        (None, None) => "untyped".to_owned(),
    };
    match (a.kind.as_deref(), b.kind.as_deref()) {
        (None, None) => Ok(Keep::First),
        (Some(_), None) => Ok(Keep::First),
        (None, Some(_)) => Ok(Keep::Second),
        (Some("number"), Some("integer")) => Ok(Keep::Second),
        (Some("integer"), Some("number")) => Ok(Keep::First),
        (Some(x), Some(y)) if x != y => Err(format!(
            "it is {} in one part and {} in another",
            described(a, a_ref),
            described(b, b_ref)
        )),
        (Some("array"), Some(_)) => match (&a.items, &b.items) {
            (Some(x), Some(y)) => merge_at(x, y, schemas, depth + 1)
                .map_err(|reason| format!("its items disagree: {reason}")),
            (None, Some(_)) => Ok(Keep::Second),
            _ => Ok(Keep::First),
        },
        (Some(_), Some(_)) => match (&a.enumeration, &b.enumeration) {
            (Some(x), Some(y)) if !x.iter().any(|value| y.contains(value)) => {
                Err("its two `enum`s have no value in common".to_owned())
            }
            (None, Some(_)) => Ok(Keep::Second),
            _ => Ok(Keep::First),
        },
    }
}

/// The schema a declaration stands for, following `$ref`s (and `allOf: [$ref]`), with the name
/// of the last component reached, if any.
fn resolved<'a>(
    schema: &'a Schema,
    schemas: &'a BTreeMap<String, Schema>,
) -> (&'a Schema, Option<&'a str>) {
    let mut schema = schema;
    let mut name = None;
    for _ in 0..super::MAX_DEPTH {
        let reference = schema
            .reference
            .as_deref()
            .or_else(|| super::schema::single_ref(schema)?.reference.as_deref());
        let Some((key, next)) =
            reference.and_then(|r| crate::spec::component(r, "schemas", schemas))
        else {
            break;
        };
        name = Some(key.as_str());
        schema = next;
    }
    (schema, name)
}

/// Whether the component `outer` includes the component `inner` through `allOf` `$ref`s.
fn includes(outer: &str, inner: &str, schemas: &BTreeMap<String, Schema>) -> bool {
    let mut pending = vec![outer];
    let mut seen = BTreeSet::new();
    while let Some(name) = pending.pop() {
        if name == inner {
            return true;
        }
        if !seen.insert(name) {
            continue;
        }
        let Some(schema) = schemas.get(name) else {
            continue;
        };
        for part in schema.all_of.iter().flatten() {
            let target = part.reference.as_deref();
            if let Some((wire, _)) =
                target.and_then(|r| crate::spec::component(r, "schemas", schemas))
            {
                pending.push(wire);
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::{merge_property, Keep};
    use crate::spec::model::Schema;

    fn schema(yaml: &str) -> Schema {
        serde_yaml::from_str(yaml).expect("a schema")
    }

    fn components() -> BTreeMap<String, Schema> {
        [
            ("base", "{type: object, properties: {id: {type: string}}}"),
            (
                "derived",
                "{allOf: [{$ref: '#/components/schemas/base'}, {properties: {n: {type: integer}}}]}",
            ),
            ("other", "{type: object, properties: {id: {type: integer}}}"),
            ("text", "{type: string}"),
        ]
        .into_iter()
        .map(|(name, yaml)| (name.to_owned(), schema(yaml)))
        .collect()
    }

    fn merged(first: &str, second: &str) -> Result<Keep, String> {
        merge_property(&schema(first), &schema(second), &components())
    }

    #[test]
    fn declarations_that_agree_keep_the_one_that_says_more() {
        assert_eq!(
            merged("{type: string}", "{type: string, description: d}"),
            Ok(Keep::First)
        );
        assert_eq!(
            merged("{description: d}", "{type: string}"),
            Ok(Keep::Second)
        );
        assert_eq!(
            merged("{type: number}", "{type: integer}"),
            Ok(Keep::Second)
        );
        assert_eq!(
            merged("{$ref: '#/components/schemas/text'}", "{type: string}"),
            Ok(Keep::First)
        );
        assert_eq!(
            merged(
                "{$ref: '#/components/schemas/base'}",
                "{$ref: '#/components/schemas/derived'}"
            ),
            Ok(Keep::Second)
        );
        assert_eq!(
            merged("{enum: [a, b]}", "{type: string, enum: [b, c]}"),
            Ok(Keep::Second)
        );
    }

    #[test]
    fn declarations_that_cannot_both_hold_are_refused() {
        let refused = |first: &str, second: &str| merged(first, second).expect_err(second);
        assert_eq!(
            refused("{type: string}", "{type: integer}"),
            "it is `string` in one part and `integer` in another"
        );
        assert_eq!(
            refused("{$ref: '#/components/schemas/text'}", "{type: boolean}"),
            "it is `text` in one part and `boolean` in another"
        );
        assert_eq!(
            refused("{type: string, enum: [a]}", "{type: string, enum: [b]}"),
            "its two `enum`s have no value in common"
        );
        assert!(refused(
            "{type: array, items: {type: string}}",
            "{type: array, items: {type: integer}}"
        )
        .starts_with("its items disagree"));
        assert!(refused(
            "{$ref: '#/components/schemas/base'}",
            "{$ref: '#/components/schemas/other'}"
        )
        .contains("whose `id` disagree"));
    }
}
