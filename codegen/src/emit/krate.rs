//! The crate root: docs, module declarations, re-exports and the API's defaults.

use proc_macro2::TokenStream;
use quote::quote;

use super::doc_lines;
use crate::ir::{Crate, LeftOutKind};

/// `src/lib.rs`.
pub fn emit_lib(krate: &Crate) -> TokenStream {
    let mut text = format!("# {}\n\n", krate.title.trim());
    if let Some(description) = &krate.description {
        text.push_str(description.trim());
        text.push_str("\n\n");
    }
    text.push_str(&format!(
        "A typed client generated from `{}` (API version {}): [`types`] has a type per schema, \
         [`operations`] a module per operation with its request-building and response-mapping \
         functions, and [`Client`] a method per operation over any [`Transport`].",
        krate.spec_path, krate.api_version
    ));
    text.push_str(FEATURES);
    let examples: Vec<String> = super::examples(krate)
        .iter()
        .map(|example| format!("`{}`", example.name))
        .collect();
    if !examples.is_empty() {
        text.push_str(&format!(
            "\n\nThe crate's `examples/` show the client at work: {}.",
            examples.join(", ")
        ));
    }
    text.push_str(&left_out(krate));
    let lines = doc_lines(&text);
    let base_url = &krate.base_url;
    let token_env = &krate.token_env;
    quote! {
        #(#![doc = #lines])*
        #![deny(missing_docs)]

        pub mod operations;
        // The runtime is shared by every generated crate; a spec may not need all of it.
        #[allow(dead_code)]
        mod runtime;
        pub mod types;

        pub use chrono;
        pub use http;
        pub use runtime::blocking::BlockingClient;
        pub use runtime::client::{BlockingClientBuilder, Client, ClientBuilder};
        pub use runtime::config::{BaseUrl, Config, ConfigError, Token};
        pub use runtime::error::{ClientError, TransportError, TransportErrorKind};
        pub use runtime::json::{from_str, UnknownInt, UnknownValue};
        pub use runtime::paginate::{BlockingPaginator, Paginated, Paginator};
        pub use runtime::request::{RequestError, USER_AGENT};
        pub use runtime::form::FilePart;
        pub use runtime::response::{Binary, Event, RawResponse, UndecodableResponse};
        pub use runtime::retry::{BlockingSleep, DefaultSleep, Retry, RetryPolicy, Sleep, ThreadSleep};
        pub use runtime::transport::{
            BlockingTransport, Idempotency, OperationInfo, Transport, TransportOptions,
            DEFAULT_BODY_LIMIT,
        };
        #[cfg(feature = "reqwest")]
        pub use reqwest;
        #[cfg(feature = "reqwest")]
        pub use runtime::reqwest::ReqwestTransport;
        #[cfg(feature = "reqwest")]
        pub use runtime::retry::TokioSleep;
        #[cfg(feature = "ureq")]
        pub use ureq;
        #[cfg(feature = "ureq")]
        pub use runtime::ureq::UreqTransport;
        #[cfg(feature = "tower")]
        pub use tower;
        #[cfg(feature = "tower")]
        pub use runtime::tower::{TowerTransport, TransportFuture, TransportService};
        #[cfg(feature = "mock")]
        pub use runtime::mock::{Expect, Mock, MockError, MockOperation};

        /// The base URL requests go to unless another is configured.
        pub const DEFAULT_BASE_URL: &str = #base_url;

        /// The environment variable the token is read from when none is given.
        pub const TOKEN_ENV: &str = #token_env;

        impl<T> Client<T> {
            /// Starts building a client over `transport`, with the default base URL and the token
            /// from the environment unless others are set.
            pub fn builder(transport: T) -> ClientBuilder<T> {
                ClientBuilder::new(transport, DEFAULT_BASE_URL, TOKEN_ENV)
            }
        }

        impl<T> BlockingClient<T> {
            /// Starts building a blocking client over `transport`, with the default base URL and
            /// the token from the environment unless others are set.
            pub fn builder(transport: T) -> BlockingClientBuilder<T> {
                ClientBuilder::new(transport, DEFAULT_BASE_URL, TOKEN_ENV)
            }
        }
    }
}

/// The crate docs' list of the cargo features.
const FEATURES: &str = "\n\nCargo features, all off by default:\n\n\
    - `reqwest`: `ReqwestTransport`, async on tokio, and tokio's timer as the retry sleep.\n\
    - `ureq`: `UreqTransport`, a `BlockingTransport` for `BlockingClient`.\n\
    - `tower`: `TowerTransport`, any tower `Service` as the transport, and `TransportService`, \
    any transport as a `Service`, so that `tower::ServiceBuilder` layers (rate and concurrency \
    limits, timeouts, load shedding) sit between the client and the HTTP stack.\n\
    - `tracing`: a `tracing` span per operation call (operation id, method, path template, \
    status, attempts) and an event per retry (delay, cause); never a token, header value or \
    body.\n\
    - `mock`: `Mock`, a transport for tests of code that uses the client: it answers each \
    operation with typed results (a value, an error variant, a closure of the typed request), \
    records the typed requests, and fails a call nobody expected.";

/// The crate docs' list of what the spec describes but the crate leaves out or types loosely,
/// empty when nothing is.
fn left_out(krate: &Crate) -> String {
    let mut text = String::new();
    for (kind, heading) in [
        (
            true,
            "Operations the spec describes that this crate leaves out, and why:",
        ),
        (
            false,
            "Schemas this crate types as [`serde_json::Value`] because they cannot be expressed, \
             and why:",
        ),
    ] {
        let mut entries = krate
            .left_out
            .iter()
            .filter(|left| matches!(left.kind, LeftOutKind::Operation(_)) == kind)
            .peekable();
        if entries.peek().is_none() {
            continue;
        }
        text.push_str("\n\n");
        text.push_str(heading);
        text.push('\n');
        for left in entries {
            let what = match &left.kind {
                LeftOutKind::Operation(id) => format!("`{id}`"),
                LeftOutKind::Schema => format!("`{}`", left.origin),
            };
            text.push_str(&format!("\n- {what}: {}", left.reason));
        }
    }
    text
}
