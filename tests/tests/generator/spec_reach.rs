//! DevRev's whole public API (`../shared/reference/devrev-openapi-public.yaml`: 292 operations,
//! 1015 schemas) generates a crate that compiles with `-D warnings`, and so does a selection of
//! it, with no per-endpoint rule in the generator.
//!
//! Both crates are generated once, into one workspace, and linted with one `cargo clippy` (and
//! documented with one `cargo doc`) in the target directory every check of generated crates
//! shares (`tests::cargo_generated`), so the dependencies are built once.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;
use tests::workspace;

use serde_json::Value;

/// The reference, from the workspace, named so in the generated headers as `cargo xtask
/// regenerate` would name it.
const REFERENCE_NAME: &str = "../shared/reference/devrev-openapi-public.yaml";

/// The selection the second crate is generated with: a tag, and an operation of another tag.
const SELECTION: [&str; 2] = ["tag:works", "rev-users-scan-post"];

fn reference_text() -> String {
    tests::generate::read_spec(REFERENCE_NAME)
}

fn generate(package: &str, selection: &codegen::Selection) -> codegen::GeneratedCrate {
    tests::generate_selected(REFERENCE_NAME, package, selection)
        .unwrap_or_else(|err| panic!("generating {package} from the reference failed:\n{err}"))
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

/// The names of the methods of the async client's `impl` blocks, as prettyplease lays them
/// out: `impl<T: Transport> Client<T> {` at the start of a line, each method's `pub fn` indented
/// once, and the block's closing brace at the start of a line. The blocking client and the mock
/// have methods of the same names, which must not stand in for these.
fn async_client_methods(source: &str) -> BTreeSet<&str> {
    let mut methods = BTreeSet::new();
    let mut in_client = false;
    for line in source.lines() {
        if line == "impl<T: Transport> Client<T> {" {
            in_client = true;
        } else if line == "}" {
            in_client = false;
        } else if in_client {
            let name = line
                .strip_prefix("    pub fn ")
                .and_then(|rest| rest.split('(').next());
            methods.extend(name);
        }
    }
    methods
}

#[test]
fn every_operation_and_schema_is_generated() {
    let text = reference_text();
    let spec: Value = serde_yaml::from_str(&text).expect("the reference is YAML");
    let operations = operations(&spec);
    assert_eq!(operations.len(), 292, "the reference has 292 operations");
    let generated = &full_and_selected().0;
    let source = source(generated);
    let lines = lines(&source);
    let ids: BTreeSet<String> = operations.iter().map(|(id, _)| id.clone()).collect();
    assert_eq!(generated_operations(&lines), ids);
    let methods = async_client_methods(&source);
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
    let selected = &full_and_selected().1;
    let source = source(selected);
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
    let err = tests::generate_selected(REFERENCE_NAME, "devrev-unknown", &unknown)
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
    // The fragment as `cargo xtask regenerate` generates it: with the same config.
    let from_fragment = codegen::generate_selected(&input(&fragment), &selection, None)
        .expect("the fragment generates")
        .0;
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

/// The whole reference and the selection, generated once for all the tests of this file.
fn full_and_selected() -> &'static (codegen::GeneratedCrate, codegen::GeneratedCrate) {
    static GENERATED: OnceLock<(codegen::GeneratedCrate, codegen::GeneratedCrate)> =
        OnceLock::new();
    GENERATED.get_or_init(|| {
        let started = Instant::now();
        let full = generate("devrev-full", &codegen::Selection::all());
        eprintln!("generated the whole reference in {:?}", started.elapsed());
        let selected = generate("devrev-selected", &selection());
        (full, selected)
    })
}

/// The whole reference and the selection in a workspace of their own.
fn generated_workspace() -> PathBuf {
    let (full, selected) = full_and_selected();
    tests::generated_workspace(
        "full-spec",
        &[
            ("devrev-full".to_owned(), &full.files),
            ("devrev-selected".to_owned(), &selected.files),
        ],
    )
}

/// Runs `cargo <subcommand>` on the generated workspace, warnings denied.
fn cargo(dir: &Path, subcommand: &str, args: &[&str]) {
    let started = Instant::now();
    let output = tests::cargo_generated(dir, subcommand, args);
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
fn the_whole_reference_and_a_selection_pass_clippy_and_rustdoc() {
    let dir = generated_workspace();
    cargo(&dir, "clippy", &["--keep-going", "--", "-Dwarnings"]);
    cargo(&dir, "doc", &["--no-deps", "--keep-going"]);
}
