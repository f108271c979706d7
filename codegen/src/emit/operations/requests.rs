//! What an operation sends: the query struct (query and header parameters), path segments in
//! their styles, the multipart body struct, and the expression that encodes the body.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::{docs, field_type, ident};
use crate::ir::{
    BodyKind, Field, Multipart, Operation, ParamLocation, ParamStyle, PartKind, Query,
};

/// `crate::runtime::style::Style::Form`, for one style.
pub(super) fn style_tokens(style: ParamStyle) -> TokenStream {
    let variant = match style {
        ParamStyle::Simple => quote!(Simple),
        ParamStyle::Label => quote!(Label),
        ParamStyle::Matrix => quote!(Matrix),
        ParamStyle::Form => quote!(Form),
        ParamStyle::SpaceDelimited => quote!(SpaceDelimited),
        ParamStyle::PipeDelimited => quote!(PipeDelimited),
        ParamStyle::DeepObject => quote!(DeepObject),
    };
    quote!(Style::#variant)
}

/// Whether a form body names a [`Style`](crate::ir::ParamStyle) for its fields' encodings.
pub(super) fn uses_form_styles(op: &Operation) -> bool {
    matches!(
        op.body.as_ref().map(|b| &b.kind),
        Some(BodyKind::Form { encodings, .. }) if !encodings.is_empty()
    )
}

/// The expression giving the request body, from the `body` argument.
pub(super) fn body_expr(op: &Operation) -> TokenStream {
    let Some(body) = &op.body else {
        return quote!(None);
    };
    let media = &body.media;
    let expr = match &body.kind {
        BodyKind::Json(_) => quote!(crate::runtime::request::json_body(body, #media)?),
        BodyKind::Form { encodings, .. } => {
            let encodings = encodings.iter().map(|e| {
                let (wire, explode) = (&e.wire, e.explode);
                let style = style_tokens(e.style);
                quote! {
                    crate::runtime::form::Encoding { name: #wire, style: #style, explode: #explode }
                }
            });
            quote!(crate::runtime::form::urlencoded(body, &[#(#encodings),*])?)
        }
        BodyKind::Multipart(_) => quote!(body.encode()?),
        BodyKind::Binary => quote!(crate::runtime::request::bytes_body(body, #media)),
        BodyKind::Text => quote!(crate::runtime::request::text_body(body, #media)),
    };
    quote!(Some(#expr))
}

pub(super) fn emit_query(op: &Operation, query: &Query) -> TokenStream {
    let name = ident(&query.name);
    let located = |at: ParamLocation| query.fields.iter().any(|q| q.location == at);
    let what = match (
        located(ParamLocation::Query),
        located(ParamLocation::Header),
    ) {
        (true, true) => "query and header parameters",
        (false, true) => "header parameters",
        _ => "query parameters",
    };
    let doc = docs(&format!("The {what} of `{}`.", op.wire));
    let fields = query.fields.iter().map(|q| {
        let field = &q.field;
        let doc = docs(
            field
                .doc
                .as_deref()
                .filter(|doc| !doc.trim().is_empty())
                .unwrap_or(&format!("The `{}` parameter.", field.wire)),
        );
        let name = ident(&field.name);
        let ty = field_type(field, &quote!(types::));
        quote! { #doc pub #name: #ty, }
    });
    let pushes = query.fields.iter().map(|q| {
        let field = &q.field;
        let wire = &field.wire;
        let explode = q.explode;
        let push = match q.location {
            ParamLocation::Header => quote!(params.header(#wire, #explode, value)?),
            _ => {
                let style = style_tokens(q.style);
                quote!(params.query(#wire, #style, #explode, value)?)
            }
        };
        with_value(field, &push)
    });
    let default = default_derive(query.fields.iter().map(|q| &q.field));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name { #(#fields)* }

        impl #name {
            /// Writes the parameters into the query string and headers, each in its style.
            #[inline]
            fn encode(&self, params: &mut crate::runtime::request::Params) -> Result<(), crate::RequestError> {
                #(#pushes)*
                Ok(())
            }
        }
    }
}

/// A multipart body's struct and its encoder.
pub(super) fn emit_multipart(op: &Operation, multipart: &Multipart) -> TokenStream {
    let name = ident(&multipart.name);
    let doc = docs(&format!("The `multipart/form-data` body of `{}`.", op.wire));
    let fields = multipart.parts.iter().map(|part| {
        let field = &part.field;
        let doc = docs(
            field
                .doc
                .as_deref()
                .filter(|doc| !doc.trim().is_empty())
                .unwrap_or(&format!("The `{}` part.", field.wire)),
        );
        let name = ident(&field.name);
        let ty = match &part.kind {
            PartKind::File { list: false, .. } => quote!(crate::FilePart),
            PartKind::File { list: true, .. } => quote!(Vec<crate::FilePart>),
            _ => field_type(field, &quote!(types::)),
        };
        let ty = match (&part.kind, field.required) {
            (PartKind::File { .. }, false) => quote!(Option<#ty>),
            _ => ty,
        };
        quote! { #doc pub #name: #ty, }
    });
    let pushes = multipart.parts.iter().map(|part| {
        let field = &part.field;
        let wire = &field.wire;
        let push = match &part.kind {
            PartKind::File {
                list: false,
                content_type,
            } => quote!(form.file(#wire, value, #content_type)),
            PartKind::File {
                list: true,
                content_type,
            } => quote! {
                for file in value {
                    form.file(#wire, file, #content_type);
                }
            },
            PartKind::Text => quote!(form.text(#wire, value)?),
            PartKind::Json => quote!(form.json(#wire, value)?),
        };
        with_value(field, &push)
    });
    let default = default_derive(multipart.parts.iter().map(|p| &p.field));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name { #(#fields)* }

        impl #name {
            /// The parts, each as the spec documents it, between a boundary none contains.
            #[inline]
            fn encode(&self) -> Result<crate::runtime::request::Body, crate::RequestError> {
                let mut form = crate::runtime::form::Multipart::default();
                #(#pushes)*
                Ok(form.finish())
            }
        }
    }
}

/// The path parameters, each written into `params` in its style, for the runtime to put in
/// place of its `{name}` in `PATH`.
pub(super) fn emit_path(op: &Operation) -> TokenStream {
    let segments = op.path_params.iter().map(|param| {
        let name = ident(&param.name);
        let wire = &param.wire;
        let style = style_tokens(param.style);
        let explode = param.explode;
        quote!(params.path(#wire, #style, #explode, #name)?;)
    });
    quote!(#(#segments)*)
}

/// `push` with `value` bound to the field: always for a required one, when set for another.
fn with_value(field: &Field, push: &TokenStream) -> TokenStream {
    let name = ident(&field.name);
    if field.required {
        quote! { let value = &self.#name; #push; }
    } else {
        quote! { if let Some(value) = &self.#name { #push; } }
    }
}

/// `Default,` for a struct whose fields can all be left out, else nothing.
fn default_derive<'a>(mut fields: impl Iterator<Item = &'a Field>) -> TokenStream {
    if fields.all(Field::has_default) {
        quote!(Default,)
    } else {
        quote!()
    }
}
