//! A types module: one item per schema, each emitted by the file for its IR kind (`structs`,
//! `enums`, `unions`); aliases are one line and are emitted here.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_lines, docs, enums, ident, rust_type, structs, unions};
use crate::ir::{Item, ItemKind, TaggedUnion};

/// A types module (`types`, or one file of it): `doc`, then one item per schema. When the types
/// are split into files, `split` brings the other files' types into scope where they are used.
pub fn emit_types(doc: &str, items: &[&Item], split: bool) -> TokenStream {
    let doc = doc_lines(doc);
    // Structs derive `Serialize`; the private head structs of unions derive both.
    let heads = items.iter().any(|item| {
        matches!(
            item.kind,
            ItemKind::Tagged(TaggedUnion { head: Some(_), .. })
        )
    });
    let structs = items
        .iter()
        .any(|item| matches!(item.kind, ItemKind::Struct(_)));
    let derives = if heads {
        quote!(
            use serde::{Deserialize, Serialize};
        )
    } else if structs {
        quote!(
            use serde::Serialize;
        )
    } else {
        quote!()
    };
    let siblings = if split && uses_siblings(items) {
        quote!(
            use super::*;
        )
    } else {
        quote!()
    };
    let items = items.iter().map(|item| emit_item(item));
    quote! {
        #(#![doc = #doc])*
        #siblings
        #derives
        #(#items)*
    }
}

/// Whether these items name a type defined elsewhere.
fn uses_siblings(items: &[&Item]) -> bool {
    let defined: BTreeSet<&str> = items
        .iter()
        .flat_map(|item| {
            let extra = match &item.kind {
                ItemKind::Tagged(TaggedUnion {
                    head: Some(head), ..
                }) => vec![head.kind_enum.as_str(), head.head_struct.as_str()],
                _ => Vec::new(),
            };
            std::iter::once(item.name.as_str()).chain(extra)
        })
        .collect();
    let mut named = Vec::new();
    for item in items {
        item.kind.named_items(&mut named);
    }
    named.iter().any(|name| !defined.contains(name))
}

/// The item's description, then where it comes from: the component's name, or for an inline
/// schema the place it stands.
fn item_doc(item: &Item) -> TokenStream {
    let component = format!("#/components/schemas/{}", item.wire);
    let source = if item.origin.as_str() == component {
        format!("Schema `{}`.", item.wire)
    } else {
        format!("The inline schema at `{}`.", item.origin)
    };
    let text = match &item.doc {
        Some(doc) => format!("{}\n\n{source}", doc.trim()),
        None => source,
    };
    docs(&text)
}

fn emit_item(item: &Item) -> TokenStream {
    let doc = item_doc(item);
    let name = ident(&item.name);
    match &item.kind {
        ItemKind::Struct(s) => structs::emit_struct(&doc, item, s),
        ItemKind::Enum(e) => enums::emit_string_enum(&doc, &name, e),
        ItemKind::IntEnum(e) => enums::emit_int_enum(&doc, &name, e),
        ItemKind::Tagged(u) => unions::emit_tagged(&doc, item, u),
        ItemKind::Untagged(u) => unions::emit_untagged(&doc, &name, u),
        ItemKind::Alias(ty) => {
            let ty = rust_type(ty, &quote!());
            quote! { #doc pub type #name = #ty; }
        }
    }
}
