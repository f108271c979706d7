//! The IR: plain data describing the Rust items to emit.
//!
//! Lowering builds it from the spec; emitters read only it. It holds no tokens and no spec types.
//! Names are final Rust names (keywords already escaped) stored beside the wire names, and every
//! node records the JSON Pointer it came from. Lists are sorted at the end of lowering, so output
//! order never depends on hashing or on the order of discovery.
//!
//! Every type here derives `Debug` and nothing else may be written by hand: the format cache
//! keys a file on the `Debug` text of the IR it is emitted from (`emit::File::key`), so a field
//! left out of `Debug` would let a changed file be taken from the cache unchanged.

use crate::diag::Pointer;

/// The whole generated crate.
#[derive(Debug, Clone)]
pub struct Crate {
    /// The Cargo package name.
    pub package: String,
    /// The spec file as named in the header of every generated file.
    pub spec_path: String,
    /// The API's title, for the crate docs.
    pub title: String,
    /// The API's description, for the crate docs.
    pub description: Option<String>,
    /// The API version the spec describes.
    pub api_version: String,
    /// The default base URL, from the first server with its variables' defaults.
    pub base_url: String,
    /// The environment variable the token is read from when none is given.
    pub token_env: String,
    /// Every schema type, sorted by name.
    pub items: Vec<Item>,
    /// Every operation, sorted by function name.
    pub operations: Vec<Operation>,
    /// What the spec describes but the crate cannot express, in spec order: operations left
    /// out and schemas typed as any JSON value, for the crate docs.
    pub left_out: Vec<LeftOut>,
    /// One cargo feature per tag, sorted by feature name.
    pub features: Vec<Feature>,
}

/// The cargo feature that compiles the operations of one tag and the types they need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    /// The feature name: the tag in kebab case, unique in the manifest.
    pub name: String,
    /// The tag as the spec names it.
    pub tag: String,
}

/// The cargo features an item, operation or module is compiled under.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Gate {
    /// In every build: used by operations without a tag, or by every tag.
    #[default]
    Always,
    /// When any of these features (sorted, never all of them) is on.
    Any(Vec<String>),
    /// When all of these features (every tag's) are on: for types no operation uses, which may
    /// name types of any tag.
    All(Vec<String>),
}

impl Gate {
    /// The gate of something several things need: open whenever any of theirs is.
    pub fn union<'a>(gates: impl IntoIterator<Item = &'a Gate>) -> Gate {
        let mut any = std::collections::BTreeSet::new();
        let mut all = None;
        for gate in gates {
            match gate {
                Gate::Always => return Gate::Always,
                Gate::Any(names) => any.extend(names.iter().cloned()),
                Gate::All(names) => all = Some(names),
            }
        }
        // Every feature on implies any one of them on.
        match all {
            Some(names) if any.is_empty() => Gate::All(names.clone()),
            _ => Gate::Any(any.into_iter().collect()),
        }
    }

    /// Whether what this gate guards is compiled with only `feature` on (of a crate with more
    /// than one tag feature).
    pub fn opens_with(&self, feature: &str) -> bool {
        match self {
            Gate::Always => true,
            Gate::Any(features) => features.iter().any(|name| name == feature),
            Gate::All(_) => false,
        }
    }
}

/// Something the spec describes that the crate leaves out or types loosely.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// An operation (left out) or a schema (typed as any JSON value).
    pub kind: LeftOutKind,
    /// Where in the spec it stands.
    pub origin: Pointer,
    /// Why: the first problem found in it.
    pub reason: String,
}

/// What was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeftOutKind {
    /// An operation, by its `operationId`, that the crate has no function for.
    Operation(String),
    /// A schema, named by its place, that the crate types as `serde_json::Value`.
    Schema,
}

/// The module an item or operation belongs to when a large crate is split into files: the tag of
/// the operations that use it, or `shared`, `errors` or `other` for types no one tag owns, cut
/// into numbered parts when too large to read.
///
/// Names are final Rust module names, unique within their namespace (types or operations).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Module {
    /// The module name, such as `rev_users`.
    pub name: String,
    /// What the module holds, for its docs, such as "Types used by operations tagged `rev-users`".
    pub doc: String,
    /// The features it is compiled under: those of everything in it.
    pub gate: Gate,
}

/// One named type.
#[derive(Debug, Clone)]
pub struct Item {
    /// The Rust type name.
    pub name: String,
    /// The schema name or place it came from, for docs.
    pub wire: String,
    /// Where in the spec it was defined.
    pub origin: Pointer,
    /// Its description.
    pub doc: Option<String>,
    /// What kind of type it is.
    pub kind: ItemKind,
    /// The module it goes in when the types are split into files.
    pub module: Module,
    /// The features it is compiled under: those of the operations that need it.
    pub gate: Gate,
}

/// The kinds of types we emit.
#[derive(Debug, Clone)]
pub enum ItemKind {
    /// An object with known fields.
    Struct(Struct),
    /// A string enum that keeps unknown values.
    Enum(StringEnum),
    /// An integer enum that keeps unknown values.
    IntEnum(IntEnum),
    /// A union told apart by a tag property, keeping unknown tags.
    Tagged(TaggedUnion),
    /// A union without a tag: the first variant that decodes wins.
    Untagged(UntaggedUnion),
    /// Another name for a type, such as a string with a format.
    Alias(Type),
}

/// An object with known fields.
#[derive(Debug, Clone)]
pub struct Struct {
    /// Its fields in wire-name order.
    pub fields: Vec<Field>,
    /// Where properties the schema does not name are kept, for open objects.
    pub additional: Option<Additional>,
}

/// The map that keeps an open object's other properties (`additionalProperties`, or the
/// undescribed variants of a discriminator without `oneOf`).
#[derive(Debug, Clone)]
pub struct Additional {
    /// The Rust field name.
    pub name: String,
    /// The type of each value.
    pub ty: Type,
}

/// One field of an object.
#[derive(Debug, Clone)]
pub struct Field {
    /// The Rust field name.
    pub name: String,
    /// The property name on the wire.
    pub wire: String,
    /// Its description.
    pub doc: Option<String>,
    /// Its type, before presence is applied.
    pub ty: Type,
    /// Whether the property must be present.
    pub required: bool,
    /// Whether the property may be `null`.
    pub nullable: bool,
    /// Whether the type must be boxed because it contains the enclosing type.
    pub boxed: bool,
}

impl Field {
    /// Whether the field can be left out of a value being built.
    pub fn has_default(&self) -> bool {
        !self.required
    }
}

/// A field's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    /// Text.
    String,
    /// `true` or `false`.
    Bool,
    /// A 32-bit integer.
    I32,
    /// A 64-bit integer.
    I64,
    /// A floating-point number.
    F64,
    /// An RFC 3339 timestamp.
    DateTime,
    /// Any JSON value.
    Json,
    /// A named item of this crate.
    Named(String),
    /// An array.
    List(Box<Type>),
    /// An array of a fixed length whose items each have their own type (`prefixItems`).
    Tuple(Vec<Type>),
    /// An object with arbitrary keys.
    Map(Box<Type>),
    /// A value that may be `null`, where it stands outside a field (list items, map values,
    /// bodies); fields say so with [`Field::nullable`] instead.
    Nullable(Box<Type>),
}

impl Type {
    /// Pushes every item this type names, at any depth, onto `out`.
    pub fn named_items<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Type::Named(name) => out.push(name),
            Type::List(inner) | Type::Map(inner) | Type::Nullable(inner) => inner.named_items(out),
            Type::Tuple(items) => {
                for item in items {
                    item.named_items(out);
                }
            }
            _ => {}
        }
    }
}

impl ItemKind {
    /// Pushes every item this kind's fields, variants or aliased type name onto `out`.
    pub fn named_items<'a>(&'a self, out: &mut Vec<&'a str>) {
        for field in self.fields() {
            field.ty.named_items(out);
        }
        for variant in self.variants() {
            variant.ty.named_items(out);
        }
        match self {
            ItemKind::Struct(s) => {
                if let Some(additional) = &s.additional {
                    additional.ty.named_items(out);
                }
            }
            ItemKind::Alias(ty) => ty.named_items(out),
            ItemKind::Enum(_)
            | ItemKind::IntEnum(_)
            | ItemKind::Tagged(_)
            | ItemKind::Untagged(_) => {}
        }
    }

    /// The named fields: a struct's, or the fields a union's variants share.
    pub fn fields(&self) -> &[Field] {
        match self {
            ItemKind::Struct(s) => &s.fields,
            ItemKind::Tagged(TaggedUnion {
                head: Some(head), ..
            }) => &head.fields,
            _ => &[],
        }
    }

    /// [`ItemKind::fields`], to change.
    pub fn fields_mut(&mut self) -> &mut [Field] {
        match self {
            ItemKind::Struct(s) => &mut s.fields,
            ItemKind::Tagged(TaggedUnion {
                head: Some(head), ..
            }) => &mut head.fields,
            _ => &mut [],
        }
    }

    /// A union's variants.
    pub fn variants(&self) -> &[UnionVariant] {
        match self {
            ItemKind::Tagged(u) => &u.variants,
            ItemKind::Untagged(u) => &u.variants,
            _ => &[],
        }
    }

    /// [`ItemKind::variants`], to change.
    pub fn variants_mut(&mut self) -> &mut [UnionVariant] {
        match self {
            ItemKind::Tagged(u) => &mut u.variants,
            ItemKind::Untagged(u) => &mut u.variants,
            _ => &mut [],
        }
    }
}

/// A string enum.
#[derive(Debug, Clone)]
pub struct StringEnum {
    /// The known values.
    pub variants: Vec<Variant>,
    /// The name of the variant that keeps an unknown value.
    pub unknown: String,
}

/// A known value of a string enum.
#[derive(Debug, Clone)]
pub struct Variant {
    /// The Rust variant name.
    pub name: String,
    /// The value on the wire.
    pub wire: String,
}

/// An integer enum.
#[derive(Debug, Clone)]
pub struct IntEnum {
    /// The known values.
    pub variants: Vec<IntVariant>,
    /// The name of the variant that keeps an unknown value.
    pub unknown: String,
}

/// A known value of an integer enum.
#[derive(Debug, Clone)]
pub struct IntVariant {
    /// The Rust variant name.
    pub name: String,
    /// The value on the wire.
    pub value: i64,
}

/// A union told apart by the string value of one property.
#[derive(Debug, Clone)]
pub struct TaggedUnion {
    /// The tag property on the wire, such as `type`.
    pub property: String,
    /// One variant per mapping entry.
    pub variants: Vec<UnionVariant>,
    /// The name of the variant that keeps an object with an unknown or missing tag.
    pub unknown: String,
    /// Fields every variant shares besides the tag; when there are any, the union is a struct
    /// of these fields plus a `kind` enum of the variants.
    pub head: Option<Head>,
}

/// The shared fields of a union and how its variant enum is named.
#[derive(Debug, Clone)]
pub struct Head {
    /// The shared fields.
    pub fields: Vec<Field>,
    /// The struct field holding the variant.
    pub kind_field: String,
    /// The enum of variants.
    pub kind_enum: String,
    /// The private struct the shared fields are read and written through.
    pub head_struct: String,
}

/// One variant of a union.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// The Rust variant name.
    pub name: String,
    /// The tag value on the wire (tagged unions only).
    pub tag: String,
    /// Its payload.
    pub ty: Type,
    /// Whether the payload must be boxed because it contains the union.
    pub boxed: bool,
    /// How a tagged union reads the payload once its tag has chosen it.
    pub read: VariantRead,
}

/// How a tagged union reads a variant's payload once the tag has chosen it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VariantRead {
    /// A struct without the tag among its fields: it reads the rest of the object's properties
    /// directly, in the same pass that read the tag.
    Fields,
    /// Anything else (a union itself, which decodes from its own captured text; a struct that
    /// has the tag as a field; a map or any JSON): decoded again from the object's text.
    #[default]
    Text,
}

/// A union without a tag.
#[derive(Debug, Clone)]
pub struct UntaggedUnion {
    /// The variants, tried in order.
    pub variants: Vec<UnionVariant>,
    /// The name of the variant that keeps a value no variant decodes.
    pub unknown: String,
}

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    /// GET.
    Get,
    /// PUT.
    Put,
    /// POST.
    Post,
    /// DELETE.
    Delete,
    /// PATCH.
    Patch,
    /// HEAD.
    Head,
    /// OPTIONS.
    Options,
}

impl Method {
    /// Whether RFC 9110 (section 9.2.2) defines the method as idempotent.
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Self::Post | Self::Patch)
    }
}

/// One operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The operationId.
    pub wire: String,
    /// The function, method and module name.
    pub fn_name: String,
    /// Its tags, in spec order; the first decides its module.
    pub tags: Vec<String>,
    /// The module it goes in when the operations are split into files.
    pub module: Module,
    /// The features it is compiled under: those of its tags.
    pub gate: Gate,
    /// The name of the error union.
    pub error_enum: String,
    /// Where in the spec it was defined.
    pub origin: Pointer,
    /// The summary, for the first doc line.
    pub summary: Option<String>,
    /// The description.
    pub doc: Option<String>,
    /// The HTTP method.
    pub method: Method,
    /// The path template, such as `/rev-users.get/{id}`.
    pub path: String,
    /// Path parameters in template order.
    pub path_params: Vec<Param>,
    /// The query and header parameters, gathered in one struct.
    pub query: Option<Query>,
    /// The request body, if the operation sends one.
    pub body: Option<RequestBody>,
    /// The success cases and what the call returns.
    pub success: Success,
    /// One case per documented error status, range or `default`, in match order.
    pub errors: Vec<ErrorCase>,
    /// Cursor pagination, if the request and response have the shape for it.
    pub pagination: Option<Pagination>,
    /// Whether sending it twice has the effect of sending it once, so that a retry after the
    /// request may have reached the server is safe.
    pub idempotent: Idempotent,
}

/// Whether an operation is idempotent, and what says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idempotent {
    /// Its HTTP method decides (RFC 9110, section 9.2.2: GET, HEAD, PUT, DELETE and OPTIONS are
    /// idempotent, POST and PATCH are not).
    ByMethod(bool),
    /// The operation's `x-idempotent` extension decides, over the method.
    BySpec(bool),
    /// The generation config's `idempotent:` list names it, over the spec and the method.
    ByConfig,
}

impl Idempotent {
    /// Whether the operation is idempotent.
    pub fn is_idempotent(self) -> bool {
        match self {
            Self::ByMethod(yes) | Self::BySpec(yes) => yes,
            Self::ByConfig => true,
        }
    }
}

impl Operation {
    /// Pushes every item the operation's signature and results name onto `out`, errors aside.
    pub fn named_items<'a>(&'a self, out: &mut Vec<&'a str>) {
        for param in &self.path_params {
            param.ty.named_items(out);
        }
        for query in self.query.iter().flat_map(|q| &q.fields) {
            query.field.ty.named_items(out);
        }
        if let Some(body) = &self.body {
            body.kind.named_items(out);
        }
        for case in &self.success.cases {
            if let ResponseBody::Json(ty) = &case.body {
                ty.named_items(out);
            }
        }
    }

    /// Pushes every item the error union names onto `out`.
    pub fn error_items<'a>(&'a self, out: &mut Vec<&'a str>) {
        for case in &self.errors {
            if let Some(ty) = &case.ty {
                ty.named_items(out);
            }
        }
    }
}

/// Where a parameter is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// As a request header.
    Header,
}

/// How a parameter (or form field) is serialised: the OpenAPI `style`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `blue,black` (path and header default).
    Simple,
    /// `.blue.black` (path).
    Label,
    /// `;color=blue` (path).
    Matrix,
    /// `color=blue&color=black` (query default).
    Form,
    /// `color=blue%20black` (query).
    SpaceDelimited,
    /// `color=blue%7Cblack` (query).
    PipeDelimited,
    /// `color%5BR%5D=100` (query objects).
    DeepObject,
}

/// A path parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// The Rust argument name.
    pub name: String,
    /// The name in the path template.
    pub wire: String,
    /// Its type.
    pub ty: Type,
    /// `simple`, `label` or `matrix`.
    pub style: ParamStyle,
    /// The spec's `explode`, defaulted.
    pub explode: bool,
}

/// The query and header parameters of one operation.
#[derive(Debug, Clone)]
pub struct Query {
    /// The struct name.
    pub name: String,
    /// One field per parameter, in spec order.
    pub fields: Vec<QueryField>,
}

/// One query or header parameter.
#[derive(Debug, Clone)]
pub struct QueryField {
    /// The field.
    pub field: Field,
    /// [`ParamLocation::Query`] or [`ParamLocation::Header`].
    pub location: ParamLocation,
    /// How it is serialised.
    pub style: ParamStyle,
    /// The spec's `explode`, defaulted (`true` for `form` only).
    pub explode: bool,
}

/// A request body: its media type and what the caller passes.
#[derive(Debug, Clone)]
pub struct RequestBody {
    /// The media type it is sent as, such as `application/json`.
    pub media: String,
    /// Whether the spec requires it (an optional body is still always sent).
    pub required: bool,
    /// How it is typed and encoded.
    pub kind: BodyKind,
}

/// How a request body is typed and encoded.
#[derive(Debug, Clone)]
pub enum BodyKind {
    /// A value serialised as JSON.
    Json(Type),
    /// An object sent as `application/x-www-form-urlencoded`.
    Form {
        /// The object's type.
        ty: Type,
        /// The properties whose `encoding` sets a style.
        encodings: Vec<FormEncoding>,
    },
    /// A `multipart/form-data` body: a struct of parts.
    Multipart(Multipart),
    /// Bytes, sent as they are.
    Binary,
    /// Text, sent as UTF-8.
    Text,
}

impl BodyKind {
    /// Pushes every item the body names onto `out`.
    pub fn named_items<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            BodyKind::Json(ty) | BodyKind::Form { ty, .. } => ty.named_items(out),
            BodyKind::Multipart(multipart) => {
                for part in &multipart.parts {
                    part.field.ty.named_items(out);
                }
            }
            BodyKind::Binary | BodyKind::Text => {}
        }
    }
}

/// The style of one form property, from the body's `encoding`.
#[derive(Debug, Clone)]
pub struct FormEncoding {
    /// The property name on the wire.
    pub wire: String,
    /// Its style.
    pub style: ParamStyle,
    /// Its `explode`, defaulted.
    pub explode: bool,
}

/// A multipart body's struct.
#[derive(Debug, Clone)]
pub struct Multipart {
    /// The struct name.
    pub name: String,
    /// One field per property, in wire-name order.
    pub parts: Vec<Part>,
}

/// One property of a multipart body.
#[derive(Debug, Clone)]
pub struct Part {
    /// The field; for files its type is unused.
    pub field: Field,
    /// How it is sent.
    pub kind: PartKind,
}

/// How a multipart property is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartKind {
    /// A file (or, with `list`, one part per file) with a default media type.
    File {
        /// An array of files.
        list: bool,
        /// The media type the spec documents, or `application/octet-stream`.
        content_type: String,
    },
    /// A text part per scalar (one per item of an array).
    Text,
    /// A JSON part.
    Json,
}

/// Which statuses a response case covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    /// One status code.
    Code(u16),
    /// A class of statuses, such as `4XX` (holding 4).
    Range(u16),
    /// Every status no other case covers (`default`).
    Default,
}

/// A response body as the caller gets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseBody {
    /// JSON decoded as the type.
    Json(Type),
    /// Bytes with their content type (`crate::Binary`).
    Binary,
    /// UTF-8 text.
    Text,
    /// No body.
    Empty,
}

/// One documented success response.
#[derive(Debug, Clone)]
pub struct SuccessCase {
    /// The statuses it covers.
    pub status: StatusMatch,
    /// The variant name in the success enum, such as `Created`.
    pub variant: String,
    /// The response description.
    pub doc: String,
    /// Its body.
    pub body: ResponseBody,
}

/// What a successful call returns.
#[derive(Debug, Clone)]
pub struct Success {
    /// The documented success cases, in match order.
    pub cases: Vec<SuccessCase>,
    /// When the cases have different bodies: the name of the enum of them, one variant each.
    pub enum_name: Option<String>,
    /// The `Accept` header: the success media types, JSON by default.
    pub accept: String,
}

impl Success {
    /// The body every case shares, when there is no success enum.
    pub fn body(&self) -> &ResponseBody {
        match (&self.enum_name, self.cases.first()) {
            (None, Some(case)) => &case.body,
            _ => &ResponseBody::Empty,
        }
    }

    /// The JSON type of the shared body, if it is one.
    pub fn json(&self) -> Option<&Type> {
        match (&self.enum_name, self.body()) {
            (None, ResponseBody::Json(ty)) => Some(ty),
            _ => None,
        }
    }
}

/// One documented error status, range or `default`.
#[derive(Debug, Clone)]
pub struct ErrorCase {
    /// The statuses it covers.
    pub status: StatusMatch,
    /// The variant name, such as `TooManyRequests`.
    pub variant: String,
    /// The response description.
    pub doc: String,
    /// The body type, if documented as JSON.
    pub ty: Option<Type>,
    /// Whether the body has a `message` text field worth showing in `Display`.
    pub has_message: bool,
}

/// How an operation pages: which request field resumes and which response fields continue.
#[derive(Debug, Clone)]
pub struct Pagination {
    /// The request (body or query) field holding the cursor.
    pub cursor_field: String,
    /// The response field holding the next cursor.
    pub next_cursor_field: String,
    /// The response field holding the page's items.
    pub items_field: String,
    /// The item type.
    pub item: Type,
}
