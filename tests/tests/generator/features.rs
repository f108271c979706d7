//! Cargo features by tag: the crate of `tests/fixtures/tags.yaml` built with no tag feature, with
//! one, and with all (the default), each time with two crates that use it as a user does: one
//! naming what the features should compile, which must build without warnings, and one naming
//! what they should leave out, which must fail on exactly those names.
//!
//! Each feature set is its own `cargo check`, since cargo unifies a dependency's features across
//! one build.

use std::collections::BTreeMap;

const PACKAGE: &str = "fixture-tags";

/// A crate that depends on the fixture's with `features` (`None`: its defaults) and whose
/// library is `source`.
fn user(features: Option<&[&str]>, source: String) -> BTreeMap<String, String> {
    let dependency = match features {
        None => format!("{{ path = \"../{PACKAGE}\" }}"),
        Some(features) => format!(
            "{{ path = \"../{PACKAGE}\", default-features = false, features = {features:?} }}"
        ),
    };
    let manifest = format!(
        "[package]\nname = \"{{name}}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
         [dependencies]\n{PACKAGE} = {dependency}\n"
    );
    BTreeMap::from([
        ("Cargo.toml".to_owned(), manifest),
        (
            "src/lib.rs".to_owned(),
            format!("//! Uses the fixture.\n{source}"),
        ),
    ])
}

/// `pub use` lines for operation modules and types, and a function calling each operation's
/// blocking client method, so that the methods are checked as well as the modules.
fn uses(operations: &[&str], types: &[&str]) -> String {
    let mut source = String::new();
    for op in operations {
        source.push_str(&format!("pub use fixture_tags::operations::{op};\n"));
    }
    for ty in types {
        source.push_str(&format!("pub use fixture_tags::types::{ty};\n"));
    }
    // Arguments come from `any`, so that only the method's own name can be missing.
    source.push_str(
        "/// A value of any type, for arguments.\npub fn any<T>() -> T {\n    panic!(\"only checked, never called\")\n}\n\
         /// Calls the operations.\npub fn call<T: fixture_tags::BlockingTransport>(\
         client: &fixture_tags::BlockingClient<T>) {\n",
    );
    for op in operations {
        let args = match *op {
            "orders_get" | "pets_adopt" => "any()",
            _ => "",
        };
        source.push_str(&format!("    let _ = client.{op}({args});\n"));
    }
    source.push_str("}\n");
    source
}

/// Checks the fixture's crate under `features` with one user naming `present` (operations,
/// types) and one naming `absent`; returns the workspace.
fn check(
    name: &str,
    features: Option<&[&str]>,
    present: (&[&str], &[&str]),
    absent: (&[&str], &[&str]),
) -> std::path::PathBuf {
    let fixture = tests::generate_fixture("tags").files;
    let mut members = vec![(PACKAGE.to_owned(), fixture)];
    let with_name = |files: BTreeMap<String, String>, member: &str| {
        let mut files = files;
        let manifest = files["Cargo.toml"].replace("{name}", member);
        files.insert("Cargo.toml".to_owned(), manifest);
        (member.to_owned(), files)
    };
    members.push(with_name(
        user(features, uses(present.0, present.1)),
        "present",
    ));
    let has_absent = !absent.0.is_empty() || !absent.1.is_empty();
    if has_absent {
        members.push(with_name(
            user(features, uses(absent.0, absent.1)),
            "absent",
        ));
    }
    let refs: Vec<(String, &BTreeMap<String, String>)> = members
        .iter()
        .map(|(m, files)| (m.clone(), files))
        .collect();
    let dir = tests::generated_workspace(&format!("features-{name}"), &refs);
    // The fixture's crate is no member: a member is built with its default features, which
    // cargo would unify with the users'.
    let users = if has_absent {
        "\"present\", \"absent\""
    } else {
        "\"present\""
    };
    std::fs::write(
        dir.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"2\"\nmembers = [{users}]\nexclude = [\"{PACKAGE}\"]\n"),
    )
    .expect("the manifest is written");
    let output = tests::cargo_generated(&dir, "check", &["--keep-going"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    for member in [PACKAGE, "present"] {
        // The fixture's crate is checked, with warnings denied, as the users' dependency.
        assert!(
            !stderr.contains(&format!("could not compile `{member}`")),
            "{name}: `{member}` does not compile with -Dwarnings:\n{stderr}"
        );
    }
    if !has_absent {
        assert!(output.status.success(), "{name}:\n{stderr}");
        return dir;
    }
    assert!(
        stderr.contains("could not compile `absent`"),
        "{name}: what the features leave out compiles:\n{stderr}"
    );
    // Every error is about a name that should be missing, and every such name has one.
    let errors: Vec<&str> = stderr
        .split("\n\n")
        .filter(|block| block.starts_with("error[") || block.starts_with("error:"))
        .filter(|block| !block.starts_with("error: could not compile"))
        .collect();
    for missing in absent.0.iter().chain(absent.1) {
        assert!(
            errors.iter().any(|block| block.contains(missing)),
            "{name}: no error names `{missing}`:\n{stderr}"
        );
    }
    for block in &errors {
        assert!(
            absent.0.iter().chain(absent.1).any(|m| block.contains(m)),
            "{name}: an error about something the features should compile:\n{block}"
        );
    }
    dir
}

#[test]
fn no_tag_feature_compiles_only_the_untagged_operations() {
    check(
        "none",
        Some(&[]),
        (&["health"], &["Health"]),
        (
            &["pets_list", "orders_get", "transport_ping"],
            &["Pet", "Problem", "AdoptionReport"],
        ),
    );
}

#[test]
fn one_tag_compiles_its_operations_and_the_types_they_reach() {
    check(
        "pets",
        Some(&["pets"]),
        (
            &["health", "pets_list", "pets_adopt"],
            &["PetsListResponse", "Pet", "PetKind", "Order", "Problem"],
        ),
        (&["orders_get", "orders_audit"], &["AdoptionReport"]),
    );
    // An operation under two tags comes with either; a colliding tag's feature is its own.
    check(
        "store-orders",
        Some(&["store-orders"]),
        (&["orders_get", "pets_adopt"], &["Order", "Pet"]),
        (&["pets_list", "orders_audit"], &["PetsListResponse"]),
    );
}

#[test]
fn all_features_compile_everything() {
    let everything = (
        &[
            "health",
            "pets_list",
            "pets_adopt",
            "orders_get",
            "orders_audit",
            "transport_ping",
        ][..],
        &[
            "Health",
            "PetsListResponse",
            "Order",
            "Problem",
            "AdoptionReport",
        ][..],
    );
    check("default", None, everything, (&[], &[]));
    let features = ["pets", "reqwest-2", "store-orders", "store-orders-2"];
    let dir = check("all", Some(&features), everything, (&[], &[]));
    let output = tests::cargo_generated(&dir, "clippy", &["--all-features"]);
    assert!(
        output.status.success(),
        "clippy warns with all features:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
