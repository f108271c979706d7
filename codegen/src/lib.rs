//! Generates a typed, vendorable Rust client crate from an OpenAPI 3.0 or 3.1 description.
//!
//! The pipeline runs forward only: [`spec`] loads YAML into our model, [`lower`] resolves it into
//! the [`ir`], [`emit`] turns the IR into tokens, [`render`] formats them, and [`output`] writes or
//! checks the files. This file wires the stages and nothing else.

pub mod api_diff;
pub mod diag;
pub mod emit;
pub mod ir;
pub mod lower;
pub mod names;
pub mod output;
pub mod render;
pub mod spec;

pub use diag::{Diagnostic, Diagnostics};
pub use output::{Drift, GeneratedCrate, WriteReport};
pub use render::FormatCache;
pub use spec::selection::Selection;

/// The runtime crate's source files (`codegen/runtime/src/`), by their path there, copied into
/// every generated crate under `src/runtime/` (the crate root becoming `mod.rs`), with the header
/// and without their test modules. A test checks that this is every non-test file of the crate.
const RUNTIME: &[(&str, &str)] = &[
    ("blocking.rs", include_str!("../runtime/src/blocking.rs")),
    ("client.rs", include_str!("../runtime/src/client.rs")),
    ("config.rs", include_str!("../runtime/src/config.rs")),
    ("date_time.rs", include_str!("../runtime/src/date_time.rs")),
    ("error.rs", include_str!("../runtime/src/error.rs")),
    ("form.rs", include_str!("../runtime/src/form.rs")),
    ("json.rs", include_str!("../runtime/src/json.rs")),
    ("json_path.rs", include_str!("../runtime/src/json_path.rs")),
    ("lib.rs", include_str!("../runtime/src/lib.rs")),
    ("mock.rs", include_str!("../runtime/src/mock.rs")),
    ("paginate.rs", include_str!("../runtime/src/paginate.rs")),
    ("request.rs", include_str!("../runtime/src/request.rs")),
    ("reqwest.rs", include_str!("../runtime/src/reqwest.rs")),
    ("response.rs", include_str!("../runtime/src/response.rs")),
    ("retry.rs", include_str!("../runtime/src/retry.rs")),
    (
        "retry/policy.rs",
        include_str!("../runtime/src/retry/policy.rs"),
    ),
    (
        "retry/sleep.rs",
        include_str!("../runtime/src/retry/sleep.rs"),
    ),
    (
        "retry/transport.rs",
        include_str!("../runtime/src/retry/transport.rs"),
    ),
    ("style.rs", include_str!("../runtime/src/style.rs")),
    ("tower.rs", include_str!("../runtime/src/tower.rs")),
    ("trace.rs", include_str!("../runtime/src/trace.rs")),
    ("transport.rs", include_str!("../runtime/src/transport.rs")),
    ("ureq.rs", include_str!("../runtime/src/ureq.rs")),
];

/// How a runtime source file declares its tests, which live in a file of their own that is not
/// shipped: the declaration goes too, so a generated crate's own `cargo test` does not look for it.
const TEST_MODULE: &str = "\n#[cfg(test)]\nmod tests;\n";

/// Where a runtime file goes in a generated crate, and its text there.
fn runtime_file(path: &str, text: &str) -> (String, String) {
    let target = match path {
        "lib.rs" => "src/runtime/mod.rs".to_owned(),
        _ => format!("src/runtime/{path}"),
    };
    (target, text.replacen(TEST_MODULE, "", 1))
}

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
        let rendered =
            render::render(emit::files(&krate), &krate.spec_path, 0, cache).map_err(Error::Bug)?;
        timings.emit = rendered.emit;
        timings.format = rendered.format;
        timings.threads = rendered.threads;
        timings.cached = rendered.cached;
        timings.formatted = rendered.files.len() - rendered.cached;
        let mut files = rendered.files;
        let header = render::format::header(&krate.spec_path);
        for (path, text) in RUNTIME {
            let (target, text) = runtime_file(path, text);
            files.insert(target, format!("{header}{text}"));
        }
        files.insert("Cargo.toml".to_owned(), cargo_toml(&krate));
        Ok::<_, Error>(files)
    })?;
    let tag_features = krate
        .features
        .iter()
        .map(|feature| {
            let ops = krate.operations.iter();
            let count = ops.filter(|op| op.gate.opens_with(&feature.name)).count();
            (feature.name.clone(), count)
        })
        .collect();
    let generated = GeneratedCrate {
        files,
        warnings,
        operations: krate.operations.len(),
        tag_features,
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
    let header = render::format::header(&krate.spec_path).replacen("//", "#", 1);
    let examples: String = emit::examples(krate)
        .iter()
        .map(|example| {
            let features: Vec<String> = example
                .required_features()
                .iter()
                .map(|f| format!("{f:?}"))
                .collect();
            format!(
                "\n[[example]]\nname = {:?}\nrequired-features = [{}]\n",
                example.name,
                features.join(", ")
            )
        })
        .collect();
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
http = "1.4"
percent-encoding = "2"
serde = "1"
serde_json = {{ version = "1", features = ["raw_value", "float_roundtrip"] }}
# Optional transports; see [features].
reqwest = {{ version = "0.12", default-features = false, features = ["rustls-tls"], optional = true }}
tokio = {{ version = "1", default-features = false, features = ["time"], optional = true }}
ureq = {{ version = "3", default-features = false, features = ["rustls"], optional = true }}
# Optional integrations; see [features].
tower = {{ version = "0.5", default-features = false, features = ["timeout", "load-shed"], optional = true }}
tracing = {{ version = "0.1", default-features = false, features = ["std"], optional = true }}

[features]
# `ReqwestTransport` (async, tokio), and `TokioSleep` as the default retry sleep: rustls on ring
# with Mozilla's roots, no OpenSSL.
reqwest = ["dep:reqwest", "dep:tokio"]
# `UreqTransport` for the `BlockingClient` (no async runtime): rustls on ring with Mozilla's roots,
# no OpenSSL.
ureq = ["dep:ureq"]
# `TowerTransport` (a tower `Service` as the transport) and `TransportService` (a transport as a
# `Service`), for `tower::ServiceBuilder` layers. tower's `timeout` and `load-shed` are on so
# that their errors map to transport error kinds; enable the layers you use in your manifest.
tower = ["dep:tower"]
# A `tracing` span per operation call and an event per retry; never a token, header value or
# body.
tracing = ["dep:tracing"]
# `Mock`, a transport for tests of code that uses the client: typed results per operation, the
# typed requests recorded. No dependencies; the operations carry a copy of their arguments.
mock = []
{tags}
# The examples' async ones run on tokio's current-thread runtime.
[dev-dependencies]
tokio = {{ version = "1", default-features = false, features = ["rt"] }}
# The tower example's concurrency limit.
tower = {{ version = "0.5", default-features = false, features = ["limit"] }}
{examples}"#,
        name = krate.package,
        tags = tag_features(&krate.features),
    )
}

/// The manifest's features for tags: each compiles its operations and the types they need; all
/// are on by default, so the crate is whole unless a user asks for less.
fn tag_features(features: &[ir::Feature]) -> String {
    if features.is_empty() {
        return String::new();
    }
    let names: Vec<String> = features.iter().map(|f| format!("{:?}", f.name)).collect();
    let mut text = format!(
        "# One feature per tag: its operations and the types they use. All are on by default; \
         with\n# `default-features = false`, only the tags named are compiled.\ndefault = [{}]\n",
        names.join(", ")
    );
    for feature in features {
        text.push_str(&format!(
            "# Operations tagged {:?}.\n{} = []\n",
            feature.tag, feature.name
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every source file of the runtime crate that is not a test file, by its path under `src/`.
    fn runtime_sources() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime/src");
        let mut found = Vec::new();
        let mut stack = vec![root.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("the runtime crate is readable") {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs")
                    && path.file_name().is_some_and(|n| n != "tests.rs")
                {
                    let relative = path.strip_prefix(&root).unwrap();
                    found.push(relative.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        found.sort();
        found
    }

    #[test]
    fn the_runtime_list_is_every_non_test_file_of_the_runtime_crate() {
        let listed: Vec<String> = RUNTIME.iter().map(|(path, _)| (*path).to_owned()).collect();
        assert_eq!(
            listed,
            runtime_sources(),
            "update RUNTIME in codegen/src/lib.rs"
        );
    }

    #[test]
    fn shipped_runtime_files_carry_no_tests_and_name_nothing_of_this_repository() {
        for (path, text) in RUNTIME {
            let (_, shipped) = runtime_file(path, text);
            for word in ["cfg(test)", "xtask", "bench", "DevRev", "tests/"] {
                assert!(!shipped.contains(word), "{path} ships {word:?}");
            }
        }
    }
}
