//! Generates a typed, vendorable Rust client crate from an OpenAPI 3.0 or 3.1 description.
//!
//! The pipeline runs forward only: [`spec`] loads YAML into our model, [`lower`] resolves it into
//! the [`ir`], [`emit`] turns the IR into tokens, [`format`](mod@format) prints them, and [`output`] writes or
//! checks the files. This file wires the stages and nothing else.

pub mod cache;
pub mod diag;
pub mod emit;
pub mod format;
pub mod ir;
pub mod lower;
pub mod names;
pub mod output;
pub mod parallel;
pub mod spec;

#[cfg(test)]
#[allow(dead_code, unreachable_pub, clippy::result_large_err)]
#[path = "runtime/mod.rs"]
mod runtime;

pub use cache::FormatCache;
pub use diag::{Diagnostic, Diagnostics};
pub use output::{Drift, GeneratedCrate, WriteReport};
pub use spec::selection::Selection;

/// The runtime support files, copied verbatim (with the header) into every generated crate.
const RUNTIME: &[(&str, &str)] = &[
    (
        "src/runtime/blocking.rs",
        include_str!("runtime/blocking.rs"),
    ),
    ("src/runtime/client.rs", include_str!("runtime/client.rs")),
    ("src/runtime/config.rs", include_str!("runtime/config.rs")),
    ("src/runtime/error.rs", include_str!("runtime/error.rs")),
    ("src/runtime/form.rs", include_str!("runtime/form.rs")),
    ("src/runtime/json.rs", include_str!("runtime/json.rs")),
    ("src/runtime/mod.rs", include_str!("runtime/mod.rs")),
    (
        "src/runtime/paginate.rs",
        include_str!("runtime/paginate.rs"),
    ),
    ("src/runtime/reqwest.rs", include_str!("runtime/reqwest.rs")),
    ("src/runtime/request.rs", include_str!("runtime/request.rs")),
    (
        "src/runtime/response.rs",
        include_str!("runtime/response.rs"),
    ),
    ("src/runtime/retry.rs", include_str!("runtime/retry.rs")),
    ("src/runtime/style.rs", include_str!("runtime/style.rs")),
    (
        "src/runtime/transport.rs",
        include_str!("runtime/transport.rs"),
    ),
];

/// What to generate from.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    /// The spec file as it should be named in diagnostics and headers, e.g. `spec/api.yaml`.
    pub spec_path: &'a str,
    /// The spec's contents.
    pub text: &'a str,
    /// The Cargo package name of the generated crate.
    pub package: &'a str,
}

/// Why generation failed.
#[derive(Debug)]
pub enum Error {
    /// The spec has problems; all of them are listed.
    Spec(Diagnostics),
    /// The generator produced something invalid: a bug, reported instead of a panic.
    Bug(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Spec(diagnostics) => diagnostics.fmt(f),
            Self::Bug(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}

/// Runs the whole pipeline in memory, strictly: a spec with anything the crate would leave out
/// or type loosely is an error ([`GeneratedCrate::strict`]).
pub fn generate(input: &Input<'_>) -> Result<GeneratedCrate, Error> {
    generate_selected(input, &Selection::all(), None).and_then(|(generated, _)| generated.strict())
}

/// How long each stage of one [`generate_selected`] run took. Writing is not a stage of
/// generation: time [`GeneratedCrate::write`] separately.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Timings {
    /// Parsing the YAML into the spec model.
    pub load: std::time::Duration,
    /// Resolving the spec into the IR.
    pub lower: std::time::Duration,
    /// Turning the IR into token streams, summed over the threads.
    pub emit: std::time::Duration,
    /// Parsing and printing the tokens, or reading them from the [`FormatCache`], summed over
    /// the threads.
    pub format: std::time::Duration,
    /// Wall time of emitting and formatting on [`Timings::threads`] threads, adding the runtime
    /// files and the manifest.
    pub render: std::time::Duration,
    /// How many threads emitted and formatted.
    pub threads: usize,
    /// How many files were formatted.
    pub formatted: usize,
    /// How many files came from the [`FormatCache`] instead of being formatted.
    pub cached: usize,
}

impl Timings {
    /// The wall time of the whole run.
    pub fn total(&self) -> std::time::Duration {
        self.load + self.lower + self.render
    }
}

/// Runs the whole pipeline in memory for the operations `selection` picks and the schemas they
/// reach, and times each stage. With a `cache`, files whose IR it has seen are neither emitted nor
/// formatted again (the output is the same either way).
///
/// What cannot be expressed is left out (an operation) or typed as any JSON value (a schema),
/// with [`GeneratedCrate::warnings`] naming each place; only a spec that cannot be read, or a
/// selection that matches nothing, is an error.
pub fn generate_selected(
    input: &Input<'_>,
    selection: &Selection,
    cache: Option<&FormatCache>,
) -> Result<(GeneratedCrate, Timings), Error> {
    let mut timings = Timings::default();
    let spec = timed(&mut timings.load, || {
        spec::load(input.spec_path, input.text)
    })
    .map_err(|d| Error::Spec(Diagnostics(d)))?;
    let options = lower::Options {
        package: input.package.to_owned(),
        spec_path: input.spec_path.to_owned(),
        selection: selection.clone(),
    };
    let (krate, warnings) = timed(&mut timings.lower, || lower::lower(&spec, &options))
        .map_err(|d| Error::Spec(Diagnostics(d)))?;
    let files = timed(&mut timings.render, || {
        let rendered = parallel::render(emit::files(&krate), &krate.spec_path, 0, cache)
            .map_err(Error::Bug)?;
        timings.emit = rendered.emit;
        timings.format = rendered.format;
        timings.threads = rendered.threads;
        timings.cached = rendered.cached;
        timings.formatted = rendered.files.len() - rendered.cached;
        let mut files = rendered.files;
        let header = format::header(&krate.spec_path);
        for (name, text) in RUNTIME {
            files.insert((*name).to_owned(), format!("{header}{text}"));
        }
        files.insert("Cargo.toml".to_owned(), cargo_toml(&krate));
        Ok::<_, Error>(files)
    })?;
    let generated = GeneratedCrate {
        files,
        warnings,
        operations: krate.operations.len(),
        left_out: krate.left_out,
    };
    Ok((generated, timings))
}

/// Runs `stage`, adding its wall time to `slot`.
fn timed<T>(slot: &mut std::time::Duration, stage: impl FnOnce() -> T) -> T {
    let started = std::time::Instant::now();
    let result = stage();
    *slot += started.elapsed();
    result
}

/// The generated crate's manifest. TOML, not Rust, so text is the right tool here.
fn cargo_toml(krate: &ir::Crate) -> String {
    let description = format!(
        "Typed client for {}, generated from its OpenAPI description",
        krate.title.trim()
    );
    let header = format::header(&krate.spec_path).replacen("//", "#", 1);
    format!(
        r#"{header}[package]
name = "{name}"
version = "0.1.0"
edition = "2021"
rust-version = "1.80"
description = {description:?}
publish = false

[dependencies]
chrono = {{ version = "0.4", default-features = false, features = ["std", "serde"] }}
http = "1"
percent-encoding = "2"
serde = {{ version = "1", features = ["derive"] }}
serde_json = {{ version = "1", features = ["raw_value", "float_roundtrip"] }}
# Optional transports; see [features].
reqwest = {{ version = "0.12", default-features = false, features = ["rustls-tls"], optional = true }}
tokio = {{ version = "1", default-features = false, features = ["time"], optional = true }}
ureq = {{ version = "3", default-features = false, features = ["rustls"], optional = true }}

[features]
# `ReqwestTransport` (async, tokio) and `TokioSleep`: rustls on ring with Mozilla's roots, no OpenSSL.
reqwest = ["dep:reqwest", "dep:tokio"]
# `BlockingClient` (no async runtime): rustls on ring with Mozilla's roots, no OpenSSL.
ureq = ["dep:ureq"]
"#,
        name = krate.package,
    )
}
