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
}

/// The kinds of types we emit.
#[derive(Debug, Clone)]
pub enum ItemKind {
    /// An object with known fields.
    Struct(Struct),
    /// A string enum that keeps unknown values.
    Enum(StringEnum),
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
            ItemKind::Enum(_) | ItemKind::Tagged(_) | ItemKind::Untagged(_) => {}
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
    /// The query parameters, gathered in one struct.
    pub query: Option<Query>,
    /// The JSON body.
    pub body: Option<Type>,
    /// The success status and its body, if any.
    pub success: Success,
    /// One case per documented error status, sorted by status.
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

/// A path parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// The Rust argument name.
    pub name: String,
    /// The name in the path template.
    pub wire: String,
    /// Its type.
    pub ty: Type,
}

/// The query parameters of one operation.
#[derive(Debug, Clone)]
pub struct Query {
    /// The struct name.
    pub name: String,
    /// One field per parameter, in spec order.
    pub fields: Vec<QueryField>,
}

/// One query parameter.
#[derive(Debug, Clone)]
pub struct QueryField {
    /// The field.
    pub field: Field,
    /// For arrays: repeat the name (`true`) or join with commas (`false`).
    pub explode: bool,
}

/// What a successful call returns.
#[derive(Debug, Clone)]
pub struct Success {
    /// The documented success statuses.
    pub statuses: Vec<u16>,
    /// The body type, if the success response has one.
    pub ty: Option<Type>,
}

/// One documented error status.
#[derive(Debug, Clone)]
pub struct ErrorCase {
    /// The status code.
    pub status: u16,
    /// The variant name, such as `TooManyRequests`.
    pub variant: String,
    /// The response description.
    pub doc: String,
    /// The body type, if documented.
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
