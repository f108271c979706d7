//! Operations: query structs, error unions, the request and response functions of each
//! operation, and the client methods that chain them.

use proc_macro2::Literal;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{docs, field_type, ident, rust_type};
use crate::ir::{ErrorCase, Method, Operation, Query};

/// An operations module (`operations`, or one file of it): `doc`, then the operations.
pub fn emit_operations(doc: &str, operations: &[&Operation]) -> TokenStream {
    let doc = super::doc_lines(doc);
    let (methods, blocking): (Vec<_>, Vec<_>) =
        operations.iter().map(|op| emit_methods(op)).unzip();
    // Imports only what the operations use, so a spec without operations (or without named
    // types) still compiles without warnings.
    let types = if operations.iter().any(|op| uses_named_types(op)) {
        quote!(
            use crate::types;
        )
    } else {
        quote!()
    };
    let clients = if operations.is_empty() {
        quote!()
    } else {
        quote! {
            impl<T: Transport> Client<T> {
                #(#methods)*
            }

            /// The same operations, blocking: the same request and response functions, the
            /// same types and error unions.
            impl<T: crate::BlockingTransport> crate::BlockingClient<T> {
                #(#blocking)*
            }
        }
    };
    let runtime = if operations.is_empty() {
        quote!()
    } else {
        quote! {
            use crate::runtime::client::Client;
            use crate::runtime::error::ClientError;
            use crate::runtime::transport::Transport;
        }
    };
    let operations = operations.iter().map(|op| emit_operation(op));
    quote! {
        #(#![doc = #doc])*
        #runtime
        #types

        #(#operations)*

        #clients
    }
}

/// Whether an operation's signatures name a type of the `types` module.
fn uses_named_types(op: &Operation) -> bool {
    let named = |ty: &crate::ir::Type| {
        let mut names = Vec::new();
        ty.named_items(&mut names);
        !names.is_empty()
    };
    let query = op.query.iter().flat_map(|q| &q.fields).map(|q| &q.field.ty);
    let params = op.path_params.iter().map(|p| &p.ty);
    let errors = op.errors.iter().filter_map(|e| e.ty.as_ref());
    op.body
        .iter()
        .chain(op.success.ty.iter())
        .chain(query)
        .chain(params)
        .chain(errors)
        .any(named)
}

fn method_tokens(method: Method) -> TokenStream {
    match method {
        Method::Get => quote!(http::Method::GET),
        Method::Put => quote!(http::Method::PUT),
        Method::Post => quote!(http::Method::POST),
        Method::Delete => quote!(http::Method::DELETE),
        Method::Patch => quote!(http::Method::PATCH),
        Method::Head => quote!(http::Method::HEAD),
        Method::Options => quote!(http::Method::OPTIONS),
    }
}

fn method_name(method: Method) -> &'static str {
    match method {
        Method::Get => "GET",
        Method::Put => "PUT",
        Method::Post => "POST",
        Method::Delete => "DELETE",
        Method::Patch => "PATCH",
        Method::Head => "HEAD",
        Method::Options => "OPTIONS",
    }
}

/// The operation's docs: summary, description, and `METHOD /path`.
fn operation_docs(op: &Operation) -> TokenStream {
    let mut text = String::new();
    if let Some(summary) = &op.summary {
        text.push_str(summary.trim());
        text.push_str(".\n\n");
    }
    if let Some(doc) = &op.doc {
        if op.summary.as_deref().map(str::trim) != Some(doc.trim()) {
            text.push_str(doc.trim());
            text.push_str("\n\n");
        }
    }
    text.push_str(&format!(
        "`{} {}` (`{}`).",
        method_name(op.method),
        op.path,
        op.wire
    ));
    docs(&text)
}

/// The success type, `()` when the success response has no body.
fn success_type(op: &Operation) -> TokenStream {
    match &op.success.ty {
        Some(ty) => rust_type(ty, &quote!(types::)),
        None => quote!(()),
    }
}

/// The arguments after `config` / `&self`: path parameters, then the query, then the body.
fn arguments(op: &Operation) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let mut params = Vec::new();
    let mut args = Vec::new();
    for param in &op.path_params {
        let name = ident(&param.name);
        let ty = match &param.ty {
            crate::ir::Type::String => quote!(str),
            other => rust_type(other, &quote!(types::)),
        };
        params.push(quote!(#name: &#ty));
        args.push(quote!(#name));
    }
    if let Some(query) = &op.query {
        let ty = ident(&query.name);
        params.push(quote!(query: &#ty));
        args.push(quote!(query));
    }
    if let Some(body) = &op.body {
        let ty = rust_type(body, &quote!(types::));
        params.push(quote!(body: &#ty));
        args.push(quote!(body));
    }
    (params, args)
}

fn emit_operation(op: &Operation) -> TokenStream {
    let query = op.query.as_ref().map(|q| emit_query(op, q));
    let error = emit_error(op);
    let module = emit_module(op);
    quote! { #query #error #module }
}

fn emit_query(op: &Operation, query: &Query) -> TokenStream {
    let name = ident(&query.name);
    let doc = docs(&format!("The query parameters of `{}`.", op.wire));
    let fields = query.fields.iter().map(|q| {
        let field = &q.field;
        let doc = docs(
            field
                .doc
                .as_deref()
                .unwrap_or(&format!("The `{}` parameter.", field.wire)),
        );
        let name = ident(&field.name);
        let ty = field_type(field, &quote!(types::));
        quote! { #doc pub #name: #ty, }
    });
    let pushes = query.fields.iter().map(|q| {
        let field = &q.field;
        let name = ident(&field.name);
        let wire = &field.wire;
        let explode = q.explode;
        let push = match &field.ty {
            crate::ir::Type::List(_) => quote!(query.list(#wire, value, #explode)?),
            _ => quote!(query.scalar(#wire, value)?),
        };
        if field.required {
            quote! { let value = &self.#name; #push; }
        } else {
            quote! { if let Some(value) = &self.#name { #push; } }
        }
    });
    let default = if query.fields.iter().all(|q| q.field.has_default()) {
        quote!(Default,)
    } else {
        quote!()
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name { #(#fields)* }

        impl #name {
            /// The parameters as a query string, arrays as the spec says (`explode`).
            fn encode(&self) -> Result<crate::runtime::request::Query, crate::runtime::request::RequestError> {
                let mut query = crate::runtime::request::Query::default();
                #(#pushes)*
                Ok(query)
            }
        }
    }
}

fn emit_error(op: &Operation) -> TokenStream {
    let name = ident(&op.error_enum);
    let doc = docs(&format!(
        "The errors of `{}`: one variant per documented status, plus an undocumented status \
         and a body that does not decode.",
        op.wire
    ));
    let variants = op.errors.iter().map(|case| {
        let variant = ident(&case.variant);
        let doc = docs(&error_doc(case));
        let payload = match &case.ty {
            Some(ty) => rust_type(ty, &quote!(types::)),
            None => quote!(crate::RawResponse),
        };
        // Boxed, so that a `Result` with the union stays small however large the body.
        quote! { #doc #variant(Box<#payload>), }
    });
    let statuses = op.errors.iter().map(|case| {
        let variant = ident(&case.variant);
        let status = Literal::u16_unsuffixed(case.status);
        quote! { Self::#variant(_) => #status, }
    });
    let messages = op.errors.iter().map(|case| {
        let variant = ident(&case.variant);
        if case.has_message {
            quote! { Self::#variant(body) => body.message.as_deref(), }
        } else {
            quote! { Self::#variant(_) => None, }
        }
    });
    let wire = &op.wire;
    // Without documented errors every arm returns early, so the shared tail is left out.
    let (status_body, display_body) = if op.errors.is_empty() {
        (
            quote! {
                match self {
                    Self::UnexpectedStatus(response) => response.status,
                    Self::Undecodable(err) => err.response.status,
                }
            },
            quote! {
                match self {
                    Self::UnexpectedStatus(response) => write!(f, "{}: {response}", Self::OPERATION),
                    Self::Undecodable(err) => write!(f, "{}: {err}", Self::OPERATION),
                }
            },
        )
    } else {
        (
            quote! {
                let documented = match self {
                    #(#statuses)*
                    Self::UnexpectedStatus(response) => return response.status,
                    Self::Undecodable(err) => return err.response.status,
                };
                http::StatusCode::from_u16(documented)
                    .expect("the generator accepts only statuses from 100 to 999")
            },
            quote! {
                let message: Option<&str> = match self {
                    #(#messages)*
                    Self::UnexpectedStatus(response) => {
                        return write!(f, "{}: {response}", Self::OPERATION)
                    }
                    Self::Undecodable(err) => return write!(f, "{}: {err}", Self::OPERATION),
                };
                crate::runtime::response::write_failure(f, Self::OPERATION, self.status(), message)
            },
        )
    };
    quote! {
        #doc
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A status the API does not document for this operation.
            UnexpectedStatus(Box<crate::RawResponse>),
            /// A body that does not decode as documented for its status.
            Undecodable(crate::UndecodableResponse),
        }

        impl #name {
            /// The operation these errors belong to, by its `operationId`.
            pub const OPERATION: &'static str = #wire;

            /// The HTTP status the server answered with.
            pub fn status(&self) -> http::StatusCode {
                #status_body
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                #display_body
            }
        }

        // No source: the message quotes an undecodable response whole, its reason included.
        impl std::error::Error for #name {}

        impl From<crate::UndecodableResponse> for #name {
            fn from(err: crate::UndecodableResponse) -> Self {
                Self::Undecodable(err)
            }
        }
    }
}

/// A variant's doc: the response description, with its status unless it already says it.
fn error_doc(case: &ErrorCase) -> String {
    let status = case.status.to_string();
    if case.doc.starts_with(&status) {
        format!("{}.", case.doc)
    } else {
        format!("{} ({status}).", case.doc)
    }
}

fn emit_module(op: &Operation) -> TokenStream {
    let module = ident(&op.fn_name);
    let error = ident(&op.error_enum);
    let method = method_tokens(op.method);
    let idempotency = if op.idempotent.is_idempotent() {
        quote!(crate::Idempotency::Idempotent)
    } else {
        quote!(crate::Idempotency::NotIdempotent)
    };
    let path = &op.path;
    let doc = operation_docs(op);
    let (params, _) = arguments(op);
    let success = success_type(op);
    let (segments, path_expr) = emit_path(op);
    let query = if op.query.is_some() {
        quote!(query.encode()?)
    } else {
        quote!(crate::runtime::request::Query::default())
    };
    let body = if op.body.is_some() {
        quote!(Some(crate::runtime::request::json_body(body)?))
    } else {
        quote!(None)
    };
    let success_arms = op.success.statuses.iter().map(|status| {
        let status = Literal::u16_unsuffixed(*status);
        if op.success.ty.is_some() {
            quote!(#status => Ok(response.decode()?),)
        } else {
            quote!(#status => Ok(()),)
        }
    });
    let error_arms = op.errors.iter().map(|case| {
        let status = Literal::u16_unsuffixed(case.status);
        let variant = ident(&case.variant);
        if case.ty.is_some() {
            quote!(#status => Err(Error::#variant(Box::new(response.decode()?))),)
        } else {
            quote!(#status => Err(Error::#variant(Box::new(response))),)
        }
    });
    let pages = emit_pages(op);
    let request_doc = docs(&format!(
        "Builds the `{}` request; send it with any HTTP client.",
        op.wire
    ));
    let response_doc = docs(&format!(
        "Maps a response to `{}`'s result: the success body, or the error union.",
        op.wire
    ));
    quote! {
        #doc
        pub mod #module {
            #[allow(unused_imports)]
            use super::*;

            /// The HTTP method.
            pub const METHOD: http::Method = #method;
            /// The path template.
            pub const PATH: &str = #path;
            /// Whether sending the request twice has the effect of once; retries read it.
            pub const IDEMPOTENCY: crate::Idempotency = #idempotency;

            #request_doc
            pub fn request(
                config: &crate::Config,
                #(#params),*
            ) -> Result<http::Request<Vec<u8>>, crate::RequestError> {
                #segments
                crate::runtime::request::build(config, METHOD, #path_expr, &#query, #body)
                    .map(|request| IDEMPOTENCY.mark(request))
            }

            #response_doc
            pub fn response(response: http::Response<Vec<u8>>) -> Result<#success, super::#error> {
                use super::#error as Error;
                let response = crate::RawResponse::from(response);
                match response.status.as_u16() {
                    #(#success_arms)*
                    #(#error_arms)*
                    _ => Err(Error::UnexpectedStatus(Box::new(response))),
                }
            }

            #pages
        }
    }
}

/// The path with its parameters percent-encoded into their places: `let` statements binding
/// each encoded segment, then the path expression naming them.
fn emit_path(op: &Operation) -> (TokenStream, TokenStream) {
    if op.path_params.is_empty() {
        let path = &op.path;
        return (quote!(), quote!(#path));
    }
    let mut template = op.path.replace('{', "{{").replace('}', "}}");
    let mut segments = Vec::new();
    for param in &op.path_params {
        let name = ident(&param.name);
        // A keyword parameter (`r#type`) cannot be named inside a format string.
        let bare = crate::names::bare(&param.name);
        let binding = if bare == param.name {
            name.clone()
        } else {
            format_ident!("{}_segment", bare)
        };
        template = template.replace(
            &format!("{{{{{}}}}}", param.wire),
            &format!("{{{binding}}}"),
        );
        let wire = &param.wire;
        segments.push(quote!(let #binding = crate::runtime::request::path_segment(#wire, #name)?;));
    }
    (quote!(#(#segments)*), quote!(&format!(#template)))
}

/// The request type a paginated operation scans with: its body, else its query.
fn page_request(op: &Operation) -> Option<TokenStream> {
    match (&op.body, &op.query) {
        (Some(body), _) => Some(rust_type(body, &quote!(types::))),
        (None, Some(query)) => {
            let name = ident(&query.name);
            Some(quote!(#name))
        }
        (None, None) => None,
    }
}

/// `Pages`: the operation's [`Paginated`] impl, for operations lowering found paginated.
fn emit_pages(op: &Operation) -> TokenStream {
    let (Some(pagination), Some(request_ty)) = (&op.pagination, page_request(op)) else {
        return quote!();
    };
    let error = ident(&op.error_enum);
    let item = rust_type(&pagination.item, &quote!(types::));
    let cursor = ident(&pagination.cursor_field);
    let items = ident(&pagination.items_field);
    let next = ident(&pagination.next_cursor_field);
    let doc = docs(&format!(
        "Cursor pagination of `{}`: each request sends the previous page's `{}` as `{}` and \
         yields the page's `{}`.",
        op.wire, pagination.next_cursor_field, pagination.cursor_field, pagination.items_field
    ));
    quote! {
        #doc
        #[derive(Debug)]
        pub struct Pages;

        impl crate::Paginated for Pages {
            type Request = #request_ty;
            type Item = #item;
            type Error = super::#error;

            fn set_cursor(request: &mut Self::Request, cursor: Option<String>) {
                request.#cursor = cursor;
            }

            fn build(
                config: &crate::Config,
                page: &Self::Request,
            ) -> Result<http::Request<Vec<u8>>, crate::RequestError> {
                request(config, page)
            }

            fn parse(
                http_response: http::Response<Vec<u8>>,
            ) -> Result<(Vec<Self::Item>, Option<String>), Self::Error> {
                let page = response(http_response)?;
                Ok((page.#items, page.#next))
            }
        }
    }
}

/// An operation's methods on the async and the blocking client, each with its `_all`
/// paginator when the operation pages. Docs and signature are made once for both.
fn emit_methods(op: &Operation) -> (TokenStream, TokenStream) {
    let doc = operation_docs(op);
    // The method and the operation's module share the name.
    let name = ident(&op.fn_name);
    let error = ident(&op.error_enum);
    let (params, args) = arguments(op);
    let success = success_type(op);
    let request = quote!(#name::request(self.config(), #(#args),*));
    let returns = quote!(Result<#success, ClientError<#error>>);
    let (async_pages, blocking_pages) = emit_paginator_methods(op);
    (
        quote! {
            #doc
            pub async fn #name(&self, #(#params),*) -> #returns {
                self.execute(#request, #name::response).await
            }
            #async_pages
        },
        quote! {
            #doc
            pub fn #name(&self, #(#params),*) -> #returns {
                self.call(#request, #name::response)
            }
            #blocking_pages
        },
    )
}

/// `<operation>_all` on the async and the blocking client: every item of a paginated
/// operation, page by page.
fn emit_paginator_methods(op: &Operation) -> (TokenStream, TokenStream) {
    let (Some(pagination), Some(request_ty)) = (&op.pagination, page_request(op)) else {
        return (quote!(), quote!());
    };
    let name = format_ident!("{}_all", crate::names::bare(&op.fn_name));
    let module = ident(&op.fn_name);
    let doc = |shape: &str| {
        docs(&format!(
            "Every item of `{}`'s `{}`, following `{}` page by page from `request`'s cursor, \
             as {shape}.\n\n\
             Pages are fetched as the items are consumed, one page in memory at a time; the \
             scan stops at the first error, and with [`ClientError::RepeatedCursor`] if the \
             server sends a cursor twice.",
            op.wire, pagination.items_field, pagination.next_cursor_field
        ))
    };
    let (async_doc, blocking_doc) = (doc("an async `next()`"), doc("an `Iterator`"));
    (
        quote! {
            #async_doc
            pub fn #name(&self, request: #request_ty) -> crate::Paginator<'_, T, #module::Pages> {
                crate::Paginator::new(self, request)
            }
        },
        quote! {
            #blocking_doc
            pub fn #name(&self, request: #request_ty) -> crate::BlockingPaginator<'_, T, #module::Pages> {
                crate::BlockingPaginator::new(self, request)
            }
        },
    )
}
