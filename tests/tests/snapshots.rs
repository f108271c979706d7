//! Snapshots of every file generated from `spec/rev-users-scan.yaml`, and the freshness check.
//!
//! The crate is generated in memory, once per test binary. Each file is an insta snapshot named
//! after its path (`generated__src__types.rs`), so a change to the generator shows up in review as
//! a diff of the code users get. The freshness test then holds the committed `generated/`
//! directory to the same bytes, as rust-analyzer's codegen tests do: a stale checkout fails here
//! with the command that fixes it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::sync::OnceLock;
use tests::workspace;

const SPEC: &str = "spec/rev-users-scan.yaml";
const PACKAGE: &str = "devrev-client";
const OUT: &str = "generated";
/// The generation config `cargo xtask regenerate` uses with the default spec.
const CONFIG: &str = "spec/select.yaml";
/// Directories inside `generated/` that are not the generator's (cargo's, when built alone).
const NOT_GENERATED: &[&str] = &["target"];

/// The generated files by relative path, generated once for all tests of this binary.
fn generated() -> &'static BTreeMap<String, String> {
    static FILES: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    FILES.get_or_init(|| {
        let path = workspace().join(SPEC);
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {SPEC}: {e}"));
        let input = codegen::Input {
            spec_path: SPEC,
            text: &text,
            package: PACKAGE,
        };
        // With the config `cargo xtask regenerate` reads by default: its idempotent operations.
        let config = fs::read_to_string(workspace().join(CONFIG))
            .unwrap_or_else(|e| panic!("cannot read {CONFIG}: {e}"));
        let mut selection = codegen::Selection::all();
        if let Err(diagnostic) = selection.add_file(CONFIG, &config) {
            panic!("{diagnostic}");
        }
        match codegen::generate_selected(&input, &selection, None) {
            Ok((krate, _)) => krate.files,
            Err(err) => panic!("generating from {SPEC} failed:\n{err}"),
        }
    })
}

/// `src/runtime/json.rs` becomes `generated__src__runtime__json.rs`.
fn snapshot_name(path: &str) -> String {
    format!("{OUT}__{}", path.replace('/', "__"))
}

fn assert_file_snapshot(path: &str) {
    let text = generated()
        .get(path)
        .unwrap_or_else(|| panic!("the generator no longer writes {path}"));
    insta::assert_snapshot!(snapshot_name(path), text);
}

#[test]
fn lib_rs() {
    assert_file_snapshot("src/lib.rs");
}

#[test]
fn types_rs() {
    assert_file_snapshot("src/types.rs");
}

#[test]
fn operations_rs() {
    assert_file_snapshot("src/operations.rs");
}

#[test]
fn cargo_toml() {
    assert_file_snapshot("Cargo.toml");
}

/// The runtime files are copies of `codegen/runtime/src/`, but they are what users vendor, so a
/// change to them is reviewed like any other generated code. New runtime files are picked up
/// without editing this test.
#[test]
fn runtime_files() {
    let runtime: Vec<&String> = generated()
        .keys()
        .filter(|path| path.starts_with("src/runtime/"))
        .collect();
    assert!(
        runtime
            .iter()
            .any(|path| path.as_str() == "src/runtime/mod.rs"),
        "no runtime files were generated: {:?}",
        generated().keys().collect::<Vec<_>>()
    );
    for path in runtime {
        assert_file_snapshot(path);
    }
}

/// Every generated file has a snapshot test above, and every snapshot is of a file that is still
/// generated: a file the generator stopped writing must not leave a snapshot nobody checks.
#[test]
fn snapshots_match_the_generated_files() {
    let covered = [
        "src/lib.rs",
        "src/types.rs",
        "src/operations.rs",
        "Cargo.toml",
    ];
    for path in generated().keys() {
        assert!(
            // The examples are pinned by the freshness check below, and compiled by examples.rs.
            covered.contains(&path.as_str())
                || path.starts_with("src/runtime/")
                || path.starts_with("examples/"),
            "{path} is generated but no test snapshots it"
        );
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let Ok(entries) = fs::read_dir(&dir) else {
        return; // No snapshots accepted yet: the tests above are creating them.
    };
    let expected: BTreeSet<String> = generated()
        .keys()
        .map(|path| format!("snapshots__{}.snap", snapshot_name(path)))
        .collect();
    let stale: Vec<String> = entries
        .map(|entry| entry.expect("a readable snapshots directory").file_name())
        .map(|name| name.to_string_lossy().into_owned())
        .filter(|name| name.starts_with("snapshots__") && name.ends_with(".snap"))
        .filter(|name| !expected.contains(name))
        .collect();
    assert!(
        stale.is_empty(),
        "snapshots of files that are no longer generated, delete them: {stale:?}"
    );
}

/// The committed `generated/` directory is exactly what the generator makes from the spec.
#[test]
fn generated_directory_is_fresh() {
    let out = workspace().join(OUT);
    let on_disk = tests::read_tree(&out, NOT_GENERATED);
    let mut problems = Vec::new();
    for (path, expected) in generated() {
        match on_disk.get(path) {
            None => problems.push(format!("missing: {OUT}/{path}")),
            Some(actual) if actual == expected.as_bytes() => {}
            Some(actual) => problems.push(format!(
                "changed: {OUT}/{path} ({})",
                first_difference(&String::from_utf8_lossy(actual), expected)
            )),
        }
    }
    for path in on_disk.keys().filter(|p| !generated().contains_key(*p)) {
        problems.push(format!("extra: {OUT}/{path}"));
    }
    assert!(
        problems.is_empty(),
        "{OUT}/ is stale:\n  {}\nrun `cargo xtask regenerate` and commit the result",
        problems.join("\n  ")
    );
}

/// Where two texts first differ, as a line number with both lines, for the failure message.
fn first_difference(on_disk: &str, generated: &str) -> String {
    let mut disk_lines = on_disk.lines();
    let mut new_lines = generated.lines();
    for number in 1.. {
        match (disk_lines.next(), new_lines.next()) {
            (Some(a), Some(b)) if a == b => continue,
            (None, None) => return "line endings differ".to_owned(),
            (a, b) => {
                return format!(
                    "first difference at line {number}: on disk {:?}, generated {:?}",
                    a.unwrap_or("<end of file>"),
                    b.unwrap_or("<end of file>")
                )
            }
        }
    }
    unreachable!("the loop returns")
}
