//! Operations: paths and methods into IR operations with their query, body, success and error
//! cases, and cursor pagination where the request and response have its shape.
//!
//! Operations share one namespace of function names (which are also their module names and the
//! client's method names) and one of type names (error unions and query structs); both are
//! filled in spec order (paths sorted, methods in [`METHODS`] order), so collisions after case
//! conversion always resolve the same way.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::Pointer;
use crate::ir::{
    ErrorCase, Field, ItemKind, Method, Module, Operation, Pagination, Param, Query, QueryField,
    Success, Type,
};
use crate::names::{self, Namespace};
use crate::spec::model::{self, MediaType, Parameter, RequestBody, Schema};

use super::modules::CRATE_NAMES;
use super::Lowering;

pub(super) const METHODS: [(&str, Method); 7] = [
    ("get", Method::Get),
    ("put", Method::Put),
    ("post", Method::Post),
    ("delete", Method::Delete),
    ("patch", Method::Patch),
    ("head", Method::Head),
    ("options", Method::Options),
];

/// Function names an operation cannot have: the methods `Client` and `BlockingClient` have
/// already (the runtime's and `builder` in `lib.rs`), the `types` module the operations module
/// imports, and (in [`CRATE_NAMES`]) the crates the operations' code names by path, since each
/// operation's module is glob-imported into the others.
const RESERVED_FUNCTIONS: &[&str] = &[
    "agent",
    "builder",
    "call",
    "config",
    "execute",
    "new",
    "send",
    "send_once",
    "transport",
    "types",
];

/// Type names the operations module uses itself, and `Pages`, which each paginated operation's
/// module defines.
const RESERVED_TYPES: &[&str] = &[
    "Box",
    "Client",
    "ClientError",
    "Err",
    "None",
    "Ok",
    "Option",
    "Pages",
    "Result",
    "Some",
    "String",
    "Transport",
    "Vec",
];

/// Argument names of an operation's functions besides its path parameters.
const RESERVED_ARGUMENTS: &[&str] = &["body", "config", "query", "response"];

/// The names handed out to operations so far.
struct OperationNames {
    functions: Namespace,
    types: Namespace,
}

impl OperationNames {
    fn new() -> Self {
        let functions = RESERVED_FUNCTIONS.iter().chain(CRATE_NAMES);
        Self {
            functions: Namespace::with_reserved(functions.copied()),
            types: Namespace::with_reserved(RESERVED_TYPES.iter().copied()),
        }
    }

    /// A free function name for `id` whose paginator twin (`<name>_all`) is free too.
    fn function(&mut self, id: &str) -> String {
        let base = names::value_name(id);
        let mut n = 1;
        loop {
            let name = if n == 1 {
                base.clone()
            } else {
                format!("{}_{n}", names::bare(&base))
            };
            let all = format!("{}_all", names::bare(&name));
            if !self.functions.contains(&name) && !self.functions.contains(&all) {
                self.functions.reserve(&name);
                self.functions.reserve(&all);
                return name;
            }
            n += 1;
        }
    }
}

pub(super) fn lower_operations(
    lowering: &mut Lowering<'_>,
    selected: &BTreeSet<(String, &'static str)>,
) -> Vec<Operation> {
    let spec = lowering.spec;
    let mut operations = Vec::new();
    let mut ids: BTreeSet<String> = BTreeSet::new();
    let mut names = OperationNames::new();
    for (path, item) in &spec.paths {
        let path_at = Pointer::root().join("paths").join(path);
        for (key, method) in METHODS {
            let Some(operation) = operation_of(item, method) else {
                continue;
            };
            if !selected.contains(&(path.clone(), key)) {
                continue;
            }
            let at = path_at.join(key);
            let Some(id) = operation.operation_id.clone() else {
                lowering.error(&at, "operation has no `operationId`");
                continue;
            };
            if !ids.insert(id.clone()) {
                lowering.error(
                    &at.join("operationId"),
                    format!("duplicate operationId `{id}`"),
                );
                continue;
            }
            let place = Place {
                path,
                method,
                item,
                operation,
                id: &id,
                at: &at,
            };
            operations.push(lower_operation(lowering, &mut names, &place));
        }
    }
    operations.sort_by(|a, b| a.fn_name.cmp(&b.fn_name));
    operations
}

pub(super) fn operation_of(item: &model::PathItem, method: Method) -> Option<&model::Operation> {
    match method {
        Method::Get => item.get.as_ref(),
        Method::Put => item.put.as_ref(),
        Method::Post => item.post.as_ref(),
        Method::Delete => item.delete.as_ref(),
        Method::Patch => item.patch.as_ref(),
        Method::Head => item.head.as_ref(),
        Method::Options => item.options.as_ref(),
    }
}

/// Where an operation stands in the spec.
struct Place<'p, 's> {
    path: &'s str,
    method: Method,
    item: &'s model::PathItem,
    operation: &'s model::Operation,
    id: &'p str,
    at: &'p Pointer,
}

fn lower_operation<'s>(
    lowering: &mut Lowering<'s>,
    names: &mut OperationNames,
    place: &Place<'_, 's>,
) -> Operation {
    let (operation, at) = (place.operation, place.at);
    let fn_name = names.function(place.id);
    let type_prefix = names::bare(&names::type_name(place.id)).to_owned();
    let (path_params, query_fields) = parameters(lowering, place, &type_prefix);
    let query = (!query_fields.is_empty()).then(|| Query {
        name: names.types.unique(
            &operation
                .request_name
                .as_deref()
                .map(|name| names::bare(&names::type_name(name)).to_owned())
                .unwrap_or_else(|| format!("{type_prefix}Query")),
            "",
        ),
        fields: query_fields,
    });
    let error_enum = names.types.unique(&format!("{type_prefix}Error"), "");
    let body = operation
        .request_body
        .as_ref()
        .and_then(|body| request_body(lowering, body, &type_prefix, at));
    let (success, errors) = responses(lowering, operation, &type_prefix, at);
    // A scan over a path with parameters would need them in every page's request too.
    let pagination = if path_params.is_empty() {
        pagination(lowering, &query, body.as_ref(), success.ty.as_ref())
    } else {
        None
    };
    Operation {
        wire: place.id.to_owned(),
        fn_name,
        tags: operation.tags.clone(),
        module: Module::default(),
        error_enum,
        origin: at.clone(),
        summary: operation.summary.clone(),
        doc: operation.description.clone(),
        method: place.method,
        path: place.path.to_owned(),
        path_params,
        query,
        body,
        success,
        errors,
        pagination,
        idempotent: super::idempotency::by_spec(place.method, operation.idempotent),
    }
}

/// The path parameters and query fields: the path's parameters, overridden by the operation's
/// own with the same name and location.
fn parameters<'s>(
    lowering: &mut Lowering<'s>,
    place: &Place<'_, 's>,
    type_prefix: &str,
) -> (Vec<Param>, Vec<QueryField>) {
    let path_list = Pointer::root()
        .join("paths")
        .join(place.path)
        .join("parameters");
    let own_list = place.at.join("parameters");
    let mut merged: Vec<(&'s Parameter, Pointer)> = Vec::new();
    let lists = [
        (&place.item.parameters, path_list),
        (&place.operation.parameters, own_list),
    ];
    for (list, list_at) in lists {
        for (index, param) in list.iter().enumerate() {
            let Some((param, param_at)) = resolve_component(
                lowering,
                param,
                param.reference.as_deref(),
                ("parameters", &lowering.spec.parameters, "parameter"),
                &list_at.join(index),
            ) else {
                continue;
            };
            merged.retain(|(p, _)| (&p.name, &p.location) != (&param.name, &param.location));
            merged.push((param, param_at));
        }
    }
    let mut path_params = Vec::new();
    let mut query_fields = Vec::new();
    let mut arguments = Namespace::with_reserved(RESERVED_ARGUMENTS.iter().copied());
    let mut fields = Namespace::default();
    for (param, param_at) in merged {
        if param.content.is_some() {
            lowering.error(
                &param_at.join("content"),
                format!(
                    "parameter `{}` is described by `content`, which is not supported",
                    param.name
                ),
            );
            continue;
        }
        let context = format!(
            "{type_prefix}{}",
            names::bare(&names::type_name(&param.name))
        );
        let ty = match &param.schema {
            Some(schema) => lowering.schema_type(schema, &context, &param_at.join("schema")),
            None => Type::String,
        };
        let style = param.style.as_deref();
        match param.location.as_str() {
            "path" => {
                if !matches!(style, None | Some("simple")) {
                    unsupported_style(lowering, param, &param_at);
                    continue;
                }
                if !is_scalar(lowering, &ty) {
                    lowering.error(
                        &param_at.join("schema"),
                        format!(
                            "path parameter `{}` is not a string, number, boolean or string enum",
                            param.name
                        ),
                    );
                    continue;
                }
                path_params.push(Param {
                    name: arguments.unique(&names::value_name(&param.name), "_"),
                    wire: param.name.clone(),
                    ty,
                });
            }
            "query" => {
                if !matches!(style, None | Some("form")) {
                    unsupported_style(lowering, param, &param_at);
                    continue;
                }
                let encodable = match &ty {
                    Type::List(item) => is_scalar(lowering, item),
                    other => is_scalar(lowering, other),
                };
                if !encodable {
                    lowering.error(
                        &param_at.join("schema"),
                        format!(
                            "query parameter `{}` is an object, which a query string cannot \
                             hold",
                            param.name
                        ),
                    );
                    continue;
                }
                query_fields.push(QueryField {
                    field: Field {
                        name: fields.unique(&names::value_name(&param.name), "_"),
                        wire: param.name.clone(),
                        doc: param.description.clone(),
                        ty,
                        required: param.required,
                        nullable: false,
                        boxed: false,
                    },
                    explode: param.explode.unwrap_or(style.unwrap_or("form") == "form"),
                });
            }
            // The transport sets headers such as `Authorization`; an optional header or cookie
            // can be left out, but a request without a required one would be wrong.
            "header" | "cookie" => {
                let authorization =
                    param.location == "header" && param.name.eq_ignore_ascii_case("authorization");
                if param.required && !authorization {
                    lowering.error(
                        &param_at,
                        format!(
                            "required {} parameter `{}` is not supported",
                            param.location, param.name
                        ),
                    );
                }
            }
            other => lowering.error(
                &param_at.join("in"),
                format!("unknown parameter location `{other}`"),
            ),
        }
    }
    (path_params, query_fields)
}

fn unsupported_style(lowering: &mut Lowering<'_>, param: &Parameter, at: &Pointer) {
    let style = param.style.as_deref().unwrap_or_default();
    let diagnostic = lowering
        .spec
        .diag(
            &at.join("style"),
            format!(
                "`style: {style}` of {} parameter `{}` is not supported",
                param.location, param.name
            ),
        )
        .help("path parameters support `simple`, query parameters `form`");
    lowering.diagnostics.push(diagnostic);
}

/// Whether a value of `ty` is text, a number, a boolean or a string enum, which is what path
/// segments and query values can hold. Any JSON is let through: it is checked when sent.
fn is_scalar(lowering: &Lowering<'_>, ty: &Type) -> bool {
    match ty {
        Type::String | Type::Bool | Type::I32 | Type::I64 | Type::F64 | Type::DateTime => true,
        Type::Json => true,
        Type::Named(name) => match lowering.items.get(name).map(|item| &item.kind) {
            Some(ItemKind::Enum(_)) => true,
            Some(ItemKind::Alias(inner)) => is_scalar(lowering, inner),
            _ => false,
        },
        Type::List(_) | Type::Map(_) | Type::Nullable(_) => false,
    }
}

/// Follows a `$ref` into `components/<section>`, giving the component and where it stands;
/// without one, `value` itself at `at`. An unresolved `$ref` is reported, as a `what`, at it.
fn resolve_component<'s, T>(
    lowering: &mut Lowering<'s>,
    value: &'s T,
    reference: Option<&str>,
    (section, components, what): (&str, &'s BTreeMap<String, T>, &str),
    at: &Pointer,
) -> Option<(&'s T, Pointer)> {
    let Some(reference) = reference else {
        return Some((value, at.clone()));
    };
    match crate::spec::component(reference, section, components) {
        Some((name, component)) => Some((
            component,
            Pointer::root().join("components").join(section).join(name),
        )),
        None => {
            lowering.error(
                &at.join("$ref"),
                format!("unresolved {what} `$ref: {reference}`"),
            );
            None
        }
    }
}

/// The JSON body's type, if the operation sends one.
fn request_body<'s>(
    lowering: &mut Lowering<'s>,
    body: &'s RequestBody,
    type_prefix: &str,
    at: &Pointer,
) -> Option<Type> {
    let spec = lowering.spec;
    let (body, body_at) = resolve_component(
        lowering,
        body,
        body.reference.as_deref(),
        ("requestBodies", &spec.request_bodies, "request body"),
        &at.join("requestBody"),
    )?;
    if body.content.is_empty() {
        return None;
    }
    let Some((media, schema)) = json_media(&body.content) else {
        let diagnostic = lowering
            .spec
            .diag(
                &body_at.join("content"),
                format!(
                    "request body media type {} is not supported",
                    media_types(&body.content)
                ),
            )
            .help("the generated client sends JSON bodies only (`application/json`)");
        lowering.diagnostics.push(diagnostic);
        return None;
    };
    let schema_at = body_at.join("content").join(media).join("schema");
    Some(match schema {
        Some(schema) => lowering.field_type(schema, &format!("{type_prefix}Body"), &schema_at),
        None => Type::Json,
    })
}

/// The success case and the error cases, sorted by status.
fn responses<'s>(
    lowering: &mut Lowering<'s>,
    operation: &'s model::Operation,
    type_prefix: &str,
    at: &Pointer,
) -> (Success, Vec<ErrorCase>) {
    let mut successes: Vec<(u16, Option<Type>)> = Vec::new();
    let mut errors = Vec::new();
    for (status, response) in &operation.responses {
        let response_at = at.join("responses").join(status);
        let Some(code) = status
            .parse::<u16>()
            .ok()
            .filter(|c| (100..=999).contains(c))
        else {
            if status != "default" {
                lowering.error(
                    &response_at,
                    format!("response status `{status}` is not a number from 100 to 999"),
                );
            }
            continue;
        };
        let Some((response, response_at)) = resolve_component(
            lowering,
            response,
            response.reference.as_deref(),
            ("responses", &lowering.spec.responses, "response"),
            &response_at,
        ) else {
            continue;
        };
        let success = (200..300).contains(&code);
        // RFC 9110: 204 and 205 responses have no body, whatever the spec documents for them.
        if success && matches!(code, 204 | 205) {
            successes.push((code, None));
            continue;
        }
        let context = format!("{type_prefix}Response{code}");
        let ty = match json_media(&response.content) {
            Some((media, schema)) => {
                let schema_at = response_at.join("content").join(media).join("schema");
                Some(match schema {
                    Some(schema) => lowering.field_type(schema, &context, &schema_at),
                    None => Type::Json,
                })
            }
            None if success && !response.content.is_empty() => {
                let diagnostic = lowering
                    .spec
                    .diag(
                        &response_at.join("content"),
                        format!(
                            "success response media type {} is not supported",
                            media_types(&response.content)
                        ),
                    )
                    .help("the generated client decodes JSON bodies only (`application/json`)");
                lowering.diagnostics.push(diagnostic);
                None
            }
            // An error body that is not JSON is kept whole, as the raw response.
            None => None,
        };
        if success {
            successes.push((code, ty));
        } else {
            errors.push(ErrorCase {
                status: code,
                variant: status_variant(code),
                doc: response.description.trim().trim_end_matches('.').to_owned(),
                has_message: ty.as_ref().is_some_and(|ty| has_message(lowering, ty)),
                ty,
            });
        }
    }
    let ty = successes.first().and_then(|(_, ty)| ty.clone());
    if successes.iter().any(|(_, other)| *other != ty) {
        let statuses: Vec<String> = successes.iter().map(|(code, _)| code.to_string()).collect();
        let diagnostic = lowering
            .spec
            .diag(
                &at.join("responses"),
                format!(
                    "the success responses ({}) do not share one body type",
                    statuses.join(", ")
                ),
            )
            .help("document one success status, or the same schema for each");
        lowering.diagnostics.push(diagnostic);
    }
    let mut statuses: Vec<u16> = successes.iter().map(|(code, _)| *code).collect();
    if statuses.is_empty() {
        statuses.push(200);
    }
    (Success { statuses, ty }, errors)
}

/// The first JSON media type (`application/json`, or any `+json` type) and its schema.
fn json_media(content: &BTreeMap<String, MediaType>) -> Option<(&str, Option<&Schema>)> {
    content
        .iter()
        .find(|(media, _)| {
            let essence = media.split(';').next().unwrap_or_default().trim();
            essence == "application/json" || essence.ends_with("+json")
        })
        .map(|(media, value)| (media.as_str(), value.schema.as_ref()))
}

/// The media types of `content`, for diagnostics: `` `text/plain` `` or
/// `` `a`, `b` ``.
fn media_types(content: &BTreeMap<String, MediaType>) -> String {
    let listed: Vec<String> = content.keys().map(|media| format!("`{media}`")).collect();
    listed.join(", ")
}

/// `TooManyRequests` for 429: the canonical reason phrase in UpperCamelCase.
fn status_variant(code: u16) -> String {
    http::StatusCode::from_u16(code)
        .ok()
        .and_then(|status| status.canonical_reason())
        .map(|reason| names::bare(&names::type_name(reason)).to_owned())
        .unwrap_or_else(|| format!("Status{code}"))
}

/// Whether the type (after aliases) has an optional text `message` field, which the error's
/// `Display` shows when the server sent one.
fn has_message(lowering: &Lowering<'_>, ty: &Type) -> bool {
    let Type::Named(name) = ty else { return false };
    let Some(item) = lowering.items.get(name) else {
        return false;
    };
    if let ItemKind::Alias(inner) = &item.kind {
        return has_message(lowering, inner);
    }
    item.kind
        .fields()
        .iter()
        .any(|f| f.name == "message" && f.ty == Type::String && !f.required && !f.nullable)
}

/// Cursor pagination: the request has an optional text `cursor`, the response an optional text
/// `next_cursor` and exactly one array field, which is required.
fn pagination(
    lowering: &Lowering<'_>,
    query: &Option<Query>,
    body: Option<&Type>,
    response: Option<&Type>,
) -> Option<Pagination> {
    let is_cursor =
        |f: &&Field| f.wire == "cursor" && f.ty == Type::String && !f.required && !f.nullable;
    let cursor = match (query, body) {
        (_, Some(Type::Named(body))) => struct_fields(lowering, body)?.iter().find(is_cursor),
        (Some(query), None) => query.fields.iter().map(|q| &q.field).find(is_cursor),
        _ => None,
    }?;
    let Some(Type::Named(response)) = response else {
        return None;
    };
    let fields = struct_fields(lowering, response)?;
    let next = fields
        .iter()
        .find(|f| f.wire == "next_cursor" && f.ty == Type::String && !f.required && !f.nullable)?;
    let mut lists = fields.iter().filter(|f| matches!(f.ty, Type::List(_)));
    let (Some(items), None) = (lists.next(), lists.next()) else {
        return None;
    };
    let Type::List(item) = &items.ty else {
        return None;
    };
    if !items.required || items.nullable {
        return None;
    }
    Some(Pagination {
        cursor_field: cursor.name.clone(),
        next_cursor_field: next.name.clone(),
        items_field: items.name.clone(),
        item: (**item).clone(),
    })
}

fn struct_fields<'a>(lowering: &'a Lowering<'_>, name: &str) -> Option<&'a [Field]> {
    match &lowering.items.get(name)?.kind {
        ItemKind::Struct(s) => Some(&s.fields),
        _ => None,
    }
}
