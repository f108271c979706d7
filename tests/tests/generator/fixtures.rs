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
use std::path::Path;

/// The files whose snapshots are kept per fixture; the runtime and manifest are the same for all
/// and are covered by the main spec's snapshots.
const SNAPSHOTTED: [&str; 3] = ["src/lib.rs", "src/types.rs", "src/operations.rs"];

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn fixture_snapshots() {
    insta::glob!("../../fixtures", "*.yaml", |path| {
        let name = path.file_stem().expect("a fixture file has a name");
        let generated = tests::generate_fixture(&name.to_string_lossy());
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
    let generated: Vec<(String, codegen::GeneratedCrate)> = tests::generate::fixtures()
        .into_iter()
        .map(|name| (format!("fixture-{name}"), tests::generate_fixture(&name)))
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

/// The behaviour tests of a fixture, if it has any: `tests/fixtures/behaviour/<name>.rs`.
fn behaviour(name: &str) -> Option<String> {
    let file = crate_dir().join(format!("fixtures/behaviour/{name}.rs"));
    fs::read_to_string(file).ok()
}

/// Each behaviour file becomes an integration test of its fixture's crate (`tests/behaviour.rs`
/// there), so it uses the generated types exactly as a user of the crate does.
#[test]
fn fixture_behaviour() {
    let with_tests: Vec<(String, BTreeMap<String, String>)> = tests::generate::fixtures()
        .into_iter()
        .filter_map(|name| {
            let test = behaviour(&name)?;
            let mut files = tests::generate_fixture(&name).files;
            files.insert("tests/behaviour.rs".to_owned(), test);
            Some((format!("fixture-{name}"), files))
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
