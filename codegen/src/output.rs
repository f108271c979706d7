//! The set of generated files, writing them, and comparing them with a directory.
//!
//! Writing is all or nothing: the new tree is staged beside the output directory (unchanged
//! files hard-linked, so their timestamps and cargo's fingerprints survive) and swapped in, on
//! Linux by exchanging the two directories in one call, so even a writer killed at any point
//! leaves the old tree or the new one. A failure before the swap leaves the directory as it was.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::ir::{LeftOut, LeftOutKind};

/// Directories in the output that are not ours and that writing keeps.
const KEPT: &[&str] = &["target"];

/// A generated crate: relative path (with `/`) to contents, and what the spec describes that
/// the crate leaves out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedCrate {
    /// The files, by relative path.
    pub files: BTreeMap<String, String>,
    /// The warnings about what was left out or typed loosely, and the notes about what is
    /// deliberately ignored (such as `webhooks`), in document order.
    pub warnings: Vec<Diagnostic>,
    /// How many operations the crate has.
    pub operations: usize,
    /// Each tag's cargo feature, with how many operations it compiles, in manifest order.
    pub tag_features: Vec<(String, usize)>,
    /// What was left out or typed loosely.
    pub left_out: Vec<LeftOut>,
}

/// How a directory differs from what would be generated.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Drift {
    /// Files whose contents differ.
    pub changed: Vec<String>,
    /// Files that would be generated but are not there.
    pub missing: Vec<String>,
    /// Files that are there but would not be generated.
    pub extra: Vec<String>,
}

impl Drift {
    /// Whether the directory is exactly what would be generated.
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }
}

/// What writing did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files written anew or changed.
    pub written: Vec<String>,
    /// Files left as they were.
    pub unchanged: usize,
    /// Stale files removed.
    pub removed: Vec<String>,
    /// Every file the directory held before, as it was: what the public API is compared with.
    pub previous: BTreeMap<String, Vec<u8>>,
}

impl GeneratedCrate {
    /// This crate if nothing was left out or typed loosely; otherwise every warning, as an
    /// error.
    pub fn strict(self) -> Result<Self, crate::Error> {
        if !self
            .warnings
            .iter()
            .any(|d| d.severity == Severity::Warning)
        {
            return Ok(self);
        }
        let errors = self
            .warnings
            .into_iter()
            .filter(|warning| warning.severity == Severity::Warning)
            .map(|warning| Diagnostic {
                severity: Severity::Error,
                ..warning
            })
            .collect();
        Err(crate::Error::Spec(Diagnostics(errors)))
    }

    /// One line per kind of what was generated and left out, the causes counted, most common
    /// first: `generated 381 of 396 operations; left out 15: 15 query parameter ...`.
    pub fn summary(&self) -> String {
        let mut operations = BTreeMap::<&str, usize>::new();
        let mut schemas = BTreeMap::<&str, usize>::new();
        for left in &self.left_out {
            let counts = match left.kind {
                LeftOutKind::Operation(_) => &mut operations,
                LeftOutKind::Schema => &mut schemas,
            };
            *counts.entry(&left.reason).or_default() += 1;
        }
        let skipped: usize = operations.values().sum();
        let mut text = format!(
            "generated {} of {} operations",
            self.operations,
            self.operations + skipped
        );
        for (what, counts) in [
            ("operations left out", operations),
            ("schemas typed as serde_json::Value", schemas),
        ] {
            let total: usize = counts.values().sum();
            if total == 0 {
                continue;
            }
            let mut causes: Vec<(&str, usize)> = counts.into_iter().collect();
            causes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            text.push_str(&format!("\n{total} {what}, by cause:"));
            for (cause, n) in causes {
                text.push_str(&format!("\n  {n:>5}  {cause}"));
            }
        }
        text
    }

    /// Compares `dir` with these files, ignoring kept directories such as `target/`.
    pub fn check(&self, dir: &Path) -> io::Result<Drift> {
        Ok(self.drift(&read_files(dir)?))
    }

    /// How `existing` (a directory's files, as [`read_files`] gives them) differs from these.
    fn drift(&self, existing: &BTreeMap<String, Vec<u8>>) -> Drift {
        let mut drift = Drift::default();
        for (path, contents) in &self.files {
            match existing.get(path) {
                Some(bytes) if bytes == contents.as_bytes() => {}
                Some(_) => drift.changed.push(path.clone()),
                None => drift.missing.push(path.clone()),
            }
        }
        drift.extra = existing
            .keys()
            .filter(|p| !self.files.contains_key(*p))
            .cloned()
            .collect();
        drift
    }

    /// Makes `dir` hold exactly these files (plus kept directories), all or nothing.
    pub fn write(&self, dir: &Path) -> io::Result<WriteReport> {
        let previous = read_files(dir)?;
        let drift = self.drift(&previous);
        let mut report = WriteReport {
            written: drift
                .changed
                .iter()
                .chain(&drift.missing)
                .cloned()
                .collect(),
            unchanged: self.files.len() - drift.changed.len() - drift.missing.len(),
            removed: drift.extra.clone(),
            previous,
        };
        report.written.sort();
        if drift.is_empty() {
            return Ok(report);
        }
        let staging = sibling(dir, "staging")?;
        let result = self.stage(dir, &staging, &drift);
        if let Err(err) = result {
            let _ = fs::remove_dir_all(&staging);
            return Err(err);
        }
        swap(dir, &staging)?;
        Ok(report)
    }

    /// Builds the complete new tree in `staging`.
    fn stage(&self, dir: &Path, staging: &Path, drift: &Drift) -> io::Result<()> {
        if staging.exists() {
            reclaim_kept(staging, dir)?;
            fs::remove_dir_all(staging)?;
        }
        fs::create_dir_all(staging)?;
        for (path, contents) in &self.files {
            let target = staging.join(path);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent)?;
            }
            let unchanged = !drift.changed.contains(path) && !drift.missing.contains(path);
            if unchanged && fs::hard_link(dir.join(path), &target).is_ok() {
                continue;
            }
            fs::write(&target, contents)?;
        }
        Ok(())
    }
}

/// Every file below `dir` (skipping kept directories) by relative `/` path; empty when `dir`
/// does not exist.
pub fn read_files(dir: &Path) -> io::Result<BTreeMap<String, Vec<u8>>> {
    list_files(dir)?
        .into_iter()
        .map(|path| {
            let bytes = fs::read(dir.join(&path))?;
            Ok((path, bytes))
        })
        .collect()
}

/// `files` as text, for the API comparison. A file that is not UTF-8 is read lossily: no
/// generated file is one.
pub fn texts(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, String> {
    files
        .iter()
        .map(|(path, bytes)| (path.clone(), String::from_utf8_lossy(bytes).into_owned()))
        .collect()
}

/// `dir`'s sibling `.name.suffix`, on the same file system so renames are atomic.
fn sibling(dir: &Path, suffix: &str) -> io::Result<PathBuf> {
    let name = dir.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "the output directory has no name",
        )
    })?;
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Ok(parent.join(format!(".{}.{suffix}", name.to_string_lossy())))
}

/// Puts `staging` in place of `dir`, with `dir`'s kept directories. On Linux the two trees trade
/// places in one `renameat2(RENAME_EXCHANGE)`, so at every instant `dir` holds the old tree or
/// the new one; where the system or the file system cannot exchange, two renames, between
/// which `dir` is briefly missing.
fn swap(dir: &Path, staging: &Path) -> io::Result<()> {
    if !dir.exists() {
        if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent)?;
        }
        return fs::rename(staging, dir);
    }
    if !exchange(staging, dir)? {
        return swap_by_renames(dir, staging);
    }
    // `staging` now holds the old tree: take the kept directories back from it.
    reclaim_kept(staging, dir)?;
    fs::remove_dir_all(staging)
}

/// Exchanges the directories `a` and `b` atomically; false when the system or the file system
/// cannot (`EINVAL`, `ENOSYS`), having changed nothing.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(Errno::INVAL | Errno::NOSYS) => Ok(false),
        Err(err) => Err(err.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<bool> {
    Ok(false)
}

/// Moves kept directories into `staging`, then `dir` aside and `staging` in its place.
fn swap_by_renames(dir: &Path, staging: &Path) -> io::Result<()> {
    let old = sibling(dir, "old")?;
    if old.exists() {
        fs::remove_dir_all(&old)?;
    }
    for kept in KEPT {
        if dir.join(kept).exists() {
            fs::rename(dir.join(kept), staging.join(kept))?;
        }
    }
    fs::rename(dir, &old)?;
    if let Err(err) = fs::rename(staging, dir) {
        // Put the old tree back rather than leave nothing.
        let _ = fs::rename(&old, dir);
        return Err(err);
    }
    fs::remove_dir_all(&old)
}

/// Moves the kept directories found in `from` into `dir` where `dir` has none. A staging tree
/// is built from generated files only, so a kept directory in one was `dir`'s, left there by a
/// write that stopped between the swap and this step (or, with renames, before the swap).
fn reclaim_kept(from: &Path, dir: &Path) -> io::Result<()> {
    for kept in KEPT {
        if from.join(kept).exists() && !dir.join(kept).exists() {
            fs::rename(from.join(kept), dir.join(kept))?;
        }
    }
    Ok(())
}

/// Every file below `dir` as a relative `/` path, skipping kept directories.
fn list_files(dir: &Path) -> io::Result<Vec<String>> {
    let mut out = Vec::new();
    if dir.exists() {
        walk(dir, "", &mut out)?;
    }
    out.sort();
    Ok(out)
}

fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let relative = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        if entry.file_type()?.is_dir() {
            if prefix.is_empty() && KEPT.contains(&name.as_str()) {
                continue;
            }
            walk(&entry.path(), &relative, out)?;
        } else {
            out.push(relative);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crate_of(files: &[(&str, &str)]) -> GeneratedCrate {
        GeneratedCrate {
            warnings: Vec::new(),
            operations: 0,
            tag_features: Vec::new(),
            left_out: Vec::new(),
            files: files
                .iter()
                .map(|(p, c)| ((*p).to_owned(), (*c).to_owned()))
                .collect(),
        }
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("output-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn leftovers(parent: &Path) -> Vec<String> {
        fs::read_dir(parent)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".staging") || n.ends_with(".old"))
            .collect()
    }

    #[test]
    fn writes_a_new_tree_and_leaves_nothing_behind() {
        let parent = scratch("new");
        let out = parent.join("out");
        let generated = crate_of(&[("Cargo.toml", "a"), ("src/lib.rs", "b")]);
        let report = generated.write(&out).unwrap();
        assert_eq!(report.written, ["Cargo.toml", "src/lib.rs"]);
        assert!(generated.check(&out).unwrap().is_empty());
        assert!(leftovers(&parent).is_empty());
        fs::remove_dir_all(parent).unwrap();
    }

    #[test]
    fn rewriting_keeps_unchanged_files_and_target_and_drops_stale_ones() {
        let parent = scratch("rewrite");
        let out = parent.join("out");
        crate_of(&[
            ("Cargo.toml", "a"),
            ("src/lib.rs", "b"),
            ("src/old.rs", "c"),
        ])
        .write(&out)
        .unwrap();
        fs::create_dir_all(out.join("target")).unwrap();
        fs::write(out.join("target/build-artifact"), "keep").unwrap();
        #[cfg(unix)]
        let inode = {
            use std::os::unix::fs::MetadataExt;
            fs::metadata(out.join("Cargo.toml")).unwrap().ino()
        };
        let next = crate_of(&[("Cargo.toml", "a"), ("src/lib.rs", "changed")]);
        let report = next.write(&out).unwrap();
        assert_eq!(report.written, ["src/lib.rs"]);
        assert_eq!(report.removed, ["src/old.rs"]);
        assert_eq!(report.unchanged, 1);
        // What was there before, for the API comparison, without the kept directory.
        let previous: Vec<(&str, &[u8])> = report
            .previous
            .iter()
            .map(|(path, bytes)| (path.as_str(), bytes.as_slice()))
            .collect();
        assert_eq!(
            previous,
            [
                ("Cargo.toml", &b"a"[..]),
                ("src/lib.rs", b"b"),
                ("src/old.rs", b"c")
            ]
        );
        assert!(next.check(&out).unwrap().is_empty());
        assert_eq!(
            fs::read_to_string(out.join("target/build-artifact")).unwrap(),
            "keep"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let after = fs::metadata(out.join("Cargo.toml")).unwrap().ino();
            assert_eq!(
                inode, after,
                "an unchanged file is the same file, so cargo keeps its fingerprint"
            );
        }
        assert!(leftovers(&parent).is_empty());
        fs::remove_dir_all(parent).unwrap();
    }

    #[test]
    fn a_failure_before_the_swap_leaves_the_directory_as_it_was() {
        let parent = scratch("fail");
        let out = parent.join("out");
        let old = crate_of(&[("Cargo.toml", "old"), ("src/lib.rs", "old")]);
        old.write(&out).unwrap();
        // A file where the staging directory must go makes staging fail.
        fs::write(parent.join(".out.staging"), "in the way").unwrap();
        let new = crate_of(&[("Cargo.toml", "new"), ("src/lib.rs", "new")]);
        assert!(new.write(&out).is_err());
        assert!(
            old.check(&out).unwrap().is_empty(),
            "the old tree is untouched"
        );
        fs::remove_dir_all(parent).unwrap();
    }

    #[test]
    fn the_fallback_renames_swap_in_the_new_tree_and_keep_target() {
        let parent = scratch("renames");
        let out = parent.join("out");
        crate_of(&[("a.rs", "old")]).write(&out).unwrap();
        fs::create_dir_all(out.join("target")).unwrap();
        let new = crate_of(&[("a.rs", "new"), ("b.rs", "new")]);
        let staging = sibling(&out, "staging").unwrap();
        new.stage(&out, &staging, &new.check(&out).unwrap())
            .unwrap();
        swap_by_renames(&out, &staging).unwrap();
        assert!(new.check(&out).unwrap().is_empty());
        assert!(out.join("target").is_dir());
        assert!(leftovers(&parent).is_empty());
        fs::remove_dir_all(parent).unwrap();
    }

    #[test]
    fn check_lists_changed_missing_and_extra_files() {
        let parent = scratch("check");
        let out = parent.join("out");
        crate_of(&[("a.rs", "1"), ("b.rs", "2"), ("c.rs", "3")])
            .write(&out)
            .unwrap();
        let drift = crate_of(&[("a.rs", "1"), ("b.rs", "changed"), ("d.rs", "4")])
            .check(&out)
            .unwrap();
        assert_eq!(drift.changed, ["b.rs"]);
        assert_eq!(drift.missing, ["d.rs"]);
        assert_eq!(drift.extra, ["c.rs"]);
        // Bytes are compared, so a file that is not UTF-8 differs even from the text its lossy
        // reading gives.
        fs::write(out.join("a.rs"), b"\xff").unwrap();
        let drift = crate_of(&[("a.rs", "\u{fffd}"), ("b.rs", "2"), ("c.rs", "3")])
            .check(&out)
            .unwrap();
        assert_eq!(drift.changed, ["a.rs"]);
        fs::remove_dir_all(parent).unwrap();
    }
}
