//! Operations: paths and methods into IR operations with their query, body, success and error
//! cases, and cursor pagination where the request and response have its shape.

use std::collections::BTreeSet;

use crate::diag::Pointer;
use crate::ir::{
    ErrorCase, Field, ItemKind, Method, Operation, Pagination, Param, Query, QueryField, Success,
    TaggedUnion, Type,
};
use crate::names;
use crate::spec::model::{self, MediaType, Response, Schema};

use super::Lowering;

const METHODS: [(&str, Method); 7] = [
    ("get", Method::Get),
    ("put", Method::Put),
    ("post", Method::Post),
    ("delete", Method::Delete),
    ("patch", Method::Patch),
    ("head", Method::Head),
    ("options", Method::Options),
];

pub(super) fn lower_operations(lowering: &mut Lowering<'_>) -> Vec<Operation> {
    let spec = lowering.spec;
    let mut operations = Vec::new();
    let mut ids: BTreeSet<String> = BTreeSet::new();
    let mut fn_names: BTreeSet<String> = BTreeSet::new();
    for (path, item) in &spec.paths {
        let path_at = Pointer::root().join("paths").join(path);
        for (key, method) in METHODS {
            let Some(operation) = operation_of(item, method) else {
                continue;
            };
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
            let fn_name = names::value_name(&id);
            if !fn_names.insert(fn_name.clone()) {
                lowering.error(
                    &at.join("operationId"),
                    format!("operationId `{id}` gives the same function name `{fn_name}` as another operation"),
                );
                continue;
            }
            let lowered =
                lower_operation(lowering, path, method, item, operation, &id, fn_name, &at);
            operations.push(lowered);
        }
    }
    operations.sort_by(|a, b| a.fn_name.cmp(&b.fn_name));
    operations
}

fn operation_of(item: &model::PathItem, method: Method) -> Option<&model::Operation> {
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

#[allow(clippy::too_many_arguments)]
fn lower_operation<'s>(
    lowering: &mut Lowering<'s>,
    path: &str,
    method: Method,
    item: &'s model::PathItem,
    operation: &'s model::Operation,
    id: &str,
    fn_name: String,
    at: &Pointer,
) -> Operation {
    let type_prefix = names::bare(&names::type_name(id)).to_owned();
    let mut path_params = Vec::new();
    let mut query_fields = Vec::new();
    let mut field_names = BTreeSet::new();
    let params = item.parameters.iter().map(|p| {
        (
            p,
            Pointer::root().join("paths").join(path).join("parameters"),
        )
    });
    let own = operation
        .parameters
        .iter()
        .map(|p| (p, at.join("parameters")));
    for (index, (param, list_at)) in params.chain(own).enumerate() {
        let param_at = list_at.join(index);
        if param.reference.is_some() {
            lowering.error(&param_at, "parameter `$ref`s are not supported yet");
            continue;
        }
        let context = format!(
            "{type_prefix}{}",
            names::bare(&names::type_name(&param.name))
        );
        let ty = match &param.schema {
            Some(schema) => lowering.field_type(schema, &context, &param_at.join("schema")),
            None => Type::String,
        };
        match param.location.as_str() {
            "path" => path_params.push(Param {
                name: names::value_name(&param.name),
                wire: param.name.clone(),
                ty,
            }),
            "query" => {
                let mut name = names::value_name(&param.name);
                let mut n = 1;
                while !field_names.insert(name.clone()) {
                    n += 1;
                    name = format!("{}_{n}", names::bare(&names::value_name(&param.name)));
                }
                query_fields.push(QueryField {
                    field: Field {
                        name,
                        wire: param.name.clone(),
                        doc: param.description.clone(),
                        ty,
                        required: param.required,
                        nullable: false,
                        boxed: false,
                    },
                    explode: param
                        .explode
                        .unwrap_or(param.style.as_deref().unwrap_or("form") == "form"),
                });
            }
            // Headers and cookies the transport sets; nothing in DevRev's API uses them.
            "header" | "cookie" => {}
            other => lowering.error(
                &param_at.join("in"),
                format!("unknown parameter location `{other}`"),
            ),
        }
    }
    let query = (!query_fields.is_empty()).then(|| Query {
        name: operation
            .request_name
            .as_deref()
            .map(|name| names::bare(&names::type_name(name)).to_owned())
            .unwrap_or_else(|| format!("{type_prefix}Query")),
        fields: query_fields,
    });
    let body = operation.request_body.as_ref().and_then(|body| {
        if body.reference.is_some() {
            lowering.error(
                &at.join("requestBody"),
                "request body `$ref`s are not supported yet",
            );
            return None;
        }
        let schema = json_schema(&body.content)?;
        let context = format!("{type_prefix}Body");
        Some(
            lowering.field_type(
                schema,
                &context,
                &at.join("requestBody")
                    .join("content")
                    .join("application~1json")
                    .join("schema"),
            ),
        )
    });
    let mut success = Success {
        statuses: Vec::new(),
        ty: None,
    };
    let mut errors = Vec::new();
    for (status, response) in &operation.responses {
        let response_at = at.join("responses").join(status);
        let Some(code) = status.parse::<u16>().ok().filter(|c| (100..=999).contains(c)) else {
            if status != "default" {
                lowering.error(
                    &response_at,
                    format!("response status `{status}` is not a number from 100 to 999"),
                );
            }
            continue;
        };
        let Some((response, response_at)) = resolve_response(lowering, response, &response_at)
        else {
            continue;
        };
        let context = format!("{type_prefix}Response{code}");
        let ty = json_schema(&response.content).map(|schema| {
            lowering.field_type(
                schema,
                &context,
                &response_at
                    .join("content")
                    .join("application~1json")
                    .join("schema"),
            )
        });
        if (200..300).contains(&code) {
            success.statuses.push(code);
            if success.ty.is_none() {
                success.ty = ty;
            }
        } else {
            errors.push(ErrorCase {
                status: code,
                variant: status_variant(code),
                doc: response.description.trim().trim_end_matches('.').to_owned(),
                ty,
                has_message: false,
            });
        }
    }
    if success.statuses.is_empty() {
        success.statuses.push(200);
    }
    for case in &mut errors {
        case.has_message = case.ty.as_ref().is_some_and(|ty| has_message(lowering, ty));
    }
    let pagination = pagination(lowering, &query, body.as_ref(), success.ty.as_ref());
    Operation {
        wire: id.to_owned(),
        fn_name,
        error_enum: format!("{type_prefix}Error"),
        origin: at.clone(),
        summary: operation.summary.clone(),
        doc: operation.description.clone(),
        method,
        path: path.to_owned(),
        path_params,
        query,
        body,
        success,
        errors,
        pagination,
    }
}

fn json_schema(content: &std::collections::BTreeMap<String, MediaType>) -> Option<&Schema> {
    content
        .iter()
        .find(|(media, _)| media.starts_with("application/json"))
        .and_then(|(_, media)| media.schema.as_ref())
}

/// Follows a response `$ref` into components/responses.
fn resolve_response<'s>(
    lowering: &mut Lowering<'s>,
    response: &'s Response,
    at: &Pointer,
) -> Option<(&'s Response, Pointer)> {
    let Some(reference) = &response.reference else {
        return Some((response, at.clone()));
    };
    let spec = lowering.spec;
    let resolved = reference
        .strip_prefix("#/components/responses/")
        .and_then(|name| spec.responses.get(name).map(|r| (r, name)));
    match resolved {
        Some((resolved, name)) => Some((
            resolved,
            Pointer::root()
                .join("components")
                .join("responses")
                .join(name),
        )),
        None => {
            lowering.error(
                &at.join("$ref"),
                format!("unresolved response `$ref: {reference}`"),
            );
            None
        }
    }
}

/// `TooManyRequests` for 429: the canonical reason phrase in UpperCamelCase.
fn status_variant(code: u16) -> String {
    http::StatusCode::from_u16(code)
        .ok()
        .and_then(|status| status.canonical_reason())
        .map(|reason| names::bare(&names::type_name(reason)).to_owned())
        .unwrap_or_else(|| format!("Status{code}"))
}

/// Whether the type (after aliases) has a text `message` field.
fn has_message(lowering: &Lowering<'_>, ty: &Type) -> bool {
    let Type::Named(name) = ty else { return false };
    let Some(item) = lowering.items.get(name) else {
        return false;
    };
    let fields = match &item.kind {
        ItemKind::Struct(s) => &s.fields,
        ItemKind::Tagged(TaggedUnion {
            head: Some(head), ..
        }) => &head.fields,
        ItemKind::Alias(inner) => return has_message(lowering, inner),
        _ => return false,
    };
    fields
        .iter()
        .any(|f| f.wire == "message" && f.ty == Type::String)
}

/// Cursor pagination: the request has a text `cursor`, the response a text `next_cursor` and
/// exactly one array field.
fn pagination(
    lowering: &Lowering<'_>,
    query: &Option<Query>,
    body: Option<&Type>,
    response: Option<&Type>,
) -> Option<Pagination> {
    let request_has_cursor = match (query, body) {
        (_, Some(Type::Named(body))) => struct_fields(lowering, body)?
            .iter()
            .any(|f| f.wire == "cursor" && f.ty == Type::String && !f.required),
        (Some(query), None) => query
            .fields
            .iter()
            .any(|q| q.field.wire == "cursor" && q.field.ty == Type::String && !q.field.required),
        _ => false,
    };
    if !request_has_cursor {
        return None;
    }
    let Some(Type::Named(response)) = response else {
        return None;
    };
    let fields = struct_fields(lowering, response)?;
    let next = fields
        .iter()
        .find(|f| f.wire == "next_cursor" && f.ty == Type::String)?;
    let mut lists = fields.iter().filter(|f| matches!(f.ty, Type::List(_)));
    let (Some(items), None) = (lists.next(), lists.next()) else {
        return None;
    };
    let Type::List(item) = &items.ty else {
        return None;
    };
    Some(Pagination {
        cursor_field: "cursor".to_owned(),
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
