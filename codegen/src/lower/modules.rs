//! Modules: where each item and operation goes when a large crate is split into files.
//!
//! An operation goes in the module of its first tag. A type goes with the operations that use
//! it (through their parameters, body or success response, at any depth): in their tag's module
//! when they share one first tag, in `shared` when they do not, in `errors` when only error
//! responses use it, and in `other` when nothing selected does. A module too large to read as
//! one file is cut, in name order, into parts of equal size (`shared_1`, `shared_2`, ...). The
//! rules depend only on the IR, so the same spec and selection always give the same layout.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Item, Module, Operation};
use crate::names::{self, Namespace};

/// The module of operations without tags.
const UNTAGGED: &str = "untagged";
/// Types used under several tags.
const SHARED: &str = "shared";
/// Types only error responses use.
const ERRORS: &str = "errors";
/// Types no operation uses.
const OTHER: &str = "other";

/// The crates generated code names by path (`serde::Serialize`, `http::Method`): a module of
/// the same name, glob-imported next to that code, would stand in their way.
pub(super) const CRATE_NAMES: &[&str] = &[
    "alloc",
    "chrono",
    "core",
    "http",
    "percent_encoding",
    "reqwest",
    "serde",
    "serde_json",
    "std",
    "tokio",
    "ureq",
];

/// The most types one module holds before it is cut into parts: about 6,500 lines for DevRev's
/// shared types, many of them unions, at some 130 lines a type with its written-out `Serialize`.
const MAX_TYPES: usize = 50;

/// The most operations one module holds before it is cut into parts: about 5,000 lines.
const MAX_OPERATIONS: usize = 20;

/// Who uses a type.
#[derive(Default)]
struct Users {
    /// The first tags (or [`UNTAGGED`]) of the operations that use it other than for errors.
    tags: BTreeSet<String>,
    /// Whether an error response uses it.
    errors: bool,
}

/// The items one operation needs, as indices into the items.
pub(super) struct Reach {
    /// Through its parameters, body and success responses, at any depth.
    pub(super) used: Vec<usize>,
    /// Through its error responses, at any depth.
    pub(super) errors: Vec<usize>,
}

/// Which items name which, by index into the items.
pub(super) struct Graph<'a> {
    index: BTreeMap<&'a str, usize>,
    edges: Vec<Vec<usize>>,
}

impl<'a> Graph<'a> {
    pub(super) fn new(items: &'a [Item]) -> Self {
        let index: BTreeMap<&str, usize> = items
            .iter()
            .enumerate()
            .map(|(i, item)| (item.name.as_str(), i))
            .collect();
        let edges = items
            .iter()
            .map(|item| {
                let mut named = Vec::new();
                item.kind.named_items(&mut named);
                named.iter().filter_map(|n| index.get(n).copied()).collect()
            })
            .collect();
        Self { index, edges }
    }

    /// The items reachable from the items named `roots`, roots included.
    fn closure(&self, roots: &[&str]) -> Vec<usize> {
        let roots = roots.iter().filter_map(|n| self.index.get(n).copied());
        self.reachable(roots)
    }

    /// The items reachable from `roots`, roots included, in index order.
    pub(super) fn reachable(&self, roots: impl IntoIterator<Item = usize>) -> Vec<usize> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<usize> = roots.into_iter().collect();
        while let Some(next) = stack.pop() {
            if seen.insert(next) {
                stack.extend(&self.edges[next]);
            }
        }
        seen.into_iter().collect()
    }
}

/// What each operation needs, in operation order.
pub(super) fn reach(graph: &Graph, operations: &[Operation]) -> Vec<Reach> {
    operations
        .iter()
        .map(|operation| {
            let mut roots = Vec::new();
            operation.named_items(&mut roots);
            let mut error_roots = Vec::new();
            operation.error_items(&mut error_roots);
            Reach {
                used: graph.closure(&roots),
                errors: graph.closure(&error_roots),
            }
        })
        .collect()
}

/// Sets the module of every item and operation.
pub(super) fn assign(items: &mut [Item], operations: &mut [Operation]) {
    let mut users: Vec<Users> = items.iter().map(|_| Users::default()).collect();
    let reaches = reach(&Graph::new(items), operations);
    for (operation, reach) in operations.iter().zip(reaches) {
        let tag = first_tag(operation);
        for reached in reach.used {
            users[reached].tags.insert(tag.clone());
        }
        for reached in reach.errors {
            users[reached].errors = true;
        }
    }

    // Operation modules share the namespace of the operations' own modules (their function
    // names), so a tag named like an operation gets a suffix rather than hiding it.
    let mut operation_names = Namespace::with_reserved(
        operations
            .iter()
            .map(|op| names::bare(&op.fn_name))
            .chain(CRATE_NAMES.iter().copied()),
    );
    let mut operation_modules = BTreeMap::new();
    let tags: BTreeSet<String> = operations.iter().map(first_tag).collect();
    for tag in &tags {
        let name = operation_names.unique(&module_name(tag), "_");
        let doc = if tag == UNTAGGED {
            "Operations without a tag.".to_owned()
        } else {
            format!("Operations tagged `{tag}`.")
        };
        operation_modules.insert(
            tag.clone(),
            Module {
                name,
                doc,
                ..Module::default()
            },
        );
    }
    for operation in operations.iter_mut() {
        operation.module = operation_modules[&first_tag(operation)].clone();
    }
    cut(
        operations,
        |op| &mut op.module,
        MAX_OPERATIONS,
        &mut operation_names,
    );

    let mut type_names = Namespace::with_reserved(CRATE_NAMES.iter().copied());
    let mut type_modules = BTreeMap::new();
    for tag in &tags {
        let name = type_names.unique(&module_name(tag), "_");
        let doc = if tag == UNTAGGED {
            "Types used only by operations without a tag.".to_owned()
        } else {
            format!("Types used only by operations tagged `{tag}`.")
        };
        type_modules.insert(
            tag.clone(),
            Module {
                name,
                doc,
                ..Module::default()
            },
        );
    }
    let special = |names: &mut Namespace, name: &str, doc: &str| Module {
        name: names.unique(name, "_"),
        doc: doc.to_owned(),
        ..Module::default()
    };
    let shared = special(
        &mut type_names,
        SHARED,
        "Types used by operations under more than one tag.",
    );
    let errors = special(
        &mut type_names,
        ERRORS,
        "Types used only by error responses.",
    );
    let other = special(&mut type_names, OTHER, "Types no generated operation uses.");
    for (item, users) in items.iter_mut().zip(&users) {
        item.module = match users.tags.len() {
            0 if users.errors => errors.clone(),
            0 => other.clone(),
            1 => type_modules[users.tags.first().expect("one tag")].clone(),
            _ => shared.clone(),
        };
    }
    cut(items, |item| &mut item.module, MAX_TYPES, &mut type_names);
}

/// Cuts every module of more than `max` values into parts of equal size, in the values' order.
fn cut<T>(
    values: &mut [T],
    module: impl Fn(&mut T) -> &mut Module,
    max: usize,
    names: &mut Namespace,
) {
    let mut counts: BTreeMap<Module, usize> = BTreeMap::new();
    for value in values.iter_mut() {
        *counts.entry(module(value).clone()).or_default() += 1;
    }
    let mut seen: BTreeMap<Module, usize> = BTreeMap::new();
    let mut parts: BTreeMap<(Module, usize), Module> = BTreeMap::new();
    for value in values.iter_mut() {
        let whole = module(value).clone();
        let count = counts[&whole];
        if count <= max {
            continue;
        }
        let total = count.div_ceil(max);
        let index = seen.entry(whole.clone()).or_default();
        let part = *index / count.div_ceil(total) + 1;
        *index += 1;
        let named = parts
            .entry((whole.clone(), part))
            .or_insert_with(|| Module {
                name: names.unique(&format!("{}_{part}", whole.name), "_"),
                doc: format!("{} Part {part} of {total}.", whole.doc),
                ..Module::default()
            });
        *module(value) = named.clone();
    }
}

/// The operation's first tag, or [`UNTAGGED`].
fn first_tag(operation: &Operation) -> String {
    operation
        .tags
        .first()
        .cloned()
        .unwrap_or_else(|| UNTAGGED.to_owned())
}

/// A module name for a tag: snake case, and never a raw identifier, which would be an odd file
/// name.
fn module_name(tag: &str) -> String {
    let name = names::value_name(tag);
    match name.strip_prefix("r#") {
        Some(keyword) => format!("{keyword}_"),
        None => name,
    }
}
