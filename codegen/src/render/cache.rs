//! A cache of formatted files, so that regenerating emits and formats only the files whose IR
//! changed.
//!
//! Emitting and formatting are most of generation's time: prettyplease needs a `syn` tree, so
//! every file's tokens are parsed again. A file's text depends only on the IR it is emitted
//! from (its [`key`](crate::emit::File::key)), the header's spec path and the generator itself,
//! so each entry records the first two whole and compares them byte for byte (no hash stands
//! in for them, so no collision can give a wrong file), and the cache is tied to a stamp naming
//! the caller's build of the generator. A different stamp, an unreadable or malformed entry, or
//! any I/O error is a miss; writing is best effort. Entries are written to a temporary name and
//! renamed, so a reader never sees half of one.

use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The first line of every entry: bumped if the layout changes.
const MAGIC: &str = "codegen format cache 2";

/// Formatted files kept in a directory between runs.
#[derive(Debug, Clone)]
pub struct FormatCache {
    /// This build's subdirectory of the cache directory.
    dir: PathBuf,
    stamp: String,
}

impl FormatCache {
    /// A cache in `dir`, created when first written. `stamp` names the build of the generator
    /// (for example its executable's size and modification time): entries made under any other
    /// stamp are not used. Each build keeps its entries in a subdirectory of its own.
    pub fn new(dir: impl Into<PathBuf>, stamp: &str) -> Self {
        Self {
            dir: dir.into().join(format!("{:016x}", hash(stamp))),
            // One line in the entry's header.
            stamp: stamp.replace(['\n', '\r'], " "),
        }
    }

    /// Removes the subdirectories other builds of the generator left in the cache directory,
    /// which this one cannot use, so the cache does not grow with every rebuild. Only names a
    /// build's subdirectory can have (16 hex digits) are touched. Best effort, like writing.
    pub fn remove_other_builds(&self) {
        let (Some(parent), Some(mine)) = (self.dir.parent(), self.dir.file_name()) else {
            return;
        };
        let Ok(entries) = std::fs::read_dir(parent) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let is_build = name.to_str().is_some_and(|name| {
                name.len() == 16 && name.bytes().all(|b| b.is_ascii_hexdigit())
            });
            if is_build && name != mine && entry.file_type().is_ok_and(|kind| kind.is_dir()) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }

    /// The formatted text cached for this file and key, if any.
    pub(crate) fn get(&self, spec_path: &str, path: &str, key: &str) -> Option<String> {
        let entry = std::fs::read_to_string(self.entry(spec_path, path)).ok()?;
        let rest = entry.strip_prefix(&self.header(spec_path, path, key))?;
        let (text_len, rest) = rest.split_once('\n')?;
        let text = rest.strip_prefix(key)?;
        // A cut entry (a crash while writing, a full disk) is a miss, not a shorter file.
        (text_len.parse() == Ok(text.len())).then(|| text.to_owned())
    }

    /// Keeps `text` as the formatted form of this file and key, ignoring failures: the cache only
    /// saves time.
    pub(crate) fn put(&self, spec_path: &str, path: &str, key: &str, text: &str) {
        // Unique to this writer, whatever other threads and processes write at the same time.
        static WRITES: AtomicUsize = AtomicUsize::new(0);
        let entry = self.entry(spec_path, path);
        let temporary = entry.with_extension(format!(
            "tmp{}-{}",
            std::process::id(),
            WRITES.fetch_add(1, Ordering::Relaxed)
        ));
        let header = self.header(spec_path, path, key);
        let contents = format!("{header}{}\n{key}{text}", text.len());
        let written = std::fs::create_dir_all(&self.dir)
            .and_then(|()| std::fs::write(&temporary, contents))
            .and_then(|()| std::fs::rename(&temporary, &entry));
        if written.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
    }

    /// An entry's header, up to the length of the text: what it is valid for, and the length of
    /// the key.
    fn header(&self, spec_path: &str, path: &str, key: &str) -> String {
        format!(
            "{MAGIC}\n{}\n{}\n{}\n{}\n",
            self.stamp,
            spec_path.replace('\n', " "),
            path,
            key.len()
        )
    }

    /// One entry per spec and generated file, so that regenerating from several specs does not
    /// make them evict each other.
    fn entry(&self, spec_path: &str, path: &str) -> PathBuf {
        let name = path.replace(['/', '\\'], "-");
        self.dir.join(format!("{:016x}-{name}", hash(spec_path)))
    }
}

/// A short name for a path or stamp in file names; what it names is checked whole in the entry.
fn hash(text: &str) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::FormatCache;

    fn cache(name: &str, stamp: &str) -> (FormatCache, std::path::PathBuf) {
        let dir =
            std::env::temp_dir().join(format!("codegen-cache-test-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        (FormatCache::new(&dir, stamp), dir)
    }

    #[test]
    fn a_hit_needs_the_same_stamp_spec_path_and_key() {
        let (cache, dir) = cache("hit", "build 1");
        assert_eq!(cache.get("spec.yaml", "src/lib.rs", "a b"), None);
        cache.put("spec.yaml", "src/lib.rs", "a b", "formatted\n");
        assert_eq!(
            cache.get("spec.yaml", "src/lib.rs", "a b").as_deref(),
            Some("formatted\n")
        );
        assert_eq!(cache.get("spec.yaml", "src/lib.rs", "a c"), None);
        assert_eq!(cache.get("spec.yaml", "src/lib.rs", "a b c"), None);
        assert_eq!(cache.get("spec.yaml", "src/lib.rs", "a"), None);
        assert_eq!(cache.get("other.yaml", "src/lib.rs", "a b"), None);
        assert_eq!(cache.get("spec.yaml", "src/types.rs", "a b"), None);
        let rebuilt = FormatCache::new(&dir, "build 2");
        assert_eq!(rebuilt.get("spec.yaml", "src/lib.rs", "a b"), None);
        rebuilt.put("spec.yaml", "src/lib.rs", "a b", "formatted again\n");
        // What is not a build's subdirectory is not the cache's to remove.
        std::fs::write(dir.join("0123456789abcdef"), "a file").expect("writes");
        std::fs::create_dir(dir.join("someone else's")).expect("makes a directory");
        assert_eq!(
            std::fs::read_dir(&dir).expect("the cache exists").count(),
            4
        );
        rebuilt.remove_other_builds();
        let mut left: Vec<String> = std::fs::read_dir(&dir)
            .expect("the cache exists")
            .map(|entry| {
                entry
                    .expect("an entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        left.sort();
        let mine = rebuilt.dir.file_name().expect("a name").to_string_lossy();
        let mut expected = vec!["0123456789abcdef", "someone else's", &mine];
        expected.sort();
        assert_eq!(left, expected);
        assert_eq!(cache.get("spec.yaml", "src/lib.rs", "a b"), None);
        assert_eq!(
            rebuilt.get("spec.yaml", "src/lib.rs", "a b").as_deref(),
            Some("formatted again\n")
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn damaged_entries_and_unwritable_directories_are_misses() {
        let (cache, dir) = cache("damaged", "build");
        cache.put("spec.yaml", "src/lib.rs", "key", "text");
        let entries: Vec<_> = std::fs::read_dir(&cache.dir)
            .expect("the cache directory exists")
            .map(|entry| entry.expect("an entry").path())
            .collect();
        assert_eq!(entries.len(), 1, "one entry, no temporary file left");
        let entry = &entries[0];
        let whole = std::fs::read(entry).expect("the entry reads");
        std::fs::write(entry, &whole[..whole.len() - 10]).expect("the entry is cut");
        assert_eq!(cache.get("spec.yaml", "src/lib.rs", "key"), None);
        std::fs::write(entry, &whole[..whole.len() - 1]).expect("the entry is cut");
        assert_eq!(cache.get("spec.yaml", "src/lib.rs", "key"), None);
        std::fs::write(entry, [0xff, 0xfe, 0x00]).expect("the entry is overwritten");
        assert_eq!(cache.get("spec.yaml", "src/lib.rs", "key"), None);
        let _ = std::fs::remove_dir_all(&dir);

        // A file where the directory should be: nothing is kept, and nothing fails.
        std::fs::write(&dir, "not a directory").expect("a file is written");
        cache.put("spec.yaml", "src/lib.rs", "key", "text");
        assert_eq!(cache.get("spec.yaml", "src/lib.rs", "key"), None);
        let _ = std::fs::remove_file(&dir);
    }
}
