//! Lowering: the spec model into the IR.
//!
//! Resolves `$ref`s, merges `allOf` into flat structs, turns discriminated `oneOf` into tagged
//! unions and names inline schemas after the place they stand. It reports what it cannot lower
//! and never imports `quote`: the IR it builds is plain data.

mod operations;

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Diagnostic, Pointer};
use crate::ir::{
    Crate, Field, Head, Item, ItemKind, StringEnum, Struct, TaggedUnion, Type, UnionVariant,
    UntaggedUnion, Variant,
};
use crate::names;
use crate::spec::model::{AdditionalProperties, Discriminator, Schema};
use crate::spec::Spec;

/// How deep inline schemas may nest before we call the spec unreasonable.
const MAX_DEPTH: usize = 64;

/// Names the generated code uses itself, which a schema type must not shadow.
const RESERVED: &[&str] = &[
    "Box",
    "BTreeMap",
    "Deserialize",
    "Deserializer",
    "Err",
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

/// Options that are not in the spec.
#[derive(Debug, Clone)]
pub struct Options {
    /// The Cargo package name of the generated crate.
    pub package: String,
    /// The spec path as the header names it.
    pub spec_path: String,
}

/// Lowers a loaded spec into the IR, or returns every problem found.
pub fn lower(spec: &Spec, options: &Options) -> Result<Crate, Vec<Diagnostic>> {
    let mut lowering = Lowering::new(spec);
    lowering.reserve_component_names();
    let schemas = Pointer::root().join("components").join("schemas");
    for (wire, schema) in &spec.schemas {
        let name = lowering.component_names[wire].clone();
        lowering.lower_named(&name, wire, schema, &schemas.join(wire));
    }
    let operations = operations::lower_operations(&mut lowering);
    lowering.box_recursive_fields();
    if !lowering.diagnostics.is_empty() {
        let mut diagnostics = lowering.diagnostics;
        diagnostics.sort_by(|a, b| (a.line, &a.pointer).cmp(&(b.line, &b.pointer)));
        diagnostics.dedup();
        return Err(diagnostics);
    }
    let document = &spec.document;
    Ok(Crate {
        package: options.package.clone(),
        spec_path: options.spec_path.clone(),
        title: document.info.title.clone(),
        description: document.info.description.clone(),
        api_version: document.info.version.clone(),
        base_url: base_url(spec),
        token_env: token_env(spec),
        items: lowering.items.into_values().collect(),
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
    has_shape: bool,
    map_values: Option<(&'s AdditionalProperties, Pointer)>,
}

pub(crate) struct Lowering<'s> {
    pub(crate) spec: &'s Spec,
    /// Component wire name to Rust type name.
    component_names: BTreeMap<String, String>,
    /// Every item so far, by Rust name.
    pub(crate) items: BTreeMap<String, Item>,
    /// Every Rust name handed out, to keep them unique.
    taken: BTreeSet<String>,
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
            taken: RESERVED.iter().map(|s| (*s).to_owned()).collect(),
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

    /// `candidate`, or `candidate2`, `candidate3`... whichever is free first.
    pub(crate) fn unique(&mut self, candidate: &str) -> String {
        let base = names::bare(candidate).to_owned();
        let mut name = base.clone();
        let mut n = 1;
        while self.taken.contains(&name) {
            n += 1;
            name = format!("{base}{n}");
        }
        self.taken.insert(name.clone());
        name
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
            return Some(ItemKind::Alias(self.field_type(schema, name, at)));
        }
        let mut object = Object::default();
        let mut visiting = Vec::new();
        self.collect(schema, name, at, &mut object, &mut visiting);
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
        if object.properties.is_empty() && !object.has_shape {
            if let Some((values, values_at)) = object.map_values {
                return Some(ItemKind::Alias(self.map_type(values, name, &values_at)));
            }
        }
        let fields = self.fields(&object, None);
        Some(ItemKind::Struct(Struct { fields }))
    }

    /// Gathers the properties of `schema`, following `allOf` and `$ref`s into it.
    fn collect(
        &mut self,
        schema: &'s Schema,
        owner: &str,
        at: &Pointer,
        object: &mut Object<'s>,
        visiting: &mut Vec<String>,
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
            visiting.push(target);
            let owner = self.component_names[wire].clone();
            self.collect(resolved, &owner, &target_at, object, visiting);
            visiting.pop();
            return;
        }
        object.description = object.description.or(schema.description.as_deref());
        if schema.kind.as_deref() == Some("object") || !schema.properties.is_empty() {
            object.has_shape |=
                !schema.properties.is_empty() || schema.additional_properties.is_none();
        }
        for (index, part) in schema.all_of.iter().flatten().enumerate() {
            self.collect(part, owner, &at.join("allOf").join(index), object, visiting);
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
        }
        if let Some(values) = &schema.additional_properties {
            if !matches!(values, AdditionalProperties::Allowed(false)) {
                object.map_values = Some((values, at.join("additionalProperties")));
            }
        }
    }

    /// Fields for the collected properties, leaving out the union tag.
    fn fields(&mut self, object: &Object<'s>, skip: Option<&str>) -> Vec<Field> {
        let mut fields = Vec::new();
        let mut field_names = BTreeSet::new();
        for (wire, (schema, owner, at)) in &object.properties {
            if Some(wire.as_str()) == skip {
                continue;
            }
            let context = format!("{owner}{}", names::bare(&names::type_name(wire)));
            let ty = self.field_type(schema, &context, at);
            let mut name = names::value_name(wire);
            let mut n = 1;
            while !field_names.insert(name.clone()) {
                n += 1;
                name = format!("{}_{n}", names::bare(&names::value_name(wire)));
            }
            fields.push(Field {
                name,
                wire: wire.clone(),
                doc: schema.description.clone().or_else(|| self.ref_doc(schema)),
                ty,
                required: object.required.contains(wire),
                nullable: schema.nullable,
                boxed: false,
            });
        }
        fields
    }

    /// The description of what a `$ref` points to, for fields that have none of their own.
    fn ref_doc(&self, schema: &Schema) -> Option<String> {
        let wire = schema
            .reference
            .as_deref()?
            .strip_prefix("#/components/schemas/")?;
        self.spec.schemas.get(wire)?.description.clone()
    }

    fn string_enum(&mut self, values: &[serde_yaml::Value], at: &Pointer) -> StringEnum {
        let mut variants = Vec::new();
        let mut seen = BTreeSet::new();
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
            let mut name = names::bare(&names::type_name(&wire)).to_owned();
            let base = name.clone();
            let mut n = 1;
            while name == "Unknown" || !seen.insert(name.clone()) {
                n += 1;
                name = format!("{base}{n}");
            }
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
        let mut seen = BTreeSet::new();
        let mut mapped = BTreeSet::new();
        let mapping_at = at.join("discriminator").join("mapping");
        for (tag, reference) in &discriminator.mapping {
            mapped.insert(reference.as_str());
            if let Some((target, _)) = self.resolve_ref(reference, &mapping_at.join(tag)) {
                variants.push(self.variant(tag, Type::Named(target), &mut seen));
            }
        }
        // OpenAPI's implicit mapping: a `oneOf` schema not in the mapping is tagged by its name.
        for (index, variant) in one_of.iter().enumerate() {
            let Some(reference) = &variant.reference else {
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
                variants.push(self.variant(&tag, Type::Named(target), &mut seen));
            }
        }
        let fields = self.fields(object, Some(&property));
        let head = (!fields.is_empty()).then(|| Head {
            kind_field: if fields.iter().any(|f| f.name == "kind") {
                "variant"
            } else {
                "kind"
            }
            .to_owned(),
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

    fn variant(&mut self, tag: &str, ty: Type, seen: &mut BTreeSet<String>) -> UnionVariant {
        let base = names::bare(&names::type_name(tag)).to_owned();
        let mut name = base.clone();
        let mut n = 1;
        while name == "Unknown" || !seen.insert(name.clone()) {
            n += 1;
            name = format!("{base}{n}");
        }
        UnionVariant {
            name,
            tag: tag.to_owned(),
            ty,
        }
    }

    fn untagged(&mut self, name: &str, one_of: &'s [Schema], at: &Pointer) -> UntaggedUnion {
        let mut seen = BTreeSet::new();
        let mut variants = Vec::new();
        for (index, member) in one_of.iter().enumerate() {
            let member_at = at.join(index);
            let ty = self.field_type(member, &format!("{name}Variant{index}"), &member_at);
            let label = match &ty {
                Type::Named(target) => target.clone(),
                other => format!("{other:?}"),
            };
            variants.push(self.variant(&label, ty, &mut seen));
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

    /// The type of a property or item schema; inline structured schemas become named items.
    pub(crate) fn field_type(&mut self, schema: &'s Schema, context: &str, at: &Pointer) -> Type {
        if let Some(reference) = &schema.reference {
            return match self.resolve_ref(reference, &at.join("$ref")) {
                Some((target, _)) => Type::Named(target),
                None => Type::Json,
            };
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

    /// Boxes struct fields whose type contains the struct itself without an indirection in
    /// between, which would otherwise make an infinitely large type.
    fn box_recursive_fields(&mut self) {
        let edges: BTreeMap<String, Vec<String>> = self
            .items
            .iter()
            .map(|(name, item)| (name.clone(), direct_children(&item.kind)))
            .collect();
        let mut to_box = Vec::new();
        for (name, item) in &self.items {
            for (index, field) in item_fields(&item.kind).iter().enumerate() {
                if let Type::Named(target) = &field.ty {
                    if reaches(&edges, target, name) {
                        to_box.push((name.clone(), index));
                    }
                }
            }
        }
        for (name, index) in to_box {
            if let Some(item) = self.items.get_mut(&name) {
                if let Some(field) = item_fields_mut(&mut item.kind).get_mut(index) {
                    field.boxed = true;
                }
            }
        }
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

fn item_fields(kind: &ItemKind) -> &[Field] {
    match kind {
        ItemKind::Struct(s) => &s.fields,
        ItemKind::Tagged(TaggedUnion {
            head: Some(head), ..
        }) => &head.fields,
        _ => &[],
    }
}

fn item_fields_mut(kind: &mut ItemKind) -> &mut [Field] {
    match kind {
        ItemKind::Struct(s) => &mut s.fields,
        ItemKind::Tagged(TaggedUnion {
            head: Some(head), ..
        }) => &mut head.fields,
        _ => &mut [],
    }
}

/// The named types an item holds by value (not behind a `Vec` or map).
fn direct_children(kind: &ItemKind) -> Vec<String> {
    let mut out: Vec<String> = item_fields(kind)
        .iter()
        .filter_map(|f| match &f.ty {
            Type::Named(n) => Some(n.clone()),
            _ => None,
        })
        .collect();
    let variants = match kind {
        ItemKind::Tagged(u) => u.variants.as_slice(),
        ItemKind::Untagged(u) => u.variants.as_slice(),
        _ => &[],
    };
    out.extend(variants.iter().filter_map(|v| match &v.ty {
        Type::Named(n) => Some(n.clone()),
        _ => None,
    }));
    if let ItemKind::Alias(Type::Named(n)) = kind {
        out.push(n.clone());
    }
    out
}

/// Whether `from` holds `to` by value, directly or through other items.
fn reaches(edges: &BTreeMap<String, Vec<String>>, from: &str, to: &str) -> bool {
    let mut stack = vec![from.to_owned()];
    let mut seen = BTreeSet::new();
    while let Some(next) = stack.pop() {
        if next == to {
            return true;
        }
        if seen.insert(next.clone()) {
            stack.extend(edges.get(&next).into_iter().flatten().cloned());
        }
    }
    false
}
