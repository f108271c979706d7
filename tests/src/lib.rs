//! Helpers shared by the integration tests in `tests/tests/`: the workspace root, a future
//! runner for in-memory transports, a temporary directory that cleans up after itself, and a
//! reader of whole directory trees.

use std::collections::BTreeMap;
use std::future::Future;
use std::path::{Path, PathBuf};

/// The workspace root (the parent of this crate).
pub fn workspace() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate lives in the workspace")
}

/// Runs `future` to completion on a current-thread tokio runtime, which the reqwest transport
/// needs for its sockets and timers; in-memory transports run on it just as well.
pub fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(future)
}

/// A directory that is removed when dropped, also when the test fails.
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// A new empty directory under the system's temporary directory.
    pub fn new(prefix: &str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let path = std::env::temp_dir().join(format!("{prefix}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", path.display()));
        Self(path)
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Every file under `dir`, by its path relative to `dir` with `/`, except under the top-level
/// directories named in `skip` (such as `target`).
pub fn read_tree(dir: &Path, skip: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let entries = std::fs::read_dir(&current)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", current.display()));
        for entry in entries {
            let path = entry.expect("a readable directory entry").path();
            let relative = path
                .strip_prefix(dir)
                .expect("listed under dir")
                .to_string_lossy()
                .replace('\\', "/");
            if path.is_dir() {
                if !skip.contains(&relative.as_str()) {
                    stack.push(path);
                }
            } else {
                let bytes = std::fs::read(&path)
                    .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
                files.insert(relative, bytes);
            }
        }
    }
    files
}
