//! The generated crates' `examples/` build with every feature, and their tests (the mock's)
//! pass: for the crate of `spec/`, for a small real spec (petstore), and for every fixture in
//! `tests/fixtures/`, whose shapes (binary and text bodies, several successes, status classes,
//! path styles, multipart, ...) also exercise the `mock` feature's per-operation code.
//!
//! The crates become members of one workspace, built with one `cargo test --examples
//! --all-features` (warnings denied) in the target directory every check of generated crates
//! shares (`tests::cargo_generated`).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;

use tests::workspace;

const PETSTORE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/specs/petstore-expanded.yaml"
);

fn generate(spec_path: &str, text: &str, package: &str) -> codegen::GeneratedCrate {
    let input = codegen::Input {
        spec_path,
        text,
        package,
    };
    codegen::generate(&input).unwrap_or_else(|err| panic!("generating {package} failed:\n{err}"))
}

/// The crate of `spec/`, as `cargo xtask regenerate` makes it (with `spec/select.yaml`).
fn fragment() -> codegen::GeneratedCrate {
    let read = |path: &str| {
        fs::read_to_string(workspace().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    let mut selection = codegen::Selection::all();
    selection
        .add_file("spec/select.yaml", &read("spec/select.yaml"))
        .unwrap_or_else(|d| panic!("{d}"));
    let input = codegen::Input {
        spec_path: "spec/rev-users-scan.yaml",
        text: &read("spec/rev-users-scan.yaml"),
        package: "devrev-client",
    };
    codegen::generate_selected(&input, &selection, None)
        .expect("the fragment generates")
        .0
}

/// The examples a crate has, by name.
fn examples(krate: &codegen::GeneratedCrate) -> BTreeSet<&str> {
    krate
        .files
        .keys()
        .filter_map(|path| path.strip_prefix("examples/")?.strip_suffix(".rs"))
        .collect()
}

#[test]
fn each_spec_gets_the_examples_it_has_operations_for() {
    assert_eq!(
        examples(&fragment()),
        BTreeSet::from([
            "blocking_scan",
            "custom_transport",
            "errors",
            "mock",
            "scan",
            "tower_stack"
        ])
    );
    // Petstore pages nothing and types its errors only under `default`.
    let petstore = fs::read_to_string(PETSTORE).expect("the petstore spec");
    let petstore = generate("petstore-expanded.yaml", &petstore, "petstore");
    assert_eq!(
        examples(&petstore),
        BTreeSet::from(["custom_transport", "mock", "tower_stack"])
    );
    // Each is declared with the features it needs.
    let manifest = &petstore.files["Cargo.toml"];
    assert!(
        manifest.contains("[[example]]\nname = \"mock\"\nrequired-features = [\"mock\"]\n"),
        "{manifest}"
    );
    assert!(
        manifest.contains(
            "[[example]]\nname = \"tower_stack\"\nrequired-features = [\"reqwest\", \"tower\"]\n"
        ),
        "{manifest}"
    );
}

#[test]
fn the_examples_build_with_every_feature_and_their_tests_pass() {
    let mut crates = vec![("devrev-client".to_owned(), fragment())];
    let petstore = fs::read_to_string(PETSTORE).expect("the petstore spec");
    crates.push((
        "petstore".to_owned(),
        generate("petstore-expanded.yaml", &petstore, "petstore"),
    ));
    let fixtures = workspace().join("tests/fixtures");
    let mut paths: Vec<_> = fs::read_dir(&fixtures)
        .expect("the fixtures")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    paths.sort();
    for path in &paths {
        let stem = path.file_stem().expect("a name").to_string_lossy();
        let text = fs::read_to_string(path).expect("a readable fixture");
        let package = format!("fixture-{stem}");
        let spec_path = format!("tests/fixtures/{stem}.yaml");
        crates.push((package.clone(), generate(&spec_path, &text, &package)));
    }
    let with_mock_tests = crates
        .iter()
        .filter(|(_, krate)| examples(krate).contains("mock"))
        .count();
    let members: Vec<(String, &BTreeMap<String, String>)> = crates
        .iter()
        .map(|(name, krate)| (name.clone(), &krate.files))
        .collect();
    let dir = tests::generated_workspace("examples", &members);
    let output = tests::cargo_generated(
        &dir,
        "test",
        &["--examples", "--all-features", "--no-fail-fast"],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the examples do not build or their tests fail ({}):\n{stdout}{stderr}",
        output.status,
    );
    // Every mock example ran its two tests.
    let passed = stdout
        .matches("test tests::answers_from_the_mock_and_records_the_call ... ok")
        .count();
    assert_eq!(passed, with_mock_tests, "{stdout}");
    assert!(
        with_mock_tests > 10,
        "only {with_mock_tests} crates have a mock example"
    );
}
