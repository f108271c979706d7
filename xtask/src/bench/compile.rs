//! Clean `cargo build` and `cargo check` of a generated crate, with and without its dependencies,
//! and the crate alone built with only its largest tag's feature.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};

use super::{row, secs, thousands, Row};

pub(super) struct Compile {
    build: Duration,
    build_crate: Duration,
    check: Duration,
    check_crate: Duration,
    /// The tag feature with the most operations, and the crate alone built with only it.
    one_tag: Option<(String, Duration)>,
}

impl Compile {
    pub(super) fn rows(&self, label: &str, lines: usize) -> Vec<Row> {
        let label = format!("{label} ({} lines)", thousands(lines));
        let one_tag = self.one_tag.iter().map(|(tag, build)| {
            let share = build.as_secs_f64() / self.build_crate.as_secs_f64();
            row(
                "compile",
                format!(
                    "{label}: `cargo build` of the crate alone with one tag (`{tag}`, the most \
                     operations) / with all"
                ),
                format!(
                    "{} / {} = {:.0}%",
                    secs(*build),
                    secs(self.build_crate),
                    share * 100.0
                ),
            )
            .target("<= 15%", share <= 0.15)
        });
        let mut rows = vec![
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
        ];
        rows.extend(one_tag);
        rows
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
    let one_tag = match largest_tag(krate) {
        Some(tag) => {
            time(&["clean", "-p", package], "target-build")?;
            let build = time(
                &["build", "--no-default-features", "--features", &tag],
                "target-build",
            )?;
            Some((tag, build))
        }
        None => None,
    };
    Ok(Compile {
        build,
        build_crate,
        check,
        check_crate,
        one_tag,
    })
}

/// The tag feature that compiles the most operations (the first by name of those tied). `None`
/// for a crate with fewer than two tag features, where one tag is the whole crate.
fn largest_tag(krate: &codegen::GeneratedCrate) -> Option<String> {
    if krate.tag_features.len() < 2 {
        return None;
    }
    krate
        .tag_features
        .iter()
        .max_by_key(|(name, count)| (*count, std::cmp::Reverse(name)))
        .map(|(name, _)| name.clone())
}
