//! Bad specs: each gives diagnostics naming the file and the place, never a panic, and a failed
//! `cargo xtask regenerate` leaves the output directory exactly as it was.

use std::path::{Path, PathBuf};
use std::process::Command;
use tests::workspace;

/// The rendered diagnostics of generating from `path`, or the files if it succeeded; `None` for
/// a file that is not UTF-8, which only the xtask can be given (its message is checked in
/// `failed_regenerate_leaves_the_output_as_it_was`).
fn outcome(path: &Path) -> Option<String> {
    let name = path
        .strip_prefix(workspace())
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/");
    let bytes = std::fs::read(path).unwrap();
    let text = String::from_utf8(bytes).ok()?;
    let input = codegen::Input {
        spec_path: &name,
        text: &text,
        package: "bad",
    };
    Some(match codegen::generate(&input) {
        Ok(generated) => format!(
            "generated: {:?}",
            generated.files.keys().collect::<Vec<_>>()
        ),
        Err(err) => err.to_string(),
    })
}

#[test]
fn diagnostics_of_every_bad_spec() {
    insta::glob!("../../fixtures/invalid", "*.yaml", |path| {
        if let Some(rendered) = outcome(path) {
            insta::assert_snapshot!(rendered);
        }
    });
}

#[test]
fn every_diagnostic_names_the_file_and_all_are_collected() {
    let path = workspace().join("tests/fixtures/invalid/unresolved-ref.yaml");
    let rendered = outcome(&path).expect("UTF-8");
    assert_eq!(
        rendered.matches("error: unresolved `$ref`").count(),
        2,
        "{rendered}"
    );
    assert!(rendered.contains("--> tests/fixtures/invalid/unresolved-ref.yaml:12 at #/components/schemas/thing/properties/owner/$ref"), "{rendered}");
}

fn xtask(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO"))
        .current_dir(workspace())
        .args(["run", "--quiet", "--package", "xtask", "--"])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn failed_regenerate_leaves_the_output_as_it_was() {
    let dir = tests::TempDir::new("bad-specs-out");
    let out = dir.path().to_path_buf();
    std::fs::create_dir_all(out.join("src")).unwrap();
    std::fs::write(out.join("src/lib.rs"), "// an older generation\n").unwrap();
    std::fs::write(out.join("Cargo.toml"), "[package]\n").unwrap();
    let before = tests::read_tree(&out, &[]);
    let invalid = workspace().join("tests/fixtures/invalid");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&invalid)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    specs.push(invalid.join("does-not-exist.yaml"));
    specs.sort();
    for spec in &specs {
        let output = xtask(&[
            "regenerate",
            "--spec",
            spec.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--strict",
        ]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{} was accepted", spec.display());
        assert!(!stderr.contains("panicked"), "{}: {stderr}", spec.display());
        let name = spec.file_name().unwrap().to_string_lossy();
        assert!(
            stderr.contains(&*name),
            "{} is not named in: {stderr}",
            spec.display()
        );
        if spec.exists() && outcome(spec).is_none() {
            assert!(stderr.contains("is not UTF-8 text"), "{stderr}");
        }
        assert_eq!(
            tests::read_tree(&out, &[]),
            before,
            "{} changed the output directory",
            spec.display()
        );
    }
}

/// Without `--strict`, what cannot be expressed costs only its own place: the rest is written,
/// and the warnings and a summary by cause say what was left out.
#[test]
fn regenerate_leaves_out_only_what_cannot_be_expressed() {
    let dir = tests::TempDir::new("bad-specs-lenient");
    let out = dir.path().join("out");
    let spec = workspace().join("tests/fixtures/invalid/unresolved-ref.yaml");
    let output = xtask(&[
        "regenerate",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        stderr.matches("warning: unresolved `$ref`").count(),
        2,
        "{stderr}"
    );
    assert!(
        stderr.contains("2 schemas typed as serde_json::Value, by cause:"),
        "{stderr}"
    );
    let lib = std::fs::read_to_string(out.join("src/lib.rs")).unwrap();
    assert!(
        lib.contains("//! - `#/components/schemas/thing/properties/owner`: unresolved `$ref`"),
        "{lib}"
    );
}

/// Names that collide after case conversion get numeric suffixes (the same every run, as
/// `freshness.rs` checks for every fixture); the fixture's crate is compiled with the others by
/// `fixtures.rs`.
#[test]
fn names_that_collide_after_case_conversion_get_suffixes() {
    let generated = tests::generate_fixture("name-collision");
    let types = &generated.files["src/types.rs"];
    assert!(types.contains("pub struct FooBar {"), "{types}");
    assert!(types.contains("pub struct FooBar2 {"), "{types}");
    assert!(types.contains("pub a_2: Option<String>"), "{types}");
}
