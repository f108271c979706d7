//! Clean `cargo build` and `cargo check` of a generated crate, with and without its dependencies,
//! and the crate alone built with only one tag's feature: the largest tag's, and the median
//! one's, which is what a user enabling one tag of many typically builds.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};

use super::{row, secs, thousands, Row};

pub(super) struct Compile {
    build: Duration,
    build_crate: Duration,
    check: Duration,
    check_crate: Duration,
    /// The tag features timed alone (the largest, then the median), each with what it is and
    /// the crate alone built with only it.
    one_tag: Vec<(OneTag, Duration)>,
}

impl Compile {
    pub(super) fn rows(&self, label: &str, lines: usize) -> Vec<Row> {
        let label = format!("{label} ({} lines)", thousands(lines));
        let one_tag = self.one_tag.iter().map(|(tag, build)| {
            let share = build.as_secs_f64() / self.build_crate.as_secs_f64();
            row(
                "compile",
                format!(
                    "{label}: `cargo build` of the crate alone with one tag (`{}`, {}, {} \
                     operations) / with all",
                    tag.feature, tag.which, tag.operations
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
    let mut one_tag = Vec::new();
    for tag in tags_to_time(&krate.tag_features) {
        time(&["clean", "-p", package], "target-build")?;
        let build = time(
            &["build", "--no-default-features", "--features", &tag.feature],
            "target-build",
        )?;
        one_tag.push((tag, build));
    }
    Ok(Compile {
        build,
        build_crate,
        check,
        check_crate,
        one_tag,
    })
}

/// A tag feature timed on its own.
#[derive(Debug, PartialEq)]
struct OneTag {
    feature: String,
    /// Which of the tags it is: "the most operations" or "the median".
    which: &'static str,
    /// How many operations it compiles.
    operations: usize,
}

/// The tag feature that compiles the most operations, and the median one when it is another: the
/// tags sorted by operations, most first and by name among ties, the first and the middle one
/// (the later of two middles). None for a crate with fewer than two tag features, where one tag
/// is the whole crate.
fn tags_to_time(tag_features: &[(String, usize)]) -> Vec<OneTag> {
    if tag_features.len() < 2 {
        return Vec::new();
    }
    let mut by_size: Vec<&(String, usize)> = tag_features.iter().collect();
    by_size.sort_by_key(|(name, count)| (std::cmp::Reverse(*count), name.clone()));
    let tag = |(name, count): &(String, usize), which| OneTag {
        feature: name.clone(),
        which,
        operations: *count,
    };
    let mut tags = vec![tag(by_size[0], "the most")];
    let median = by_size[by_size.len() / 2];
    if median.0 != by_size[0].0 {
        tags.push(tag(median, "the median"));
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::tags_to_time;

    fn features(tags: &[(&str, usize)]) -> Vec<(String, usize)> {
        tags.iter().map(|(n, c)| (n.to_string(), *c)).collect()
    }

    #[test]
    fn the_largest_and_the_median_tag_are_timed() {
        let tags = tags_to_time(&features(&[
            ("a", 3),
            ("b", 39),
            ("c", 5),
            ("d", 5),
            ("e", 1),
        ]));
        let names: Vec<(&str, &str, usize)> = tags
            .iter()
            .map(|t| (t.feature.as_str(), t.which, t.operations))
            .collect();
        assert_eq!(names, [("b", "the most", 39), ("d", "the median", 5)]);
        // Two tags: the later middle is the smaller one.
        let two = tags_to_time(&features(&[("a", 3), ("b", 4)]));
        assert_eq!(two.len(), 2);
        assert_eq!(two[1].feature, "a");
        // One tag is the whole crate.
        assert!(tags_to_time(&features(&[("a", 3)])).is_empty());
    }
}
