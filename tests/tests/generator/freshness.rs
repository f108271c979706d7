//! Freshness and determinism: the committed `generated/` is what the generator makes from the
//! fragment (the in-suite twin of `cargo xtask check`, with the first differing line in its
//! message); the same spec gives the same bytes every run; and the format cache changes how
//! long generation takes, never what it produces.
//!
//! Output that depended on hashing or on the order things happened to be visited would make
//! `cargo xtask check` flap and every regeneration a noisy diff.

use std::process::Command;

use tests::generate::{read_spec, FRAGMENT};

const OUT: &str = "generated";
/// Directories inside `generated/` that are not the generator's (cargo's, when built alone).
const NOT_GENERATED: &[&str] = &["target"];

/// The committed `generated/` directory is exactly what the generator makes from the spec.
#[test]
fn generated_directory_is_fresh() {
    let out = tests::workspace().join(OUT);
    let on_disk = tests::read_tree(&out, NOT_GENERATED);
    let generated = &tests::generate_fragment().files;
    let mut problems = Vec::new();
    for (path, expected) in generated {
        match on_disk.get(path) {
            None => problems.push(format!("missing: {OUT}/{path}")),
            Some(actual) if actual == expected.as_bytes() => {}
            Some(actual) => problems.push(format!(
                "changed: {OUT}/{path} ({})",
                first_difference(&String::from_utf8_lossy(actual), expected)
            )),
        }
    }
    for path in on_disk.keys().filter(|p| !generated.contains_key(*p)) {
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

fn assert_deterministic(spec_path: &str, package: &str) {
    let first = tests::generate(spec_path, package);
    let second = tests::generate(spec_path, package);
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
    assert_deterministic(FRAGMENT, "devrev-client");
}

#[test]
fn every_fixture_generates_the_same_bytes_twice() {
    for name in tests::generate::fixtures() {
        assert_deterministic(
            &format!("tests/fixtures/{name}.yaml"),
            &format!("fixture-{name}"),
        );
    }
}

/// The format cache changes how long generation takes, never what it produces: a cold cache
/// (every file formatted and kept), a warm one (every file but `src/lib.rs` taken from it), one
/// made by another build of the generator (ignored) and none at all give the same bytes.
#[test]
fn the_format_cache_gives_the_same_bytes() {
    let spec_path = FRAGMENT;
    let text = read_spec(spec_path);
    let input = codegen::Input {
        spec_path,
        text: &text,
        package: "devrev-client",
    };
    let all = codegen::Selection::all();
    let dir = tests::TempDir::new("format-cache");
    let cache = codegen::FormatCache::new(dir.path(), "this build");
    let (uncached, timings) =
        codegen::generate_selected(&input, &all, None).expect("generates without a cache");
    assert_eq!(timings.cached, 0);
    let rust_files = timings.formatted;
    assert!(
        rust_files >= 3,
        "lib.rs, types.rs and operations.rs at least"
    );

    let (cold, timings) =
        codegen::generate_selected(&input, &all, Some(&cache)).expect("generates, cold");
    assert_eq!((timings.formatted, timings.cached), (rust_files, 0));
    assert!(cold == uncached, "a cold cache changed the output");

    // `src/lib.rs` and the examples are always emitted: they are small, and made from the whole
    // IR.
    let always = always_formatted(&cold);
    let (warm, timings) =
        codegen::generate_selected(&input, &all, Some(&cache)).expect("generates, warm");
    assert_eq!(
        (timings.formatted, timings.cached),
        (always, rust_files - always)
    );
    assert!(warm == uncached, "a warm cache changed the output");

    let other_build = codegen::FormatCache::new(dir.path(), "another build");
    let (rebuilt, timings) = codegen::generate_selected(&input, &all, Some(&other_build))
        .expect("generates with another build's cache");
    assert_eq!((timings.formatted, timings.cached), (rust_files, 0));
    assert!(
        rebuilt == uncached,
        "another build's cache changed the output"
    );

    // The same tokens under another spec path get a different header: nothing is shared.
    let moved = codegen::Input {
        spec_path: "spec/moved.yaml",
        ..input.clone()
    };
    let (elsewhere, timings) =
        codegen::generate_selected(&moved, &all, Some(&other_build)).expect("generates, moved");
    assert_eq!(timings.cached, 0);
    assert!(elsewhere.files["src/lib.rs"].contains("from spec/moved.yaml"));
}

/// The files formatted on every run, cache or not: `src/lib.rs` and the examples.
fn always_formatted(krate: &codegen::GeneratedCrate) -> usize {
    krate
        .files
        .keys()
        .filter(|path| *path == "src/lib.rs" || path.starts_with("examples/"))
        .count()
}

/// An edit to one operation emits and formats again only the files it changes; the rest come
/// from the cache, and the whole is what an uncached run gives.
#[test]
fn an_edit_formats_only_the_files_it_changes() {
    let spec_path = FRAGMENT;
    let text = read_spec(spec_path);
    let edited_text = text.replacen(
        "description: Scans through all Rev users.",
        "description: Scans through every Rev user.",
        1,
    );
    assert_ne!(text, edited_text, "the edit applies");
    let all = codegen::Selection::all();
    let dir = tests::TempDir::new("format-cache-edit");
    let cache = codegen::FormatCache::new(dir.path(), "this build");
    let input = |text| codegen::Input {
        spec_path,
        text,
        package: "devrev-client",
    };
    let (warm, _) =
        codegen::generate_selected(&input(&text), &all, Some(&cache)).expect("warms the cache");
    let always = always_formatted(&warm);
    let (edited, timings) =
        codegen::generate_selected(&input(&edited_text), &all, Some(&cache)).expect("edited");
    // `src/lib.rs` and the examples are always emitted; of the others, only operations.rs has
    // the description.
    assert_eq!((timings.formatted, timings.cached), (always + 1, 1));
    let (uncached, _) =
        codegen::generate_selected(&input(&edited_text), &all, None).expect("uncached");
    assert!(edited == uncached, "the cache changed the edited output");
    assert!(edited.files["src/operations.rs"].contains("Scans through every Rev user."));

    // A schema's field: only types.rs changes.
    let field_edited = edited_text.replacen(
        "description: The iterated Rev users.",
        "description: The Rev users of this page.",
        1,
    );
    assert_ne!(field_edited, edited_text, "the edit applies");
    let (again, timings) =
        codegen::generate_selected(&input(&field_edited), &all, Some(&cache)).expect("edited");
    assert_eq!((timings.formatted, timings.cached), (always + 1, 1));
    let (uncached, _) =
        codegen::generate_selected(&input(&field_edited), &all, None).expect("uncached");
    assert!(again == uncached, "the cache changed the edited output");
    assert!(again.files["src/types.rs"].contains("The Rev users of this page."));
}

/// `cargo xtask regenerate` as a user runs it: `--no-cache` formats every file, a second run
/// takes every file but `src/lib.rs` and the examples from the cache the first filled, and all three write the
/// same tree.
#[test]
fn xtask_regenerate_uses_its_format_cache_and_writes_the_same_files() {
    let out = tests::TempDir::new("xtask-cache");
    let regenerate = |dir: &str, flags: &[&str]| {
        let output = Command::new(env!("CARGO"))
            .current_dir(tests::workspace())
            .args([
                "run",
                "--quiet",
                "--package",
                "xtask",
                "--",
                "regenerate",
                "--out",
            ])
            .arg(out.path().join(dir))
            .args(flags)
            .output()
            .expect("cargo runs");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success(),
            "regenerate failed: {stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        stdout
    };
    let summary = regenerate("uncached", &["--no-cache"]);
    // The three `src/` files and the examples are formatted; every run formats `src/lib.rs` and
    // the examples again.
    let uncached = tests::read_tree(&out.path().join("uncached"), &[]);
    let examples = uncached
        .keys()
        .filter(|path| path.starts_with("examples/"))
        .count();
    assert!(examples > 0, "the fragment has examples");
    let formatted = format!("({} formatted, 0 from the format cache)", 3 + examples);
    assert!(summary.contains(&formatted), "{summary}");
    regenerate("filling", &[]);
    let summary = regenerate("cached", &[]);
    let cached = format!("({} formatted, 2 from the format cache)", 1 + examples);
    assert!(summary.contains(&cached), "{summary}");
    assert!(uncached.len() >= 16);
    assert!(uncached == tests::read_tree(&out.path().join("filling"), &[]));
    assert!(uncached == tests::read_tree(&out.path().join("cached"), &[]));
}
