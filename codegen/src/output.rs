//! The set of generated files, writing them, and comparing them with a directory.
//!
//! Writing is all or nothing: the new tree is staged beside the output directory (unchanged
//! files hard-linked, so their timestamps and cargo's fingerprints survive) and swapped in by
//! renames. A failure before the swap leaves the directory as it was.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Directories in the output that are not ours and that writing keeps.
const KEPT: &[&str] = &["target"];

/// A generated crate: relative path (with `/`) to contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedCrate {
    /// The files, by relative path.
    pub files: BTreeMap<String, String>,
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
}

impl GeneratedCrate {
    /// Compares `dir` with these files, ignoring kept directories such as `target/`.
    pub fn check(&self, dir: &Path) -> io::Result<Drift> {
        let existing = list_files(dir)?;
        let mut drift = Drift::default();
        for (path, contents) in &self.files {
            match fs::read(dir.join(path)) {
                Ok(bytes) if bytes == contents.as_bytes() => {}
                Ok(_) => drift.changed.push(path.clone()),
                Err(err) if err.kind() == io::ErrorKind::NotFound => {
                    drift.missing.push(path.clone())
                }
                Err(err) => return Err(err),
            }
        }
        drift.extra = existing
            .into_iter()
            .filter(|p| !self.files.contains_key(p))
            .collect();
        Ok(drift)
    }

    /// Makes `dir` hold exactly these files (plus kept directories), all or nothing.
    pub fn write(&self, dir: &Path) -> io::Result<WriteReport> {
        let drift = if dir.exists() {
            self.check(dir)?
        } else {
            Drift {
                missing: self.files.keys().cloned().collect(),
                ..Drift::default()
            }
        };
        let mut report = WriteReport {
            written: drift
                .changed
                .iter()
                .chain(&drift.missing)
                .cloned()
                .collect(),
            unchanged: self.files.len() - drift.changed.len() - drift.missing.len(),
            removed: drift.extra.clone(),
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

/// Moves kept directories into `staging`, then puts `staging` in place of `dir`.
fn swap(dir: &Path, staging: &Path) -> io::Result<()> {
    if !dir.exists() {
        if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent)?;
        }
        return fs::rename(staging, dir);
    }
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
