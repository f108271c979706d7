//! A types module: one item per schema, each emitted by the file for its IR kind (`structs`,
//! `enums`, `unions`); aliases are one line and are emitted here.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::{cfg, doc_lines, docs, enums, gated, ident, rust_type, structs, unions};
use crate::ir::{Gate, Item, ItemKind, TaggedUnion};

/// A types module (`types`, or one file of it): `doc`, then one item per schema, each under its
/// own gate where the file's (`within`) is not its own. When the types are split into files,
/// `split` brings the other files' types into scope where they are used.
pub fn emit_types(doc: &str, items: &[&Item], split: bool, within: &Gate) -> TokenStream {
    let doc = doc_lines(doc);
    // Imports are gated like the items that use them, so that no build has an unused one.
    let gate = |users: &[&Item]| {
        (!users.is_empty()).then(|| Gate::union(users.iter().map(|item| &item.gate)))
    };
    let import = |gate: &Option<Gate>, import: TokenStream| match gate {
        Some(gate) => {
            let cfg = cfg(gate, within);
            quote!(#cfg #import)
        }
        None => quote!(),
    };
    let siblings = if split {
        import(
            &gate(&siblings_users(items)),
            quote!(
                use super::*;
            ),
        )
    } else {
        quote!()
    };
    let items = items
        .iter()
        .map(|item| gated(emit_item(item), &cfg(&item.gate, within)));
    quote! {
        #(#![doc = #doc])*
        #siblings
        #(#items)*
    }
}

/// The items that name a type defined in another file.
fn siblings_users<'a>(items: &[&'a Item]) -> Vec<&'a Item> {
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
    items
        .iter()
        .filter(|item| {
            let mut named = Vec::new();
            item.kind.named_items(&mut named);
            named.iter().any(|name| !defined.contains(name))
        })
        .copied()
        .collect()
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
