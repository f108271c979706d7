//! The generated crate's `examples/`: programs a user can run and copy, written for whatever
//! the spec holds. Each picks its operation by what it is (the first paginated one, the first
//! with a typed error, ...) and is left out when the spec has none; the values it passes are
//! the smallest the types allow, built from the IR.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{doc_lines, docs, ident};
use crate::ir::{
    BodyKind, Crate, ErrorCase, Field, Gate, Item, ItemKind, Operation, ResponseBody, StatusMatch,
    Type,
};

/// One example: its name (`examples/<name>.rs`), the crate features it needs, and what it
/// shows.
#[derive(Debug, Clone, Copy)]
pub struct Example<'a> {
    /// The file stem, which is also the example's name for `cargo run --example`.
    pub name: &'static str,
    /// The transports and integrations it needs; [`Example::required_features`] adds its
    /// operation's tag.
    pub features: &'static [&'static str],
    kind: Kind<'a>,
}

#[derive(Debug, Clone, Copy)]
enum Kind<'a> {
    /// Every item of a paginated operation, on the async client.
    Scan(&'a Operation),
    /// The same on the blocking client.
    BlockingScan(&'a Operation),
    /// Matching an operation's error union by variant.
    Errors(&'a Operation, &'a ErrorCase),
    /// A transport of one's own, wrapping the shipped one.
    CustomTransport(&'a Operation),
    /// tower layers between the client and the shipped transport.
    TowerStack(&'a Operation),
    /// The mock, in a unit test.
    Mock(&'a Operation),
}

/// The examples the spec has operations for, in file order.
pub fn examples(krate: &Crate) -> Vec<Example<'_>> {
    let values = Values { krate };
    let callable: Vec<&Operation> = krate
        .operations
        .iter()
        .filter(|op| values.arguments(op).is_some())
        .collect();
    // Reads first: running an example should not create or delete anything.
    let reads = || {
        callable
            .iter()
            .copied()
            .filter(|op| op.idempotent.is_idempotent() && op.path_params.is_empty())
    };
    let paginated = krate
        .operations
        .iter()
        .find(|op| op.pagination.is_some() && values.page_request(op).is_some());
    fn typed_error(op: &Operation) -> Option<&ErrorCase> {
        op.errors
            .iter()
            .find(|case| case.ty.is_some() && matches!(case.status, StatusMatch::Code(_)))
    }
    let errors = reads()
        .chain(callable.iter().copied())
        .find_map(|op| Some((op, typed_error(op)?)));
    let mocked = callable
        .iter()
        .copied()
        .find(|op| values.success(op).is_some());
    let mut examples = Vec::new();
    if let Some(op) = paginated {
        examples.push(Example {
            name: "scan",
            features: &["reqwest"],
            kind: Kind::Scan(op),
        });
        examples.push(Example {
            name: "blocking_scan",
            features: &["ureq"],
            kind: Kind::BlockingScan(op),
        });
    }
    if let Some((op, case)) = errors {
        examples.push(Example {
            name: "errors",
            features: &["ureq"],
            kind: Kind::Errors(op, case),
        });
    }
    if let Some(op) = reads().next().or(callable.first().copied()) {
        examples.push(Example {
            name: "custom_transport",
            features: &["reqwest"],
            kind: Kind::CustomTransport(op),
        });
        examples.push(Example {
            name: "tower_stack",
            features: &["reqwest", "tower"],
            kind: Kind::TowerStack(op),
        });
    }
    if let Some(op) = mocked {
        examples.push(Example {
            name: "mock",
            features: &["mock"],
            kind: Kind::Mock(op),
        });
    }
    examples.sort_by_key(|example| example.name);
    examples
}

impl<'a> Example<'a> {
    /// The features it needs, for its `required-features`: its transports and integrations, and
    /// a feature under which its operation is compiled.
    pub fn required_features(&self) -> Vec<&'a str> {
        let mut features = self.features.to_vec();
        match &self.operation().gate {
            Gate::Always => {}
            Gate::Any(tags) => features.extend(tags.first().map(String::as_str)),
            Gate::All(tags) => features.extend(tags.iter().map(String::as_str)),
        }
        features
    }

    /// The operation it calls.
    fn operation(&self) -> &'a Operation {
        match self.kind {
            Kind::Scan(op)
            | Kind::BlockingScan(op)
            | Kind::Errors(op, _)
            | Kind::CustomTransport(op)
            | Kind::TowerStack(op)
            | Kind::Mock(op) => op,
        }
    }

    /// The example's source.
    pub fn tokens(&self, krate: &Crate) -> TokenStream {
        let cx = Cx::new(krate);
        match self.kind {
            Kind::Scan(op) => cx.scan(op),
            Kind::BlockingScan(op) => cx.blocking_scan(op),
            Kind::Errors(op, case) => cx.errors(op, case),
            Kind::CustomTransport(op) => cx.custom_transport(op),
            Kind::TowerStack(op) => cx.tower_stack(op),
            Kind::Mock(op) => cx.mock(op),
        }
    }
}

/// What every example needs: the crate's name as a path, and the value builder.
struct Cx<'a> {
    krate: &'a Crate,
    name: Ident,
    values: Values<'a>,
}

impl<'a> Cx<'a> {
    fn new(krate: &'a Crate) -> Self {
        Self {
            krate,
            name: format_ident!("{}", krate.package.replace('-', "_")),
            values: Values { krate },
        }
    }

    /// The example's `//!` docs: what it shows, then how to run it.
    fn docs(&self, what: &str, run: &str) -> TokenStream {
        let text = format!("{what}\n\nRun it with `{run}`.");
        let lines = doc_lines(&text);
        quote!(#(#![doc = #lines])*)
    }

    fn token_note(&self) -> String {
        format!("{}=... ", self.krate.token_env)
    }

    /// `client.op(&a, &b)` as the expression of a call of `op` on `client`.
    /// The statements printing what a call answered: `let answer = ..` and its `Debug`, or, for an
    /// operation that answers nothing, the call alone (binding `()` is what clippy refuses).
    fn show(op: &Operation) -> impl Fn(TokenStream) -> TokenStream {
        let unit = op.success.enum_name.is_none() && *op.success.body() == ResponseBody::Empty;
        move |call| {
            if unit {
                quote! { #call; println!("done"); }
            } else {
                quote! { let answer = #call; println!("{answer:?}"); }
            }
        }
    }

    fn call(&self, op: &Operation) -> TokenStream {
        let name = ident(&op.fn_name);
        let arguments = self.values.arguments(op).unwrap_or_default();
        quote!(client.#name(#(#arguments),*))
    }

    fn scan(&self, op: &Operation) -> TokenStream {
        let krate = &self.name;
        let all = format_ident!("{}_all", crate::names::bare(&op.fn_name));
        let request = self.values.page_request(op).unwrap_or_default();
        let docs = self.docs(
            &format!(
                "Every item `{}` lists, page by page, on the async client over reqwest.",
                op.wire
            ),
            &format!(
                "{}cargo run --example scan --features reqwest",
                self.token_note()
            ),
        );
        quote! {
            #docs

            use #krate::{Client, ReqwestTransport};

            fn main() -> Result<(), Box<dyn std::error::Error>> {
                // The token comes from the environment; see `ClientBuilder::token`.
                let client = Client::builder(ReqwestTransport::new()?).build()?;
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
                runtime.block_on(async {
                    let mut items = client.#all(#request);
                    let mut count = 0;
                    // One page is fetched at a time, as the items are consumed.
                    while let Some(item) = items.next().await {
                        println!("{:?}", item?);
                        count += 1;
                    }
                    println!("{count} items");
                    Ok::<(), Box<dyn std::error::Error>>(())
                })
            }
        }
    }

    fn blocking_scan(&self, op: &Operation) -> TokenStream {
        let krate = &self.name;
        let all = format_ident!("{}_all", crate::names::bare(&op.fn_name));
        let request = self.values.page_request(op).unwrap_or_default();
        let docs = self.docs(
            &format!(
                "Every item `{}` lists, on the blocking client over ureq: no async runtime.",
                op.wire
            ),
            &format!(
                "{}cargo run --example blocking_scan --features ureq",
                self.token_note()
            ),
        );
        quote! {
            #docs

            use #krate::{BlockingClient, RetryPolicy, UreqTransport};

            fn main() -> Result<(), Box<dyn std::error::Error>> {
                // Retries only what cannot be done twice by sending it again.
                let client = BlockingClient::builder(UreqTransport::new())
                    .retry(RetryPolicy::new())
                    .build()?;
                let mut count = 0;
                for item in client.#all(#request) {
                    println!("{:?}", item?);
                    count += 1;
                }
                println!("{count} items");
                Ok(())
            }
        }
    }

    fn errors(&self, op: &Operation, case: &ErrorCase) -> TokenStream {
        let krate = &self.name;
        let error = ident(&op.error_enum);
        let variant = ident(&case.variant);
        let call = self.call(op);
        let docs = self.docs(
            &format!(
                "Telling `{}`'s failures apart: a documented error by its variant, with its \
                 typed body; any other answer by its status; a transport failure by its kind.",
                op.wire
            ),
            &format!(
                "{}cargo run --example errors --features ureq",
                self.token_note()
            ),
        );
        quote! {
            #docs

            use #krate::operations::#error;
            use #krate::{BlockingClient, ClientError, UreqTransport};

            fn main() -> Result<(), Box<dyn std::error::Error>> {
                let client = BlockingClient::builder(UreqTransport::new()).build()?;
                match #call {
                    Ok(answer) => println!("{answer:?}"),
                    Err(ClientError::Api(#error::#variant(body))) => eprintln!("{body:?}"),
                    // Any other status, or a body that does not decode.
                    Err(ClientError::Api(other)) => {
                        eprintln!("{} answered {}: {other}", #error::OPERATION, other.status());
                    }
                    Err(err) if err.is_timeout() => {
                        eprintln!("timed out; it may have reached the server: {}", err.request_sent());
                    }
                    Err(err) => return Err(err.into()),
                }
                Ok(())
            }
        }
    }

    fn custom_transport(&self, op: &Operation) -> TokenStream {
        let krate = &self.name;
        let call = self.call(op);
        let shown = Self::show(op)(quote!(runtime.block_on(#call)?));
        let docs = self.docs(
            "A transport of one's own: any type with one `send` method. This one logs each \
             request and the status it got, and hands the request to reqwest.",
            &format!(
                "{}cargo run --example custom_transport --features reqwest",
                self.token_note()
            ),
        );
        quote! {
            #docs

            use #krate::{Client, ReqwestTransport, Transport, TransportError};

            /// Logs what goes through `inner`, without the token or the bodies.
            struct Logged<T> {
                inner: T,
            }

            impl<T: Transport + Sync> Transport for Logged<T> {
                async fn send(
                    &self,
                    request: #krate::http::Request<Vec<u8>>,
                ) -> Result<#krate::http::Response<Vec<u8>>, TransportError> {
                    let line = format!("{} {}", request.method(), request.uri());
                    let answer = self.inner.send(request).await;
                    match &answer {
                        Ok(response) => eprintln!("{line}: {}", response.status()),
                        Err(err) => eprintln!("{line}: {err}"),
                    }
                    answer
                }
            }

            fn main() -> Result<(), Box<dyn std::error::Error>> {
                let transport = Logged { inner: ReqwestTransport::new()? };
                let client = Client::builder(transport).build()?;
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
                #shown
                Ok(())
            }
        }
    }

    fn tower_stack(&self, op: &Operation) -> TokenStream {
        let krate = &self.name;
        let call = self.call(op);
        let shown = Self::show(op)(quote!(#call.await?));
        let docs = self.docs(
            "tower layers between the client and the HTTP stack: at most 4 requests in flight \
             and 10 s for each attempt, over reqwest, with the client's retries around them. A \
             layer's timeout is a transport timeout like reqwest's own, so the retry rules treat \
             it the same way.",
            &format!(
                "{}cargo run --example tower_stack --features reqwest,tower",
                self.token_note()
            ),
        );
        quote! {
            #docs

            use std::time::Duration;

            use #krate::tower::ServiceBuilder;
            use #krate::{Client, ReqwestTransport, RetryPolicy, TowerTransport, TransportService};

            fn main() -> Result<(), Box<dyn std::error::Error>> {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
                runtime.block_on(run())
            }

            /// Calls through the stack; it is built inside the runtime, where tower's timeout
            /// finds tokio's timer.
            async fn run() -> Result<(), Box<dyn std::error::Error>> {
                let stack = ServiceBuilder::new()
                    .concurrency_limit(4)
                    .timeout(Duration::from_secs(10))
                    .service(TransportService::new(ReqwestTransport::new()?));
                let client = Client::builder(TowerTransport::new(stack))
                    .retry(RetryPolicy::new())
                    .build()?;
                #shown
                Ok(())
            }
        }
    }

    fn mock(&self, op: &Operation) -> TokenStream {
        let krate = &self.name;
        let name = ident(&op.fn_name);
        let error = ident(&op.error_enum);
        let call = self.call(op);
        let shown = Self::show(op)(quote!(#call?));
        let answer = self.values.success(op).unwrap_or_default();
        let wire = &op.wire;
        let crate_docs = self.docs(
            &format!(
                "Testing code that calls `{}` without a server: the `mock` feature answers \
                 with typed results, records the typed requests, and fails a call nobody \
                 expected. Its tests run with `cargo test --example mock --features mock`.",
                op.wire
            ),
            "cargo run --example mock --features mock",
        );
        let fn_doc = docs("The code under test: one call, its answer printed.");
        quote! {
            #crate_docs

            use #krate::operations::#error;
            use #krate::{BlockingClient, BlockingTransport, ClientError};

            #fn_doc
            fn run<T: BlockingTransport>(client: &BlockingClient<T>) -> Result<(), ClientError<#error>> {
                #shown
                Ok(())
            }

            fn main() -> Result<(), Box<dyn std::error::Error>> {
                // The code under test takes any transport: here the mock, as in the tests.
                let mock = #krate::Mock::new();
                mock.#name().returns(#answer);
                let client = BlockingClient::builder(mock.clone()).token("test").build()?;
                run(&client)?;
                println!("sent: {:?}", mock.#name().calls());
                mock.verify()?;
                Ok(())
            }

            #[cfg(test)]
            mod tests {
                use super::run;
                use #krate::{BlockingClient, Mock, MockError};

                #[test]
                fn answers_from_the_mock_and_records_the_call() {
                    let mock = Mock::new();
                    mock.#name().returns(#answer);
                    let client = BlockingClient::builder(mock.clone()).token("test").build().unwrap();
                    run(&client).unwrap();
                    assert_eq!(mock.#name().calls().len(), 1);
                    mock.verify().unwrap();
                }

                #[test]
                fn a_call_nobody_expected_is_an_error_naming_it() {
                    let mock = Mock::new();
                    let client = BlockingClient::builder(mock.clone()).token("test").build().unwrap();
                    let err = run(&client).unwrap_err();
                    assert_eq!(
                        MockError::of(&err),
                        Some(&MockError::Unexpected { operation: #wire })
                    );
                    assert!(mock.verify().is_err());
                }
            }
        }
    }
}

/// Builds the smallest value of a type the examples can write out: required fields filled,
/// optional ones left out, the first variant of an enum or union. `None` for what cannot be
/// built without data (a type that contains itself through required fields, a multipart body).
struct Values<'a> {
    krate: &'a Crate,
}

/// How deep a value may nest before the builder gives up: a bound on recursion through
/// required fields, far above what real schemas need.
const MAX_DEPTH: usize = 12;

impl Values<'_> {
    fn item(&self, name: &str) -> Option<&Item> {
        self.krate.items.iter().find(|item| item.name == name)
    }

    fn types(&self) -> TokenStream {
        let name = format_ident!("{}", self.krate.package.replace('-', "_"));
        quote!(#name::types::)
    }

    /// The arguments of a call of `op`, as the call borrows them.
    fn arguments(&self, op: &Operation) -> Option<Vec<TokenStream>> {
        let mut values = Vec::new();
        for param in &op.path_params {
            values.push(match &param.ty {
                Type::String => quote!(""),
                Type::List(_) => quote!(&[]),
                ty => {
                    let value = self.value(ty, &mut BTreeSet::new())?;
                    quote!(&#value)
                }
            });
        }
        if op.query.is_some() {
            let query = self.query(op);
            values.push(quote!(&#query));
        }
        if let Some(body) = &op.body {
            values.push(match &body.kind {
                BodyKind::Json(ty) | BodyKind::Form { ty, .. } => {
                    let value = self.value(ty, &mut BTreeSet::new())?;
                    quote!(&#value)
                }
                BodyKind::Multipart(_) => return None,
                BodyKind::Binary => quote!(&[]),
                BodyKind::Text => quote!(""),
            });
        }
        Some(values)
    }

    /// The request a paginated operation's `_all` method starts from.
    fn page_request(&self, op: &Operation) -> Option<TokenStream> {
        match (op.body.as_ref().map(|body| &body.kind), &op.query) {
            (Some(BodyKind::Json(ty)), _) => self.value(ty, &mut BTreeSet::new()),
            (None, Some(_)) => Some(self.query(op)),
            _ => None,
        }
    }

    /// The operation's query struct with its required parameters set.
    fn query(&self, op: &Operation) -> TokenStream {
        let Some(query) = &op.query else {
            return quote!();
        };
        let krate = format_ident!("{}", self.krate.package.replace('-', "_"));
        let name = ident(&query.name);
        let fields: Vec<&Field> = query.fields.iter().map(|q| &q.field).collect();
        self.fields(
            &quote!(#krate::operations::#name),
            &fields,
            &mut BTreeSet::new(),
        )
        .unwrap_or_else(|| quote!(#krate::operations::#name::default()))
    }

    /// A successful answer of `op`, as its client method returns it.
    fn success(&self, op: &Operation) -> Option<TokenStream> {
        let Some(name) = &op.success.enum_name else {
            return self.body(op.success.body());
        };
        let krate = format_ident!("{}", self.krate.package.replace('-', "_"));
        let name = ident(name);
        op.success.cases.iter().find_map(|case| {
            let variant = ident(&case.variant);
            match &case.body {
                ResponseBody::Empty => Some(quote!(#krate::operations::#name::#variant)),
                body => {
                    let value = self.body(body)?;
                    Some(quote!(#krate::operations::#name::#variant(#value)))
                }
            }
        })
    }

    fn body(&self, body: &ResponseBody) -> Option<TokenStream> {
        match body {
            ResponseBody::Json(ty) => self.value(ty, &mut BTreeSet::new()),
            ResponseBody::Binary => Some(quote!(Default::default())),
            ResponseBody::Text => Some(quote!(String::new())),
            ResponseBody::Empty => Some(quote!(())),
        }
    }

    /// `ty`'s smallest value; `within` holds the items being built, to stop at recursion.
    fn value<'a>(&'a self, ty: &'a Type, within: &mut BTreeSet<&'a str>) -> Option<TokenStream> {
        if within.len() > MAX_DEPTH {
            return None;
        }
        Some(match ty {
            Type::String => quote!(String::new()),
            Type::Bool => quote!(false),
            Type::I32 | Type::I64 => quote!(0),
            Type::F64 => quote!(0.0),
            Type::DateTime | Type::Json | Type::Map(_) => quote!(Default::default()),
            Type::List(_) => quote!(Vec::new()),
            Type::Nullable(_) => quote!(None),
            Type::Tuple(items) => {
                let items = items
                    .iter()
                    .map(|item| self.value(item, within))
                    .collect::<Option<Vec<_>>>()?;
                quote!((#(#items,)*))
            }
            Type::Named(name) => {
                if !within.insert(name.as_str()) {
                    return None;
                }
                let value = self.named(name, within);
                within.remove(name.as_str());
                value?
            }
        })
    }

    fn named<'a>(&'a self, name: &'a str, within: &mut BTreeSet<&'a str>) -> Option<TokenStream> {
        let item = self.item(name)?;
        let types = self.types();
        let path = {
            let name = ident(&item.name);
            quote!(#types #name)
        };
        match &item.kind {
            ItemKind::Struct(s) => {
                let fields: Vec<&Field> = s.fields.iter().collect();
                if fields.iter().all(|field| field.has_default()) {
                    return Some(quote!(#path::default()));
                }
                let values = self.field_values(&fields, within)?;
                let rest = s.additional.as_ref().map(|additional| {
                    let name = ident(&additional.name);
                    quote!(#name: Default::default(),)
                });
                Some(quote!(#path { #(#values)* #rest }))
            }
            ItemKind::Enum(e) => {
                let variant = ident(&e.variants.first()?.name);
                Some(quote!(#path::#variant))
            }
            ItemKind::IntEnum(e) => {
                let variant = ident(&e.variants.first()?.name);
                Some(quote!(#path::#variant))
            }
            ItemKind::Tagged(u) => {
                let kind_path = match &u.head {
                    Some(head) => {
                        let kind = ident(&head.kind_enum);
                        quote!(#types #kind)
                    }
                    None => path.clone(),
                };
                let variant = self.variant(&kind_path, u.variants.first()?, within)?;
                let Some(head) = &u.head else {
                    return Some(variant);
                };
                let fields: Vec<&Field> = head.fields.iter().collect();
                let values = self.field_values(&fields, within)?;
                let kind_field = ident(&head.kind_field);
                Some(quote!(#path { #(#values)* #kind_field: #variant }))
            }
            ItemKind::Untagged(u) => self.variant(&path, u.variants.first()?, within),
            ItemKind::Alias(ty) => self.value(ty, within),
        }
    }

    fn variant<'a>(
        &'a self,
        path: &TokenStream,
        variant: &'a crate::ir::UnionVariant,
        within: &mut BTreeSet<&'a str>,
    ) -> Option<TokenStream> {
        let name = ident(&variant.name);
        let mut value = self.value(&variant.ty, within)?;
        if variant.boxed {
            value = quote!(Box::new(#value));
        }
        Some(quote!(#path::#name(#value)))
    }

    /// `Path::default()` when every field may be left out, else `None`.
    fn fields<'a>(
        &'a self,
        path: &TokenStream,
        fields: &[&'a Field],
        within: &mut BTreeSet<&'a str>,
    ) -> Option<TokenStream> {
        if fields.iter().all(|field| field.has_default()) {
            return Some(quote!(#path::default()));
        }
        let values = self.field_values(fields, within)?;
        Some(quote!(#path { #(#values)* }))
    }

    /// `name: value,` for each field: required ones built, the others left out.
    fn field_values<'a>(
        &'a self,
        fields: &[&'a Field],
        within: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<TokenStream>> {
        fields
            .iter()
            .map(|field| {
                let name = ident(&field.name);
                if !field.required || field.nullable {
                    return Some(quote!(#name: None,));
                }
                let mut value = self.value(&field.ty, within)?;
                if field.boxed {
                    value = quote!(Box::new(#value));
                }
                Some(quote!(#name: #value,))
            })
            .collect()
    }
}
