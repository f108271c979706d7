//! Lowering: the spec model into the IR.
//!
//! Resolves `$ref`s, merges `allOf` into flat structs, turns discriminated `oneOf` into tagged
//! unions and names inline schemas after the place they stand. It reports what it cannot lower
//! and never imports `quote`: the IR it builds is plain data.
//!
//! The stages: `select` picks the operations and the schemas they reach, the schemas and then
//! the operations are lowered, `recursion` boxes what recursive types need boxed, and `modules`
//! places every item and operation in the module it is emitted in.

mod idempotency;
mod modules;
mod operations;
mod recursion;
mod select;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Diagnostic, Pointer};
use crate::ir::{
    Additional, Crate, Field, Head, Item, ItemKind, Module, StringEnum, Struct, TaggedUnion, Type,
    UnionVariant, UntaggedUnion, Variant,
};
use crate::names::{self, Namespace};
use crate::spec::model::{AdditionalProperties, Discriminator, Schema};
use crate::spec::select::Selection;
use crate::spec::Spec;

/// How deep inline schemas may nest before we call the spec unreasonable.
const MAX_DEPTH: usize = 64;

/// Names the generated types module uses itself, which a schema type must not shadow.
const RESERVED: &[&str] = &[
    "Box",
    "BTreeMap",
    "Deserialize",
    "Deserializer",
    "Err",
    "From",
    "None",
    "Ok",
    "Option",
    "Result",
    "Serialize",
    "Serializer",
    "Some",
    "String",
    "Utc",
    "Value",
    "Vec",
];

/// The name of the map that keeps an open object's other properties, unless a property has it.
const ADDITIONAL_FIELD: &str = "additional_properties";

/// Options that are not in the spec.
#[derive(Debug, Clone)]
pub struct Options {
    /// The Cargo package name of the generated crate.
    pub package: String,
    /// The spec path as the header names it.
    pub spec_path: String,
    /// The operations to generate; the schemas are those they reach.
    pub selection: Selection,
}

/// Lowers a loaded spec into the IR, or returns every problem found.
pub fn lower(spec: &Spec, options: &Options) -> Result<Crate, Vec<Diagnostic>> {
    let mut lowering = Lowering::new(spec);
    let (plan, unmatched) = select::plan(spec, &options.selection);
    lowering.diagnostics.extend(unmatched);
    // Every component is named, selected or not, so a type keeps its name whatever is selected.
    lowering.reserve_component_names();
    let schemas = Pointer::root().join("components").join("schemas");
    for wire in &plan.schemas {
        let name = lowering.component_names[wire].clone();
        lowering.lower_named(&name, wire, &spec.schemas[wire], &schemas.join(wire));
    }
    let mut operations = operations::lower_operations(&mut lowering, &plan.operations);
    idempotency::configure(&mut operations, &options.selection);
    recursion::box_recursive(&mut lowering.items);
    let cycles = recursion::alias_cycles(&lowering.items);
    for (name, origin) in cycles {
        let diagnostic = spec
            .diag(
                &origin,
                format!("`{name}` contains itself only through type aliases"),
            )
            .help("give the recursion an object in between, such as `properties: {children: ...}`");
        lowering.diagnostics.push(diagnostic);
    }
    if !lowering.diagnostics.is_empty() {
        let mut diagnostics = lowering.diagnostics;
        diagnostics.sort_by(|a, b| (a.line, &a.pointer).cmp(&(b.line, &b.pointer)));
        diagnostics.dedup();
        return Err(diagnostics);
    }
    let mut items: Vec<Item> = lowering.items.into_values().collect();
    modules::assign(&mut items, &mut operations);
    let document = &spec.document;
    Ok(Crate {
        package: options.package.clone(),
        spec_path: options.spec_path.clone(),
        title: document.info.title.clone(),
        description: document.info.description.clone(),
        api_version: document.info.version.clone(),
        base_url: base_url(spec),
        token_env: token_env(spec),
        items,
        operations,
    })
}

/// The first server's URL with its variables' defaults filled in.
fn base_url(spec: &Spec) -> String {
    let Some(server) = spec.document.servers.first() else {
        return "http://localhost".to_owned();
    };
    let mut url = server.url.clone();
    for (name, variable) in &server.variables {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    url.trim_end_matches('/').to_owned()
}

/// The token's environment variable: the bearer scheme's `x-fern-bearer.env`, or `API_TOKEN`.
fn token_env(spec: &Spec) -> String {
    spec.document
        .components
        .security_schemes
        .values()
        .find_map(|scheme| scheme.fern_bearer.as_ref()?.env.clone())
        .unwrap_or_else(|| "API_TOKEN".to_owned())
}

/// The properties of an object schema after `allOf` is merged, with where each came from.
#[derive(Default)]
struct Object<'s> {
    /// Property wire name to (schema, owner type name, pointer), first definition wins.
    properties: BTreeMap<String, (&'s Schema, String, Pointer)>,
    required: BTreeSet<String>,
    union: Option<(&'s Discriminator, &'s [Schema], Pointer)>,
    untagged: Option<(&'s [Schema], Pointer)>,
    description: Option<&'s str>,
    /// Some part says `additionalProperties: false`.
    closed: bool,
    /// Some part of its own has a discriminator but no `oneOf`: it has variants the spec does not
    /// describe, whose properties must be kept.
    undescribed_variants: bool,
    map_values: Option<(&'s AdditionalProperties, Pointer)>,
}

pub(crate) struct Lowering<'s> {
    pub(crate) spec: &'s Spec,
    /// Component wire name to Rust type name.
    component_names: BTreeMap<String, String>,
    /// Every item so far, by Rust name.
    pub(crate) items: BTreeMap<String, Item>,
    /// Every type name handed out, to keep them unique.
    types: Namespace,
    /// Inline schemas already lowered, by where they stand.
    inline: BTreeMap<Pointer, String>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    depth: usize,
}

impl<'s> Lowering<'s> {
    fn new(spec: &'s Spec) -> Self {
        Self {
            spec,
            component_names: BTreeMap::new(),
            items: BTreeMap::new(),
            types: Namespace::with_reserved(RESERVED.iter().copied()),
            inline: BTreeMap::new(),
            diagnostics: Vec::new(),
            depth: 0,
        }
    }

    pub(crate) fn error(&mut self, at: &Pointer, message: impl Into<String>) {
        let diagnostic = self.spec.diag(at, message);
        self.diagnostics.push(diagnostic);
    }

    /// Names every component up front, so refs resolve whatever the order, and so collisions
    /// after case conversion resolve the same way every run: sorted by wire name, later ones
    /// get a numeric suffix.
    fn reserve_component_names(&mut self) {
        let wires: Vec<String> = self.spec.schemas.keys().cloned().collect();
        for wire in wires {
            let name = self.unique(&names::type_name(&wire));
            self.component_names.insert(wire, name);
        }
    }

    /// `candidate`, or `candidate2`, `candidate3`... whichever type name is free first.
    pub(crate) fn unique(&mut self, candidate: &str) -> String {
        self.types.unique(names::bare(candidate), "")
    }

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

    fn check_keywords(&mut self, schema: &Schema, at: &Pointer) {
        if schema.any_of.is_some() {
            self.error(&at.join("anyOf"), "`anyOf` is not supported");
        }
        if schema.not.is_some() {
            self.error(&at.join("not"), "`not` is not supported");
        }
        for key in schema.other.keys() {
            if !key.starts_with("x-") && !IGNORED_KEYWORDS.contains(&key.as_str()) {
                self.error(&at.join(key), format!("unknown schema keyword `{key}`"));
            }
        }
    }

    /// Lowers a named schema (a component, or an inline schema given a name) into an item.
    fn lower_named(&mut self, name: &str, wire: &str, schema: &'s Schema, at: &Pointer) {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.depth -= 1;
            self.error(at, format!("schemas nest more than {MAX_DEPTH} deep"));
            return;
        }
        self.check_keywords(schema, at);
        let kind = self.lower_kind(name, schema, at);
        self.depth -= 1;
        let Some(kind) = kind else { return };
        let doc = schema
            .description
            .clone()
            .or_else(|| self.inherited_doc(schema));
        self.items.insert(
            name.to_owned(),
            Item {
                name: name.to_owned(),
                wire: wire.to_owned(),
                origin: at.clone(),
                doc,
                kind,
                module: Module::default(),
            },
        );
    }

    /// A schema that is only `allOf: [$ref]` takes the description of what it refers to.
    fn inherited_doc(&self, schema: &Schema) -> Option<String> {
        let [only] = schema.all_of.as_deref()? else {
            return None;
        };
        let wire = only
            .reference
            .as_deref()?
            .strip_prefix("#/components/schemas/")?;
        self.spec.schemas.get(wire)?.description.clone()
    }

    fn lower_kind(&mut self, name: &str, schema: &'s Schema, at: &Pointer) -> Option<ItemKind> {
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

    /// Gathers the properties of `schema`, following `allOf` and `$ref`s into it; `referred` is
    /// whether `schema` was reached through a `$ref` (an ancestor, not the object itself).
    fn collect(
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

    /// Fields for the collected properties, leaving out the union tag, and the field names
    /// taken.
    fn fields(&mut self, object: &Object<'s>, skip: Option<&str>) -> (Vec<Field>, Namespace) {
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
    fn ref_doc(&self, schema: &Schema) -> Option<String> {
        let wire = schema
            .reference
            .as_deref()?
            .strip_prefix("#/components/schemas/")?;
        self.spec.schemas.get(wire)?.description.clone()
    }

    /// Whether a value of `schema` may be `null`: it says so, or the schema its `$ref` names
    /// does. Nullability belongs to the place a value stands, so named schemas do not carry it.
    fn is_nullable(&self, schema: &Schema) -> bool {
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

    fn string_enum(&mut self, values: &[serde_yaml::Value], at: &Pointer) -> StringEnum {
        let mut variants = Vec::new();
        let mut seen = Namespace::with_reserved(["Unknown"]);
        for (index, value) in values.iter().enumerate() {
            let wire = match value {
                serde_yaml::Value::String(text) => text.clone(),
                serde_yaml::Value::Null => continue,
                _ => {
                    self.error(
                        &at.join("enum").join(index),
                        "a string enum value is not a string",
                    );
                    continue;
                }
            };
            let name = seen.unique(names::bare(&names::type_name(&wire)), "");
            variants.push(Variant { name, wire });
        }
        StringEnum {
            variants,
            unknown: "Unknown".to_owned(),
        }
    }

    fn tagged(
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

    fn untagged(&mut self, name: &str, one_of: &'s [Schema], at: &Pointer) -> UntaggedUnion {
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

    fn map_type(&mut self, values: &'s AdditionalProperties, context: &str, at: &Pointer) -> Type {
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
fn single_ref(schema: &Schema) -> Option<&Schema> {
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

/// A union variant named after its tag (or its type) and unique within the union.
fn variant(tag: &str, ty: Type, seen: &mut Namespace) -> UnionVariant {
    UnionVariant {
        name: seen.unique(names::bare(&names::type_name(tag)), ""),
        tag: tag.to_owned(),
        ty,
        boxed: false,
    }
}

/// A name for an untagged variant: its type's name, or what kind of value it holds.
fn type_label(ty: &Type) -> String {
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

/// Keywords that only annotate a schema: read and ignored.
const IGNORED_KEYWORDS: &[&str] = &[
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "default",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "pattern",
    "uniqueItems",
    "externalDocs",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minProperties",
    "maxProperties",
    "xml",
];
