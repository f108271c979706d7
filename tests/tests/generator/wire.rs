//! The bytes generated code puts on the wire: for each fixture with a driver in
//! `tests/wire/<fixture>.rs`, the fixture's crate is generated, the driver is added as its
//! integration test, and `cargo test` runs it with warnings denied. The drivers build requests
//! through the generated `request` functions and compare them with the OpenAPI style tables
//! and with what a real multipart parser (multer, through `tests::parse_multipart`) reads back,
//! and map responses through the generated `response` functions. The drivers' crates use the
//! tests crate without its `kit` feature, so they build neither the generator nor the DevRev
//! client.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

#[test]
fn generated_code_puts_the_documented_bytes_on_the_wire() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut drivers: Vec<_> = fs::read_dir(crate_dir.join("wire"))
        .expect("tests/wire exists")
        .map(|entry| entry.expect("a readable entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .collect();
    drivers.sort();
    assert!(!drivers.is_empty(), "no drivers in tests/wire");
    let tests_crate = crate_dir.display().to_string().replace('\\', "/");
    let mut members: Vec<(String, BTreeMap<String, String>)> = Vec::new();
    for driver in drivers {
        let stem = driver
            .file_stem()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        assert!(
            tests::generate::fixture_path(&stem).exists(),
            "driver {stem}.rs has no fixture tests/fixtures/{stem}.yaml"
        );
        let package = format!("fixture-{stem}");
        let mut files = tests::generate_fixture(&stem).files;
        let manifest = files.get_mut("Cargo.toml").expect("a manifest");
        // The driver's one dependency joins the crate's own dev-dependencies (its examples').
        let dependency =
            format!("tests = {{ path = {tests_crate:?}, default-features = false }}\n");
        *manifest = match manifest.split_once("\n[dev-dependencies]\n") {
            Some((before, after)) => format!("{before}\n[dev-dependencies]\n{dependency}{after}"),
            None => format!("{manifest}\n[dev-dependencies]\n{dependency}"),
        };
        let driver_text = fs::read_to_string(&driver).expect("the driver is readable");
        files.insert("tests/wire.rs".to_owned(), driver_text);
        members.push((package, files));
    }
    let members: Vec<(String, &BTreeMap<String, String>)> = members
        .iter()
        .map(|(name, files)| (name.clone(), files))
        .collect();
    let dir = tests::generated_workspace("wire", &members);
    let output = tests::cargo_generated(&dir, "test", &["--no-fail-fast"]);
    assert!(
        output.status.success(),
        "the wire drivers fail ({})\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
}
