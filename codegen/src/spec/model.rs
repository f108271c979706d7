//! The subset of OpenAPI 3.0 and 3.1 we read, as plain serde types.
//!
//! Keys we do not model are kept in `other` maps so the checks can tell vendor extensions (allowed)
//! and annotations (ignored) from keywords that change meaning (reported).

use std::collections::BTreeMap;

use serde::Deserialize;

/// Any YAML value we keep without interpreting.
pub type Extra = BTreeMap<String, serde_yaml::Value>;

/// The document root.
#[derive(Debug, Deserialize)]
pub struct Document {
    pub openapi: Option<String>,
    pub swagger: Option<serde_yaml::Value>,
    #[serde(default)]
    pub info: Info,
    #[serde(default)]
    pub servers: Vec<Server>,
    #[serde(default)]
    pub paths: BTreeMap<String, serde_yaml::Value>,
    #[serde(default)]
    pub components: Components,
    /// OpenAPI 3.1 webhooks: requests the API sends, which a client does not make.
    pub webhooks: Option<serde_yaml::Value>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Info {
    #[serde(default)]
    pub title: String,
    pub description: Option<String>,
    #[serde(default)]
    pub version: String,
}

#[derive(Debug, Deserialize)]
pub struct Server {
    pub url: String,
    #[serde(default)]
    pub variables: BTreeMap<String, ServerVariable>,
}

#[derive(Debug, Deserialize)]
pub struct ServerVariable {
    pub default: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct Components {
    #[serde(default)]
    pub schemas: BTreeMap<String, serde_yaml::Value>,
    #[serde(default)]
    pub responses: BTreeMap<String, serde_yaml::Value>,
    #[serde(default)]
    pub parameters: BTreeMap<String, serde_yaml::Value>,
    #[serde(default, rename = "requestBodies")]
    pub request_bodies: BTreeMap<String, serde_yaml::Value>,
    #[serde(default, rename = "securitySchemes")]
    pub security_schemes: BTreeMap<String, SecurityScheme>,
}

#[derive(Debug, Deserialize)]
pub struct SecurityScheme {
    #[serde(rename = "type")]
    pub kind: String,
    pub scheme: Option<String>,
    #[serde(rename = "x-fern-bearer")]
    pub fern_bearer: Option<FernBearer>,
}

#[derive(Debug, Deserialize)]
pub struct FernBearer {
    pub env: Option<String>,
}

/// One schema object, or a `$ref` to one, as lowering reads it: what OpenAPI 3.0 and 3.1 (JSON
/// Schema 2020-12) say in different words is said one way here. `type: [T, "null"]` is `kind: T`
/// with `nullable`, `const: v` is `enum: [v]`, and the boolean schemas `true` and `false` are an
/// empty schema and one with [`Schema::never`] set.
#[derive(Debug, Default)]
pub struct Schema {
    pub reference: Option<String>,
    /// The one type the value has besides `null`, if `type` names one.
    pub kind: Option<String>,
    /// `type` when it is a list, as written (`null` included): lowering checks it and makes a
    /// union of a list with several types besides `null`.
    pub type_list: Option<Vec<String>>,
    pub format: Option<String>,
    pub description: Option<String>,
    pub title: Option<String>,
    /// `nullable: true` (3.0), or `null` among the types of a `type` list (3.1).
    pub nullable: bool,
    pub properties: BTreeMap<String, Schema>,
    pub required: Vec<String>,
    pub items: Option<Box<Schema>>,
    /// `prefixItems`: the schemas of a tuple's leading items, in order.
    pub prefix_items: Option<Vec<Schema>>,
    pub additional_properties: Option<AdditionalProperties>,
    /// `enum`, or the one value of `const`.
    pub enumeration: Option<Vec<serde_yaml::Value>>,
    pub all_of: Option<Vec<Schema>>,
    pub one_of: Option<Vec<Schema>>,
    pub any_of: Option<Vec<Schema>>,
    pub not: Option<Box<Schema>>,
    pub discriminator: Option<Discriminator>,
    /// `$defs`: schemas defined for `$ref`s into this one.
    pub defs: BTreeMap<String, Schema>,
    /// The boolean schema `false`, which no value matches.
    pub never: bool,
    pub other: Extra,
}

/// A schema object as written.
#[derive(Deserialize)]
struct RawSchema {
    #[serde(rename = "$ref")]
    reference: Option<String>,
    #[serde(rename = "type", default, deserialize_with = "type_keyword")]
    kind: Option<TypeKeyword>,
    format: Option<String>,
    description: Option<String>,
    title: Option<String>,
    #[serde(default)]
    nullable: bool,
    #[serde(default)]
    properties: BTreeMap<String, Schema>,
    #[serde(default)]
    required: Vec<String>,
    items: Option<Box<Schema>>,
    #[serde(rename = "prefixItems")]
    prefix_items: Option<Vec<Schema>>,
    #[serde(rename = "additionalProperties")]
    additional_properties: Option<AdditionalProperties>,
    #[serde(rename = "enum")]
    enumeration: Option<Vec<serde_yaml::Value>>,
    #[serde(rename = "const")]
    constant: Option<serde_yaml::Value>,
    #[serde(rename = "allOf")]
    all_of: Option<Vec<Schema>>,
    #[serde(rename = "oneOf")]
    one_of: Option<Vec<Schema>>,
    #[serde(rename = "anyOf")]
    any_of: Option<Vec<Schema>>,
    not: Option<Box<Schema>>,
    discriminator: Option<Discriminator>,
    #[serde(rename = "$defs", default)]
    defs: BTreeMap<String, Schema>,
    #[serde(flatten)]
    other: Extra,
}

/// `type`: one name, or (3.1) a list of them.
enum TypeKeyword {
    One(String),
    List(Vec<String>),
}

/// Reads `type` as a name or a list of names, saying which was expected otherwise.
fn type_keyword<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<TypeKeyword>, D::Error> {
    struct Visitor;
    impl<'de> serde::de::Visitor<'de> for Visitor {
        type Value = Option<TypeKeyword>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a type name or a list of type names")
        }

        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Self::Value, E> {
            Ok(Some(TypeKeyword::One(value.to_owned())))
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut names = Vec::new();
            while let Some(name) = seq.next_element::<String>()? {
                names.push(name);
            }
            Ok(Some(TypeKeyword::List(names)))
        }
    }
    deserializer.deserialize_any(Visitor)
}

impl From<RawSchema> for Schema {
    fn from(raw: RawSchema) -> Self {
        let mut nullable = raw.nullable;
        let (kind, type_list) = match raw.kind {
            None => (None, None),
            Some(TypeKeyword::One(name)) => (Some(name), None),
            Some(TypeKeyword::List(names)) => {
                let mut others = names.iter().filter(|name| *name != "null");
                let kind = match (others.next(), others.next()) {
                    (Some(one), None) => Some(one.clone()),
                    (None, _) if !names.is_empty() => Some("null".to_owned()),
                    _ => None,
                };
                nullable |= kind.as_deref() != Some("null") && names.iter().any(|n| n == "null");
                (kind, Some(names))
            }
        };
        let enumeration = raw
            .enumeration
            .or_else(|| raw.constant.map(|value| vec![value]));
        Self {
            reference: raw.reference,
            kind,
            type_list,
            format: raw.format,
            description: raw.description,
            title: raw.title,
            nullable,
            properties: raw.properties,
            required: raw.required,
            items: raw.items,
            prefix_items: raw.prefix_items,
            additional_properties: raw.additional_properties,
            enumeration,
            all_of: raw.all_of,
            one_of: raw.one_of,
            any_of: raw.any_of,
            not: raw.not,
            discriminator: raw.discriminator,
            defs: raw.defs,
            never: false,
            other: raw.other,
        }
    }
}

impl<'de> Deserialize<'de> for Schema {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Schema;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a schema (a mapping, or `true` or `false`)")
            }

            fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<Schema, E> {
                Ok(Schema {
                    never: !value,
                    ..Schema::default()
                })
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Schema, A::Error> {
                let raw =
                    RawSchema::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(raw.into())
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl Schema {
    /// Every schema directly inside this one, to change.
    fn children_mut(&mut self) -> impl Iterator<Item = &mut Schema> {
        let additional = match &mut self.additional_properties {
            Some(AdditionalProperties::Schema(values)) => Some(&mut **values),
            _ => None,
        };
        self.properties
            .values_mut()
            .chain(self.items.as_deref_mut())
            .chain(self.prefix_items.iter_mut().flatten())
            .chain(additional)
            .chain(self.all_of.iter_mut().flatten())
            .chain(self.one_of.iter_mut().flatten())
            .chain(self.any_of.iter_mut().flatten())
            .chain(self.not.as_deref_mut())
            .chain(self.defs.values_mut())
    }

    /// Resolves `$recursiveRef: "#"` (JSON Schema 2019-09, used by 3.1 documents) inside the
    /// component `name` when the component sets `$recursiveAnchor: true`: the reference then
    /// means the component itself, so it becomes a plain `$ref` to it.
    pub fn resolve_recursive_refs(&mut self, name: &str) {
        let anchored = self
            .other
            .get("$recursiveAnchor")
            .and_then(serde_yaml::Value::as_bool)
            == Some(true);
        if !anchored {
            return;
        }
        let target = crate::diag::Pointer::root()
            .join("components")
            .join("schemas")
            .join(name);
        let mut pending: Vec<&mut Schema> = self.children_mut().collect();
        while let Some(schema) = pending.pop() {
            let root = schema
                .other
                .get("$recursiveRef")
                .and_then(serde_yaml::Value::as_str)
                == Some("#");
            if root && schema.reference.is_none() {
                schema.other.remove("$recursiveRef");
                schema.reference = Some(target.as_str().to_owned());
            }
            pending.extend(schema.children_mut());
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum AdditionalProperties {
    Allowed(bool),
    Schema(Box<Schema>),
}

#[derive(Debug, Deserialize)]
pub struct Discriminator {
    #[serde(rename = "propertyName")]
    pub property_name: String,
    #[serde(default)]
    pub mapping: BTreeMap<String, String>,
}

/// The operations of one path, by method.
#[derive(Debug, Default, Deserialize)]
pub struct PathItem {
    pub get: Option<Operation>,
    pub put: Option<Operation>,
    pub post: Option<Operation>,
    pub delete: Option<Operation>,
    pub patch: Option<Operation>,
    pub head: Option<Operation>,
    pub options: Option<Operation>,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    #[serde(flatten)]
    pub other: Extra,
}

#[derive(Debug, Deserialize)]
pub struct Operation {
    #[serde(rename = "operationId")]
    pub operation_id: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    #[serde(rename = "requestBody")]
    pub request_body: Option<RequestBody>,
    #[serde(default)]
    pub responses: BTreeMap<String, Response>,
    #[serde(rename = "x-request-name")]
    pub request_name: Option<String>,
    #[serde(default)]
    pub deprecated: bool,
    /// Overrides the method's idempotency (see `ir::Idempotent`).
    #[serde(rename = "x-idempotent")]
    pub idempotent: Option<bool>,
}

#[derive(Debug, Deserialize)]
pub struct Parameter {
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    #[serde(default)]
    pub name: String,
    /// `in`; absent only on a `$ref`.
    #[serde(rename = "in")]
    pub location: Option<Location>,
    pub description: Option<String>,
    #[serde(default)]
    pub required: bool,
    pub explode: Option<bool>,
    pub style: Option<Style>,
    pub schema: Option<Schema>,
    /// A parameter described by media type instead of `schema`, which we do not support.
    pub content: Option<serde_yaml::Value>,
}

/// Where a parameter is sent (`in`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

impl Location {
    /// The keyword as the spec writes it, for diagnostics.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Path => "path",
            Self::Query => "query",
            Self::Header => "header",
            Self::Cookie => "cookie",
        }
    }
}

/// How a parameter or form field is serialised (`style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Style {
    Simple,
    Label,
    Matrix,
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

impl Style {
    /// The keyword as the spec writes it, for diagnostics.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Simple => "simple",
            Self::Label => "label",
            Self::Matrix => "matrix",
            Self::Form => "form",
            Self::SpaceDelimited => "spaceDelimited",
            Self::PipeDelimited => "pipeDelimited",
            Self::DeepObject => "deepObject",
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct RequestBody {
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub content: BTreeMap<String, MediaType>,
}

#[derive(Debug, Deserialize)]
pub struct Response {
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub content: BTreeMap<String, MediaType>,
}

#[derive(Debug, Deserialize)]
pub struct MediaType {
    pub schema: Option<Schema>,
    /// Per-property serialisation of form and multipart bodies.
    #[serde(default)]
    pub encoding: BTreeMap<String, Encoding>,
}

/// How one property of a form or multipart body is sent.
#[derive(Debug, Deserialize)]
pub struct Encoding {
    #[serde(rename = "contentType")]
    pub content_type: Option<String>,
    pub style: Option<Style>,
    pub explode: Option<bool>,
}
