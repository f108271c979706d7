//! Operations: query structs, error unions, the request and response functions of each
//! operation, and the client methods that chain them. What a request carries is emitted in
//! [`requests`], what a response holds in [`responses`].

mod requests;
mod responses;

use requests::{body_expr, emit_multipart, emit_path, emit_query, uses_form_styles};
use responses::{emit_success_enum, read_body, response_body_type, status_doc, status_pattern};

use heck::ToShoutySnakeCase;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::{cfg, docs, gated, ident, rust_type};
use crate::ir::{
    BodyKind, ErrorCase, Gate, Method, Operation, ParamLocation, ResponseBody, StatusMatch, Type,
};

/// An operations module (`operations`, or one file of it): `doc`, then the operations, each
/// under its own gate where the file's (`within`) is not its own.
pub fn emit_operations(doc: &str, operations: &[&Operation], within: &Gate) -> TokenStream {
    let doc = super::doc_lines(doc);
    let (methods, blocking): (Vec<_>, Vec<_>) = operations
        .iter()
        .map(|op| emit_methods(op, &cfg(&op.gate, within)))
        .unzip();
    // Imports only what the operations use, so a spec without operations (or without named
    // types) still compiles without warnings; gated like the operations that use them, so
    // that no build has an unused one.
    let import = |uses: fn(&Operation) -> bool, import: TokenStream| {
        let users: Vec<&Gate> = operations
            .iter()
            .filter(|op| uses(op))
            .map(|op| &op.gate)
            .collect();
        if users.is_empty() {
            return quote!();
        }
        let cfg = cfg(&Gate::union(users), within);
        quote!(#cfg #import)
    };
    let types = import(
        uses_named_types,
        quote!(
            use crate::types;
        ),
    );
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
    let style = import(
        uses_query_styles,
        quote!(
            use crate::runtime::style::Style;
        ),
    );
    let mock = super::mock::emit_mock_methods(operations, within);
    let operations = operations
        .iter()
        .map(|op| gated(emit_operation(op), &cfg(&op.gate, within)));
    quote! {
        #(#![doc = #doc])*
        #runtime
        #style
        #types

        #(#operations)*

        #clients

        #mock
    }
}

/// Whether an operation's query struct writes a query parameter in its
/// [`Style`](crate::ir::ParamStyle).
fn uses_query_styles(op: &Operation) -> bool {
    let mut query = op.query.iter().flat_map(|q| &q.fields);
    query.any(|q| q.location == ParamLocation::Query)
}

/// The imports of an operation's module: exactly the items its code names by their short
/// name, so it compiles without unused imports.
fn module_imports(op: &Operation) -> TokenStream {
    let mut parent = Vec::new();
    if let Some(query) = &op.query {
        parent.push(ident(&query.name));
    }
    if let Some(BodyKind::Multipart(multipart)) = op.body.as_ref().map(|b| &b.kind) {
        parent.push(ident(&multipart.name));
    }
    if let Some(name) = &op.success.enum_name {
        parent.push(ident(name));
    }
    let parent = (!parent.is_empty()).then(|| quote!(use super::{#(#parent),*};));
    let mut named = Vec::new();
    for param in &op.path_params {
        param.ty.named_items(&mut named);
    }
    if let Some(BodyKind::Json(ty) | BodyKind::Form { ty, .. }) = op.body.as_ref().map(|b| &b.kind)
    {
        ty.named_items(&mut named);
    }
    if op.success.enum_name.is_none() {
        if let ResponseBody::Json(ty) = op.success.body() {
            ty.named_items(&mut named);
        }
    }
    if let Some(pagination) = &op.pagination {
        pagination.item.named_items(&mut named);
    }
    let types = (!named.is_empty()).then(|| {
        quote!(
            use crate::types;
        )
    });
    let style = (!op.path_params.is_empty() || uses_form_styles(op)).then(|| {
        quote!(
            use crate::runtime::style::Style;
        )
    });
    quote!(#parent #style #types)
}

/// Whether an operation's signatures name a type of the `types` module.
fn uses_named_types(op: &Operation) -> bool {
    let mut names = Vec::new();
    op.named_items(&mut names);
    op.error_items(&mut names);
    !names.is_empty()
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
    let summary = op
        .summary
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if let Some(summary) = summary {
        text.push_str(summary);
        text.push_str(".\n\n");
    }
    if let Some(doc) = op.doc.as_deref().filter(|doc| !doc.trim().is_empty()) {
        if summary != Some(doc.trim()) {
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

/// The success type: the success enum, or the body the successes share (`()` for none).
fn success_type(op: &Operation) -> TokenStream {
    match &op.success.enum_name {
        Some(name) => {
            let name = ident(name);
            quote!(#name)
        }
        None => response_body_type(op.success.body()),
    }
}

/// One argument of an operation's functions after `config` / `&self`.
pub(super) struct Argument {
    /// Its name.
    pub(super) name: Ident,
    /// The type it is passed by reference as, such as `str` or `[i64]`.
    pub(super) borrowed: TokenStream,
    /// The type it owns once copied, such as `String` or `Vec<i64>`.
    pub(super) owned: TokenStream,
    /// What it is, for docs: `` the `id` path parameter ``.
    pub(super) what: String,
}

/// The arguments after `config` / `&self`: path parameters, then the query, then the body.
pub(super) fn argument_list(op: &Operation) -> Vec<Argument> {
    let mut list = Vec::new();
    for param in &op.path_params {
        let (borrowed, owned) = match &param.ty {
            Type::String => (quote!(str), quote!(String)),
            Type::List(item) => {
                let item = rust_type(item, &quote!(types::));
                (quote!([#item]), quote!(Vec<#item>))
            }
            other => {
                let ty = rust_type(other, &quote!(types::));
                (ty.clone(), ty)
            }
        };
        list.push(Argument {
            name: ident(&param.name),
            borrowed,
            owned,
            what: format!("The `{}` path parameter.", param.wire),
        });
    }
    if let Some(query) = &op.query {
        let ty = ident(&query.name);
        list.push(Argument {
            name: ident("query"),
            borrowed: quote!(#ty),
            owned: quote!(#ty),
            what: "The query and header parameters.".to_owned(),
        });
    }
    if let Some(body) = &op.body {
        let (borrowed, owned) = match &body.kind {
            BodyKind::Json(ty) | BodyKind::Form { ty, .. } => {
                let ty = rust_type(ty, &quote!(types::));
                (ty.clone(), ty)
            }
            BodyKind::Multipart(multipart) => {
                let name = ident(&multipart.name);
                (quote!(#name), quote!(#name))
            }
            BodyKind::Binary => (quote!([u8]), quote!(Vec<u8>)),
            BodyKind::Text => (quote!(str), quote!(String)),
        };
        list.push(Argument {
            name: ident("body"),
            borrowed,
            owned,
            what: "The request body.".to_owned(),
        });
    }
    list
}

/// The arguments after `config` / `&self` as parameters (`id: &str`) and as the names that
/// pass them on.
fn arguments(op: &Operation) -> (Vec<TokenStream>, Vec<TokenStream>) {
    argument_list(op)
        .into_iter()
        .map(|Argument { name, borrowed, .. }| (quote!(#name: &#borrowed), quote!(#name)))
        .unzip()
}

fn emit_operation(op: &Operation) -> TokenStream {
    let query = op.query.as_ref().map(|q| emit_query(op, q));
    let multipart = match op.body.as_ref().map(|b| &b.kind) {
        Some(BodyKind::Multipart(multipart)) => Some(emit_multipart(op, multipart)),
        _ => None,
    };
    let success = emit_success_enum(op);
    let error = emit_error(op);
    let module = emit_module(op);
    quote! { #query #multipart #success #error #module }
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
        match (&case.ty, case.status) {
            (Some(_), StatusMatch::Range(_) | StatusMatch::Default) => quote! {
                #doc
                #variant {
                    /// The status the server answered with.
                    status: http::StatusCode,
                    /// The body.
                    body: Box<#payload>,
                },
            },
            _ => quote! { #doc #variant(Box<#payload>), },
        }
    });
    let statuses: Vec<TokenStream> = op
        .errors
        .iter()
        .map(|case| {
            let variant = ident(&case.variant);
            match (case.status, &case.ty) {
                (StatusMatch::Code(code), _) => {
                    let status = status_code(code);
                    quote! { Self::#variant(_) => #status, }
                }
                (_, Some(_)) => quote! { Self::#variant { status, .. } => *status, },
                (_, None) => quote! { Self::#variant(response) => response.status, },
            }
        })
        .collect();
    let messages = op.errors.iter().map(|case| {
        let variant = ident(&case.variant);
        let code = matches!(case.status, StatusMatch::Code(_));
        match (case.has_message, code, case.ty.is_some()) {
            (true, true, _) => quote! { Self::#variant(body) => body.message.as_deref(), },
            (true, false, _) => {
                quote! { Self::#variant { body, .. } => body.message.as_deref(), }
            }
            (false, true, _) | (false, _, false) => quote! { Self::#variant(_) => None, },
            (false, false, true) => quote! { Self::#variant { .. } => None, },
        }
    });
    let wire = &op.wire;
    // Calls, not `write!`s: each format string expands to more for rustc to check, in every
    // operation.
    let display_body = if op.errors.is_empty() {
        quote! {
            use crate::runtime::response::write_prefixed;
            match self {
                Self::UnexpectedStatus(response) => write_prefixed(f, Self::OPERATION, response),
                Self::Undecodable(err) => write_prefixed(f, Self::OPERATION, err),
            }
        }
    } else {
        quote! {
            use crate::runtime::response::{write_failure, write_prefixed};
            let message: Option<&str> = match self {
                #(#messages)*
                Self::UnexpectedStatus(response) => {
                    return write_prefixed(f, Self::OPERATION, response)
                }
                Self::Undecodable(err) => return write_prefixed(f, Self::OPERATION, err),
            };
            write_failure(f, Self::OPERATION, self.status(), message)
        }
    };
    let status_body = quote! {
        match self {
            #(#statuses)*
            Self::UnexpectedStatus(response) => response.status,
            Self::Undecodable(err) => err.response.status,
        }
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
            #[inline]
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

/// `http::StatusCode::TOO_MANY_REQUESTS` for 429: the constant the `http` crate names after the
/// canonical reason phrase; a code without one is made in a `const` block, so it is checked when
/// the crate compiles.
fn status_code(code: u16) -> TokenStream {
    let named = http::StatusCode::from_u16(code)
        .ok()
        .and_then(|status| status.canonical_reason());
    match named {
        // "I'm a teapot" is `IM_A_TEAPOT`: an apostrophe does not start a word.
        Some(reason) => {
            let name = format_ident!("{}", reason.replace('\'', "").to_shouty_snake_case());
            quote!(http::StatusCode::#name)
        }
        None => {
            let code = Literal::u16_unsuffixed(code);
            quote!(const { crate::runtime::response::status(#code) })
        }
    }
}

/// A variant's doc: the response description, with its status unless it already says it.
fn error_doc(case: &ErrorCase) -> String {
    status_doc(&case.doc, case.status)
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
    let imports = module_imports(op);
    let wire = &op.wire;
    let doc = operation_docs(op);
    let (arguments, _) = arguments(op);
    let success = success_type(op);
    let segments = emit_path(op);
    let query = op
        .query
        .as_ref()
        .map(|_| quote!(query.encode(&mut params)?;));
    let params = if op.path_params.is_empty() && op.query.is_none() {
        quote!(let params = crate::runtime::request::Params::default();)
    } else {
        quote! {
            let mut params = crate::runtime::request::Params::default();
            #segments
            #query
        }
    };
    let accept = &op.success.accept;
    let body = body_expr(op);
    let success_enum = op.success.enum_name.as_ref().map(|name| ident(name));
    let success_arms = op.success.cases.iter().map(|case| {
        let pattern = status_pattern(case.status);
        let value = read_body(&case.body);
        match (&success_enum, value) {
            (None, Some(value)) => quote!(#pattern => Ok(#value),),
            (None, None) => quote!(#pattern => Ok(()),),
            (Some(name), value) => {
                let variant = ident(&case.variant);
                let value = value.map(|value| quote!((#value)));
                quote!(#pattern => Ok(#name::#variant #value),)
            }
        }
    });
    let error_arms = op.errors.iter().map(|case| {
        let pattern = status_pattern(case.status);
        let variant = ident(&case.variant);
        match (case.status, case.ty.is_some()) {
            (StatusMatch::Code(_), true) => {
                quote!(#pattern => response.error(Error::#variant),)
            }
            (_, true) => quote! {
                #pattern => {
                    let status = response.status;
                    response.error(|body| Error::#variant { status, body })
                }
            },
            (_, false) => quote!(#pattern => Err(Error::#variant(Box::new(response))),),
        }
    });
    let pages = emit_pages(op);
    let record = super::mock::record_call(op);
    let call = super::mock::emit_call(op, &success);
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
            #imports

            /// The HTTP method.
            pub const METHOD: http::Method = #method;
            /// The path template.
            pub const PATH: &str = #path;
            /// Whether sending the request twice has the effect of once; retries read it.
            pub const IDEMPOTENCY: crate::Idempotency = #idempotency;
            /// The operation's id and path template, which its requests carry.
            pub const OPERATION: crate::OperationInfo = crate::OperationInfo::new(#wire, PATH);

            // `request` and `response` (like the query encoders, the paginators' hooks and
            // `status`) are `#[inline]`, so that their encoding and decoding, generic code of
            // serde_json's for every type they reach, is compiled in the crate that calls them
            // rather than for every operation here.
            #request_doc
            #[inline]
            pub fn request(
                config: &crate::Config,
                #(#arguments),*
            ) -> Result<http::Request<Vec<u8>>, crate::RequestError> {
                #params
                let request = crate::runtime::request::build(config, METHOD, PATH, params, #accept, #body)?;
                #record
                Ok(IDEMPOTENCY.mark(OPERATION.mark(request)))
            }

            #response_doc
            #[inline]
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

            #call
        }
    }
}

/// The request type a paginated operation scans with: its body, else its query.
fn page_request(op: &Operation) -> Option<TokenStream> {
    match (op.body.as_ref().map(|b| &b.kind), &op.query) {
        (Some(BodyKind::Json(body)), _) => Some(rust_type(body, &quote!(types::))),
        (Some(_), _) => None,
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

            #[inline]
            fn build(
                config: &crate::Config,
                page: &Self::Request,
            ) -> Result<http::Request<Vec<u8>>, crate::RequestError> {
                request(config, page)
            }

            #[inline]
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
/// paginator when the operation pages, under `cfg`. Docs and signature are made once for both.
fn emit_methods(op: &Operation, cfg: &TokenStream) -> (TokenStream, TokenStream) {
    let doc = operation_docs(op);
    // The method and the operation's module share the name.
    let name = ident(&op.fn_name);
    let error = ident(&op.error_enum);
    let (params, args) = arguments(op);
    let success = success_type(op);
    let request = quote!(#name::request(self.config(), #(#args),*));
    let returns = quote!(Result<#success, ClientError<#error>>);
    let (async_pages, blocking_pages) = emit_paginator_methods(op, cfg);
    // Not an `async fn`: each of those is a state machine of its own that the compiler lays out
    // and checks, a tenth of `cargo check` of DevRev's crate. The method builds the request when
    // called and returns the one future `execute` makes, which borrows only the client.
    (
        quote! {
            #cfg
            #doc
            pub fn #name(&self, #(#params),*) -> impl std::future::Future<Output = #returns> + '_ {
                self.execute(#request, #name::response)
            }
            #async_pages
        },
        quote! {
            #cfg
            #doc
            pub fn #name(&self, #(#params),*) -> #returns {
                self.call(#request, #name::response)
            }
            #blocking_pages
        },
    )
}

/// `<operation>_all` on the async and the blocking client: every item of a paginated
/// operation, page by page, under `cfg`.
fn emit_paginator_methods(op: &Operation, cfg: &TokenStream) -> (TokenStream, TokenStream) {
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
            #cfg
            #async_doc
            pub fn #name(&self, request: #request_ty) -> crate::Paginator<'_, T, #module::Pages> {
                crate::Paginator::new(self, request)
            }
        },
        quote! {
            #cfg
            #blocking_doc
            pub fn #name(&self, request: #request_ty) -> crate::BlockingPaginator<'_, T, #module::Pages> {
                crate::BlockingPaginator::new(self, request)
            }
        },
    )
}
