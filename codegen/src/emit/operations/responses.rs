//! What an operation answers: the success enum (when the successes have different bodies),
//! how each success body is read, and the status patterns of success and error cases.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::super::{docs, ident, rust_type};
use crate::ir::{Operation, ResponseBody, StatusMatch};

pub(super) fn response_body_type(body: &ResponseBody) -> TokenStream {
    match body {
        ResponseBody::Json(ty) => rust_type(ty, &quote!(types::)),
        ResponseBody::Binary => quote!(crate::Binary),
        ResponseBody::Text => quote!(String),
        ResponseBody::Empty => quote!(()),
    }
}

pub(super) fn status_doc(doc: &str, status: StatusMatch) -> String {
    let status = match status {
        StatusMatch::Code(code) => code.to_string(),
        StatusMatch::Range(class) => format!("{class}XX"),
        StatusMatch::Default => "any other status".to_owned(),
    };
    if doc.is_empty() {
        format!("{status}.")
    } else if doc.starts_with(&status) {
        format!("{doc}.")
    } else {
        format!("{doc} ({status}).")
    }
}

/// The pattern matching a case's statuses in `response`'s `match response.status.as_u16()`.
pub(super) fn status_pattern(status: StatusMatch) -> TokenStream {
    match status {
        StatusMatch::Code(code) => {
            let code = Literal::u16_unsuffixed(code);
            quote!(#code)
        }
        StatusMatch::Range(class) => {
            let (low, high) = (
                Literal::u16_unsuffixed(class * 100),
                Literal::u16_unsuffixed(class * 100 + 99),
            );
            quote!(#low..=#high)
        }
        // `default` describes the errors; an undocumented success stays unexpected.
        StatusMatch::Default => quote!(_ if !response.status.is_success()),
    }
}

/// How a success body is read from `response`.
pub(super) fn read_body(body: &ResponseBody) -> Option<TokenStream> {
    match body {
        ResponseBody::Json(_) => Some(quote!(response.decode()?)),
        ResponseBody::Binary => Some(quote!(response.binary())),
        ResponseBody::Text => Some(quote!(response.text()?)),
        ResponseBody::Empty => None,
    }
}

/// The enum of an operation's successes, when their bodies differ. Like a union's, its payloads
/// stay unboxed, so it allows `large_enum_variant` itself (a body beside `NoContent`).
pub(super) fn emit_success_enum(op: &Operation) -> TokenStream {
    let Some(name) = &op.success.enum_name else {
        return quote!();
    };
    let name = ident(name);
    let doc = docs(&format!(
        "The successes of `{}`: one variant per documented success status.",
        op.wire
    ));
    let variants = op.success.cases.iter().map(|case| {
        let variant = ident(&case.variant);
        let doc = docs(&status_doc(&case.doc, case.status));
        match &case.body {
            ResponseBody::Empty => quote! { #doc #variant, },
            body => {
                let ty = response_body_type(body);
                quote! { #doc #variant(#ty), }
            }
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name { #(#variants)* }
    }
}
