//! Same spec, same bytes: generating twice in one process gives identical files.
//!
//! Output that depended on hashing or on the order things happened to be visited would make
//! `cargo xtask check` flap and every regeneration a noisy diff.

use std::fs;
use std::path::{Path, PathBuf};

fn generate(spec_path: &str, text: &str, package: &str) -> codegen::GeneratedCrate {
    let input = codegen::Input {
        spec_path,
        text,
        package,
    };
    codegen::generate(&input)
        .unwrap_or_else(|err| panic!("generating from {spec_path} failed:\n{err}"))
}

fn assert_deterministic(path: &Path, spec_path: &str, package: &str) {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {spec_path}: {e}"));
    let first = generate(spec_path, &text, package);
    let second = generate(spec_path, &text, package);
    assert_eq!(
        first.files.keys().collect::<Vec<_>>(),
        second.files.keys().collect::<Vec<_>>(),
        "{spec_path}: the set of generated files differs between two runs"
    );
    for (file, contents) in &first.files {
        assert!(
            *contents == second.files[file],
            "{spec_path}: {file} differs between two runs"
        );
    }
}

#[test]
fn the_spec_generates_the_same_bytes_twice() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    assert_deterministic(
        &workspace.join("spec/rev-users-scan.yaml"),
        "spec/rev-users-scan.yaml",
        "devrev-client",
    );
}

#[test]
fn every_fixture_generates_the_same_bytes_twice() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut fixtures: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("tests/fixtures exists")
        .map(|entry| entry.expect("a readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    fixtures.sort();
    assert!(!fixtures.is_empty(), "no fixtures in tests/fixtures");
    for path in fixtures {
        let name = path.file_name().expect("a file name").to_string_lossy();
        let stem = path.file_stem().expect("a file name").to_string_lossy();
        assert_deterministic(
            &path,
            &format!("tests/fixtures/{name}"),
            &format!("fixture-{stem}"),
        );
    }
}
