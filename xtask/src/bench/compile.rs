//! Clean `cargo build` and `cargo check` of a generated crate, with and without its dependencies.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};

use super::{row, secs, thousands, Row};

pub(super) struct Compile {
    build: Duration,
    build_crate: Duration,
    check: Duration,
    check_crate: Duration,
}

impl Compile {
    pub(super) fn rows(&self, label: &str, lines: usize) -> Vec<Row> {
        let label = format!("{label} ({} lines)", thousands(lines));
        vec![
            row(
                "compile",
                format!("{label}: clean `cargo build` (with deps / crate only)"),
                format!("{} / {}", secs(self.build), secs(self.build_crate)),
            ),
            row(
                "compile",
                format!("{label}: clean `cargo check` (with deps / crate only)"),
                format!("{} / {}", secs(self.check), secs(self.check_crate)),
            ),
        ]
    }
}

/// Builds and checks a copy of `krate` from clean, each with its own target directory and the
/// workspace's lock file, offline; then again after `cargo clean -p` of the crate alone, which
/// keeps the dependencies and so times the generated code itself.
pub(super) fn compile(
    root: &Path,
    krate: &codegen::GeneratedCrate,
    package: &str,
    dir: &Path,
) -> Result<Compile> {
    let crate_dir = dir.join("crate");
    krate.write(&crate_dir)?;
    // An empty workspace table keeps cargo from looking for a workspace above the copy.
    let manifest = crate_dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest)?;
    std::fs::write(&manifest, format!("{text}\n[workspace]\n"))?;
    std::fs::copy(root.join("Cargo.lock"), crate_dir.join("Cargo.lock"))?;
    let time = |args: &[&str], target: &str| -> Result<Duration> {
        let started = Instant::now();
        let output = crate::cargo()
            .current_dir(&crate_dir)
            .args(args)
            .args(["--offline", "--quiet"])
            .env("CARGO_TARGET_DIR", dir.join(target))
            .output()?;
        if !output.status.success() {
            bail!(
                "cargo {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        Ok(started.elapsed())
    };
    let mut figures = [Duration::ZERO; 4];
    for (i, (command, target)) in [("build", "target-build"), ("check", "target-check")]
        .into_iter()
        .enumerate()
    {
        figures[2 * i] = time(&[command], target)?;
        time(&["clean", "-p", package], target)?;
        figures[2 * i + 1] = time(&[command], target)?;
    }
    let [build, build_crate, check, check_crate] = figures;
    Ok(Compile {
        build,
        build_crate,
        check,
        check_crate,
    })
}
