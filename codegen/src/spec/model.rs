//! The subset of OpenAPI 3.0 we read, as plain serde types.
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

/// One schema object, or a `$ref` to one.
#[derive(Debug, Default, Deserialize)]
pub struct Schema {
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub format: Option<String>,
    pub description: Option<String>,
    pub title: Option<String>,
    #[serde(default)]
    pub nullable: bool,
    #[serde(default)]
    pub properties: BTreeMap<String, Schema>,
    #[serde(default)]
    pub required: Vec<String>,
    pub items: Option<Box<Schema>>,
    #[serde(rename = "additionalProperties")]
    pub additional_properties: Option<AdditionalProperties>,
    #[serde(rename = "enum")]
    pub enumeration: Option<Vec<serde_yaml::Value>>,
    #[serde(rename = "allOf")]
    pub all_of: Option<Vec<Schema>>,
    #[serde(rename = "oneOf")]
    pub one_of: Option<Vec<Schema>>,
    #[serde(rename = "anyOf")]
    pub any_of: Option<Vec<Schema>>,
    pub not: Option<Box<Schema>>,
    pub discriminator: Option<Discriminator>,
    #[serde(flatten)]
    pub other: Extra,
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
    #[serde(rename = "in", default)]
    pub location: String,
    pub description: Option<String>,
    #[serde(default)]
    pub required: bool,
    pub explode: Option<bool>,
    pub style: Option<String>,
    pub schema: Option<Schema>,
    /// A parameter described by media type instead of `schema`, which we do not support.
    pub content: Option<serde_yaml::Value>,
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
}
