//! Emission: IR into token streams with `quote!`, one file per IR kind.
//!
//! Emitters read the IR only. Helpers here turn IR names, types and docs into tokens; the
//! submodules assemble items from them in short `quote!` blocks.

mod krate;
mod operations;
mod types;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::ir::{Crate, Field, Type};

pub use krate::emit_lib;
pub use operations::emit_operations;
pub use types::emit_types;

/// The three generated Rust modules of a crate, as tokens.
pub fn emit(krate: &Crate) -> [(&'static str, TokenStream); 3] {
    [
        ("src/lib.rs", emit_lib(krate)),
        ("src/types.rs", emit_types(krate)),
        ("src/operations.rs", emit_operations(krate)),
    ]
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
        Type::Map(value) => {
            let value = rust_type(value, types);
            quote!(std::collections::BTreeMap<String, #value>)
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

/// The serde attributes of a field: rename when the names differ, defaults and skipping for
/// optional fields.
pub(crate) fn field_serde(field: &Field) -> TokenStream {
    let mut attrs = Vec::new();
    let wire = &field.wire;
    if crate::names::bare(&field.name) != wire {
        attrs.push(quote!(rename = #wire));
    }
    match (field.required, field.nullable) {
        (true, _) => {}
        (false, false) => attrs.push(quote!(default, skip_serializing_if = "Option::is_none")),
        (false, true) => attrs.push(quote!(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "crate::runtime::json::nullable"
        )),
    }
    if attrs.is_empty() {
        quote!()
    } else {
        quote!(#[serde(#(#attrs),*)])
    }
}

/// `#[doc]` attributes from a description, made safe for rustdoc.
pub(crate) fn docs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#[doc = #lines])*)
}

/// The lines of a sanitized description, each with the leading space rustdoc expects.
pub(crate) fn doc_lines(text: &str) -> Vec<String> {
    sanitize_doc(text)
        .lines()
        .map(|line| format!(" {}", line.trim_end()))
        .collect()
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
    use super::sanitize_doc;

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
