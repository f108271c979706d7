//! Generating crates for the tests: from any spec by its path, from a fixture by its name, and
//! the embedded fragment exactly as `cargo xtask regenerate` makes `generated/`.

use std::path::PathBuf;
use std::sync::OnceLock;

use codegen::{GeneratedCrate, Selection};

use crate::workspace;

/// The embedded fragment `generated/` is made from.
pub const FRAGMENT: &str = "spec/rev-users-scan.yaml";

/// The generation config `cargo xtask regenerate` reads with [`FRAGMENT`].
pub const FRAGMENT_CONFIG: &str = "spec/select.yaml";

/// The text of the spec at `spec_path`, relative to the workspace (`../shared/...` works).
pub fn read_spec(spec_path: &str) -> String {
    let path = workspace().join(spec_path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {spec_path}: {e}"))
}

/// Generates the crate `package` from the spec at `spec_path` (relative to the workspace, and
/// so named in the headers, as `cargo xtask regenerate` names it), for the operations
/// `selection` picks, strictly: anything left out or typed loosely is an error.
pub fn generate_selected(
    spec_path: &str,
    package: &str,
    selection: &Selection,
) -> Result<GeneratedCrate, codegen::Error> {
    let text = read_spec(spec_path);
    let input = codegen::Input {
        spec_path,
        text: &text,
        package,
    };
    codegen::generate_selected(&input, selection, None).and_then(|(krate, _)| krate.strict())
}

/// [`generate_selected`] for every operation; panics with the diagnostics if it fails.
pub fn generate(spec_path: &str, package: &str) -> GeneratedCrate {
    generate_selected(spec_path, package, &Selection::all())
        .unwrap_or_else(|err| panic!("generating {package} from {spec_path} failed:\n{err}"))
}

/// The names of the one-feature specs `tests/fixtures/*.yaml`, sorted: `all-of` for
/// `tests/fixtures/all-of.yaml`.
pub fn fixtures() -> Vec<String> {
    let dir = workspace().join("tests/fixtures");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("a readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .map(|path| {
            let stem = path.file_stem().expect("a file name");
            stem.to_string_lossy().into_owned()
        })
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no fixtures in tests/fixtures");
    names
}

/// The path of the fixture `name`.
pub fn fixture_path(name: &str) -> PathBuf {
    workspace().join(format!("tests/fixtures/{name}.yaml"))
}

/// The crate of the fixture `name`, as the package `fixture-<name>`.
pub fn generate_fixture(name: &str) -> GeneratedCrate {
    generate(
        &format!("tests/fixtures/{name}.yaml"),
        &format!("fixture-{name}"),
    )
}

/// The crate `cargo xtask regenerate` writes to `generated/`: [`FRAGMENT`] with
/// [`FRAGMENT_CONFIG`], strictly as `cargo xtask check` holds it. Generated once per test binary.
pub fn generate_fragment() -> &'static GeneratedCrate {
    static CRATE: OnceLock<GeneratedCrate> = OnceLock::new();
    CRATE.get_or_init(|| {
        let config = read_spec(FRAGMENT_CONFIG);
        let mut selection = Selection::all();
        if let Err(diagnostic) = selection.add_file(FRAGMENT_CONFIG, &config) {
            panic!("{diagnostic}");
        }
        generate_selected(FRAGMENT, "devrev-client", &selection)
            .unwrap_or_else(|err| panic!("generating from {FRAGMENT} failed:\n{err}"))
    })
}
