//! Lowering: the spec model into the IR.
//!
//! Resolves `$ref`s, merges `allOf` into flat structs, turns discriminated `oneOf` into tagged
//! unions and names inline schemas after the place they stand. It reports what it cannot lower
//! and never imports `quote`: the IR it builds is plain data.
//!
//! The stages: `reach` finds the operations and the schemas they reach, the schemas and then
//! the operations are lowered, `recursion` boxes what recursive types need boxed, and `modules`
//! places every item and operation in the module it is emitted in.

mod enums;
mod features;
mod idempotency;
mod keywords;
mod merge;
mod modules;
mod operations;
mod reach;
mod recursion;
mod schema;
#[cfg(test)]
mod tests;
mod unions;

use std::collections::BTreeMap;

use crate::diag::{Diagnostic, Pointer, Severity};
use crate::ir::{Crate, Gate, Item, ItemKind, LeftOut, LeftOutKind, Module, Type};
use crate::names::{self, Namespace};
use crate::spec::model::Schema;
use crate::spec::selection::Selection;
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

/// Lowers a loaded spec into the IR with the warnings about what it left out or typed loosely,
/// or returns every problem found when something the user asked for cannot be had (a selection
/// that matches nothing).
///
/// An operation that cannot be expressed is left out and a schema typed as any JSON value, each
/// with a warning naming the place and the construct, so one construct never costs the whole
/// file; [`Crate::left_out`] lists them.
pub fn lower(spec: &Spec, options: &Options) -> Result<(Crate, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut lowering = Lowering::new(spec);
    let (plan, unmatched) = reach::plan(spec, &options.selection);
    lowering.diagnostics.extend(unmatched);
    lowering.unloaded();
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
    unions::mark_reads(&mut lowering.items);
    let cycles = recursion::alias_cycles(&lowering.items);
    for (name, origin) in cycles {
        let mark = lowering.mark();
        let diagnostic = spec
            .diag(
                &origin,
                format!("`{name}` contains itself only through type aliases"),
            )
            .help("give the recursion an object in between, such as `properties: {children: ...}`");
        lowering.diagnostics.push(diagnostic);
        if let Some(item) = lowering.items.get_mut(&name) {
            item.kind = ItemKind::Alias(Type::Json);
        }
        lowering.contain(mark, LeftOutKind::Schema, &origin);
    }
    let mut diagnostics = lowering.diagnostics;
    diagnostics.sort_by(|a, b| (a.line, &a.pointer).cmp(&(b.line, &b.pointer)));
    diagnostics.dedup();
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(diagnostics);
    }
    let mut left_out = lowering.left_out;
    left_out.sort_by(|a, b| a.origin.cmp(&b.origin));
    left_out.dedup();
    let mut items: Vec<Item> = lowering.items.into_values().collect();
    modules::assign(&mut items, &mut operations);
    let features = features::assign(&mut items, &mut operations);
    let document = &spec.document;
    let krate = Crate {
        package: options.package.clone(),
        spec_path: options.spec_path.clone(),
        title: document.info.title.clone(),
        description: document.info.description.clone(),
        api_version: document.info.version.clone(),
        base_url: base_url(spec),
        token_env: token_env(spec),
        items,
        operations,
        left_out,
        features,
    };
    Ok((krate, diagnostics))
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
    /// What was left out or typed loosely so far.
    pub(crate) left_out: Vec<LeftOut>,
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
            left_out: Vec::new(),
            depth: 0,
        }
    }

    /// Takes over what loading read but left out: its notes, and the entries that were not
    /// even a path item or component, as warnings and left out (a path item's operations) or
    /// typed as any JSON value (a schema).
    fn unloaded(&mut self) {
        for note in &self.spec.notes {
            self.diagnostics.push(Diagnostic {
                severity: Severity::Note,
                ..note.clone()
            });
        }
        for unloaded in &self.spec.unloaded {
            let warning = &unloaded.warning;
            self.diagnostics.push(warning.clone());
            let origin = warning.pointer.clone().unwrap_or_else(Pointer::root);
            let kinds: Vec<LeftOutKind> = if unloaded.schema {
                vec![LeftOutKind::Schema]
            } else {
                let ids = unloaded.operations.iter().cloned();
                ids.map(LeftOutKind::Operation).collect()
            };
            for kind in kinds {
                self.left_out.push(LeftOut {
                    kind,
                    origin: origin.clone(),
                    reason: warning.message.clone(),
                });
            }
        }
    }

    /// The one resolver of component `$ref`s: the component `reference` names in
    /// `components/<section>` (a `what`), with its name and where it stands. A reference into
    /// another file or another part of this one, or to a component that is not there, is
    /// reported at `at`.
    pub(crate) fn component<T>(
        &mut self,
        reference: &str,
        (section, components, what): (&str, &'s BTreeMap<String, T>, &str),
        at: &Pointer,
    ) -> Option<(&'s String, &'s T, Pointer)> {
        if let Some((name, component)) = crate::spec::component(reference, section, components) {
            let place = Pointer::root().join("components").join(section).join(name);
            return Some((name, component, place));
        }
        let diagnostic = if !reference.starts_with('#') {
            self.spec
                .diag(at, format!("external `$ref: {reference}` is not supported"))
                .help("bundle the spec into one file first, for example with `redocly bundle`")
        } else if let Some(name) = reference
            .strip_prefix("#/components/")
            .and_then(|rest| rest.strip_prefix(section))
            .and_then(|rest| rest.strip_prefix('/'))
        {
            self.spec
                .diag(at, format!("unresolved `$ref`: no {what} named `{name}`"))
                .help(format!(
                    "define it under components/{section} or fix the name"
                ))
        } else {
            self.spec.diag(
                at,
                format!("`$ref: {reference}` does not point into components/{section}"),
            )
        };
        self.diagnostics.push(diagnostic);
        None
    }

    /// A mark in the diagnostics, to tell later which ones a step raised.
    pub(crate) fn mark(&self) -> usize {
        self.diagnostics.len()
    }

    /// Contains the errors raised since `mark` to the place at `origin`: they become warnings,
    /// and the place is recorded as left out, with the first error as the reason. Returns
    /// whether there were any, in which case the caller leaves the place out (an operation) or
    /// types it as any JSON value (a schema).
    pub(crate) fn contain(&mut self, mark: usize, kind: LeftOutKind, origin: &Pointer) -> bool {
        let mut reason = None;
        for diagnostic in &mut self.diagnostics[mark..] {
            if diagnostic.severity == Severity::Error {
                diagnostic.severity = Severity::Warning;
                reason.get_or_insert_with(|| diagnostic.message.clone());
            }
        }
        let Some(reason) = reason else { return false };
        self.left_out.push(LeftOut {
            kind,
            origin: origin.clone(),
            reason,
        });
        true
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

    /// Lowers a named schema (a component, or an inline schema given a name) into an item; one
    /// that cannot be expressed becomes an alias of any JSON value, with warnings.
    fn lower_named(&mut self, name: &str, wire: &str, schema: &'s Schema, at: &Pointer) {
        let mark = self.mark();
        self.depth += 1;
        let kind = if self.depth > MAX_DEPTH {
            self.error(at, format!("schemas nest more than {MAX_DEPTH} deep"));
            None
        } else {
            self.check_keywords(schema, at);
            self.lower_kind(name, schema, at)
        };
        self.depth -= 1;
        let kind = match kind {
            _ if self.contain(mark, LeftOutKind::Schema, at) => ItemKind::Alias(Type::Json),
            Some(kind) => kind,
            None => ItemKind::Alias(Type::Json),
        };
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
                gate: Gate::Always,
            },
        );
    }
}
