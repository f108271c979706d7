//! Reachability: the operations a [`Selection`] picks and the component schemas they reach.
//!
//! A pre-pass over the spec model, before anything is lowered: it follows every `$ref` (and
//! every discriminator mapping, which names schemas too) from the selected operations'
//! parameters, bodies and responses, so lowering builds only what those operations need.
//! References it cannot follow are left for lowering to report where they stand.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::Diagnostic;
use crate::spec::model::{self, Schema};
use crate::spec::selection::Selection;
use crate::spec::Spec;

use super::operations::{operation_of, METHODS};

/// What to lower.
#[derive(Debug, Default)]
pub(super) struct Plan {
    /// The selected operations, by path and method key (`get`, `post`, ...).
    pub(super) operations: BTreeSet<(String, &'static str)>,
    /// The component schemas to lower, by wire name.
    pub(super) schemas: BTreeSet<String>,
}

/// The plan for `selection`: everything when it selects everything, else the selected operations
/// and the closure of the schemas they refer to. Selection values that match nothing are
/// reported, since a typo would otherwise quietly generate less than asked for.
pub(super) fn plan(spec: &Spec, selection: &Selection) -> (Plan, Vec<Diagnostic>) {
    let mut plan = Plan::default();
    let mut refs = Refs::default();
    let mut ids_seen = BTreeSet::new();
    let mut tags_seen = BTreeSet::new();
    for (path, item) in &spec.paths {
        for (key, method) in METHODS {
            let Some(operation) = operation_of(item, method) else {
                continue;
            };
            ids_seen.extend(operation.operation_id.iter().cloned());
            tags_seen.extend(operation.tags.iter().cloned());
            if !selection.selects(operation.operation_id.as_deref(), &operation.tags) {
                continue;
            }
            plan.operations.insert((path.clone(), key));
            if !selection.is_all() {
                refs.operation(spec, item, operation);
            }
        }
    }
    let mut diagnostics = Vec::new();
    for id in selection.operations.difference(&ids_seen) {
        diagnostics.push(
            Diagnostic::file(
                &spec.file,
                format!("no operation has the operationId `{id}`"),
            )
            .help("select operations by their exact operationId, or a tag with `tag:NAME`"),
        );
    }
    for tag in selection.tags.difference(&tags_seen) {
        diagnostics.push(Diagnostic::file(
            &spec.file,
            format!("no operation is tagged `{tag}`"),
        ));
    }
    plan.schemas = if selection.is_all() {
        spec.schemas.keys().cloned().collect()
    } else {
        refs.close(spec)
    };
    (plan, diagnostics)
}

/// The `$ref`s found so far, and the component schemas still to visit.
/// The component `reference` names in `components/<section>`, or `value` itself; lowering
/// reports a reference that does not resolve.
fn resolved<'a, T>(
    value: &'a T,
    reference: &Option<String>,
    section: &str,
    components: &'a BTreeMap<String, T>,
) -> &'a T {
    reference
        .as_deref()
        .and_then(|reference| crate::spec::component(reference, section, components))
        .map_or(value, |(_, component)| component)
}

#[derive(Default)]
struct Refs {
    schemas: BTreeSet<String>,
    pending: Vec<String>,
}

impl Refs {
    fn operation(&mut self, spec: &Spec, item: &model::PathItem, operation: &model::Operation) {
        for parameter in item.parameters.iter().chain(&operation.parameters) {
            let parameter = resolved(
                parameter,
                &parameter.reference,
                "parameters",
                &spec.parameters,
            );
            if let Some(schema) = &parameter.schema {
                self.schema(schema);
            }
        }
        if let Some(body) = &operation.request_body {
            let body = resolved(body, &body.reference, "requestBodies", &spec.request_bodies);
            for media in body.content.values() {
                self.schema_opt(media.schema.as_ref());
            }
        }
        for response in operation.responses.values() {
            let response = resolved(response, &response.reference, "responses", &spec.responses);
            for media in response.content.values() {
                self.schema_opt(media.schema.as_ref());
            }
        }
    }

    fn schema_opt(&mut self, schema: Option<&Schema>) {
        if let Some(schema) = schema {
            self.schema(schema);
        }
    }

    /// Notes every schema `schema` refers to, at any depth.
    fn schema(&mut self, schema: &Schema) {
        if let Some(reference) = &schema.reference {
            self.reference(reference);
        }
        for property in schema.properties.values() {
            self.schema(property);
        }
        self.schema_opt(schema.items.as_deref());
        for part in schema
            .prefix_items
            .iter()
            .flatten()
            .chain(schema.defs.values())
        {
            self.schema(part);
        }
        if let Some(model::AdditionalProperties::Schema(values)) = &schema.additional_properties {
            self.schema(values);
        }
        for part in [&schema.all_of, &schema.one_of, &schema.any_of]
            .into_iter()
            .flatten()
            .flatten()
        {
            self.schema(part);
        }
        self.schema_opt(schema.not.as_deref());
        if let Some(discriminator) = &schema.discriminator {
            for reference in discriminator.mapping.values() {
                self.reference(reference);
            }
        }
    }

    fn reference(&mut self, reference: &str) {
        if let Some(wire) = reference.strip_prefix("#/components/schemas/") {
            // A `$ref` into a component (`a/$defs/b`) needs the component.
            let wire = wire.split('/').next().unwrap_or(wire);
            if self.schemas.insert(wire.to_owned()) {
                self.pending.push(wire.to_owned());
            }
        }
    }

    /// Follows the schemas found into the schemas they refer to, until nothing new turns up.
    fn close(mut self, spec: &Spec) -> BTreeSet<String> {
        while let Some(wire) = self.pending.pop() {
            if let Some(schema) = spec.schemas.get(&wire) {
                self.schema(schema);
            }
        }
        self.schemas
            .into_iter()
            .filter(|wire| spec.schemas.contains_key(wire))
            .collect()
    }
}
