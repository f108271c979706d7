//! Rendering: the files' tokens into formatted text, on several threads, through the format
//! cache. Emission decides what the files hold; this module owns how and where that becomes
//! text: [`format`] prints tokens with prettyplease, [`cache`] keeps formatted files between
//! runs, and [`render`] shares the files out among threads.
//!
//! Each file is emitted and formatted on one thread, since tokens cannot cross threads; the IR
//! can. Formatting is most of generation's time (prettyplease needs a `syn` tree, so the tokens
//! are parsed again), and the files are independent, so they are shared out: each worker takes
//! the largest file left. The output is a map by path, whatever order the files finish in.

pub mod cache;
pub mod format;

pub use cache::FormatCache;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::emit::File;

/// The stack of each worker thread, as the main thread's usually is.
const WORKER_STACK: usize = 8 << 20;

/// What rendering the files gave.
#[derive(Debug, Default)]
pub struct Rendered {
    /// Formatted text by path.
    pub files: BTreeMap<String, String>,
    /// Time spent emitting, summed over the threads.
    pub emit: Duration,
    /// Time spent formatting, or reading and writing the cache, summed over the threads.
    pub format: Duration,
    /// How many threads did the work.
    pub threads: usize,
    /// How many files were taken from the cache instead of formatted.
    pub cached: usize,
}

/// Emits and formats `files` on up to `threads` threads; `threads` of 0 means as many as the
/// machine runs at once. Files whose IR `cache` has seen are taken from it. The first
/// generator bug found, in path order, is the error.
pub fn render(
    files: Vec<File<'_>>,
    spec_path: &str,
    threads: usize,
    cache: Option<&FormatCache>,
) -> Result<Rendered, String> {
    let mut files = files;
    files.sort_by_key(|file| std::cmp::Reverse(file.weight()));
    let threads = match threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
    .clamp(1, files.len().max(1));
    let next = AtomicUsize::new(0);
    // One thread's share of the work: the files it rendered and its time in each stage.
    let work = || {
        let mut share = Rendered::default();
        let mut bugs = Vec::new();
        while let Some(file) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
            let started = Instant::now();
            let key = cache.and_then(|_| file.key());
            let hit = match (cache, &key) {
                (Some(cache), Some(key)) => cache.get(spec_path, &file.path, key),
                _ => None,
            };
            if let Some(text) = hit {
                share.cached += 1;
                share.format += started.elapsed();
                share.files.insert(file.path.clone(), text);
                continue;
            }
            let tokens = file.tokens();
            let emitted = Instant::now();
            let text = format::format_file(&file.path, tokens, spec_path);
            share.emit += emitted - started;
            match text {
                Ok(text) => {
                    if let (Some(cache), Some(key)) = (cache, &key) {
                        cache.put(spec_path, &file.path, key, &text);
                    }
                    share.files.insert(file.path.clone(), text);
                }
                Err(bug) => bugs.push((file.path.clone(), bug)),
            }
            share.format += emitted.elapsed();
        }
        (share, bugs)
    };
    let shares = if threads == 1 {
        vec![work()]
    } else {
        std::thread::scope(|scope| {
            // The main thread's stack, not a spawned thread's 2 MiB: parsing and printing
            // recurse as deep as the code nests.
            let spawned: Vec<_> = (0..threads)
                .map(|_| {
                    std::thread::Builder::new()
                        .stack_size(WORKER_STACK)
                        .spawn_scoped(scope, work)
                })
                .collect();
            spawned
                .into_iter()
                .map(|handle| match handle {
                    Ok(handle) => handle
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                    // No thread to be had: this one does the work.
                    Err(_) => work(),
                })
                .collect()
        })
    };
    let mut rendered = Rendered {
        threads,
        ..Rendered::default()
    };
    let mut bugs = BTreeMap::new();
    for (share, share_bugs) in shares {
        rendered.files.extend(share.files);
        rendered.emit += share.emit;
        rendered.format += share.format;
        rendered.cached += share.cached;
        bugs.extend(share_bugs);
    }
    match bugs.into_values().next() {
        Some(bug) => Err(bug),
        None => Ok(rendered),
    }
}

#[cfg(test)]
mod tests {
    use super::render;
    use crate::lower::{lower, Options};
    use crate::spec::{self, selection::Selection};

    /// A spec with enough operations and types that the output is split into files per tag.
    fn spec_text() -> String {
        let mut text = String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n");
        for n in 0..40 {
            let tag = n % 5;
            text.push_str(&format!(
                "  /thing-{n}.get:\n    get:\n      operationId: thing-{n}-get\n      \
                 tags: [tag-{tag}]\n      responses:\n        '200':\n          \
                 description: ok\n          content:\n            application/json:\n              \
                 schema: {{$ref: '#/components/schemas/thing-{n}'}}\n"
            ));
        }
        text.push_str("components:\n  schemas:\n");
        for n in 0..40 {
            text.push_str(&format!(
                "    thing-{n}:\n      type: object\n      required: [id]\n      properties:\n        \
                 id: {{type: string}}\n        count: {{type: integer}}\n"
            ));
        }
        text
    }

    #[test]
    fn any_number_of_threads_gives_the_same_files() {
        let text = spec_text();
        let spec = spec::load("spec.yaml", &text).expect("the spec loads");
        let options = Options {
            package: "p".to_owned(),
            spec_path: "spec.yaml".to_owned(),
            selection: Selection::all(),
        };
        let (krate, _) = lower(&spec, &options).expect("the spec lowers");
        let files = || crate::emit::files(&krate);
        assert!(files().len() > 5, "the output should be split into files");
        let one = render(files(), "spec.yaml", 1, None).expect("renders on one thread");
        assert_eq!(one.threads, 1);
        for threads in [2, 3, 64] {
            let many = render(files(), "spec.yaml", threads, None).expect("renders on threads");
            assert!(many.threads > 1 && many.threads <= files().len());
            assert_eq!(one.files, many.files, "{threads} threads");
        }
    }
}
