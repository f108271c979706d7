//! The support kit of the integration tests in `tests/tests/`: one loopback HTTP server that
//! plays scripted faults ([`server`]), one scripted in-memory transport ([`scripted`]), one way
//! to generate a crate ([`generate`]), DevRev's documented example bodies ([`documented`]), and
//! the plumbing: the workspace root, a future runner, a temporary directory that cleans up after
//! itself, a reader of whole directory trees, workspaces of generated crates to compile, and a
//! multipart parser.
//!
//! Everything but the plumbing needs the `kit` feature (on by default): the wire drivers'
//! generated crates use this crate for [`parse_multipart`] alone.

#[cfg(feature = "kit")]
pub mod generate;
#[cfg(feature = "kit")]
pub mod scripted;
#[cfg(feature = "kit")]
pub mod server;

#[cfg(feature = "kit")]
pub use generate::{generate, generate_fixture, generate_fragment, generate_selected};
#[cfg(feature = "kit")]
pub use scripted::{Scripted, Step};
#[cfg(feature = "kit")]
pub use server::{closed_port, Reply, Seen, Server};

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

/// The statuses of `POST /rev-users.scan`, in the order its reference page lists their example
/// bodies.
#[cfg(feature = "kit")]
pub const DOCUMENTED_STATUSES: [u16; 8] = [200, 400, 401, 403, 404, 429, 500, 503];

/// The example body DevRev's reference page of `POST /rev-users.scan` documents for `status`,
/// byte for byte: the JSON texts after the curl line of `../shared/seed/rev-users-scan-doc.txt`,
/// in [`DOCUMENTED_STATUSES`] order.
#[cfg(feature = "kit")]
pub fn documented(status: u16) -> &'static str {
    const SEED: &str = "../shared/seed/rev-users-scan-doc.txt";
    static BODIES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let bodies = BODIES.get_or_init(|| {
        let text = std::fs::read_to_string(workspace().join(SEED))
            .unwrap_or_else(|e| panic!("{SEED}: {e}"));
        let start = text.find("\n{").expect("the seed document has JSON bodies") + 1;
        let json = &text[start..];
        let mut stream = serde_json::Deserializer::from_str(json).into_iter::<serde_json::Value>();
        let mut bodies = Vec::new();
        let mut from = 0;
        while let Some(next) = stream.next() {
            next.unwrap_or_else(|e| panic!("{SEED}: a body is not JSON: {e}"));
            let to = stream.byte_offset();
            bodies.push(json[from..to].trim().to_owned());
            from = to;
        }
        assert_eq!(
            bodies.len(),
            DOCUMENTED_STATUSES.len(),
            "one body per status"
        );
        bodies
    });
    let index = DOCUMENTED_STATUSES
        .iter()
        .position(|s| *s == status)
        .unwrap_or_else(|| panic!("{status} has no documented body"));
    &bodies[index]
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
