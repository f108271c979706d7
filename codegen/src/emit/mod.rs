//! Emission: IR into token streams with `quote!`, one file per IR kind.
//!
//! Emitters read the IR only. Helpers here turn IR names, types and docs into tokens; the
//! submodules assemble items from them in short `quote!` blocks. This file also decides the
//! layout: `src/types.rs` and `src/operations.rs`, each split into one file per IR module
//! (`src/types/<module>.rs`) when it would otherwise be too long to read.

mod enums;
mod examples;
mod krate;
mod mock;
mod operations;
mod structs;
mod types;
mod unions;

use std::collections::BTreeMap;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::ir::{Crate, Field, Gate, Item, Module, Operation, Type};

pub use examples::{examples, Example};
pub use krate::emit_lib;
pub use operations::emit_operations;
pub use types::emit_types;

/// Above this many types, `types` is split into one file per module: about 5,000 lines.
const SPLIT_TYPES_ABOVE: usize = 200;

/// Above this many operations, `operations` is split into one file per module: about 5,000
/// lines.
const SPLIT_OPERATIONS_ABOVE: usize = 16;

const TYPES_DOC: &str = "Request, response and error body types, one per schema of the spec.";

const OPERATIONS_DOC: &str = "The operations: for each, its error union, a module with the \
     request-building and\nresponse-mapping functions, and a method on \
     [`crate::Client`].";

/// One generated Rust file: its path and what goes in it. Its tokens are made on demand by
/// [`File::tokens`], so that files can be emitted and formatted on several threads (tokens are
/// not `Send`; the IR is).
#[derive(Debug)]
pub struct File<'a> {
    /// The path within the crate, such as `src/types/accounts.rs`.
    pub path: String,
    contents: Contents<'a>,
}

#[derive(Debug)]
enum Contents<'a> {
    Lib(&'a Crate),
    /// A module split into files: its docs and the submodules it re-exports.
    Root(String, Vec<&'a Module>),
    /// Docs, items, whether the types are split into files, and the file's gate.
    Types(&'a str, Vec<&'a Item>, bool, &'a Gate),
    /// Docs, operations and the file's gate.
    Operations(&'a str, Vec<&'a Operation>, &'a Gate),
    Example(&'a Crate, Example<'a>),
}

/// The gate of a file that is always compiled.
const ALWAYS: &Gate = &Gate::Always;

impl File<'_> {
    /// The file's tokens.
    pub fn tokens(&self) -> TokenStream {
        match &self.contents {
            Contents::Lib(krate) => emit_lib(krate),
            Contents::Root(doc, modules) => emit_root(doc, modules.iter().copied()),
            Contents::Types(doc, items, split, within) => emit_types(doc, items, *split, within),
            Contents::Operations(doc, operations, within) => {
                emit_operations(doc, operations, within)
            }
            Contents::Example(krate, example) => example.tokens(krate),
        }
    }

    /// What the file's tokens are made from, as text, for the [`FormatCache`]: the `Debug` form
    /// of the IR the file is emitted from (derived, so every field is in it). Emitters read
    /// nothing else, so the same key from the same build of the generator means the same
    /// tokens. The crate root, the examples (made from the whole crate) and the small files that
    /// only declare modules have none: they are always emitted.
    ///
    /// [`FormatCache`]: crate::FormatCache
    pub fn key(&self) -> Option<String> {
        match &self.contents {
            Contents::Lib(_) | Contents::Root(..) | Contents::Example(..) => None,
            Contents::Types(doc, items, split, within) => {
                Some(format!("{:?}", (doc, items, split, within)))
            }
            Contents::Operations(doc, operations, within) => {
                Some(format!("{:?}", (doc, operations, within)))
            }
        }
    }

    /// How much the file holds, in items and operations: a guide for sharing files among
    /// threads, largest first.
    pub fn weight(&self) -> usize {
        match &self.contents {
            Contents::Lib(_) | Contents::Root(..) | Contents::Example(..) => 1,
            Contents::Types(_, items, ..) => items.len(),
            // An operation emits about as much as four types.
            Contents::Operations(_, operations, _) => 4 * operations.len(),
        }
    }
}

/// The generated Rust files of a crate, in path order.
pub fn files(krate: &Crate) -> Vec<File<'_>> {
    let mut files = vec![File {
        path: "src/lib.rs".to_owned(),
        contents: Contents::Lib(krate),
    }];
    let items: Vec<&Item> = krate.items.iter().collect();
    if items.len() > SPLIT_TYPES_ABOVE {
        let modules = by_module(&items, |item| &item.module);
        let root_doc = format!(
            "{TYPES_DOC} They are defined in one module per tag and all \
             re-exported here."
        );
        files.push(File {
            path: "src/types.rs".to_owned(),
            contents: Contents::Root(root_doc, modules.keys().copied().collect()),
        });
        for (module, items) in modules {
            files.push(File {
                path: format!("src/types/{}.rs", module.name),
                contents: Contents::Types(&module.doc, items, true, &module.gate),
            });
        }
    } else {
        files.push(File {
            path: "src/types.rs".to_owned(),
            contents: Contents::Types(TYPES_DOC, items, false, ALWAYS),
        });
    }
    let operations: Vec<&Operation> = krate.operations.iter().collect();
    if operations.len() > SPLIT_OPERATIONS_ABOVE {
        let modules = by_module(&operations, |op| &op.module);
        let root_doc = format!(
            "{OPERATIONS_DOC}\n\nThey are defined in one module per tag and all re-exported \
             here."
        );
        files.push(File {
            path: "src/operations.rs".to_owned(),
            contents: Contents::Root(root_doc, modules.keys().copied().collect()),
        });
        for (module, operations) in modules {
            files.push(File {
                path: format!("src/operations/{}.rs", module.name),
                contents: Contents::Operations(&module.doc, operations, &module.gate),
            });
        }
    } else {
        files.push(File {
            path: "src/operations.rs".to_owned(),
            contents: Contents::Operations(OPERATIONS_DOC, operations, ALWAYS),
        });
    }
    for example in examples(krate) {
        files.push(File {
            path: format!("examples/{}.rs", example.name),
            contents: Contents::Example(krate, example),
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// The values grouped by their module, in module order.
fn by_module<'a, T>(
    values: &[&'a T],
    module: impl Fn(&T) -> &Module,
) -> BTreeMap<&'a Module, Vec<&'a T>> {
    let mut grouped: BTreeMap<&Module, Vec<&T>> = BTreeMap::new();
    for value in values {
        grouped.entry(module(value)).or_default().push(value);
    }
    grouped
}

/// A module split into files: its docs, then each submodule declared and re-exported whole, so
/// paths stay `types::Name` and `operations::name` whatever the layout.
fn emit_root<'a>(doc: &str, modules: impl Iterator<Item = &'a Module>) -> TokenStream {
    let lines = doc_lines(doc);
    let modules: BTreeMap<Ident, TokenStream> = modules
        .map(|module| (ident(&module.name), cfg(&module.gate, ALWAYS)))
        .collect();
    let declared = modules.iter().map(|(name, cfg)| {
        quote! {
            #cfg
            mod #name;
            #cfg
            pub use #name::*;
        }
    });
    quote! {
        #(#![doc = #lines])*
        #(#declared)*
    }
}

/// The `#[cfg]` of something compiled under `gate` in a file compiled under `within`: none when
/// the file's gate already is its own.
pub(crate) fn cfg(gate: &Gate, within: &Gate) -> TokenStream {
    match gate {
        _ if gate == within => quote!(),
        Gate::Always => quote!(),
        Gate::Any(features) | Gate::All(features) if features.len() == 1 => {
            let feature = &features[0];
            quote!(#[cfg(feature = #feature)])
        }
        Gate::Any(features) => quote!(#[cfg(any(#(feature = #features),*))]),
        Gate::All(features) => quote!(#[cfg(all(#(feature = #features),*))]),
    }
}

/// `items` with `cfg` on each of them: one gate for a type or operation that is several items
/// (a struct and its impls).
pub(crate) fn gated(items: TokenStream, cfg: &TokenStream) -> TokenStream {
    if cfg.is_empty() {
        return items;
    }
    let items = split_items(items);
    quote!(#(#cfg #items)*)
}

/// The items of `tokens`, as the emitters write them, told apart token by token (parsing them
/// with syn to find the boundaries costs as much as formatting them): an item is its outer
/// attributes, then everything up to a `;` or a `{ .. }` at the top level, whichever ends it. A
/// `const`, `static`, `type` or `use` item ends at its `;` only, past any block in its value.
fn split_items(tokens: TokenStream) -> Vec<TokenStream> {
    use proc_macro2::{Delimiter, TokenTree};
    let mut items = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    // Whether the current item's kind is known, and whether it ends at its `;` only.
    let mut kind_known = false;
    let mut semicolon_only = false;
    let mut in_attribute = false;
    for token in tokens {
        let ends = match &token {
            TokenTree::Punct(punct) if punct.as_char() == '#' => {
                in_attribute = true;
                false
            }
            TokenTree::Group(group) if in_attribute && group.delimiter() == Delimiter::Bracket => {
                in_attribute = false;
                false
            }
            TokenTree::Ident(word) if !kind_known => {
                let word = word.to_string();
                if is_item_keyword(&word) {
                    kind_known = true;
                    semicolon_only = matches!(word.as_str(), "const" | "static" | "type" | "use");
                }
                false
            }
            TokenTree::Ident(_) => false,
            TokenTree::Punct(punct) => punct.as_char() == ';',
            TokenTree::Group(group) => group.delimiter() == Delimiter::Brace && !semicolon_only,
            TokenTree::Literal(_) => false,
        };
        current.push(token);
        if ends {
            items.push(current.drain(..).collect());
            kind_known = false;
            semicolon_only = false;
        }
    }
    if !current.is_empty() {
        items.push(current.into_iter().collect());
    }
    items
}

/// The keywords that say what kind of item an item is.
fn is_item_keyword(word: &str) -> bool {
    matches!(
        word,
        "const" | "static" | "type" | "use" | "struct" | "enum" | "impl" | "fn" | "mod" | "trait"
    )
}

/// An identifier from an IR name; `r#type` becomes a raw identifier.
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => format_ident!("{}", name),
    }
}

/// The Rust type for an IR type; `types` is the path prefix for named items.
pub(crate) fn rust_type(ty: &Type, types: &TokenStream) -> TokenStream {
    match ty {
        Type::String => quote!(String),
        Type::Bool => quote!(bool),
        Type::I32 => quote!(i32),
        Type::I64 => quote!(i64),
        Type::F64 => quote!(f64),
        Type::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        Type::Json => quote!(serde_json::Value),
        Type::Named(name) => {
            let name = ident(name);
            quote!(#types #name)
        }
        Type::List(item) => {
            let item = rust_type(item, types);
            quote!(Vec<#item>)
        }
        Type::Tuple(items) => {
            let items = items.iter().map(|item| rust_type(item, types));
            quote!((#(#items,)*))
        }
        Type::Map(value) => {
            let value = rust_type(value, types);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        Type::Nullable(inner) => {
            let inner = rust_type(inner, types);
            quote!(Option<#inner>)
        }
    }
}

/// A field's declared type: boxed if recursive, optional unless required, doubly optional when
/// absent and `null` must be told apart.
pub(crate) fn field_type(field: &Field, types: &TokenStream) -> TokenStream {
    let mut ty = rust_type(&field.ty, types);
    if field.boxed {
        ty = quote!(Box<#ty>);
    }
    match (field.required, field.nullable) {
        (true, false) => ty,
        (true, true) | (false, false) => quote!(Option<#ty>),
        (false, true) => quote!(Option<Option<#ty>>),
    }
}

/// One struct field with its docs.
pub(crate) fn emit_field(field: &Field, public: bool) -> TokenStream {
    // An empty description (`description: ''`) documents nothing, like none.
    let doc = match &field.doc {
        Some(text) if !text.trim().is_empty() => docs(text),
        _ => docs(&format!("The `{}` property.", field.wire)),
    };
    let name = ident(&field.name);
    let ty = field_type(field, &quote!());
    let vis = if public { quote!(pub) } else { quote!() };
    quote! { #doc #vis #name: #ty, }
}

/// `#[doc]` attributes from a description, made safe for rustdoc.
pub(crate) fn docs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#[doc = #lines])*)
}

/// The lines of a sanitized description, each with the leading space rustdoc expects.
pub(crate) fn doc_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    // The indentation a list item's continuation lines need, while in one: descriptions are
    // often wrapped without it, which Markdown reads lazily and clippy refuses.
    let mut item_indent: Option<usize> = None;
    let mut in_fence = false;
    for line in sanitize_doc(text).lines() {
        let line = line.trim_end();
        let content = line.trim_start();
        let indent = line.len() - content.len();
        if content.starts_with("```") {
            in_fence = !in_fence;
            item_indent = None;
        }
        let continued = match (in_fence, item_indent, list_marker_len(content)) {
            (true, ..) => line.to_owned(),
            (false, _, Some(marker)) => {
                item_indent = Some(indent + marker);
                line.to_owned()
            }
            (false, Some(need), None) if !content.is_empty() && indent < need => {
                format!("{}{content}", " ".repeat(need))
            }
            _ => line.to_owned(),
        };
        if content.is_empty() {
            item_indent = None;
        }
        lines.push(format!(" {continued}"));
    }
    lines
}

/// The width of a Markdown list marker (`- `, `*   `, `+ `, `1. `) opening `line` with the
/// spaces after it, if any: where the item's text, and so its continuation lines, start.
fn list_marker_len(line: &str) -> Option<usize> {
    let bullet = line.starts_with(['-', '*', '+']).then_some(1);
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let numbered = (digits > 0 && line[digits..].starts_with(['.', ')'])).then_some(digits + 1);
    let marker = bullet.or(numbered)?;
    let spaces = line[marker..].chars().take_while(|c| *c == ' ').count();
    // CommonMark: one to four spaces; with five or more, the item's text starts after one.
    match spaces {
        0 => None,
        1..=4 => Some(marker + spaces),
        _ => Some(marker + 1),
    }
}

/// Escapes what rustdoc would misread outside code spans: brackets that are not links, angle
/// brackets, and bare URLs, which become autolinks.
pub(crate) fn sanitize_doc(text: &str) -> String {
    let text = text.trim();
    let mut out = String::with_capacity(text.len() + 16);
    let mut in_code = false;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            in_code = !in_code;
        }
        if !in_code {
            if let Some(len) = markdown_link_len(rest).or_else(|| intra_doc_link_len(rest)) {
                out.push_str(&rest[..len]);
                rest = &rest[len..];
                continue;
            }
            if rest.starts_with("https://") || rest.starts_with("http://") {
                let end = rest
                    .find(|c: char| c.is_whitespace() || c == ')' || c == '>')
                    .unwrap_or(rest.len());
                let url = rest[..end].trim_end_matches(['.', ',', ';']);
                out.push('<');
                out.push_str(url);
                out.push('>');
                rest = &rest[url.len()..];
                continue;
            }
            if matches!(c, '[' | ']' | '<' | '>') {
                out.push('\\');
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The length of a ``[`Name`]`` intra-doc link at the start of `text`.
fn intra_doc_link_len(text: &str) -> Option<usize> {
    let inner = text.strip_prefix("[`")?;
    let close = inner.find("`]")?;
    let name = &inner[..close];
    let is_path = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == ':');
    is_path.then_some(2 + close + 2)
}

/// The length of a `[text](https://...)` link at the start of `text`.
fn markdown_link_len(text: &str) -> Option<usize> {
    let inner = text.strip_prefix('[')?;
    let close = inner.find(']')?;
    let after = &inner[close + 1..];
    let target = after.strip_prefix("(http")?;
    let end = target.find(')')?;
    Some(1 + close + 1 + "(http".len() + end + 1)
}

#[cfg(test)]
mod tests {
    use super::{doc_lines, sanitize_doc};

    #[test]
    fn list_items_wrapped_without_indentation_are_indented() {
        let lines = doc_lines("Fields:\n- Tasks\n- Views\n(tabs, boards)\n\nafter\n1. one\ntwo");
        assert_eq!(
            lines,
            [
                " Fields:",
                " - Tasks",
                " - Views",
                "   (tabs, boards)",
                " ",
                " after",
                " 1. one",
                "    two"
            ]
        );
        // The text of `*   item` starts four columns in, and so must its continuation lines.
        let lines = doc_lines("**Note**:\n*   a long\n  item\n*emphasis*");
        assert_eq!(
            lines,
            [" **Note**:", " *   a long", "     item", "     *emphasis*"]
        );
    }

    #[test]
    fn docs_are_escaped_for_rustdoc() {
        assert_eq!(sanitize_doc("see https://x.io/a."), "see <https://x.io/a>.");
        assert_eq!(
            sanitize_doc("a [b](https://x.io) c"),
            "a [b](https://x.io) c"
        );
        assert_eq!(
            sanitize_doc("list [a, b] <TOKEN>"),
            "list \\[a, b\\] \\<TOKEN\\>"
        );
        assert_eq!(sanitize_doc("`Bearer <TOKEN>`"), "`Bearer <TOKEN>`");
        assert_eq!(sanitize_doc("see [`Client`]"), "see [`Client`]");
    }
}
