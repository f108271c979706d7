//! The output swap survives a writer killed at any point: the output directory always holds
//! exactly the old tree or the new one, never neither, never a mix, and its `target/` is never
//! lost.
//!
//! The writer is this test binary run again (`writer_process`, ignored unless asked for), which
//! writes two generated trees into one directory in turn, as fast as it can, through
//! `GeneratedCrate::write`; the test kills it with SIGKILL after a random short delay, many
//! times, and looks at what it left.

use std::collections::BTreeMap;
use std::hash::{BuildHasher, Hasher};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use codegen::{GeneratedCrate, Selection};

/// The environment variable that makes `writer_process` write, naming the work directory.
const WRITER: &str = "ATOMIC_SWAP_WRITER";
const KILLS: usize = 400;
/// Kills land within this many writes' time after the writer's first write, so they fall all
/// over several writes however fast the machine is.
const WRITES_SPANNED: u32 = 2;
const KEPT_MARKER: &str = "target/marker";

/// Two trees that differ in several files: the fragment with both its operations, and with one.
fn trees() -> [BTreeMap<String, String>; 2] {
    let spec = "spec/rev-users-scan.yaml";
    let text = std::fs::read_to_string(tests::workspace().join(spec)).expect("the fragment");
    let input = codegen::Input {
        spec_path: spec,
        text: &text,
        package: "devrev-client",
    };
    let generate = |operations: &[&str]| {
        let mut selection = Selection::all();
        operations.iter().for_each(|id| selection.add(id));
        codegen::generate_selected(&input, &selection, None)
            .expect("the fragment generates")
            .0
            .files
    };
    [generate(&[]), generate(&["rev-users-scan"])]
}

fn krate(files: BTreeMap<String, String>) -> GeneratedCrate {
    GeneratedCrate {
        files,
        warnings: Vec::new(),
        operations: 0,
        tag_features: Vec::new(),
        left_out: Vec::new(),
    }
}

fn save(dir: &Path, files: &BTreeMap<String, String>) {
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("a directory");
        std::fs::write(path, text).expect("a file");
    }
}

fn load(dir: &Path) -> BTreeMap<String, String> {
    tests::read_tree(dir, &[])
        .into_iter()
        .map(|(path, bytes)| (path, String::from_utf8(bytes).expect("UTF-8")))
        .collect()
}

/// A random number from the standard library's hasher keys, enough to spread the kills.
fn random(bound: u64) -> u64 {
    std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish()
        % bound
}

/// The writer: writes `a/` and `b/` of the work directory into `out/` in turn until killed
/// (or 100,000 writes), saying `ready` after the first.
#[test]
#[ignore = "the writer process of `a_killed_writer_leaves_the_old_or_the_new_tree`"]
fn writer_process() {
    let work = std::path::PathBuf::from(std::env::var_os(WRITER).expect("run by the kill test"));
    let trees = [krate(load(&work.join("a"))), krate(load(&work.join("b")))];
    let out = work.join("out");
    for i in 0..100_000 {
        trees[i % 2].write(&out).expect("the write succeeds");
        if i == 0 {
            println!("ready");
        }
    }
}

#[test]
fn a_killed_writer_leaves_the_old_or_the_new_tree() {
    let work = tests::TempDir::new("atomic-swap");
    let [a, b] = trees();
    assert_ne!(a, b, "the two trees differ");
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "the same files, so a mixed tree would be found by contents"
    );
    save(&work.path().join("a"), &a);
    save(&work.path().join("b"), &b);
    let out = work.path().join("out");
    krate(a.clone()).write(&out).expect("the first write");
    let started = Instant::now();
    krate(b.clone()).write(&out).expect("a write");
    krate(a.clone()).write(&out).expect("a write back");
    let max_delay = (started.elapsed() / 2 * WRITES_SPANNED).as_micros().max(1) as u64;
    save(
        &out,
        &BTreeMap::from([(KEPT_MARKER.to_owned(), "kept".to_owned())]),
    );
    let staging = work.path().join(".out.staging");
    let old = work.path().join(".out.old");
    let mut seen = [0; 2];
    for kill in 0..KILLS {
        let mut child = Command::new(std::env::current_exe().expect("this test binary"))
            .args([
                "writer_process",
                "--exact",
                "--ignored",
                "--nocapture",
                "--quiet",
            ])
            .env(WRITER, work.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the writer starts");
        // The test harness prints its own lines first.
        let ready = BufReader::new(child.stdout.as_mut().expect("piped"))
            .lines()
            .map(|line| line.expect("the writer's output"))
            .any(|line| line == "ready");
        assert!(
            ready,
            "kill {kill}: the writer ended before its first write"
        );
        std::thread::sleep(Duration::from_micros(random(max_delay)));
        child.kill().expect("SIGKILL");
        child.wait().expect("the writer is reaped");

        assert!(out.is_dir(), "kill {kill}: the output directory is missing");
        let found = tests::read_tree(&out, &["target"]);
        let found: BTreeMap<String, String> = found
            .into_iter()
            .map(|(path, bytes)| (path, String::from_utf8(bytes).expect("UTF-8")))
            .collect();
        let which = [&a, &b].iter().position(|tree| **tree == found);
        let Some(which) = which else {
            let differs: Vec<&String> = a
                .keys()
                .filter(|path| found.get(*path) != a.get(*path) && found.get(*path) != b.get(*path))
                .collect();
            panic!("kill {kill}: the output is neither tree; files of neither: {differs:?}");
        };
        seen[which] += 1;
        // `target/` is in the output or, when the kill fell between the swap and taking it
        // back, in the leftover staging directory, which the next write reclaims it from.
        let kept = [&out, &staging, &old]
            .iter()
            .filter(|dir| dir.join(KEPT_MARKER).is_file())
            .count();
        assert_eq!(kept, 1, "kill {kill}: target/ is lost or doubled");
    }
    // The kills fell at different points: both trees were found.
    assert!(seen[0] > 0 && seen[1] > 0, "found each tree {seen:?} times");
    krate(b.clone())
        .write(&out)
        .expect("a write after the kills");
    krate(a.clone()).write(&out).expect("and another");
    assert!(krate(a).check(&out).expect("readable").is_empty());
    assert_eq!(
        std::fs::read_to_string(out.join(KEPT_MARKER)).expect("target/ is back"),
        "kept"
    );
    assert!(
        !staging.exists() && !old.exists(),
        "nothing left beside the output"
    );
}
