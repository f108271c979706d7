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

/// Where this workspace's build output goes, honouring `CARGO_TARGET_DIR`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => workspace().join(dir),
        None => workspace().join("target"),
    }
}

/// Writes a workspace of generated crates to compile: each member's files under a fixed
/// directory of the target directory (emptied first), with this workspace's lock file, which
/// pins the dependency versions and lets `--offline` resolve. Fixed paths let cargo reuse what
/// a previous run built instead of adding a copy per run.
pub fn generated_workspace(name: &str, members: &[(String, &BTreeMap<String, String>)]) -> PathBuf {
    let dir = target_dir().join("generated-workspaces").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    for (member, files) in members {
        for (file, text) in *files {
            let path = dir.join(member).join(file);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .unwrap_or_else(|e| panic!("cannot create {}: {e}", parent.display()));
            }
            std::fs::write(&path, text)
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        }
    }
    let listed: Vec<String> = members.iter().map(|(m, _)| format!("{m:?}")).collect();
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        listed.join(", ")
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("the manifest is written");
    std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock"))
        .expect("the workspace has a Cargo.lock");
    dir
}

/// Runs `cargo <subcommand> --offline --workspace <args>` in a generated workspace with
/// warnings denied, in one target directory shared by every such check, so the generated
/// crates' dependencies build once.
pub fn cargo_generated(dir: &Path, subcommand: &str, args: &[&str]) -> std::process::Output {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    std::process::Command::new(cargo)
        .args([subcommand, "--offline", "--workspace"])
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir().join("generated-crates"))
        .env("RUSTFLAGS", "-Dwarnings")
        .env("RUSTDOCFLAGS", "-Dwarnings")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("cargo runs")
}

/// One part of a `multipart/form-data` body, as a real parser (multer) reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedPart {
    /// The part's `name`.
    pub name: Option<String>,
    /// The part's `filename`.
    pub file_name: Option<String>,
    /// The part's `Content-Type`.
    pub content_type: Option<String>,
    /// The part's contents.
    pub bytes: Vec<u8>,
}

/// Parses a multipart body with multer, given the request's `Content-Type` (which names the
/// boundary); panics, naming the problem, on a body multer refuses.
pub fn parse_multipart(content_type: &str, body: Vec<u8>) -> Vec<ParsedPart> {
    let boundary = multer::parse_boundary(content_type)
        .unwrap_or_else(|e| panic!("no boundary in {content_type:?}: {e}"));
    let stream = futures_util::stream::once(async move {
        Ok::<_, std::convert::Infallible>(bytes::Bytes::from(body))
    });
    let mut multipart = multer::Multipart::new(stream, boundary);
    block_on(async move {
        let mut parts = Vec::new();
        while let Some(field) = multipart
            .next_field()
            .await
            .unwrap_or_else(|e| panic!("multer refuses the body: {e}"))
        {
            let name = field.name().map(str::to_owned);
            let file_name = field.file_name().map(str::to_owned);
            let content_type = field.content_type().map(|m| m.to_string());
            let bytes = field
                .bytes()
                .await
                .unwrap_or_else(|e| panic!("multer cannot read a part: {e}"));
            parts.push(ParsedPart {
                name,
                file_name,
                content_type,
                bytes: bytes.to_vec(),
            });
        }
        parts
    })
}

/// The repository README's Rust blocks, compiled (and run, unless `no_run`) as this crate's
/// doctests, against the generated crate of `spec/`.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
