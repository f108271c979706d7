//! Vendoring: the committed `generated/` crate, as a user copies it, depends on nothing in this
//! workspace, and its default build compiles no proc macro (its serde impls are written out, so
//! `serde` comes without `derive`, and no `syn` is built for it). `cargo tree` resolves the
//! crate's own features, not the workspace's unified ones.

use std::process::Command;

/// The packages of the generated crate's normal dependency tree with `features`, one per line
/// as `cargo tree --prefix none` prints them.
fn tree(features: &[&str]) -> Vec<String> {
    let mut command = Command::new(env!("CARGO"));
    command
        .current_dir(tests::workspace())
        .args(["tree", "--offline", "-p", "devrev-client", "-e", "normal"])
        .args(["--prefix", "none", "--no-dedupe"]);
    if !features.is_empty() {
        command.args(["--features", &features.join(",")]);
    }
    let output = command.output().expect("cargo tree runs");
    assert!(
        output.status.success(),
        "cargo tree failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_default_build_compiles_no_proc_macro_and_nothing_of_the_workspace() {
    let packages = tree(&[]);
    assert!(
        packages.iter().any(|line| line.starts_with("serde_json ")),
        "not the generated crate's tree:\n{packages:#?}"
    );
    let macros: Vec<&String> = packages
        .iter()
        .filter(|line| line.contains("(proc-macro)"))
        .collect();
    assert!(
        macros.is_empty(),
        "proc macros in the default build: {macros:#?}"
    );
    let workspace = tests::workspace();
    let local: Vec<&String> = packages
        .iter()
        .filter(|line| !line.starts_with("devrev-client "))
        .filter(|line| line.contains(&*workspace.to_string_lossy()))
        .collect();
    assert!(local.is_empty(), "workspace crates in the tree: {local:#?}");
}

/// What the tree cannot show, since this workspace builds serde with `derive` for its own
/// crates: the committed code derives no serde trait, and its manifest inherits nothing from a
/// workspace.
#[test]
fn the_code_derives_no_serde_trait_and_the_manifest_inherits_nothing() {
    let generated = tests::workspace().join("generated");
    let files = tests::read_tree(&generated, &["target"]);
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        if path.ends_with(".rs") {
            for derive in ["Serialize", "Deserialize"] {
                let derived = text.lines().any(|line| {
                    line.trim_start().starts_with("#[derive(") && line.contains(derive)
                });
                assert!(!derived, "{path} derives {derive}");
            }
        }
    }
    let manifest = String::from_utf8_lossy(&files["Cargo.toml"]);
    assert!(
        !manifest.contains("workspace"),
        "the manifest names a workspace:\n{manifest}"
    );
}

/// The mock feature adds no dependency either; the transports bring their own (reqwest's URL
/// parsing uses proc macros), which is theirs to choose.
#[test]
fn the_mock_feature_adds_no_dependency() {
    assert_eq!(tree(&["mock"]), tree(&[]));
}
