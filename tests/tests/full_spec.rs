//! DevRev's whole public API (`../shared/reference/devrev-openapi-public.yaml`: 292 operations,
//! 1015 schemas) generates a crate that compiles with `-D warnings`, and so does a selection of
//! it, with no per-endpoint rule in the generator.
//!
//! Both crates are generated into a throwaway workspace and checked with one `cargo check`, so
//! the dependencies are built once; their artifacts live in `target/full-spec` and are reused by
//! later runs. The check takes about half a minute on two cores; clippy and rustdoc, which take
//! as long again, run in the ignored `clippy_and_rustdoc_are_clean` (`cargo test -p tests --test
//! full_spec -- --ignored`).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;
use tests::{workspace, TempDir};

use serde_json::Value;

const REFERENCE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/reference/devrev-openapi-public.yaml"
);

/// How the reference is named in the generated headers, as `cargo xtask regenerate` would.
const REFERENCE_NAME: &str = "../shared/reference/devrev-openapi-public.yaml";

/// The selection the second crate is generated with: a tag, and an operation of another tag.
const SELECTION: [&str; 2] = ["tag:works", "rev-users-scan-post"];

/// Where this workspace's build output goes, honouring `CARGO_TARGET_DIR`.
fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => workspace().join(dir),
        None => workspace().join("target"),
    }
}

fn reference_text() -> String {
    fs::read_to_string(REFERENCE).unwrap_or_else(|e| panic!("cannot read {REFERENCE}: {e}"))
}

fn generate(text: &str, package: &str, selection: &codegen::Selection) -> codegen::GeneratedCrate {
    let input = codegen::Input {
        spec_path: REFERENCE_NAME,
        text,
        package,
    };
    codegen::generate_selected(&input, selection, None)
        .unwrap_or_else(|err| panic!("generating {package} from the reference failed:\n{err}"))
        .0
}

fn selection() -> codegen::Selection {
    let mut selection = codegen::Selection::all();
    SELECTION.iter().for_each(|value| selection.add(value));
    selection
}

/// Every operation of the reference as (operationId, tags).
fn operations(spec: &Value) -> Vec<(String, Vec<String>)> {
    let paths = spec["paths"].as_object().expect("the reference has paths");
    let mut operations = Vec::new();
    for item in paths.values() {
        for operation in item.as_object().expect("a path item").values() {
            let Some(id) = operation["operationId"].as_str() else {
                continue;
            };
            let tags = operation["tags"].as_array().into_iter().flatten();
            let tags = tags.filter_map(|tag| tag.as_str().map(str::to_owned));
            operations.push((id.to_owned(), tags.collect()));
        }
    }
    operations
}

/// All the generated Rust source of a crate, one string.
fn source(generated: &codegen::GeneratedCrate) -> String {
    generated
        .files
        .iter()
        .filter(|(path, _)| path.ends_with(".rs") && !path.starts_with("src/runtime/"))
        .map(|(_, text)| text.as_str())
        .collect()
}

/// The generated source's lines, trimmed, as a set: a quick way to ask whether it has an item.
fn lines(source: &str) -> BTreeSet<&str> {
    source.lines().map(str::trim).collect()
}

/// The operationIds a generated crate has an operation for: each operation's docs end with
/// `` `METHOD /path` (`operationId`). ``.
fn generated_operations(lines: &BTreeSet<&str>) -> BTreeSet<String> {
    lines
        .iter()
        .filter_map(|line| line.strip_prefix("/// `"))
        .filter_map(|line| line.split(" (`").nth(1)?.strip_suffix("`)."))
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_operation_and_schema_is_generated() {
    let text = reference_text();
    let spec: Value = serde_yaml::from_str(&text).expect("the reference is YAML");
    let operations = operations(&spec);
    assert_eq!(operations.len(), 292, "the reference has 292 operations");
    let generated = generate(&text, "devrev-full", &codegen::Selection::all());
    let source = source(&generated);
    let lines = lines(&source);
    let ids: BTreeSet<String> = operations.iter().map(|(id, _)| id.clone()).collect();
    assert_eq!(generated_operations(&lines), ids);
    let methods: BTreeSet<&str> = lines
        .iter()
        .filter_map(|line| line.strip_prefix("pub async fn ")?.split('(').next())
        .collect();
    // Each operation has its module, error union and client method.
    for (id, _) in &operations {
        let words: Vec<&str> = id.split(|c: char| !c.is_ascii_alphanumeric()).collect();
        let snake = words.join("_");
        let camel: String = words
            .iter()
            .map(|w| w[..1].to_ascii_uppercase() + &w[1..])
            .collect();
        for expected in [
            format!("pub mod {snake} {{"),
            format!("pub enum {camel}Error {{"),
        ] {
            assert!(
                lines.contains(expected.as_str()),
                "no `{expected}` for `{id}`"
            );
        }
        assert!(
            methods.contains(snake.as_str()),
            "no client method for `{id}`"
        );
    }
    // Each component schema has its type, whose docs name it.
    let schemas = spec["components"]["schemas"]
        .as_object()
        .expect("the reference has schemas");
    assert_eq!(schemas.len(), 1015);
    let missing: Vec<&String> = schemas
        .keys()
        .filter(|wire| {
            !lines.contains(format!("/// Schema `{wire}`.").as_str())
                && !lines.contains(format!("/// The `{wire}` schema.").as_str())
        })
        .collect();
    assert!(missing.is_empty(), "schemas without a type: {missing:?}");
    // A crate this size is split into files, one per tag, and every file stays readable.
    let longest = generated
        .files
        .iter()
        .filter(|(path, _)| path.ends_with(".rs"))
        .map(|(path, text)| (text.lines().count(), path))
        .max()
        .expect("files");
    assert!(longest.0 < 8_000, "{} has {} lines", longest.1, longest.0);
    assert!(generated.files.contains_key("src/types/works.rs"));
    assert!(generated.files.contains_key("src/operations/works.rs"));
}

#[test]
fn a_selection_has_its_operations_and_the_schemas_they_reach() {
    let text = reference_text();
    let spec: Value = serde_yaml::from_str(&text).expect("the reference is YAML");
    let expected: BTreeSet<String> = operations(&spec)
        .into_iter()
        .filter(|(id, tags)| tags.iter().any(|t| t == "works") || id == "rev-users-scan-post")
        .map(|(id, _)| id)
        .collect();
    let selected = generate(&text, "devrev-selected", &selection());
    let source = source(&selected);
    let lines = lines(&source);
    assert_eq!(generated_operations(&lines), expected);
    let types = lines
        .iter()
        .filter(|l| l.starts_with("pub struct "))
        .count();
    assert!(types < 300, "{types} structs for a dozen operations");
    // What a selected operation reaches is there; what none reaches is not.
    assert!(lines.contains("pub struct RevUsersScanRequest {"));
    assert!(lines.contains("pub enum Work {"));
    assert!(!lines.contains("pub struct AccountsCreateRequest {"));

    let mut unknown = codegen::Selection::all();
    unknown.add("no-such-operation");
    unknown.add("tag:no-such-tag");
    let input = codegen::Input {
        spec_path: REFERENCE_NAME,
        text: &text,
        package: "devrev-unknown",
    };
    let err = codegen::generate_selected(&input, &unknown, None)
        .expect_err("a selection that matches nothing is an error")
        .to_string();
    assert!(
        err.contains("no operation has the operationId `no-such-operation`"),
        "{err}"
    );
    assert!(
        err.contains("no operation is tagged `no-such-tag`"),
        "{err}"
    );
}

#[test]
fn selecting_the_fragments_operations_generates_the_fragment() {
    let fragment_path = workspace().join("spec/rev-users-scan.yaml");
    let fragment = fs::read_to_string(&fragment_path).expect("the fragment is readable");
    let select_path = workspace().join("spec/select.yaml");
    let select = fs::read_to_string(&select_path).expect("spec/select.yaml is readable");
    let mut selection = codegen::Selection::all();
    selection
        .add_file("spec/select.yaml", &select)
        .unwrap_or_else(|d| panic!("{d}"));
    // Both named as the fragment, so that only what is generated can differ.
    let input = |text| codegen::Input {
        spec_path: "spec/rev-users-scan.yaml",
        text,
        package: "devrev-client",
    };
    let from_fragment = codegen::generate(&input(&fragment)).expect("the fragment generates");
    let from_reference = codegen::generate_selected(&input(&reference_text()), &selection, None)
        .expect("the selection generates")
        .0;
    for (path, text) in &from_fragment.files {
        assert_eq!(
            Some(text),
            from_reference.files.get(path),
            "{path} differs between the fragment and the reference's selection"
        );
    }
    assert_eq!(from_fragment.files.len(), from_reference.files.len());
}

/// Generates the whole reference and the selection into a throwaway workspace.
fn generated_workspace() -> TempDir {
    let text = reference_text();
    let started = Instant::now();
    let full = generate(&text, "devrev-full", &codegen::Selection::all());
    eprintln!("generated the whole reference in {:?}", started.elapsed());
    let selected = generate(&text, "devrev-selected", &selection());
    let dir = TempDir::new("devrev-codegen-full-spec");
    for (member, generated) in [("devrev-full", &full), ("devrev-selected", &selected)] {
        generated
            .write(&dir.0.join(member))
            .unwrap_or_else(|e| panic!("cannot write {member}: {e}"));
    }
    let manifest =
        "[workspace]\nresolver = \"2\"\nmembers = [\"devrev-full\", \"devrev-selected\"]\n";
    fs::write(dir.0.join("Cargo.toml"), manifest).expect("the manifest is written");
    // The workspace's lock file pins the versions the generated crates are built with here, and
    // lets `--offline` resolve without an index.
    fs::copy(workspace().join("Cargo.lock"), dir.0.join("Cargo.lock"))
        .expect("the workspace has a Cargo.lock");
    dir
}

/// Runs `cargo <subcommand> --offline --workspace <args>` in `dir` with warnings denied and the
/// shared target directory.
fn cargo(dir: &Path, subcommand: &str, args: &[&str]) {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let started = Instant::now();
    let output = Command::new(cargo)
        .args([subcommand, "--offline", "--workspace"])
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir().join("full-spec"))
        .env("RUSTFLAGS", "-Dwarnings")
        .env("RUSTDOCFLAGS", "-Dwarnings")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        // Each run's crates live at a new path, so their incremental state would never be reused.
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "`cargo {subcommand} {}` of the generated crates failed ({}):\n{}{stderr}",
        args.join(" "),
        output.status,
        String::from_utf8_lossy(&output.stdout),
    );
    eprintln!("cargo {subcommand} took {:?}", started.elapsed());
}

#[test]
fn the_whole_reference_and_a_selection_compile_without_warnings() {
    let dir = generated_workspace();
    cargo(&dir.0, "check", &["--keep-going"]);
}

#[test]
#[ignore = "as long again as the check; run with `--ignored` after changing the emitters"]
fn clippy_and_rustdoc_are_clean() {
    let dir = generated_workspace();
    cargo(&dir.0, "clippy", &["--keep-going", "--", "-Dwarnings"]);
    cargo(&dir.0, "doc", &["--no-deps", "--keep-going"]);
}
