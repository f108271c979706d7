//! Features: one cargo feature per tag, and the features each item, operation and module is
//! compiled under.
//!
//! An operation belongs to its tags: it is compiled when any of their features is on, and an
//! operation without tags always is. A type is compiled when any operation that needs it is
//! (through its signature, its responses or its errors, at any depth), so with one feature on,
//! everything its operations name is there. A type needed by every tag, by an untagged
//! operation or by no operation at all needs no feature. A module is compiled under the union of
//! what it holds, so the emitters gate whole files and only the few things inside that need
//! fewer features than their file carry their own gate.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Feature, Gate, Item, Module, Operation};
use crate::names::{self, Namespace};

use super::modules;

/// Feature names the generated manifest already uses.
const RESERVED: &[&str] = &["default", "mock", "reqwest", "tower", "tracing", "ureq"];

/// Names a feature per tag and sets the gate of every item, operation and module.
pub(super) fn assign(items: &mut [Item], operations: &mut [Operation]) -> Vec<Feature> {
    let tags: BTreeSet<String> = operations
        .iter()
        .flat_map(|op| op.tags.iter().cloned())
        .collect();
    let mut namespace = Namespace::with_reserved(RESERVED.iter().copied());
    let by_tag: BTreeMap<String, String> = tags
        .into_iter()
        .map(|tag| {
            let name = namespace.unique(&names::feature_name(&tag), "-");
            (tag, name)
        })
        .collect();
    let all: BTreeSet<&str> = by_tag.values().map(String::as_str).collect();
    let close = |features: BTreeSet<&str>| {
        if features.is_empty() || features == all {
            Gate::Always
        } else {
            Gate::Any(features.into_iter().map(str::to_owned).collect())
        }
    };

    // `None` while no operation needs the item; `Some(empty)` once an untagged one does.
    let mut needed: Vec<Option<BTreeSet<&str>>> = vec![None; items.len()];
    let graph = modules::Graph::new(items);
    let reaches = modules::reach(&graph, operations);
    let mut gates = Vec::with_capacity(operations.len());
    for (operation, reach) in operations.iter().zip(&reaches) {
        let features: BTreeSet<&str> = operation
            .tags
            .iter()
            .map(|tag| by_tag[tag].as_str())
            .collect();
        for &item in reach.used.iter().chain(&reach.errors) {
            let slot = needed[item].get_or_insert_with(|| features.clone());
            // An untagged operation needs the item in every build: the empty set stays empty.
            if features.is_empty() {
                slot.clear();
            } else if !slot.is_empty() {
                slot.extend(&features);
            }
        }
        gates.push(close(features));
    }
    for (operation, gate) in operations.iter_mut().zip(gates) {
        operation.gate = gate;
    }
    let every = || match all.len() {
        0 => Gate::Always,
        _ => Gate::All(all.iter().map(|name| (*name).to_owned()).collect()),
    };
    let mut item_gates: Vec<Gate> = needed
        .iter()
        .map(|features| features.clone().map_or(Gate::Always, close))
        .collect();
    // A type no operation needs is there whenever what it names is: always when all of that
    // is, else with every feature on.
    for (item, features) in needed.iter().enumerate() {
        if features.is_none()
            && graph
                .reachable([item])
                .iter()
                .any(|&named| needed[named].is_some() && item_gates[named] != Gate::Always)
        {
            item_gates[item] = every();
        }
    }
    for (item, gate) in items.iter_mut().zip(item_gates) {
        item.gate = gate;
    }
    let count = all.len();
    set_module_gates(items, count, |item| (&mut item.module, &item.gate));
    set_module_gates(operations, count, |op| (&mut op.module, &op.gate));

    let mut features: Vec<Feature> = by_tag
        .into_iter()
        .map(|(tag, name)| Feature { name, tag })
        .collect();
    features.sort_by(|a, b| a.name.cmp(&b.name));
    features
}

/// Gives every module the union of the gates of what it holds; a union of all `features` is no
/// gate.
fn set_module_gates<T>(
    values: &mut [T],
    features: usize,
    parts: impl Fn(&mut T) -> (&mut Module, &Gate),
) {
    let mut unions: BTreeMap<String, Vec<Gate>> = BTreeMap::new();
    for value in values.iter_mut() {
        let (module, gate) = parts(value);
        unions
            .entry(module.name.clone())
            .or_default()
            .push(gate.clone());
    }
    let unions: BTreeMap<String, Gate> = unions
        .into_iter()
        .map(|(name, gates)| match Gate::union(&gates) {
            Gate::Any(names) if names.len() == features => (name, Gate::Always),
            gate => (name, gate),
        })
        .collect();
    for value in values.iter_mut() {
        let (module, _) = parts(value);
        module.gate = unions[&module.name].clone();
    }
}
