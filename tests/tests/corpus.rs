//! The real API descriptions of `../shared/specs/` (DevRev beta, OpenAI, Oxide Nexus, GitHub,
//! Twilio, Asana, Petstore), as their owners publish them: each generates whole, strictly (no
//! operation left out, no schema typed loosely), and the crates pass clippy with warnings
//! denied; DevRev beta's docs build without warnings too.
//!
//! The crates are members of one workspace checked with one `cargo clippy` in the target
//! directory every check of generated crates shares (`tests::cargo_generated`), so their
//! dependencies are built once.

use std::path::PathBuf;
use std::time::Instant;

use tests::workspace;

/// Where the specs are, beside the project: the tests read them there, the project commits
/// none of them.
fn specs_dir() -> PathBuf {
    workspace().join("../shared/specs")
}

/// Every spec file, sorted.
fn specs() -> Vec<PathBuf> {
    let dir = specs_dir();
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("a readable directory entry").path())
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext == "yaml" || ext == "json")
        })
        .collect();
    specs.sort();
    specs
}

/// `devrev-beta.yaml` becomes the package `corpus-devrev-beta`.
fn package(spec: &std::path::Path) -> String {
    let stem = spec
        .file_stem()
        .expect("a spec has a name")
        .to_string_lossy();
    format!("corpus-{}", stem.replace(['.', '_'], "-"))
}

#[test]
fn every_real_spec_generates_whole_and_passes_clippy() {
    let specs = specs();
    assert!(
        specs.len() >= 7,
        "expected the seven real specs, found {specs:?}"
    );
    let mut crates = Vec::new();
    let mut failures = Vec::new();
    for spec in &specs {
        let name = format!(
            "../shared/specs/{}",
            spec.file_name().expect("a name").to_string_lossy()
        );
        let package = package(spec);
        let started = Instant::now();
        let generated = tests::generate_selected(&name, &package, &codegen::Selection::all());
        match generated {
            Ok(generated) => {
                let lines: usize = generated.files.values().map(|f| f.lines().count()).sum();
                eprintln!(
                    "{name}: {} operations, {lines} lines in {:?}",
                    generated.operations,
                    started.elapsed()
                );
                crates.push((package, generated.files));
            }
            Err(err) => failures.push(format!("{name}: {err}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    let members: Vec<(String, &_)> = crates.iter().map(|(p, f)| (p.clone(), f)).collect();
    let beta: Vec<(String, &_)> = members
        .iter()
        .filter(|(package, _)| package == "corpus-devrev-beta")
        .cloned()
        .collect();
    assert_eq!(beta.len(), 1, "DevRev beta is among the specs");
    let runs = [
        (
            "corpus",
            &members,
            "clippy",
            &["--keep-going", "--", "-Dwarnings"][..],
        ),
        ("corpus-docs", &beta, "doc", &["--no-deps"][..]),
    ];
    for (name, members, subcommand, args) in runs {
        let dir = tests::generated_workspace(name, members);
        let started = Instant::now();
        let output = tests::cargo_generated(&dir, subcommand, args);
        assert!(
            output.status.success(),
            "`cargo {subcommand}` of the corpus crates failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr),
        );
        eprintln!("cargo {subcommand} took {:?}", started.elapsed());
    }
}
