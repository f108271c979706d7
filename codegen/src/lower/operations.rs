//! Operations: paths and methods into IR operations with their query, body, success and error
//! cases, and cursor pagination where the request and response have its shape.
//!
//! Each part has one home: [`parameters`] (locations, styles, the path template), [`bodies`]
//! (request media types and their encodings) and [`responses`] (statuses, ranges, success
//! bodies); this file walks the paths and assembles the operations.
//!
//! Operations share one namespace of function names (which are also their module names and the
//! client's method names) and one of type names (error unions and query structs); both are
//! filled in spec order (paths sorted, methods in [`METHODS`] order), so collisions after case
//! conversion always resolve the same way.

mod bodies;
mod parameters;
mod responses;

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::Pointer;
use crate::ir::{
    BodyKind, Field, Gate, ItemKind, LeftOutKind, Method, Module, Operation, Pagination, Query,
    Type,
};
use crate::names::{self, Namespace};
use crate::spec::model;

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

/// Function names an operation cannot have: the methods `Client`, `BlockingClient` and `Mock`
/// have already (the runtime's and `builder` in `lib.rs`), the `types` module the operations module
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
    "verify",
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
    "Style",
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
            // What goes wrong in one operation leaves out that operation only.
            let mark = lowering.mark();
            let id = operation.operation_id.clone();
            let lowered = match &id {
                None => {
                    lowering.error(&at, "operation has no `operationId`");
                    None
                }
                Some(id) if !ids.insert(id.clone()) => {
                    lowering.error(
                        &at.join("operationId"),
                        format!("duplicate operationId `{id}`"),
                    );
                    None
                }
                Some(id) => {
                    let place = Place {
                        path,
                        method,
                        item,
                        operation,
                        id,
                        at: &at,
                    };
                    Some(lower_operation(lowering, &mut names, &place))
                }
            };
            let id = id.unwrap_or_else(|| format!("{} {path}", key.to_uppercase()));
            if !lowering.contain(mark, LeftOutKind::Operation(id), &at) {
                operations.extend(lowered);
            }
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
    let (path_params, query_fields) = parameters::parameters(lowering, place, &type_prefix);
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
        .and_then(|body| bodies::request_body(lowering, body, &type_prefix, &mut names.types, at));
    let (success, errors) =
        responses::responses(lowering, operation, &type_prefix, &mut names.types, at);
    // A scan over a path with parameters would need them in every page's request too; only
    // JSON bodies carry a cursor field.
    let json_body = match body.as_ref().map(|b| &b.kind) {
        Some(BodyKind::Json(ty)) => Some(Some(ty)),
        Some(_) => None,
        None => Some(None),
    };
    let pagination = match json_body {
        Some(json_body) if path_params.is_empty() => {
            pagination(lowering, &query, json_body, success.json())
        }
        _ => None,
    };
    Operation {
        wire: place.id.to_owned(),
        fn_name,
        tags: operation.tags.clone(),
        module: Module::default(),
        gate: Gate::Always,
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

/// `value` at `at`, or, when it is a `$ref`, the component it names and where that stands
/// ([`Lowering::component`] reports one it cannot follow).
fn resolve_component<'s, T>(
    lowering: &mut Lowering<'s>,
    value: &'s T,
    reference: Option<&str>,
    section: (&str, &'s BTreeMap<String, T>, &str),
    at: &Pointer,
) -> Option<(&'s T, Pointer)> {
    let Some(reference) = reference else {
        return Some((value, at.clone()));
    };
    let (_, component, place) = lowering.component(reference, section, &at.join("$ref"))?;
    Some((component, place))
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
