//! Recursive types: boxing what must be boxed so every type has a finite size, and finding type
//! aliases that contain themselves, which Rust cannot express.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::Pointer;
use crate::ir::{Item, ItemKind, Type};

/// Boxes the fields, then the union variants, whose type contains their own item without an
/// indirection (`Vec`, map, `Box`) in between, which would make an infinitely large type.
///
/// Fields go first: boxing one usually breaks the cycle, and a union variant is boxed only when
/// no field on the way could be.
pub(super) fn box_recursive(items: &mut BTreeMap<String, Item>) {
    let edges = by_value_edges(items);
    let mut fields = Vec::new();
    for (name, item) in items.iter() {
        for (index, field) in item.kind.fields().iter().enumerate() {
            if by_value(&field.ty).is_some_and(|target| reaches(&edges, target, name)) {
                fields.push((name.clone(), index));
            }
        }
    }
    for (name, index) in fields {
        if let Some(item) = items.get_mut(&name) {
            if let Some(field) = item.kind.fields_mut().get_mut(index) {
                field.boxed = true;
            }
        }
    }
    let edges = by_value_edges(items);
    let mut variants = Vec::new();
    for (name, item) in items.iter() {
        for (index, variant) in item.kind.variants().iter().enumerate() {
            if by_value(&variant.ty).is_some_and(|target| reaches(&edges, target, name)) {
                variants.push((name.clone(), index));
            }
        }
    }
    for (name, index) in variants {
        if let Some(item) = items.get_mut(&name) {
            if let Some(variant) = item.kind.variants_mut().get_mut(index) {
                variant.boxed = true;
            }
        }
    }
}

/// Type aliases that mention themselves, at any depth and through other aliases: Rust expands
/// aliases eagerly, so `type Tree = Vec<Tree>` does not compile. Returns their names and origins.
pub(super) fn alias_cycles(items: &BTreeMap<String, Item>) -> Vec<(String, Pointer)> {
    let edges: BTreeMap<String, Vec<String>> = items
        .iter()
        .filter_map(|(name, item)| match &item.kind {
            ItemKind::Alias(ty) => {
                let mut named = Vec::new();
                ty.named_items(&mut named);
                Some((name.clone(), named.into_iter().map(str::to_owned).collect()))
            }
            _ => None,
        })
        .collect();
    edges
        .iter()
        .filter(|(name, targets)| targets.iter().any(|t| reaches(&edges, t, name)))
        .map(|(name, _)| (name.clone(), items[name].origin.clone()))
        .collect()
}

/// The item a type holds by value: itself if named, what an `Option` holds, else none.
fn by_value(ty: &Type) -> Option<&str> {
    match ty {
        Type::Named(name) => Some(name),
        Type::Nullable(inner) => by_value(inner),
        _ => None,
    }
}

/// For every item, the items it holds by value, leaving out what is already boxed.
fn by_value_edges(items: &BTreeMap<String, Item>) -> BTreeMap<String, Vec<String>> {
    items
        .iter()
        .map(|(name, item)| {
            let fields = item
                .kind
                .fields()
                .iter()
                .filter(|f| !f.boxed)
                .filter_map(|f| by_value(&f.ty));
            let variants = item
                .kind
                .variants()
                .iter()
                .filter(|v| !v.boxed)
                .filter_map(|v| by_value(&v.ty));
            let alias = match &item.kind {
                ItemKind::Alias(ty) => by_value(ty),
                _ => None,
            };
            let targets = fields.chain(variants).chain(alias).map(str::to_owned);
            (name.clone(), targets.collect())
        })
        .collect()
}

/// Whether `from` leads to `to` along `edges`.
fn reaches(edges: &BTreeMap<String, Vec<String>>, from: &str, to: &str) -> bool {
    let mut stack = vec![from.to_owned()];
    let mut seen = BTreeSet::new();
    while let Some(next) = stack.pop() {
        if next == to {
            return true;
        }
        if seen.insert(next.clone()) {
            stack.extend(edges.get(&next).into_iter().flatten().cloned());
        }
    }
    false
}
