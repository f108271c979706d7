//! What the `mock` feature adds to each operation: its `Call` (the typed arguments, which the
//! `request` function attaches to the request it builds), how a registered result becomes the
//! response the server would have sent, and the operation's method on `Mock`. Everything here
//! is behind `#[cfg(feature = "mock")]`; the generic part is the runtime's `mock.rs`.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::operations::{argument_list, Argument};
use super::{cfg, docs, ident};
use crate::ir::{Gate, Operation, ResponseBody, StatusMatch, SuccessCase};

/// The statement of `request` that attaches a copy of its arguments, as a `Call`, to the
/// built `request`.
pub(super) fn record_call(op: &Operation) -> TokenStream {
    let arguments = argument_list(op);
    let call = if arguments.is_empty() {
        quote!(Call)
    } else {
        let names = arguments.iter().map(|argument| &argument.name);
        let copies = arguments.iter().map(|argument| &argument.name);
        quote!(Call { #(#names: #copies.to_owned()),* })
    };
    quote! {
        #[cfg(feature = "mock")]
        let request = crate::runtime::mock::attach(request, #call);
    }
}

/// The operation's `Call` and its `MockOperation` impl (the runtime's trait), in the
/// operation's module: `success` is the type a successful call returns.
pub(super) fn emit_call(op: &Operation, success: &TokenStream) -> TokenStream {
    let arguments = argument_list(op);
    let doc = docs(&format!(
        "The arguments `{}` was called with, as the mock hands them to responders and records \
         them.",
        op.wire
    ));
    let fields = arguments.iter().map(
        |Argument {
             name, owned, what, ..
         }| {
            let doc = docs(what);
            quote!(#doc pub #name: #owned,)
        },
    );
    let shape = if arguments.is_empty() {
        quote!(;)
    } else {
        quote!({ #(#fields)* })
    };
    let wire = &op.wire;
    let error = ident(&op.error_enum);
    let successes = success_arms(op);
    let errors = error_arms(op);
    quote! {
        #doc
        #[cfg(feature = "mock")]
        #[derive(Debug, Clone, PartialEq)]
        pub struct Call #shape

        #[cfg(feature = "mock")]
        impl crate::MockOperation for Call {
            const OPERATION: &'static str = #wire;
            type Output = #success;
            type Error = super::#error;

            fn respond(
                result: Result<Self::Output, Self::Error>,
            ) -> Result<http::Response<Vec<u8>>, crate::MockError> {
                use super::#error as Error;
                use crate::runtime::mock;
                let op = Self::OPERATION;
                match result {
                    #(#successes)*
                    #(#errors)*
                    Err(Error::UnexpectedStatus(response)) => mock::raw(*response),
                    Err(Error::Undecodable(err)) => mock::raw(*err.response),
                }
            }
        }
    }
}

/// The status a registered result is answered with: the documented code, or the first of a
/// class (`200` for `2XX`), as the number the runtime's writers take.
fn status(status: StatusMatch) -> Literal {
    let code = match status {
        StatusMatch::Code(code) => code,
        StatusMatch::Range(class) => class * 100,
        // Never asked: successes have codes or classes, and the `default` error variant
        // carries the status it was answered with.
        StatusMatch::Default => 500,
    };
    Literal::u16_unsuffixed(code)
}

/// How a success body of `status` is written: `value` is the bound body, `op` the operation.
fn write_body(body: &ResponseBody, status: &Literal) -> TokenStream {
    match body {
        ResponseBody::Json(_) => quote!(mock::json(op, #status, &value)),
        ResponseBody::Binary => quote!(mock::binary(op, #status, value)),
        ResponseBody::Text => quote!(mock::text(op, #status, value)),
        ResponseBody::Empty => quote!(mock::empty(op, #status)),
    }
}

/// The arms writing `Ok(..)`: one per success variant, or one for the shared body (the first
/// documented status).
fn success_arms(op: &Operation) -> Vec<TokenStream> {
    let Some(name) = &op.success.enum_name else {
        // Lowering gives every operation a success case, `200` without a body if need be.
        let status = op.success.cases.first().map(|case| status(case.status));
        let status = status.unwrap_or_else(|| Literal::u16_unsuffixed(200));
        let write = write_body(op.success.body(), &status);
        let pattern = match op.success.body() {
            ResponseBody::Empty => quote!(Ok(())),
            _ => quote!(Ok(value)),
        };
        return vec![quote!(#pattern => #write,)];
    };
    let name = ident(name);
    let arm = |case: &SuccessCase| {
        let variant = ident(&case.variant);
        let write = write_body(&case.body, &status(case.status));
        match case.body {
            ResponseBody::Empty => quote!(Ok(super::#name::#variant) => #write,),
            _ => quote!(Ok(super::#name::#variant(value)) => #write,),
        }
    };
    op.success.cases.iter().map(arm).collect()
}

/// The arms writing each documented error: its typed body with its status, or the raw
/// response it keeps.
fn error_arms(op: &Operation) -> Vec<TokenStream> {
    op.errors
        .iter()
        .map(|case| {
            let variant = ident(&case.variant);
            match (case.status, &case.ty) {
                (StatusMatch::Code(_), Some(_)) => {
                    let status = status(case.status);
                    quote!(Err(Error::#variant(body)) => mock::json(op, #status, &body),)
                }
                (_, Some(_)) => quote! {
                    Err(Error::#variant { status, body }) => mock::json(op, status.as_u16(), &body),
                },
                (_, None) => quote!(Err(Error::#variant(response)) => mock::raw(*response),),
            }
        })
        .collect()
}

/// The operations' methods on `Mock`, for an operations file.
pub(super) fn emit_mock_methods(operations: &[&Operation], within: &Gate) -> TokenStream {
    if operations.is_empty() {
        return quote!();
    }
    let methods = operations.iter().map(|op| {
        let cfg = cfg(&op.gate, within);
        let name = ident(&op.fn_name);
        let doc = docs(&format!(
            "The expectations and recorded calls of `{}`: register what its next call \
             answers, or read the typed requests it was sent.",
            op.wire
        ));
        quote! {
            #cfg
            #doc
            pub fn #name(&self) -> crate::runtime::mock::Expect<'_, #name::Call> {
                crate::runtime::mock::Expect::new(self)
            }
        }
    });
    quote! {
        #[cfg(feature = "mock")]
        impl crate::Mock {
            #(#methods)*
        }
    }
}
