//! Small one-feature specs (`tests/fixtures/*.yaml`): a snapshot of what each generates, a
//! check that all of it compiles, and for the fixtures with a `tests/fixtures/behaviour/<name>.rs`
//! that file run against the fixture's crate: decoding and round trips of real JSON.
//!
//! A snapshot alone could hold code that does not build, so every fixture's crate is also
//! compiled (typify does the same with its schema snapshots). The crates become members of one
//! workspace checked with a single `cargo check`, in the target directory every check of
//! generated crates shares (`tests::cargo_generated`), so their dependencies are built once.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The files whose snapshots are kept per fixture; the runtime and manifest are the same for all
/// and are covered by the main spec's snapshots.
const SNAPSHOTTED: [&str; 3] = ["src/lib.rs", "src/types.rs", "src/operations.rs"];

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .expect("a fixture file has a name")
        .to_string_lossy()
        .into_owned()
}

/// Generates the crate of one fixture; headers name it relative to the workspace so the output
/// does not depend on where the checkout is.
fn generate(path: &Path) -> codegen::GeneratedCrate {
    let file_name = path
        .file_name()
        .expect("a fixture file has a name")
        .to_string_lossy();
    let spec_path = format!("tests/fixtures/{file_name}");
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {spec_path}: {e}"));
    let input = codegen::Input {
        spec_path: &spec_path,
        text: &text,
        package: &format!("fixture-{}", stem(path)),
    };
    codegen::generate(&input)
        .unwrap_or_else(|err| panic!("generating from {spec_path} failed:\n{err}"))
}

/// Every `tests/fixtures/*.yaml`, sorted.
fn fixtures() -> Vec<PathBuf> {
    let dir = crate_dir().join("fixtures");
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("a readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    paths.sort();
    paths
}

#[test]
fn fixture_snapshots() {
    insta::glob!("../fixtures", "*.yaml", |path| {
        let generated = generate(path);
        for file in SNAPSHOTTED {
            let text = generated
                .files
                .get(file)
                .unwrap_or_else(|| panic!("{} generates no {file}", path.display()));
            insta::assert_snapshot!(file.replace('/', "__"), text);
        }
    });
}

#[test]
fn every_fixture_compiles_without_warnings() {
    let fixtures = fixtures();
    assert!(!fixtures.is_empty(), "no fixtures in tests/fixtures");
    let generated: Vec<(String, codegen::GeneratedCrate)> = fixtures
        .iter()
        .map(|path| (format!("fixture-{}", stem(path)), generate(path)))
        .collect();
    let members: Vec<(String, &BTreeMap<String, String>)> = generated
        .iter()
        .map(|(member, krate)| (member.clone(), &krate.files))
        .collect();
    let dir = tests::generated_workspace("fixtures", &members);
    // `--keep-going` so one fixture's failure does not hide another's.
    let output = tests::cargo_generated(&dir, "check", &["--keep-going"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let failed: BTreeSet<&str> = stderr
        .lines()
        .filter_map(|line| line.strip_prefix("error: could not compile `"))
        .filter_map(|rest| rest.split('`').next())
        .collect();
    assert!(
        output.status.success(),
        "the generated crates of these fixtures do not compile with -Dwarnings: {failed:?} ({})\n{}{stderr}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
    );
}

/// The behaviour tests of a fixture, if it has any: `tests/fixtures/behaviour/<stem>.rs`.
fn behaviour(path: &Path) -> Option<String> {
    let file = crate_dir()
        .join("fixtures/behaviour")
        .join(format!("{}.rs", stem(path)));
    fs::read_to_string(file).ok()
}

/// Each behaviour file becomes an integration test of its fixture's crate (`tests/behaviour.rs`
/// there), so it uses the generated types exactly as a user of the crate does.
#[test]
fn fixture_behaviour() {
    let with_tests: Vec<(String, BTreeMap<String, String>)> = fixtures()
        .iter()
        .filter_map(|path| {
            let test = behaviour(path)?;
            let mut files = generate(path).files;
            files.insert("tests/behaviour.rs".to_owned(), test);
            Some((format!("fixture-{}", stem(path)), files))
        })
        .collect();
    assert!(
        !with_tests.is_empty(),
        "no behaviour tests in tests/fixtures/behaviour"
    );
    let dir_entries = fs::read_dir(crate_dir().join("fixtures/behaviour")).expect("the directory");
    for entry in dir_entries {
        let name = entry.expect("a readable entry").file_name();
        let member = format!("fixture-{}", Path::new(&name).with_extension("").display());
        assert!(
            with_tests.iter().any(|(m, _)| *m == member),
            "tests/fixtures/behaviour/{} has no fixture of its name",
            name.to_string_lossy()
        );
    }
    let members: Vec<(String, &BTreeMap<String, String>)> = with_tests
        .iter()
        .map(|(m, files)| (m.clone(), files))
        .collect();
    let dir = tests::generated_workspace("fixture-behaviour", &members);
    let output = tests::cargo_generated(&dir, "test", &["--test", "behaviour"]);
    assert!(
        output.status.success(),
        "the behaviour tests of the fixtures failed ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
}
